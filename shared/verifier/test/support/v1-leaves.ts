// A ledger's log as a ledger wrote it before LedgerEntry v2: the same records, v1 leaves with item
// links only (no broker time, no registry or signer links), for "old bundles still verify" tests.
import {
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  encodeLedgerEntry,
  namedItems,
} from '@rxledger/events';
import { leafHash } from '@rxledger/tlog';
import type { LedgerStore } from '../../../../services/ledger/src/store/ledger-store.ts';

/** A `rewrite` for makeBundle that serves every leaf of `store` as its v1 leaf, links recomputed. */
export function asV1Leaves(store: LedgerStore): (seq: number, leaf: Uint8Array) => Uint8Array {
  const leaves: Uint8Array[] = [];
  const heads = new Map<string, Uint8Array>();
  for (let seq = 0; seq < store.size(); seq++) {
    const { signedEvent } = decodeLedgerEntry(store.leaf(seq)!.leaf);
    const items = namedItems(decodeCustodyEvent(decodeSignedEvent(signedEvent).event));
    const leaf = encodeLedgerEntry({ seq, signedEvent, links: items.map((i) => heads.get(i) ?? null) });
    for (const item of items) heads.set(item, leafHash(leaf));
    leaves.push(leaf);
  }
  return (seq) => leaves[seq]!;
}
