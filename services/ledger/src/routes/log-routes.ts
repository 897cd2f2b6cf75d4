import { rxledgerSchemas } from '@rxledger/events';
import { RxError, ValidationError } from '@rxledger/runtime';
import { consistencyProof, inclusionProof, toBase64 } from '@rxledger/tlog';
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import type { LedgerStore } from '../store/ledger-store.ts';
import { parseQuery, queryInteger } from './query.ts';

export const inclusionQuery = z.object({ index: queryInteger('index'), size: queryInteger('size') }).strict();
export const consistencyQuery = z.object({ from: queryInteger('from'), to: queryInteger('to') }).strict();
export const checkpointQuery = z.object({ size: queryInteger('size') }).strict();

/**
 * The latest signed checkpoint note: `GET /v1/checkpoint`, and `GET /checkpoint` of the C2SP
 * tlog-tiles API (routes/tile-routes.ts), one handler so both always serve the same note. Mutable,
 * so caches revalidate it every time (tlog-tiles: no caching beyond a few seconds).
 */
/** A signed note with its witnesses' cosignatures appended (witness/cosignature-store.ts). */
export type Cosigned = (note: string) => string;
const asSigned: Cosigned = (note) => note;

export function latestCheckpointHandler(store: LedgerStore, cosigned: Cosigned = asSigned): RequestHandler {
  return (_req, res) => {
    const latest = store.latestCheckpoint();
    if (!latest)
      throw new RxError('NO_CHECKPOINT', 'no checkpoint has been signed yet', {
        status: 503,
        retriable: true,
      });
    res.set('Cache-Control', 'no-cache').type('text/plain; charset=utf-8').send(cosigned(latest.note));
  };
}

/**
 * The public routes of the log (DESIGN §5): checkpoint, proofs and schemas. They reveal hashes
 * only, never event contents. Checkpoints are served with the cosignatures witnesses gave them.
 */
export function logRoutes(app: Express, store: LedgerStore, opts: { cosigned?: Cosigned } = {}): void {
  const cosigned = opts.cosigned ?? asSigned;
  const latestCheckpoint = latestCheckpointHandler(store, cosigned);
  app.get('/v1/checkpoint', (req, res, next) => {
    if (req.query.size === undefined) return latestCheckpoint(req, res, next);
    const { size } = parseQuery(checkpointQuery, req.query);
    const signed = store.checkpoint(size);
    if (!signed) {
      const latest = store.latestCheckpoint()?.size;
      const hint = latest === undefined ? 'it has signed none yet' : `its latest is at size ${latest}`;
      throw new RxError('NO_CHECKPOINT_AT_SIZE', `this node signed no checkpoint at size ${size}; ${hint}`, {
        status: 404,
      });
    }
    res.set('Cache-Control', 'no-cache').type('text/plain; charset=utf-8').send(cosigned(signed.note));
  });

  app.get('/v1/proofs/inclusion', (req, res) => {
    const { index, size } = parseQuery(inclusionQuery, req.query);
    beyondSigned(store, 'size', size);
    if (index >= size) fieldError('index', 'BAD_INDEX', `index ${index} must be below size ${size}`);
    const proof = inclusionProof(store.hashReader(), index, size);
    res.json({
      index,
      size,
      leafHash: toBase64(store.hashReader().subtree(0, index)),
      proof: proof.map(toBase64),
    });
  });

  app.get('/v1/proofs/consistency', (req, res) => {
    const { from, to } = parseQuery(consistencyQuery, req.query);
    beyondSigned(store, 'to', to);
    if (from > to) fieldError('from', 'BAD_RANGE', `from ${from} must not exceed to ${to}`);
    const proof = from === 0 || from === to ? [] : consistencyProof(store.hashReader(), from, to);
    res.json({ from, to, proof: proof.map(toBase64) });
  });

  app.get('/v1/schemas', (_req, res) => {
    res.json(rxledgerSchemas.toJSON());
  });
}

/**
 * Proofs reach only as far as the latest signed checkpoint: a tree size no checkpoint vouches for has
 * no root a client could check the proof against, and would expose leaves the node has not committed
 * to publicly yet.
 */
function beyondSigned(store: LedgerStore, name: string, size: number): void {
  const signed = store.latestCheckpoint()?.size ?? 0;
  if (size > signed) {
    const reason = `${name} ${size} is beyond the latest signed checkpoint (size ${signed}); ask for at most ${signed}`;
    fieldError(name, 'BEYOND_LOG', reason);
  }
}

/** A 400 naming the query parameter at fault, under a code a client can act on. */
function fieldError(field: string, code: string, reason: string): never {
  throw new ValidationError([{ field, reason }], reason, code);
}
