// Test helper: renders a row with a model's real chat template the way `transformers`'
// `tokenizer.apply_chat_template(messages, tools=tools)` does, and checks what a trainer would see.
// Not part of the library's API.
//
// transformers compiles the template with jinja2 (ImmutableSandboxedEnvironment, trim_blocks and
// lstrip_blocks on, the default `Undefined`), adds the globals `raise_exception` and `strftime_now`
// and a `tojson` filter that is `json.dumps(x, ensure_ascii=False)` with optional indent /
// separators / sort_keys, and renders with `messages`, `tools`, `documents`, `add_generation_prompt`
// and the tokenizer's special tokens (`bos_token`, `eos_token`, ...).
// @huggingface/jinja implements the same (trim/lstrip blocks, raise_exception, strftime_now, a
// Python-spelled tojson) with two differences from jinja2 that matter for the Hermes tool_use
// templates, which this module closes, so that a render fails here exactly when it fails in Python:
// - `mapping[key]` with a key that is not a string (undefined, a list) raises in @huggingface/jinja;
//   jinja2 returns Undefined (Environment.getitem catches the TypeError / LookupError);
// - a string filter (`trim`, `lower`, ...) on Undefined raises; jinja2's Undefined is "" there.
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainObject, pyJson } from './json';
import type { ParsedSample } from './types';

export const TEMPLATE_DIR = join(__dirname, '__fixtures__', 'chat-templates');

// The Python-semantics shims (installed once per process; they only turn errors into jinja2's results).
let patched = false;
function installJinja2Semantics(): void {
  if (patched) return;
  patched = true;
  const probe = new Environment();
  probe.set('s', '');
  const UndefinedValue = probe.lookupVariable('__undefined__').constructor as new () => unknown;
  const StringValue = probe.lookupVariable('s').constructor as new (v: string) => unknown;
  const proto = Interpreter.prototype as unknown as Record<string, (...args: any[]) => any>;
  const member = proto.evaluateMemberExpression;
  proto.evaluateMemberExpression = function (this: unknown, ...args: any[]) {
    try {
      return member.apply(this, args);
    } catch (err) {
      if (err instanceof Error && /^Cannot access property with non-string/.test(err.message)) return new UndefinedValue();
      throw err;
    }
  };
  const filter = proto.applyFilter;
  proto.applyFilter = function (this: unknown, operand: { type?: string }, ...rest: any[]) {
    try {
      return filter.call(this, operand, ...rest);
    } catch (err) {
      if (operand?.type === 'UndefinedValue' && err instanceof Error && /^Cannot apply filter/.test(err.message)) return filter.call(this, new StringValue(''), ...rest);
      throw err;
    }
  };
}

export interface ChatTemplateFixture {
  /** File name without .jinja. */
  name: string;
  template: Template;
  /** The tokenizer's special tokens, as transformers passes them. */
  specialTokens: Record<string, string>;
}

/** Every template of __fixtures__/chat-templates, sorted by name. */
export function loadChatTemplates(): ChatTemplateFixture[] {
  installJinja2Semantics();
  return readdirSync(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.jinja'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.jinja$/, '');
      const llama3 = /hermes/i.test(name);
      // Hermes-2-Pro / Hermes-3 are Llama-3 models; Qwen has no BOS token (None: templates do not use it).
      const specialTokens: Record<string, string> = llama3 ? { bos_token: '<|begin_of_text|>', eos_token: '<|im_end|>' } : { eos_token: '<|im_end|>' };
      return { name, template: new Template(readFileSync(join(TEMPLATE_DIR, f), 'utf8')), specialTokens };
    });
}

/** `apply_chat_template(messages, tools=tools, tokenize=False)` for a training row. */
export function applyChatTemplate(t: ChatTemplateFixture, messages: unknown, tools: unknown, addGenerationPrompt = false): string {
  installJinja2Semantics();
  return t.template.render({ ...t.specialTokens, messages, tools, add_generation_prompt: addGenerationPrompt });
}

export interface RenderCheck {
  /** The template raised (message), or undefined. */
  error?: string;
  /** Calls of the row that do not appear as `"name": ..., "arguments": <object as tojson>` in their <tool_call> block. */
  missingCalls: number;
  /** <tool_call> blocks whose arguments are written as a JSON-encoded string. */
  stringArguments: number;
  /** Tool results whose text is missing, or not wrapped exactly once in <tool_response>. */
  missingResults: number;
  /** Offered tools whose name is not in the rendered tool list. */
  missingTools: number;
}

/**
 * Renders a row and checks it against its neutral form (`expected`, the row read back by its format):
 * nothing raises; the i-th <tool_call> block names the i-th call and holds its arguments as an object
 * (spelled as `tojson` spells it); no block has string arguments; every result text appears and
 * <tool_response> is opened once per result; every offered tool is named.
 */
export function checkRender(t: ChatTemplateFixture, row: unknown, expected: ParsedSample): RenderCheck {
  const r = isPlainObject(row) ? row : {};
  const calls = expected.messages.flatMap((m) => m.tool_calls ?? []);
  const results = expected.messages.filter((m) => m.role === 'tool');
  const check: RenderCheck = { missingCalls: 0, stringArguments: 0, missingResults: 0, missingTools: 0 };
  let text: string;
  try {
    text = applyChatTemplate(t, r.messages, r.tools);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err), missingCalls: calls.length, stringArguments: 0, missingResults: results.length, missingTools: expected.tools.length };
  }
  const blocks = [...text.matchAll(/<tool_call>([\s\S]*?)<\/tool_call>/g)].map((m) => m[1]).filter((b) => b.trim().startsWith('{') && !/<function-name>/.test(b));
  check.stringArguments = blocks.filter((b) => /"arguments":\s*"/.test(b)).length;
  calls.forEach((c, i) => {
    const b = blocks[i];
    const named = b !== undefined && (b.includes(`"name": ${JSON.stringify(c.name)}`) || b.includes(`"name": "${c.name}"`));
    if (!named || !b.includes(`"arguments": ${pyJson(c.arguments)}`)) check.missingCalls++;
  });
  if (blocks.length > calls.length) check.missingCalls += blocks.length - calls.length;
  const opened = text.split('<tool_response>').length - 1;
  for (const m of results) if (!text.includes(m.content ?? '')) check.missingResults++;
  if (opened !== results.length) check.missingResults += Math.abs(opened - results.length);
  for (const tool of expected.tools) if (!text.includes(`"name": "${tool.name}"`) && !text.includes(`"name": ${JSON.stringify(tool.name)}`)) check.missingTools++;
  return check;
}
