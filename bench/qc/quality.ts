// Scores what `mcp-forge qc --out` wrote against the planted ground truth: planted defects caught
// with the right reason code, clean rows rejected, planted near-duplicates found, false merges.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DEFECT_CODE, type Defect } from './planted-dataset';
import type { Truth } from './write-dataset';

export interface QcQuality {
  rows: number;
  defects: number;
  /** Defect rows rejected with the defect's reason code among their reasons. */
  defectsCaught: number;
  missedDefects: { row: number; defect: Defect; reasons: string[] }[];
  /** Rows with no defect that are not planted near-duplicates. */
  cleanRows: number;
  cleanRejected: { row: number; reasons: string[] }[];
  planted: number;
  /** Planted near-duplicates rejected as a near-duplicate of a row of their own family. */
  plantedFound: number;
  recall: number;
  /** Rows rejected as a near-duplicate of a row of another family. */
  falseMerges: number;
  falseMergeRate: number;
}

const NEAR_DUP = /^near_duplicate: of (.+)$/;

export async function scoreQcOutput(rejectedFile: string, truth: Truth): Promise<QcQuality> {
  const index = new Map(truth.ids.map((id, i) => [id, i]));
  const rejected = new Map<number, string[]>();
  const rl = createInterface({ input: createReadStream(rejectedFile, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { id: string; reasons: string[] };
    const i = index.get(row.id);
    if (i === undefined) throw new Error(`rejected row id ${row.id} is not in the dataset`);
    rejected.set(i, row.reasons);
  }
  const variants = new Set(truth.planted.map(([, v]) => v));
  const missedDefects: QcQuality['missedDefects'] = [];
  for (const [at, defect] of Object.entries(truth.defects)) {
    const row = Number(at);
    const reasons = rejected.get(row) ?? [];
    if (!reasons.some((r) => r.split(':')[0] === DEFECT_CODE[defect])) missedDefects.push({ row, defect, reasons });
  }
  const cleanRejected: QcQuality['cleanRejected'] = [];
  let cleanRows = 0;
  let falseMerges = 0;
  const nearDupOf = new Map<number, number>();
  for (let row = 0; row < truth.ids.length; row++) {
    const reasons = rejected.get(row);
    const dup = reasons?.map((r) => NEAR_DUP.exec(r)).find(Boolean);
    if (dup) {
      const kept = index.get(dup[1]);
      if (kept === undefined) throw new Error(`row ${truth.ids[row]} is a near-duplicate of an unknown id ${dup[1]}`);
      nearDupOf.set(row, kept);
      if (truth.family[kept] !== truth.family[row]) falseMerges++;
    }
    if (truth.defects[row] || variants.has(row)) continue;
    cleanRows++;
    if (reasons) cleanRejected.push({ row, reasons });
  }
  const plantedFound = truth.planted.filter(([, v]) => nearDupOf.has(v) && truth.family[nearDupOf.get(v)!] === truth.family[v]).length;
  const defects = Object.keys(truth.defects).length;
  return {
    rows: truth.ids.length,
    defects,
    defectsCaught: defects - missedDefects.length,
    missedDefects,
    cleanRows,
    cleanRejected,
    planted: truth.planted.length,
    plantedFound,
    recall: truth.planted.length ? plantedFound / truth.planted.length : 1,
    falseMerges,
    falseMergeRate: falseMerges / truth.ids.length,
  };
}
