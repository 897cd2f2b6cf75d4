import { asBuffer } from '@rxledger/events';
import { RxError, ValidationError } from '@rxledger/runtime';
import {
  encodeEntryBundle,
  encodeHashTile,
  formatTilePath,
  MAX_BUNDLE_ENTRY,
  parseTilePath,
  type Tile,
  TILE_WIDTH,
  TlogError,
  tileLeafEnd,
  tileSpan,
} from '@rxledger/tlog';
import type { Express, Response } from 'express';
import type { LedgerStore } from '../store/ledger-store.ts';
import { type Cosigned, latestCheckpointHandler } from './log-routes.ts';

/** A full tile never changes: any cache may keep it for good. */
const FULL_TILE_CACHE = 'public, max-age=31536000, immutable';
/** A partial tile never changes either, but the log may drop it once the full tile exists (tlog-tiles). */
const PARTIAL_TILE_CACHE = 'public, max-age=60';

/**
 * The C2SP tlog-tiles read API (https://c2sp.org/tlog-tiles) under the node's root: `/checkpoint`,
 * hash tiles `/tile/<L>/<N>[.p/<W>]` and entry bundles `/tile/entries/<N>[.p/<W>]`, so any tlog-tiles
 * client can mirror the log and verify it against a checkpoint. Public, like the proofs: tiles hold
 * hashes, and bundles the leaves the checkpoints commit to. Each request reads at most 256 hashes or
 * 256 leaves of at most 64 KiB, in one query.
 */
export function tileRoutes(app: Express, store: LedgerStore, cosigned?: Cosigned): void {
  app.get('/checkpoint', latestCheckpointHandler(store, cosigned));

  // A tile index takes a variable number of path elements, so one wildcard and a strict parser. A
  // string pattern, not a RegExp: it is the route label of the request metrics.
  app.get('/tile/*path', (req, res) => {
    // Errors below (400, 404) must not be kept by caches: the same tile may exist a second later.
    res.set('Cache-Control', 'no-store');
    const tile = parsePath(req.path.slice(1));
    const signed = store.latestCheckpoint()?.size ?? 0;
    const needs = tileLeafEnd(tile);
    if (needs > signed) {
      throw new RxError(
        'TILE_NOT_FOUND',
        `${formatTilePath(tile)} needs a tree of ${needs} leaves; the latest signed checkpoint has ${signed}`,
        { status: 404 },
      );
    }
    sendTile(res, tile, tile.level === 'entries' ? entryBundle(store, tile) : hashTile(store, tile));
  });
}

function parsePath(path: string): Tile {
  try {
    return parseTilePath(path);
  } catch (err) {
    if (!(err instanceof TlogError)) throw err;
    throw new ValidationError([{ field: 'path', reason: err.message }], err.message, 'BAD_TILE_PATH');
  }
}

function hashTile(store: LedgerStore, tile: Tile): Uint8Array {
  const { treeLevel, start, count } = tileSpan(tile);
  return encodeHashTile(store.hashRange(treeLevel, start, count));
}

/**
 * The bundle of the tile's leaves. A leaf over 65,535 bytes (an event naming thousands of items)
 * cannot be written in the format; its bundle is refused with a 4xx, not a 5xx, since a client
 * retrying would only wait longer for the same answer. Its hash is in the level-0 tile all the same.
 */
function entryBundle(store: LedgerStore, tile: Tile): Uint8Array {
  const { start, count } = tileSpan(tile);
  const read = store.leafRange(start, count, MAX_BUNDLE_ENTRY);
  if ('tooLong' in read) {
    const { seq, length } = read.tooLong;
    throw new RxError(
      'ENTRY_TOO_LARGE',
      `leaf ${seq} is ${length} bytes; a tlog-tiles entry bundle holds entries of at most ${MAX_BUNDLE_ENTRY} bytes, so ${formatTilePath(tile)} cannot be served (the leaf's hash is in the level-0 tile)`,
      { status: 422 },
    );
  }
  return encodeEntryBundle(read.leaves);
}

function sendTile(res: Response, tile: Tile, data: Uint8Array): void {
  res
    .set('Cache-Control', tile.width === TILE_WIDTH ? FULL_TILE_CACHE : PARTIAL_TILE_CACHE)
    .type('application/octet-stream')
    .send(asBuffer(data));
}
