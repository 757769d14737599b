// output.maxTokens: a build on a 26-tool server with maxTokens 2048 drops the rows that are longer,
// from every format, and says how many in the log, report.json, report.md, report.html and the card.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAll, usableTools } from '../pipeline';
import { readLock } from '../mcp/lock-file';
import { bufferLogger } from '../util/log';
import type { Sample, ToolDef } from '../types';
import { renderChat } from './chat-template';
import { toHf } from './hf';
import { tokenCount } from './tokens';
import { readJsonlFile } from './weather-build';

const SERVER = join(__dirname, '__fixtures__', 'many-tools-server.js');
let root: string;
let out: string;
let tools: ToolDef[];
let log: string[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'forge-max-tokens-'));
  const dir = join(root, 'datasets', 'tracker');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'forge.yaml'),
    ['server:', '  command: node', `  args: [${JSON.stringify(SERVER)}]`, '  startupTimeoutMs: 20000', 'samples: 52', 'augmentation: { factor: 1 }', 'thresholds: { scenarioTolerance: 0.2 }', 'output:', '  formats: [hf, openai]', '  maxTokens: 2048', 'seed: 3'].join('\n'),
  );
  const l = bufferLogger();
  try {
    await runAll({ config: dir, root, env: { FORGE_CACHE_DIR: join(root, 'cache') }, log: l });
  } finally {
    log = l.lines;
  }
  out = join(root, 'dist', 'datasets', 'tracker');
  tools = usableTools(readLock(join(dir, 'tools.lock.json')).tools);
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('output.maxTokens on a 26-tool server', () => {
  it('drops exactly the rows longer than 2048 tokens, from every format, and says how many', () => {
    expect(tools).toHaveLength(26);
    const accepted = readJsonlFile<Sample>(join(out, 'accepted.jsonl'));
    const lengths = accepted.map((s) => tokenCount(renderChat(toHf(s, tools))));
    const over = lengths.filter((n) => n > 2048).length;
    expect(over).toBeGreaterThan(0);
    expect(over).toBeLessThan(accepted.length);

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.tokens).toMatchObject({ maxTokens: 2048, dropped: over, rows: accepted.length - over });
    expect(report.tokens.max).toBeLessThanOrEqual(2048);
    expect(report.tokens.longestDropped).toBe(Math.max(...lengths));
    expect(report.tokens.toolsShare).toBeGreaterThan(0);
    expect(report.tokens.toolsShare).toBeLessThan(1);
    expect(report.counts.train + report.counts.eval).toBe(accepted.length - over);
    for (const format of ['hf', 'openai']) {
      const rows = [...readJsonlFile(join(out, format, 'train.jsonl')), ...readJsonlFile(join(out, format, 'eval.jsonl'))];
      expect(rows).toHaveLength(accepted.length - over);
    }
    const written = [...readJsonlFile(join(out, 'hf', 'train.jsonl')), ...readJsonlFile(join(out, 'hf', 'eval.jsonl'))];
    expect(Math.max(...written.map((r) => tokenCount(renderChat(r))))).toBe(report.tokens.max);
    const listTokens = written.reduce((n, r) => n + tokenCount(renderChat({ messages: [], tools: r.tools })), 0);
    const allTokens = written.reduce((n, r) => n + tokenCount(renderChat(r)), 0);
    expect(report.tokens.toolsShare).toBeCloseTo(listTokens / allTokens, 6);

    const said = `${over} rows longer than output.maxTokens (2048 tokens`;
    expect(log.some((l) => l.includes(said))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`| rows dropped over it | ${over} |`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`<td>rows dropped over it</td><td class="n">${over}</td>`);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    expect(card).toContain('## Row lengths');
    expect(card).toContain(`| rows dropped over it | ${over} |`);
    expect(card).toContain('o200k_base');
  });
});
