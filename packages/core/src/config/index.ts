// forge.yaml: loading, validation, resolution, and what of it shapes a build's results.
export * from './types';
export { loadConfig, parseConfigText, readConfigFile, CONFIG_SEARCH_PLACES, type LoadConfigOptions } from './loader';
export { resolveProvider, describeConfigForHash, configFingerprint, redactUrl } from './provider';
export { forgeSchema, FORGE_SCHEMA_PATH } from './schema';
export { isToolSelected } from './tool-filter';
