// @rxledger/tlog: transparency-log primitives that stand alone (STYLE §8). Pure functions over
// Uint8Array, no server or Node dependency, so the ledger, the offline verifier CLI and the browser
// page all check proofs and checkpoints with the same code.

export {
  type Checkpoint,
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type VerifyCheckpointOptions,
  verifyCheckpoint,
} from './checkpoint.ts';
export { CompactRange } from './compact-range.ts';
export {
  COSIGNATURE_KEY_TYPE,
  type CosignatureSigner,
  type CosignatureStatus,
  type CosignatureVerifier,
  cosignatureKeyId,
  cosignatureSigner,
  cosignatures,
  cosignatureVerifier,
  cosignedMessage,
  parseCosignatureVerifierKey,
} from './cosignature.ts';
export {
  bytesEqual,
  concatBytes,
  fromBase64,
  fromBase64Url,
  fromHex,
  fromUtf8,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
} from './encoding.ts';
export { ProofError, TlogError, type TlogErrorCode } from './errors.ts';
export { type HashReader, rootFromReader, type TreeNode } from './hash-reader.ts';
export {
  ED25519_KEY_TYPE,
  ed25519Signer,
  ed25519Verifier,
  formatSignerKey,
  formatVerifierKey,
  generateNoteKey,
  hex8,
  isValidKeyName,
  keyId,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
} from './keys.ts';
export { MemoryHashStore } from './memory-hash-store.ts';
export { emptyRoot, HASH_SIZE, leafHash, merkleTreeHash, nodeHash } from './merkle.ts';
export { sha256 } from '#sha256';
export {
  addNoteSignatures,
  MAX_NOTE_SIGNATURES,
  type NoteSignature,
  type OpenedNote,
  openNote,
  type ParsedNote,
  parseNote,
  parseSignatureLines,
  signatureLine,
  signNote,
} from './note.ts';
export { consistencyProof, inclusionProof } from './proofs.ts';
export {
  checkPair,
  isSignedCheckpoint,
  openSignedCheckpoint,
  type PairVerdict,
  proofSpan,
  type SignedCheckpoint,
  type SplitCheck,
  type Unusable,
} from './split-view.ts';
export {
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  encodeHashTile,
  formatTilePath,
  MAX_BUNDLE_ENTRY,
  parseTilePath,
  readHashTile,
  rootFromTiles,
  TILE_HEIGHT,
  TILE_WIDTH,
  type Tile,
  tileLeafEnd,
  tileSpan,
  treeTiles,
} from './tiles.ts';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.ts';
export {
  type AddCheckpointAnswer,
  type AddCheckpointRequest,
  formatAddCheckpointRequest,
  MAX_PROOF_LINES,
  parseAddCheckpointAnswer,
  parseAddCheckpointRequest,
  TLOG_SIZE_CONTENT_TYPE,
} from './witness-protocol.ts';
