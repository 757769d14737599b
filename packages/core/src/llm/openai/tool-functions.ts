// MCP tools as OpenAI function tools, and the model's calls back as our ToolCalls.
// Each input schema is normalized (non-object roots wrapped as {input: ...}), then strictified; a
// schema that cannot be made strict is sent non-strict (cleaned original). Returned arguments are
// parsed, their strict-mode nulls removed against the normalized original (unstrictify) and the
// wrapper undone, so QC validates them against the ORIGINAL schema. Unparseable arguments are kept
// as `raw` with `arguments: undefined` (QC rejects them with a reason).
import type { ChatCompletionFunctionTool, ChatCompletionMessage } from 'openai/resources/chat/completions';
import type { JsonSchema, ToolCall, ToolDef } from '../../types';
import { normalizeSchema, unwrapArguments, wrapArguments } from '../../schema/normalize';
import { strictify } from '../../schema/strictify';
import { unstrictify } from '../../schema/unstrictify';
import { canonicalJson, sha256 } from '../../util/hash';

export interface FunctionSpec {
  tool: ToolDef;
  /** The name sent to the API (`^[a-zA-Z0-9_-]{1,64}$`); usually the tool's own name. */
  fnName: string;
  definition: ChatCompletionFunctionTool;
  strict: boolean;
  /** Why strict mode was not possible (empty when strict). */
  reasons: string[];
  /** The normalized original (object root): unstrictify works against it. */
  normalized: JsonSchema;
  wrapped: boolean;
}

/** A name the API accepts; names with other characters or over 64 get a short hash suffix (stable). */
export function apiName(name: string, suffix = ''): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  const max = 64 - suffix.length;
  if (clean === name && clean.length <= max) return `${clean}${suffix}`;
  const tag = sha256(name).slice(0, 8);
  return `${clean.slice(0, max - 9)}_${tag}${suffix}`;
}

const specs = new Map<string, FunctionSpec>();

export function functionSpec(tool: ToolDef): FunctionSpec {
  const key = canonicalJson([tool.name, tool.description, tool.inputSchema]);
  const hit = specs.get(key);
  if (hit) return hit;
  const norm = normalizeSchema(tool.inputSchema, tool.name);
  const conv = strictify(norm.schema);
  const fnName = apiName(tool.name);
  const spec: FunctionSpec = {
    tool,
    fnName,
    strict: conv.strict,
    reasons: conv.reasons,
    normalized: norm.schema,
    wrapped: norm.wrapped,
    definition: {
      type: 'function',
      function: {
        name: fnName,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: conv.schema as Record<string, unknown>,
        strict: conv.strict,
      },
    },
  };
  specs.set(key, spec);
  return spec;
}

/** The arguments text of a call as the model saw it (wrapped again for a wrapped root). */
export function argumentsText(call: ToolCall, spec: FunctionSpec | undefined): string {
  if (call.arguments === undefined) return call.raw ?? '{}';
  return JSON.stringify(spec ? wrapArguments(call.arguments, spec) : call.arguments);
}

/** The model's tool calls as ToolCalls with arguments in the shape of the original schema. */
export function readToolCalls(message: ChatCompletionMessage, byApiName: Map<string, FunctionSpec>): ToolCall[] {
  const out: ToolCall[] = [];
  for (const [i, c] of (message.tool_calls ?? []).entries()) {
    if (c.type !== 'function') continue;
    const spec = byApiName.get(c.function.name);
    const name = spec?.tool.name ?? c.function.name;
    const id = c.id || `call_${i}`;
    let parsed: unknown;
    // (issue 14) arguments nested absurdly deep would overflow the stack later (schema checks, the MCP
    // call's serialisation) and stop the whole build: this call is unusable, its row is rejected.
    if (typeof c.function.arguments === 'string' && nestingExceeds(c.function.arguments, MAX_ARGUMENT_DEPTH)) {
      out.push({ id, name, arguments: undefined, raw: `(nested more than ${MAX_ARGUMENT_DEPTH} levels deep) ${c.function.arguments.slice(0, 80)}` });
      continue;
    }
    try {
      parsed = JSON.parse(c.function.arguments);
    } catch {
      out.push({ id, name, arguments: undefined, raw: c.function.arguments });
      continue;
    }
    const args = spec ? unwrapArguments(unstrictify(parsed, spec.normalized), spec) : parsed;
    out.push({ id, name, arguments: args });
  }
  return out;
}

/** Deepest nesting of arrays/objects accepted in a tool call's arguments (real tools stay far below). */
export const MAX_ARGUMENT_DEPTH = 64;

/** True when the JSON text nests arrays/objects deeper than `max` (a scan of the text; strings skipped). */
export function nestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) {
      if (++depth > max) return true;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return false;
}
