// Validation of the loaded data, all problems at once: the schema (every field's type, range and
// name), the servers (one transport each), then the rules a schema cannot express.
import { withDefaults, isPlainObject } from './defaults';
import { schemaIssues, validatorFor } from './schema';
import { serverIssues } from './validate-servers';
import type { PathIssue } from './yaml-source';

const MISSING_SERVER = 'missing required key `server`';

export function validateConfigData(data: Record<string, unknown>): PathIssue[] {
  // `server` errors from the schema's anyOf are replaced by serverIssues' clearer ones.
  const fromSchema = schemaIssues(validatorFor(), data).filter((issue) => issue.at[0] !== 'server' && issue.message !== MISSING_SERVER);
  return [...fromSchema, ...serverIssues(data), ...semanticIssues(data, withDefaults<Record<string, unknown>>(data))];
}

/** Rules across fields. Each one only runs when the fields it reads have the right types (the schema reports the rest). */
function semanticIssues(given: Record<string, unknown>, cfg: Record<string, unknown>): PathIssue[] {
  const issues: PathIssue[] = [];
  const scenarios = cfg.scenarios;
  if (isPlainObject(scenarios) && Object.values(scenarios).every((v) => typeof v === 'number')) {
    const sum = Object.values(scenarios as Record<string, number>).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6) issues.push({ at: ['scenarios'], on: 'key', message: `the scenario fractions must sum to 1, got ${round(sum)}` });
  }

  const dedup = cfg.dedup;
  if (isPlainObject(dedup) && isPositiveInt(dedup.numPerm) && isPositiveInt(dedup.bands) && dedup.numPerm % dedup.bands !== 0) {
    // Point at the field the user wrote: with only numPerm given, the default bands is not theirs to fix.
    const bandsGiven = isPlainObject(given.dedup) && given.dedup.bands !== undefined;
    issues.push(bandsGiven ? bandsIssue(dedup.numPerm, dedup.bands) : numPermIssue(dedup.numPerm, dedup.bands));
  }

  const aug = cfg.augmentation;
  // Unset factor: the pool is sized by mix.maxAugmentedShare (stages/augment.ts), so it augments too.
  if (isPlainObject(aug) && (aug.factor === undefined || (typeof aug.factor === 'number' && aug.factor > 1)) && isPlainObject(aug.strategies)) {
    const weights = Object.values(aug.strategies);
    if (weights.every((w) => typeof w === 'number') && !weights.some((w) => (w as number) > 0)) {
      const why = aug.factor === undefined ? 'factor is unset: the pool is sized by mix.maxAugmentedShare; set factor: 1 for none' : `factor is ${aug.factor}`;
      issues.push({ at: ['augmentation', 'strategies'], on: 'key', message: `at least one strategy needs a weight above 0 when augmenting (${why})` });
    }
  }
  return issues;
}

function bandsIssue(numPerm: number, bands: number): PathIssue {
  const divisors = [];
  for (let d = 1; d <= numPerm; d++) if (numPerm % d === 0) divisors.push(d);
  const below = divisors.filter((d) => d < bands).pop();
  const above = divisors.find((d) => d > bands);
  const options = [below, above].filter((d) => d !== undefined).join(' or ');
  return { at: ['dedup', 'bands'], message: `must divide dedup.numPerm (${numPerm}) evenly, got ${bands}; try ${options}` };
}

function numPermIssue(numPerm: number, bands: number): PathIssue {
  const below = Math.floor(numPerm / bands) * bands;
  const options = [below, below + bands].filter((n) => n > 0).join(' or ');
  return { at: ['dedup', 'numPerm'], message: `must be a multiple of dedup.bands (${bands}), got ${numPerm}; try ${options}` };
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

function round(n: number): string {
  return String(Number(n.toFixed(6)));
}
