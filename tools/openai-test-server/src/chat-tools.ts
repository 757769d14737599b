// Checks `tools`, `tool_choice`, `parallel_tool_calls` and `response_format`, including the
// Structured Outputs rules for strict schemas (400 invalid_function_parameters / invalid_json_schema).
import { ApiError, invalidRequest, invalidType, missingParameter } from './errors';
import { findLooseSchemaError, findStrictSchemaError } from './strict-schema';

export interface FunctionTool {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict: boolean;
}

export type ToolChoice = { mode: 'none' | 'auto' | 'required'; allowed?: string[] } | { mode: 'named'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean };

const NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
const MAX_TOOLS = 128;
const EMPTY_PARAMETERS = { type: 'object', properties: {} };

function checkName(name: unknown, path: string): string {
  if (name === undefined) throw missingParameter(path);
  if (typeof name !== 'string') throw invalidType(path, 'a string', name);
  if (!NAME_PATTERN.test(name)) {
    throw invalidRequest(`Invalid '${path}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, path, 'invalid_value');
  }
  if (name.length > 64) {
    throw invalidRequest(`Invalid '${path}': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`, path, 'string_above_max_length');
  }
  return name;
}

export function checkTools(raw: unknown): FunctionTool[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidType('tools', 'an array', raw);
  if (raw.length > MAX_TOOLS) {
    throw invalidRequest(`Invalid 'tools': array too long. Expected an array with maximum length ${MAX_TOOLS}, but got an array with length ${raw.length} instead.`, 'tools', 'array_above_max_length');
  }
  const tools: FunctionTool[] = [];
  raw.forEach((t, i) => {
    if (!t || typeof t !== 'object') throw invalidType(`tools[${i}]`, 'an object', t);
    const tool = t as Record<string, unknown>;
    if (tool.type === 'custom') return; // accepted; this server never calls custom tools
    if (tool.type !== 'function') {
      throw invalidRequest(`Invalid value: '${String(tool.type)}'. Supported values are: 'function' and 'custom'.`, `tools[${i}].type`, 'invalid_value');
    }
    const fn = tool.function as Record<string, unknown> | undefined;
    if (!fn || typeof fn !== 'object') throw missingParameter(`tools[${i}].function`);
    const name = checkName(fn.name, `tools[${i}].function.name`);
    const strict = fn.strict === true;
    const parameters = fn.parameters === undefined || fn.parameters === null ? EMPTY_PARAMETERS : fn.parameters;
    const problem = strict ? findStrictSchemaError(parameters) : findLooseSchemaError(parameters, true);
    if (problem) {
      throw invalidRequest(`Invalid schema for function '${name}': ${problem}`, `tools[${i}].function.parameters`, 'invalid_function_parameters');
    }
    tools.push({ name, description: typeof fn.description === 'string' ? fn.description : undefined, parameters: parameters as Record<string, unknown>, strict });
  });
  return tools;
}

function onlyWithTools(param: string): ApiError {
  return invalidRequest(`Invalid value for '${param}': '${param}' is only allowed when 'tools' are specified.`, param);
}

export function checkToolChoice(raw: unknown, tools: FunctionTool[], hasAnyTools: boolean): ToolChoice {
  if (raw === undefined || raw === null) return { mode: hasAnyTools ? 'auto' : 'none' };
  if (!hasAnyTools) throw onlyWithTools('tool_choice');
  const known = (name: string) => {
    if (!tools.some((t) => t.name === name)) {
      throw invalidRequest(`Invalid value for 'tool_choice': function '${name}' was not found in 'tools'.`, 'tool_choice', 'invalid_value');
    }
    return name;
  };
  if (typeof raw === 'string') {
    if (raw === 'none' || raw === 'auto' || raw === 'required') return { mode: raw };
    throw invalidRequest(`Invalid value: '${raw}'. Supported values are: 'none', 'auto', and 'required'.`, 'tool_choice', 'invalid_value');
  }
  if (typeof raw !== 'object') throw invalidType('tool_choice', 'one of a string or object', raw);
  const choice = raw as Record<string, unknown>;
  if (choice.type === 'function') {
    const fn = choice.function as { name?: unknown } | undefined;
    if (!fn || typeof fn.name !== 'string') throw missingParameter('tool_choice.function.name');
    return { mode: 'named', name: known(fn.name) };
  }
  if (choice.type === 'allowed_tools') {
    const spec = choice.allowed_tools as { mode?: unknown; tools?: unknown } | undefined;
    if (!spec || !Array.isArray(spec.tools)) throw missingParameter('tool_choice.allowed_tools.tools');
    const mode = spec.mode === 'required' ? 'required' : 'auto';
    const allowed = spec.tools.map((t) => known(String((t as { function?: { name?: unknown } })?.function?.name)));
    return { mode, allowed };
  }
  if (choice.type === 'custom') return { mode: 'none' };
  throw invalidRequest(`Invalid value: '${String(choice.type)}'. Supported values are: 'function', 'custom', and 'allowed_tools'.`, 'tool_choice.type', 'invalid_value');
}

export function checkParallelToolCalls(raw: unknown, hasAnyTools: boolean): boolean {
  if (raw === undefined || raw === null) return true;
  if (!hasAnyTools) throw onlyWithTools('parallel_tool_calls');
  if (typeof raw !== 'boolean') throw invalidType('parallel_tool_calls', 'a boolean', raw);
  return raw;
}

export function checkResponseFormat(raw: unknown, conversationText: string): ResponseFormat {
  if (raw === undefined || raw === null) return { type: 'text' };
  if (typeof raw !== 'object') throw invalidType('response_format', 'an object', raw);
  const rf = raw as Record<string, unknown>;
  if (rf.type === 'text') return { type: 'text' };
  if (rf.type === 'json_object') {
    if (!/json/i.test(conversationText)) {
      throw invalidRequest("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
    }
    return { type: 'json_object' };
  }
  if (rf.type !== 'json_schema') {
    throw invalidRequest(`Invalid value: '${String(rf.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`, 'response_format.type', 'invalid_value');
  }
  const js = rf.json_schema as Record<string, unknown> | undefined;
  if (!js || typeof js !== 'object') throw missingParameter('response_format.json_schema');
  const name = checkName(js.name, 'response_format.json_schema.name');
  const strict = js.strict === true;
  const schema = (js.schema ?? { type: 'object', properties: {}, additionalProperties: false }) as Record<string, unknown>;
  const problem = strict ? findStrictSchemaError(schema) : findLooseSchemaError(schema, false);
  if (problem) throw invalidRequest(`Invalid schema for response_format '${name}': ${problem}`, 'response_format', 'invalid_json_schema');
  return { type: 'json_schema', name, schema, strict };
}
