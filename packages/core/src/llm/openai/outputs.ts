// Output shapes of the non-text requests: a simulated tool result (the tool's outputSchema, strict
// when it can be made strict, else sent non-strict and validated against the original; a
// {result} text when the tool has none; an {error} text for a failing call) and the judge's verdict.
import type { JsonSchema, ToolDef } from '../../types';
import { normalizeSchema, unwrapArguments } from '../../schema/normalize';
import { strictify } from '../../schema/strictify';
import { unstrictify } from '../../schema/unstrictify';
import type { OutputSpec } from './structured';
import { apiName } from './tool-functions';

export interface ResultSpec {
  kind: 'error' | 'text' | 'schema';
  output: OutputSpec;
  /** The normalized outputSchema (validation of non-strict results; unstrictify). */
  original?: JsonSchema;
  wrapped?: boolean;
}

const textObject = (key: string, description: string): Record<string, unknown> => ({
  type: 'object',
  properties: { [key]: { type: 'string', description } },
  required: [key],
  additionalProperties: false,
});

export function resultSpec(tool: ToolDef, failing: boolean): ResultSpec {
  if (failing) {
    return { kind: 'error', output: { name: apiName(tool.name, '_error'), strict: true, schema: textObject('error', 'The error message the tool returns.') } };
  }
  if (tool.outputSchema && typeof tool.outputSchema === 'object') {
    const norm = normalizeSchema(tool.outputSchema, tool.name);
    const conv = strictify(norm.schema);
    return {
      kind: 'schema',
      output: { name: apiName(tool.name, '_result'), strict: conv.strict, schema: conv.schema as Record<string, unknown> },
      original: norm.schema,
      wrapped: norm.wrapped,
    };
  }
  return { kind: 'text', output: { name: apiName(tool.name, '_result'), strict: true, schema: textObject('result', "The tool's output text, as the tool returns it (JSON text when it returns data).") } };
}

/** The tool message content for a structured result. */
export function readResult(value: unknown, spec: ResultSpec): string {
  const v = value as Record<string, unknown>;
  if (spec.kind === 'error') return String(v.error);
  if (spec.kind === 'text') return String(v.result);
  const shaped = unwrapArguments(unstrictify(value, spec.original!), { wrapped: !!spec.wrapped });
  return JSON.stringify(shaped);
}

export const JUDGE_OUTPUT: OutputSpec = {
  name: 'verdict',
  strict: true,
  schema: {
    type: 'object',
    properties: {
      // No minimum/maximum: compatible servers do not all enforce them; the value is clamped instead.
      score: { type: 'number', description: 'Quality from 0 (wrong) to 1 (flawless).' },
      reasons: { type: 'array', items: { type: 'string' }, description: 'One short reason per problem found, or why it is good.' },
    },
    required: ['score', 'reasons'],
    additionalProperties: false,
  },
};

export function readVerdict(value: unknown): { score: number; reasons: string[] } {
  const v = value as { score: unknown; reasons: unknown };
  const raw = typeof v.score === 'number' && Number.isFinite(v.score) ? v.score : 0;
  const score = Math.round(Math.min(1, Math.max(0, raw)) * 1000) / 1000;
  const reasons = Array.isArray(v.reasons) ? v.reasons.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim()) : [];
  return { score, reasons };
}
