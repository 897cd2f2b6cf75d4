// Scanners as the fault scenarios drive them: the credentials `npm start` writes, one POST of a batch
// with every way it can end, and a steady commission → ship → receive stream that records every
// eventId a partner service acknowledged with 202.
import { readFile } from 'node:fs/promises';
import { eventKey } from './ledger-census.ts';
import { sleep } from './processes.ts';

export const GTIN = '00614141123452';

/** One scanner: the service it posts to, its key, and the party and site the key is bound to. */
export interface Scanner {
  url: string;
  key: string;
  party: string;
  site: string;
}

type Kind = 'manufacturer' | 'distributor' | 'pharmacy';
interface Credentials {
  ledger: { url: string; regulatorToken: string };
  services: Record<
    Kind,
    {
      url: string;
      parties: Array<{
        gln: string;
        companyPrefixes?: string[];
        scanners: Array<{ site: string; key: string }>;
      }>;
    }
  >;
}

/** data/demo/credentials.json as `npm start` writes it (DESIGN §7). */
export async function readCredentials(file: string): Promise<Credentials> {
  return JSON.parse(await readFile(file, 'utf8')) as Credentials;
}

/**
 * The scanners of the manufacturer owning GTIN's company prefix: the only ones that may commission its
 * packs (the demo has several manufacturers, each with its own prefix).
 */
export function gtinOwnerScanners(credentials: Credentials): Scanner[] {
  const owner = credentials.services.manufacturer.parties.find((p) =>
    (p.companyPrefixes ?? []).some((prefix) => GTIN.slice(1).startsWith(prefix)),
  );
  if (owner === undefined) throw new Error(`no demo manufacturer owns the prefix of GTIN ${GTIN}`);
  return scannersOf(credentials, 'manufacturer').filter((s) => s.party === owner.gln);
}

/** Every scanner of the parties a service hosts, at `url` (the service's current address). */
export function scannersOf(
  credentials: Credentials,
  kind: Kind,
  url = credentials.services[kind].url,
): Scanner[] {
  return credentials.services[kind].parties.flatMap((p) =>
    p.scanners.map((s) => ({ url, key: s.key, party: p.gln, site: s.site })),
  );
}

/** How one POST /v1/events ended: 202 with ids, another status, or no answer at all. */
export type PostOutcome =
  | { status: 202; eventIds: string[] }
  | { status: number; body: unknown }
  | { status: 'no-answer'; error: string };

/** Posts `events` as `scanner`; never throws (a killed service is an outcome, not an error). */
export async function postBatch(
  scanner: Scanner,
  events: object[],
  timeoutMs = 120_000,
): Promise<PostOutcome> {
  try {
    const res = await fetch(`${scanner.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scanner.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text.slice(0, 200);
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's page, a cut body): kept as text.
    }
    const eventIds = (body as { eventIds?: unknown } | null)?.eventIds;
    if (res.status === 202 && Array.isArray(eventIds)) return { status: 202, eventIds: eventIds as string[] };
    return { status: res.status, body };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 'no-answer', error: cause?.code ?? cause?.message ?? (err as Error).message };
  }
}

/** A pack of the run: its element string as a scanner reads it. */
export const packOf = (serial: string) => `(01)${GTIN}(21)${serial}`;

/** The COMMISSION of one pack, with its own eventId and scan time, so a retry is the same event. */
export function commission(eventId: string, serial: string, eventTime: string): object {
  return { type: 'COMMISSION', eventId, eventTime, items: [packOf(serial)], lot: 'CH1', expiry: '281231' };
}

export interface IngestCounts {
  /** Events a service answered 202 for, by `party/eventId`. */
  acknowledged: Set<string>;
  batchesAcknowledged: number;
  /** Batches answered otherwise, by status ('no-answer' when the connection failed). */
  batchesRefused: Record<string, number>;
}

/**
 * A steady stream of custody events while a ledger node is killed: a manufacturer scanner commissions
 * packs, a second one ships the commissioned packs to the distributor, whose scanner receives them, so
 * leaves carry hash links across items. Each loop posts `batchSize` events and pauses `pauseMs`.
 */
export function startSteadyIngest(opts: {
  maker: [Scanner, Scanner];
  distributor: Scanner;
  tag: string;
  batchSize: number;
  pauseMs: number;
}): { counts: IngestCounts; stop(): Promise<IngestCounts> } {
  const counts: IngestCounts = { acknowledged: new Set(), batchesAcknowledged: 0, batchesRefused: {} };
  const commissioned: string[] = [];
  const shipped: string[] = [];
  let stopped = false;
  let n = 0;

  const post = async (scanner: Scanner, events: object[]): Promise<boolean> => {
    const outcome = await postBatch(scanner, events);
    if (outcome.status === 202) {
      counts.batchesAcknowledged++;
      for (const id of (outcome as { eventIds: string[] }).eventIds)
        counts.acknowledged.add(eventKey(scanner.party, id));
      return true;
    }
    const status = String(outcome.status);
    counts.batchesRefused[status] = (counts.batchesRefused[status] ?? 0) + 1;
    return false;
  };
  const loop = async (next: () => Promise<void>) => {
    while (!stopped) {
      await next();
      await sleep(opts.pauseMs);
    }
  };
  const take = (queue: string[]) => queue.splice(0, opts.batchSize);

  const loops = [
    loop(async () => {
      const serials = Array.from({ length: opts.batchSize }, () => `${opts.tag}${n++}`);
      const now = new Date().toISOString();
      const events = serials.map((s) => commission(`${opts.tag}-c-${s}`, s, now));
      if (await post(opts.maker[0], events)) commissioned.push(...serials);
    }),
    loop(async () => {
      const serials = take(commissioned);
      if (serials.length === 0) return;
      const to = opts.distributor.party;
      const events = serials.map((s) => ({
        type: 'SHIP',
        eventId: `${opts.tag}-s-${s}`,
        items: [packOf(s)],
        to,
      }));
      if (await post(opts.maker[1], events)) shipped.push(...serials);
    }),
    loop(async () => {
      const serials = take(shipped);
      if (serials.length === 0) return;
      const from = opts.maker[1].party;
      const events = serials.map((s) => ({
        type: 'RECEIVE',
        eventId: `${opts.tag}-r-${s}`,
        items: [packOf(s)],
        from,
      }));
      await post(opts.distributor, events);
    }),
  ];
  return {
    counts,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return counts;
    },
  };
}
