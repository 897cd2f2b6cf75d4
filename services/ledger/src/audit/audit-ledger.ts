import {
  type DecodedLedgerEntry,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  linkSubjects,
  signerSubjects,
} from '@rxledger/events';
import {
  bytesEqual,
  type Checkpoint,
  CompactRange,
  leafHash,
  type NoteVerifier,
  parseCheckpoint,
  parseVerifierKey,
  toHex,
  verifyCheckpoint,
} from '@rxledger/tlog';
import type { LedgerStore, StoredCheckpoint } from '../store/ledger-store.ts';

/** The first thing in a ledger database that does not match what its stored data implies. */
export interface AuditFinding {
  /** The leaf index, or the checkpoint's tree size for a checkpoint. */
  seq: number;
  what: 'database' | 'leaf' | 'leaf-hash' | 'links' | 'signer-links' | 'tree-node' | 'checkpoint';
  message: string;
}

export interface AuditReport {
  leaves: number;
  treeNodes: number;
  checkpoints: number;
  /** Undefined when everything matches. */
  finding?: AuditFinding;
}

/** Why a stored checkpoint is not the signed note of `size` leaves with `root`, if it is not. */
function checkpointProblem(
  cp: StoredCheckpoint,
  size: number,
  root: Uint8Array,
  verifier: NoteVerifier | undefined,
): string | undefined {
  let noted: Checkpoint;
  try {
    noted = verifier
      ? verifyCheckpoint(cp.note, verifier, { origin: verifier.name })
      : parseCheckpoint(cp.note.slice(0, cp.note.indexOf('\n\n') + 1));
  } catch (err) {
    return `checkpoint of size ${size}: its note does not verify: ${(err as Error).message}`;
  }
  if (!bytesEqual(cp.root, root) || !bytesEqual(noted.root, root) || noted.size !== size) {
    return `checkpoint of size ${size} does not carry the recomputed root ${toHex(root)}`;
  }
  return undefined;
}

/**
 * Recomputes every leaf hash, every hash link (per item, and for v2 leaves per registry party and key,
 * and each leaf's signer links) and every stored tree node from the leaves themselves, and every
 * checkpoint's root, stopping at the first mismatch. Reads the database only.
 */
export function auditLedger(
  store: LedgerStore,
  onProgress?: (seq: number, size: number) => void,
  /** The node's checkpoint verifier key (C2SP vkey); without one, signatures are not checked. */
  checkpointKey?: string,
): AuditReport {
  const verifier = checkpointKey === undefined ? undefined : parseVerifierKey(checkpointKey);
  // SQLite's own page checks first: a flipped byte in a page header or an index is caught here.
  const check = store.db.pragma('quick_check', { simple: true });
  if (check !== 'ok') {
    return {
      leaves: 0,
      treeNodes: 0,
      checkpoints: 0,
      finding: { seq: -1, what: 'database', message: `SQLite quick_check: ${String(check)}` },
    };
  }
  const size = store.size();
  const reader = store.hashReader();
  const heads = new Map<string, Uint8Array>();
  const range = CompactRange.empty();
  const checkpoints = store.checkpointSizes();
  let treeNodes = 0;
  let nextCheckpoint = 0;
  const report = (finding: AuditFinding): AuditReport => ({
    leaves: size,
    treeNodes,
    checkpoints: nextCheckpoint,
    finding,
  });

  for (let seq = 0; seq < size; seq++) {
    const stored = store.leaf(seq);
    if (!stored) return report({ seq, what: 'leaf', message: `leaf ${seq} is missing` });
    let entry: DecodedLedgerEntry;
    let subjects: string[];
    let signers: string[];
    try {
      entry = decodeLedgerEntry(stored.leaf);
      const signed = decodeSignedEvent(entry.signedEvent);
      const event = decodeCustodyEvent(signed.event);
      subjects = linkSubjects(event, entry.version);
      signers = entry.version === 2 ? signerSubjects(event.party, signed.keyId) : [];
    } catch (err) {
      return report({ seq, what: 'leaf', message: `leaf ${seq} does not decode: ${(err as Error).message}` });
    }
    if (entry.seq !== seq)
      return report({ seq, what: 'leaf', message: `leaf ${seq} says it is entry ${entry.seq}` });
    const hash = leafHash(stored.leaf);
    if (!bytesEqual(hash, stored.hash)) {
      return report({
        seq,
        what: 'leaf-hash',
        message: `stored hash ${toHex(stored.hash)} is not SHA-256(0x00 || leaf) = ${toHex(hash)}`,
      });
    }
    const badLink = firstMismatch(subjects, entry.links, heads);
    if (badLink !== undefined) {
      const message = `link ${badLink} (${subjects[badLink] ?? '?'}) does not point at the previous leaf naming it`;
      return report({ seq, what: 'links', message });
    }
    const badSigner = firstMismatch(signers, entry.signerLinks ?? [], heads);
    if (badSigner !== undefined) {
      const message = `signer link ${badSigner} (${signers[badSigner] ?? '?'}) does not point at the latest registry leaf naming it`;
      return report({ seq, what: 'signer-links', message });
    }
    for (const subject of subjects) heads.set(subject, hash);

    for (const node of range.append(hash)) {
      if (node.level === 0) continue;
      treeNodes++;
      let storedNode: Uint8Array;
      try {
        storedNode = reader.subtree(node.level, node.index);
      } catch {
        return report({
          seq,
          what: 'tree-node',
          message: `tree node (${node.level}, ${node.index}) is missing`,
        });
      }
      if (!bytesEqual(storedNode, node.hash)) {
        return report({
          seq,
          what: 'tree-node',
          message: `tree node (${node.level}, ${node.index}) is ${toHex(storedNode)}, recomputed ${toHex(node.hash)}`,
        });
      }
    }
    while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint] === seq + 1) {
      const problem = checkpointProblem(store.checkpoint(seq + 1)!, seq + 1, range.root(), verifier);
      if (problem) return report({ seq: seq + 1, what: 'checkpoint', message: problem });
      nextCheckpoint++;
    }
    if (onProgress && seq % 1_000 === 0) onProgress(seq, size);
  }
  if (nextCheckpoint < checkpoints.length) {
    const at = checkpoints[nextCheckpoint]!;
    if (at > size)
      return report({
        seq: at,
        what: 'checkpoint',
        message: `checkpoint of size ${at} is beyond the ${size} stored leaves`,
      });
  }
  return { leaves: size, treeNodes, checkpoints: nextCheckpoint };
}

// The index of the first of `links` that is not the head of its subject (or the first missing or extra
// link), undefined when all match. Only REGISTRY leaves name registry subjects, so a subject's head is
// the latest registry leaf naming it: what both links and signer links must point at.
function firstMismatch(
  subjects: readonly string[],
  links: readonly (Uint8Array | null)[],
  heads: ReadonlyMap<string, Uint8Array>,
): number | undefined {
  const n = Math.max(subjects.length, links.length);
  for (let i = 0; i < n; i++) {
    const want = i < subjects.length ? (heads.get(subjects[i]!) ?? null) : undefined;
    const got = links[i];
    if (want === undefined || got === undefined) return i;
    if (want === null ? got !== null : got === null || !bytesEqual(want, got)) return i;
  }
  return undefined;
}
