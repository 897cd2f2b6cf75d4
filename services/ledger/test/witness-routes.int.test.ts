import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@rxledger/runtime';
import {
  consistencyProof,
  cosignatures,
  cosignatureSigner,
  ed25519Signer,
  formatAddCheckpointRequest,
  formatVerifierKey,
  leafHash,
  MemoryHashStore,
  parseCosignatureVerifierKey,
  parseVerifierKey,
  signCheckpoint,
} from '@rxledger/tlog';
import { afterAll, describe, expect, it } from 'vitest';
import { type Db, openLedgerDb } from '../src/store/ledger-db.ts';
import { CosignatureStore } from '../src/witness/cosignature-store.ts';
import { addCheckpoint, type WitnessServerOptions } from '../src/witness/witness-routes.ts';

// The add-checkpoint decisions of a ledger node acting as a witness, against a real SQLite store:
// each status the C2SP tlog-witness spec names, and the node's own rules (its fold's root, its size).
const ORIGIN = 'peer.test.rxledger.dev/custody';
const peer = ed25519Signer(ORIGIN, new Uint8Array(32).fill(7));
const stranger = ed25519Signer(ORIGIN, new Uint8Array(32).fill(8));
const witness = cosignatureSigner('node-b.test.rxledger.dev/witness', new Uint8Array(32).fill(9));

describe('a ledger node answering add-checkpoint as a witness', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxledger-witness-'));
  const db: Db = openLedgerDb(join(dir, 'ledger.sqlite'));
  const cosigs = new CosignatureStore(db);
  // The peer's log: 12 leaves. This node has folded only the first 8 of the same leaves.
  const peerTree = new MemoryHashStore();
  peerTree.append(Array.from({ length: 12 }, (_, i) => leafHash(Uint8Array.of(i))));
  const ownTree = new MemoryHashStore();
  ownTree.append(Array.from({ length: 8 }, (_, i) => leafHash(Uint8Array.of(i))));
  const opts: WitnessServerOptions = {
    store: { size: () => ownTree.size, hashReader: () => ownTree },
    cosigs,
    signer: witness,
    logs: [parseVerifierKey(formatVerifierKey(ORIGIN, peer.publicKey))],
    log: createLogger({ service: 'test', level: 'silent' }),
    now: () => 1_796_310_833_000,
  };
  const note = (size: number, by = peer, root = peerTree.root(size)) =>
    signCheckpoint({ origin: ORIGIN, size, root }, by);
  const ask = (
    oldSize: number,
    checkpoint: string,
    proof = oldSize === 0 ? [] : consistencyProof(peerTree, oldSize, 12),
  ) => addCheckpoint(formatAddCheckpointRequest({ oldSize, proof, checkpoint }), opts);
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cosigns a checkpoint whose root equals its own fold at that size, and remembers it', () => {
    const checkpoint = note(5);
    const answer = ask(0, checkpoint);
    expect(answer.status).toBe(200);
    const [status] = cosignatures(checkpoint + answer.body, [parseCosignatureVerifierKey(witness.vkey)]);
    expect(status).toMatchObject({ status: 'cosigned', timestamp: 1_796_310_833 });
    expect(cosigs.witnessed(ORIGIN)).toMatchObject({ size: 5, note: checkpoint });
  });

  it('answers 409 with its latest size as text/x.tlog.size when the old size is not it', () => {
    expect(ask(0, note(8))).toEqual({ status: 409, body: '5\n', contentType: 'text/x.tlog.size' });
  });

  it('answers 503 with Retry-After for a size it has not folded yet, and cosigns nothing', () => {
    const answer = addCheckpoint(
      formatAddCheckpointRequest({
        oldSize: 5,
        proof: consistencyProof(peerTree, 5, 12),
        checkpoint: note(12),
      }),
      opts,
    );
    expect(answer).toMatchObject({
      status: 503,
      retryAfter: 1,
      body: expect.stringMatching(/folded 8 leaves, not yet 12/),
    });
    expect(cosigs.witnessed(ORIGIN)?.size).toBe(5);
  });

  it('refuses with 422 a checkpoint that is consistent with what it cosigned but not with its own fold', () => {
    // A log whose leaves 5-7 differ: a valid extension of the cosigned size 5, but a fork of this fold.
    const fork = new MemoryHashStore();
    fork.append(Array.from({ length: 8 }, (_, i) => leafHash(Uint8Array.of(i < 5 ? i : 100 + i))));
    const answer = addCheckpoint(
      formatAddCheckpointRequest({
        oldSize: 5,
        proof: consistencyProof(fork, 5, 8),
        checkpoint: note(8, peer, fork.root(8)),
      }),
      opts,
    );
    expect(answer).toMatchObject({
      status: 422,
      body: expect.stringMatching(/differs from this node's fold/),
    });
    expect(cosigs.witnessed(ORIGIN)?.size).toBe(5);
  });

  it('refuses with 422 a proof that does not lead from the size it cosigned', () => {
    const answer = addCheckpoint(
      formatAddCheckpointRequest({
        oldSize: 5,
        proof: consistencyProof(peerTree, 4, 8),
        checkpoint: note(8),
      }),
      opts,
    );
    expect(answer).toMatchObject({ status: 422, body: expect.stringMatching(/not consistent with size 5/) });
  });

  it('answers 404 for a log it does not witness, 403 for a checkpoint not signed by its key', () => {
    const other = signCheckpoint(
      { origin: 'other.log', size: 5, root: peerTree.root(5) },
      ed25519Signer('other.log', new Uint8Array(32).fill(3)),
    );
    expect(ask(5, other, []).status).toBe(404);
    expect(ask(5, note(5, stranger), [])).toMatchObject({
      status: 403,
      body: expect.stringMatching(/no signature by a trusted key/),
    });
  });

  it('answers 400 for a malformed body or an old size above the checkpoint size', () => {
    expect(addCheckpoint('old x\n\n', opts)).toMatchObject({
      status: 400,
      body: expect.stringMatching(/not "old <size>"/),
    });
    expect(ask(9, note(8), [])).toMatchObject({
      status: 400,
      body: expect.stringMatching(/old size 9 is above/),
    });
  });

  it('cosigns the next size with a consistency proof from the last, and the same size again', () => {
    const answer = addCheckpoint(
      formatAddCheckpointRequest({
        oldSize: 5,
        proof: consistencyProof(peerTree, 5, 8),
        checkpoint: note(8),
      }),
      opts,
    );
    expect(answer.status).toBe(200);
    expect(ask(8, note(8), []).status).toBe(200);
    expect(cosigs.witnessed(ORIGIN)?.size).toBe(8);
  });
});
