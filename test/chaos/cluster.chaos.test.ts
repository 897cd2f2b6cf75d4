// Issue 19, three-broker KRaft cluster: the custody topic with replication 3 and min.insync.replicas 2.
// With the partition leader killed, ingest goes on; with a second node killed (one replica left, the
// controller quorum lost), every answer is 503 and nothing is acknowledged; once both are back, every
// 202'd event is on the topic and ACCEPTED by the ledger, and no service was restarted.
import { randomBytes } from 'node:crypto';
import { createKafkaClient, setupCustodyTopic } from '@rxledger/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/system.ts';
import { type KraftCluster, startKraftCluster } from './support/kraft-cluster.ts';
import { eventIdsOnTopic, notAccepted } from './support/landed-events.ts';
import { type ScannerLoad, startScannerLoad, summarize } from './support/broker-scanners.ts';

const RF3 = { replicationFactor: 3, minInsyncReplicas: 2 };

let cluster: KraftCluster | undefined;
beforeAll(async () => {
  cluster = await startKraftCluster({ nodes: 3, heap: '256m' });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('three-broker KRaft cluster, replication 3, min.insync.replicas 2', () => {
  let sys: TestSystem | undefined;
  let load: ScannerLoad | undefined;

  afterAll(async () => {
    await load?.stop();
    await sys?.stop();
  });

  it('keeps taking events with one node down, answers 503 with two down, and loses nothing acknowledged', async () => {
    const c = cluster!;
    const channel = `chaos-${randomBytes(4).toString('hex')}`;
    sys = await startSystem(c.brokers, { verifyThreads: 1, channel, ...RF3 });
    const topic = sys.ledger.store.meta('topic')!;
    load = startScannerLoad(sys, { scanners: 4, batch: 20 });
    const l = load;
    await l.until('200 acknowledged events', () => l.acknowledged.size >= 200, 120_000);

    // The leader first: its followers must take over.
    const leader = await c.leaderOf(topic);
    await c.kill(leader);
    const oneDownAt = Date.now();
    await l.until(
      '300 events acknowledged with one node down',
      () => l.acknowledgedSince(oneDownAt) >= 300,
      120_000,
    );
    const newLeader = await c.leaderOf(topic);
    expect(newLeader).not.toBe(leader);

    // Then the new leader's last follower: the leader alone must not acknowledge anything.
    const follower = c.alive().find((id) => id !== newLeader)!;
    await c.kill(follower);
    const twoDownAt = Date.now();
    await l.until('8 answers 503 with two nodes down', () => l.answeredSince(twoDownAt, 503) >= 8, 120_000);
    const backAt = Date.now();
    await Promise.all([c.restart(leader), c.restart(follower)]);
    const upAt = Date.now();
    await l.until(
      '200 events acknowledged with all nodes back',
      () => l.acknowledgedSince(upAt) >= 200,
      120_000,
    );
    await l.stop();

    const answers = l.answers;
    const unexpected = answers.filter((a) => a.status !== 202 && a.status !== 503);
    const oneDown = answers.filter((a) => a.sentAt >= oneDownAt && a.answeredAt <= twoDownAt);
    const twoDown = answers.filter((a) => a.sentAt >= twoDownAt && a.answeredAt <= backAt);
    const wrongTwoDown = twoDown.filter((a) => a.status !== 503 || !/^\d+$/.test(a.retryAfter ?? ''));
    const onTopic = await eventIdsOnTopic(c.brokers, topic);
    const missingOnTopic = [...l.acknowledged].filter((id) => !onTopic.has(id));
    const lost = await notAccepted(sys, l.acknowledged, 120_000);

    const resumed = Math.min(...oneDown.filter((a) => a.status === 202).map((a) => a.answeredAt));
    const count = (list: typeof answers, status: number) => list.filter((a) => a.status === status).length;
    console.log(
      `cluster: ${l.acknowledged.size} acknowledged, ${lost.length} lost, ${missingOnTopic.length} not on the topic; ` +
        `leader ${leader} killed: ${count(oneDown, 202)} answered 202 and ${count(oneDown, 503)} 503 ` +
        `(first 202 ${((resumed - oneDownAt) / 1000).toFixed(1)} s after the kill); ` +
        `then node ${follower} killed: ${count(twoDown, 503)} answered 503 and ${count(twoDown, 202)} 202 ` +
        `(${twoDown.find((a) => a.status === 503)?.detail ?? 'no 503'}); nodes back in ` +
        `${((upAt - backAt) / 1000).toFixed(1)} s; answers ${summarize(answers)}`,
    );
    expect(unexpected.map((a) => `${a.status} ${a.detail}`)).toEqual([]);
    expect(count(oneDown, 202)).toBeGreaterThanOrEqual(15);
    expect(twoDown.length).toBeGreaterThanOrEqual(8);
    expect(wrongTwoDown.map((a) => `${a.status} retry-after=${a.retryAfter}`)).toEqual([]);
    expect(missingOnTopic).toEqual([]);
    expect(lost).toEqual([]);
  });
});

// kafkajs' createTopics asks the broker that took the request for the new topic's metadata, and that
// broker may not have applied the creation yet ("This server does not host this topic-partition").
describe('setupCustodyTopic on a multi-broker KRaft cluster', () => {
  it('creates ten custody topics with replication 3 on a three-node cluster', async () => {
    const c = cluster!;
    for (const id of c.nodes.map((n) => n.id).filter((id) => !c.alive().includes(id))) await c.restart(id);
    const kafka = createKafkaClient({ brokers: c.brokers, clientId: 'chaos-topic-setup' });
    const failures: string[] = [];
    for (let i = 0; i < 10; i++) {
      const channel = `chaos-setup-${randomBytes(4).toString('hex')}`;
      await setupCustodyTopic(kafka, { channel, ...RF3 }).catch((err: Error) =>
        failures.push(`${channel}: ${err.message}`),
      );
    }
    console.log(`cluster topic setup: ${10 - failures.length} of 10 custody topics created without an error`);
    expect(failures).toEqual([]);
  });
});
