import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SignedCheckpoint, type SplitCheck, toBase64 } from '@rxledger/tlog';

/** Format tag of an evidence file, so a reader knows what it holds before it trusts any field. */
export const EVIDENCE_KIND = 'rxledger/split-view-evidence/v1';

/** One side of an inconsistent pair: the full signed note and the node that served it. */
export interface EvidenceCheckpoint extends SignedCheckpoint {
  readonly node: string;
}

/** Two signed checkpoints of one log that cannot both be true, and why. */
export interface Inconsistency {
  readonly detectedAt: Date;
  readonly check: SplitCheck;
  readonly reason: string;
  /** The smaller (or, at equal sizes, the earlier seen) checkpoint, then the other. */
  readonly pair: readonly [EvidenceCheckpoint, EvidenceCheckpoint];
  /** The consistency proof that failed, as the node that signed the larger checkpoint served it. */
  readonly proof?: { readonly from: number; readonly to: number; readonly hashes: readonly Uint8Array[] };
}

/** The evidence file's JSON: self-contained, so anyone holding the nodes' vkeys can re-verify it. */
export function evidenceJson(x: Inconsistency) {
  return {
    kind: EVIDENCE_KIND,
    detectedAt: x.detectedAt.toISOString(),
    check: x.check,
    reason: x.reason,
    checkpoints: x.pair.map((c) => ({
      node: c.node,
      origin: c.checkpoint.origin,
      size: c.checkpoint.size,
      root: toBase64(c.checkpoint.root),
      signers: c.signers,
      note: c.note,
    })),
    proof: x.proof
      ? { from: x.proof.from, to: x.proof.to, servedBy: x.pair[1].node, hashes: x.proof.hashes.map(toBase64) }
      : null,
  };
}

/**
 * Writes the evidence of `x` to a new file in `dir` and returns its path. The file MUST be complete
 * when it appears (written aside, then renamed), since a proven fork is kept for good and a half
 * file would be no proof.
 */
export async function writeEvidence(dir: string, x: Inconsistency): Promise<string> {
  await mkdir(dir, { recursive: true });
  const [a, b] = x.pair;
  const stamp = x.detectedAt.toISOString().replace(/[:.]/g, '-');
  const name = `split-view-${stamp}-${a.checkpoint.size}-${b.checkpoint.size}-${x.check}.json`;
  const path = join(dir, name);
  await writeFile(`${path}.tmp`, `${JSON.stringify(evidenceJson(x), null, 2)}\n`, { flag: 'w' });
  await rename(`${path}.tmp`, path);
  return path;
}
