// The tool schemas `mcp-forge qc` checks rows against. `--tools` may name a tools.lock.json, a plain
// MCP `tools/list` result (`{"tools": [...]}`, or the whole JSON-RPC answer), or an OpenAI `tools`
// array; without `--tools`, the definitions the rows carry (OpenAI/HF `tools` fields, Hermes
// `<tools>` system prompts) are used.
import { readFileSync } from 'node:fs';
import { ForgeError, normalizeTool, parseLock, parseRow, readJsonl, type ToolDef } from '@mcp-forge/core';

const KINDS = 'a tools.lock.json, an MCP tools/list result ({"tools": [...]}) or an OpenAI tools array ([{"type": "function", "function": {...}}])';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toolDef(name: string, description: unknown, schema: unknown): ToolDef {
  return { name, serverToolName: name, server: 0, description: typeof description === 'string' ? description : '', inputSchema: isRecord(schema) || typeof schema === 'boolean' ? (schema as ToolDef['inputSchema']) : { type: 'object', properties: {} } };
}

/** Tools from the file given with --tools, whichever of the three kinds it is. */
export function readToolsFile(path: string): ToolDef[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ForgeError('INPUT', `--tools ${path}: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}.`, `Give ${KINDS}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return parseLock(text, path).tools; // reports the JSON error with its line and column
  }
  if (isRecord(data) && isRecord(data.result) && Array.isArray(data.result.tools)) data = data.result; // a whole JSON-RPC answer
  if (isRecord(data) && Array.isArray(data.tools)) {
    // A lock file has its own fields; a tools/list result is just the listing.
    if ('version' in data || 'servers' in data) return parseLock(text, path).tools;
    const warnings: string[] = [];
    const tools = data.tools.map((t, i) => normalizeTool(t, i, warnings)).filter((t) => t !== undefined);
    if (!tools.length) throw new ForgeError('INPUT', `--tools ${path}: the tools/list result lists no usable tool${warnings.length ? ` (${warnings[0]})` : ''}.`, `Give ${KINDS}.`);
    return tools.map((t) => ({ ...toolDef(t.name, t.description, t.inputSchema), ...(t.title ? { title: t.title } : {}), ...(t.outputSchema !== undefined ? { outputSchema: t.outputSchema } : {}), ...(t.annotations ? { annotations: t.annotations } : {}) }));
  }
  if (Array.isArray(data)) {
    return data.map((t, i) => {
      const fn = isRecord(t) && isRecord(t.function) ? t.function : t;
      if (!isRecord(fn) || typeof fn.name !== 'string' || !fn.name) {
        throw new ForgeError('INPUT', `--tools ${path}: item ${i + 1} of the array is not a tool definition (expected {"type": "function", "function": {"name", "description", "parameters"}}).`, `Give ${KINDS}.`);
      }
      return toolDef(fn.name, fn.description, fn.parameters ?? fn.inputSchema);
    });
  }
  throw new ForgeError('INPUT', `--tools ${path} is none of ${KINDS}.`, 'Without --tools, qc uses the tool definitions the rows carry (OpenAI/HF "tools" fields, Hermes <tools> system prompts).');
}

/** The tool definitions the rows of `input` carry (first definition of a name wins). */
export async function toolsFromRows(input: string): Promise<ToolDef[]> {
  const byName = new Map<string, ToolDef>();
  for await (const row of readJsonl(input)) {
    let tools: { name: string; description?: string; parameters?: unknown }[] = [];
    try {
      tools = parseRow(row).tools;
    } catch {
      continue; // a row that does not parse is reported by the checks themselves
    }
    for (const t of tools) if (t?.name && !byName.has(t.name)) byName.set(t.name, toolDef(t.name, t.description, t.parameters));
  }
  if (!byName.size) {
    throw new ForgeError('INPUT', `${input}: no --tools given, and its rows carry no tool definitions (no "tools" field, no <tools> system prompt).`, `Give --tools with ${KINDS}.`);
  }
  return [...byName.values()];
}
