import { bytesEqual, fromBase64, fromUtf8, toBase64, utf8 } from './encoding.ts';
import { TlogError } from './errors.ts';
import { hex8, isValidKeyName, type NoteSigner, type NoteVerifier } from './keys.ts';

// C2SP signed-note (https://c2sp.org/signed-note): text ending in a newline, a blank line, then one
// or more lines "— <key name> <base64(key ID || signature)>". Parsing follows the spec and
// golang.org/x/mod/sumdb/note, the reference implementation, so notes round-trip with Go tooling.

/** Most signature lines accepted in one note; the spec asks for at least 16, Go allows 100. */
export const MAX_NOTE_SIGNATURES = 100;

const SIG_PREFIX = '\u2014 '; // em dash, space

/** One signature line of a note. `signature` excludes the four key-ID bytes. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A note split into its text and signature lines, nothing verified. */
export interface ParsedNote {
  /** The signed text, including its final newline but not the blank separator line. */
  readonly text: string;
  readonly signatures: NoteSignature[];
}

/** A note whose signatures by trusted keys all verified. */
export interface OpenedNote {
  readonly text: string;
  /** Signatures by trusted keys, each verified (at least one). */
  readonly verified: NoteSignature[];
  /** Signatures by keys not in the trusted list, ignored as the spec requires. */
  readonly unverified: NoteSignature[];
}

/**
 * Splits a signed note into text and signature lines without verifying anything; for display and
 * tooling. Throws `MALFORMED_NOTE` naming the first problem.
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const msg = noteString(note);
  const bad = firstForbiddenChar(msg);
  if (bad >= 0) {
    const code = msg.charCodeAt(bad);
    throw malformed(
      code < 0x20
        ? `control character U+${code.toString(16).padStart(4, '0')} at offset ${bad}`
        : `unpaired UTF-16 surrogate at offset ${bad}, not valid UTF-8`,
    );
  }
  // The text may itself contain blank lines: the last one separates it from the signatures.
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line separating the text from the signatures');
  const text = msg.slice(0, split + 1);
  const block = msg.slice(split + 2);
  if (block.length === 0) throw malformed('no signature lines after the blank line');
  if (!block.endsWith('\n')) throw malformed('the last signature line does not end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw malformed(`${lines.length} signature lines, more than the ${MAX_NOTE_SIGNATURES} accepted`);
  }
  return { text, signatures: lines.map((line, i) => parseSignatureLine(line, i + 1)) };
}

function parseSignatureLine(line: string, n: number): NoteSignature {
  if (!line.startsWith(SIG_PREFIX))
    throw malformed(`signature line ${n} does not start with an em dash (U+2014) and a space`);
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const b64 = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed(`signature line ${n}: invalid key name ${JSON.stringify(name)}`);
  if (b64 === '') throw malformed(`signature line ${n}: no signature after the key name`);
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64, `signature line ${n}`);
  } catch (err) {
    throw malformed((err as Error).message);
  }
  if (raw.length < 5)
    throw malformed(`signature line ${n}: ${raw.length} bytes, too short for a key ID and a signature`);
  const keyId = ((raw[0]! << 24) | (raw[1]! << 16) | (raw[2]! << 8) | raw[3]!) >>> 0;
  return { name, keyId, signature: raw.slice(4) };
}

/**
 * Parses a note and verifies it against trusted keys: signatures by unknown keys are ignored, every
 * signature by a trusted key must verify (`INVALID_SIGNATURE`), and at least one must exist
 * (`UNTRUSTED_NOTE`). Only then may the text be used.
 * @example openNote(noteText, [parseVerifierKey(vkey)]).text
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  if (!Array.isArray(verifiers)) throw new TlogError('INVALID_ARGUMENT', 'verifiers: expected an array');
  const byId = new Map<string, NoteVerifier>();
  const ambiguous = new Set<string>();
  verifiers.forEach((v, i) => {
    if (typeof v !== 'object' || v === null || typeof v.verify !== 'function' || !isValidKeyName(v.name)) {
      throw new TlogError('INVALID_ARGUMENT', `verifiers[${i}]: not a NoteVerifier`);
    }
    const id = idOf(v.name, v.keyId);
    const seen = byId.get(id);
    // The same key listed twice is harmless; two different keys under one name and ID are not.
    if (seen !== undefined && !bytesEqual(seen.publicKey, v.publicKey)) ambiguous.add(id);
    byId.set(id, v);
  });

  const { text, signatures } = parseNote(note);
  const message = utf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const done = new Set<string>();
  for (const sig of signatures) {
    const id = idOf(sig.name, sig.keyId);
    const verifier = byId.get(id);
    if (verifier === undefined) {
      const line = `${id}+${toBase64(sig.signature)}`;
      if (!done.has(line)) unverified.push(sig);
      done.add(line);
      continue;
    }
    if (ambiguous.has(id)) throw new TlogError('AMBIGUOUS_KEY', `two different trusted keys are named ${id}`);
    if (done.has(id)) continue; // repeated signature by one key: checked once
    done.add(id);
    if (!verifier.verify(message, sig.signature)) {
      throw new TlogError('INVALID_SIGNATURE', `signature by trusted key ${id} does not verify`);
    }
    verified.push(sig);
  }
  if (verified.length === 0) {
    const by = signatures.map((s) => idOf(s.name, s.keyId)).join(', ');
    throw new TlogError('UNTRUSTED_NOTE', `note has no signature by a trusted key (signed by ${by})`);
  }
  return { text, verified, unverified };
}

/**
 * Signs `text` (which must end in a newline) with each signer and returns the signed note. Signatures
 * in `keep` come first, except those by a key that signs anew, whose old signature is dropped.
 * @example signNote('hello\n', [parseSignerKey(skey)]) // 'hello\n\n— name base64\n'
 */
export function signNote(
  text: string,
  signers: readonly NoteSigner[],
  keep: readonly NoteSignature[] = [],
): string {
  if (typeof text !== 'string') throw malformed('text: expected a string');
  if (!text.endsWith('\n')) throw malformed('text does not end with a newline');
  const bad = firstForbiddenChar(text);
  if (bad >= 0) throw malformed(`text has a control character or unpaired surrogate at offset ${bad}`);
  if (!Array.isArray(signers) || !Array.isArray(keep))
    throw new TlogError('INVALID_ARGUMENT', 'signers and keep must be arrays');
  if (signers.length + keep.length === 0) throw malformed('a signed note needs at least one signature');
  if (signers.length + keep.length > MAX_NOTE_SIGNATURES)
    throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);

  const message = utf8(text);
  const fresh = signers.map((s, i) => {
    if (typeof s !== 'object' || s === null || typeof s.sign !== 'function') {
      throw new TlogError('INVALID_ARGUMENT', `signers[${i}]: not a NoteSigner`);
    }
    checkSignatureId(s.name, s.keyId, `signers[${i}]`);
    return { name: s.name, keyId: s.keyId, signature: s.sign(message) };
  });
  const replaced = new Set(fresh.map((s) => idOf(s.name, s.keyId)));
  const kept = keep.filter((s, i) => {
    checkSignatureId(s.name, s.keyId, `keep[${i}]`);
    if (!(s.signature instanceof Uint8Array) || s.signature.length === 0) {
      throw new TlogError('INVALID_ARGUMENT', `keep[${i}]: empty signature`);
    }
    return !replaced.has(idOf(s.name, s.keyId));
  });
  return `${text}\n${[...kept, ...fresh].map(signatureLine).join('')}`;
}

/**
 * `note` with the signature lines of `extra` appended, each once (a line already in the note is not
 * repeated): how a log adds witnesses' cosignatures to its own signed checkpoint.
 * @example addNoteSignatures(note, parseSignatureLines(witnessResponseBody))
 */
export function addNoteSignatures(note: string, extra: readonly NoteSignature[]): string {
  parseNote(note); // only a well-formed note grows
  if (!Array.isArray(extra)) throw new TlogError('INVALID_ARGUMENT', 'extra: expected an array');
  const have = new Set(note.slice(note.lastIndexOf('\n\n') + 2).split('\n'));
  let out = note;
  extra.forEach((sig, i) => {
    checkSignatureId(sig.name, sig.keyId, `extra[${i}]`);
    const line = signatureLine(sig);
    if (!have.has(line.slice(0, -1))) out += line;
    have.add(line.slice(0, -1));
  });
  parseNote(out); // e.g. no more than MAX_NOTE_SIGNATURES lines
  return out;
}

/**
 * Parses a block of note signature lines on their own (a witness's add-checkpoint answer): each
 * `— <name> base64(key ID || signature)` ending in a newline. Throws `MALFORMED_NOTE` naming the line.
 */
export function parseSignatureLines(block: string): NoteSignature[] {
  if (typeof block !== 'string') throw malformed('signature lines: expected a string');
  if (block.startsWith('\n') || block.includes('\n\n')) throw malformed('signature lines: an empty line');
  // The same rules as a note's signature block: parse one behind a one-line placeholder text.
  return parseNote(`x\n\n${block}`).signatures;
}

/** One note signature line, `— <name> base64(key ID || signature)` and its newline. */
export function signatureLine(sig: NoteSignature): string {
  checkSignatureId(sig?.name, sig?.keyId, 'signature');
  if (!(sig.signature instanceof Uint8Array))
    throw new TlogError('INVALID_ARGUMENT', 'signature: expected bytes');
  const raw = new Uint8Array(4 + sig.signature.length);
  new DataView(raw.buffer).setUint32(0, sig.keyId);
  raw.set(sig.signature, 4);
  return `${SIG_PREFIX}${sig.name} ${toBase64(raw)}\n`;
}

function checkSignatureId(name: unknown, keyId: unknown, what: string): void {
  if (!isValidKeyName(name))
    throw new TlogError('INVALID_ARGUMENT', `${what}: invalid key name ${JSON.stringify(name)}`);
  if (typeof keyId !== 'number' || !Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) {
    throw new TlogError('INVALID_ARGUMENT', `${what}: key ID must be a uint32`);
  }
}

function noteString(note: string | Uint8Array): string {
  if (typeof note === 'string') return note;
  if (note instanceof Uint8Array) {
    try {
      return fromUtf8(note, 'note');
    } catch {
      throw malformed('not valid UTF-8');
    }
  }
  throw malformed('expected a string or bytes');
}

/** Offset of the first C0 control character other than newline, or of an unpaired surrogate; -1 if none. */
function firstForbiddenChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return i;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    }
  }
  return -1;
}

function idOf(name: string, keyId: number): string {
  return `${name}+${hex8(keyId)}`;
}

function malformed(detail: string): TlogError {
  return new TlogError('MALFORMED_NOTE', `malformed note: ${detail}`);
}
