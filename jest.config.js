// Root Jest config: every workspace project is a Jest project (`npm test` runs them all).
const projects = ['packages/core', 'packages/nx-plugin', 'packages/cli', 'tools/weather-mcp-server', 'tools/openai-test-server'];
module.exports = {
  projects: projects.map((p) => `<rootDir>/${p}`),
};
