// Plain assistant text built from the conversation: a grounded summary after tool results,
// otherwise a short answer that restates the user's request. Length follows `verbosity`.
import { messageText, type ChatMessage } from './chat-messages';
import type { Rng } from './rng';

const OPENERS = ['Sure.', 'Happy to help.', 'Here is a short answer.', 'Good question.', 'Of course.'];
const FILLERS = [
  'Let me know if you want more detail on any part of it.',
  'I kept the answer brief and focused on what you asked.',
  'If anything looks off, tell me and I will adjust it.',
  'This should cover the main points.',
  'You can ask a follow-up question at any time.',
];

function summariseToolResult(content: string): string {
  try {
    const parsed = JSON.parse(content);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const entries = Object.entries(parsed).slice(0, 4);
      if (entries.length) return entries.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
    }
    if (Array.isArray(parsed)) return `${parsed.length} item${parsed.length === 1 ? '' : 's'}`;
  } catch {
    // plain text result
  }
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

function topicOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const words = flat.split(' ');
  return words.length > 14 ? `${words.slice(0, 14).join(' ')}...` : flat;
}

export function textReply(messages: ChatMessage[], lastUserText: string, verbosity: 'low' | 'medium' | 'high', rng: Rng): string {
  const sentences: string[] = [];
  const toolResults: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--) toolResults.unshift(messageText(messages[i]));
  if (toolResults.length) {
    sentences.push(`Here is what I found: ${toolResults.map(summariseToolResult).join('; ')}.`);
  } else {
    sentences.push(rng.pick(OPENERS));
    sentences.push(lastUserText ? `You asked: "${topicOf(lastUserText)}".` : 'How can I help you today?');
  }
  const extra = verbosity === 'low' ? 0 : verbosity === 'medium' ? 1 : 3;
  for (const f of rng.shuffle(FILLERS).slice(0, extra)) sentences.push(f);
  return sentences.join(' ');
}
