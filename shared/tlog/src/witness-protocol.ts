import { fromBase64, toBase64 } from './encoding.ts';
import { TlogError } from './errors.ts';
import { HASH_SIZE } from './merkle.ts';
import { type NoteSignature, parseNote, parseSignatureLines } from './note.ts';

// C2SP tlog-witness (https://c2sp.org/tlog-witness), the add-checkpoint call:
//   POST <prefix>/add-checkpoint
//   old <size>\n <base64 proof hash>\n ... \n <signed checkpoint note>
// answered 200 with cosignature lines, 409 (text/x.tlog.size) with the witness's latest size, or
// 400/403/404/422 for the request's faults.

/** Most consistency proof lines a client may send (the spec's bound). */
export const MAX_PROOF_LINES = 63;
/** The content type of a 409 answer's body, the witness's latest cosigned size. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** One add-checkpoint request. */
export interface AddCheckpointRequest {
  /** The size of the latest checkpoint the witness cosigned for this log (0: none). */
  readonly oldSize: number;
  /** RFC 9162 consistency proof from `oldSize` to the checkpoint's size; empty when oldSize is 0. */
  readonly proof: readonly Uint8Array[];
  /** The log's signed checkpoint note. */
  readonly checkpoint: string;
}

/**
 * The add-checkpoint request body.
 * @example formatAddCheckpointRequest({ oldSize: 5, proof, checkpoint: note })
 */
export function formatAddCheckpointRequest(req: AddCheckpointRequest): string {
  if (typeof req !== 'object' || req === null) throw bad('expected a request object');
  const { oldSize, proof, checkpoint } = req;
  if (!Number.isSafeInteger(oldSize) || oldSize < 0)
    throw bad(`old size ${String(oldSize)} is not a tree size`);
  if (!Array.isArray(proof)) throw bad('proof: expected an array of hashes');
  if (proof.length > MAX_PROOF_LINES) throw bad(`${proof.length} proof lines, at most ${MAX_PROOF_LINES}`);
  if (oldSize === 0 && proof.length > 0) throw bad('a proof from old size 0 must be empty');
  proof.forEach((h, i) => {
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE)
      throw bad(`proof[${i}]: expected ${HASH_SIZE} bytes`);
  });
  parseNote(checkpoint);
  return `old ${oldSize}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${checkpoint}`;
}

/**
 * Parses an add-checkpoint request body (the witness's side). Throws `MALFORMED_REQUEST`, a 400,
 * naming the line at fault; the checkpoint note is only split, not verified.
 */
export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  if (typeof body !== 'string') throw bad('expected a string body');
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw bad('no empty line between the proof and the checkpoint');
  const lines = body.slice(0, blank).split('\n');
  const checkpoint = body.slice(blank + 2);
  const oldLine = lines[0]!;
  const m = /^old (0|[1-9][0-9]{0,15})$/.exec(oldLine);
  if (!m) throw bad(`line 1 ${JSON.stringify(oldLine.slice(0, 40))} is not "old <size>" in decimal`);
  const oldSize = Number(m[1]);
  if (!Number.isSafeInteger(oldSize)) throw bad(`old size ${m[1]} is beyond 2^53-1`);
  const proofLines = lines.slice(1);
  if (proofLines.length > MAX_PROOF_LINES) {
    throw bad(`${proofLines.length} proof lines, at most ${MAX_PROOF_LINES}`);
  }
  const proof = proofLines.map((line, i) => {
    let hash: Uint8Array;
    try {
      hash = fromBase64(line, `proof line ${i + 1}`);
    } catch (err) {
      throw bad((err as Error).message);
    }
    if (hash.length !== HASH_SIZE)
      throw bad(`proof line ${i + 1}: ${hash.length} bytes, expected ${HASH_SIZE}`);
    return hash;
  });
  try {
    parseNote(checkpoint);
  } catch (err) {
    throw bad(`the checkpoint: ${(err as Error).message}`);
  }
  return { oldSize, proof, checkpoint };
}

/** What a witness answered to add-checkpoint, read by the log's client. */
export type AddCheckpointAnswer =
  /** 200: the witness's cosignature lines (not yet verified). */
  | { readonly kind: 'cosigned'; readonly signatures: NoteSignature[] }
  /** 409: the witness's latest cosigned size differs from the request's old size; resend from it. */
  | { readonly kind: 'conflict'; readonly size: number }
  /**
   * Anything else. `retriable` for 5xx, 429 and unreadable answers (a witness down or overloaded);
   * 400, 403, 404, 422 and other 4xx say the request itself is refused and would be again.
   */
  | {
      readonly kind: 'refused';
      readonly status: number;
      readonly retriable: boolean;
      readonly reason: string;
    };

const REFUSALS: Record<number, string> = {
  400: 'bad request (old size above the checkpoint size, or a malformed body)',
  403: 'forbidden: no signature by a log key the witness trusts, or one that does not verify',
  404: 'the witness does not know this log (origin not registered)',
  422: 'unprocessable: the checkpoint is not consistent with what the witness cosigned before',
};

/**
 * Reads a witness's answer to add-checkpoint from its HTTP status, content type and body. Never
 * throws: a malformed 200 or 409 is a retriable refusal, since the next answer may be whole.
 */
export function parseAddCheckpointAnswer(
  status: number,
  contentType: string | null,
  body: string,
): AddCheckpointAnswer {
  const detail = body.trim().slice(0, 200);
  if (status === 200) {
    try {
      return { kind: 'cosigned', signatures: parseSignatureLines(body) };
    } catch (err) {
      return {
        kind: 'refused',
        status,
        retriable: true,
        reason: `200 with a malformed body: ${(err as Error).message}`,
      };
    }
  }
  if (status === 409) {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const m = /^(0|[1-9][0-9]{0,15})\n$/.exec(body);
    if (type === TLOG_SIZE_CONTENT_TYPE && m && Number.isSafeInteger(Number(m[1]))) {
      return { kind: 'conflict', size: Number(m[1]) };
    }
    const why =
      type === TLOG_SIZE_CONTENT_TYPE
        ? 'a body that is not "<size>\\n"'
        : `content type ${JSON.stringify(type)}`;
    return { kind: 'refused', status, retriable: true, reason: `409 with ${why}` };
  }
  const retriable = status >= 500 || status === 429 || status === 408;
  const known = REFUSALS[status] ?? (retriable ? 'witness unavailable' : 'refused');
  return { kind: 'refused', status, retriable, reason: `${status} ${known}${detail ? `: ${detail}` : ''}` };
}

function bad(detail: string): TlogError {
  return new TlogError('MALFORMED_REQUEST', `add-checkpoint: ${detail}`);
}
