// Ledger fold throughput: (1) the fold alone, records handed over in memory; (2) a node rebuilding
// from offset 0 of a pre-filled topic on a real broker. Run: npx tsx services/ledger/bench/fold.bench.ts [records]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustodyEvent } from '@rxledger/events';
import { SigningKey } from '@rxledger/events';
import { findOrStartKafka } from '@rxledger/kafka';
import { createLogger } from '@rxledger/runtime';
import { createLedgerService } from '../src/index.ts';
import { publishToChannel } from '../test/support/publish.ts';
import { tempLedger } from '../test/support/temp-ledger.ts';
import { GLN, pack, sscc, TestChain } from '../test/support/test-chain.ts';
import { TOKEN_FILE } from '../test/support/test-tokens.ts';

const N = Number(process.argv[2] ?? 100_000);
const chain = new TestChain();
const now = Date.now();

/** A realistic mix: commissions, aggregations into cases, shipments, receipts, dispenses. */
function records(): Uint8Array[] {
  const values = [chain.sign(chain.genesis(now - N - 60_000), chain.authority)];
  const at = (i: number) => ({ eventId: `b${i}`, eventTime: now - N + i, eventTimeOffsetMinutes: 0 });
  for (let i = 1; values.length < N; i++) {
    const k = i % 10;
    let e: CustodyEvent;
    if (k < 5)
      e = {
        type: 'COMMISSION',
        ...at(i),
        party: GLN.maker,
        site: GLN.makerSite,
        items: [pack(i)],
        lot: `L${i % 50}`,
        expiry: '281231',
      };
    else if (k === 5)
      e = {
        type: 'AGGREGATE',
        ...at(i),
        party: GLN.maker,
        site: GLN.makerSite,
        parent: sscc(i),
        children: [pack(i - 1), pack(i - 2), pack(i - 3)],
      };
    else if (k === 6)
      e = {
        type: 'SHIP',
        ...at(i),
        party: GLN.maker,
        site: GLN.makerSite,
        items: [sscc(i - 1)],
        to: GLN.pharmacy,
      };
    else if (k === 7)
      e = {
        type: 'RECEIVE',
        ...at(i),
        party: GLN.pharmacy,
        site: GLN.pharmacySite,
        items: [sscc(i - 2)],
        from: GLN.maker,
      };
    else if (k === 8)
      e = { type: 'DISPENSE', ...at(i), party: GLN.pharmacy, site: GLN.pharmacySite, items: [pack(i - 5)] };
    else
      e = {
        type: 'COMMISSION',
        ...at(i),
        party: GLN.maker,
        site: GLN.makerSite,
        items: [pack(i)],
        lot: `L${i % 50}`,
        expiry: '281231',
      };
    const key = e.party === GLN.pharmacy ? chain.pharmacy : chain.maker;
    values.push(chain.sign(e, key));
  }
  return values;
}

const t0 = performance.now();
const values = records();
const bytes = values.reduce((n, v) => n + v.length, 0);
console.log(
  `${N} signed records (${(bytes / N).toFixed(0)} bytes each) made in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

// (1) The fold alone.
{
  const ledger = tempLedger(chain.authority.verifyingKey);
  const start = performance.now();
  for (let i = 0; i < values.length; i += 1_000) {
    ledger.folder.fold(
      values.slice(i, i + 1_000).map((v, j) => ({ offset: i + j, value: v, timestamp: now })),
    );
  }
  const s = (performance.now() - start) / 1000;
  const size =
    statSync(ledger.path).size + (statSync(`${ledger.path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  console.log(
    `fold alone: ${N} records in ${s.toFixed(1)} s = ${(N / s).toFixed(0)} records/s (${ledger.folder.size} leaves, ${(size / ledger.folder.size).toFixed(0)} disk bytes/leaf)`,
  );
  ledger.close();
}

// (2) A node rebuilding from offset 0 of the topic.
const kafka = await findOrStartKafka({
  brokers: process.env.KAFKA_BROKERS?.split(','),
  onProgress: (line) => console.log(`kafka: ${line}`),
});
const dir = mkdtempSync(join(tmpdir(), 'rxledger-bench-'));
try {
  const channel = `bench-${Date.now()}`;
  const p0 = performance.now();
  await publishToChannel(kafka.brokers, channel, values);
  console.log(`published in ${((performance.now() - p0) / 1000).toFixed(1)} s`);
  const node = createLedgerService({
    host: '127.0.0.1',
    port: 0,
    brokers: kafka.brokers,
    channel,
    dataDir: dir,
    checkpointKey: SigningKey.generate(),
    origin: 'bench/ledger',
    authority: chain.authority.verifyingKey,
    tokens: TOKEN_FILE,
    log: createLogger({ service: 'ledger', level: 'warn' }),
  });
  const start = performance.now();
  await node.start();
  while (node.store.nextOffset() < N) await new Promise((r) => setTimeout(r, 20));
  const s = (performance.now() - start) / 1000;
  console.log(
    `rebuild from offset 0: ${N} records in ${s.toFixed(1)} s = ${(N / s).toFixed(0)} records/s, ${(N / s).toFixed(0)} signatures verified/s`,
  );
  const wal = statSync(join(dir, 'ledger.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0;
  console.log(
    `WAL ${(wal / 1e6).toFixed(1)} MB, db ${(statSync(join(dir, 'ledger.sqlite')).size / 1e6).toFixed(1)} MB`,
  );
  await node.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
  await kafka.stop();
}
