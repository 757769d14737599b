// Rule-based judge of the offline provider: the same rubric as the LLM judge (right tool, grounded
// arguments, faithful answer, natural language, scenario fulfilled), scored from observable facts.
import type { Sample, ToolDef } from '../../types';

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
  // Grounding: argument values should come from what the user said.
  const values = calls.flatMap((c) => scalarValues(c.arguments)).filter((v) => v.length > 0 && v.length < 200);
  const ungrounded = values.filter((v) => !userText.includes(v.toLowerCase()));
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
  return { score: Math.max(0, Math.round(score * 1000) / 1000), reasons };
}
