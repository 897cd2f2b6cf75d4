import type { AlertCode, AlertRootCause } from '@rxledger/events';
import type { AlertRecord, AlertState, AlertStep, AlertStepKind } from '../alerts/alert-record.ts';
import type { Db } from './ledger-db.ts';

/** What one commit changes of the alerts: records as they now stand, new steps, new raise ids. */
export interface AlertWrite {
  records: AlertRecord[];
  steps: AlertStep[];
  /** [the id a RAISE_ALERT would have opened, the alert it opened or joined]. */
  raiseIds: Array<[string, string]>;
}

/** A page of alerts: `parties` undefined means every alert (a regulator), else those of these parties. */
export interface AlertFilter {
  parties?: readonly string[];
  status?: AlertState;
  code?: string;
  gtin?: string;
  /** Raised at or after / before (broker time, epoch ms). */
  from?: number;
  to?: number;
  /** Raised at a leaf below this one (the cursor of the previous page). */
  before?: number;
  limit: number;
}

/** The alert tables (ledger-db.ts), every statement prepared once; written only inside a commit. */
export class AlertTables {
  readonly #db: Db;
  readonly #s;

  constructor(db: Db) {
    this.#db = db;
    this.#s = {
      upsert: db.prepare(
        `INSERT OR REPLACE INTO alerts (id, pharmacy, item, gtin, manufacturer, code, lot, expiry, status,
           root_cause, healed, raised_seq, raised_at, answered_at, closed_seq, closed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertStep: db.prepare(
        `INSERT OR IGNORE INTO alert_steps (alert_id, seq, kind, party, event_id, root_cause, note, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertRaiseId: db.prepare('INSERT OR IGNORE INTO alert_ids (raise_id, alert_id) VALUES (?, ?)'),
      byId: db.prepare<[string], AlertDbRow>('SELECT * FROM alerts WHERE id = ?'),
      raiseId: db.prepare<[string], { alert_id: string }>(
        'SELECT alert_id FROM alert_ids WHERE raise_id = ?',
      ),
      open: db.prepare<[string, string, string], AlertDbRow>(
        `SELECT * FROM alerts WHERE item = ? AND status != 'CLOSED' AND pharmacy = ? AND code = ?
         ORDER BY raised_seq LIMIT 1`,
      ),
      onItem: db.prepare<[string], AlertDbRow>('SELECT * FROM alerts WHERE item = ? ORDER BY raised_seq'),
      unanswered: db.prepare<[], AlertDbRow>(
        "SELECT * FROM alerts WHERE status != 'CLOSED' AND answered_at IS NULL ORDER BY raised_seq",
      ),
      openItems: db.prepare<[], string>("SELECT DISTINCT item FROM alerts WHERE status != 'CLOSED'").pluck(),
      steps: db.prepare<[string], StepDbRow>(
        'SELECT * FROM alert_steps WHERE alert_id = ? ORDER BY seq, kind',
      ),
      openByCode: db.prepare<[], { code: string; n: number }>(
        "SELECT code, COUNT(*) AS n FROM alerts WHERE status != 'CLOSED' GROUP BY code",
      ),
      openByManufacturer: db.prepare<[], { manufacturer: string | null; n: number }>(
        "SELECT manufacturer, COUNT(*) AS n FROM alerts WHERE status != 'CLOSED' GROUP BY manufacturer",
      ),
      closed: db.prepare<[], { healed: number; seconds: number }>(
        `SELECT healed, (closed_at - raised_at) / 1000.0 AS seconds FROM alerts WHERE status = 'CLOSED'`,
      ),
    };
  }

  /** Writes one commit's alert changes; called inside LedgerStore.commit's transaction. */
  write(w: AlertWrite): void {
    for (const a of w.records) {
      this.#s.upsert.run(
        a.id,
        a.pharmacy,
        a.item,
        a.gtin,
        a.manufacturer,
        a.code,
        a.lot,
        a.expiry,
        a.status,
        a.rootCause,
        a.healed ? 1 : 0,
        a.raisedSeq,
        a.raisedAt,
        a.answeredAt,
        a.closedSeq,
        a.closedAt,
      );
    }
    for (const s of w.steps) {
      this.#s.insertStep.run(s.alertId, s.seq, s.kind, s.party, s.eventId, s.rootCause, s.note, s.at);
    }
    for (const [raiseId, alertId] of w.raiseIds) this.#s.insertRaiseId.run(raiseId, alertId);
  }

  /** The alert `id` names: an alert's own id, or the id of a raise that joined it. */
  get(id: string): AlertRecord | undefined {
    const row = this.#s.byId.get(id) ?? this.#s.byId.get(this.#s.raiseId.get(id)?.alert_id ?? '');
    return row && toAlert(row);
  }

  /** The open (not CLOSED) alert of this pharmacy on this pack with this code, if any. */
  openOf(pharmacy: string, item: string, code: string): AlertRecord | undefined {
    const row = this.#s.open.get(item, pharmacy, code);
    return row && toAlert(row);
  }

  /** Every alert ever raised on `item`, in raise order. */
  onItem(item: string): AlertRecord[] {
    return this.#s.onItem.all(item).map(toAlert);
  }

  /** The packs with at least one open alert. */
  openItems(): string[] {
    return this.#s.openItems.all();
  }

  /** Open alerts neither the manufacturer nor a regulator has answered yet, in raise order. */
  unanswered(): AlertRecord[] {
    return this.#s.unanswered.all().map(toAlert);
  }

  steps(id: string): AlertStep[] {
    return this.#s.steps.all(id).map(toStep);
  }

  /** One page of alerts, newest raise first, and whether more follow. */
  page(f: AlertFilter): { alerts: AlertRecord[]; more: boolean } {
    const where: string[] = [];
    const args: Array<string | number> = [];
    const add = (clause: string, ...values: Array<string | number>) => {
      where.push(clause);
      args.push(...values);
    };
    if (f.parties) {
      const marks = f.parties.map(() => '?').join(', ') || 'NULL';
      add(`(pharmacy IN (${marks}) OR manufacturer IN (${marks}))`, ...f.parties, ...f.parties);
    }
    if (f.status !== undefined) add('status = ?', f.status);
    if (f.code !== undefined) add('code = ?', f.code);
    if (f.gtin !== undefined) add('gtin = ?', f.gtin);
    if (f.from !== undefined) add('raised_at >= ?', f.from);
    if (f.to !== undefined) add('raised_at < ?', f.to);
    if (f.before !== undefined) add('raised_seq < ?', f.before);
    const rows = this.#db
      .prepare<Array<string | number>, AlertDbRow>(
        `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY raised_seq DESC LIMIT ?`,
      )
      .all(...args, f.limit + 1);
    return { alerts: rows.slice(0, f.limit).map(toAlert), more: rows.length > f.limit };
  }

  /** Open alerts by code and by manufacturer ('' when the GTIN has none), for /metrics. */
  openCounts(): { byCode: Map<string, number>; byManufacturer: Map<string, number> } {
    return {
      byCode: new Map(this.#s.openByCode.all().map((r) => [r.code, r.n])),
      byManufacturer: new Map(this.#s.openByManufacturer.all().map((r) => [r.manufacturer ?? '', r.n])),
    };
  }

  /** Every closed alert's time from raise to close (s), and whether the fold healed it. */
  closedDurations(): Array<{ healed: boolean; seconds: number }> {
    return this.#s.closed.all().map((r) => ({ healed: r.healed === 1, seconds: r.seconds }));
  }
}

interface AlertDbRow {
  id: string;
  pharmacy: string;
  item: string;
  gtin: string;
  manufacturer: string | null;
  code: string;
  lot: string;
  expiry: string;
  status: string;
  root_cause: string | null;
  healed: number;
  raised_seq: number;
  raised_at: number;
  answered_at: number | null;
  closed_seq: number | null;
  closed_at: number | null;
}

interface StepDbRow {
  alert_id: string;
  seq: number;
  kind: string;
  party: string | null;
  event_id: string | null;
  root_cause: string | null;
  note: string;
  at: number;
}

function toAlert(r: AlertDbRow): AlertRecord {
  return {
    id: r.id,
    pharmacy: r.pharmacy,
    item: r.item,
    gtin: r.gtin,
    manufacturer: r.manufacturer,
    code: r.code as AlertCode,
    lot: r.lot,
    expiry: r.expiry,
    status: r.status as AlertState,
    rootCause: r.root_cause as AlertRootCause | null,
    healed: r.healed === 1,
    raisedSeq: r.raised_seq,
    raisedAt: r.raised_at,
    answeredAt: r.answered_at,
    closedSeq: r.closed_seq,
    closedAt: r.closed_at,
  };
}

function toStep(r: StepDbRow): AlertStep {
  return {
    alertId: r.alert_id,
    seq: r.seq,
    kind: r.kind as AlertStepKind,
    party: r.party,
    eventId: r.event_id,
    rootCause: r.root_cause as AlertRootCause | null,
    note: r.note,
    at: r.at,
  };
}
