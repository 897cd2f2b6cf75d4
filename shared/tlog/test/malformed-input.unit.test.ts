import { describe, expect, it } from 'vitest';
import * as tlog from '../src/index.ts';
import {
  bytesEqual,
  CompactRange,
  consistencyProof,
  ed25519Signer,
  ed25519Verifier,
  emptyRoot,
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  fromBase64,
  fromBase64Url,
  concatBytes,
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  encodeHashTile,
  formatTilePath,
  parseTilePath,
  readHashTile,
  rootFromTiles,
  tileLeafEnd,
  tileSpan,
  treeTiles,
  fromHex,
  fromUtf8,
  generateNoteKey,
  type HashReader,
  inclusionProof,
  isValidKeyName,
  keyId,
  leafHash,
  MemoryHashStore,
  merkleTreeHash,
  nodeHash,
  openNote,
  ProofError,
  parseCheckpoint,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  rootFromInclusionProof,
  rootFromReader,
  signCheckpoint,
  signNote,
  TlogError,
  type TlogErrorCode,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';
import notes from './vectors/signed-note.json' with { type: 'json' };

const cp8 = () => ({ origin: 'log', size: 8, root: store.root() });

// Every public function, fed malformed input, throws a TlogError with a stable code and a message
// that says what and where. `any` casts stand in for callers that bypass the types (JSON, JS).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately ill-typed input
const anyOf = (x: unknown) => x as any;

const h32 = emptyRoot();
const h31 = h32.subarray(1);
const h33 = Uint8Array.of(...h32, 0);
const store = new MemoryHashStore();
store.append(Array.from({ length: 8 }, (_, i) => leafHash(Uint8Array.of(i))));
const proof3 = inclusionProof(store, 0, 8);
const root8 = store.root();
const peter = notes.peterNeumann;
const signer = parseSignerKey(peter.signerKey);
const verifier = parseVerifierKey(peter.verifierKey);
const badReader: HashReader = { subtree: () => h31 };

type Case = [label: string, fn: () => unknown, code: TlogErrorCode, message: RegExp | string];

const cases: Case[] = [
  // encoding
  ['toHex(string)', () => toHex(anyOf('00')), 'INVALID_ARGUMENT', 'toHex: expected a Uint8Array'],
  ['fromHex(odd)', () => fromHex('abc'), 'INVALID_ENCODING', 'hex: odd number of hex digits (3)'],
  [
    'fromHex(non-hex)',
    () => fromHex('zz', 'key id'),
    'INVALID_ENCODING',
    'key id: not a hex digit at offset 0',
  ],
  ['fromHex(number)', () => fromHex(anyOf(12)), 'INVALID_ENCODING', 'hex: expected a string'],
  ['toBase64(array)', () => toBase64(anyOf([1, 2])), 'INVALID_ARGUMENT', 'toBase64: expected a Uint8Array'],
  [
    'fromBase64(bad length)',
    () => fromBase64('abc'),
    'INVALID_ENCODING',
    'base64: length 3 is not a multiple of 4',
  ],
  [
    'fromBase64(bad char)',
    () => fromBase64('ab.c'),
    'INVALID_ENCODING',
    'base64: invalid character at offset 2',
  ],
  ['fromBase64(pad bits)', () => fromBase64('AB=='), 'INVALID_ENCODING', 'base64: non-zero padding bits'],
  [
    'toBase64Url(array)',
    () => toBase64Url(anyOf([1])),
    'INVALID_ARGUMENT',
    'toBase64Url: expected a Uint8Array',
  ],
  ['fromBase64Url(padded)', () => fromBase64Url('AA=='), 'INVALID_ENCODING', 'base64url: base64url has no'],
  [
    'fromBase64Url(number)',
    () => fromBase64Url(anyOf(1)),
    'INVALID_ENCODING',
    'base64url: expected a string',
  ],
  [
    'concatBytes(string)',
    () => concatBytes(h32, anyOf('a')),
    'INVALID_ARGUMENT',
    'concatBytes: expected a Uint8Array',
  ],
  ['utf8(surrogate)', () => utf8('\uD800'), 'INVALID_ENCODING', 'text: contains a lone UTF-16 surrogate'],
  ['utf8(number)', () => utf8(anyOf(1)), 'INVALID_ARGUMENT', 'text: expected a string'],
  ['fromUtf8(invalid)', () => fromUtf8(Uint8Array.of(0xff)), 'INVALID_ENCODING', 'text: not valid UTF-8'],
  [
    'bytesEqual(string)',
    () => bytesEqual(anyOf('a'), h32),
    'INVALID_ARGUMENT',
    'bytesEqual: expected a Uint8Array',
  ],

  // hashing
  ['leafHash(string)', () => leafHash(anyOf('leaf')), 'INVALID_ARGUMENT', 'leaf: expected a Uint8Array'],
  ['nodeHash(31 bytes)', () => nodeHash(h31, h32), 'INVALID_ARGUMENT', 'left: hash is 31 bytes, expected 32'],
  [
    'nodeHash(33 bytes)',
    () => nodeHash(h32, h33),
    'INVALID_ARGUMENT',
    'right: hash is 33 bytes, expected 32',
  ],
  [
    'merkleTreeHash(not array)',
    () => merkleTreeHash(anyOf(h32)),
    'INVALID_ARGUMENT',
    'entries: expected an array',
  ],
  [
    'merkleTreeHash(bad entry)',
    () => merkleTreeHash([h32, anyOf(null)]),
    'INVALID_ARGUMENT',
    'entries[1]: expected a Uint8Array',
  ],

  // stored subtrees and compact ranges
  [
    'rootFromReader(size -1)',
    () => rootFromReader(store, -1),
    'INVALID_ARGUMENT',
    'size: must be >= 0, got -1',
  ],
  [
    'rootFromReader(size 1.5)',
    () => rootFromReader(store, 1.5),
    'INVALID_ARGUMENT',
    'size: expected an integer, got 1.5',
  ],
  [
    'rootFromReader(size "3")',
    () => rootFromReader(store, anyOf('3')),
    'INVALID_ARGUMENT',
    'size: expected an integer, got "3"',
  ],
  [
    'rootFromReader(size 2^53)',
    () => rootFromReader(store, 2 ** 53),
    'INVALID_ARGUMENT',
    'expected an integer, got 9007199254740992',
  ],
  [
    'rootFromReader(reader returns 31 bytes)',
    () => rootFromReader(badReader, 3),
    'INVALID_ARGUMENT',
    /returned 31 bytes for subtree 1\/0/,
  ],
  [
    'store.subtree(incomplete)',
    () => store.subtree(3, 1),
    'INVALID_ARGUMENT',
    'subtree 3/1 is not complete in a log of size 8',
  ],
  ['store.subtree(level -1)', () => store.subtree(-1, 0), 'INVALID_ARGUMENT', 'level: must be >= 0, got -1'],
  ['store.root(size > log)', () => store.root(9), 'INVALID_ARGUMENT', 'size 9 exceeds the log size 8'],
  [
    'store.append(bad hash)',
    () => new MemoryHashStore().append([h31]),
    'INVALID_ARGUMENT',
    'leaves[0]: hash is 31 bytes, expected 32',
  ],
  [
    'CompactRange.fromReader(size -2)',
    () => CompactRange.fromReader(store, -2),
    'INVALID_ARGUMENT',
    'size: must be >= 0, got -2',
  ],
  [
    'CompactRange.fromReader(beyond log)',
    () => CompactRange.fromReader(store, 9),
    'INVALID_ARGUMENT',
    'subtree 0/8 is not complete',
  ],
  [
    'CompactRange.fromHashes(count)',
    () => CompactRange.fromHashes(7, [h32]),
    'INVALID_ARGUMENT',
    'a compact range of size 7 has 3 subtree roots, got 1',
  ],
  [
    'CompactRange.fromHashes(length)',
    () => CompactRange.fromHashes(1, [h31]),
    'INVALID_ARGUMENT',
    'hashes[0]: hash is 31 bytes',
  ],
  [
    'CompactRange.append(bad hash)',
    () => CompactRange.empty().append(h33),
    'INVALID_ARGUMENT',
    'leaf hash: hash is 33 bytes',
  ],
  [
    'CompactRange.appendAll(not array)',
    () => CompactRange.empty().appendAll(anyOf(h32)),
    'INVALID_ARGUMENT',
    'leaves: expected an array',
  ],

  // proof generation
  [
    'inclusionProof(size 0)',
    () => inclusionProof(store, 0, 0),
    'INVALID_ARGUMENT',
    'size: must be >= 1, got 0',
  ],
  [
    'inclusionProof(index = size)',
    () => inclusionProof(store, 8, 8),
    'INVALID_ARGUMENT',
    'index 8 is not below the tree size 8',
  ],
  [
    'inclusionProof(index -1)',
    () => inclusionProof(store, -1, 8),
    'INVALID_ARGUMENT',
    'index: must be >= 0, got -1',
  ],
  [
    'inclusionProof(size beyond log)',
    () => inclusionProof(store, 0, 9),
    'INVALID_ARGUMENT',
    'subtree 0/8 is not complete',
  ],
  [
    'consistencyProof(size1 > size2)',
    () => consistencyProof(store, 5, 4),
    'INVALID_ARGUMENT',
    'size1 5 is greater than size2 4',
  ],
  [
    'consistencyProof(size1 NaN)',
    () => consistencyProof(store, Number.NaN, 4),
    'INVALID_ARGUMENT',
    'size1: expected an integer, got NaN',
  ],

  // proof verification
  [
    'verifyInclusion(leaf 31 bytes)',
    () => verifyInclusion(h31, 0, 8, proof3, root8),
    'INVALID_ARGUMENT',
    'leaf hash: hash is 31 bytes, expected 32',
  ],
  [
    'verifyInclusion(root 33 bytes)',
    () => verifyInclusion(h32, 0, 8, proof3, h33),
    'INVALID_ARGUMENT',
    'root: hash is 33 bytes, expected 32',
  ],
  [
    'verifyInclusion(index = size)',
    () => verifyInclusion(h32, 8, 8, proof3, root8),
    'INVALID_ARGUMENT',
    'index 8 is not below the tree size 8',
  ],
  [
    'verifyInclusion(size 0)',
    () => verifyInclusion(h32, 0, 0, [], root8),
    'INVALID_ARGUMENT',
    'size: must be >= 1, got 0',
  ],
  [
    'verifyInclusion(proof not array)',
    () => verifyInclusion(h32, 0, 8, anyOf('abc'), root8),
    'INVALID_ARGUMENT',
    'proof: expected an array of hashes',
  ],
  [
    'verifyInclusion(proof hash 31 bytes)',
    () => verifyInclusion(h32, 0, 8, [proof3[0]!, h31, proof3[2]!], root8),
    'INVALID_ARGUMENT',
    'proof[1]: hash is 31 bytes, expected 32',
  ],
  [
    'verifyInclusion(huge proof)',
    () => verifyInclusion(h32, 0, 8, Array(200).fill(h32), root8),
    'INVALID_ARGUMENT',
    'proof: 200 hashes is more than any tree needs',
  ],
  [
    'verifyInclusion(short proof)',
    () => verifyInclusion(h32, 0, 8, proof3.slice(1), root8),
    'PROOF_MISMATCH',
    'inclusion proof has 2 hashes; index 0 in a tree of size 8 needs 3',
  ],
  [
    'verifyInclusion(wrong root)',
    () => verifyInclusion(leafHash(Uint8Array.of(0)), 0, 8, proof3, h32),
    'PROOF_MISMATCH',
    /inclusion proof for index 0 in a tree of size 8 leads to root [0-9a-f]{64}, not e3b0c442/,
  ],
  [
    'rootFromInclusionProof(index > size)',
    () => rootFromInclusionProof(h32, 9, 8, proof3),
    'INVALID_ARGUMENT',
    'index 9 is not below the tree size 8',
  ],
  [
    'verifyConsistency(size1 > size2)',
    () => verifyConsistency(8, 7, [], h32, h32),
    'INVALID_ARGUMENT',
    'size1 8 is greater than size2 7',
  ],
  [
    'verifyConsistency(root1 31 bytes)',
    () => verifyConsistency(1, 8, proof3, h31, root8),
    'INVALID_ARGUMENT',
    'root1: hash is 31 bytes, expected 32',
  ],
  [
    'verifyConsistency(size2 -1)',
    () => verifyConsistency(0, -1, [], h32, h32),
    'INVALID_ARGUMENT',
    'size2: must be >= 0, got -1',
  ],
  [
    'verifyConsistency(empty proof)',
    () => verifyConsistency(1, 8, [], store.root(1), root8),
    'PROOF_MISMATCH',
    'consistency proof has 0 hashes; from size 1 to 8 it needs 3',
  ],
  [
    'verifyConsistency(wrong old root)',
    () => verifyConsistency(3, 8, consistencyProof(store, 3, 8), h32, root8),
    'PROOF_MISMATCH',
    /leads to old root [0-9a-f]{64}, not e3b0c442/,
  ],
  [
    'verifyConsistency(wrong new root)',
    () => verifyConsistency(3, 8, consistencyProof(store, 3, 8), store.root(3), h32),
    'PROOF_MISMATCH',
    /leads to new root [0-9a-f]{64}, not e3b0c442/,
  ],

  // keys
  [
    'hex8(negative)',
    () => tlog.hex8(-1),
    'MALFORMED_KEY',
    'key ID: expected a 32-bit unsigned integer, got -1',
  ],
  ['hex8(over 32 bits)', () => tlog.hex8(2 ** 32), 'MALFORMED_KEY', 'got 4294967296'],
  ['keyId(bad name)', () => keyId('a b', h32), 'MALFORMED_KEY', 'invalid key name "a b"'],
  ['keyId(31-byte key)', () => keyId('a', h31), 'MALFORMED_KEY', 'public key: expected 32 bytes, got 31'],
  ['ed25519Verifier(bad name)', () => ed25519Verifier('a+b', h32), 'MALFORMED_KEY', 'invalid key name "a+b"'],
  [
    'ed25519Verifier(off-curve key)',
    () => ed25519Verifier('a', Uint8Array.of(2, ...Array(31).fill(0))),
    'MALFORMED_KEY',
    'public key of a is not a valid Ed25519 point',
  ],
  [
    'ed25519Signer(short seed)',
    () => ed25519Signer('a', h31),
    'MALFORMED_KEY',
    'seed: expected 32 bytes, got 31',
  ],
  ['formatVerifierKey(empty name)', () => formatVerifierKey('', h32), 'MALFORMED_KEY', 'invalid key name ""'],
  [
    'formatSignerKey(long seed)',
    () => formatSignerKey('a', h33),
    'MALFORMED_KEY',
    'seed: expected 32 bytes, got 33',
  ],
  ['generateNoteKey(newline)', () => generateNoteKey('a\nb'), 'MALFORMED_KEY', 'invalid key name "a\\nb"'],
  [
    'parseVerifierKey(number)',
    () => parseVerifierKey(anyOf(1)),
    'MALFORMED_KEY',
    'verifier key: expected a string',
  ],
  [
    'parseVerifierKey(two parts)',
    () => parseVerifierKey('PeterNeumann+c74f20a3'),
    'MALFORMED_KEY',
    'verifier key: expected <name>+<key id>+<key>',
  ],
  [
    'parseVerifierKey(short id)',
    () => parseVerifierKey(peter.verifierKey.replace('c74f20a3', 'c74f20a')),
    'MALFORMED_KEY',
    'key ID must be 8 hex digits, got "c74f20a"',
  ],
  [
    'parseVerifierKey(bad base64)',
    () => parseVerifierKey('PeterNeumann+c74f20a3+!!!!'),
    'MALFORMED_KEY',
    'verifier key base64: invalid character at offset 0',
  ],
  [
    'parseVerifierKey(empty key)',
    () => parseVerifierKey('PeterNeumann+c74f20a3+'),
    'MALFORMED_KEY',
    'verifier key: empty key',
  ],
  [
    'parseVerifierKey(wrong id)',
    () => parseVerifierKey(peter.verifierKey.replace('c74f20a3', '00000000')),
    'MALFORMED_KEY',
    'key ID 00000000 does not match the name and key (expected c74f20a3)',
  ],
  [
    'parseSignerKey(verifier key)',
    () => parseSignerKey(peter.verifierKey),
    'MALFORMED_KEY',
    'signer key: expected PRIVATE+KEY+<name>+<key id>+<key>',
  ],
  [
    'parseSignerKey(wrong id)',
    () => parseSignerKey(peter.signerKey.replace('c74f20a3', 'c74f20a4')),
    'MALFORMED_KEY',
    'signer key: key ID c74f20a4 does not match',
  ],

  // notes
  [
    'parseNote(number)',
    () => parseNote(anyOf(1)),
    'MALFORMED_NOTE',
    'malformed note: expected a string or bytes',
  ],
  [
    'parseNote(no blank line)',
    () => parseNote(peter.text),
    'MALFORMED_NOTE',
    'malformed note: no blank line separating the text from the signatures',
  ],
  [
    'parseNote(CR)',
    () => parseNote(peter.signedNote.replace('\n', '\r\n')),
    'MALFORMED_NOTE',
    'malformed note: control character U+000d at offset 56',
  ],
  [
    'parseNote(short signature)',
    () => parseNote(`${peter.text}\n\u2014 PeterNeumann AAAA\n`),
    'MALFORMED_NOTE',
    'signature line 1: 3 bytes, too short for a key ID and a signature',
  ],
  [
    'parseNote(no signature)',
    () => parseNote(`${peter.text}\n\u2014 PeterNeumann\n`),
    'MALFORMED_NOTE',
    'signature line 1: no signature after the key name',
  ],
  [
    'parseNote(hyphen)',
    () => parseNote(peter.signedNote.replace('\u2014', '-')),
    'MALFORMED_NOTE',
    'signature line 1 does not start with an em dash (U+2014) and a space',
  ],
  [
    'openNote(verifiers not array)',
    () => openNote(peter.signedNote, anyOf(verifier)),
    'INVALID_ARGUMENT',
    'verifiers: expected an array',
  ],
  [
    'openNote(not a verifier)',
    () => openNote(peter.signedNote, [anyOf({ name: 'x' })]),
    'INVALID_ARGUMENT',
    'verifiers[0]: not a NoteVerifier',
  ],
  [
    'openNote(untrusted)',
    () => openNote(peter.signedNote, []),
    'UNTRUSTED_NOTE',
    'note has no signature by a trusted key',
  ],
  [
    'openNote(bad signature)',
    () => openNote(peter.signedNote.replace('problem,', 'problem;'), [verifier]),
    'INVALID_SIGNATURE',
    'signature by trusted key PeterNeumann+c74f20a3 does not verify',
  ],
  [
    'signNote(no newline)',
    () => signNote('abc', [signer]),
    'MALFORMED_NOTE',
    'malformed note: text does not end with a newline',
  ],
  [
    'signNote(number)',
    () => signNote(anyOf(5), [signer]),
    'MALFORMED_NOTE',
    'malformed note: text: expected a string',
  ],
  [
    'signNote(no signers)',
    () => signNote('abc\n', []),
    'MALFORMED_NOTE',
    'malformed note: a signed note needs at least one signature',
  ],
  [
    'signNote(not a signer)',
    () => signNote('abc\n', [anyOf({})]),
    'INVALID_ARGUMENT',
    'signers[0]: not a NoteSigner',
  ],
  [
    'signNote(key id out of range)',
    () => signNote('abc\n', [{ ...signer, keyId: 2 ** 32 }]),
    'INVALID_ARGUMENT',
    'signers[0]: key ID must be a uint32',
  ],

  // checkpoints
  [
    'formatCheckpoint(null)',
    () => formatCheckpoint(anyOf(null)),
    'MALFORMED_CHECKPOINT',
    'malformed checkpoint: expected a checkpoint object',
  ],
  [
    'formatCheckpoint(size "1")',
    () => formatCheckpoint(anyOf({ origin: 'a', size: '1', root: h32 })),
    'MALFORMED_CHECKPOINT',
    'tree size must be an integer in [0, 2^53-1], got 1',
  ],
  [
    'formatCheckpoint(root 31 bytes)',
    () => formatCheckpoint({ origin: 'a', size: 1, root: h31 }),
    'MALFORMED_CHECKPOINT',
    'root hash must be 32 bytes, got 31',
  ],
  [
    'parseCheckpoint(bytes)',
    () => parseCheckpoint(anyOf(h32)),
    'MALFORMED_CHECKPOINT',
    'malformed checkpoint: expected a string',
  ],
  [
    'parseCheckpoint(leading zero)',
    () => parseCheckpoint(`log\n07\n${toBase64(h32)}\n`),
    'MALFORMED_CHECKPOINT',
    'line 2 (tree size) "07" is not a decimal number without sign or leading zeros',
  ],
  [
    'parseCheckpoint(bad base64)',
    () => parseCheckpoint('log\n7\n!!!!\n'),
    'MALFORMED_CHECKPOINT',
    'line 3: root hash: invalid character at offset 0',
  ],
  [
    'signCheckpoint(not a checkpoint)',
    () => signCheckpoint('a\nb\n', signer),
    'MALFORMED_CHECKPOINT',
    'body has 2 lines, a checkpoint needs at least 3',
  ],
  [
    'signCheckpoint(tab in origin)',
    () => signCheckpoint({ origin: 'a\tb', size: 0, root: h32 }, signer),
    'MALFORMED_NOTE',
    'control character or unpaired surrogate at offset 1',
  ],
  [
    'verifyCheckpoint(bad key)',
    () => verifyCheckpoint(peter.signedNote, 'PeterNeumann'),
    'MALFORMED_KEY',
    'verifier key: expected <name>+<key id>+<key>',
  ],
  [
    'verifyCheckpoint(not a note)',
    () => verifyCheckpoint('log\n0\n', verifier),
    'MALFORMED_NOTE',
    'no blank line',
  ],
  [
    'verifyCheckpoint(signed non-checkpoint)',
    () => verifyCheckpoint(peter.signedNote, verifier),
    'MALFORMED_CHECKPOINT',
    'malformed checkpoint: body has 2 lines, a checkpoint needs at least 3',
  ],
  // tiles
  [
    'formatTilePath(width 0)',
    () => formatTilePath({ level: 0, index: 0, width: 0 }),
    'INVALID_ARGUMENT',
    'tile.width: must be >= 1, got 0',
  ],
  [
    'formatTilePath(level 64)',
    () => formatTilePath({ level: 64, index: 0, width: 1 }),
    'INVALID_ARGUMENT',
    'tile.level: must be <= 63, got 64',
  ],
  [
    'parseTilePath(number)',
    () => parseTilePath(anyOf(7)),
    'MALFORMED_TILE_PATH',
    'tile path "7" expected a string',
  ],
  [
    'tileLeafEnd(index -1)',
    () => tileLeafEnd({ level: 0, index: -1, width: 1 }),
    'INVALID_ARGUMENT',
    'tile.index: must be >= 0, got -1',
  ],
  ['tileSpan(null)', () => tileSpan(anyOf(null)), 'INVALID_ARGUMENT', 'tile: expected an object'],
  [
    'encodeHashTile(31 bytes)',
    () => encodeHashTile([h32, h31]),
    'INVALID_ARGUMENT',
    'hashes[1]: hash is 31 bytes, expected 32',
  ],
  [
    'encodeHashTile(none)',
    () => encodeHashTile([]),
    'INVALID_ARGUMENT',
    'hashes: a tile holds 1 to 256, got 0',
  ],
  ['decodeHashTile(33 bytes)', () => decodeHashTile(h33), 'MALFORMED_TILE', 'hash tile is 33 bytes'],
  [
    'encodeEntryBundle(string)',
    () => encodeEntryBundle([anyOf('a')]),
    'INVALID_ARGUMENT',
    'entries[0]: expected a Uint8Array',
  ],
  [
    'decodeEntryBundle(cut)',
    () => decodeEntryBundle(Uint8Array.of(0, 9)),
    'MALFORMED_TILE',
    'entry 0: 9 bytes announced, 0 left',
  ],
  [
    'readHashTile(entries)',
    () => readHashTile(store, { level: 'entries', index: 0, width: 1 }),
    'INVALID_ARGUMENT',
    'tile: an entry bundle has no hashes',
  ],
  [
    'readHashTile(incomplete)',
    () => readHashTile(store, { level: 0, index: 0, width: 9 }),
    'INVALID_ARGUMENT',
    'subtree 0/8 is not complete',
  ],
  ['treeTiles(-1)', () => treeTiles(-1), 'INVALID_ARGUMENT', 'size: must be >= 0, got -1'],
  [
    'rootFromTiles(short tile)',
    () => rootFromTiles(2, () => h32),
    'MALFORMED_TILE',
    'tile/0/000.p/2 holds 1 hashes',
  ],
  // split view
  [
    'checkPair(short root)',
    () => tlog.checkPair(cp8(), { ...cp8(), root: h31 }),
    'INVALID_ARGUMENT',
    'b: malformed checkpoint: root hash must be 32 bytes, got 31',
  ],
  [
    'proofSpan(negative size)',
    () => tlog.proofSpan({ ...cp8(), size: -1 }, cp8()),
    'INVALID_ARGUMENT',
    'a: malformed checkpoint: tree size must be an integer',
  ],
  [
    'openSignedCheckpoint(no origin)',
    () => tlog.openSignedCheckpoint(peter.signedNote, [verifier], anyOf(undefined)),
    'INVALID_ARGUMENT',
    "origin: expected the log's origin",
  ],
  [
    'openSignedCheckpoint(verifiers not an array)',
    () => tlog.openSignedCheckpoint(peter.signedNote, anyOf(verifier), 'log'),
    'INVALID_ARGUMENT',
    'verifiers: expected an array',
  ],
  // cosignatures and the witness protocol
  [
    'cosignatureKeyId(bad name)',
    () => tlog.cosignatureKeyId('a b', h32),
    'MALFORMED_KEY',
    'invalid witness name',
  ],
  [
    'cosignatureVerifier(31 bytes)',
    () => tlog.cosignatureVerifier('w', h31),
    'MALFORMED_KEY',
    'expected 32 bytes',
  ],
  [
    'cosignatureSigner(31 bytes)',
    () => tlog.cosignatureSigner('w', h31),
    'MALFORMED_KEY',
    'seed of w: expected 32',
  ],
  [
    'cosignedMessage(not a checkpoint)',
    () => tlog.cosignedMessage('x\n', 1),
    'MALFORMED_CHECKPOINT',
    'needs at least 3',
  ],
  [
    'parseCosignatureVerifierKey(no fields)',
    () => tlog.parseCosignatureVerifierKey('w'),
    'MALFORMED_KEY',
    'witness key: expected <name>+<key id>+<key>',
  ],
  ['cosignatures(not a note)', () => tlog.cosignatures('x', []), 'MALFORMED_NOTE', 'no blank line'],
  ['addNoteSignatures(not a note)', () => tlog.addNoteSignatures('x', []), 'MALFORMED_NOTE', 'no blank line'],
  ['parseSignatureLines(no dash)', () => tlog.parseSignatureLines('x\n'), 'MALFORMED_NOTE', 'em dash'],
  [
    'signatureLine(bad name)',
    () => tlog.signatureLine({ name: 'a b', keyId: 1, signature: h32 }),
    'INVALID_ARGUMENT',
    'invalid key name',
  ],
  [
    'formatAddCheckpointRequest(negative old size)',
    () => tlog.formatAddCheckpointRequest({ oldSize: -1, proof: [], checkpoint: peter.signedNote }),
    'MALFORMED_REQUEST',
    'old size -1 is not a tree size',
  ],
  [
    'parseAddCheckpointRequest(no empty line)',
    () => tlog.parseAddCheckpointRequest('old 1\n'),
    'MALFORMED_REQUEST',
    'no empty line',
  ],
];

describe('every public function rejects malformed input with a precise TlogError', () => {
  for (const [label, fn, code, message] of cases) {
    it(label, () => {
      let thrown: unknown;
      try {
        fn();
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `${label} did not throw`).toBeInstanceOf(TlogError);
      const err = thrown as TlogError;
      expect(err.code).toBe(code);
      expect(err.retriable).toBe(false);
      if (typeof message === 'string') expect(err.message).toContain(message);
      else expect(err.message).toMatch(message);
    });
  }

  it('raises ProofError (a TlogError) from proof generation and verification only', () => {
    for (const [label, fn] of cases) {
      try {
        fn();
      } catch (err) {
        const proofy =
          /^(inclusionProof|consistencyProof|verifyInclusion|verifyConsistency|rootFromInclusionProof)\(/.test(
            label,
          );
        const fromStore = /not complete/.test((err as Error).message);
        if (!fromStore) expect(err instanceof ProofError, label).toBe(proofy);
      }
    }
  });

  it('covers every exported function', () => {
    const covered = new Set(
      cases.map(([label]) => label.replace(/^(store|CompactRange)\./, '').replace(/\(.*$/, '')),
    );
    const exempt = new Set([
      'emptyRoot',
      'isValidKeyName',
      'TlogError',
      'ProofError',
      'CompactRange',
      'MemoryHashStore',
      'isSignedCheckpoint', // a type guard: any input is simply not a signed checkpoint
      // Reads any HTTP answer and never throws by contract: test/witness-protocol.unit.test.ts.
      'parseAddCheckpointAnswer',
      // Hashes any bytes; sha256.unit.test.ts checks it against known answers and @noble/hashes.
      'sha256',
    ]);
    const functions = Object.entries(tlog).filter(
      ([name, value]) => typeof value === 'function' && !exempt.has(name),
    );
    expect(functions.map(([name]) => name).filter((name) => !covered.has(name))).toEqual([]);
  });

  it('isValidKeyName says no to what the spec forbids and yes to what Go accepts', () => {
    for (const bad of [
      '',
      'a b',
      'a+b',
      'a\u00a0b',
      'a\u2003b',
      'a\u3000b',
      'a\u0085b',
      'a\tb',
      'a\u0001b',
      '\uD800',
      42,
    ]) {
      expect(isValidKeyName(bad), JSON.stringify(bad)).toBe(false);
    }
    for (const good of [
      'PeterNeumann',
      'example.com/log42',
      'Señor-1',
      'quasimodo.example/salvatore',
      '\u{1F48A}',
    ]) {
      expect(isValidKeyName(good), good).toBe(true);
    }
  });
});
