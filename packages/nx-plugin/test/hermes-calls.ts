// Reads the tool calls of Hermes rows and checks each against the dataset's lock file (the original
// MCP schemas), for the end-to-end tests.
import { readFileSync } from 'node:fs';
import { validateAgainst } from '../../core/src/schema/validator';
import type { JsonSchema } from '../../core/src/types';

export interface CallCheck {
  rows: { scenario: string; messages: { role: string; content: string }[] }[];
  calls: number;
  /** `tool: error` for every call that names an unknown tool or does not validate. */
  problems: string[];
}

export function checkHermesCalls(trainPath: string, lockPath: string): CallCheck {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { tools: { name: string; inputSchema: JsonSchema }[] };
  const schemas = new Map(lock.tools.map((t) => [t.name, t.inputSchema]));
  const rows = readFileSync(trainPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) as CallCheck['rows'];
  const problems: string[] = [];
  let calls = 0;
  for (const row of rows) {
    for (const m of row.messages.filter((x) => x.role === 'assistant')) {
      for (const block of m.content.matchAll(/<tool_call>\n([\s\S]*?)\n<\/tool_call>/g)) {
        const call = JSON.parse(block[1]) as { name: string; arguments: unknown };
        calls++;
        const schema = schemas.get(call.name);
        if (!schema) problems.push(`${call.name}: not in the lock file`);
        else problems.push(...validateAgainst(schema, call.arguments).errors.map((e) => `${call.name}: ${e}`));
      }
    }
  }
  return { rows, calls, problems };
}
