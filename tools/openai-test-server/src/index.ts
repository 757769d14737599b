// Public API of the OpenAI-compatible test server.
export { startTestServer, type TestServer, type TestServerOptions, type RecordedRequest } from './server';
export { NO_FAULTS, type Faults } from './faults';
export type { Limits } from './rate-limit';
export type { ServerStats, TokenTotals, OutcomeCounts } from './stats';
export { findStrictSchemaError, findLooseSchemaError, STRICT_UNSUPPORTED_KEYWORDS, STRICT_LIMITS } from './strict-schema';
export { generateValue, type GenerateOptions } from './value-generator';
export { MODELS, resolveModel } from './models';
export type { BatchObject, BatchStatus } from './batches';
export { EvalOracle, type EvalOracleConfig, type BrokenTurn, type BreakKind } from './eval-oracle';
