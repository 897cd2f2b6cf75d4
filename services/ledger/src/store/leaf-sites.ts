import { decodeCustodyEvent, decodeLedgerEntry, decodeSignedEvent } from '@rxledger/events';
import type Database from 'better-sqlite3';

/** Set in meta once every leaf's site is in leaf_sites; from then on each commit adds its own. */
const LEAF_SITES_META = 'leaf_sites';

/**
 * Fills leaf_sites for the leaves of a database folded before the table existed, once, in one
 * transaction: a node opening an older database indexes it (one decode per leaf, about as long as
 * reading the log once) instead of being rebuilt from the topic. A fresh database costs one look-up.
 */
export function indexLeafSites(db: Database.Database): void {
  db.transaction(() => {
    const done = db.prepare('SELECT 1 FROM meta WHERE key = ?').get(LEAF_SITES_META);
    if (done) return;
    const insert = db.prepare('INSERT OR IGNORE INTO leaf_sites (site, seq) VALUES (?, ?)');
    // In chunks: SQLite cannot write on a connection while a statement of it is still reading.
    const chunk = db.prepare<[number], { seq: number; leaf: Buffer }>(
      'SELECT seq, leaf FROM leaves WHERE seq > ? ORDER BY seq LIMIT 10000',
    );
    for (let rows = chunk.all(-1); rows.length > 0; rows = chunk.all(rows.at(-1)!.seq)) {
      for (const { seq, leaf } of rows) {
        const event = decodeCustodyEvent(decodeSignedEvent(decodeLedgerEntry(leaf).signedEvent).event);
        insert.run(event.site, seq);
      }
    }
    db.prepare("INSERT INTO meta (key, value) VALUES (?, 'complete')").run(LEAF_SITES_META);
  })();
}
