// What a ledger node's database holds, read from its file (read-only, beside the running node) and
// decoded through the wire contracts: which events its leaves carry, how often, and its tree's root.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCustodyEvent, decodeLedgerEntry, decodeSignedEvent } from '@rxledger/events';
import { createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import { rootFromReader, toBase64 } from '@rxledger/tlog';
import { openLedgerDb } from '../../../services/ledger/src/store/ledger-db.ts';
import { LedgerStore } from '../../../services/ledger/src/store/ledger-store.ts';
import type { RejectionRow } from '../../../services/ledger/src/store/ledger-store.ts';

export interface LedgerCensus {
  size: number;
  /** The next Kafka offset the node will fold: everything before it is committed. */
  nextOffset: number;
  /** Base64 root of the whole tree. */
  root: string;
  /** Leaf indexes by `party/eventId`: an event that landed once has exactly one. */
  leavesOf: Map<string, number[]>;
  rejections: RejectionRow[];
}

/** The key under which an event is counted: eventIds are scoped to their signing party. */
export const eventKey = (party: string, eventId: string) => `${party}/${eventId}`;

function withStore<T>(dataDir: string, read: (store: LedgerStore) => T): T {
  const db = openLedgerDb(join(dataDir, 'ledger.sqlite'), { readonly: true });
  try {
    return read(new LedgerStore(db));
  } finally {
    db.close();
  }
}

/**
 * How far a node has folded (its next Kafka offset); undefined while its database does not exist or
 * has no tables yet (a node killed before its first commit leaves such a file).
 */
export function foldedOffset(dataDir: string): number | undefined {
  if (!existsSync(join(dataDir, 'ledger.sqlite'))) return undefined;
  try {
    return withStore(dataDir, (store) => store.nextOffset());
  } catch {
    return undefined;
  }
}

/** Every leaf of the node at `dataDir`, decoded down to its custody event. */
export function ledgerCensus(dataDir: string): LedgerCensus {
  return withStore(dataDir, (store) => {
    const size = store.size();
    const leavesOf = new Map<string, number[]>();
    for (let seq = 0; seq < size; seq++) {
      const entry = decodeLedgerEntry(store.leaf(seq)!.leaf);
      const event = decodeCustodyEvent(decodeSignedEvent(entry.signedEvent).event);
      const key = eventKey(event.party, event.eventId);
      leavesOf.set(key, [...(leavesOf.get(key) ?? []), seq]);
    }
    return {
      size,
      nextOffset: store.nextOffset(),
      root: toBase64(rootFromReader(store.hashReader(), size)),
      leavesOf,
      rejections: store.rejections({ limit: 1_000 }),
    };
  });
}

/** How many of the first `size` leaves differ byte for byte between two nodes' databases. */
export function differingLeaves(dirA: string, dirB: string, size: number): number {
  return withStore(dirA, (a) =>
    withStore(dirB, (b) => {
      let differing = 0;
      for (let seq = 0; seq < size; seq++) {
        if (Buffer.compare(a.leaf(seq)?.leaf ?? Buffer.alloc(0), b.leaf(seq)?.leaf ?? Buffer.alloc(0)) !== 0)
          differing++;
      }
      return differing;
    }),
  );
}

/** The channel topic's end offset: a node that folded up to it has seen every record. */
export async function topicEnd(brokers: string[], channel: string): Promise<number> {
  const admin = createKafkaClient({ brokers, clientId: 'chaos-census' }).admin();
  await admin.connect();
  try {
    const [partition] = await admin.fetchTopicOffsets(custodyTopicName(channel));
    return Number(partition?.high ?? 0);
  } finally {
    await admin.disconnect();
  }
}
