import {
  inclusionProof,
  leafHash,
  MemoryHashStore,
  merkleTreeHash,
  rootFromInclusionProof,
  toHex,
} from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import {
  BATCH_SIGNING_CONTEXT,
  BatchTree,
  batchSigningMessage,
  decodeSignedEvent,
  type Ed25519,
  encodeCustodyEvent,
  encodeSignedEvent,
  MAX_BATCH_SIZE,
  nobleEd25519,
  nodeEd25519,
  RECORD_NAMES,
  rxledgerSchemas,
  type SignedEvent,
  signEventBatch,
  signEvent,
  signedMessage,
  signedMessages,
  verifyEventSignature,
} from '../src/index.ts';
import { GLN, header, KEYS, SGTIN } from './fixtures.ts';

const key = KEYS.manufacturer;
const eventsOf = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) =>
    encodeCustodyEvent({
      ...header(GLN.manufacturer, GLN.plant, from + i),
      type: 'DISPENSE',
      items: [SGTIN(`S${from + i}`)],
    }),
  );
const EDS: Ed25519[] = [nodeEd25519, nobleEd25519];

describe('BatchTree', () => {
  it('has the RFC 9162 root and the RFC 9162 inclusion path of every leaf, for every size 1..70', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => Uint8Array.of(n, i));
      const hashes = leaves.map((l) => leafHash(l));
      const tree = BatchTree.of(hashes);
      expect(toHex(tree.root), `size ${n}`).toBe(toHex(merkleTreeHash(leaves)));
      const store = new MemoryHashStore();
      store.append(hashes);
      for (let i = 0; i < n; i++) {
        const path = tree.path(i);
        expect(path.map(toHex), `size ${n} leaf ${i}`).toEqual(inclusionProof(store, i, n).map(toHex));
        expect(toHex(rootFromInclusionProof(hashes[i]!, i, n, path))).toBe(toHex(tree.root));
      }
    }
  });

  it('refuses an empty batch, one above MAX_BATCH_SIZE and a leaf index outside the batch', () => {
    expect(() => BatchTree.of([])).toThrow(/1 to 65536 events, got 0/);
    const one = new Uint8Array(32);
    expect(() => BatchTree.of(new Array<Uint8Array>(MAX_BATCH_SIZE + 1).fill(one))).toThrow(/got 65537/);
    expect(() => BatchTree.of([one, one]).path(2)).toThrow(/leaf index 2 is not in a batch of 2/);
  });

  it('yields while it builds, so a caller can pause between steps', () => {
    const steps = BatchTree.build(new Array<Uint8Array>(2_000).fill(new Uint8Array(32)));
    let pauses = 0;
    while (!steps.next().done) pauses++;
    expect(pauses).toBeGreaterThan(1);
  });
});

describe('batch signatures (SignedEvent v2)', () => {
  it('sign the root once: context, size (u64 BE) and root are the signed message', () => {
    const events = eventsOf(3);
    const signed = signEventBatch(nodeEd25519, key, events);
    const root = BatchTree.of(events.map((e) => leafHash(e))).root;
    const message = batchSigningMessage(3, root);
    expect(new TextDecoder().decode(message.subarray(0, 26))).toBe(BATCH_SIGNING_CONTEXT);
    expect(toHex(message.subarray(26, 34))).toBe('0000000000000003');
    expect(toHex(message.subarray(34))).toBe(toHex(root));
    for (const s of signed) {
      expect(toHex(s.signature)).toBe(toHex(signed[0]!.signature));
      expect(nodeEd25519.verify(key.verifyingKey, message, s.signature)).toBe(true);
    }
  });

  it('each record round-trips as rxledger.v2.SignedEvent and verifies alone under both implementations', () => {
    const signed = signEventBatch(nodeEd25519, key, eventsOf(5));
    for (const s of signed) {
      const bytes = encodeSignedEvent(s);
      expect(rxledgerSchemas.decode(bytes).name).toBe(RECORD_NAMES.signedEventV2);
      const alone = decodeSignedEvent(bytes);
      expect(alone).toEqual(s);
      for (const ed of EDS)
        expect(verifyEventSignature(ed, alone, key.verifyingKey), ed.name).toEqual({ ok: true });
    }
  });

  it('a batch of one has an empty path and its root is the leaf hash', () => {
    const [only] = signEventBatch(nodeEd25519, key, eventsOf(1));
    expect(only!.batch).toEqual({ index: 0, size: 1, path: [] });
    expect(
      verifyEventSignature(nodeEd25519, decodeSignedEvent(encodeSignedEvent(only!)), key.verifyingKey),
    ).toEqual({ ok: true });
  });

  it('v1 records still encode and decode as rxledger.v1.SignedEvent, without a batch', () => {
    const v1 = signEvent(nodeEd25519, key, eventsOf(1)[0]!);
    const bytes = encodeSignedEvent(v1);
    expect(rxledgerSchemas.decode(bytes).name).toBe(RECORD_NAMES.signedEvent);
    expect(decodeSignedEvent(bytes)).toEqual(v1);
    expect(decodeSignedEvent(bytes).batch).toBeUndefined();
  });

  describe('refuse a record whose path does not lead to a root its signature covers', () => {
    const batchA = signEventBatch(nodeEd25519, key, eventsOf(3));
    const batchB = signEventBatch(nodeEd25519, key, eventsOf(3, 10));
    const check = (s: SignedEvent) => EDS.map((ed) => verifyEventSignature(ed, s, key.verifyingKey));
    const refused = (s: SignedEvent, code: string, message: RegExp) => {
      for (const r of check(s))
        expect(r).toMatchObject({ ok: false, code, message: expect.stringMatching(message) });
    };
    const a1 = batchA[1]!;

    it('the path of another batch', () => {
      refused(
        { ...a1, batch: batchB[1]!.batch },
        'BAD_SIGNATURE',
        /batch signature does not verify .* leaf 1 of 3/,
      );
    });
    it('the signature of another batch', () => {
      refused({ ...a1, signature: batchB[1]!.signature }, 'BAD_SIGNATURE', /leaf 1 of 3/);
    });
    it('another leaf index or another size with the same path', () => {
      refused({ ...a1, batch: { ...a1.batch!, index: 0 } }, 'BAD_SIGNATURE', /leaf 0 of 3/);
      refused({ ...a1, batch: { ...a1.batch!, size: 4 } }, 'BAD_SIGNATURE', /leaf 1 of 4/);
    });
    it('an event changed by one bit', () => {
      const event = a1.event.slice();
      event[20]! ^= 1;
      refused({ ...a1, event }, 'BAD_SIGNATURE', /does not verify/);
    });
    it('a size out of range, an index not below the size, a path of the wrong length', () => {
      const b = a1.batch!;
      refused({ ...a1, batch: { ...b, size: 0 } }, 'MALFORMED_BATCH', /batchSize 0 is not in 1\.\.65536/);
      refused({ ...a1, batch: { ...b, size: MAX_BATCH_SIZE + 1 } }, 'MALFORMED_BATCH', /batchSize 65537/);
      refused(
        { ...a1, batch: { ...b, index: 3 } },
        'MALFORMED_BATCH',
        /leafIndex 3 is not below batchSize 3/,
      );
      refused({ ...a1, batch: { ...b, index: -1 } }, 'MALFORMED_BATCH', /leafIndex -1/);
      refused(
        { ...a1, batch: { ...b, path: b.path.slice(1) } },
        'MALFORMED_BATCH',
        /path: inclusion proof has 1 hashes/,
      );
      refused({ ...a1, batch: { ...b, path: [...b.path, b.path[0]!] } }, 'MALFORMED_BATCH', /has 3 hashes/);
    });
    it('a custody-event/v1 signature of the same event presented as a batch of one', () => {
      const v1 = signEvent(nodeEd25519, key, a1.event);
      refused({ ...v1, batch: { index: 0, size: 1, path: [] } }, 'BAD_SIGNATURE', /leaf 0 of 1/);
    });
  });

  it('encoding refuses a path hash that is not 32 bytes, naming the field', () => {
    const [s] = signEventBatch(nodeEd25519, key, eventsOf(2));
    const bad = { ...s!, batch: { ...s!.batch!, path: [new Uint8Array(31)] } };
    expect(() => encodeSignedEvent(bad)).toThrow(/invalid path/);
  });

  it('decoding refuses a v2 record cut short and one with trailing bytes', () => {
    const bytes = encodeSignedEvent(signEventBatch(nodeEd25519, key, eventsOf(2))[0]!);
    expect(() => decodeSignedEvent(bytes.subarray(0, bytes.length - 5))).toThrow(/ends early/);
    expect(() => decodeSignedEvent(Uint8Array.from([...bytes, 0]))).toThrow(/trailing/i);
  });
});

describe('signedMessages (many records at once)', () => {
  // Fresh decoded copies each time: the memo is per decoded record.
  const fresh = (signed: SignedEvent[]) => signed.map((s) => decodeSignedEvent(encodeSignedEvent(s)));
  const alone = (signed: SignedEvent[]) => fresh(signed).map((s) => signedMessage(s));
  const batch = signEventBatch(nodeEd25519, key, eventsOf(7));

  it('gives each record of a whole batch, in any order, the message it gets alone', () => {
    const shuffled = [3, 0, 6, 1, 5, 2, 4].map((i) => batch[i]!);
    expect(signedMessages(fresh(shuffled))).toEqual(alone(shuffled));
  });

  it('refuses, record by record, a path that is not its place in the tree, and a malformed position', () => {
    const other = signEventBatch(nodeEd25519, key, eventsOf(7, 20));
    const tampered = [...batch];
    tampered[2] = { ...batch[2]!, batch: { ...batch[2]!.batch!, path: other[2]!.batch!.path } };
    const together = signedMessages(fresh(tampered));
    expect(together).toEqual(alone(tampered));
    expect(together[2]).not.toEqual(together[0]);
    const outside = [...batch];
    outside[4] = { ...batch[4]!, batch: { ...batch[4]!.batch!, index: 9 } };
    expect(signedMessages(fresh(outside))).toEqual(alone(outside));
    expect(signedMessages(fresh(outside))[4]).toMatchObject({ ok: false, code: 'MALFORMED_BATCH' });
  });

  it('works a batch with an index given twice, or only part of a batch, out record by record', () => {
    const twice = [...batch];
    twice[5] = { ...batch[5]!, batch: { ...batch[5]!.batch!, index: 1 } };
    expect(signedMessages(fresh(twice))).toEqual(alone(twice));
    expect(signedMessages(fresh(batch.slice(2)))).toEqual(alone(batch.slice(2)));
  });
});
