// Acceptance (issue 5): the mix, the grouped train/eval split and the dataset card of a real offline
// weather build with human rows mixed in (mix.real), checked over the written files.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { buildWeatherDataset, type WeatherBuild } from '../formats/weather-build';
import { fromOpenAI } from '../formats/openai';
import { fromHermes } from '../formats/hermes';
import { TOOLS_PREAMBLE } from '../formats/prompt';
import { toFunctionDef } from '../formats/tools';
import { loadConfig } from '../config';
import { realSamples } from './real';
import { jsonl, REAL_HERMES_ROWS, REAL_OPENAI_ROWS, REAL_ROW_COUNT } from './real-rows';

const MAX_AUGMENTED_SHARE = 0.25;
const FORMATS = ['hermes', 'openai', 'sharegpt'] as const;
const options = {
  samples: 100,
  factor: 3,
  mix: [`maxAugmentedShare: ${MAX_AUGMENTED_SHARE}`, 'real:', '  - path: human-hermes.jsonl', '  - path: human-openai.jsonl', 'split: { eval: 0.15 }'],
  files: { 'human-hermes.jsonl': jsonl(REAL_HERMES_ROWS), 'human-openai.jsonl': jsonl(REAL_OPENAI_ROWS) },
};

let build: WeatherBuild;
let again: WeatherBuild;
beforeAll(async () => {
  build = await buildWeatherDataset(options);
  again = await buildWeatherDataset(options);
}, 60_000);
afterAll(() => {
  build?.cleanup();
  again?.cleanup();
});

function lineCount(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('train/eval split', () => {
  it('keeps every seed family on one side, and both sides non-empty', () => {
    const family = new Map(build.accepted.map((s) => [s.id, s.seedId]));
    const familiesOf = (split: string) => {
      const fams = new Set<string>();
      for (const row of build.rows(`hermes/${split}.jsonl`)) {
        // Real rows are not in accepted.jsonl: each is its own family.
        const fam = row.source === 'real' ? row.id : family.get(row.id);
        expect({ id: row.id, fam }).toEqual({ id: row.id, fam: expect.any(String) });
        if (row.source === 'augmented') expect(row.id).toMatch(new RegExp(`^${fam}-a\\d+$`));
        fams.add(fam!);
      }
      return fams;
    };
    const train = familiesOf('train');
    const evalSet = familiesOf('eval');
    expect(train.size).toBeGreaterThan(0);
    expect(evalSet.size).toBeGreaterThan(0);
    expect([...evalSet].filter((f) => train.has(f))).toEqual([]);
    // Families that kept augmented rows really are split as wholes (not only single-row families).
    const augmentedEval = build.rows('hermes/eval.jsonl').filter((r) => r.source === 'augmented');
    expect(augmentedEval.length).toBeGreaterThan(0);
  });

  it('writes the same rows in the same order in every format', () => {
    for (const split of ['train', 'eval']) {
      const n = lineCount(join(build.out, `hermes/${split}.jsonl`));
      for (const f of FORMATS) expect({ f, split, n: lineCount(join(build.out, `${f}/${split}.jsonl`)) }).toEqual({ f, split, n });
      // The top-level copy is the first configured format.
      expect(build.text(`${split}.jsonl`)).toBe(build.text(`hermes/${split}.jsonl`));
    }
  });

  it('is deterministic: a second build writes byte-identical files', () => {
    const files = filesUnder(build.out).map((p) => relative(build.out, p)).sort();
    expect(filesUnder(again.out).map((p) => relative(again.out, p)).sort()).toEqual(files);
    expect(files).toEqual(expect.arrayContaining(['hermes/train.jsonl', 'openai/eval.jsonl', 'sharegpt/train.jsonl', 'README.md', 'report.html', 'report.json']));
    const differing = files.filter((f) => !readFileSync(join(build.out, f)).equals(readFileSync(join(again.out, f))));
    expect(differing).toEqual([]);
  });
});

describe('mix', () => {
  it('keeps the augmented share at or under mix.maxAugmentedShare and counts what it dropped', () => {
    const rows = [...build.rows('hermes/train.jsonl'), ...build.rows('hermes/eval.jsonl')];
    const augmented = rows.filter((r) => r.source === 'augmented').length;
    expect(augmented / rows.length).toBeLessThanOrEqual(MAX_AUGMENTED_SHARE);
    // The cap binds (there were more augmented rows than it allows) and is used nearly in full.
    expect(augmented / rows.length).toBeGreaterThan(MAX_AUGMENTED_SHARE - 0.02);
    const acceptedAugmented = build.accepted.filter((s) => s.source === 'augmented').length;
    const report = JSON.parse(build.text('report.json'));
    expect(report.counts.droppedAugmented).toBe(acceptedAugmented - augmented);
    expect(report.counts.droppedAugmented).toBeGreaterThan(0);
    expect(report.counts.augmented).toBe(augmented);
    expect(report.counts.seeds).toBe(rows.filter((r) => r.source === 'seed').length);
    expect(report.counts.train + report.counts.eval).toBe(rows.length);
  });

  it('mixes in every mix.real row with source real, counted, with its text, calls and system prompt', () => {
    const rows = [...build.rows('hermes/train.jsonl'), ...build.rows('hermes/eval.jsonl')];
    const real = rows.filter((r) => r.source === 'real');
    expect(real).toHaveLength(REAL_ROW_COUNT);
    expect(JSON.parse(build.text('report.json')).counts.real).toBe(REAL_ROW_COUNT);
    expect(real.map((r) => r.id)).toContain('human-oslo');
    for (const tag of ['HUMAN-1', 'HUMAN-2', 'HUMAN-3', 'HUMAN-4']) {
      expect({ tag, rows: real.filter((r) => r.messages.some((m: { content: string }) => m.content.startsWith(tag))).length }).toEqual({ tag, rows: 1 });
    }
    const openai = [...build.rows('openai/train.jsonl'), ...build.rows('openai/eval.jsonl')];
    const human = (tag: string) => openai.find((r) => r.messages.some((m: { role: string; content: string }) => m.role === 'user' && m.content.startsWith(tag)));
    const reykjavik = fromOpenAI(human('HUMAN-3'));
    expect(reykjavik.messages[0]).toEqual({ role: 'system', content: 'You are WeatherBot for a travel agency. Keep answers short.' });
    expect(reykjavik.messages.flatMap((m) => m.tool_calls ?? []).map((c) => [c.name, c.arguments])).toEqual([['get_current_weather', { city: 'Reykjavik', units: 'celsius' }]]);
    const parallel = fromOpenAI(human('HUMAN-4'));
    expect(parallel.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.arguments)).toEqual([{ city: 'Rome' }, { city: 'Madrid' }]);
    expect(parallel.tools.map((t) => t.name)).toEqual(['get_current_weather', 'get_forecast']);
    const oslo = real.find((r) => r.id === 'human-oslo');
    expect(oslo.scenario).toBe('standard');
    // Nous' prompt is replaced by ours (the tool definitions come from the lock), not kept beside it.
    expect(oslo.messages[0].content.startsWith(TOOLS_PREAMBLE)).toBe(true);
    expect(oslo.messages[0].content).not.toContain('function calling AI model');
    expect(fromHermes(oslo).tools).toEqual([toFunctionDef(build.tools.find((t) => t.name === 'get_forecast')!)]);
  });
});

describe('mix.real rows that cannot go in as they are', () => {
  async function realFrom(rows: unknown[] | undefined, name = 'odd.jsonl') {
    if (rows) writeFileSync(join(build.dir, name), jsonl(rows));
    const cfg = await loadConfig(build.dir, { workspaceRoot: build.root });
    return realSamples({ ...cfg, mix: { ...cfg.mix, real: [{ path: name }] } }, build.root, build.tools.map((t) => t.name));
  }
  const call = (name: string, args: string) => ({ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name, arguments: args } }] });
  const turns = (name: string, args: string) => [{ role: 'user', content: 'hi' }, call(name, args), { role: 'tool', tool_call_id: 'c1', content: 'ok' }, { role: 'assistant', content: 'done' }];

  it('stop the build with the file and row: a tool the server does not have, a call that does not parse, a missing file', async () => {
    const good = { messages: turns('get_current_weather', '{"city":"Oslo"}') };
    await expect(realFrom([good, { messages: turns('get_moon_phase', '{}') }])).rejects.toThrow(/odd\.jsonl row 2 uses tool "get_moon_phase", which the server does not have/);
    await expect(realFrom([{ messages: turns('get_current_weather', '{"city": "Os') }])).rejects.toThrow(/odd\.jsonl row 1 does not read cleanly: .*not valid JSON/);
    await expect(realFrom(undefined, 'missing.jsonl')).rejects.toThrow(/mix\.real: missing\.jsonl not found/);
  });

  it('offer the tools a row calls when the row lists none', async () => {
    const [s] = await realFrom([{ messages: turns('get_forecast', '{"city":"Oslo"}') }]);
    expect(s.tools).toEqual(['get_forecast']);
    expect(s.source).toBe('real');
  });
});

describe('dataset card (README.md)', () => {
  const HUB_SIZE_BUCKETS: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
  ];
  const card = () => build.text('README.md');
  const frontMatter = () => {
    const m = /^---\n([\s\S]*?)\n---\n/.exec(card());
    expect(m).not.toBeNull();
    return parse(m![1]);
  };

  it('has Hugging Face front matter: license, task category, the size bucket of the row count, one config per format', () => {
    const fm = frontMatter();
    expect(typeof fm.license).toBe('string');
    expect(fm.license).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
    expect(fm.task_categories).toEqual(expect.arrayContaining(['text-generation']));
    const rows = lineCount(join(build.out, 'hermes/train.jsonl')) + lineCount(join(build.out, 'hermes/eval.jsonl'));
    expect(fm.size_categories).toEqual([HUB_SIZE_BUCKETS.find(([limit]) => rows < limit)![1]]);
    expect(fm.configs.map((c: { config_name: string }) => c.config_name)).toEqual([...FORMATS]);
    expect(fm.configs.filter((c: { default?: boolean }) => c.default === true).map((c: { config_name: string }) => c.config_name)).toEqual(['hermes']);
    for (const c of fm.configs) {
      expect(c.data_files.map((d: { split: string }) => d.split)).toEqual(['train', 'eval']);
      for (const d of c.data_files) {
        expect(d.split).toMatch(/^\w+(\.\w+)*$/);
        expect({ path: d.path, exists: existsSync(join(build.out, d.path)) }).toEqual({ path: d.path, exists: true });
        expect(d.path.startsWith(`${c.config_name}/`)).toBe(true);
      }
    }
  });

  it('states exactly the line counts of the files it lists', () => {
    const text = card();
    const stated = [...text.matchAll(/^\| (hermes|openai|sharegpt) \| (train|eval) \| `([^`]+)` \| ([\d,]+) \|$/gm)];
    expect(stated).toHaveLength(6);
    for (const [, format, split, path, rows] of stated) {
      expect(path).toBe(`${format}/${split}.jsonl`);
      expect({ path, rows: Number(rows.replace(/,/g, '')) }).toEqual({ path, rows: lineCount(join(build.out, path)) });
    }
    const train = lineCount(join(build.out, 'hermes/train.jsonl'));
    const evalRows = lineCount(join(build.out, 'hermes/eval.jsonl'));
    const summary = /([\d,]+) conversations \(([\d,]+) train, ([\d,]+) eval\)/.exec(text);
    expect(summary?.slice(1).map((n) => Number(n.replace(/,/g, '')))).toEqual([train + evalRows, train, evalRows]);
    expect(text).toMatch(new RegExp(`\\| train rows \\| ${train} \\|`));
    expect(text).toMatch(new RegExp(`\\| eval rows \\| ${evalRows} \\|`));
    expect(text).toMatch(new RegExp(`\\| real \\(human\\) samples \\| ${REAL_ROW_COUNT} \\|`));
  });
});
