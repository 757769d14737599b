// Shared Jest settings: TypeScript through @swc/jest (no type-check here; `npm run typecheck` does that).
// In-process imports of the workspace packages use their TypeScript sources (the packages' `main` is
// the built dist/, which child processes use).
const { join } = require('node:path');

module.exports = {
  moduleNameMapper: { '^@mcp-forge/(core|cli|nx-plugin)$': join(__dirname, 'packages/$1/src/index.ts') },
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
