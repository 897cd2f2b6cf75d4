import { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint.ts';
import { bytesEqual, toBase64 } from './encoding.ts';
import { ProofError, TlogError } from './errors.ts';
import { hex8, type NoteVerifier } from './keys.ts';
import { openNote } from './note.ts';
import { verifyConsistency } from './verify.ts';

// Split-view detection, the pure part: is a signed checkpoint evidence at all, and are two of them
// views of one append-only log? Fetching notes and proofs is the caller's business (a monitor, a
// ledger node watching its peers); nothing here does I/O, so the offline verifier can reuse it.

/** A checkpoint note whose signature by a trusted key verified, with what it says. */
export interface SignedCheckpoint {
  /** The whole signed note, exactly as served: the evidence a third party re-verifies. */
  readonly note: string;
  readonly checkpoint: Checkpoint;
  /** `name+keyid` (hex) of each trusted key whose signature verified. */
  readonly signers: readonly string[];
}

/** Why a note is not evidence of anything: its signature, its form or its log is wrong. */
export interface Unusable {
  readonly code: 'BAD_SIGNATURE' | 'UNTRUSTED' | 'MALFORMED' | 'OTHER_LOG';
  readonly reason: string;
}

/**
 * Opens a checkpoint note against the trusted keys (any one of them suffices; signatures by other
 * keys, such as witness cosignatures, are ignored) and the log's origin. A note that fails is not
 * evidence of a split view: anybody can write an unsigned or badly signed note.
 * @example const seen = openSignedCheckpoint(await res.text(), [parseVerifierKey(vkey)], origin)
 */
export function openSignedCheckpoint(
  note: string,
  verifiers: readonly NoteVerifier[],
  origin: string,
): SignedCheckpoint | Unusable {
  if (typeof origin !== 'string' || origin === '')
    throw new TlogError('INVALID_ARGUMENT', "origin: expected the log's origin, a non-empty string");
  try {
    const opened = openNote(note, verifiers);
    const checkpoint = parseCheckpoint(opened.text);
    if (checkpoint.origin !== origin) {
      return {
        code: 'OTHER_LOG',
        reason: `checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(origin)}`,
      };
    }
    return { note, checkpoint, signers: opened.verified.map((s) => `${s.name}+${hex8(s.keyId)}`) };
  } catch (err) {
    // Bad verifiers are the caller's mistake, not the note's.
    if (!(err instanceof TlogError) || err.code === 'INVALID_ARGUMENT' || err.code === 'AMBIGUOUS_KEY')
      throw err;
    const code =
      err.code === 'INVALID_SIGNATURE'
        ? 'BAD_SIGNATURE'
        : err.code === 'UNTRUSTED_NOTE'
          ? 'UNTRUSTED'
          : 'MALFORMED';
    return { code, reason: err.message };
  }
}

/** Tells an opened checkpoint from an unusable note. */
export function isSignedCheckpoint(x: SignedCheckpoint | Unusable): x is SignedCheckpoint {
  return typeof x === 'object' && x !== null && 'checkpoint' in x;
}

/** The two sizes a consistency proof must span for a pair, or undefined when none is needed. */
export function proofSpan(a: Checkpoint, b: Checkpoint): { from: number; to: number } | undefined {
  checkArgument(a, 'a');
  checkArgument(b, 'b');
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === large.size || small.size === 0) return undefined;
  return { from: small.size, to: large.size };
}

/** How a pair failed: equal sizes with different roots, or no valid proof that one extends the other. */
export type SplitCheck = 'same-size' | 'consistency-proof';

/** The verdict on two checkpoints of one log. */
export type PairVerdict =
  | { readonly consistent: true }
  | { readonly consistent: false; readonly check: SplitCheck; readonly reason: string };

/**
 * Whether two checkpoints of one log can both be true of an append-only log. Equal sizes must have
 * equal roots; otherwise `proof` is the consistency proof from the smaller size to the larger (as
 * `proofSpan` names it; served by the node that signed the larger) and must verify against both
 * roots. A size-0 checkpoint must carry the empty-tree root. Throws `INVALID_ARGUMENT` for pairs of
 * different logs or a missing proof: those are the caller's mistakes, not evidence.
 * @example checkPair(old.checkpoint, cur.checkpoint, proof) // { consistent: true }
 */
export function checkPair(a: Checkpoint, b: Checkpoint, proof?: readonly Uint8Array[]): PairVerdict {
  checkArgument(a, 'a');
  checkArgument(b, 'b');
  if (a.origin !== b.origin) {
    throw new TlogError('INVALID_ARGUMENT', `checkpoints of different logs: ${a.origin} and ${b.origin}`);
  }
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === large.size) {
    return bytesEqual(small.root, large.root)
      ? { consistent: true }
      : {
          consistent: false,
          check: 'same-size',
          reason: `two roots at size ${small.size}: ${toBase64(small.root)} and ${toBase64(large.root)}`,
        };
  }
  const span = proofSpan(small, large);
  if (span !== undefined && proof === undefined) {
    throw new TlogError(
      'INVALID_ARGUMENT',
      `proof: a consistency proof from ${span.from} to ${span.to} is needed`,
    );
  }
  try {
    verifyConsistency(small.size, large.size, proof ?? [], small.root, large.root);
    return { consistent: true };
  } catch (err) {
    if (!(err instanceof ProofError)) throw err;
    return {
      consistent: false,
      check: 'consistency-proof',
      reason: `size ${large.size} does not provably extend size ${small.size}: ${err.message}`,
    };
  }
}

/** A checkpoint argument must be well formed (as formatCheckpoint checks it), named when it is not. */
function checkArgument(x: Checkpoint, name: string): void {
  try {
    formatCheckpoint(x);
  } catch (err) {
    throw new TlogError('INVALID_ARGUMENT', `${name}: ${(err as Error).message}`);
  }
}
