import { fromBase64, toBase64 } from './encoding.ts';
import { TlogError } from './errors.ts';
import { type NoteSigner, type NoteVerifier, parseVerifierKey } from './keys.ts';
import { HASH_SIZE } from './merkle.ts';
import { openNote, signNote } from './note.ts';

// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed-note text
//   <origin>\n<tree size, decimal>\n<base64 root hash>\n[<extension line>\n]...

/** A log's tree head at one size. */
export interface Checkpoint {
  /** Unique identity of the log; non-empty, any text without newlines. */
  readonly origin: string;
  readonly size: number;
  /** RFC 9162 root hash of the first `size` leaves (32 bytes). */
  readonly root: Uint8Array;
  /** Opaque extra lines; NOT RECOMMENDED by the spec, kept so that signatures over them still verify. */
  readonly extensions?: readonly string[];
}

// On the wire a tree size is at most 2^63-1, the bound of Go's sumdb/tlog (an int64 >= 0)...
const MAX_TLOG_SIZE = 2n ** 63n - 1n;

/**
 * The checkpoint's note text (body), ready to sign.
 * @example formatCheckpoint({ origin: 'example.com/log', size: 7, root }) // 'example.com/log\n7\n<base64>\n'
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (typeof checkpoint !== 'object' || checkpoint === null) throw bad('expected a checkpoint object');
  const { origin, size, root, extensions = [] } = checkpoint;
  checkLine(origin, 'origin');
  // ...but sizes here are numbers, exact only up to 2^53-1 (see checkCount in merkle.ts).
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw bad(`tree size must be an integer in [0, 2^53-1], got ${String(size)}`);
  }
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE) {
    throw bad(
      `root hash must be ${HASH_SIZE} bytes, got ${root instanceof Uint8Array ? root.length : typeof root}`,
    );
  }
  if (!Array.isArray(extensions)) throw bad('extensions must be an array of lines');
  for (const [i, line] of extensions.entries()) checkLine(line, `extension line ${i + 1}`);
  return [origin, String(size), toBase64(root), ...extensions].map((line) => `${line}\n`).join('');
}

/**
 * Parses a checkpoint body strictly: a non-empty origin, a canonical decimal size (no sign, no
 * leading zeros, at most 2^63-1), a canonical base64 32-byte root, then non-empty extension lines.
 * The body must come from a verified note (`verifyCheckpoint`); on its own it proves nothing.
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== 'string') throw bad('expected a string');
  if (!body.endsWith('\n')) throw bad('body does not end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad(`body has ${lines.length} lines, a checkpoint needs at least 3`);
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw bad('line 1 (origin) is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) {
    throw bad(
      `line 2 (tree size) ${JSON.stringify(sizeText)} is not a decimal number without sign or leading zeros`,
    );
  }
  if (sizeText.length > 19 || BigInt(sizeText) > MAX_TLOG_SIZE)
    throw bad(`tree size ${sizeText} exceeds 2^63-1`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size))
    throw bad(`tree size ${sizeText} exceeds 2^53-1, the largest this implementation handles`);
  let root: Uint8Array;
  try {
    root = fromBase64(rootText, 'root hash');
  } catch (err) {
    throw bad(`line 3: ${(err as Error).message}`);
  }
  if (root.length !== HASH_SIZE)
    throw bad(`line 3: root hash is ${root.length} bytes, expected ${HASH_SIZE}`);
  extensions.forEach((line, i) => {
    if (line === '') throw bad(`line ${i + 4} (extension) is empty`);
  });
  return extensions.length > 0 ? { origin, size, root, extensions } : { origin, size, root };
}

/**
 * Signs a checkpoint (object or already formatted body) as a signed note. A body is parsed first so
 * that nothing but a well-formed checkpoint is ever signed.
 * @example signCheckpoint({ origin, size: store.size, root: store.root() }, parseSignerKey(skey))
 */
export function signCheckpoint(checkpoint: Checkpoint | string, signer: NoteSigner): string {
  if (typeof checkpoint === 'string') parseCheckpoint(checkpoint); // strict, so the body is canonical
  return signNote(typeof checkpoint === 'string' ? checkpoint : formatCheckpoint(checkpoint), [signer]);
}

/** Options for `verifyCheckpoint`. */
export interface VerifyCheckpointOptions {
  /** Reject a checkpoint whose origin differs: a key may sign for more than one log. */
  readonly origin?: string;
}

/**
 * Verifies a signed checkpoint against one trusted key (vkey string or `NoteVerifier`) and returns
 * its contents. Other signatures (witnesses, rotated keys) are ignored, as the note spec requires.
 * @example const { size, root } = verifyCheckpoint(await res.text(), credentials.ledger.checkpointKey)
 */
export function verifyCheckpoint(
  note: string | Uint8Array,
  verifierKey: string | NoteVerifier,
  options: VerifyCheckpointOptions = {},
): Checkpoint {
  const verifier = typeof verifierKey === 'string' ? parseVerifierKey(verifierKey) : verifierKey;
  const { text } = openNote(note, [verifier]);
  const checkpoint = parseCheckpoint(text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new TlogError(
      'ORIGIN_MISMATCH',
      `checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(options.origin)}`,
    );
  }
  return checkpoint;
}

function checkLine(line: unknown, what: string): void {
  if (typeof line !== 'string' || line === '') throw bad(`${what} must be a non-empty string`);
  if (line.includes('\n')) throw bad(`${what} contains a newline`);
}

function bad(detail: string): TlogError {
  return new TlogError('MALFORMED_CHECKPOINT', `malformed checkpoint: ${detail}`);
}
