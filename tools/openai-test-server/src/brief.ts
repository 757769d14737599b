// Reads what a request asks a model to write, the way a model reads a prompt: the instruction lines
// (`Key: value` fields), the values it is told to mention or leave out, the tools it is shown (the
// request's `tools`, or tool sections in the system prompt), and the conversation shown as a
// transcript (`User: ...`, `Assistant calls: f({...})`, `Tool result (f): ...`). Nothing here
// depends on one client's exact wording: fields are matched by loose key names.
import { messageText, type ChatMessage } from './chat-messages';
import type { FunctionTool } from './chat-tools';
import { jsonEnd, keyValuePairs, readJsonAt } from './json-scan';

export interface Turn {
  role: 'user' | 'assistant' | 'tool' | 'system';
  text: string;
  calls?: { name: string; args: unknown }[];
  /** Tool results: the tool's name when given. */
  tool?: string;
}

export interface ToolInfo {
  name: string;
  description: string;
  schema?: Record<string, unknown>;
}

export interface TargetValues {
  tool?: string;
  values: [string, unknown][];
}

export interface Brief {
  system: string;
  /** Instruction fields of the last user message (lower-case keys), transcript excluded. */
  fields: Map<string, string>;
  /** The most specific instruction: a task / turn-to-write field, else the system text. */
  directive: string;
  /** The conversation: the transcript shown in the instructions, else the request's own messages. */
  turns: Turn[];
  tools: ToolInfo[];
  /** Values to mention, per tool (several for a request that asks for several things). */
  targets: TargetValues[];
  leaveOut?: string;
}

const FIELD = /^([A-Z][A-Za-z][\w ()'-]{0,40}?):(?:\s+(.*))?$/;
const ROLE = /^(user|assistant|assistant calls|system|tool|tool result|function)(?:\s*\(([^)]*)\))?$/i;

/** The value of the first field whose key matches. */
export function field(brief: Brief, key: RegExp): string | undefined {
  for (const [k, v] of brief.fields) if (key.test(k)) return v;
  return undefined;
}

function parseCalls(text: string): Turn['calls'] {
  const calls: NonNullable<Turn['calls']> = [];
  const re = /([A-Za-z_][\w.-]*)\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const read = readJsonAt(text, m.index + m[0].length);
    calls.push({ name: m[1], args: read?.value });
    if (read) re.lastIndex = read.end;
  }
  return calls;
}

function toTurn(label: string, text: string): Turn {
  const m = ROLE.exec(label)!;
  const role = m[1].toLowerCase();
  if (role === 'assistant calls') return { role: 'assistant', text: '', calls: parseCalls(text) };
  if (role.startsWith('tool') || role === 'function') return { role: 'tool', text, tool: m[2]?.trim() };
  return { role: role as Turn['role'], text };
}

/** Splits the instruction text into fields and transcript turns. */
function readInstructions(text: string): { fields: Map<string, string>; turns: Turn[] } {
  const lines = text.split('\n');
  const fields = new Map<string, string>();
  const turns: Turn[] = [];
  // Role lines up to the last one are always transcript; after it, a `Key:` line ends the last turn.
  let lastRole = -1;
  lines.forEach((l, i) => {
    const m = FIELD.exec(l);
    if (m && ROLE.test(m[1])) lastRole = i;
  });
  let current: { kind: 'field' | 'turn'; key: string; text: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const body = current.text.join('\n').trim();
    if (current.kind === 'turn') turns.push(toTurn(current.key, body));
    else if (!fields.has(current.key.toLowerCase())) fields.set(current.key.toLowerCase(), body);
  };
  // A transcript starts under a field with no inline value ("Conversation:") and ends at the first
  // `Key:` line after its last role line.
  let inTranscript = false;
  lines.forEach((line, i) => {
    const m = FIELD.exec(line);
    const isRole = !!m && ROLE.test(m[1]);
    const opensTranscript = isRole && current?.kind === 'field' && !current.text.join('').trim();
    if (isRole && (inTranscript || opensTranscript)) {
      flush();
      inTranscript = true;
      current = { kind: 'turn', key: m![1], text: [m![2] ?? ''] };
    } else if (m && (!inTranscript || i > lastRole)) {
      flush();
      inTranscript = false;
      current = { kind: 'field', key: m[1], text: [m[2] ?? ''] };
    } else if (current) current.text.push(line);
  });
  flush();
  return { fields, turns };
}

/** Tool sections of a system prompt: a heading naming the tool, a description, `Input schema: {...}`. */
function toolsInText(text: string): ToolInfo[] {
  const out: ToolInfo[] = [];
  const headings = [...text.matchAll(/^#{1,4}\s+([A-Za-z_][\w.-]*)\s*$/gm)];
  headings.forEach((h, i) => {
    const block = text.slice(h.index! + h[0].length, headings[i + 1]?.index ?? text.length);
    const at = /input schema:\s*/i.exec(block);
    const schema = at ? readJsonAt(block, at.index + at[0].length)?.value : undefined;
    const description = block.split('\n').map((l) => l.trim()).find((l) => l && !/schema:/i.test(l)) ?? '';
    if (schema || description) out.push({ name: h[1], description, schema: schema && typeof schema === 'object' ? (schema as Record<string, unknown>) : undefined });
  });
  return out;
}

/** `- for get_forecast: city = "Rome", days = 3` lines (or a JSON object of arguments). */
function readTargets(text: string | undefined, tools: ToolInfo[]): TargetValues[] {
  if (!text) return [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && jsonEnd(trimmed, 0) === trimmed.length) {
    const value = readJsonAt(trimmed, 0)?.value;
    return value && typeof value === 'object' && !Array.isArray(value) ? [{ values: Object.entries(value) }] : [];
  }
  const out: TargetValues[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*[-*•]\s*/, '').trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    const head = colon >= 0 ? line.slice(0, colon) : '';
    const tool = tools.find((t) => new RegExp(`\\b${t.name}\\b`).test(head))?.name ?? /(?:^|\bfor\s+)([A-Za-z_][\w.-]*)\s*$/.exec(head)?.[1];
    const rest = tool ? line.slice(colon + 1) : line;
    out.push({ tool, values: keyValuePairs(rest) });
  }
  return out;
}

export function readBrief(messages: ChatMessage[], requestTools: FunctionTool[]): Brief {
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map(messageText).join('\n\n');
  let lastUser = -1;
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') { lastUser = i; break; }
  const { fields, turns: shown } = readInstructions(lastUser >= 0 ? messageText(messages[lastUser]) : '');
  const tools: ToolInfo[] = requestTools.map((t) => ({ name: t.name, description: t.description ?? '', schema: t.parameters }));
  for (const t of toolsInText(system)) if (!tools.some((x) => x.name === t.name)) tools.push(t);
  // A plain conversation (no transcript in the instructions) is the conversation itself.
  const turns = shown.length || fields.size ? shown : messages.filter((m) => m.role !== 'system' && m.role !== 'developer').map(messageTurn);
  const brief: Brief = { system, fields, directive: '', turns, tools, targets: [] };
  brief.directive = field(brief, /^(task|turn|instruction|write|goal|return)/) ?? system;
  brief.targets = readTargets(field(brief, /value|argument|param|detail|mention/), tools);
  const tool = field(brief, /^tool$/);
  if (tool) brief.targets = brief.targets.map((t) => ({ ...t, tool: t.tool ?? tool }));
  brief.leaveOut = field(brief, /leave out|omit|withhold|missing/)?.trim();
  return brief;
}

function messageTurn(m: ChatMessage): Turn {
  const calls = m.tool_calls?.map((c) => ({ name: c.function?.name ?? '', args: safeParse(c.function?.arguments) }));
  if (m.role === 'tool' || m.role === 'function') return { role: 'tool', text: messageText(m), tool: m.name };
  return { role: m.role === 'assistant' ? 'assistant' : 'user', text: messageText(m), ...(calls?.length ? { calls } : {}) };
}

function safeParse(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether a tool result reports a failure. */
export function isFailure(text: string): boolean {
  return /^\s*(error\b|mcp error)/i.test(text) || /"isError"\s*:\s*true/.test(text);
}
