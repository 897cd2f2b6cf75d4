import { RxError } from '@rxledger/runtime/errors';

/** Why bytes could not be read or written as an rxledger Avro record. */
export type CodecErrorCode =
  | 'BAD_MAGIC'
  | 'TRUNCATED'
  | 'UNKNOWN_SCHEMA'
  | 'TRAILING_BYTES'
  | 'MALFORMED_BODY'
  | 'NON_CANONICAL_ENCODING'
  | 'WRONG_RECORD_TYPE'
  | 'INVALID_RECORD'
  | 'UNKNOWN_RECORD_NAME';

/** Bytes that are not a well-formed record of a known schema (or a value that cannot be encoded). */
export class CodecError extends RxError {
  declare readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string) {
    // A record that does not decode today will not decode tomorrow: never retriable.
    super(code, message, { status: 400, retriable: false });
  }
}

/** Why a key or key file was refused. */
export type KeyErrorCode =
  | 'BAD_KEY_LENGTH'
  | 'NON_CANONICAL_KEY'
  | 'SMALL_ORDER_KEY'
  | 'MIXED_ORDER_KEY'
  | 'NOT_ON_CURVE'
  | 'KEY_FILE_PERMISSIONS'
  | 'KEY_FILE_FORMAT'
  | 'KEY_FILE_MISMATCH'
  | 'KEY_FILE_EXISTS';

/** A key or key file that must not be used; messages never contain key material. */
export class KeyError extends RxError {
  declare readonly code: KeyErrorCode;

  constructor(code: KeyErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(code, message, { status: 400, retriable: false, cause: opts.cause });
  }
}
