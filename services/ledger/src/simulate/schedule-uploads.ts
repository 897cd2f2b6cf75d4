import { type SimBook, type SimEvent, TIME } from './sim-book.ts';
import type { PartyKind } from './sim-network.ts';

const { MINUTE, HOUR, DAY } = TIME;

/** One POST of a batch of events by one scanner; a duplicate or a resend repeats an earlier one. */
export interface Upload {
  kind: PartyKind;
  site: string;
  copy: 'first' | 'duplicate' | 'resend';
  events: SimEvent['body'][];
}

/** Most events a scanner holds before it uploads. */
const MAX_BATCH = 25;

/**
 * When and how the events reach the partner services, with the mess of real scanners: each event is
 * uploaded a few minutes after it happened, or (a `late` share) hours to days after, so it lands after
 * events that happened later; a scanner uploads what it holds in batches, some in another order
 * (`shuffle`), some posted twice (`dup`) or again a few uploads later after a timeout (`resend`).
 * Resends and duplicates carry the same eventIds and content: the ledger must take them as no-ops.
 */
export function scheduleUploads(book: SimBook): {
  uploads: Upload[];
  mess: MessTally;
  lateEvents: Set<string>;
} {
  const { rng, opts } = book;
  const mess: MessTally = { late: 0, batches: 0, shuffled: 0, duplicates: 0, resends: 0 };
  const lateEvents = new Set<string>();
  const due = book.events.map((e, order) => {
    const late = rng.chance(opts.late);
    if (late) {
      lateEvents.add(e.body.eventId);
      mess.late++;
    }
    const delay = late ? rng.int(2 * HOUR, 3 * DAY) : rng.int(5_000, 10 * MINUTE);
    return { e, order, at: Math.min(opts.t0, e.time + delay) };
  });
  due.sort((a, b) => a.at - b.at || a.order - b.order);

  const batches: Upload[] = [];
  const open = new Map<string, { upload: Upload; since: number; size: number }>();
  const flush = (site: string) => {
    const b = open.get(site)!;
    open.delete(site);
    if (rng.chance(opts.shuffle)) {
      b.upload.events = rng.shuffled(b.upload.events);
      mess.shuffled++;
    }
    batches.push(b.upload);
  };
  for (const { e, at } of due) {
    // Scanners upload what they hold at least hourly: an on-time event is never held for days.
    for (const [site, held] of open) if (at - held.since > HOUR) flush(site);
    const batch = open.get(e.site) ?? {
      upload: { kind: e.kind, site: e.site, copy: 'first', events: [] },
      since: at,
      size: rng.int(1, MAX_BATCH),
    };
    open.set(e.site, batch);
    batch.upload.events.push(e.body);
    if (batch.upload.events.length >= batch.size) flush(e.site);
  }
  for (const site of [...open.keys()]) flush(site);
  mess.batches = batches.length;
  const uploads = withRepeats(book, batches);
  mess.duplicates = uploads.filter((u) => u.copy === 'duplicate').length;
  mess.resends = uploads.filter((u) => u.copy === 'resend').length;
  return { uploads, mess, lateEvents };
}

/**
 * The uploads split in two, in their order: what reaches the services on time, and the late events
 * (uploaded hours to days after they happened) held back. A run posts the first part, lets the
 * pharmacists scan, then posts the second: the late uploads land after the counter saw the packs.
 */
export function splitLate(uploads: Upload[], lateEvents: ReadonlySet<string>): [Upload[], Upload[]] {
  const part = (late: boolean) =>
    uploads
      .map((u) => ({ ...u, events: u.events.filter((e) => lateEvents.has(e.eventId) === late) }))
      .filter((u) => u.events.length > 0);
  return [part(false), part(true)];
}

/** How much mess a plan holds: late events, batches (shuffled ones), duplicates and resends. */
export interface MessTally {
  late: number;
  batches: number;
  shuffled: number;
  duplicates: number;
  resends: number;
}

/** The batches with their duplicates (right after) and resends (one to ten uploads later). */
function withRepeats(book: SimBook, batches: Upload[]): Upload[] {
  const { rng, opts } = book;
  const out: Upload[] = [];
  let pending: Array<{ after: number; upload: Upload }> = [];
  for (const b of batches) {
    out.push(b);
    if (rng.chance(opts.dup)) out.push({ ...b, copy: 'duplicate' });
    if (rng.chance(opts.resend))
      pending.push({ after: out.length + rng.int(1, 10), upload: { ...b, copy: 'resend' } });
    const ready = pending.filter((r) => r.after <= out.length);
    pending = pending.filter((r) => r.after > out.length);
    out.push(...ready.map((r) => r.upload));
  }
  out.push(...pending.map((r) => r.upload));
  return out;
}
