// MCP tool definitions as the training formats show them: OpenAI function shape, parameters always
// an object schema with `properties` (tokenizer templates and LLaMA-Factory index
// `parameters.properties` and crash on tools without parameters), `$schema` dropped (noise tokens).
// toFunctionDef / toFunctionTool are what the training files carry: template-safe (template-safe.ts:
// no type arrays, null branches, unresolved $refs or overlong descriptions), while the lock file and QC
// keep the server's original schemas.
import { ForgeError } from '../errors';
import type { Sample, ToolDef } from '../types';
import { isPlainObject, toPlainJson } from './json';
import { safeDescription, templateSafeParameters } from './template-safe';
import type { FunctionDef, FunctionTool } from './types';

export function functionParameters(schema: unknown): Record<string, unknown> {
  if (!isPlainObject(schema)) return { type: 'object', properties: {} };
  const params = toPlainJson(schema);
  delete params.$schema;
  const objectLike = params.type === 'object' || (params.type === undefined && !('anyOf' in params) && !('oneOf' in params));
  if (objectLike) {
    if (params.type === undefined) params.type = 'object';
    if (!isPlainObject(params.properties)) params.properties = {};
  }
  return params;
}

// Every row repeats the definitions of the tools it offers: each tool is made template-safe once.
const safeDefs = new WeakMap<ToolDef, FunctionDef>();

/** A tool as the training files show it (template-safe parameters); shared between rows: do not change it. */
export function toFunctionDef(tool: ToolDef): FunctionDef {
  let def = safeDefs.get(tool);
  if (!def) {
    def = {
      name: tool.name,
      description: safeDescription(tool.description || tool.title || ''),
      parameters: templateSafeParameters(functionParameters(tool.inputSchema)),
    };
    safeDefs.set(tool, def);
  }
  return def;
}

export function toFunctionTool(tool: ToolDef): FunctionTool {
  return { type: 'function', function: toFunctionDef(tool) };
}

/** The tools offered in a sample, in the sample's order. A name missing from `tools` is an error. */
export function offeredTools(sample: Sample, tools: ToolDef[]): ToolDef[] {
  const byName = new Map(tools.map((t) => [t.name, t]));
  return sample.tools.map((name) => {
    const tool = byName.get(name);
    if (!tool) {
      throw new ForgeError(
        'INPUT',
        `Sample ${sample.id} offers tool "${name}", which is not in the tool list (${tools.length} tools).`,
        'The sample and tools.lock.json are out of step: run the inspect and generate targets again.',
      );
    }
    return tool;
  });
}

/** Reads a tool definition from an external row: OpenAI `{type, function}` or a bare function. */
export function functionDefFromUnknown(value: unknown): FunctionDef | undefined {
  const fn = isPlainObject(value) && isPlainObject(value.function) ? value.function : value;
  if (!isPlainObject(fn) || typeof fn.name !== 'string') return undefined;
  return {
    name: fn.name,
    description: typeof fn.description === 'string' ? fn.description : '',
    parameters: functionParameters(fn.parameters ?? fn.input_schema ?? fn.inputSchema),
  };
}
