import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newClusterId } from './cluster-id.ts';
import { freePort } from './free-port.ts';
import { KafkaSetupError } from './kafka-setup-error.ts';
import { compareKafkaLines } from './kafka-version.ts';
import {
  KAFKA_MAIN,
  kafkaJavaArgs,
  kraftServerProperties,
  STORAGE_TOOL,
  storageFormatArgs,
} from './kraft-node.ts';
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
  /** Apache Kafka version to resolve from Maven Central: 3.9.x or 4.x (readKafkaVersion). */
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
  const java = (mainClass: string, args: string[]) =>
    kafkaJavaArgs(classpath, [`-Xmx${opts.heap}`, '-XX:+UseG1GC'], mainClass, args);

  const ephemeral = opts.dataDir === undefined;
  const dir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'rxledger-kafka-')));
  await mkdir(dir, { recursive: true });
  const { ports, properties, certificates, formatted } = await configureNode(dir, opts);
  if (formatted) await assertReadableBy(dir, opts.version);
  else await formatStorage(dir, properties, opts, java);

  const logFile = join(dir, 'broker.log');
  opts.onProgress(`starting Apache Kafka ${opts.version} on 127.0.0.1:${ports.broker}`);
  const guardian = spawnGuarded(java(KAFKA_MAIN, [properties]), logFile, ephemeral ? dir : undefined);
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

interface ConfiguredNode {
  ports: Ports;
  properties: string;
  certificates?: { caFile: string; keystore: string; storePassword: string };
  /** Whether the storage was formatted by an earlier start (a persistent dataDir). */
  formatted: boolean;
}

/** Chooses the ports, makes the TLS material a secure listener needs and writes server.properties. */
async function configureNode(dir: string, opts: LocalBrokerOptions): Promise<ConfiguredNode> {
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
    kraftServerProperties({
      id: 1,
      brokerPort: ports.broker,
      controllerPort: ports.controller,
      logDir,
      voters: [{ id: 1, controllerPort: ports.controller }],
      ...(certificates && ports.secure
        ? { secure: { port: ports.secure, lines: secureListenerProperties(certificates, secureUsers) } }
        : {}),
    }),
  );
  return { ports, properties, formatted, ...(certificates ? { certificates } : {}) };
}

// The storage's metadata.version is the one its formatting Kafka wrote, and nothing here raises it, so
// any Kafka of that line or newer reads it; an older line stops with "No MetadataVersion with feature
// level N". A folder from before this file was kept was formatted by 3.9.1.
const FORMATTED_BY = 'formatted-by-kafka';

async function formatStorage(
  dir: string,
  properties: string,
  opts: LocalBrokerOptions,
  java: (mainClass: string, args: string[]) => string[],
): Promise<void> {
  opts.onProgress(`formatting broker storage (Apache Kafka ${opts.version})`);
  const scram = scramArguments(opts.secure?.users ?? []);
  const code = await runGuarded(
    java(STORAGE_TOOL, storageFormatArgs(newClusterId(), properties, scram)),
    join(dir, 'format.log'),
  );
  if (code !== 0) {
    throw new KafkaSetupError(`kafka storage format failed (exit ${code}); see ${join(dir, 'format.log')}`);
  }
  await writeFile(join(dir, FORMATTED_BY), `${opts.version}\n`);
}

/** Refuses, naming KAFKA_VERSION, a Kafka line older than the one that formatted `dir`. */
async function assertReadableBy(dir: string, version: string): Promise<void> {
  const formattedBy = (await readFile(join(dir, FORMATTED_BY), 'utf8').catch(() => '3.9.1')).trim();
  if (compareKafkaLines(formattedBy, version) <= 0) return;
  throw new KafkaSetupError(
    `KAFKA_VERSION: Apache Kafka ${version} cannot read the broker storage in ${dir}, which Kafka ` +
      `${formattedBy} formatted (a newer metadata version); start it with KAFKA_VERSION=${formattedBy}, ` +
      'or remove that folder to start afresh (its records are lost)',
  );
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
