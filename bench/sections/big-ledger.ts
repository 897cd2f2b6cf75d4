// A ledger rebuilt from a pre-filled topic of 100,000 packs x 10 custody events (1,000,000 leaves):
// fold rate over the first 200,000 records and over all of them, then provenance latency for packs
// with 10 events, disk bytes per leaf and the node's RSS.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CustodyEvent,
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  readSigningKeyFile,
  type SigningKey,
  signEvent,
} from '@rxledger/events';
import { createIdempotentProducer, createKafkaClient } from '@rxledger/kafka';
import { createProgress } from '@rxledger/runtime';
import type { Kafka } from 'kafkajs';
import { prepareDemoChannel } from '../../infra/demo/demo-channel.ts';
import { DEMO_LOG_ORIGIN } from '../../infra/demo/demo-setup.ts';
import { startChildService, stopChildren } from '../../infra/supervisor.ts';
import { openLedgerDb } from '../../services/ledger/src/store/ledger-db.ts';
import { LedgerStore } from '../../services/ledger/src/store/ledger-store.ts';
import { percentile, rssMb } from '../stats.ts';

const GTIN = '00614141123452';
const EVENTS_PER_PACK = 10;

/** Signs and publishes `packs` x 10 events, round by round, so each pack's history spans the log. */
async function prefill(
  kafka: Kafka,
  topic: string,
  keys: Record<string, SigningKey>,
  gln: Record<string, string>,
  packs: number,
) {
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const base = Date.now() - 3 * 3_600_000;
  const item = (p: number) => `https://id.gs1.org/01/${GTIN}/21/M${p}`;
  const round = (r: number, p: number): [CustodyEvent, string] => {
    const h = { eventId: `m${r}-${p}`, eventTime: base + r * 600_000 + p, eventTimeOffsetMinutes: 60 };
    const items = [item(p)];
    const m = gln.manufacturer!;
    const d = gln.distributor!;
    const ph = gln.pharmacy!;
    switch (r) {
      case 0:
        return [
          { ...h, type: 'COMMISSION', party: m, site: m, items, lot: `L${p % 100}`, expiry: '281231' },
          m,
        ];
      case 1:
        return [{ ...h, type: 'SHIP', party: m, site: m, items, to: d }, m];
      case 2:
      case 6:
        return [{ ...h, type: 'RECEIVE', party: d, site: d, items, from: r === 2 ? m : ph }, d];
      case 3:
      case 7:
        return [{ ...h, type: 'SHIP', party: d, site: d, items, to: ph }, d];
      case 4:
      case 8:
        return [{ ...h, type: 'RECEIVE', party: ph, site: ph, items, from: d }, ph];
      case 5:
        return [{ ...h, type: 'SHIP', party: ph, site: ph, items, to: d }, ph];
      default:
        return [{ ...h, type: 'DISPENSE', party: ph, site: ph, items }, ph];
    }
  };
  let inFlight: Promise<unknown> = Promise.resolve();
  const progress = createProgress({
    label: 'prefill records',
    total: packs * EVENTS_PER_PACK,
    stream: process.stderr,
  });
  for (let r = 0; r < EVENTS_PER_PACK; r++) {
    for (let p = 0; p < packs; p += 1_000) {
      const messages = [];
      for (let q = p; q < Math.min(packs, p + 1_000); q++) {
        const [event, party] = round(r, q);
        messages.push({
          value: Buffer.from(
            encodeSignedEvent(signEvent(nodeEd25519, keys[party]!, encodeCustodyEvent(event))),
          ),
        });
      }
      // Sign the next chunk while Kafka takes this one.
      await inFlight;
      progress.tick(messages.length);
      inFlight = producer.send({ topic, acks: -1, messages });
    }
  }
  await inFlight;
  progress.finish();
  await producer.disconnect();
  return packs * EVENTS_PER_PACK;
}

export async function bigLedger(opts: {
  brokers: string[];
  dataDir: string;
  packs: number;
  provenanceSamples: number;
}) {
  const kafka = createKafkaClient({ brokers: opts.brokers, clientId: 'bench-big' });
  const channelName = `big-${Date.now().toString(36)}`;
  const channel = await prepareDemoChannel(
    kafka,
    { channel: channelName, replicationFactor: 1, minInsyncReplicas: 1 },
    opts.dataDir,
  );
  const byKind = (kind: string) => channel.identities.parties.find((p) => p.kind === kind)!;
  const gln = {
    manufacturer: byKind('manufacturer').gln,
    distributor: byKind('distributor').gln,
    pharmacy: byKind('pharmacy').gln,
  };
  const keys: Record<string, SigningKey> = {};
  for (const kind of ['manufacturer', 'distributor', 'pharmacy'] as const) {
    keys[gln[kind]] = (await readSigningKeyFile(byKind(kind).keyFile)).key;
  }
  const t0 = performance.now();
  const records = (await prefill(kafka, channel.topic, keys, gln, opts.packs)) + 1;
  const prefillS = (performance.now() - t0) / 1000;

  const ledgerDir = join(opts.dataDir, `ledger-${channelName}`);
  const dbPath = join(ledgerDir, 'ledger.sqlite');
  const started = performance.now();
  const ledger = await startChildService(
    'ledger',
    {
      KAFKA_BROKERS: opts.brokers.join(','),
      CHANNEL: channelName,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: ledgerDir,
      CHECKPOINT_KEY_FILE: channel.identities.checkpointKeyFile,
      AUTHORITY_KEY_FILE: channel.authorityKeyFile,
      LOG_ORIGIN: DEMO_LOG_ORIGIN,
      LEDGER_TOKENS_FILE: channel.ledgerTokensFile,
      LOG_LEVEL: 'warn',
    },
    join(opts.dataDir, 'logs'),
  );
  try {
    const db = openLedgerDb(dbPath, { readonly: true });
    const store = new LedgerStore(db);
    let at200k = 0;
    let peakRss = 0;
    const progress = createProgress({ label: 'rebuild records', total: records, stream: process.stderr });
    while (store.nextOffset() < records) {
      if (!at200k && store.nextOffset() >= 200_000) at200k = performance.now();
      progress.set(store.nextOffset());
      peakRss = Math.max(peakRss, await rssMb(ledger.child.pid!));
      await new Promise((r) => setTimeout(r, 250));
    }
    progress.set(records);
    progress.finish();
    const doneS = (performance.now() - started) / 1000;
    const leaves = store.size();
    db.close();
    const rss = await rssMb(ledger.child.pid!);
    const disk = ['', '-wal', '-shm'].reduce(
      (n, s) => n + (statSync(`${dbPath}${s}`, { throwIfNoEntry: false })?.size ?? 0),
      0,
    );

    const headers = { authorization: `Bearer ${channel.identities.regulatorToken}` };
    const latencies: number[] = [];
    let entries = 0;
    for (let i = 0; i < opts.provenanceSamples; i++) {
      const p = Math.floor((i * 7919) % opts.packs);
      const t = performance.now();
      const res = await fetch(
        `${ledger.url}/v1/provenance?item=${encodeURIComponent(`https://id.gs1.org/01/${GTIN}/21/M${p}`)}`,
        { headers },
      );
      const body = (await res.json()) as { entries?: unknown[] };
      latencies.push(performance.now() - t);
      entries = body.entries?.length ?? -1;
    }
    return {
      records,
      leaves,
      prefillS,
      fold200kPerS: at200k ? 200_000 / ((at200k - started) / 1000) : Number.NaN,
      rebuildPerS: records / doneS,
      rebuildS: doneS,
      rssMb: rss,
      peakRssMb: peakRss,
      diskBytesPerLeaf: disk / leaves,
      provenanceEntries: entries,
      provenanceP50Ms: percentile(latencies, 50),
      provenanceP99Ms: percentile(latencies, 99),
    };
  } finally {
    await stopChildren([ledger]);
  }
}
