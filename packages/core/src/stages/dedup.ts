// Near-duplicate removal for samples (SPEC §6). What a sample teaches is fixed by what the user asked
// and which calls answered it, so the dedup text is:
//   - every user turn (normalised later by the shingler: case, punctuation, spacing ignored), and
//   - every tool call as its name plus its arguments in canonical (sorted-key) JSON, so
//     {"city":"Paris","days":3} and {"days":3,"city":"Paris"} read the same.
// Left out on purpose: the system prompt (identical across a dataset, it would make every row look
// alike), assistant prose and tool results (generated from the request and the call; simulated results
// vary in ways that would hide a repeated request, while templated answers would make distinct
// requests look alike). Rows are only compared within the same scenario: the same request in `standard`
// and in `error` teaches two different behaviours.
import { canonicalJson } from '../util/hash';
import { NearDuplicateFinder } from '../dedup/find-near-duplicates';
import type { Sample } from '../types';

export interface DedupConfig {
  threshold: number;
  numPerm: number;
  bands: number;
  shingle: number;
  seed?: number;
}

export interface DedupResult {
  /** Sample id of each near-duplicate → id of the sample kept in its place (the first by input order). */
  duplicates: Map<string, string>;
  /** Clusters that had at least one duplicate. */
  clusters: number;
}

/** The text a sample is compared by: user turns, then each call as `name canonical-args`. */
export function dedupText(sample: Sample): string {
  const parts: string[] = [];
  for (const m of sample.messages) {
    if (m.role === 'user' && typeof m.content === 'string') parts.push(m.content);
    if (m.role === 'assistant' && m.tool_calls) {
      for (const call of m.tool_calls) {
        const args = call.arguments === undefined ? (call.raw ?? '') : canonicalJson(call.arguments);
        parts.push(`${call.name} ${args}`);
      }
    }
  }
  return parts.join('\n');
}

/**
 * Near-duplicates among samples added one at a time (rows are streamed by qc), compared only within
 * a scenario. Only signatures are kept, not texts. `position` is the caller's index of the row.
 */
export class SampleDeduper {
  private readonly groups = new Map<string, { positions: number[]; finder: NearDuplicateFinder }>();

  constructor(private readonly cfg: DedupConfig) {}

  add(sample: Sample, position: number): void {
    let group = this.groups.get(sample.scenario);
    if (!group) this.groups.set(sample.scenario, (group = { positions: [], finder: new NearDuplicateFinder(this.cfg) }));
    group.positions.push(position);
    group.finder.add(dedupText(sample));
  }

  /** Position of every near-duplicate -> position of the row kept in its place (the first added). */
  result(): { duplicateOf: Map<number, number>; clusters: number } {
    const duplicateOf = new Map<number, number>();
    let clusters = 0;
    for (const { positions, finder } of this.groups.values()) {
      const res = finder.result();
      clusters += res.clusters;
      res.duplicateOf.forEach((kept, k) => {
        if (kept >= 0) duplicateOf.set(positions[k], positions[kept]);
      });
    }
    return { duplicateOf, clusters };
  }
}

/** Finds near-duplicate samples (estimated Jaccard ≥ threshold on word shingles of `dedupText`). */
export function dedupSamples(samples: readonly Sample[], cfg: DedupConfig): DedupResult {
  const deduper = new SampleDeduper(cfg);
  samples.forEach((s, i) => deduper.add(s, i));
  const { duplicateOf, clusters } = deduper.result();
  const duplicates = new Map<string, string>();
  for (const [dup, kept] of [...duplicateOf].sort((a, b) => a[0] - b[0])) duplicates.set(samples[dup].id, samples[kept].id);
  return { duplicates, clusters };
}
