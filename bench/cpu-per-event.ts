// CPU per ingested event, per process: N events posted in batches of 100 to the three partner
// services, all folded by the ledger; user+system CPU of each service process (all its threads,
// from /proc) over the run, divided by N. CPU time, unlike throughput, barely depends on how busy
// the shared host is. Run: npx tsx bench/cpu-per-event.ts [events, default 30000]
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { findOrStartKafka } from '@rxledger/kafka';
import { startDemoServices } from '../infra/demo/demo-services.ts';
import { stopChildren } from '../infra/supervisor.ts';

const N = Number(process.argv[2] ?? 30_000);
const BATCH = Number(process.env.BATCH ?? 100);
const LOOPS = 4;
const GTIN = '00614141123452';
const ticks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, 1/100 s
};
const kafka = await findOrStartKafka({ brokers: process.env.KAFKA_BROKERS?.split(',').filter(Boolean) });
const children: Parameters<typeof stopChildren>[0] = [];
const system = await startDemoServices({
  brokers: kafka.brokers,
  channel: `cpu-${Date.now().toString(36)}`,
  replicationFactor: 1,
  minInsyncReplicas: 1,
  dataDir: await mkdtemp(join(tmpdir(), 'rxledger-cpu-')),
  host: '127.0.0.1',
  ports: { ledger: 0, manufacturer: 0, distributor: 0, pharmacy: 0 },
  env: { LOG_LEVEL: 'warn' },
  onStarted: (s) => children.push(s),
});
const { identities } = system.channel;
const party = (kind: string) => identities.parties.find((p) => p.kind === kind)!;
const run = randomBytes(3).toString('hex');
const item = (n: number) => `https://id.gs1.org/01/${GTIN}/21/C${run}${n}`;
const kinds = [
  ['manufacturer', (n: number) => ({ type: 'COMMISSION', items: [item(n)], lot: 'B1', expiry: '281231' })],
  ['distributor', (n: number) => ({ type: 'RECEIVE', items: [item(n)], from: party('manufacturer').gln })],
  ['pharmacy', (n: number) => ({ type: 'DISPENSE', items: [item(n)] })],
] as const;
let counter = 0;
const regulator = { authorization: `Bearer ${identities.regulatorToken}` };
async function post(kind: (typeof kinds)[number], count: number): Promise<string> {
  let last = '';
  for (let sent = 0; sent < count; sent += BATCH) {
    const events = Array.from({ length: BATCH }, () => kind[1](counter++));
    const res = await fetch(`${system.services[kind[0]].url}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${party(kind[0]).scanners[0]!.key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ events }),
    });
    const body = (await res.json()) as { eventIds?: string[] };
    if (res.status !== 202) throw new Error(`POST ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    last = body.eventIds!.at(-1)!;
  }
  return last;
}
async function landed(id: string) {
  for (;;) {
    const res = await fetch(`${system.services.ledger.url}/v1/events/${id}`, { headers: regulator });
    if (res.status === 200 && ((await res.json()) as { state: string }).state !== 'PENDING') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function round(total: number) {
  const per = Math.ceil(total / (kinds.length * LOOPS * BATCH)) * BATCH;
  const lasts = await Promise.all(kinds.flatMap((k) => Array.from({ length: LOOPS }, () => post(k, per))));
  await Promise.all(lasts.map(landed));
  return per * kinds.length * LOOPS;
}
try {
  await round(3_000);
  const pids = Object.fromEntries(Object.entries(system.services).map(([name, s]) => [name, s.child.pid!]));
  const before = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, ticks(pid)]));
  const t0 = performance.now();
  const events = await round(N);
  const wall = (performance.now() - t0) / 1000;
  const per = Object.fromEntries(
    Object.entries(pids).map(([n, pid]) => [n, ((ticks(pid) - before[n]!) * 10_000) / events]),
  );
  const total = Object.values(per).reduce((a, b) => a + b, 0);
  console.log(`${events} events in ${wall.toFixed(1)} s (${Math.round(events / wall)} ev/s)`);
  for (const [n, us] of Object.entries(per))
    console.log(`${n.padEnd(14)} ${us.toFixed(0).padStart(5)} µs CPU/event`);
  console.log(`${'services'.padEnd(14)} ${total.toFixed(0).padStart(5)} µs CPU/event`);
} finally {
  await stopChildren(children);
}
process.exit(0);
