import { readFileSync } from 'node:fs';
import {
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  nobleEd25519,
  nodeEd25519,
  VerifyingKey,
  verifyEventSignature,
} from '@rxledger/events';
import { fromHex, leafHash, toHex, verifyCheckpoint } from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { buildWireVectors, eventAsData, type WireVectors } from './build-wire-vectors.ts';

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

  it('the frozen checkpoints verify under the published vkey', () => {
    for (const c of frozen.checkpoints) {
      const checkpoint = verifyCheckpoint(c.note, frozen.checkpointKey.vkey, {
        origin: frozen.checkpointKey.name,
      });
      expect(checkpoint.size).toBe(c.size);
    }
  });
});
