// Public surface of @mcp-forge/core (the Nx plugin and the CLI import only from here).
export * from './types';
export * from './errors';
export * from './config/types';
export { loadConfig, parseConfigText, resolveProvider } from './config';
export * from './llm/provider';
export { createProvider } from './llm';
export { OfflineProvider } from './llm/offline/provider';
export * from './pipeline';
export { runQc } from './stages/qc';
export { checkSample, reasonCode, isErrorResult } from './stages/validate';
export { findNearDuplicates } from './dedup';
export { formatGateTable, evaluateGate, type GateRow, type QcMetrics } from './stages/gate';
export { rowToSample, detectRowFormat } from './stages/real';
export { readLock, serializeLock, inspectServers, parseCommandLine } from './mcp';
export { consoleLogger, bufferLogger, progressLines, type Logger } from './util/log';
export { readJsonl, readAllJsonl, writeJsonl, writeFileAtomic } from './util/files';
