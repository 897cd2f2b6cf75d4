// Issue 19: a ledger node SIGKILLed at least ten times during steady ingest, and restarted each time
// on the same data folder, loses no acknowledged event, duplicates none, and ends with the tree size
// and root of a node that folded the same topic without interruption.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SigningKey, writeSigningKeyFile } from '@rxledger/events';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { secretsInLogsOf } from './support/log-secrets.ts';
import { differingLeaves, foldedOffset, ledgerCensus, topicEnd } from './support/ledger-census.ts';
import { ChaosRun, runTag, sleep, waitFor } from './support/processes.ts';
import { type IngestCounts, readCredentials, scannersOf, startSteadyIngest } from './support/scanner-load.ts';

const KILLS = 12;

interface Kill {
  mode: 'mid-backlog' | 'steady';
  delayMs: number;
  /** The node's next offset when it started, when it was killed, and the topic's end just after. */
  from: number;
  atKill: number;
  topicEnd: number;
}

/** The size and root lines of a C2SP checkpoint. */
async function checkpointOf(url: string): Promise<{ size: number; root: string } | undefined> {
  const res = await fetch(`${url}/v1/checkpoint`);
  if (res.status !== 200) return undefined;
  const [, size, root] = (await res.text()).split('\n');
  return { size: Number(size), root: root! };
}

describe('a ledger node SIGKILLed during steady ingest', () => {
  let run: ChaosRun | undefined;
  let ingest: { stop(): Promise<IngestCounts> } | undefined;

  afterAll(async () => {
    await ingest?.stop();
    await run?.stopAll();
    // The databases are large and reproducible from the topic; the logs and keys stay for log-secrets.
    if (run) {
      await rm(join(run.dataDir, 'ledger'), { recursive: true, force: true });
      await rm(join(run.dataDir, 'ledger-killed'), { recursive: true, force: true });
      // Every process has exited: its output, kills included, holds none of the run's secrets.
      expect(secretsInLogsOf(run.dir)).toEqual([]);
    }
  });

  it('loses nothing acknowledged, duplicates nothing, and ends equal to a node never interrupted', async () => {
    const brokers = inject('kafkaBrokers');
    run = await ChaosRun.create('ledger-kill', brokers);
    const demo = await run.startDemo();
    const steadyDir = join(run.dataDir, 'ledger');
    const credentials = await readCredentials(demo.credentialsFile);
    const [maker0, maker1] = scannersOf(credentials, 'manufacturer');
    const [distributor] = scannersOf(credentials, 'distributor');

    // The node to kill: a second ledger process on its own data folder and checkpoint key.
    const killedDir = join(run.dataDir, 'ledger-killed');
    const keyFile = join(run.dataDir, 'demo', 'keys', 'ledger-killed-checkpoint.jwk');
    await writeSigningKeyFile(keyFile, SigningKey.generate());
    const env = run.ledgerEnv(demo, { dataDir: killedDir, checkpointKeyFile: keyFile });
    const logDir = join(run.dataDir, 'logs', 'ledger-killed');
    const end = () => topicEnd(brokers, run!.channel);
    const folded = () => foldedOffset(killedDir) ?? 0;

    const load = startSteadyIngest({
      maker: [maker0!, maker1!],
      distributor: distributor!,
      tag: runTag('K'),
      batchSize: 20,
      pauseMs: 200,
    });
    ingest = load;

    // Even kills land as soon as the restarted node committed the first batch of its backlog (in the
    // middle of catching up, often inside the next commit); odd ones once it has caught up, at a random
    // moment of the steady folding (between or during small commits).
    const kills: Kill[] = [];
    for (let i = 0; i < KILLS; i++) {
      const from = folded();
      const node = await run.start('ledger', env, logDir);
      const mode = i % 2 === 0 ? 'mid-backlog' : 'steady';
      let delayMs: number;
      if (mode === 'mid-backlog') {
        await waitFor('the restarted node to commit a batch', () => folded() > from, {
          timeoutMs: 60_000,
          everyMs: 5,
        });
        delayMs = Math.round(Math.random() * 60);
      } else {
        const target = await end();
        await waitFor('the restarted node to catch up', () => folded() >= target, { timeoutMs: 60_000 });
        delayMs = Math.round(Math.random() * 1_000);
      }
      await sleep(delayMs);
      await run.sigkill(node);
      kills.push({ mode, delayMs, from, atKill: folded(), topicEnd: await end() });
    }

    // The last restart stays up; ingest stops; both nodes fold to the topic's end.
    const last = await run.start('ledger', env, logDir);
    const counts = await load.stop();
    ingest = undefined;
    const finalEnd = await end();
    await waitFor(
      'both nodes to fold the whole topic',
      () => folded() >= finalEnd && (foldedOffset(steadyDir) ?? 0) >= finalEnd,
      {
        timeoutMs: 120_000,
        everyMs: 200,
      },
    );

    const steady = ledgerCensus(steadyDir);
    const killed = ledgerCensus(killedDir);
    const lost = [...counts.acknowledged].filter((key) => !killed.leavesOf.has(key));
    const duplicated = [...killed.leavesOf].filter(([, seqs]) => seqs.length > 1);
    const midBacklog = kills.filter((k) => k.mode === 'mid-backlog').length;
    const summary = {
      killsSurvived: kills.length,
      killsMidBacklog: midBacklog,
      eventsAcknowledged: counts.acknowledged.size,
      batchesAcknowledged: counts.batchesAcknowledged,
      batchesRefused: counts.batchesRefused,
      lost: lost.length,
      duplicated: duplicated.length,
      treeSize: killed.size,
      root: killed.root,
      kills,
    };
    await writeFile(join(run.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log(
      `ledger-kill: ${kills.length} kills survived (${midBacklog} in the middle of a backlog, ${kills.length - midBacklog} in steady folding), ` +
        `${counts.acknowledged.size} events acknowledged, ${lost.length} lost, ${duplicated.length} duplicated; ` +
        `tree size ${killed.size} root ${killed.root} (uninterrupted node: ${steady.size} ${steady.root})`,
    );

    // Every kill hit a node that had folded since its restart, so none was a kill of an idle process.
    expect(kills.length).toBeGreaterThanOrEqual(10);
    for (const k of kills) expect(k.atKill, JSON.stringify(k)).toBeGreaterThan(k.from);
    expect(counts.acknowledged.size).toBeGreaterThan(1_000);
    expect(
      Object.keys(counts.batchesRefused).filter((s) => s.startsWith('4')),
      'batches refused as invalid',
    ).toEqual([]);
    expect(lost.slice(0, 10), `${lost.length} acknowledged events lost`).toEqual([]);
    expect(duplicated.slice(0, 10), `${duplicated.length} events in more than one leaf`).toEqual([]);
    expect(killed.rejections).toEqual([]);
    expect(killed.nextOffset).toBe(finalEnd);
    expect(steady.nextOffset).toBe(finalEnd);
    expect(killed.size).toBe(steady.size);
    expect(killed.root).toBe(steady.root);
    expect(differingLeaves(steadyDir, killedDir, steady.size)).toBe(0);

    // What clients see: both nodes sign a checkpoint of that very tree, and a scanner sees its events.
    for (const url of [last.url, demo.services.ledger.url]) {
      await waitFor(
        `a checkpoint of size ${steady.size} at ${url}`,
        async () => (await checkpointOf(url))?.size === steady.size,
        {
          timeoutMs: 30_000,
          everyMs: 250,
        },
      );
      expect(await checkpointOf(url)).toEqual({ size: steady.size, root: steady.root });
    }
    const makerKeys = [...counts.acknowledged].filter((k) => k.startsWith(`${maker0!.party}/`));
    for (const key of makerKeys.slice(0, 20)) {
      const res = await fetch(`${maker0!.url}/v1/events/${key.split('/')[1]}`, {
        headers: { authorization: `Bearer ${maker0!.key}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { state: string }).state).toBe('ACCEPTED');
    }
  });
});
