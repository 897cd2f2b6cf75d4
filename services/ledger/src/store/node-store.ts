import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyingKey } from '@rxledger/events';
import { openLedgerDb } from './ledger-db.ts';
import { LedgerStore } from './ledger-store.ts';
import { StoredRegistry } from './stored-registry.ts';

/**
 * Opens (or creates) the node's database under `dataDir`; refuses one that holds a fold of another
 * topic. The registry reads the participants as the fold thread committed them.
 */
export function openNodeStore(dataDir: string, topic: string, authority: VerifyingKey) {
  mkdirSync(dataDir, { recursive: true });
  const dbPath = join(dataDir, 'ledger.sqlite');
  const db = openLedgerDb(dbPath);
  const store = new LedgerStore(db);
  const known = store.meta('topic');
  if (known && known !== topic) {
    db.close();
    throw new Error(`${dataDir} holds a fold of ${known}, not ${topic}; use another DATA_DIR`);
  }
  store.setMeta('topic', topic);
  return { db, store, dbPath, registry: new StoredRegistry(store, authority) };
}

export type NodeStore = ReturnType<typeof openNodeStore>;
