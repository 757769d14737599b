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
import { findNearDuplicates } from '../dedup/find-near-duplicates';
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

/** Finds near-duplicate samples (estimated Jaccard ≥ threshold on word shingles of `dedupText`). */
export function dedupSamples(samples: readonly Sample[], cfg: DedupConfig): DedupResult {
  const byScenario = new Map<string, number[]>();
  samples.forEach((s, i) => {
    const group = byScenario.get(s.scenario);
    if (group) group.push(i);
    else byScenario.set(s.scenario, [i]);
  });
  const duplicates = new Map<string, string>();
  let clusters = 0;
  for (const indices of byScenario.values()) {
    // A generator, not an array: only one dedup text is alive at a time.
    const texts = (function* () {
      for (const i of indices) yield dedupText(samples[i]);
    })();
    const result = findNearDuplicates(texts, { ...cfg, expectedSize: indices.length });
    clusters += result.clusters;
    result.duplicateOf.forEach((kept, k) => {
      if (kept >= 0) duplicates.set(samples[indices[k]].id, samples[indices[kept]].id);
    });
  }
  return { duplicates, clusters };
}
