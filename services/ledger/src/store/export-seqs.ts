import type { Db } from './ledger-db.ts';

/** What exportSeqs selects; every field given narrows the selection. */
export interface ExportFilter {
  types: readonly string[];
  /** Leaves with seq > after and seq < below. */
  after: number;
  below: number;
  limit: number;
  /** Each list: the leaf names at least one of its items (lists are and-ed). */
  naming?: ReadonlyArray<readonly string[]>;
  /** The leaf's site is one of these GLNs. */
  sites?: readonly string[];
  /** eventTime >= since and < until, epoch ms. */
  since?: number;
  until?: number;
  /** Only leaves signed by one of `parties` or naming one of `items`. */
  visibleTo?: { parties: readonly string[]; items: readonly string[] };
}

type Arg = string | number;
export interface Clause {
  sql: string;
  args: Arg[];
}

// Types few enough to read one index stream each; with more, walking the log skips only the rest.
const MAX_TYPE_STREAMS = 3;

/**
 * The first `limit` seqs in (after, below) matching `filter`, ascending. Paging is in leaf order, so
 * each page walks one or a few streams already in seq order, each stopping after `limit` matches,
 * and merges them; what a page costs is the rows those streams walk:
 * - items asked for (naming): every leaf naming them, from item_leaves: their histories, whatever the log's size;
 * - else sites: leaf_sites per site, in seq order, until `limit` match the other filters;
 * - else a partner's own events: leaves_party per party, likewise;
 * - else at most 3 event types: leaves_event_type per type, likewise;
 * - else the log itself in seq order, skipping the few leaves not exported.
 * A time window first narrows (after, below) to the seqs holding eventTimes in it (leaves_event_time:
 * the rows in the window), since late events make eventTime only roughly follow seq.
 */
export function exportSeqs(db: Db, filter: ExportFilter): number[] {
  const range = timeRange(db, filter);
  if (range === undefined) return [];
  const seqs = new Set<number>();
  for (const { sql, args } of exportStatements({ ...filter, ...range })) {
    for (const r of db.prepare<Arg[], { seq: number }>(sql).all(...args)) seqs.add(r.seq);
  }
  return [...seqs].sort((a, b) => a - b).slice(0, filter.limit);
}

/** The statements exportSeqs runs for `filter` once its time window is applied (exported for plan tests). */
export function exportStatements(filter: ExportFilter): Clause[] {
  return driving(filter).map((stream) => {
    const rest = predicates(filter, stream.drives);
    return {
      sql:
        `SELECT l.seq AS seq FROM ${stream.from} WHERE ${stream.where.sql} AND l.seq > ? AND l.seq < ?` +
        rest.map((c) => ` AND ${c.sql}`).join('') +
        ` ORDER BY ${stream.order} LIMIT ?`,
      args: [...stream.where.args, filter.after, filter.below, ...rest.flatMap((c) => c.args), filter.limit],
    };
  });
}

type Driver = 'naming' | 'sites' | 'parties' | 'types' | 'none';

/** The index streams a page reads, each in seq order; `drives` is the filter they already apply. */
function driving(f: ExportFilter): Array<{ from: string; where: Clause; order: string; drives: Driver }> {
  const leaves = (drives: Driver, where: Clause) => ({ from: 'leaves l', where, order: 'l.seq', drives });
  if (f.naming?.length) return [leaves('none', { sql: '1', args: [] })];
  if (f.sites) {
    return f.sites.map((site) => ({
      from: 'leaf_sites s JOIN leaves l ON l.seq = s.seq',
      where: { sql: 's.site = ?', args: [site] },
      order: 's.seq',
      drives: 'sites' as const,
    }));
  }
  if (f.visibleTo && f.visibleTo.items.length === 0) {
    return f.visibleTo.parties.map((p) => leaves('parties', { sql: 'l.party = ?', args: [p] }));
  }
  if (f.types.length <= MAX_TYPE_STREAMS) {
    return f.types.map((t) => leaves('types', { sql: 'l.event_type = ?', args: [t] }));
  }
  return [leaves('none', { sql: '1', args: [] })];
}

/**
 * The filters a stream does not apply by itself, written so that SQLite checks them on each row it
 * walks rather than choosing their index to drive (a unary + keeps a column's index out of the plan).
 */
function predicates(f: ExportFilter, drives: Driver): Clause[] {
  const out: Clause[] = [];
  const naming = (items: readonly string[]) =>
    `l.seq IN (SELECT seq FROM item_leaves WHERE item IN (${marks(items)}))`;
  if (drives !== 'types') out.push({ sql: `+l.event_type IN (${marks(f.types)})`, args: [...f.types] });
  for (const items of f.naming ?? []) out.push({ sql: naming(items), args: [...items] });
  if (f.sites && drives !== 'sites') {
    const sql = `EXISTS (SELECT 1 FROM leaf_sites x WHERE x.site IN (${marks(f.sites)}) AND x.seq = l.seq)`;
    out.push({ sql, args: [...f.sites] });
  }
  if (f.since !== undefined) out.push({ sql: '+l.event_time >= ?', args: [f.since] });
  if (f.until !== undefined) out.push({ sql: '+l.event_time < ?', args: [f.until] });
  if (f.visibleTo && drives !== 'parties') {
    const { parties, items } = f.visibleTo;
    const own = `+l.party IN (${marks(parties)})`;
    out.push({
      sql: items.length ? `(${own} OR ${naming(items)})` : own,
      args: [...parties, ...items],
    });
  }
  return out;
}

/** (after, below) narrowed to the seqs holding eventTimes in the window; undefined when none do. */
function timeRange(db: Db, f: ExportFilter): { after: number; below: number } | undefined {
  if (f.since === undefined && f.until === undefined) return { after: f.after, below: f.below };
  const span = db
    .prepare<[number, number], { lo: number | null; hi: number | null }>(
      'SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM leaves WHERE event_time >= ? AND event_time < ?',
    )
    .get(f.since ?? Number.MIN_SAFE_INTEGER, f.until ?? Number.MAX_SAFE_INTEGER)!;
  if (span.lo === null || span.hi === null) return undefined;
  return { after: Math.max(f.after, span.lo - 1), below: Math.min(f.below, span.hi + 1) };
}

// `?, ?, ?` for a list (NULL for an empty one, which then matches nothing).
const marks = (list: readonly unknown[]) => list.map(() => '?').join(', ') || 'NULL';
