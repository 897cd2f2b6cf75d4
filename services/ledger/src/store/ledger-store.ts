import { asBytes } from '@rxledger/events';
import type { HashReader, TreeNode } from '@rxledger/tlog';
import { AlertTables, type AlertWrite } from './alert-tables.ts';
import { type ExportFilter, exportSeqs } from './export-seqs.ts';
import type { Db } from './ledger-db.ts';

export type { ExportFilter } from './export-seqs.ts';

/** A leaf as stored: its bytes, its hash, where it came from and what it is about. */
export interface StoredLeaf {
  seq: number;
  leaf: Uint8Array;
  hash: Uint8Array;
  kafkaOffset: number;
  eventId: string;
  eventType: string;
  eventTime: number;
  party: string;
}

/** One appended leaf and the index rows it adds. */
export interface LeafRow extends StoredLeaf {
  /** Content hash of the event bytes, for the eventId idempotency check. */
  contentHash: Uint8Array;
  /** GLN-13 of the event's site, for the EPCIS export's EQ_bizLocation. */
  site: string;
  /**
   * The subjects the leaf's links follow, in links order: the items the event names, then a REGISTRY
   * event's registry subjects (rxledger:party:…, rxledger:key:…). All go to item_leaves, so each
   * subject's head is one look-up; registry subjects never collide with the GS1 URIs of items.
   */
  items: string[];
  /** Packs a COMMISSION brings into existence, by gtin + lot. */
  lots?: Array<{ gtin: string; lot: string; item: string }>;
  recall?: { gtin: string; lot: string };
  /** AGGREGATE: children put into parent. */
  containment?: { parent: string; children: string[] };
  registry?: boolean;
}

/** A record that was not appended. */
export interface RejectionRow {
  kafkaOffset: number;
  eventId: string | null;
  party: string | null;
  keyId: string | null;
  eventType: string | null;
  code: string;
  message: string;
  receivedAt: number;
}

/** Everything one consumed Kafka batch changes; committed atomically with the next offset. */
export interface BatchWrite {
  leaves: LeafRow[];
  nodes: TreeNode[];
  rejections: RejectionRow[];
  /** The offset of the first record not yet consumed after this batch. */
  nextOffset: number;
  /** Alert changes of RAISE_ALERT and UPDATE_ALERT leaves of the batch. */
  alerts?: AlertWrite;
}

export interface StoredCheckpoint {
  size: number;
  root: Uint8Array;
  note: string;
  signedAt: number;
}

/**
 * The ledger's database access: every statement prepared once. Writes go through `commit`, one SQLite
 * transaction per consumed batch, so leaves, indexes, tree nodes and the Kafka position move together.
 */
export class LedgerStore {
  readonly db: Db;
  /** The alerts the fold keeps (alerts/). */
  readonly alerts: AlertTables;
  readonly #s;

  constructor(db: Db) {
    this.db = db;
    this.alerts = new AlertTables(db);
    this.#s = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      size: db.prepare<[], { n: number | null }>('SELECT MAX(seq) + 1 AS n FROM leaves'),
      insertLeaf: db.prepare(
        `INSERT INTO leaves (seq, leaf, hash, kafka_offset, event_id, event_type, event_time, party)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertNode: db.prepare('INSERT INTO tree (level, idx, hash) VALUES (?, ?, ?)'),
      insertItemLeaf: db.prepare('INSERT OR IGNORE INTO item_leaves (item, seq) VALUES (?, ?)'),
      insertLotItem: db.prepare('INSERT OR IGNORE INTO lot_items (gtin, lot, item) VALUES (?, ?, ?)'),
      insertRecall: db.prepare('INSERT OR IGNORE INTO recalls (gtin, lot, seq) VALUES (?, ?, ?)'),
      insertContainment: db.prepare(
        'INSERT OR IGNORE INTO containment (child, parent, seq) VALUES (?, ?, ?)',
      ),
      insertRegistry: db.prepare('INSERT INTO registry_leaves (seq) VALUES (?)'),
      insertLeafSite: db.prepare('INSERT OR IGNORE INTO leaf_sites (site, seq) VALUES (?, ?)'),
      insertEventId: db.prepare(
        'INSERT INTO event_ids (party, event_id, content_hash, seq) VALUES (?, ?, ?, ?)',
      ),
      insertRejection: db.prepare(
        `INSERT OR REPLACE INTO rejections (kafka_offset, event_id, party, key_id, event_type, code, message, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      leaf: db.prepare<[number], LeafDbRow>('SELECT * FROM leaves WHERE seq = ?'),
      leafHash: db.prepare<[number], { hash: Buffer }>('SELECT hash FROM leaves WHERE seq = ?'),
      node: db.prepare<[number, number], { hash: Buffer }>(
        'SELECT hash FROM tree WHERE level = ? AND idx = ?',
      ),
      leafHashRange: db
        .prepare<[number, number], Buffer>('SELECT hash FROM leaves WHERE seq >= ? AND seq < ? ORDER BY seq')
        .pluck(),
      nodeRange: db
        .prepare<[number, number, number], Buffer>(
          'SELECT hash FROM tree WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx',
        )
        .pluck(),
      // A leaf's bytes only when it fits the caller's bound, so an oversized range costs no big reads.
      leafRange: db.prepare<[number, number, number], { seq: number; length: number; leaf: Buffer | null }>(
        `SELECT seq, length(leaf) AS length, CASE WHEN length(leaf) <= ? THEN leaf END AS leaf
         FROM leaves WHERE seq >= ? AND seq < ? ORDER BY seq`,
      ),
      itemHead: db.prepare<[string], { hash: Buffer }>(
        `SELECT l.hash FROM item_leaves i JOIN leaves l ON l.seq = i.seq
         WHERE i.item = ? ORDER BY i.seq DESC LIMIT 1`,
      ),
      itemSeqs: db.prepare<[string], { seq: number }>(
        'SELECT seq FROM item_leaves WHERE item = ? ORDER BY seq',
      ),
      // One statement for what a provenance fold needs of one item, so a verify costs one look-up
      // per item: rows with a seq are leaves naming it (or recalls of its lots), rows with a parent
      // are containers it was put into.
      itemLinks: db
        .prepare<[string, string], unknown>(
          `SELECT seq, NULL AS parent FROM item_leaves WHERE item = ?
           UNION ALL SELECT NULL, parent FROM containment WHERE child = ?`,
        )
        .raw(true),
      packLinks: db
        .prepare<[string, string, string], unknown>(
          `SELECT seq, NULL AS parent FROM item_leaves WHERE item = ?
           UNION ALL SELECT NULL, parent FROM containment WHERE child = ?
           UNION ALL SELECT r.seq, NULL FROM lot_items li
             JOIN recalls r ON r.gtin = li.gtin AND r.lot = li.lot WHERE li.item = ?`,
        )
        .raw(true),
      lotItems: db.prepare<[string, string], { item: string }>(
        'SELECT item FROM lot_items WHERE gtin = ? AND lot = ? ORDER BY item',
      ),
      gtinKnown: db.prepare<[string], { one: number }>(
        'SELECT 1 AS one FROM lot_items WHERE gtin = ? LIMIT 1',
      ),
      recallSeqs: db.prepare<[string, string], { seq: number }>(
        'SELECT seq FROM recalls WHERE gtin = ? AND lot = ? ORDER BY seq',
      ),
      registrySeqs: db.prepare<[number], { seq: number }>(
        'SELECT seq FROM registry_leaves WHERE seq >= ? ORDER BY seq',
      ),
      eventId: db.prepare<[string, string], { content_hash: Buffer; seq: number }>(
        'SELECT content_hash, seq FROM event_ids WHERE party = ? AND event_id = ?',
      ),
      acceptedEvents: db.prepare<[string], { seq: number; party: string }>(
        'SELECT seq, party FROM event_ids WHERE event_id = ? ORDER BY seq',
      ),
      rejectionsByEventId: db.prepare<[string], RejectionDbRow>(
        'SELECT * FROM rejections WHERE event_id = ? AND party IS NOT NULL ORDER BY kafka_offset DESC LIMIT 100',
      ),
      insertCheckpoint: db.prepare(
        'INSERT OR IGNORE INTO checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)',
      ),
      latestCheckpoint: db.prepare<[], CheckpointDbRow>(
        'SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1',
      ),
      checkpoint: db.prepare<[number], CheckpointDbRow>('SELECT * FROM checkpoints WHERE size = ?'),
      checkpointSizes: db.prepare<[], { size: number }>('SELECT size FROM checkpoints ORDER BY size'),
      lotItemsAfter: db.prepare<[string, string, string, number], { item: string }>(
        'SELECT item FROM lot_items WHERE gtin = ? AND lot = ? AND item > ? ORDER BY item LIMIT ?',
      ),
      lotItemCount: db.prepare<[string, string], { n: number }>(
        'SELECT COUNT(*) AS n FROM lot_items WHERE gtin = ? AND lot = ?',
      ),
    };
  }

  /** The offset of the next Kafka record to consume (0 for an empty ledger). */
  nextOffset(): number {
    return Number(this.#s.getMeta.get('next_offset')?.value ?? 0);
  }

  /** A value this node keeps about itself (topic, origin...). */
  meta(key: string): string | undefined {
    return this.#s.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.#s.setMeta.run(key, value);
  }

  /** Number of leaves in the log. */
  size(): number {
    return this.#s.size.get()?.n ?? 0;
  }

  /**
   * Commits one consumed batch: leaves, their index rows, the tree nodes they complete, rejections,
   * and the next Kafka offset, in a single transaction. When this returns, the batch is durable; a
   * crash before it returns leaves no trace of the batch, and consumption resumes at its first record.
   * `settle` runs last inside the same transaction, seeing the batch's rows: the fold re-judges the
   * alerts a leaf may explain there (ledger-folder.ts), and what it writes commits with the batch.
   */
  commit(batch: BatchWrite, settle?: () => void): void {
    const s = this.#s;
    this.db.transaction(() => {
      for (const l of batch.leaves) {
        s.insertLeaf.run(l.seq, l.leaf, l.hash, l.kafkaOffset, l.eventId, l.eventType, l.eventTime, l.party);
        s.insertEventId.run(l.party, l.eventId, l.contentHash, l.seq);
        s.insertLeafSite.run(l.site, l.seq);
        for (const item of l.items) s.insertItemLeaf.run(item, l.seq);
        if (l.lots) for (const x of l.lots) s.insertLotItem.run(x.gtin, x.lot, x.item);
        if (l.recall) s.insertRecall.run(l.recall.gtin, l.recall.lot, l.seq);
        if (l.containment) {
          for (const child of l.containment.children)
            s.insertContainment.run(child, l.containment.parent, l.seq);
        }
        if (l.registry) s.insertRegistry.run(l.seq);
      }
      for (const n of batch.nodes) if (n.level > 0) s.insertNode.run(n.level, n.index, n.hash);
      for (const r of batch.rejections) {
        s.insertRejection.run(
          r.kafkaOffset,
          r.eventId,
          r.party,
          r.keyId,
          r.eventType,
          r.code,
          r.message,
          r.receivedAt,
        );
      }
      if (batch.alerts) this.alerts.write(batch.alerts);
      settle?.();
      s.setMeta.run('next_offset', String(batch.nextOffset));
    })();
  }

  /** The tree as stored: level 0 from the leaves, higher levels from complete subtrees. */
  hashReader(): HashReader {
    const s = this.#s;
    return {
      subtree(level: number, index: number): Uint8Array {
        const row = level === 0 ? s.leafHash.get(index) : s.node.get(level, index);
        if (!row) throw new Error(`tree node (${level}, ${index}) is not stored`);
        return asBytes(row.hash);
      },
    };
  }

  /**
   * The hashes of `count` consecutive complete nodes at tree `level` from `start` (level 0: leaf
   * hashes), in one query: what a C2SP hash tile holds. Throws if any of them is not stored.
   */
  hashRange(level: number, start: number, count: number): Uint8Array[] {
    const rows =
      level === 0
        ? this.#s.leafHashRange.all(start, start + count)
        : this.#s.nodeRange.all(level, start, start + count);
    if (rows.length !== count) {
      throw new Error(
        `tree nodes (${level}, ${start}..${start + count - 1}): ${rows.length} of ${count} stored`,
      );
    }
    return rows.map((row) => asBytes(row));
  }

  /**
   * The bytes of leaves [start, start + count), in one query, or the first leaf longer than
   * `maxLength` (whose bytes are then not read). Throws if any leaf of the range is not stored.
   */
  leafRange(
    start: number,
    count: number,
    maxLength: number,
  ): { leaves: Uint8Array[] } | { tooLong: { seq: number; length: number } } {
    const rows = this.#s.leafRange.all(maxLength, start, start + count);
    if (rows.length !== count) {
      throw new Error(`leaves ${start}..${start + count - 1}: ${rows.length} of ${count} stored`);
    }
    const tooLong = rows.find((r) => r.leaf === null);
    if (tooLong) return { tooLong: { seq: tooLong.seq, length: tooLong.length } };
    return { leaves: rows.map((r) => asBytes(r.leaf!)) };
  }

  leaf(seq: number): StoredLeaf | undefined {
    const row = this.#s.leaf.get(seq);
    return row && toStoredLeaf(row);
  }

  /** The leaf hash of the latest leaf naming `item`, if any. */
  itemHead(item: string): Uint8Array | undefined {
    const row = this.#s.itemHead.get(item);
    return row && asBytes(row.hash);
  }

  /** Seqs of every leaf naming `item`, in ledger order. */
  itemSeqs(item: string): number[] {
    return this.#s.itemSeqs.all(item).map((r) => r.seq);
  }

  /**
   * The leaves naming `item` and the containers it was put into, in one look-up; with `recalls`, also
   * the recalls of every lot the pack was commissioned in. Seqs and parents come unordered and may repeat.
   */
  itemLinks(item: string, recalls: boolean): { seqs: number[]; parents: string[] } {
    const seqs: number[] = [];
    const parents: string[] = [];
    // Rows as arrays, not objects: this runs for every verify.
    const rows = (
      recalls ? this.#s.packLinks.all(item, item, item) : this.#s.itemLinks.all(item, item)
    ) as LinkRow[];
    for (const [seq, parent] of rows) {
      if (parent === null) seqs.push(seq);
      else parents.push(parent);
    }
    return { seqs, parents };
  }

  lotItems(gtin: string, lot: string): string[] {
    return this.#s.lotItems.all(gtin, lot).map((r) => r.item);
  }

  /**
   * One page of a lot's packs: at most `limit` items in item order after `after` (from the start when
   * undefined), `count` the lot's packs on every page, and whether more follow.
   */
  lotItemsPage(
    gtin: string,
    lot: string,
    page: { after?: string; limit: number },
  ): { items: string[]; count: number; more: boolean } {
    const rows = this.#s.lotItemsAfter.all(gtin, lot, page.after ?? '', page.limit + 1);
    return {
      items: rows.slice(0, page.limit).map((r) => r.item),
      count: this.#s.lotItemCount.get(gtin, lot)?.n ?? 0,
      more: rows.length > page.limit,
    };
  }

  /** Whether any pack of this GTIN was ever commissioned. */
  gtinKnown(gtin: string): boolean {
    return this.#s.gtinKnown.get(gtin) !== undefined;
  }

  recallSeqs(gtin: string, lot: string): number[] {
    return this.#s.recallSeqs.all(gtin, lot).map((r) => r.seq);
  }

  registrySeqs(from = 0): number[] {
    return this.#s.registrySeqs.all(from).map((r) => r.seq);
  }

  /** The accepted record of `party`'s `eventId`, if any: the idempotency look-up. */
  eventId(party: string, eventId: string): { contentHash: Uint8Array; seq: number } | undefined {
    const row = this.#s.eventId.get(party, eventId);
    return row && { contentHash: asBytes(row.content_hash), seq: row.seq };
  }

  /**
   * Where the accepted records carrying `eventId` landed and who signed each (eventIds are scoped to
   * their signer, so several parties may use one): what a scanner polls for.
   */
  acceptedEvents(eventId: string): Array<{ seq: number; party: string }> {
    return this.#s.acceptedEvents.all(eventId);
  }

  /** The latest rejections attributed to a signer (its signature verified) of records carrying `eventId`. */
  attributedRejections(eventId: string): RejectionRow[] {
    return this.#s.rejectionsByEventId.all(eventId).map(toRejection);
  }

  /** Rejections, newest first, filtered: the first page of rejectionsPage. */
  rejections(filter: {
    party?: string;
    code?: string;
    since?: number;
    until?: number;
    limit: number;
  }): RejectionRow[] {
    const { party, ...rest } = filter;
    return this.rejectionsPage({ ...rest, parties: party ? [party] : undefined }).rows;
  }

  /**
   * One page of rejections, newest first: at most `limit` with a Kafka offset below `before` (from the
   * newest when undefined); `parties` undefined means any party. `count` is every rejection the
   * filter matches, on every page.
   */
  rejectionsPage(filter: {
    parties?: string[];
    code?: string;
    since?: number;
    until?: number;
    before?: number;
    limit: number;
  }): { rows: RejectionRow[]; count: number; more: boolean } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.parties) {
      where.push(`party IN (${filter.parties.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...filter.parties);
    }
    if (filter.code) {
      where.push('code = ?');
      args.push(filter.code);
    }
    if (filter.since !== undefined) {
      where.push('received_at >= ?');
      args.push(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('received_at < ?');
      args.push(filter.until);
    }
    const matching = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const count = this.db
      .prepare<(string | number)[], { n: number }>(`SELECT COUNT(*) AS n FROM rejections ${matching}`)
      .get(...args)!.n;
    if (filter.before !== undefined) {
      where.push('kafka_offset < ?');
      args.push(filter.before);
    }
    const rows = this.db
      .prepare<(string | number)[], RejectionDbRow>(
        `SELECT * FROM rejections ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY kafka_offset DESC LIMIT ?`,
      )
      .all(...args, filter.limit + 1)
      .map(toRejection);
    return { rows: rows.slice(0, filter.limit), count, more: rows.length > filter.limit };
  }

  /** The seqs of leaves matching an EPCIS export's filter, ascending (see export-seqs.ts). */
  exportSeqs(filter: ExportFilter): number[] {
    return exportSeqs(this.db, filter);
  }

  saveCheckpoint(c: StoredCheckpoint): void {
    this.#s.insertCheckpoint.run(c.size, c.root, c.note, c.signedAt);
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    const row = this.#s.latestCheckpoint.get();
    return row && toCheckpoint(row);
  }

  /** The checkpoint signed at tree size `size`, if any. */
  checkpoint(size: number): StoredCheckpoint | undefined {
    const row = this.#s.checkpoint.get(size);
    return row && toCheckpoint(row);
  }

  /** Tree sizes at which checkpoints were signed, ascending. */
  checkpointSizes(): number[] {
    return this.#s.checkpointSizes.all().map((r) => r.size);
  }
}

type LinkRow = [seq: number, parent: null] | [seq: null, parent: string];

interface LeafDbRow {
  seq: number;
  leaf: Buffer;
  hash: Buffer;
  kafka_offset: number;
  event_id: string;
  event_type: string;
  event_time: number;
  party: string;
}
interface RejectionDbRow {
  kafka_offset: number;
  event_id: string | null;
  party: string | null;
  key_id: string | null;
  event_type: string | null;
  code: string;
  message: string;
  received_at: number;
}
interface CheckpointDbRow {
  size: number;
  root: Buffer;
  note: string;
  signed_at: number;
}

function toStoredLeaf(r: LeafDbRow): StoredLeaf {
  return {
    seq: r.seq,
    leaf: asBytes(r.leaf),
    hash: asBytes(r.hash),
    kafkaOffset: r.kafka_offset,
    eventId: r.event_id,
    eventType: r.event_type,
    eventTime: r.event_time,
    party: r.party,
  };
}

function toCheckpoint(row: CheckpointDbRow): StoredCheckpoint {
  return { size: row.size, root: asBytes(row.root), note: row.note, signedAt: row.signed_at };
}

function toRejection(r: RejectionDbRow): RejectionRow {
  return {
    kafkaOffset: r.kafka_offset,
    eventId: r.event_id,
    party: r.party,
    keyId: r.key_id,
    eventType: r.event_type,
    code: r.code,
    message: r.message,
    receivedAt: r.received_at,
  };
}
