import { parse } from 'yaml';
import { cardFrontMatter, renderDatasetCard, sizeCategory } from './card';
import { histogram } from './format';
import { CHART_IDS, renderReportHtml } from './html';
import { renderReportMarkdown } from './markdown';
import { reportFixture } from './report-fixture';

function frontMatter(card: string): Record<string, any> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
  expect(m).not.toBeNull();
  return parse(m![1]);
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(reportFixture());

  it('has the five charts with stable ids', () => {
    for (const id of CHART_IDS) expect(html).toContain(`<svg id="${id}"`);
    expect(CHART_IDS).toEqual(['chart-scenario-mix', 'chart-samples-per-tool', 'chart-rejections', 'chart-judge-scores', 'chart-usage']);
  });

  it('loads nothing from the network and runs no script', () => {
    expect(html).not.toMatch(/\b(src|href|xlink:href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
  });

  it('escapes every value taken from the data', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('weather &lt;script&gt;alert(1)&lt;/script&gt; &quot;ds&quot;');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('get_alerts&lt;img src=x&gt;');
    expect(html).toContain('duplicate of &quot;s-12&quot;');
  });

  it('says loudly when the build was offline, and not when it was not', () => {
    expect(html).toContain('id="offline-banner"');
    expect(html).toContain('OFFLINE BUILD');
    const online = renderReportHtml(reportFixture({ provider: 'openai', model: 'gpt-5' }));
    expect(online).not.toContain('OFFLINE BUILD');
    expect(online).toContain('gpt-5');
  });

  it('draws one bar per scenario and series, per tool, and per rejection reason', () => {
    const svg = (id: string) => new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html)![0];
    expect(svg('chart-scenario-mix').match(/<rect [^>]*><title>/g)).toHaveLength(12);
    expect(svg('chart-scenario-mix')).toContain('<title>standard target: 55%</title>');
    expect(svg('chart-scenario-mix')).toContain('<title>standard actual: 55%</title>');
    expect(svg('chart-samples-per-tool').match(/<title>/g)).toHaveLength(3);
    expect(svg('chart-rejections').match(/<title>/g)).toHaveLength(2);
    expect(svg('chart-usage')).toContain('$1.23');
    expect(svg('chart-judge-scores')).toContain('min 0.8');
  });

  it('renders empty data without failing and marks missed thresholds', () => {
    const bare = renderReportHtml(
      reportFixture({
        scenarioMix: [],
        samplesPerTool: [],
        rejections: [],
        usage: [],
        judge: { enabled: false, minScore: 0.8 },
        qc: [{ metric: 'parseRate', value: 0.5, threshold: 0.98, comparator: '>=', pass: false }],
      }),
    );
    for (const id of CHART_IDS) expect(bare).toContain(`<svg id="${id}"`);
    expect(bare.match(/No data/g)).toHaveLength(5);
    expect(bare).toContain('QC gate missed: parseRate');
    expect(bare).toContain('MISS');
  });

  it('gives the same bytes for the same data', () => {
    expect(renderReportHtml(reportFixture())).toBe(html);
  });
});

describe('renderReportMarkdown', () => {
  it('has the tables, escapes pipes and flags the offline build', () => {
    const md = renderReportMarkdown(reportFixture());
    expect(md).toContain('OFFLINE BUILD');
    expect(md).toContain('| parseRate | 0.997 | >= 0.98 | pass |');
    expect(md).toContain('| train rows | 1,139 |');
    expect(md).toContain('| `hermes/eval.jsonl` | 126 |');
    expect(md).toContain('| total | 2,700 | 12 | 2,200,000 | 1,550,000 (70.5%) | 180,000 | 50,000 | $1.93 |');
    expect(md).not.toMatch(/\| schema: \/days must be <= 10 \|/);
    expect(md).toContain('schema: /days must be &lt;= 10');
  });
});

describe('renderDatasetCard', () => {
  it('has valid Hugging Face front matter with one config per format', () => {
    const fm = frontMatter(renderDatasetCard(reportFixture(), { license: 'apache-2.0' }));
    expect(fm).toMatchObject({
      license: 'apache-2.0',
      language: ['en'],
      task_categories: ['text-generation'],
      tags: ['function-calling', 'tool-use', 'mcp', 'synthetic'],
      size_categories: ['1K<n<10K'],
      pretty_name: 'weather <script>alert(1)</script> "ds"',
    });
    expect(fm.configs).toEqual([
      { config_name: 'hermes', default: true, data_files: [{ split: 'train', path: 'hermes/train.jsonl' }, { split: 'eval', path: 'hermes/eval.jsonl' }] },
      { config_name: 'openai', data_files: [{ split: 'train', path: 'openai/train.jsonl' }, { split: 'eval', path: 'openai/eval.jsonl' }] },
      { config_name: 'sharegpt', data_files: [{ split: 'train', path: 'sharegpt/train.jsonl' }, { split: 'eval', path: 'sharegpt/eval.jsonl' }] },
    ]);
  });

  it('states the counts of the input, file by file', () => {
    const data = reportFixture();
    const card = renderDatasetCard(data);
    expect(frontMatter(card).license).toBe('other');
    for (const f of data.counts.files) expect(card).toContain(`| ${f.format} | ${f.split} | \`${f.path}\` | ${f.rows.toLocaleString('en-US')} |`);
    expect(card).toContain('| train rows | 1,139 |');
    expect(card).toContain('| eval rows | 126 |');
    expect(card).toContain('| rejected by QC | 40 |');
    expect(card).toContain('1,265 conversations (1,139 train, 126 eval)');
    expect(card).toContain('[!WARNING]');
    expect(card).not.toMatch(/build time|125000/);
  });

  it('keeps markup from the data as text in the body', () => {
    const body = renderDatasetCard(reportFixture()).split('\n---\n')[1];
    expect(body).not.toContain('<script>');
    expect(body).toContain('# weather &lt;script>alert(1)&lt;/script> "ds"');
    expect(body).toContain('Weather tools | with pipes &amp; ampersands');
    expect(body).toContain('| `get_alerts<img src=x>` | 400 |');
  });

  it('leaves out empty splits and follows the configured formats', () => {
    const data = reportFixture({
      config: { ...reportFixture().config, formats: ['openai'] },
      counts: { ...reportFixture().counts, train: 5, eval: 0, files: [{ format: 'openai', split: 'train', path: 'openai/train.jsonl', rows: 5 }, { format: 'openai', split: 'eval', path: 'openai/eval.jsonl', rows: 0 }] },
    });
    const fm = cardFrontMatter(data);
    expect(fm.configs).toEqual([{ config_name: 'openai', default: true, data_files: [{ split: 'train', path: 'openai/train.jsonl' }] }]);
    expect(fm.size_categories).toEqual(['n<1K']);
    expect(frontMatter(renderDatasetCard(data)).configs).toEqual(fm.configs);
  });
});

describe('helpers', () => {
  it('shows row lengths in tokens, the tool list share and the rows dropped over output.maxTokens', () => {
    const data = reportFixture();
    const md = renderReportMarkdown(data);
    const html = renderReportHtml(data);
    const card = renderDatasetCard(data);
    for (const text of [md, card]) {
      expect(text).toContain('| median tokens | 1,630 |');
      expect(text).toContain('| p95 tokens | 2,950 |');
      expect(text).toContain('| tool list share of all tokens | 61.2% |');
      expect(text).toContain('| rows dropped over it | 7 |');
      expect(text).toContain('o200k_base (npm gpt-tokenizer 4.0.0)');
    }
    expect(html).toContain('<td>max tokens</td><td class="n">3,790</td>');
    expect(html).toContain('<td>output.maxTokens</td><td class="n">4,096</td>');
    expect(md).toContain('| dropped: over output.maxTokens (4,096 tokens) | 7 |');
    // The card's TRL example sets max_length to cover the longest row.
    expect(renderDatasetCard(reportFixture({ config: { ...data.config, formats: ['hf'] } }))).toContain('SFTConfig(max_length=3840)');
    const none = reportFixture({ tokens: undefined });
    expect(renderReportMarkdown(none)).not.toContain('Row lengths');
    expect(renderReportHtml(none)).not.toContain('row-lengths');
  });

  it('uses the Hub size buckets', () => {
    expect([0, 999, 1000, 9999, 10000, 123456, 1e6, 5e9, 2e12].map(sizeCategory)).toEqual([
      'n<1K', 'n<1K', '1K<n<10K', '1K<n<10K', '10K<n<100K', '100K<n<1M', '1M<n<10M', '1B<n<10B', 'n>1T',
    ]);
  });

  it('bins scores over 0..1 with 1.0 in the last bin', () => {
    const bins = histogram([0, 0.05, 0.1, 0.95, 1, NaN]);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
  });
});
