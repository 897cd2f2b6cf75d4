// Issue 19: a partner service SIGKILLed while scanners' batches of 2,000 events are in flight, and
// restarted on its port. Every event answered 202 lands exactly once; a scanner that got no answer
// retries the same batch (same eventIds, same content) and its events land exactly once too.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { secretsInLogsOf } from './support/log-secrets.ts';
import { eventKey, foldedOffset, ledgerCensus, topicEnd } from './support/ledger-census.ts';
import { ChaosRun, runTag, sleep, waitFor } from './support/processes.ts';
import {
  commission,
  gtinOwnerScanners,
  postBatch,
  readCredentials,
  type Scanner,
} from './support/scanner-load.ts';

const BATCH = 2_000;
const BATCHES_PER_SCANNER = 5;
const KILLS = 4;
// A scanner keeps retrying a batch this long (the service is down for a few seconds per kill).
const RETRY_FOR_MS = 90_000;

type Batch = Array<{ eventId: string }>;

/** What the scanners saw: acknowledged events, and every attempt that got no 202. */
interface ScanLog {
  acknowledged: Set<string>;
  inFlight: number;
  unanswered: Record<string, number>;
  refused: Record<string, number>;
}

/**
 * One scanner working through its batches: each is posted until a 202, retried as it was (same
 * eventIds, same eventTime) after no answer or a 503, as a scanner's upload queue does.
 */
async function scanAll(scanner: Scanner, batches: Batch[], log: ScanLog): Promise<void> {
  for (const batch of batches) {
    const deadline = Date.now() + RETRY_FOR_MS;
    for (;;) {
      log.inFlight++;
      const outcome = await postBatch(scanner, batch);
      log.inFlight--;
      if (outcome.status === 202) {
        const ids = (outcome as { eventIds: string[] }).eventIds;
        expect(ids).toEqual(batch.map((e) => e.eventId));
        for (const id of ids) log.acknowledged.add(eventKey(scanner.party, id));
        break;
      }
      const tally = outcome.status === 'no-answer' ? log.unanswered : log.refused;
      const why =
        outcome.status === 'no-answer' ? (outcome as { error: string }).error : String(outcome.status);
      tally[why] = (tally[why] ?? 0) + 1;
      if (typeof outcome.status === 'number' && outcome.status < 500)
        throw new Error(`batch refused: ${JSON.stringify(outcome).slice(0, 500)}`);
      if (Date.now() > deadline) throw new Error(`a batch got no 202 in ${RETRY_FOR_MS / 1000} s`);
      await sleep(250);
    }
  }
}

describe('a partner service SIGKILLed with batches in flight', () => {
  let run: ChaosRun | undefined;

  afterAll(async () => {
    await run?.stopAll();
    if (run) {
      await rm(join(run.dataDir, 'ledger'), { recursive: true, force: true });
      // Every process has exited: its output, kills included, holds none of the run's secrets.
      expect(secretsInLogsOf(run.dir)).toEqual([]);
    }
  });

  it('lands every acknowledged event once, and every retried batch exactly once', async () => {
    const brokers = inject('kafkaBrokers');
    run = await ChaosRun.create('partner-kill', brokers);
    const demo = await run.startDemo();
    const ledgerDir = join(run.dataDir, 'ledger');
    let maker = demo.services.manufacturer;
    const port = Number(new URL(maker.url).port);
    const restartMaker = async () => {
      maker = await run!.start('manufacturer', run!.partnerEnv(demo, 'manufacturer', port));
    };
    const scanners = gtinOwnerScanners(await readCredentials(demo.credentialsFile));
    expect(scanners.length).toBeGreaterThanOrEqual(2);

    // Each scanner's batches, fixed up front: a retry is the very same request.
    const tag = runTag('P');
    const plans = scanners.map((_, s) =>
      Array.from({ length: BATCHES_PER_SCANNER }, (_, b) => {
        const scannedAt = new Date().toISOString();
        return Array.from({ length: BATCH }, (_, e) => {
          const serial = `${tag}${s}${b}${String(e).padStart(4, '0')}`;
          return commission(`${tag}-${serial}`, serial, scannedAt) as { eventId: string };
        });
      }),
    );
    const planned = new Set(
      scanners.flatMap((sc, s) => plans[s]!.flat().map((e) => eventKey(sc.party, e.eventId))),
    );
    const log: ScanLog = { acknowledged: new Set(), inFlight: 0, unanswered: {}, refused: {} };
    let scanning = true;
    const done = Promise.all(scanners.map((sc, s) => scanAll(sc, plans[s]!, log))).finally(() => {
      scanning = false;
    });

    // Each kill waits for a batch in flight, then a random moment of its handling (upload, checks,
    // signing, publishing); the service comes back on its port and takes a batch before the next kill.
    const kills: Array<{ delayMs: number; inFlightAtKill: number }> = [];
    try {
      while (kills.length < KILLS && scanning) {
        await waitFor('a batch in flight', () => log.inFlight > 0 || !scanning, {
          timeoutMs: 60_000,
          everyMs: 2,
        });
        if (!scanning) break;
        const delayMs = Math.round(Math.random() * 300);
        await sleep(delayMs);
        const inFlightAtKill = log.inFlight;
        await run.sigkill(maker);
        kills.push({ delayMs, inFlightAtKill });
        await restartMaker();
        const acked = log.acknowledged.size;
        await waitFor(
          'a batch acknowledged after the restart',
          () => log.acknowledged.size > acked || !scanning,
          {
            timeoutMs: 90_000,
          },
        );
      }
    } finally {
      await done;
    }

    // The whole topic folded: each planned event in exactly one leaf, nothing else, nothing rejected.
    const end = await topicEnd(brokers, run.channel);
    await waitFor('the ledger to fold the topic', () => (foldedOffset(ledgerDir) ?? 0) >= end, {
      timeoutMs: 120_000,
      everyMs: 200,
    });
    const census = ledgerCensus(ledgerDir);
    const lost = [...planned].filter((key) => !census.leavesOf.has(key));
    const duplicated = [...census.leavesOf].filter(([, seqs]) => seqs.length > 1);
    const unanswered = Object.values(log.unanswered).reduce((a, b) => a + b, 0);
    const summary = {
      kills,
      eventsPlanned: planned.size,
      eventsAcknowledged: log.acknowledged.size,
      attemptsUnanswered: log.unanswered,
      attemptsRefused: log.refused,
      topicRecords: end,
      leaves: census.size,
      recordsAbsorbedAsNoOps: end - census.size - census.rejections.length,
      lost: lost.length,
      duplicated: duplicated.length,
    };
    await writeFile(join(run.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log(
      `partner-kill: ${kills.length} kills with ${kills.reduce((a, k) => a + k.inFlightAtKill, 0)} batches in flight, ` +
        `${unanswered} attempts unanswered and retried, ${log.acknowledged.size} of ${planned.size} events acknowledged, ` +
        `${lost.length} lost, ${duplicated.length} duplicated, ${summary.recordsAbsorbedAsNoOps} republished records absorbed as no-ops`,
    );

    expect(kills.length).toBe(KILLS);
    for (const k of kills) expect(k.inFlightAtKill, JSON.stringify(k)).toBeGreaterThan(0);
    expect(unanswered, 'attempts cut off by a kill').toBeGreaterThan(0);
    expect(log.acknowledged).toEqual(planned);
    expect(lost.slice(0, 10), `${lost.length} acknowledged events lost`).toEqual([]);
    expect(duplicated.slice(0, 10), `${duplicated.length} events in more than one leaf`).toEqual([]);
    expect(census.size).toBe(planned.size + 1); // and the genesis
    expect(census.rejections).toEqual([]);

    // A clean restart empties the service's memory of what it signed; the scanner posts its first
    // batch once more: 202, the same bytes on the topic, and not one leaf more.
    await run.sigkill(maker);
    await restartMaker();
    const replay = await postBatch({ ...scanners[0]!, url: maker.url }, plans[0]![0]!);
    expect(replay.status).toBe(202);
    const replayEnd = await topicEnd(brokers, run.channel);
    expect(replayEnd).toBe(end + BATCH);
    await waitFor('the ledger to fold the replay', () => (foldedOffset(ledgerDir) ?? 0) >= replayEnd, {
      timeoutMs: 60_000,
    });
    const after = ledgerCensus(ledgerDir);
    expect(after.size).toBe(census.size);
    expect(after.root).toBe(census.root);
    expect(after.rejections).toEqual([]);

    // And the scanner sees its events accepted through the restarted service.
    for (const e of plans[1]![0]!.slice(0, 10)) {
      const res = await fetch(`${maker.url}/v1/events/${e.eventId}`, {
        headers: { authorization: `Bearer ${scanners[1]!.key}` },
      });
      expect(((await res.json()) as { state: string }).state).toBe('ACCEPTED');
    }
  });
});
