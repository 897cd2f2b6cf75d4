import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeEd25519, type VerifyingKey } from '@rxledger/events';
import { LedgerFolder } from '../../src/fold/ledger-folder.ts';
import { openLedgerDb } from '../../src/store/ledger-db.ts';
import { LedgerStore } from '../../src/store/ledger-store.ts';

/** A ledger database in a fresh temporary file, with its folder; `close` removes it. */
export function tempLedger(authority: VerifyingKey) {
  const dir = mkdtempSync(join(tmpdir(), 'rxledger-test-'));
  const path = join(dir, 'ledger.sqlite');
  let db = openLedgerDb(path);
  let store = new LedgerStore(db);
  let folder = LedgerFolder.open(store, { authority, ed: nodeEd25519 });
  return {
    path,
    get db() {
      return db;
    },
    get store() {
      return store;
    },
    get folder() {
      return folder;
    },
    /** Closes and opens the database again, as a restarted node would. */
    reopen() {
      db.close();
      db = openLedgerDb(path);
      store = new LedgerStore(db);
      folder = LedgerFolder.open(store, { authority, ed: nodeEd25519 });
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
