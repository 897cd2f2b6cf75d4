// How fast one partner service takes events: a manufacturer gateway in this process, Kafka found or
// started as everywhere else, scanners posting COMMISSION batches (one pack per event) for a while
// per batch size. Every 202 means Kafka acknowledged every record (acks=all).
//
//   npx tsx shared/gateway/bench/publish.bench.ts [seconds per run, default 10] [concurrent scanners, default 4]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey, writeSigningKeyFile } from '@rxledger/events';
import { createKafkaClient, findOrStartKafka, setupCustodyTopic } from '@rxledger/kafka';
import { createLogger } from '@rxledger/runtime';
import { createGateway } from '../src/gateway.ts';
import { hashScannerKey } from '../src/scanner-auth.ts';

const seconds = Number(process.argv[2] ?? 10);
const scanners = Number(process.argv[3] ?? 4);
const GTIN = '04012345123456';
const say = (line: string) => process.stdout.write(`${line}\n`);

const kafka = await findOrStartKafka({
  brokers: process.env.KAFKA_BROKERS?.split(',').filter(Boolean),
  dockerHost: process.env.DOCKER_HOST,
  onProgress: (line) => say(`kafka   ${line}`),
});
const dir = await mkdtemp(join(tmpdir(), 'rxledger-bench-'));
const channel = `bench-${randomBytes(4).toString('hex')}`;
const keyFile = join(dir, 'manufacturer.jwk');
await writeSigningKeyFile(keyFile, SigningKey.generate());
const scannerKey = `rxs_${randomBytes(24).toString('base64url')}`;
await setupCustodyTopic(createKafkaClient({ brokers: kafka.brokers, clientId: 'bench' }), {
  channel,
  replicationFactor: 1,
  minInsyncReplicas: 1,
});
const gateway = createGateway({
  name: 'manufacturer',
  acceptTypes: ['COMMISSION', 'AGGREGATE', 'DISAGGREGATE', 'SHIP', 'DECOMMISSION', 'RECALL'],
  host: '127.0.0.1',
  port: 0,
  brokers: kafka.brokers,
  channel,
  ledgerUrl: 'http://127.0.0.1:9',
  parties: [
    {
      gln: '4012345000009',
      name: 'Bench Pharma',
      keyFile,
      scanners: [{ site: '4012345000016', keyHash: hashScannerKey(scannerKey) }],
    },
  ],
  log: createLogger({ service: 'manufacturer', level: 'warn' }),
});
const url = await gateway.start();

let serial = 0;
function body(size: number): string {
  const events: string[] = [];
  for (let i = 0; i < size; i++) {
    serial += 1;
    events.push(`{"type":"COMMISSION","items":["(01)${GTIN}(21)B${serial}"],"lot":"LOT1","expiry":"281231"}`);
  }
  return `{"events":[${events.join(',')}]}`;
}

async function run(batchSize: number, durationMs: number) {
  const latencies: number[] = [];
  let events = 0;
  let failures = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: scanners }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(`${url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${scannerKey}`, 'content-type': 'application/json' },
          body: body(batchSize),
        });
        await res.arrayBuffer();
        if (res.status === 202) {
          events += batchSize;
          latencies.push(performance.now() - t0);
        } else failures += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { events, failures, elapsed, p50: pct(0.5), p99: pct(0.99) };
}

try {
  say(`kafka   ${kafka.source} broker at ${kafka.brokers.join(',')}; ${scanners} concurrent scanners`);
  await run(100, 2_000); // warm-up: JIT, producer connection, topic metadata
  say('batch   events/s   requests   p50 ms   p99 ms   failures');
  for (const size of [100, 1_000]) {
    const r = await run(size, seconds * 1000);
    say(
      `${String(size).padStart(5)}   ${Math.round(r.events / r.elapsed)
        .toString()
        .padStart(8)}   ${String(r.events / size).padStart(8)}   ${r.p50.toFixed(1).padStart(6)}   ${r.p99
        .toFixed(1)
        .padStart(6)}   ${r.failures}`,
    );
  }
} finally {
  await gateway.stop();
  await kafka.stop();
  await rm(dir, { recursive: true, force: true });
}
