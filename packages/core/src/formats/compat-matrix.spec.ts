// The compatibility matrix: every format x every real chat template (__fixtures__/chat-templates),
// over 100% of the rows of the three datasets of this repository, rendered as transformers renders
// them (transformers-render.ts). A pair is either "works" (0 render errors, 0 string-encoded
// arguments, 0 missing calls, results or tools on every row) or "not meant for it" (the template
// does not read that format's shape, and rows show it); the README's table must say the same.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { FORMATS } from './index';
import { buildRepoDataset, cleanupRepoDatasets, REPO_DATASETS, type RepoDatasetBuild } from './repo-datasets';
import { checkRender, loadChatTemplates } from './transformers-render';
import { FORMAT_NAMES, type FormatName } from './types';
import { REPO } from './weather-build';

type Compat = 'works' | 'not meant for it';

interface Tally {
  rows: number;
  calls: number;
  results: number;
  errors: number;
  stringArguments: number;
  missingCalls: number;
  missingResults: number;
  missingTools: number;
  firstProblem?: string;
}

const templates = loadChatTemplates();

/** The README's matrix (between the compat-matrix markers): format -> template -> status. */
function readmeMatrix(): Record<string, Record<string, string>> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const m = /<!-- compat-matrix:start -->([\s\S]*?)<!-- compat-matrix:end -->/.exec(readme);
  if (!m) throw new Error('README.md has no compat-matrix section');
  const lines = m[1].split('\n').filter((l) => l.trim().startsWith('|'));
  const cells = (l: string) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim().replace(/`/g, ''));
  const head = cells(lines[0]).slice(1);
  const out: Record<string, Record<string, string>> = {};
  for (const l of lines.slice(2)) {
    const [format, ...status] = cells(l);
    out[format.split(' ')[0]] = Object.fromEntries(head.map((h, i) => [h, status[i]]));
  }
  return out;
}

let builds: RepoDatasetBuild[];
const expected = readmeMatrix();

function tallyPair(format: FormatName, templateName: string, stopAtFirstProblem: boolean): Tally {
  const t = templates.find((x) => x.name === templateName)!;
  const tally: Tally = { rows: 0, calls: 0, results: 0, errors: 0, stringArguments: 0, missingCalls: 0, missingResults: 0, missingTools: 0 };
  for (const b of builds) {
    for (const row of b.rows(format)) {
      const parsed = FORMATS[format].parse(row);
      const c = checkRender(t, row, parsed);
      tally.rows++;
      tally.calls += parsed.messages.reduce((n, m) => n + (m.tool_calls?.length ?? 0), 0);
      tally.results += parsed.messages.filter((m) => m.role === 'tool').length;
      if (c.error) tally.errors++;
      tally.stringArguments += c.stringArguments;
      tally.missingCalls += c.missingCalls;
      tally.missingResults += c.missingResults;
      tally.missingTools += c.missingTools;
      if (c.error || c.stringArguments || c.missingCalls || c.missingResults || c.missingTools) {
        tally.firstProblem ??= `${b.name}: ${c.error ?? JSON.stringify(c)}`;
        if (stopAtFirstProblem) return tally;
      }
    }
  }
  return tally;
}

beforeAll(async () => {
  builds = [];
  for (const name of REPO_DATASETS) builds.push(await buildRepoDataset(name));
}, 180_000);

afterAll(cleanupRepoDatasets);

describe('compatibility matrix (README) over the three repository datasets', () => {
  it('lists every format and every template fixture', () => {
    expect(Object.keys(expected).sort()).toEqual([...FORMAT_NAMES].sort());
    for (const format of FORMAT_NAMES) expect(Object.keys(expected[format]).sort()).toEqual(templates.map((t) => t.name).sort());
    expect(templates.length).toBeGreaterThanOrEqual(5);
  });

  it('builds every dataset with rows that call tools and get results', () => {
    for (const b of builds) {
      const rows = b.rows('hf').map((r) => FORMATS.hf.parse(r));
      expect(rows.length).toBeGreaterThan(100);
      expect(rows.filter((r) => r.messages.some((m) => m.tool_calls?.length)).length).toBeGreaterThan(rows.length / 2);
      for (const format of FORMAT_NAMES) expect(b.rows(format).length).toBe(rows.length);
    }
  });

  const pairs = FORMAT_NAMES.flatMap((format) => templates.map((t) => [format, t.name] as const));
  it.each(pairs)('%s under %s is what the README says', (format, templateName) => {
    const status = expected[format]?.[templateName] as Compat | undefined;
    expect(['works', 'not meant for it']).toContain(status);
    const tally = tallyPair(format, templateName, status !== 'works');
    if (status === 'works') {
      // 100% of the rows: nothing raises, no string-encoded arguments, no missing call/result/tool.
      expect(tally).toEqual({ ...tally, errors: 0, stringArguments: 0, missingCalls: 0, missingResults: 0, missingTools: 0, firstProblem: undefined });
      expect(tally.rows).toBe(builds.reduce((n, b) => n + b.rows(format).length, 0));
      expect(tally.calls).toBeGreaterThan(0);
      expect(tally.results).toBeGreaterThan(0);
    } else {
      // "Not meant for it" is only claimed where rows really fail.
      expect(tally.firstProblem).toBeDefined();
    }
  }, 60_000);
});

describe('dataset card loaders match the shape written', () => {
  const blocks = (card: string, lang: string) => [...card.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]);

  it.each(REPO_DATASETS.map((n) => [n]))('%s: datasets, Axolotl and LLaMA-Factory entries point at real files with the right columns', async (name) => {
    const b = await buildRepoDataset(name);
    const card = readFileSync(join(b.out, 'README.md'), 'utf8');
    // hf first: the recommended format, with the TRL example and the Axolotl entry.
    expect(card.indexOf('### hf (recommended for open-weight models)')).toBeGreaterThan(0);
    const python = blocks(card, 'python').join('\n');
    const dataFiles = [...python.matchAll(/load_dataset\("json", data_files=(\{[^}]*\})\)/g)].map((m) => JSON.parse(m[1]) as Record<string, string>);
    expect(dataFiles.map((d) => d.train)).toEqual(expect.arrayContaining(['hf/train.jsonl', 'hermes/train.jsonl']));
    for (const d of dataFiles) for (const path of Object.values(d)) expect(existsSync(join(b.out, path))).toBe(true);
    const hfRows = b.rows('hf') as Record<string, unknown>[];

    const axolotl = parseYaml(blocks(card, 'yaml')[0]).datasets[0];
    expect(axolotl).toMatchObject({ ds_type: 'json', type: 'chat_template' });
    expect(existsSync(join(b.out, axolotl.path))).toBe(true);
    for (const row of hfRows) {
      expect(Array.isArray(row[axolotl.field_messages])).toBe(true);
      expect(Array.isArray(row[axolotl.field_tools])).toBe(true);
    }

    const info = JSON.parse(blocks(card, 'json')[0]) as Record<string, any>;
    const entries = Object.values(info);
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.formatting).toBe('sharegpt');
      expect(existsSync(join(b.out, entry.file_name))).toBe(true);
      const rows = [...readFileSync(join(b.out, entry.file_name), 'utf8').split('\n').filter(Boolean)].map((l) => JSON.parse(l));
      const tags = new Set(Object.entries(entry.tags).filter(([k]) => k.endsWith('_tag') && !['role_tag', 'content_tag'].includes(k)).map(([, v]) => v));
      for (const row of rows) {
        expect(typeof row[entry.columns.tools]).toBe('string');
        for (const turn of row[entry.columns.messages]) {
          expect(tags.has(turn[entry.tags.role_tag])).toBe(true);
          expect(typeof turn[entry.tags.content_tag]).toBe('string');
        }
      }
    }
    expect(card).toContain('### openai (OpenAI fine-tuning API)');
    expect(card).not.toMatch(/sharegpt[^\n]*Axolotl/);
  });
});
