// The dataset card (README.md) with Hugging Face front matter. Layout of the output dir, which the
// writer follows and the card documents (paths relative to the card):
//   <format>/train.jsonl, <format>/eval.jsonl   one folder per format (formatFilePaths)
//   README.md, report.html, report.md           card and build reports
// `configs` has one config per format (the first configured format is the default), with a
// `train` and an `eval` split; a split with no rows is left out (an empty JSONL file fails to load).
// The card holds no build time, so an unchanged build writes the same bytes.
import { stringify } from 'yaml';
import { formatFilePaths } from '../formats';
import type { OutputFormat } from '../config/types';
import { cachedShare, fmtInt, fmtNum, fmtPct, fmtUsd, mdCode, mdTable, mdText, OFFLINE_NOTICE, scenarioTotal, tokenNote, tokenRows, usageTotal } from './format';
import { countsTable, usageTable } from './markdown';
import type { ReportData } from './types';

export interface CardOptions {
  /** Hub license id (e.g. apache-2.0, cc-by-4.0); default `other`. */
  license?: string;
  prettyName?: string;
  /** `owner/name` on the Hub, for the loading example. */
  repoId?: string;
  language?: string[];
  /** Path of the chat template file written beside the card, if any. */
  chatTemplatePath?: string;
}

/** The Hub's size buckets (size_categories). */
export function sizeCategory(n: number): string {
  const buckets: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'],
    [1e10, '1B<n<10B'],
    [1e11, '10B<n<100B'],
    [1e12, '100B<n<1T'],
  ];
  for (const [limit, name] of buckets) if (n < limit) return name;
  return 'n>1T';
}

export function cardFrontMatter(data: ReportData, opts: CardOptions = {}): Record<string, unknown> {
  const formats = data.config.formats;
  const configs = formats.map((format, i) => {
    const paths = formatFilePaths(format);
    const data_files = (['train', 'eval'] as const)
      .filter((split) => rowsOf(data, format, split) > 0)
      .map((split) => ({ split, path: paths[split] }));
    return { config_name: format, ...(i === 0 ? { default: true } : {}), data_files };
  });
  return {
    license: opts.license ?? 'other',
    pretty_name: opts.prettyName ?? data.datasetName,
    language: opts.language ?? ['en'],
    task_categories: ['text-generation'],
    tags: ['function-calling', 'tool-use', 'mcp', 'synthetic'],
    size_categories: [sizeCategory(data.counts.train + data.counts.eval)],
    configs: configs.filter((c) => c.data_files.length > 0),
  };
}

function rowsOf(data: ReportData, format: OutputFormat, split: 'train' | 'eval'): number {
  const file = data.counts.files.find((f) => f.format === format && f.split === split);
  return file ? file.rows : split === 'train' ? data.counts.train : data.counts.eval;
}

export function renderDatasetCard(data: ReportData, opts: CardOptions = {}): string {
  const fm = cardFrontMatter(data, opts);
  const title = String(fm.pretty_name);
  const total = usageTotal(data.usage);
  const mixTotal = scenarioTotal(data);
  const b: string[] = [];
  b.push(`# ${mdText(title.replace(/\s+/g, ' '))}`, '');
  b.push(data.description ? `${mdText(data.description)}\n` : '');
  b.push(
    `A tool-calling (function-calling) fine-tuning dataset for the tools of ${data.servers.length === 1 ? 'one MCP server' : `${data.servers.length} MCP servers`}, ` +
      `built with mcp-forge: ${fmtInt(data.counts.train + data.counts.eval)} conversations (${fmtInt(data.counts.train)} train, ${fmtInt(data.counts.eval)} eval) ` +
      `over ${data.samplesPerTool.length} tools, in ${data.config.formats.join(', ')} format.`,
    '',
  );
  if (data.provider === 'offline') b.push(`> [!WARNING]\n> ${OFFLINE_NOTICE}`, '');

  b.push('## Files', '', mdTable(['format', 'split', 'path', 'rows'], data.counts.files.map((f) => [f.format, f.split, mdCode(f.path), fmtInt(f.rows)])), '');
  b.push('Each format is a config of this dataset; `report.html` and `report.md` beside this card hold the full build report.', '');
  b.push('```python', 'from datasets import load_dataset', '');
  const first = data.config.formats[0];
  if (opts.repoId) b.push(`ds = load_dataset(${JSON.stringify(opts.repoId)}, ${JSON.stringify(first)})`);
  else b.push(`ds = load_dataset("json", data_files=${pyDict(formatFilePaths(first))})`);
  b.push('```', '');
  b.push('## How to use', '');
  b.push(FORMAT_INTRO, '');
  for (const f of data.config.formats) b.push(FORMAT_DOCS[f](opts, data), '');
  if (data.tokens) {
    b.push('## Row lengths', '', mdTable(['statistic', 'value'], tokenRows(data)), '', tokenNote(data), '');
  }

  b.push('## How it was generated', '');
  b.push(`- Servers: ${data.servers.map(mdCode).join(', ') || '(none)'}`);
  b.push(`- Provider: **${data.provider}**${data.provider === 'offline' ? ' (templates and samplers, no model)' : `, model ${mdCode(data.model)}`}`);
  b.push(`- Judge: ${data.judge.enabled ? `${mdCode(data.judge.model ?? '')}, rows below ${fmtNum(data.judge.minScore)} rejected` : 'disabled'}`);
  b.push(`- Seeds: ${fmtInt(data.config.samples)} planned, augmented ×${fmtNum(data.config.augmentationFactor)}; at most ${fmtPct(data.config.maxAugmentedShare, 0)} of the final rows are augmented`);
  b.push(`- Tool results: execution \`${data.config.execution}\` (${EXECUTION_DOCS[data.config.execution] ?? 'see forge.yaml'})`);
  b.push(`- Near-duplicates removed with MinHash-LSH at Jaccard ${fmtNum(data.config.dedupThreshold)}; a seed and its augmentations share a split`);
  b.push(`- Random seed ${data.config.seed}`, '');
  b.push('### Scenarios', '', mdTable(['scenario', 'target share', 'rows', 'actual share'], data.scenarioMix.map((m) => [m.scenario, fmtPct(m.target), fmtInt(m.actual), fmtPct(mixTotal ? m.actual / mixTotal : 0)])), '');
  b.push(SCENARIO_DOCS, '');
  b.push('### Tools', '', data.samplesPerTool.length ? mdTable(['tool', 'rows'], data.samplesPerTool.map((t) => [mdCode(t.tool), fmtInt(t.samples)])) : '_No tools._', '');

  b.push('## Counts', '', countsTable(data), '');
  b.push('## Quality control', '', mdTable(['metric', 'value', 'threshold', 'result'], data.qc.map((m) => [m.metric, fmtNum(m.value), `${m.comparator} ${fmtNum(m.threshold)}`, m.pass ? 'pass' : 'MISS'])), '');
  if (data.rejections.length) b.push('Rejected rows by reason:', '', mdTable(['reason', 'rows'], data.rejections.map((x) => [x.reason, fmtInt(x.count)])), '');
  b.push('## Build cost', '', `Model cost ${fmtUsd(total.usd)}; ${fmtPct(cachedShare(total))} of prompt tokens came from the prompt cache.`, '', usageTable([...data.usage, total]), '');
  b.push('## License', '', licenseText(String(fm.license), data), '');
  return `---\n${stringify(fm, { lineWidth: 0 })}---\n\n${b.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function pyDict(paths: { train: string; eval: string }): string {
  return `{"train": ${JSON.stringify(paths.train)}, "eval": ${JSON.stringify(paths.eval)}}`;
}

const FORMAT_INTRO = [
  'Pick the format your trainer reads: `hf` for Hugging Face chat templates (TRL, Axolotl `chat_template`, Unsloth,',
  '`apply_chat_template`), `openai` for the OpenAI fine-tuning API, `sharegpt` for LLaMA-Factory, `hermes` for plain',
  'ChatML trainers. Tool definitions in these files are template-safe: nullable unions become a single type with',
  '"May be null." in the description, local `$ref`s are inlined and descriptions are cut at 1,024 characters (the MCP',
  "server's original schemas are in `tools.lock.json`).",
].join('\n');

const EXECUTION_DOCS: Record<string, string> = {
  auto: 'live calls on the server for read-only, closed-world tools; simulated results for the others',
  live: 'every result comes from a live call on the server',
  simulated: 'every result is simulated',
};

const SCENARIO_DOCS = [
  '`standard`: one call and a grounded answer · `no_tool`: answered without a call · `parallel`: several calls in one turn ·',
  '`error`: a failing tool result and a graceful recovery · `ambiguous`: a clarifying question · `edge`: unusual but valid',
  'argument values · `multi_turn`: several user turns.',
].join('\n');

// Per format: the shape written, who reads it, and the loader a trainer uses (checked against the
// shape by report.spec.ts and the compatibility matrix, formats/compat-matrix.spec.ts).
const FORMAT_DOCS: Record<OutputFormat, (o: CardOptions, d: ReportData) => string> = {
  hf: (_o, d) =>
    [
      '### hf (recommended for open-weight models)',
      '',
      '`{messages, tools}` in the Hugging Face conversational shape: assistant `tool_calls` with `arguments` as a JSON',
      'object, `content` always a string, `tool` messages with `tool_call_id` and `name`, and `tools` holding the tools',
      'offered in that row as OpenAI function objects. Chat templates (`tokenizer.apply_chat_template(messages, tools=tools)`)',
      'render it as the model expects; TRL, Axolotl and Unsloth read it as it is.',
      '',
      '```python',
      'from datasets import load_dataset',
      'from trl import SFTConfig, SFTTrainer',
      '',
      `ds = load_dataset("json", data_files=${pyDict(formatFilePaths('hf'))})`,
      `trainer = SFTTrainer(model="Qwen/Qwen2.5-7B-Instruct", train_dataset=ds["train"], eval_dataset=ds["eval"], args=SFTConfig(max_length=${maxLengthHint(d)}))`,
      '```',
      '',
      'Axolotl (`datasets:` in the config):',
      '',
      '```yaml',
      'datasets:',
      `  - path: ${formatFilePaths('hf').train}`,
      '    ds_type: json',
      '    type: chat_template',
      '    field_messages: messages',
      '    field_tools: tools',
      '    roles_to_train: [assistant]',
      '```',
    ].join('\n'),
  openai: () =>
    [
      '### openai (OpenAI fine-tuning API)',
      '',
      '`{messages, tools, parallel_tool_calls?}` exactly as the OpenAI fine-tuning API requires it: assistant `tool_calls` with',
      '`arguments` as JSON strings and `content: null` on turns that only call, `tool` messages with `tool_call_id`.',
      '`parallel_tool_calls: true` marks rows that make several calls in one turn. Upload `openai/train.jsonl` as the training',
      'file of a fine-tuning job. Not for Hugging Face chat templates: string arguments are rendered as quoted strings there',
      '(use `hf`).',
    ].join('\n'),
  sharegpt: (_o, d) =>
    [
      '### sharegpt (LLaMA-Factory)',
      '',
      '`{conversations: [{from, value}], tools}` in LLaMA-Factory\'s convention: `from` is system, human, gpt, function_call',
      '(a `{"name", "arguments"}` object, or a list for parallel calls) or observation; `tools` is a JSON string. Text the',
      'assistant says before its calls has no slot in this format and is left out. Entry for `data/dataset_info.json`',
      '(copy the folder into LLaMA-Factory\'s `data/`, or give `file_name` as a path):',
      '',
      '```json',
      JSON.stringify(
        Object.fromEntries(
          (['train', 'eval'] as const).map((split) => [
            `${d.datasetName.replace(/[^A-Za-z0-9_]+/g, '_')}_${split}`,
            {
              file_name: formatFilePaths('sharegpt')[split],
              formatting: 'sharegpt',
              columns: { messages: 'conversations', tools: 'tools' },
              tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt', observation_tag: 'observation', function_tag: 'function_call', system_tag: 'system' },
            },
          ]),
        ),
        null,
        2,
      ),
      '```',
    ].join('\n'),
  hermes: (o) =>
    [
      '### hermes (plain ChatML trainers)',
      '',
      '`{id, source, scenario, tool_name, messages}` with all markup in the text: the system message lists the tools as JSON',
      'inside `<tools></tools>`; calls are `<tool_call>{"name": ..., "arguments": {...}}</tool_call>` blocks in the assistant',
      'text; each result is a `tool` message `<tool_response>{"name": ..., "content": "<result text>"}</tool_response>`. Train',
      'with a plain ChatML template that writes `content` as it is (a tools-aware template would wrap results twice):',
      '',
      '```python',
      `ds = load_dataset("json", data_files=${pyDict(formatFilePaths('hermes'))})`,
      '```',
      o.chatTemplatePath ? `\n\`${o.chatTemplatePath}\` renders hf or openai rows into exactly this text.` : '',
    ].join('\n'),
};

/** The max_length to give a trainer: the longest row, rounded up to a multiple of 256. */
function maxLengthHint(d: ReportData): number {
  const longest = d.tokens?.max ?? 0;
  return longest > 0 ? Math.ceil(longest / 256) * 256 : 2048;
}

function licenseText(license: string, data: ReportData): string {
  const origin =
    data.provider === 'openai'
      ? `The conversations were written by ${mdCode(data.model)}; check the model provider's terms before publishing.`
      : 'The conversations come from templates and samplers, without a model.';
  if (license === 'other') return `No license was chosen for this dataset (\`license: other\`): set one before publishing. ${origin}`;
  return `Released under ${mdCode(license)}. ${origin}`;
}
