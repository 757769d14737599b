// docs/reliability.md lists every bad input (Bnn), fault (Fnn) and kill trial (Knn) these specs
// test, by id, and nothing else: a case added or removed on one side fails here until the other follows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './helpers/workspace';

const doc = readFileSync(join(REPO, 'docs/reliability.md'), 'utf8');
const specs = readdirSync(__dirname)
  .filter((f) => f.endsWith('.spec.ts') && f !== 'docs-sync.spec.ts')
  .map((f) => readFileSync(join(__dirname, f), 'utf8'))
  .join('\n');

const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();
/** Ids at the start of a test title: `it('B07 ...`, `it.failing('S2b ...`, or a row of an it.each table `['B03 ...`. */
const tested = (prefix: string) => sorted([...specs.matchAll(new RegExp(`(?:it(?:\\.failing)?\\(|\\[)'(${prefix}\\d\\d[a-z]?) `, 'g'))].map((m) => m[1]));
const documented = (prefix: string) => sorted([...doc.matchAll(new RegExp(`^\\| (${prefix}\\d\\d[a-z]?) \\|`, 'gm'))].map((m) => m[1]));

it.each(['B', 'F'])('every %s case is tested and documented', (prefix) => {
  expect(tested(prefix).length).toBeGreaterThan(0);
  expect(documented(prefix)).toEqual(tested(prefix));
});

it('the kill trials in the doc are the ones the spec runs', () => {
  const count = (name: string) => Number(new RegExp(`const ${name} = (\\d+);`).exec(specs)?.[1]);
  const trials = count('SYNC_TRIALS') + count('BATCH_TRIALS');
  expect(trials).toBeGreaterThanOrEqual(10);
  expect(documented('K')).toEqual(Array.from({ length: trials }, (_, i) => `K${String(i + 1).padStart(2, '0')}`));
});
