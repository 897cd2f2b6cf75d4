import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, waitForBroker } from '../src/index.ts';
import { startLocalBroker } from '../src/local-broker.ts';
import { resolveKafkaClasspath } from '../src/maven-classpath.ts';

const fixture = fileURLToPath(new URL('./fixtures/own-local-broker.ts', import.meta.url));
const cacheDir = join(homedir(), '.cache', 'rxledger');
const version = inject('kafkaVersion');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local broker', () => {
  it('names KAFKA_VERSION when Maven Central has no such Kafka release', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'rxledger-kafka-cp-'));
    try {
      await expect(
        resolveKafkaClasspath({ version: '4.1.99', cacheDir: scratch, onProgress: () => {} }),
      ).rejects.toThrow(
        /^KAFKA_VERSION: Apache Kafka 4\.1\.99 is not on Maven Central \(no org\.apache\.kafka:kafka_2\.13:4\.1\.99\)/,
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('reuses the cached classpath: a warm start runs no Maven', async () => {
    const progress: string[] = [];
    await resolveKafkaClasspath({
      version,
      cacheDir,
      onProgress: (l) => progress.push(l),
    });
    const again: string[] = [];
    const jars = await resolveKafkaClasspath({
      version,
      cacheDir,
      onProgress: (l) => again.push(l),
    });
    expect(again).toEqual([]);
    expect(jars.some((jar) => jar.includes(`kafka_2.13-${version}.jar`))).toBe(true);
  });

  it('leaves no JVM behind when its owner is killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', fixture, cacheDir, version], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout! }).once('line', resolve);
      owner.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    const { brokers, pid } = JSON.parse(line) as { brokers: string[]; pid: number };
    await waitForBroker(brokers, 10_000);
    expect(alive(pid)).toBe(true);
    // The JVM runs the jars of the run's KAFKA_VERSION, not a default.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline.join(' ')).toContain(`kafka_2.13-${version}.jar`);

    owner.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });
});

// npm start keeps its broker in data/kafka across runs, so a Kafka version change meets old storage.
describe('local broker storage across Kafka versions', () => {
  const dirs: string[] = [];
  const freshDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxledger-kafka-upgrade-'));
    dirs.push(dir);
    return dir;
  };
  const start = (v: string, dataDir: string) =>
    startLocalBroker({ version: v, cacheDir, dataDir, heap: '512m', onProgress: () => {} });
  const client = (brokers: string[]) =>
    new Kafka({ clientId: 'upgrade-test', brokers, logLevel: logLevel.NOTHING });
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('storage that Kafka 3.9.1 formatted starts on Kafka 4.1 with its records', async () => {
    const dir = await freshDir();
    const old = await start('3.9.1', dir);
    try {
      const admin = client(old.brokers).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'kept' }], waitForLeaders: true });
      await admin.disconnect();
      const producer = client(old.brokers).producer({ idempotent: true });
      await producer.connect();
      await producer.send({ topic: 'kept', acks: -1, messages: [{ value: 'written by 3.9.1' }] });
      await producer.disconnect();
    } finally {
      await old.stop();
    }

    const upgraded = await start(DEFAULT_KAFKA_VERSION, dir);
    try {
      const consumer = client(upgraded.brokers).consumer({ groupId: 'upgrade-test' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'kept', fromBeginning: true });
      const value = await new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
      });
      await consumer.disconnect();
      expect(value).toBe('written by 3.9.1');
    } finally {
      await upgraded.stop();
    }
  });

  it('refuses, naming KAFKA_VERSION, to start Kafka 3.9 on storage that Kafka 4.1 formatted', async () => {
    const dir = await freshDir();
    await (await start(DEFAULT_KAFKA_VERSION, dir)).stop();
    // Kafka 3.9.1 itself would exit with "No MetadataVersion with feature level 27".
    await expect(start('3.9.1', dir)).rejects.toThrow(
      `KAFKA_VERSION: Apache Kafka 3.9.1 cannot read the broker storage in ${dir}, which Kafka ${DEFAULT_KAFKA_VERSION} formatted`,
    );
  });
});
