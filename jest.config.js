// Root Jest config: every workspace project is a Jest project (`npm test` runs them all).
// testTimeout is a global option in a multi-project config (a project's own value is ignored).
// globalSetup brings packages/*/dist up to date first (incremental `tsc -b`): the tests that start
// the CLI or Nx as child processes run the built code, never a stale build.
const projects = ['packages/core', 'packages/nx-plugin', 'packages/cli', 'tools/weather-mcp-server', 'tools/openai-test-server'];
module.exports = {
  projects: projects.map((p) => `<rootDir>/${p}`),
  globalSetup: '<rootDir>/tools/scripts/build-packages.js',
  testTimeout: 120000,
};
