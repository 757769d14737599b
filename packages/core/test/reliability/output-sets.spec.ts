// SIGKILL at random moments of `qc` and `synthesize` (real processes): right after every kill, before
// any later run could repair anything, a reader of the output directory sees the previous complete set
// of that stage's files or the new complete set, never a mix (e.g. a new openai/train.jsonl beside the
// old eval.jsonl and report.json). Each stage writes its set into a staging directory; on Linux the
// output directory is then exchanged in one step with a complete copy holding the new set
// (util/files.ts OutputSet, renameat2 RENAME_EXCHANGE). Elsewhere the journal publishes file by file
// and a kill during the renames is completed by the next run (recoverOutputSets); there the strict
// check is made after recovery.
// Cheap on purpose: one small offline build made in-process, then one process per trial.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadConfig } from '../../src/config';
import { runAll, runQcStage, runSynthesize } from '../../src/pipeline';
import { bufferLogger } from '../../src/util/log';
import { publishMode, recoverOutputSets } from '../../src/util/files';
import { listFiles } from './helpers/artifacts';
import { FIXTURES, scriptedServer, workspace, type Workspace } from './helpers/workspace';

const TRIALS_PER_STAGE = 25;
const DRIVER = join(FIXTURES, 'stage-driver.js');
const BUILD = 'samples: 30\naugmentation: { factor: 3 }\njudge: { enabled: false }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0, duplicateRatio: 1 }\ngenerator: { provider: offline }\noutput: { formats: [hermes, openai, sharegpt] }\n';
const STAGES = ['qc', 'synthesize'] as const;
type Stage = (typeof STAGES)[number];

let ws: Workspace;
let augmented: string[];
const MODE = publishMode();
const figures: Record<Stage, { mode: string; killed: number; finished: number; old: number; fresh: number; rolledForward: number; swapLeft: number; mixBeforeRecovery: number; ms: number }> = {
  qc: { mode: MODE, killed: 0, finished: 0, old: 0, fresh: 0, rolledForward: 0, swapLeft: 0, mixBeforeRecovery: 0, ms: 0 },
  synthesize: { mode: MODE, killed: 0, finished: 0, old: 0, fresh: 0, rolledForward: 0, swapLeft: 0, mixBeforeRecovery: 0, ms: 0 },
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a reader of the output directory sees: every file by its final name (staging and journals aside). */
function visible(): Record<string, string> {
  return Object.fromEntries(
    listFiles(ws.out)
      .map((f) => relative(ws.out, f))
      .filter((rel) => !rel.startsWith('.staging-') && !rel.startsWith('.publish-'))
      .map((rel) => [rel, readFileSync(join(ws.out, rel), 'utf8')]),
  );
}

/** Trial inputs: qc reads a different number of rows each time; synthesize writes a different dataset name (in every id). */
function prepare(stage: Stage, trial: number): string {
  if (stage === 'qc') writeFileSync(join(ws.out, 'augmented.jsonl'), augmented.slice(0, augmented.length - (trial % 5)).join(''));
  return `ds${trial}`;
}

async function inProcess(stage: Stage, name: string): Promise<void> {
  const cfg = await loadConfig(ws.config, { workspaceRoot: ws.root, env: {} });
  cfg.name = name;
  await (stage === 'qc' ? runQcStage : runSynthesize)({ config: cfg, root: ws.root, outDir: ws.out, env: {}, log: bufferLogger() });
}

/** Starts the stage in its own process; `killAfterMs` after it is ready (undefined: let it finish). Resolves with ms from ready to exit. */
function runDriver(stage: Stage, name: string, killAfterMs?: number): Promise<{ killed: boolean; ms: number }> {
  const child = spawn(process.execPath, [DRIVER, stage, ws.config, ws.root, ws.out, name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let readyAt = 0;
  let killed = false;
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!readyAt && stdout.includes('ready\n')) {
      readyAt = Date.now();
      if (killAfterMs !== undefined) {
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) {
            killed = true;
            child.kill('SIGKILL');
          }
        }, killAfterMs);
      }
    }
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(deadline);
      if (!killed && code !== 0) reject(new Error(`${stage} driver exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve({ killed, ms: Date.now() - readyAt });
    });
  });
}

beforeAll(async () => {
  ws = workspace(`${scriptedServer()}${BUILD}`);
  await runAll({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
  augmented = readFileSync(join(ws.out, 'augmented.jsonl'), 'utf8').split(/(?<=\n)/);
  // How long each stage takes in a process of its own: kills land anywhere in that span (and a bit after).
  for (const stage of STAGES) figures[stage].ms = (await runDriver(stage, prepare(stage, 0))).ms;
}, 120_000);

afterAll(() => {
  console.log(`output-set figures: ${JSON.stringify(figures)}`);
  ws?.cleanup();
});

it.each(STAGES)('%s: every SIGKILL leaves the previous complete set or the new one', async (stage) => {
  const random = rng(stage === 'qc' ? 20261202 : 20261203);
  const f = figures[stage];
  for (let trial = 1; trial <= TRIALS_PER_STAGE; trial++) {
    const name = prepare(stage, trial);
    const before = visible();
    const run = await runDriver(stage, name, Math.floor(random() * f.ms * 1.3));
    if (run.killed) f.killed++;
    else f.finished++;
    const seen = visible(); // right after the kill: no run has repaired anything yet
    const journal = existsSync(join(ws.out, `.publish-${stage}.json`));
    if (journal) f.rolledForward++;
    // A swap directory beside the output directory: the kill landed while the set was being published.
    if (readdirSync(dirname(ws.out)).some((n) => n.startsWith(`.${basename(ws.out)}.swap-`))) f.swapLeft++;
    recoverOutputSets(ws.out);
    const recovered = visible();
    await inProcess(stage, name); // the uninterrupted run: the new complete set
    const after = visible();
    expect(after).not.toEqual(before); // the trials differ, so a mix would show
    const which = (state: Record<string, string>) => (JSON.stringify(state) === JSON.stringify(before) ? 'old' : JSON.stringify(state) === JSON.stringify(after) ? 'new' : 'mix');
    if (which(seen) === 'mix') f.mixBeforeRecovery++;
    if (MODE === 'swap') {
      expect([trial, which(seen)]).toEqual([trial, expect.stringMatching(/^(old|new)$/)]);
      expect([trial, journal]).toEqual([trial, false]);
    }
    expect([trial, which(recovered)]).toEqual([trial, expect.stringMatching(/^(old|new)$/)]);
    // Without a journal the kill came before the publication (or after it): nothing to recover.
    if (!journal) expect([trial, which(seen)]).toEqual([trial, which(recovered)]);
    if (which(recovered) === 'old') f.old++;
    else f.fresh++;
  }
  expect(f.killed).toBeGreaterThan(TRIALS_PER_STAGE / 3);
}, 600_000);
