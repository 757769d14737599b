// MCP side of the pipeline: connect to servers, list and call their tools, and keep tools.lock.json.
export { parseCommandLine, formatCommandLine, type CommandLine } from './command-line';
export { connectServer, serverLabel, type McpConnection, type ConnectOptions } from './connect';
export { listTools, normalizeTool, type RawTool, type ListToolsOptions } from './list-tools';
export { callTool, toToolResult, type ToolResult } from './call-tool';
export { inspectServers, serializeLock, prefixedName, globToRegExp, type InspectOptions } from './lock';
export { readLock, parseLock, diffLocks, formatLockDiff, type LockDiff } from './lock-file';
export { ToolRunner, outputWarnings, type ToolRunnerOptions } from './tool-runner';
