// Real ledgers for the verifier's tests: records signed as partner services sign them, folded by the
// ledger's own LedgerFolder into an in-memory SQLite database, and bundles assembled from that store
// as GET /v1/provenance assembles them. So the verifier is tested against what the ledger produces.
import { nodeEd25519, SigningKey } from '@rxledger/events';
import { ed25519Signer, formatVerifierKey } from '@rxledger/tlog';
import type { ConsumedRecord } from '../../../../services/ledger/src/intake/precheck.ts';
import { LedgerFolder } from '../../../../services/ledger/src/fold/ledger-folder.ts';
import { openLedgerDb } from '../../../../services/ledger/src/store/ledger-db.ts';
import { LedgerStore } from '../../../../services/ledger/src/store/ledger-store.ts';
import { type MakeBundleOptions, makeBundle } from '../../../../services/ledger/test/support/make-bundle.ts';
import { GLN, pack, sscc, TestChain } from '../../../../services/ledger/test/support/test-chain.ts';
import type { ProvenanceBundle, VerifierTrust } from '../../src/index.ts';

export { GLN, pack, sscc, TestChain };

export const ORIGIN = 'verifier.test.rxledger.dev/custody';
export const GTIN = '00614141123452';

/** A folded ledger and what it takes to prove things from it. */
export interface Scenario {
  chain: TestChain;
  store: LedgerStore;
  /** Checkpoint key (as the node holds it) and the trust a verifier needs for this ledger. */
  checkpointKey: SigningKey;
  trust: VerifierTrust;
  /** Folds more records; every one must be accepted. */
  fold(records: ConsumedRecord[]): void;
  /** The bundle of `item` as the ledger would serve it now. */
  bundle(item: string, opts?: Partial<MakeBundleOptions>): ProvenanceBundle;
  close(): void;
}

/** A ledger in an in-memory SQLite database (no file I/O) that has folded `records(chain)`. */
export function scenario(records: (chain: TestChain) => ConsumedRecord[]): Scenario {
  const chain = new TestChain();
  const db = openLedgerDb(':memory:');
  const store = new LedgerStore(db);
  const folder = LedgerFolder.open(store, { authority: chain.authority.verifyingKey, ed: nodeEd25519 });
  const checkpointKey = SigningKey.generate();
  const signer = ed25519Signer(ORIGIN, checkpointKey.exportSeed());
  const fold = (batch: ConsumedRecord[]) => {
    const result = folder.fold(batch);
    if (result.rejected > 0) {
      const why = store.rejections({ limit: 5 }).map((r) => `${r.code}: ${r.message}`);
      throw new Error(`the ledger rejected ${result.rejected} test records: ${why.join('; ')}`);
    }
  };
  fold([chain.record(chain.sign(chain.genesis(), chain.authority)), ...records(chain)]);
  return {
    chain,
    store,
    checkpointKey,
    trust: {
      checkpointKey: formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes),
      authorityKey: chain.authority.verifyingKey.bytes,
      origin: ORIGIN,
    },
    fold,
    bundle: (item, opts = {}) => makeBundle(store, item, { signer, origin: ORIGIN, ...opts }),
    close: () => db.close(),
  };
}

/**
 * A pack's whole journey, one leaf per line (index: event): pack(1) is commissioned with pack(2) and
 * the containers, packed into case sscc(1), the case onto pallet sscc(2), shipped, received, unpacked,
 * shipped to a pharmacy, received and dispensed; its lot is recalled. A second registry leaf and
 * unrelated events sit in between.
 */
export function journey(c: TestChain): ConsumedRecord[] {
  const extraKey = SigningKey.generate();
  return [
    // 1
    c.event(c.maker, {
      type: 'COMMISSION',
      items: [pack(1), pack(2), pack(3), sscc(1), sscc(2)],
      lot: 'L1',
      expiry: '281231',
    } as never),
    // 2
    c.event(c.maker, { type: 'COMMISSION', items: [pack(9)], lot: 'L2', expiry: '281231' } as never),
    // 3
    c.event(c.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1), pack(2)] } as never),
    // 4
    c.event(c.maker, { type: 'AGGREGATE', parent: sscc(2), children: [sscc(1)] } as never),
    // 5: a registry leaf between custody leaves
    c.event(c.authority, {
      type: 'REGISTRY',
      changes: [
        {
          kind: 'AddKey',
          gln: GLN.distributor,
          keyId: extraKey.keyId,
          publicKey: extraKey.verifyingKey.bytes,
          validFrom: 0,
        },
      ],
    } as never),
    // 6
    c.event(c.maker, { type: 'SHIP', items: [sscc(2)], to: GLN.distributor } as never),
    // 7
    c.event(c.maker, { type: 'SHIP', items: [pack(9)], to: GLN.distributor } as never),
    // 8
    c.event(c.distributor, { type: 'RECEIVE', items: [sscc(2)], from: GLN.maker } as never),
    // 9
    c.event(c.distributor, { type: 'DISAGGREGATE', parent: sscc(2), children: [] } as never),
    // 10
    c.event(c.distributor, { type: 'DISAGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
    // 11
    c.event(c.distributor, { type: 'SHIP', items: [pack(1)], to: GLN.pharmacy } as never),
    // 12
    c.event(c.pharmacy, { type: 'RECEIVE', items: [pack(1)], from: GLN.distributor } as never),
    // 13
    c.event(c.pharmacy, { type: 'DISPENSE', items: [pack(1)] } as never),
    // 14
    c.event(c.maker, { type: 'RECALL', gtin: GTIN, lot: 'L1', reason: 'label error' } as never),
  ];
}

/** The indices of pack(1)'s provenance in `journey`, and of its registry leaves. */
export const JOURNEY = {
  entries: [1, 3, 4, 6, 8, 9, 10, 11, 12, 13, 14],
  registry: [0, 5],
  dispense: 13,
} as const;

/** A short journey (6 leaves) for tests that verify a bundle hundreds of times. */
export function shortJourney(c: TestChain): ConsumedRecord[] {
  return [
    c.event(c.maker, {
      type: 'COMMISSION',
      items: [pack(1), sscc(1)],
      lot: 'L1',
      expiry: '281231',
    } as never),
    c.event(c.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
    c.event(c.maker, { type: 'SHIP', items: [sscc(1)], to: GLN.distributor } as never),
    c.event(c.distributor, { type: 'RECEIVE', items: [sscc(1)], from: GLN.maker } as never),
    c.event(c.distributor, { type: 'DISAGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
  ];
}
