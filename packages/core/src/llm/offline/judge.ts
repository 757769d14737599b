// Rule-based judge of the offline provider: the same rubric as the LLM judge (right tool, grounded
// arguments, faithful answer, natural language, scenario fulfilled), scored from observable facts.
import type { Message, Sample, ToolDef } from '../../types';
import { checkSemantics } from '../../stages/semantic';

function words(text: string | null | undefined): number {
  return (text ?? '').split(/\s+/).filter(Boolean).length;
}

/**
 * Graded deductions for how good a clean row reads, so scores spread instead of all being 1.0: how
 * much of what the results add the answer reports, request and answer length, values rendered as
 * fields ("filter (climate arid)"), and how many tools the row offers.
 */
function quality(sample: Sample, results: string[], reasons: string[]): number {
  let minus = 0;
  const firstUser = sample.messages.find((m) => m.role === 'user')?.content ?? '';
  const n = words(firstUser);
  if (n < 6) {
    minus += 0.04;
    reasons.push('very short request');
  } else if (n > 60) {
    minus += 0.04;
    reasons.push('long-winded request');
  }
  if (/\w \([a-z ]+ [^)]*\)/i.test(firstUser)) {
    minus += 0.03;
    reasons.push('request reads like a form (field names with values)');
  }
  const answers = sample.messages.filter((m: Message) => m.role === 'assistant' && !m.tool_calls?.length).map((m) => m.content ?? '');
  const last = answers[answers.length - 1] ?? '';
  if (words(last) < 8) {
    minus += 0.04;
    reasons.push('terse answer');
  } else if (words(last) > 90) {
    minus += 0.03;
    reasons.push('long answer');
  }
  if (results.length && !['error', 'ambiguous'].includes(sample.scenario)) {
    const asked = sample.messages.filter((m) => m.role === 'user').map((m) => m.content ?? '').join(' ').toLowerCase();
    const fresh = [...new Set(results.join(' ').match(/[A-Za-z0-9][\w.-]{2,}/g) ?? [])].filter((w) => !asked.includes(w.toLowerCase()) && !/^(status|items|count|title|updated|true|false|null)$/i.test(w));
    const used = fresh.filter((w) => last.toLowerCase().includes(w.toLowerCase())).length;
    const missing = Math.max(0, Math.min(3, fresh.length) - used);
    if (missing) {
      minus += 0.025 * missing;
      reasons.push(`answer reports ${used} of the values the results add`);
    }
  }
  if ((sample.tools?.length ?? 0) > 10) {
    minus += 0.03;
    reasons.push(`offers ${sample.tools.length} tools`);
  }
  return minus;
}

function scalarValues(v: unknown, out: string[] = []): string[] {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) v.forEach((x) => scalarValues(x, out));
  else if (typeof v === 'object') Object.values(v as Record<string, unknown>).forEach((x) => scalarValues(x, out));
  else out.push(String(v));
  return out;
}

export function judgeByRules(sample: Sample, tools: ToolDef[]): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 1;
  const known = new Set(tools.map((t) => t.name));
  const userText = sample.messages.filter((m) => m.role === 'user').map((m) => m.content ?? '').join('\n').toLowerCase();
  const calls = sample.messages.flatMap((m) => m.tool_calls ?? []);
  const last = sample.messages[sample.messages.length - 1];

  if (!userText.trim()) {
    score -= 0.5;
    reasons.push('no user request');
  }
  if (calls.some((c) => !known.has(c.name))) {
    score -= 0.4;
    reasons.push('calls a tool that is not offered');
  }
  // Grounding: argument values should come from what the user said, or (a later call of a sequence)
  // from what an earlier call returned.
  const resultText = sample.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '').join('\n').toLowerCase();
  const values = calls.flatMap((c) => scalarValues(c.arguments)).filter((v) => v.length > 0 && v.length < 200);
  const ungrounded = values.filter((v) => !userText.includes(v.toLowerCase()) && !resultText.includes(v.toLowerCase()));
  if (values.length && ungrounded.length) {
    score -= Math.min(0.3, (0.3 * ungrounded.length) / values.length);
    reasons.push(`arguments not mentioned by the user: ${ungrounded.slice(0, 3).join(', ')}`);
  }
  // Faithfulness: the final answer should reflect the last tool result.
  const results = sample.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
  if (last?.role === 'assistant' && !last.tool_calls?.length && results.length && sample.scenario !== 'ambiguous') {
    const answer = (last.content ?? '').toLowerCase();
    const words = results.join(' ').toLowerCase().match(/[a-z0-9][a-z0-9.\-]{2,}/g) ?? [];
    if (words.length && !words.some((w) => answer.includes(w))) {
      score -= 0.2;
      reasons.push('final answer does not reflect the tool result');
    }
  }
  if (last?.role !== 'assistant' || !(last.content ?? '').trim()) {
    score -= 0.3;
    reasons.push('conversation does not end with an assistant answer');
  }
  if (sample.scenario === 'ambiguous' && !sample.messages.some((m) => m.role === 'assistant' && /\?\s*$/.test(m.content ?? ''))) {
    score -= 0.3;
    reasons.push('no clarifying question');
  }
  // The semantic rule checks, as a judge would notice them (ungrounded answer, contradicting result, ...).
  const semantic = checkSemantics(sample, new Map(tools.map((t) => [t.name, t])));
  if (semantic.length) {
    score -= Math.min(0.6, 0.3 * semantic.length);
    reasons.push(...semantic.map((r) => r.slice(0, 120)));
  }
  score -= quality(sample, results, reasons);
  return { score: Math.max(0, Math.round(score * 1000) / 1000), reasons };
}
