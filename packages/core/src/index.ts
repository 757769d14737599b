// Public surface of @mcp-forge/core (the Nx plugin and the CLI import only from here).
export * from './types';
export * from './config/types';
export * from './llm/provider';
