// A local multi-node Apache Kafka cluster in KRaft mode for the chaos suite: every node a combined
// broker + controller JVM, the controller quorum made of all of them. Built from the same Maven-resolved
// classpath, the same node properties (kraftServerProperties) and the same guardian process as
// @rxledger/kafka's single local broker, so a killed test worker leaves no JVM behind.
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  KAFKA_MAIN,
  kafkaJavaArgs,
  kraftServerProperties,
  newClusterId,
  resolveKafkaClasspath,
  STORAGE_TOOL,
  storageFormatArgs,
} from '@rxledger/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';

// The guardian of @rxledger/kafka: it stops its JVM when the IPC channel to this process closes.
const GUARDIAN = fileURLToPath(new URL('../../../shared/kafka/src/guardian.mjs', import.meta.url));

export interface KraftNode {
  id: number;
  /** host:port of its PLAINTEXT listener. */
  broker: string;
  controllerPort: number;
  dir: string;
}

export interface KraftCluster {
  /** Every node's broker address: the bootstrap list clients are given. */
  brokers: string[];
  nodes: KraftNode[];
  /** Node ids whose JVM runs. */
  alive(): number[];
  /** SIGKILLs the node's JVM (no shutdown, as a crash) and resolves once the process is gone. */
  kill(id: number): Promise<void>;
  /** Starts a killed node again on its ports and data; resolves when the cluster lists it again. */
  restart(id: number): Promise<void>;
  /** The node id leading partition 0 of `topic`, as the cluster's metadata says. */
  leaderOf(topic: string): Promise<number>;
  /** Kills every JVM and removes the data; safe to call twice and after a failed start. */
  stop(): Promise<void>;
}

export interface KraftClusterOptions {
  nodes: number;
  /** JVM heap per node, e.g. '256m'. */
  heap: string;
  /** Apache Kafka version; default the run's (KAFKA_VERSION, read by test/setup/kafka.global.ts). */
  version?: string;
  onProgress?: (line: string) => void;
}

interface Running {
  guardian: ChildProcess;
  exited: Promise<void>;
  pid: Promise<number>;
}

/** Starts `nodes` KRaft nodes and resolves once every one of them is registered as a broker. */
export async function startKraftCluster(opts: KraftClusterOptions): Promise<KraftCluster> {
  const progress = opts.onProgress ?? (() => {});
  const version = opts.version ?? inject('kafkaVersion');
  const classpath = await resolveKafkaClasspath({
    version,
    cacheDir: join(homedir(), '.cache', 'rxledger'),
    onProgress: progress,
  });
  const root = await mkdtemp(join(tmpdir(), 'rxledger-kraft-'));
  const running = new Map<number, Running>();
  // Small heaps and a short life: the serial collector and the C1 compiler cost the least CPU.
  const jvm = [`-Xmx${opts.heap}`, '-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];
  const java = (mainClass: string, args: string[]) => kafkaJavaArgs(classpath, jvm, mainClass, args);

  const nodes = await choosePorts(root, opts.nodes);
  const launch = (node: KraftNode) => {
    const run = guarded(
      java(KAFKA_MAIN, [join(node.dir, 'server.properties')]),
      join(node.dir, 'broker.log'),
    );
    running.set(node.id, run);
    return run;
  };
  const stop = async () => {
    await Promise.all([...running.keys()].map((id) => killNode(running, id)));
    await rm(root, { recursive: true, force: true });
  };

  try {
    const clusterId = newClusterId();
    await Promise.all(
      nodes.map(async (node) => {
        await mkdir(node.dir, { recursive: true });
        const properties = join(node.dir, 'server.properties');
        await writeFile(properties, serverProperties(node, nodes));
        const format = guarded(
          java(STORAGE_TOOL, storageFormatArgs(clusterId, properties)),
          join(node.dir, 'format.log'),
        );
        await format.exited;
        if (format.guardian.exitCode !== 0) {
          throw new Error(`formatting node ${node.id} failed: ${await tail(join(node.dir, 'format.log'))}`);
        }
      }),
    );
    progress(
      `starting ${nodes.length} Apache Kafka ${version} KRaft nodes on ${nodes.map((n) => n.broker).join(',')}`,
    );
    for (const node of nodes) launch(node);
    await waitForBrokers(
      nodes,
      nodes.map((n) => n.id),
      180_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    brokers: nodes.map((n) => n.broker),
    nodes,
    alive: () => [...running.keys()].sort(),
    kill: (id) => killNode(running, id),
    async restart(id) {
      const node = nodes.find((n) => n.id === id);
      if (!node || running.has(id)) throw new Error(`node ${id} is not a stopped node of this cluster`);
      launch(node);
      await waitForBrokers(nodes, [...running.keys()], 120_000);
    },
    async leaderOf(topic) {
      const admin = client(nodes, running).admin();
      await admin.connect();
      try {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        const leader = meta.topics[0]?.partitions[0]?.leader;
        if (leader === undefined || leader < 0) throw new Error(`${topic} has no leader`);
        return leader;
      } finally {
        await admin.disconnect();
      }
    },
    stop,
  };
}

function guarded(javaArgs: string[], logFile: string): Running {
  const fd = openSync(logFile, 'a');
  let guardian: ChildProcess;
  try {
    guardian = fork(GUARDIAN, ['java', ...javaArgs], { stdio: ['ignore', fd, fd, 'ipc'], execArgv: [] });
  } finally {
    closeSync(fd);
  }
  const pid = new Promise<number>((resolve) =>
    guardian.on('message', (msg: { type?: string; pid?: number }) => {
      if (msg.type === 'spawned' && msg.pid) resolve(msg.pid);
    }),
  );
  const exited = new Promise<void>((resolve) => guardian.once('exit', () => resolve()));
  return { guardian, exited, pid };
}

async function killNode(running: Map<number, Running>, id: number): Promise<void> {
  const run = running.get(id);
  if (!run) return;
  running.delete(id);
  if (run.guardian.exitCode === null && run.guardian.signalCode === null) {
    // The JVM itself, so that it cannot shut down cleanly; its guardian then exits on its own.
    const pid = await Promise.race([run.pid, run.exited.then(() => undefined)]);
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => run.guardian.kill('SIGKILL'), 10_000);
    await run.exited;
    clearTimeout(timer);
  }
}

async function choosePorts(root: string, count: number): Promise<KraftNode[]> {
  const taken = new Set<number>();
  const port = async () => {
    for (;;) {
      const p = await freePort(0);
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  const nodes: KraftNode[] = [];
  for (let id = 1; id <= count; id++) {
    nodes.push({
      id,
      broker: `127.0.0.1:${await port()}`,
      controllerPort: await port(),
      dir: join(root, `node-${id}`),
    });
  }
  return nodes;
}

function client(nodes: KraftNode[], running: Map<number, Running>): Kafka {
  const up = nodes.filter((n) => running.has(n.id)).map((n) => n.broker);
  return new Kafka({
    clientId: 'rxledger-kraft-cluster',
    brokers: up,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1_000,
  });
}

/**
 * Polls until every node of `ids`, asked on its own listener, lists at least the brokers `ids`
 * (registered and unfenced). Asking each node catches a restarted one that is not serving yet while
 * the others still list it from before its kill. A node still down may be listed a while longer: a
 * controller that just regained its quorum fences it only after the broker session times out.
 */
async function waitForBrokers(nodes: KraftNode[], ids: number[], timeoutMs: number): Promise<void> {
  const up = nodes.filter((n) => ids.includes(n.id));
  const want = ids.slice().sort().join(',');
  const deadline = Date.now() + timeoutMs;
  let seen = 'nothing';
  while (Date.now() < deadline) {
    const views = await Promise.all(up.map((n) => brokersSeenBy(n.broker)));
    seen = views.map((v, i) => `node ${up[i]!.id} sees ${v}`).join('; ');
    if (views.every((v) => ids.every((id) => v.split(',').includes(String(id))))) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  const logs = await Promise.all(
    up.map(async (n) => `node ${n.id}: ${await tail(join(n.dir, 'broker.log'))}`),
  );
  throw new Error(
    `the cluster did not list brokers ${want} within ${timeoutMs} ms (${seen})\n${logs.join('\n')}`,
  );
}

/** The broker ids one node lists (with a known controller), or why it could not be asked. */
async function brokersSeenBy(broker: string): Promise<string> {
  const admin = new Kafka({
    clientId: 'rxledger-kraft-wait',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1_000,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.controller === null) return 'no controller';
    return cluster.brokers
      .map((b) => b.nodeId)
      .sort()
      .join(',');
  } catch (err) {
    return (err as Error).message;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function tail(file: string): Promise<string> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
}

/** A combined node of a cluster that keeps every record on all nodes and acknowledges on two. */
function serverProperties(node: KraftNode, nodes: KraftNode[]): string {
  return kraftServerProperties({
    id: node.id,
    brokerPort: Number(node.broker.split(':')[1]),
    controllerPort: node.controllerPort,
    logDir: join(node.dir, 'log'),
    voters: nodes.map((n) => ({ id: n.id, controllerPort: n.controllerPort })),
    replication: { factor: nodes.length, minInsync: Math.min(2, nodes.length) },
    extra: [
      // A killed node is fenced (and leaves every ISR) after this long without a heartbeat.
      'broker.session.timeout.ms=4000',
      'broker.heartbeat.interval.ms=1000',
      // Three JVMs share two cores: few threads, and a small compaction buffer inside a 256 MB heap.
      'num.network.threads=2',
      'num.io.threads=2',
      'background.threads=2',
      'log.cleaner.dedupe.buffer.size=8388608',
    ],
  });
}
