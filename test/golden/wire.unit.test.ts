import { readFileSync } from 'node:fs';
import {
  BATCH_SIGNING_CONTEXT,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  nobleEd25519,
  nodeEd25519,
  RECORD_NAMES,
  rxledgerSchemas,
  VerifyingKey,
  verifyEventSignature,
} from '@rxledger/events';
import {
  fromHex,
  leafHash,
  merkleTreeHash,
  rootFromInclusionProof,
  toBase64,
  toHex,
  verifyCheckpoint,
} from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { LedgerFolder } from '../../services/ledger/src/fold/ledger-folder.ts';
import { openLedgerDb } from '../../services/ledger/src/store/ledger-db.ts';
import { LedgerStore } from '../../services/ledger/src/store/ledger-store.ts';
import { type BatchVectors, buildBatchVectors } from './build-batch-vectors.ts';
import {
  buildWireVectors,
  buildWireVectorsV2,
  eventAsData,
  goldenAppendedAt,
  type WireVectors,
  type WireVectorsV2,
} from './build-wire-vectors.ts';

const frozen = JSON.parse(readFileSync(new URL('./wire.json', import.meta.url), 'utf8')) as WireVectors;

describe('golden wire vectors (DESIGN §4)', () => {
  const built = buildWireVectors();

  it('pin keys, events, signatures, records, leaves, roots and checkpoints byte for byte', () => {
    expect(built.keys).toEqual(frozen.keys);
    expect(built.checkpointKey).toEqual(frozen.checkpointKey);
    for (const [i, e] of frozen.events.entries()) expect(built.events[i], e.name).toEqual(e);
    for (const [i, l] of frozen.leaves.entries()) expect(built.leaves[i], `leaf ${i}`).toEqual(l);
    expect(built.checkpoints).toEqual(frozen.checkpoints);
    expect(built.events).toHaveLength(frozen.events.length);
  });

  it('the frozen bytes still decode to their events and verify under both Ed25519 implementations', () => {
    for (const e of frozen.events) {
      const signed = decodeSignedEvent(fromHex(e.signedEvent));
      expect(toHex(signed.event), e.name).toBe(e.eventBytes);
      expect(eventAsData(decodeCustodyEvent(signed.event)), e.name).toEqual(e.event);
      const key = VerifyingKey.fromBytes(fromHex(frozen.keys[e.signer]!.publicKey));
      expect(verifyEventSignature(nobleEd25519, signed, key), e.name).toEqual({ ok: true });
      expect(verifyEventSignature(nodeEd25519, signed, key), e.name).toEqual({ ok: true });
    }
  });

  it('the frozen leaves decode, hash as stored and link to the previous leaf naming each item', () => {
    const byHash = new Map(frozen.leaves.map((l) => [l.leafHash, l]));
    for (const l of frozen.leaves) {
      const entry = decodeLedgerEntry(fromHex(l.leaf));
      expect(entry.seq).toBe(l.seq);
      expect(toHex(entry.signedEvent)).toBe(frozen.events[l.seq]!.signedEvent);
      expect(toHex(leafHash(fromHex(l.leaf)))).toBe(l.leafHash);
      for (const [i, link] of entry.links.entries()) {
        if (link === null) continue;
        const previous = byHash.get(toHex(link));
        expect(previous?.items, `leaf ${l.seq} link ${i}`).toContain(l.items[i]);
      }
    }
  });

  it('the frozen checkpoints verify under the published vkey and carry the RFC 9162 root of the frozen leaves', () => {
    const leaves = frozen.leaves.map((l) => fromHex(l.leaf));
    for (const c of frozen.checkpoints) {
      const checkpoint = verifyCheckpoint(c.note, frozen.checkpointKey.vkey, {
        origin: frozen.checkpointKey.name,
      });
      expect(checkpoint.size).toBe(c.size);
      expect(toHex(checkpoint.root)).toBe(toHex(merkleTreeHash(leaves.slice(0, c.size))));
    }
  });
});

const frozenV2 = JSON.parse(
  readFileSync(new URL('./wire-v2.json', import.meta.url), 'utf8'),
) as WireVectorsV2;

describe('golden wire vectors of LedgerEntry v2 (DESIGN §4)', () => {
  const built = buildWireVectorsV2();
  const byHash = new Map(frozenV2.leaves.map((l) => [l.leafHash, l]));

  it('pin keys, events, leaves (broker time, links, signer links), roots and checkpoints byte for byte', () => {
    expect(built.keys).toEqual(frozenV2.keys);
    expect(built.checkpointKey).toEqual(frozenV2.checkpointKey);
    for (const [i, e] of frozenV2.events.entries()) expect(built.events[i], e.name).toEqual(e);
    for (const [i, l] of frozenV2.leaves.entries()) expect(built.leaves[i], `leaf ${i}`).toEqual(l);
    expect(built.checkpoints).toEqual(frozenV2.checkpoints);
    expect(built.leaves).toHaveLength(frozenV2.leaves.length);
    // v2 keeps v1's events byte for byte: only the leaves around them changed.
    expect(frozenV2.events.slice(0, frozen.events.length)).toEqual(frozen.events);
  });

  it('cover registry leaves with party and key links, a RevokeKey, a rotation and custody signer links', () => {
    const registry = frozenV2.leaves.filter((l) => l.subjects.some((x) => x.startsWith('rxledger:')));
    expect(registry.map((l) => l.seq)).toEqual([0, 11, 12]);
    const revoke = frozenV2.events[11]!.event as { changes: Array<{ kind: string }> };
    expect(revoke.changes.map((c) => c.kind)).toContain('RevokeKey');
    expect(frozenV2.leaves[11]!.links.every((l) => l !== null)).toBe(true);
    expect(frozenV2.leaves[12]!.links).toEqual([frozenV2.leaves[11]!.leafHash, null]);
    // The new key's first leaf points at the AddKey for both its party and its key.
    expect(frozenV2.leaves[15]!.signerLinks).toEqual([
      frozenV2.leaves[12]!.leafHash,
      frozenV2.leaves[12]!.leafHash,
    ]);
  });

  it('the frozen leaves decode as v2, each link at the previous leaf naming its subject, each signer link at the latest registry leaf', () => {
    const latest = new Map<string, string>();
    for (const l of frozenV2.leaves) {
      const entry = decodeLedgerEntry(fromHex(l.leaf));
      expect(entry).toMatchObject({ version: 2, seq: l.seq, appendedAt: l.appendedAt });
      expect(toHex(entry.signedEvent)).toBe(frozenV2.events[l.seq]!.signedEvent);
      expect(toHex(leafHash(fromHex(l.leaf)))).toBe(l.leafHash);
      expect(entry.links.map((h) => h && toHex(h))).toEqual(l.links);
      expect(entry.signerLinks!.map((h) => h && toHex(h))).toEqual(l.signerLinks);
      for (const [i, link] of l.links.entries()) {
        expect(link, `leaf ${l.seq} link ${i}`).toBe(latest.get(l.subjects[i]!) ?? null);
        if (link !== null) expect(byHash.get(link)?.subjects).toContain(l.subjects[i]);
      }
      for (const [i, link] of l.signerLinks.entries())
        expect(link, `leaf ${l.seq} signer link ${i}`).toBe(latest.get(l.signers[i]!) ?? null);
      for (const subject of l.subjects) latest.set(subject, l.leafHash);
    }
  });

  it('are exactly what the ledger fold writes from the same records and broker times', () => {
    const db = openLedgerDb(':memory:');
    try {
      const store = new LedgerStore(db);
      const authority = VerifyingKey.fromBytes(fromHex(frozenV2.keys.authority!.publicKey));
      const folder = LedgerFolder.open(store, { authority, ed: nodeEd25519 });
      const records = frozenV2.events.map((e, n) => ({
        offset: n,
        value: fromHex(e.signedEvent),
        timestamp: goldenAppendedAt(n),
      }));
      expect(folder.fold(records)).toMatchObject({ appended: records.length, rejected: 0 });
      for (const l of frozenV2.leaves) expect(toHex(store.leaf(l.seq)!.leaf), `leaf ${l.seq}`).toBe(l.leaf);
      // The checkpoints carry the roots of these very leaves.
      const last = frozenV2.checkpoints.at(-1)!;
      expect(last.size).toBe(folder.size);
      expect(toBase64(folder.root())).toBe(last.root);
    } finally {
      db.close();
    }
  });

  it('the frozen checkpoints verify under the published vkey', () => {
    for (const c of frozenV2.checkpoints) {
      expect(verifyCheckpoint(c.note, frozenV2.checkpointKey.vkey).size).toBe(c.size);
    }
  });
});

const frozenBatch = JSON.parse(
  readFileSync(new URL('./wire-batch.json', import.meta.url), 'utf8'),
) as BatchVectors;

describe('golden wire vectors of batch signatures (SignedEvent v2, DESIGN §4)', () => {
  const key = VerifyingKey.fromBytes(fromHex(frozenBatch.signer.publicKey));
  const { batch } = frozenBatch;

  it('pin the batch records, root, signature, negative record, leaves and checkpoint byte for byte', () => {
    expect(buildBatchVectors(frozenV2)).toEqual(frozenBatch);
    expect(batch.records).toHaveLength(3);
    expect(frozenBatch.leaves.map((l) => l.seq)).toEqual([16, 17, 18]);
  });

  it('each frozen record decodes alone as rxledger.v2.SignedEvent, its path leads to the root, and the root is what is signed', () => {
    const message = fromHex(batch.signingMessage);
    expect(new TextDecoder().decode(message.subarray(0, 26))).toBe(BATCH_SIGNING_CONTEXT);
    expect(toHex(message.subarray(26, 34))).toBe('0000000000000003');
    expect(toHex(message.subarray(34))).toBe(batch.root);
    for (const [i, r] of batch.records.entries()) {
      const bytes = fromHex(r.record);
      expect(rxledgerSchemas.decode(bytes).name, r.name).toBe(RECORD_NAMES.signedEventV2);
      const signed = decodeSignedEvent(bytes);
      expect(toHex(signed.event), r.name).toBe(r.eventBytes);
      expect(eventAsData(decodeCustodyEvent(signed.event)), r.name).toEqual(r.event);
      expect(signed.batch, r.name).toEqual({ index: i, size: 3, path: r.path.map((h) => fromHex(h)) });
      expect(toHex(leafHash(signed.event))).toBe(r.leafHash);
      expect(toHex(rootFromInclusionProof(leafHash(signed.event), i, 3, signed.batch!.path))).toBe(
        batch.root,
      );
      expect(toHex(signed.signature)).toBe(batch.signature);
      for (const ed of [nobleEd25519, nodeEd25519]) {
        expect(ed.verify(key, message, signed.signature), `${r.name} ${ed.name}`).toBe(true);
        expect(verifyEventSignature(ed, signed, key), `${r.name} ${ed.name}`).toEqual({ ok: true });
      }
    }
  });

  it('the negative record is refused by both implementations with its frozen code', () => {
    for (const n of frozenBatch.negative) {
      const signed = decodeSignedEvent(fromHex(n.record));
      for (const ed of [nobleEd25519, nodeEd25519]) {
        expect(verifyEventSignature(ed, signed, key), `${n.name} ${ed.name}`).toMatchObject({
          ok: false,
          code: n.code,
        });
      }
    }
  });

  it('the fold appends the batch records as the frozen leaves, and refuses the negative record as BAD_SIGNATURE', () => {
    const db = openLedgerDb(':memory:');
    try {
      const store = new LedgerStore(db);
      const authority = VerifyingKey.fromBytes(fromHex(frozenV2.keys.authority!.publicKey));
      const folder = LedgerFolder.open(store, { authority, ed: nodeEd25519 });
      const values = [
        ...frozenV2.events.map((e) => e.signedEvent),
        ...frozenBatch.negative.map((n) => n.record),
        ...batch.records.map((r) => r.record),
      ];
      // Broker times as the leaves carry them: the negative record lands just before the batch.
      const times = [...frozenV2.leaves, ...frozenBatch.leaves].map((l) => l.appendedAt);
      times.splice(frozenV2.leaves.length, 0, goldenAppendedAt(frozenV2.leaves.length) - 1);
      const records = values.map((v, n) => ({ offset: n, value: fromHex(v), timestamp: times[n]! }));
      expect(folder.fold(records)).toMatchObject({ appended: records.length - 1, rejected: 1 });
      expect(store.rejections({ limit: 10 }).map((r) => r.code)).toEqual(['BAD_SIGNATURE']);
      for (const l of frozenBatch.leaves)
        expect(toHex(store.leaf(l.seq)!.leaf), `leaf ${l.seq}`).toBe(l.leaf);
      expect(toBase64(folder.root())).toBe(frozenBatch.checkpoints[0]!.root);
    } finally {
      db.close();
    }
  });

  it('the frozen checkpoint verifies under the published vkey', () => {
    for (const c of frozenBatch.checkpoints) {
      expect(verifyCheckpoint(c.note, frozenV2.checkpointKey.vkey).size).toBe(c.size);
    }
  });
});
