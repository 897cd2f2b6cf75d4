import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newClusterId } from './cluster-id.ts';
import { freePort } from './free-port.ts';
import { KafkaSetupError } from './kafka-setup-error.ts';
import { assertCommand, resolveKafkaClasspath } from './maven-classpath.ts';
import {
  makeBrokerCertificates,
  type SecureListener,
  type SecureUser,
  scramArguments,
  secureListenerProperties,
} from './secure-listener.ts';
import { waitForBroker } from './wait-for-broker.ts';

const GUARDIAN = fileURLToPath(new URL('./guardian.mjs', import.meta.url));

export interface LocalBrokerOptions {
  /** Apache Kafka version to resolve from Maven Central. */
  version: string;
  /** Where the resolved classpath list is cached between runs. */
  cacheDir: string;
  /** Persistent broker storage; omitted means a temporary directory removed on stop. */
  dataDir?: string;
  /** JVM heap limit, e.g. '1g'. */
  heap: string;
  onProgress: (line: string) => void;
  /**
   * Also open a SASL_SSL listener (for tests of Kafka security): TLS with a CA made at start, and these
   * users accepted by PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512. Only on a broker formatted by this call.
   */
  secure?: { users: readonly SecureUser[] };
}

export interface LocalBroker {
  brokers: string[];
  logFile: string;
  /** The JVM's process id (for operators and for the no-orphan test). */
  pid: number;
  /** The SASL_SSL listener, when `secure` was asked for. */
  secure?: SecureListener;
  stop(): Promise<void>;
}

/**
 * Starts a single-node KRaft broker (combined broker + controller) on 127.0.0.1 with `java`, under a
 * guardian process that stops the JVM when its owner goes away, even by SIGKILL.
 * Resolves once the broker answers metadata requests.
 */
export async function startLocalBroker(opts: LocalBrokerOptions): Promise<LocalBroker> {
  await assertCommand('java', ['-version'], 'Java');
  const classpath = await resolveKafkaClasspath(opts);

  const ephemeral = opts.dataDir === undefined;
  const dir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'rxledger-kafka-')));
  await mkdir(dir, { recursive: true });
  const logDir = join(dir, 'log');
  const formatted = existsSync(join(logDir, 'meta.properties'));
  if (opts.secure && formatted) {
    throw new KafkaSetupError(`a secure listener needs a fresh broker; ${dir} was formatted before`);
  }
  const ports = await choosePorts(dir, opts.secure !== undefined);
  const secureUsers = opts.secure?.users ?? [];
  for (const u of secureUsers) {
    if (!/^[\w.-]+$/.test(u.username) || !/^[\w.-]+$/.test(u.password)) {
      throw new KafkaSetupError(`secure listener user '${u.username}': use letters, digits, '.', '_' or '-'`);
    }
  }
  const certificates = opts.secure ? await makeBrokerCertificates(join(dir, 'tls')) : undefined;
  const properties = join(dir, 'server.properties');
  await writeFile(
    properties,
    serverProperties(ports, logDir, certificates && secureListenerProperties(certificates, secureUsers)),
  );

  const java = (mainClass: string, args: string[]) => [
    `-Xmx${opts.heap}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-cp',
    classpath.join(':'),
    mainClass,
    ...args,
  ];

  if (!formatted) {
    opts.onProgress('formatting broker storage');
    const clusterId = newClusterId();
    const code = await runGuarded(
      java('kafka.tools.StorageTool', [
        'format',
        '-t',
        clusterId,
        '-c',
        properties,
        ...scramArguments(secureUsers),
      ]),
      join(dir, 'format.log'),
    );
    if (code !== 0) {
      throw new KafkaSetupError(`kafka storage format failed (exit ${code}); see ${join(dir, 'format.log')}`);
    }
  }

  const logFile = join(dir, 'broker.log');
  opts.onProgress(`starting broker on 127.0.0.1:${ports.broker}`);
  const guardian = spawnGuarded(java('kafka.Kafka', [properties]), logFile, ephemeral ? dir : undefined);
  const spawned = new Promise<number>((resolve) =>
    guardian.on('message', (msg: { type?: string; pid?: number }) => {
      if (msg.type === 'spawned' && msg.pid) resolve(msg.pid);
    }),
  );
  const exited = new Promise<number>((resolve) => guardian.once('exit', (code) => resolve(code ?? 1)));

  const brokers = [`127.0.0.1:${ports.broker}`];
  const stop = async () => {
    if (guardian.exitCode === null && guardian.signalCode === null) {
      guardian.kill('SIGTERM');
      const timer = setTimeout(() => guardian.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    if (ephemeral) await rm(dir, { recursive: true, force: true });
  };

  try {
    await Promise.race([
      waitForBroker(brokers, 90_000),
      exited.then(async (code) => {
        const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
        throw new KafkaSetupError(`the local Kafka broker exited during start (exit ${code}):\n${tail}`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  const secure =
    certificates && ports.secure
      ? { brokers: [`127.0.0.1:${ports.secure}`], caFile: certificates.caFile }
      : undefined;
  return { brokers, logFile, pid: await spawned, ...(secure ? { secure } : {}), stop };
}

function spawnGuarded(javaArgs: string[], logFile: string, scratchDir?: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const env = scratchDir ? { ...process.env, GUARDIAN_SCRATCH_DIR: scratchDir } : process.env;
  try {
    return fork(GUARDIAN, ['java', ...javaArgs], { stdio: ['ignore', fd, fd, 'ipc'], execArgv: [], env });
  } finally {
    closeSync(fd);
  }
}

function runGuarded(javaArgs: string[], logFile: string): Promise<number> {
  const child = spawnGuarded(javaArgs, logFile);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

interface Ports {
  broker: number;
  controller: number;
  secure?: number;
}

/** A persistent broker keeps its ports across restarts when they are still free. */
async function choosePorts(dir: string, secure: boolean): Promise<Ports> {
  const file = join(dir, 'ports.json');
  let previous: Partial<Ports> = {};
  try {
    previous = JSON.parse(await readFile(file, 'utf8')) as Partial<Ports>;
  } catch {
    // first start
  }
  const broker = await freePort(previous.broker ?? 0);
  let controller = await freePort(previous.controller ?? 0);
  while (controller === broker) controller = await freePort(0);
  let ports: Ports = { broker, controller };
  if (secure) {
    let port = await freePort(0);
    while (port === broker || port === controller) port = await freePort(0);
    ports = { ...ports, secure: port };
  }
  await writeFile(file, JSON.stringify(ports));
  return ports;
}

function serverProperties(ports: Ports, logDir: string, secureLines?: string[]): string {
  const secure = secureLines && ports.secure ? `,SECURE://127.0.0.1:${ports.secure}` : '';
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${ports.controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports.broker},CONTROLLER://127.0.0.1:${ports.controller}${secure}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.broker}${secure}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${secure ? ',SECURE:SASL_SSL' : ''}`,
    ...(secure ? secureLines! : []),
    `log.dirs=${logDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'log.retention.hours=-1',
  ].join('\n')}\n`;
}
