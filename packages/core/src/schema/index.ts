// Tool schemas: normalizing what servers ship, the OpenAI strict-mode form and back, validation
// against the original, and seeded schema-aware samplers for argument values.
export { compileValidator, formatAjvErrors, validateAgainst, type ValidationResult, type Validator } from './validator';
export { normalizeSchema, unwrapArguments, wrapArguments, WRAPPER_KEY, type NormalizedSchema, type NormalizeInfo } from './normalize';
export { cleanSchema, strictify, type StrictifyResult } from './strictify';
export { checkStrictRules, STRICT_FORMATS, STRICT_KEYWORDS, STRICT_LIMITS, STRICT_TYPES } from './strict-rules';
export { unstrictify } from './unstrictify';
export { describeValue, sampleArguments, SchemaSampleError, sampleValue, type SampleMode, type SampleOptions } from './sample';
