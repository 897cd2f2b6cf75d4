import Database from 'better-sqlite3';
import { indexLeafSites } from './leaf-sites.ts';

export type Db = Database.Database;

/**
 * Bumped when the tables or the leaves change; a node refuses a database written by a different
 * layout and is rebuilt from the topic. 3: LedgerEntry v2 leaves, registry subjects in item_leaves.
 * 4: alerts (alerts, alert_steps, alert_ids), folded from RAISE_ALERT and UPDATE_ALERT leaves.
 */
export const LEDGER_DB_VERSION = 4;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- The Merkle log's leaves: seq is the leaf index. hash = SHA-256(0x00 || leaf).
CREATE TABLE IF NOT EXISTS leaves (
  seq          INTEGER PRIMARY KEY,
  leaf         BLOB    NOT NULL,
  hash         BLOB    NOT NULL,
  kafka_offset INTEGER NOT NULL,
  event_id     TEXT    NOT NULL,
  event_type   TEXT    NOT NULL,
  event_time   INTEGER NOT NULL,
  party        TEXT    NOT NULL
);

-- Complete perfect subtrees above the leaves (level >= 1; level 0 is leaves.hash), C2SP tlog-tiles'
-- addressing: node (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level).
CREATE TABLE IF NOT EXISTS tree (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB    NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- Every leaf that names an item (pack or container), for provenance and links; and every REGISTRY
-- leaf by the registry subjects it touches (rxledger:party:<gln>, rxledger:key:<keyId>), for the
-- registry chains and signer links. Item URIs start https://, subjects rxledger:, so they never meet.
CREATE TABLE IF NOT EXISTS item_leaves (
  item TEXT    NOT NULL,
  seq  INTEGER NOT NULL,
  PRIMARY KEY (item, seq)
) WITHOUT ROWID;

-- Packs by gtin + lot (from COMMISSION), and the recalls that name a lot.
CREATE TABLE IF NOT EXISTS lot_items (
  gtin TEXT NOT NULL,
  lot  TEXT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (gtin, lot, item)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lot_items_item ON lot_items (item);
CREATE TABLE IF NOT EXISTS recalls (
  gtin TEXT    NOT NULL,
  lot  TEXT    NOT NULL,
  seq  INTEGER NOT NULL,
  PRIMARY KEY (gtin, lot, seq)
) WITHOUT ROWID;

-- Containment evidence: which AGGREGATE leaves put a child in a parent (to gather a pack's containers).
CREATE TABLE IF NOT EXISTS containment (
  child  TEXT    NOT NULL,
  parent TEXT    NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY (child, parent, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS registry_leaves (
  seq INTEGER PRIMARY KEY
);

-- Idempotency: the first accepted record of each signing party's eventId, by the hash of its event
-- bytes. eventIds are scoped to the signer: one party cannot squat another's ids.
CREATE TABLE IF NOT EXISTS event_ids (
  party        TEXT    NOT NULL,
  event_id     TEXT    NOT NULL,
  content_hash BLOB    NOT NULL,
  seq          INTEGER NOT NULL,
  PRIMARY KEY (party, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_ids_event_id ON event_ids (event_id);

-- Records that were not appended, with why. kafka_offset identifies the record on the topic. party,
-- event_id, key_id and event_type are set only when the record's signature verified (never taken on
-- a record's word), and every text is bounded before it is stored.
CREATE TABLE IF NOT EXISTS rejections (
  kafka_offset INTEGER PRIMARY KEY,
  event_id     TEXT,
  party        TEXT,
  key_id       TEXT,
  event_type   TEXT,
  code         TEXT    NOT NULL,
  message      TEXT    NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rejections_event_id ON rejections (event_id, party);
CREATE INDEX IF NOT EXISTS rejections_party ON rejections (party, received_at);
CREATE INDEX IF NOT EXISTS rejections_code ON rejections (code, received_at);

-- For the EPCIS export (answers/epcis-events.ts), which pages in leaf order: events by type (EQ_bizStep),
-- by time (GE_/LT_eventTime), by signer (a partner's own events) and by site (EQ_bizLocation). Each
-- index holds the rowid (seq), so a range of one type or party comes out in leaf order. Added without
-- a layout change: openLedgerDb fills leaf_sites for leaves folded before it existed (leaf-sites.ts).
CREATE INDEX IF NOT EXISTS leaves_event_type ON leaves (event_type);
CREATE INDEX IF NOT EXISTS leaves_event_time ON leaves (event_time);
CREATE INDEX IF NOT EXISTS leaves_party ON leaves (party);
CREATE TABLE IF NOT EXISTS leaf_sites (
  site TEXT    NOT NULL,
  seq  INTEGER NOT NULL,
  PRIMARY KEY (site, seq)
) WITHOUT ROWID;

-- Alerts (services/ledger/src/alerts): one row per alert as it stands, folded in log order. An open
-- alert of a (pharmacy, item, code) is joined by repeat raises; manufacturer and status serve the
-- role-scoped listing.
CREATE TABLE IF NOT EXISTS alerts (
  id           TEXT    PRIMARY KEY,
  pharmacy     TEXT    NOT NULL,
  item         TEXT    NOT NULL,
  gtin         TEXT    NOT NULL,
  manufacturer TEXT,
  code         TEXT    NOT NULL,
  lot          TEXT    NOT NULL,
  expiry       TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  root_cause   TEXT,
  healed       INTEGER NOT NULL,
  raised_seq   INTEGER NOT NULL,
  raised_at    INTEGER NOT NULL,
  answered_at  INTEGER,
  closed_seq   INTEGER,
  closed_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_item ON alerts (item, status);
CREATE INDEX IF NOT EXISTS alerts_pharmacy ON alerts (pharmacy, raised_seq);
CREATE INDEX IF NOT EXISTS alerts_manufacturer ON alerts (manufacturer, raised_seq);
CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_seq);
-- Every step of every alert (RAISED, JOINED, a status, HEALED), by the leaf that caused it.
CREATE TABLE IF NOT EXISTS alert_steps (
  alert_id   TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  kind       TEXT    NOT NULL,
  party      TEXT,
  event_id   TEXT,
  root_cause TEXT,
  note       TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (alert_id, seq, kind)
) WITHOUT ROWID;
-- The id each RAISE_ALERT would have opened (<pharmacy>:<eventId>) and the alert it opened or joined.
CREATE TABLE IF NOT EXISTS alert_ids (
  raise_id TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL
) WITHOUT ROWID;

-- Signed checkpoints, one per published tree size.
CREATE TABLE IF NOT EXISTS checkpoints (
  size      INTEGER PRIMARY KEY,
  root      BLOB    NOT NULL,
  note      TEXT    NOT NULL,
  signed_at INTEGER NOT NULL
);

-- Witnesses' C2SP cosignatures of this node's checkpoints: the note signature line as the witness
-- answered it, by checkpoint size and witness key (<name>+<key id>), verified before it is stored.
CREATE TABLE IF NOT EXISTS cosignatures (
  size      INTEGER NOT NULL,
  witness   TEXT    NOT NULL,
  line      TEXT    NOT NULL,
  timestamp INTEGER NOT NULL,
  PRIMARY KEY (size, witness)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cosignatures_witness ON cosignatures (witness, size);

-- This node as a witness of other nodes' logs: the latest checkpoint it cosigned, per log origin.
CREATE TABLE IF NOT EXISTS witnessed_logs (
  origin TEXT    PRIMARY KEY,
  size   INTEGER NOT NULL,
  root   BLOB    NOT NULL,
  note   TEXT    NOT NULL
) WITHOUT ROWID;
`;

/**
 * Opens (creating if needed) a ledger database file in WAL mode. A committed batch survives a crash of
 * the process. synchronous=NORMAL (no fsync per commit) means a power loss may roll back the last few
 * commits; that is safe here because each commit carries its own Kafka offset: the node re-folds those
 * records from the topic into byte-identical leaves, so checkpoints it signed stay true.
 */
export function openLedgerDb(path: string, opts: { readonly?: boolean } = {}): Db {
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
    const version = db
      .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'db_version'")
      .get();
    if (!version) {
      db.prepare("INSERT INTO meta (key, value) VALUES ('db_version', ?)").run(String(LEDGER_DB_VERSION));
    } else if (Number(version.value) !== LEDGER_DB_VERSION) {
      db.close();
      throw new Error(
        `${path} has ledger database layout ${version.value}; this node reads ${LEDGER_DB_VERSION}. ` +
          'Move that file aside (keep it: its signed checkpoints are evidence) and start again: the node ' +
          'rebuilds the database from the custody topic.',
      );
    }
    indexLeafSites(db);
  }
  db.pragma('cache_size = -65536');
  return db;
}
