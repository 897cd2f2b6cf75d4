/**
 * What went wrong in a transparency-log primitive. Every failure here is a property of the input (a
 * malformed proof, note, key or checkpoint), so none is ever worth retrying with the same input.
 */
export type TlogErrorCode =
  /** The caller broke the function's contract: wrong hash length, index >= size, non-integer size. */
  | 'INVALID_ARGUMENT'
  /** Hex, base64 or UTF-8 that does not decode, or decodes non-canonically. */
  | 'INVALID_ENCODING'
  /** A well-formed proof that does not prove what it claims. */
  | 'PROOF_MISMATCH'
  /** A verifier or signer key string that does not parse or whose key ID does not match. */
  | 'MALFORMED_KEY'
  /** Text that is not a C2SP signed note. */
  | 'MALFORMED_NOTE'
  /** Note text that is not a C2SP tlog-checkpoint body. */
  | 'MALFORMED_CHECKPOINT'
  /** A signature by a trusted key that does not verify: the note was altered or forged. */
  | 'INVALID_SIGNATURE'
  /** A note with no signature from any trusted key. */
  | 'UNTRUSTED_NOTE'
  /** Two trusted keys share a name and key ID, so a signature cannot be attributed. */
  | 'AMBIGUOUS_KEY'
  /** A checkpoint signed by a trusted key but for another log. */
  | 'ORIGIN_MISMATCH'
  /** A path that is not the canonical C2SP tlog-tiles path of a tile or entry bundle. */
  | 'MALFORMED_TILE_PATH'
  /** Tile or entry-bundle bytes that do not decode. */
  | 'MALFORMED_TILE'
  /** A leaf longer than an entry bundle's uint16 length prefix can announce (65,535 bytes). */
  | 'ENTRY_TOO_LARGE'
  /** A C2SP tlog-witness request body that does not parse (a witness answers 400). */
  | 'MALFORMED_REQUEST';

/** A failed transparency-log check or malformed input; `code` is stable, the message says where. */
export class TlogError extends Error {
  readonly code: TlogErrorCode;
  /** Always false: the same input fails the same way (STYLE §4; read by the shared retry helper). */
  readonly retriable = false;

  constructor(code: TlogErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A Merkle proof that failed verification, either because it is malformed (`INVALID_ARGUMENT`) or
 * because it does not lead to the expected root (`PROOF_MISMATCH`). A separate class so a bundle
 * verifier can tell "this proof is bad" from a bug in its own code with one `instanceof`.
 */
export class ProofError extends TlogError {}
