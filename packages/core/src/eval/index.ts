// Evaluation of a model on a dataset's eval split with BFCL's AST rules, and the BFCL export.
export * from './types';
export { checkCall, checkTurn, standardizeString, sameFunctionName } from './checker';
export { PyFloat, parsePyJson, pyJsonStringify, toPlain } from './py-value';
export { EVAL_TRUTH_FILE, truthRow, expectedCall } from './truth';
export { readTruth, type TruthSource } from './input';
export { evaluateModel, turnRequest, replyCalls, type EndpointOptions } from './runner';
export { wilson, aggregate } from './score';
export { evalHtml, evalMarkdown, writeEvalReports } from './write';
export { runEvaluate, type EvaluateOptions, type EvaluateResult } from './evaluate';
export { exportBfcl, bfclSchema, type BfclExport } from './bfcl-export';
