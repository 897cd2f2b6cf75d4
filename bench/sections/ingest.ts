// Ingest end to end: scanners post batches of 100 to the three partner services at once; each event
// is signed, acknowledged by Kafka, folded by the ledger and answerable by GET /v1/events/{id}.
import { randomBytes } from 'node:crypto';
import { openLedgerDb } from '../../services/ledger/src/store/ledger-db.ts';
import { LedgerStore } from '../../services/ledger/src/store/ledger-store.ts';
import type { DemoServices } from '../../infra/demo/demo-services.ts';
import { percentile } from '../stats.ts';

const GTIN = '00614141123452';

interface Scanner {
  url: string;
  key: string;
  make: (n: number) => object;
}

/**
 * Runs `loops` scanner loops per service for `seconds`, after `warmupS` of warm-up. Returns the
 * acknowledged-and-landed and folded rates over the measured window, and scan-to-queryable latency
 * (POST sent to its last event ACCEPTED at the ledger) of every batch.
 */
export async function ingest(
  system: DemoServices,
  opts: { seconds: number; warmupS: number; loops: number; batch: number; ledgerDb: string },
) {
  const { identities } = system.channel;
  const party = (kind: string) => identities.parties.find((p) => p.kind === kind)!;
  const run = randomBytes(3).toString('hex');
  const serial = (n: number) => `B${run}${n}`;
  const item = (n: number) => `https://id.gs1.org/01/${GTIN}/21/${serial(n)}`;
  const scanners: Scanner[] = [
    {
      url: system.services.manufacturer.url,
      key: party('manufacturer').scanners[0]!.key,
      make: (n) => ({ type: 'COMMISSION', items: [item(n)], lot: 'B1', expiry: '281231' }),
    },
    {
      url: system.services.distributor.url,
      key: party('distributor').scanners[0]!.key,
      make: (n) => ({ type: 'RECEIVE', items: [item(n)], from: party('manufacturer').gln }),
    },
    {
      url: system.services.pharmacy.url,
      key: party('pharmacy').scanners[0]!.key,
      make: (n) => ({ type: 'DISPENSE', items: [item(n)] }),
    },
  ];
  const ledgerUrl = system.services.ledger.url;
  const regulator = { authorization: `Bearer ${identities.regulatorToken}` };
  const db = openLedgerDb(opts.ledgerDb, { readonly: true });
  const store = new LedgerStore(db);

  let stop = false;
  let measuring = false;
  let acked = 0;
  let failed = 0;
  const latencies: number[] = [];
  let counter = 0;

  // Closed loop, as a scanner that waits for "did my event land" before the next batch: each loop
  // posts a batch, then asks the ledger once, holding the request (?wait=, a long poll) until the
  // batch's last event is decided. The rate it settles at is what the whole pipeline sustains,
  // acknowledged, folded and queryable.
  const landed = async (id: string) => {
    for (;;) {
      const res = await fetch(`${ledgerUrl}/v1/events/${id}?wait=10`, { headers: regulator });
      if (res.status === 200) return ((await res.json()) as { state: string }).state === 'ACCEPTED';
      await res.arrayBuffer();
    }
  };
  const loop = async (s: Scanner) => {
    const headers = { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' };
    while (!stop) {
      const events = Array.from({ length: opts.batch }, () => s.make(counter++));
      const started = performance.now();
      const res = await fetch(`${s.url}/v1/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ events }),
      });
      const body = (await res.json()) as { eventIds?: string[] };
      if (res.status !== 202 || !body.eventIds) {
        failed += opts.batch;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const counted = measuring;
      const ok = await landed(body.eventIds.at(-1)!);
      if (counted && measuring) {
        acked += body.eventIds.length;
        if (ok) latencies.push(performance.now() - started);
        else failed += opts.batch;
      }
    }
  };

  const loops = scanners.flatMap((s) => Array.from({ length: opts.loops }, () => loop(s)));
  await new Promise((r) => setTimeout(r, opts.warmupS * 1000));
  measuring = true;
  const size0 = store.size();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const folded = store.size() - size0;
  stop = true;
  await Promise.all(loops);
  db.close();
  return {
    seconds,
    ackedPerS: acked / seconds,
    foldedPerS: folded / seconds,
    failed,
    samples: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
