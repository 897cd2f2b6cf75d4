import Database from 'better-sqlite3';

/**
 * Bumped when the tables change. This file is not the ledger's database: subscriptions and the
 * outbox cannot be rebuilt from the custody topic, so a ledger rebuild must not take them with it.
 */
export const DELIVERY_DB_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- party is the subscriber's GLN, or '*' for a regulator (who is told everything).
CREATE TABLE IF NOT EXISTS subscriptions (
  id         TEXT    PRIMARY KEY,
  party      TEXT    NOT NULL,
  url        TEXT    NOT NULL,
  secret     TEXT,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subscriptions_party ON subscriptions (party);

-- Every notice published, by its key (<kind>:<alertId>:<seq>), kept for good so that a notice
-- published again (a re-fold after a crash, a ledger rebuild) is recognised. id is the stream's event
-- id; body (what is sent) is cleared once the notice is outside the stream's window and delivered.
CREATE TABLE IF NOT EXISTS notices (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  key        TEXT    NOT NULL UNIQUE,
  audience   TEXT    NOT NULL,
  body       TEXT,
  created_at INTEGER NOT NULL
);
-- The notices that still have a body: the stream's window and what the outbox needs. Pruning and
-- replay read this, so neither grows with the count of notices ever published.
CREATE INDEX IF NOT EXISTS notices_with_body ON notices (id) WHERE body IS NOT NULL;

-- One row per notice and subscription until it is delivered (then deleted) or given up (state failed).
CREATE TABLE IF NOT EXISTS outbox (
  subscription_id TEXT    NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  notice_id       INTEGER NOT NULL REFERENCES notices (id),
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_at         INTEGER NOT NULL,
  last_error      TEXT,
  PRIMARY KEY (subscription_id, notice_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_at);
`;

export interface Subscription {
  id: string;
  party: string;
  url: string;
  secret: string | null;
  createdAt: number;
}

/** A delivery to make: one notice to one subscription. */
export interface DueDelivery {
  subscriptionId: string;
  noticeId: number;
  attempts: number;
  url: string;
  secret: string | null;
  key: string;
  body: string;
}

/** A notice to store: its key, who may see it, and the bytes to send. */
export interface NewNotice {
  key: string;
  audience: string[];
  body: string;
}

/** A notice as the stream replays it. */
export interface StoredNotice {
  id: number;
  key: string;
  audience: string[];
  body: string;
}

/**
 * The delivery database: subscriptions, notices and the outbox, in WAL mode with synchronous=FULL, so
 * that a notice whose publish returned survives a power loss too (it cannot be re-derived from here).
 * Every method is one short transaction.
 */
export class DeliveryStore {
  readonly #db: Database.Database;
  readonly #s;

  constructor(path: string) {
    this.#db = openDeliveryDb(path);
    const db = this.#db;
    this.#s = {
      addSub: db.prepare(
        'INSERT INTO subscriptions (id, party, url, secret, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      subsOf: db.prepare<[string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE party = ? ORDER BY created_at, id',
      ),
      countOf: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM subscriptions WHERE party = ?'),
      removeSub: db.prepare('DELETE FROM subscriptions WHERE id = ? AND party = ?'),
      audienceSubs: db.prepare<[string], { id: string }>(
        "SELECT id FROM subscriptions WHERE party = '*' OR party IN (SELECT value FROM json_each(?))",
      ),
      hasNotice: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM notices WHERE key = ?'),
      addNotice: db.prepare(
        'INSERT INTO notices (key, audience, body, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
      ),
      enqueue: db.prepare(
        "INSERT INTO outbox (subscription_id, notice_id, state, next_at) VALUES (?, ?, 'pending', ?)",
      ),
      // The oldest due row of each subscription not already being delivered to: one delivery per
      // endpoint at a time, so a slow or dead endpoint holds one worker at most, never the others.
      // (SQLite takes the bare columns from the row that gives MIN.)
      due: db.prepare<[number, string, number], DueRow>(
        `SELECT o.subscription_id, MIN(o.notice_id) AS notice_id, o.attempts, s.url, s.secret, n.key, n.body
           FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id JOIN notices n ON n.id = o.notice_id
          WHERE o.state = 'pending' AND o.next_at <= ? AND o.subscription_id NOT IN (SELECT value FROM json_each(?))
          GROUP BY o.subscription_id ORDER BY notice_id LIMIT ?`,
      ),
      done: db.prepare('DELETE FROM outbox WHERE subscription_id = ? AND notice_id = ?'),
      retryAt: db.prepare(
        'UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE subscription_id = ? AND notice_id = ?',
      ),
      // A failing endpoint's other deliveries wait as long as the one that failed: no burst of doomed tries.
      deferSub: db.prepare(
        "UPDATE outbox SET next_at = MAX(next_at, ?) WHERE subscription_id = ? AND state = 'pending'",
      ),
      giveUp: db.prepare(
        "UPDATE outbox SET state = 'failed', attempts = ?, last_error = ? WHERE subscription_id = ? AND notice_id = ?",
      ),
      counts: db.prepare<[], { state: string; n: number }>(
        'SELECT state, COUNT(*) AS n FROM outbox GROUP BY state',
      ),
      subCounts: db.prepare<[string], { state: string; n: number }>(
        'SELECT state, COUNT(*) AS n FROM outbox WHERE subscription_id = ? GROUP BY state',
      ),
      lastError: db.prepare<[string], { last_error: string }>(
        'SELECT last_error FROM outbox WHERE subscription_id = ? AND last_error IS NOT NULL ORDER BY next_at DESC LIMIT 1',
      ),
      after: db.prepare<[number, number], NoticeRow>(
        'SELECT id, key, audience, body FROM notices WHERE id > ? AND body IS NOT NULL ORDER BY id LIMIT ?',
      ),
      lastId: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM notices'),
      prune: db.prepare(
        'UPDATE notices SET body = NULL WHERE id <= ? AND body IS NOT NULL AND id NOT IN (SELECT notice_id FROM outbox)',
      ),
    };
  }

  addSubscription(sub: Subscription): void {
    this.#s.addSub.run(sub.id, sub.party, sub.url, sub.secret, sub.createdAt);
  }

  subscriptionsOf(party: string): Subscription[] {
    return this.#s.subsOf.all(party).map(subscriptionOf);
  }

  subscriptionCount(party: string): number {
    return this.#s.countOf.get(party)!.n;
  }

  /** Deletes a party's subscription and what is still queued for it; false when it has none by that id. */
  removeSubscription(id: string, party: string): boolean {
    return this.#s.removeSub.run(id, party).changes > 0;
  }

  /** Whether a notice with this key was stored before (a read: no write, no fsync). */
  hasNotice(key: string): boolean {
    return this.#s.hasNotice.get(key) !== undefined;
  }

  /**
   * Stores notices and queues each for every subscription of its audience (and every regulator's),
   * all in one transaction: one fsync for a folded batch. A notice whose key was stored before gets
   * undefined and is not queued again.
   */
  addNotices(notices: readonly NewNotice[], now: number): ({ id: number; queued: number } | undefined)[] {
    return this.#db.transaction(() =>
      notices.map((n) => {
        const audienceJson = JSON.stringify(n.audience);
        const r = this.#s.addNotice.run(n.key, audienceJson, n.body, now);
        if (r.changes === 0) return undefined;
        const id = Number(r.lastInsertRowid);
        const subs = this.#s.audienceSubs.all(audienceJson);
        for (const sub of subs) this.#s.enqueue.run(sub.id, id, now);
        return { id, queued: subs.length };
      }),
    )();
  }

  /** Up to `limit` deliveries due by `now`, at most one per subscription and none to `busy` ones, oldest first. */
  due(now: number, limit: number, busy: Iterable<string>): DueDelivery[] {
    return this.#s.due.all(now, JSON.stringify([...busy]), limit).map((r) => ({
      subscriptionId: r.subscription_id,
      noticeId: r.notice_id,
      attempts: r.attempts,
      url: r.url,
      secret: r.secret,
      key: r.key,
      body: r.body,
    }));
  }

  delivered(d: DueDelivery): void {
    this.#s.done.run(d.subscriptionId, d.noticeId);
  }

  /** Records a failed attempt; this and the subscription's other deliveries wait until `nextAt`. */
  retryLater(d: DueDelivery, attempts: number, nextAt: number, error: string): void {
    this.#db.transaction(() => {
      this.#s.retryAt.run(attempts, nextAt, error.slice(0, 500), d.subscriptionId, d.noticeId);
      this.#s.deferSub.run(nextAt, d.subscriptionId);
    })();
  }

  gaveUp(d: DueDelivery, attempts: number, error: string): void {
    this.#s.giveUp.run(attempts, error.slice(0, 500), d.subscriptionId, d.noticeId);
  }

  /** Outbox rows by state (pending, failed), of one subscription or of all. */
  outboxCounts(subscriptionId?: string): { pending: number; failed: number } {
    const rows = subscriptionId ? this.#s.subCounts.all(subscriptionId) : this.#s.counts.all();
    const get = (state: string) => rows.find((r) => r.state === state)?.n ?? 0;
    return { pending: get('pending'), failed: get('failed') };
  }

  /** Why the subscription's latest failed attempt failed, while it has undelivered notices. */
  lastError(subscriptionId: string): string | undefined {
    return this.#s.lastError.get(subscriptionId)?.last_error;
  }

  /** Notices after stream event id `afterId` that still have their body, oldest first. */
  noticesAfter(afterId: number, limit: number): StoredNotice[] {
    return this.#s.after.all(afterId, limit).map((r) => ({
      id: r.id,
      key: r.key,
      audience: JSON.parse(r.audience) as string[],
      body: r.body,
    }));
  }

  lastNoticeId(): number {
    return this.#s.lastId.get()!.id ?? 0;
  }

  /** Clears the bodies of notices older than the newest `keep` that no delivery still needs. */
  prune(keep: number): void {
    this.#s.prune.run(this.lastNoticeId() - keep);
  }

  close(): void {
    this.#db.close();
  }
}

interface SubscriptionRow {
  id: string;
  party: string;
  url: string;
  secret: string | null;
  created_at: number;
}
interface DueRow {
  subscription_id: string;
  notice_id: number;
  attempts: number;
  url: string;
  secret: string | null;
  key: string;
  body: string;
}
interface NoticeRow {
  id: number;
  key: string;
  audience: string;
  body: string;
}

function subscriptionOf(r: SubscriptionRow): Subscription {
  return { id: r.id, party: r.party, url: r.url, secret: r.secret, createdAt: r.created_at };
}

function openDeliveryDb(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  const version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'db_version'").get();
  if (!version) {
    db.prepare("INSERT INTO meta (key, value) VALUES ('db_version', ?)").run(String(DELIVERY_DB_VERSION));
  } else if (Number(version.value) !== DELIVERY_DB_VERSION) {
    db.close();
    throw new Error(
      `${path} has alert delivery layout ${version.value}; this node reads ${DELIVERY_DB_VERSION}. ` +
        'It holds webhook subscriptions and undelivered notices: migrate it, or move it aside and ask ' +
        'partners to subscribe again.',
    );
  }
  return db;
}
