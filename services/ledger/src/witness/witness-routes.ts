import type { Logger } from '@rxledger/runtime';
import {
  bytesEqual,
  CompactRange,
  type CosignatureSigner,
  emptyRoot,
  type HashReader,
  type NoteVerifier,
  openNote,
  parseAddCheckpointRequest,
  parseCheckpoint,
  parseNote,
  ProofError,
  signatureLine,
  TLOG_SIZE_CONTENT_TYPE,
  TlogError,
  verifyConsistency,
} from '@rxledger/tlog';
import express, { type Express } from 'express';
import type { CosignatureStore } from './cosignature-store.ts';

export interface WitnessServerOptions {
  /** The node's own fold: how far it has folded, and its tree. */
  store: { size(): number; hashReader(): HashReader };
  cosigs: CosignatureStore;
  /** This node's witness key (C2SP cosignature, type 0x04 vkey). */
  signer: CosignatureSigner;
  /** Note keys of the peer logs this node cosigns; each key's name is its log's origin. */
  logs: readonly NoteVerifier[];
  log: Logger;
  /** Milliseconds since the epoch (tests fix it). */
  now?: () => number;
}

/** One answer of add-checkpoint. */
export interface WitnessAnswer {
  status: number;
  body: string;
  contentType?: string;
  retryAfter?: number;
}

/**
 * C2SP tlog-witness `POST /add-checkpoint`, by a ledger node for a peer folding the same topic: it
 * cosigns only a checkpoint whose root equals its own fold's root at that size, which makes "every
 * node folds identically" a signed statement anyone can check. `GET /v1/witness` names its key.
 */
export function witnessRoutes(app: Express, opts: WitnessServerOptions): void {
  const logs = opts.logs.map((l) => l.name);
  opts.log.info({ vkey: opts.signer.vkey, logs }, 'witness of peer logs: cosigning on POST /add-checkpoint');
  app.post('/add-checkpoint', express.text({ type: () => true, limit: '64kb' }), (req, res) => {
    const answer = addCheckpoint(typeof req.body === 'string' ? req.body : '', opts);
    if (answer.retryAfter !== undefined) res.set('Retry-After', String(answer.retryAfter));
    res
      .status(answer.status)
      .type(answer.contentType ?? 'text/plain; charset=utf-8')
      .send(answer.body);
  });
  app.get('/v1/witness', (_req, res) => {
    res.json({ name: opts.signer.name, vkey: opts.signer.vkey, logs });
  });
}

/**
 * Decides one add-checkpoint request in the spec's order (400, 404, 403, 400, 409, 422), then this
 * node's own rule: a size it has not folded yet is 503 with Retry-After (the peer retries), a root
 * other than its own at that size is 422. Synchronous from check to record, so two requests cannot
 * interleave between checking the old size and storing the new one (the spec's race).
 */
export function addCheckpoint(body: string, opts: WitnessServerOptions): WitnessAnswer {
  let req;
  let checkpoint;
  try {
    req = parseAddCheckpointRequest(body);
    checkpoint = parseCheckpoint(parseNote(req.checkpoint).text);
  } catch (err) {
    return text(400, (err as Error).message);
  }
  const keys = opts.logs.filter((k) => k.name === checkpoint.origin);
  if (keys.length === 0) return text(404, `unknown log origin ${JSON.stringify(checkpoint.origin)}`);
  try {
    openNote(req.checkpoint, keys);
  } catch (err) {
    if (err instanceof TlogError) return text(403, err.message);
    throw err;
  }
  const { origin, size, root } = checkpoint;
  if (req.oldSize > size) return text(400, `old size ${req.oldSize} is above the checkpoint size ${size}`);
  const known = opts.cosigs.witnessed(origin);
  const latest = known?.size ?? 0;
  if (req.oldSize !== latest) {
    return { status: 409, body: `${latest}\n`, contentType: TLOG_SIZE_CONTENT_TYPE };
  }
  if (size === 0 && !bytesEqual(root, emptyRoot()))
    return text(422, 'a checkpoint of size 0 must have the empty root');
  try {
    verifyConsistency(req.oldSize, size, req.proof, known?.root ?? emptyRoot(), root);
  } catch (err) {
    if (err instanceof ProofError) return text(422, `not consistent with size ${latest}: ${err.message}`);
    throw err;
  }
  const folded = opts.store.size();
  if (size > folded) {
    return { ...text(503, `this node has folded ${folded} leaves, not yet ${size}; retry`), retryAfter: 1 };
  }
  if (!bytesEqual(CompactRange.fromReader(opts.store.hashReader(), size).root(), root)) {
    opts.log.error({ origin, size }, 'a peer signed a root this node does not fold to: refusing to cosign');
    return text(422, `the root at size ${size} differs from this node's fold of the same topic`);
  }
  opts.cosigs.saveWitnessed({ origin, size, root, note: req.checkpoint });
  const timestamp = Math.floor((opts.now ?? Date.now)() / 1000);
  const cosignature = opts.signer.cosign(parseNote(req.checkpoint).text, timestamp);
  return text(200, signatureLine(cosignature));
}

function text(status: number, body: string): WitnessAnswer {
  return { status, body: body.endsWith('\n') ? body : `${body}\n` };
}
