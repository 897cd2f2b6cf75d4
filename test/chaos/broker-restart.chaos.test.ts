// Issue 19, broker restart: the only broker's JVM is SIGKILLed while scanners post. Every answer to a
// request sent while it is down is 503 with Retry-After; the broker comes back on its port and data;
// ingest recovers without restarting any service; every 202'd event is on the topic and ACCEPTED.
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalBroker, startLocalBroker } from '@rxledger/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/system.ts';
import { eventIdsOnTopic, notAccepted } from './support/landed-events.ts';
import { type ScannerLoad, startScannerLoad, summarize } from './support/broker-scanners.ts';

const SCANNERS = 4;
const BATCH = 20;

describe('broker restart during ingest', () => {
  let dataDir: string | undefined;
  let broker: LocalBroker | undefined;
  let sys: TestSystem | undefined;
  let load: ScannerLoad | undefined;

  afterAll(async () => {
    await load?.stop();
    await sys?.stop();
    await broker?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const startBroker = async (dir: string) =>
    startLocalBroker({
      version: inject('kafkaVersion'),
      cacheDir: join(homedir(), '.cache', 'rxledger'),
      dataDir: dir,
      // The log cleaner alone takes a 128 MB buffer at start.
      heap: '512m',
      onProgress: () => {},
    });

  it('answers 503 + Retry-After while the broker is down and loses no acknowledged event', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rxledger-chaos-broker-'));
    broker = await startBroker(dataDir);
    const address = broker.brokers;
    sys = await startSystem(address, { verifyThreads: 1 });
    const topic = sys.ledger.store.meta('topic')!;
    load = startScannerLoad(sys, { scanners: SCANNERS, batch: BATCH });
    const l = load;
    await l.until('400 acknowledged events', () => l.acknowledged.size >= 400, 90_000);

    const pid = broker.pid;
    process.kill(pid, 'SIGKILL');
    await gone(pid);
    const downAt = Date.now();
    await l.until('8 answers 503 with the broker down', () => l.answeredSince(downAt, 503) >= 8, 90_000);
    const upAt = Date.now();
    // Its guardian exited with the JVM; stop() only settles that, and keeps the persistent data.
    await broker.stop();
    broker = await startBroker(dataDir);
    const backAt = Date.now();
    expect(broker.brokers, 'the broker comes back on the same port').toEqual(address);
    await l.until(
      '200 events acknowledged after the restart',
      () => l.acknowledgedSince(upAt) >= 200,
      120_000,
    );
    await l.stop();

    const answers = l.answers;
    const unexpected = answers.filter((a) => a.status !== 202 && a.status !== 503);
    const whileDown = answers.filter((a) => a.sentAt >= downAt && a.answeredAt <= upAt);
    const wrongWhileDown = whileDown.filter((a) => a.status !== 503 || !/^\d+$/.test(a.retryAfter ?? ''));
    const no503Header = answers.filter((a) => a.status === 503 && !/^\d+$/.test(a.retryAfter ?? ''));
    const onTopic = await eventIdsOnTopic(broker.brokers, topic);
    const missingOnTopic = [...l.acknowledged].filter((id) => !onTopic.has(id));
    const lost = await notAccepted(sys, l.acknowledged, 120_000);

    const unavailable = answers.filter((a) => a.status === 503).length;
    const firstAfter = Math.min(
      ...answers.filter((a) => a.status === 202 && a.sentAt >= upAt).map((a) => a.answeredAt),
    );
    console.log(
      `broker restart: ${l.acknowledged.size} acknowledged, ${lost.length} lost, ${unavailable} answered 503 ` +
        `(${whileDown.length} requests while down, all 503: ${wrongWhileDown.length === 0}), ` +
        `${missingOnTopic.length} acknowledged but not on the topic; down ${((upAt - downAt) / 1000).toFixed(1)} s, ` +
        `restart took ${((backAt - upAt) / 1000).toFixed(1)} s, first 202 ${((firstAfter - backAt) / 1000).toFixed(1)} s ` +
        `after the broker was back; answers ${summarize(answers)}`,
    );
    expect(unexpected.map((a) => `${a.status} ${a.detail}`)).toEqual([]);
    expect(whileDown.length).toBeGreaterThanOrEqual(8);
    expect(wrongWhileDown.map((a) => `${a.status} retry-after=${a.retryAfter}`)).toEqual([]);
    expect(no503Header).toEqual([]);
    expect(missingOnTopic).toEqual([]);
    expect(lost).toEqual([]);
  });
});

/** Resolves once process `pid` no longer exists (its parent, the guardian, has reaped it). */
async function gone(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs 30 s after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
