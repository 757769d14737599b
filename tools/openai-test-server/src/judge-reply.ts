// A judge's verdict on the conversation a request shows: a high score unless the conversation has
// problems a reviewer would see at a glance (empty turns, no final answer, an answer that uses
// nothing from the tool results, no question where one is needed, a failure not acknowledged,
// user turns that read like instructions, a turn repeated word for word).
import { field, isFailure, type Brief, type Turn } from './brief';
import type { Rng } from './rng';

const GOOD = [
  'The right tool is called with values taken from the request, and the answer reports the result faithfully.',
  'Natural request, grounded arguments and a faithful, concise answer.',
  'The conversation does what its scenario asks, with no invented values.',
  'Clear turns; the assistant stays grounded in what the user and the tools said.',
];

/** Words and numbers of a text that carry content (to compare an answer with the results). */
function facts(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/-?\d+(?:\.\d+)?|[A-Za-z][A-Za-z'-]{3,}/g)) out.add(m[0].toLowerCase());
  return out;
}

function problems(turns: Turn[], scenario: string): string[] {
  const found: string[] = [];
  const texts = turns.filter((t) => !t.calls?.length);
  if (!turns.length) return ['The conversation is empty.'];
  if (texts.some((t) => !t.text.trim())) found.push('A turn is empty.');
  const last = turns[turns.length - 1];
  if (last.role !== 'assistant' || last.calls?.length) found.push('The conversation does not end with an answer from the assistant.');
  for (const t of turns) {
    if (t.role === 'user' && (/^\s*[-*]\s+for\s+\w+:/m.test(t.text) || (t.text.match(/\b\w+ = ["\d[{]/g) ?? []).length >= 2)) {
      found.push('A user turn reads like instructions rather than a person asking.');
      break;
    }
  }
  // Tool results may repeat (the same call twice in parallel); what people write should not.
  const spoken = texts.filter((t) => t.role !== 'tool');
  for (let i = 1; i < spoken.length; i++) {
    if (spoken[i].text.trim() && spoken[i].text.trim() === spoken[i - 1].text.trim()) found.push('A turn repeats the previous one word for word.');
  }
  turns.forEach((t, i) => {
    if (t.role !== 'assistant' || t.calls?.length || i === 0) return;
    const results: Turn[] = [];
    for (let j = i - 1; j >= 0 && turns[j].role === 'tool'; j--) results.push(turns[j]);
    if (!results.length) return;
    if (results.some((r) => isFailure(r.text))) {
      if (!/sorry|could not|couldn't|unable|failed|did not work|unfortunately|error/i.test(t.text)) found.push('The assistant does not acknowledge the failed call.');
      return;
    }
    const known = new Set(results.flatMap((r) => [...facts(r.text)]));
    if (![...facts(t.text)].some((w) => known.has(w))) found.push('The answer uses nothing from the tool results.');
  });
  if (scenario === 'ambiguous') {
    const firstCall = turns.findIndex((t) => t.calls?.length);
    const before = firstCall < 0 ? turns : turns.slice(0, firstCall);
    if (!before.some((t) => t.role === 'assistant' && t.text.trim().endsWith('?'))) found.push('The assistant does not ask for the missing value.');
  }
  return found;
}

export function judgeVerdict(brief: Brief, rng: Rng): { score: number; reasons: string[] } {
  const scenario = (field(brief, /scenario/) ?? '').trim().split(/[:\s]/)[0].toLowerCase();
  const found = problems(brief.turns, scenario);
  if (!found.length) return { score: Math.round((0.88 + 0.12 * rng.next()) * 100) / 100, reasons: [rng.pick(GOOD)] };
  return { score: Math.max(0.05, Math.round((0.7 - 0.25 * found.length + 0.05 * rng.next()) * 100) / 100), reasons: found };
}
