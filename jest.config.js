// Root Jest config: every workspace project is a Jest project (`npm test` runs them all).
// testTimeout is a global option in a multi-project config (a project's own value is ignored).
const projects = ['packages/core', 'packages/nx-plugin', 'packages/cli', 'tools/weather-mcp-server', 'tools/openai-test-server'];
module.exports = {
  projects: projects.map((p) => `<rootDir>/${p}`),
  testTimeout: 120000,
};
