// Structured outputs that a model fills with words, not data: a schema whose main field is free text
// (`{message}`, `{answer}`, `{result}`...) gets a composed turn (compose.ts), and a judge-like schema
// (a score and reasons) gets a verdict on the conversation shown (judge-reply.ts). Other fields of the
// same schema, and every other schema, are generated from the schema as before.
import { readBrief } from './brief';
import type { ChatRequest } from './chat-request';
import { composeTurn, turnKind } from './compose';
import { judgeVerdict } from './judge-reply';
import type { Rng } from './rng';
import { resolveRef } from './strict-schema';
import { textReply } from './text-reply';
import { schemaValidator } from './validator';
import { generateValue } from './value-generator';
import { messageText } from './chat-messages';

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);

const TEXT_FIELDS = ['message', 'text', 'answer', 'reply', 'content', 'request', 'question', 'response', 'utterance', 'turn', 'paraphrase', 'rewrite', 'rewritten', 'result', 'output', 'error'];
const SCORE_FIELDS = /^(score|rating|grade|quality)$/i;
const REASON_FIELDS = /^(reasons?|feedback|problems|issues|notes|explanation|rationale|comments?)$/i;

function root(schema: Schema): Schema {
  return typeof schema.$ref === 'string' && isSchema(resolveRef(schema, schema.$ref)) ? (resolveRef(schema, schema.$ref) as Schema) : schema;
}

function isPlainString(node: unknown, top: Schema): boolean {
  const n = isSchema(node) && typeof node.$ref === 'string' ? resolveRef(top, node.$ref) : node;
  if (!isSchema(n) || 'enum' in n || 'const' in n || 'format' in n || 'pattern' in n) return false;
  return n.type === 'string' || (Array.isArray(n.type) && n.type.includes('string'));
}

/** The free-text field of a schema: the first property with a text-like name that is a plain string. */
export function textField(schema: Schema): string | undefined {
  const node = root(schema);
  const props = isSchema(node.properties) ? node.properties : {};
  const keys = Object.keys(props);
  return TEXT_FIELDS.map((name) => keys.find((k) => k.toLowerCase() === name)).find((k) => k !== undefined && isPlainString(props[k], schema));
}

function judgeFields(schema: Schema): { score: string; reasons?: string } | undefined {
  const node = root(schema);
  const props = isSchema(node.properties) ? node.properties : {};
  const score = Object.keys(props).find((k) => SCORE_FIELDS.test(k) && isSchema(props[k]) && ['number', 'integer'].includes(String(props[k].type)));
  const reasons = Object.keys(props).find((k) => REASON_FIELDS.test(k));
  return score && reasons ? { score, reasons } : undefined;
}

function fitText(node: unknown, text: string): string {
  const max = isSchema(node) && typeof node.maxLength === 'number' ? node.maxLength : Infinity;
  return text.length > max ? text.slice(0, max) : text;
}

/**
 * Content for a json_schema response when the schema asks for words (see above); undefined when it
 * does not, or when the composed value would not validate (the caller then generates from the schema).
 */
export function composeStructured(req: ChatRequest, schema: Schema, strict: boolean, rng: Rng): unknown {
  const judge = judgeFields(schema);
  const text = judge ? undefined : textField(schema);
  if (!judge && !text) return undefined;
  const brief = readBrief(req.messages, req.tools);
  const value = generateValue(schema, { rng: rng.fork('other-fields'), strict }) as Record<string, unknown>;
  if (!isSchema(value)) return undefined;
  const props = (root(schema).properties ?? {}) as Schema;
  if (judge) {
    const verdict = judgeVerdict(brief, rng);
    const scoreNode = isSchema(props[judge.score]) ? (props[judge.score] as Schema) : {};
    const max = typeof scoreNode.maximum === 'number' ? scoreNode.maximum : 1;
    value[judge.score] = scoreNode.type === 'integer' ? Math.round(verdict.score * max) : verdict.score * max;
    const reasonsNode = isSchema(props[judge.reasons!]) ? (props[judge.reasons!] as Schema) : {};
    value[judge.reasons!] = reasonsNode.type === 'array' ? verdict.reasons : verdict.reasons.join(' ');
  } else {
    const kind = turnKind(brief, text!);
    const unknownContext = kind === 'direct' && !brief.tools.length && !brief.fields.size;
    const last = [...req.messages].reverse().find((m) => m.role === 'user');
    const words = unknownContext ? textReply(req.messages, last ? messageText(last) : '', req.verbosity, rng) : composeTurn(brief, kind, rng);
    value[text!] = fitText(props[text!], words);
  }
  const validate = schemaValidator(schema);
  return !validate || validate(value) ? value : undefined;
}
