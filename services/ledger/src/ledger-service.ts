import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SigningKey, VerifyingKey } from '@rxledger/events';
import {
  checkCustodyTopic,
  createKafkaClient,
  custodyTopicError,
  custodyTopicName,
  type KafkaSecurity,
} from '@rxledger/kafka';
import { createHttpService, InvariantViolation, type Logger, type Readiness } from '@rxledger/runtime';
import { CompactRange, ed25519Signer } from '@rxledger/tlog';
import type { Admin } from 'kafkajs';
import { Counter, Gauge } from 'prom-client';
import { type TokenFile, TokenRegistry } from './auth/principal.ts';
import type { FoldResult } from './fold/ledger-folder.ts';
import { answerRoutes } from './http/answer-routes.ts';
import { logRoutes } from './http/log-routes.ts';
import { ledgerOpenApi } from './http/openapi.ts';
import { createCheckpointer } from './node/checkpointer.ts';
import { FoldThread } from './node/fold-thread.ts';
import { ItemHistory } from './query/item-history.ts';
import { openLedgerDb } from './store/ledger-db.ts';
import { LedgerStore } from './store/ledger-store.ts';
import { StoredRegistry } from './store/stored-registry.ts';

export interface LedgerServiceOptions {
  host: string;
  port: number;
  brokers: string[];
  /** TLS and SASL towards the brokers (readKafkaSecurity); omitted means plaintext. */
  kafkaSecurity?: KafkaSecurity | undefined;
  channel: string;
  /** Where this node keeps its database. */
  dataDir: string;
  /** The node's checkpoint signing key. */
  checkpointKey: SigningKey;
  /** Checkpoint origin line and note key name, e.g. `ledger.example.org/custody/main`. */
  origin: string;
  /** Trust anchor: the registry authority's key, which must sign the genesis record. */
  authority: VerifyingKey;
  /** Bearer tokens of pharmacists, partners and regulators, by hash. */
  tokens: TokenFile;
  log: Logger;
  checkpointIntervalMs?: number;
  /** Worker threads verifying signatures ahead of the fold (default: cores - 1, at least 1). */
  verifyThreads?: number;
  /**
   * Called once when the node refuses to go on for good (a custody topic unfit to be a source of
   * truth); the process's main stops it. Until then /healthz answers and /readyz says why.
   */
  onFatal?: (err: Error) => void;
}

export interface LedgerService {
  start(): Promise<string>;
  stop(): Promise<void>;
  /** The node's store, for in-process tests and tools. */
  readonly store: LedgerStore;
}

/** A ledger node: folds the channel's topic into its Merkle log and answers queries over HTTP. */
export function createLedgerService(opts: LedgerServiceOptions): LedgerService {
  mkdirSync(opts.dataDir, { recursive: true });
  const dbPath = join(opts.dataDir, 'ledger.sqlite');
  const db = openLedgerDb(dbPath);
  const store = new LedgerStore(db);
  const topic = custodyTopicName(opts.channel);
  const known = store.meta('topic');
  if (known && known !== topic) {
    db.close();
    throw new Error(`${opts.dataDir} holds a fold of ${known}, not ${topic}; use another DATA_DIR`);
  }
  store.setMeta('topic', topic);
  // Answers read the registry and the tree as committed by the fold thread.
  const registry = new StoredRegistry(store, opts.authority);
  const committedTree = () => {
    const size = store.size();
    return { size, root: CompactRange.fromReader(store.hashReader(), size).root() };
  };
  // Probes (topic exists? how far is the topic?) try once: the connect loop below and the next
  // readiness probe are their retries, and a stop() must not wait out kafkajs' own backoff.
  const probes = createKafkaClient({
    brokers: opts.brokers,
    security: opts.kafkaSecurity,
    clientId: 'rxledger-ledger',
    log: opts.log,
    retry: { retries: 0 },
  });
  const seed = opts.checkpointKey.exportSeed();
  const checkpointer = createCheckpointer({
    store,
    origin: opts.origin,
    signer: ed25519Signer(opts.origin, seed),
    current: committedTree,
    log: opts.log,
    intervalMs: opts.checkpointIntervalMs,
  });
  seed.fill(0);

  let admin: Admin | undefined;
  let stopped = false;
  let lastProgressLog = 0;
  // Why the node is not consuming yet (Kafka down, topic missing), for /readyz; undefined once it is.
  let waiting: string | undefined = 'connecting to Kafka';
  let connecting: Promise<void> | undefined;
  const wake = new AbortController();
  const connectedAdmin = async (): Promise<Admin> => {
    admin ??= probes.admin();
    await admin.connect();
    return admin;
  };
  const highWatermark = async () => {
    const [partition] = await (await connectedAdmin()).fetchTopicOffsets(topic);
    return Number(partition?.high ?? 0);
  };
  // A node may start before the broker answers or before the channel's topic is created (by
  // `npm start`, compose's setup, or an operator); it waits rather than failing, and says why.
  const topicExists = async () => (await (await connectedAdmin()).listTopics()).includes(topic);
  const noTopic = `waiting for topic ${topic} to be created`;
  // Refuses the topic for good: /readyz says why, and onFatal (the process's main) stops the service.
  const unfit = (err: Error) => {
    waiting = err.message;
    opts.log.error({ topic }, err.message);
    opts.onFatal?.(err);
  };
  const connect = async () => {
    let failures = 0;
    while (!stopped) {
      let delayMs = 1_000;
      try {
        if (await topicExists()) {
          // A topic that trims, compacts or lets producers choose timestamps cannot back a ledger.
          const problems = await checkCustodyTopic(await connectedAdmin(), topic);
          if (problems.length > 0) return unfit(custodyTopicError(topic, problems));
          if (stopped) return;
          await thread!.start();
          waiting = undefined;
          opts.log.info({ topic }, 'consuming');
          return;
        }
        if (waiting !== noTopic) opts.log.warn({ topic }, noTopic);
        waiting = noTopic;
        failures = 0;
      } catch (err) {
        failures++;
        waiting = `Kafka unreachable: ${(err as Error).message}`;
        opts.log.warn({ err, failures }, `${waiting}; trying again`);
        await thread?.stop().catch(() => {});
        delayMs = Math.min(10_000, 250 * 2 ** failures);
      }
      // Aborted by stop(): the pause ends at once.
      await sleep(delayMs, undefined, { signal: wake.signal }).catch(() => {});
    }
  };
  const readiness = async (): Promise<Readiness> => {
    if (waiting !== undefined) return { ready: false, detail: waiting };
    try {
      const high = await highWatermark();
      const next = store.nextOffset();
      return next >= high
        ? { ready: true }
        : { ready: false, detail: `catching up: at offset ${next} of ${high} (${high - next} behind)` };
    } catch (err) {
      return { ready: false, detail: `Kafka unreachable: ${(err as Error).message}` };
    }
  };

  // Set when the HTTP shell registers its metrics.
  let onFolded: (r: FoldResult) => void = () => {};
  const http = createHttpService({
    name: 'ledger',
    host: opts.host,
    port: opts.port,
    log: opts.log,
    readiness,
    routes: (app, metrics) => {
      answerRoutes(app, {
        store,
        history: new ItemHistory(store),
        tokens: new TokenRegistry(opts.tokens),
        registry: () => registry.current(),
        checkpointNow: () => checkpointer.checkpointNow(),
      });
      logRoutes(app, store);
      const openapi = ledgerOpenApi('1');
      app.get('/v1/openapi.json', (_req, res) => {
        res.json(openapi);
      });
      const records = new Counter({
        name: 'ledger_records_total',
        help: 'Records folded, by outcome',
        labelNames: ['outcome'],
        registers: [metrics],
      });
      const size = new Gauge({
        name: 'ledger_tree_size',
        help: 'Leaves in the Merkle log',
        registers: [metrics],
      });
      onFolded = (r) => {
        records.inc({ outcome: 'appended' }, r.appended);
        records.inc({ outcome: 'rejected' }, r.rejected);
        records.inc({ outcome: 'duplicate' }, r.duplicates);
        size.set(r.size);
      };
    },
  });

  // A fresh group per process: offsets live in the node's database, and a restarted node must not
  // wait for the coordinator to time out its dead predecessor.
  const groupId = `rxledger-ledger-${createHash('sha256').update(resolve(opts.dataDir)).digest('hex').slice(0, 12)}-${randomUUID().slice(0, 8)}`;
  let thread: FoldThread | undefined;
  const folded = (result: FoldResult) => {
    onFolded(result);
    if (Date.now() - lastProgressLog < 5_000) return;
    lastProgressLog = Date.now();
    void highWatermark()
      .then((high) => {
        const next = store.nextOffset();
        if (high - next <= 1_000) return;
        opts.log.info(
          { offset: next, high, size: result.size },
          `rebuilding: offset ${next} of ${high} (${((100 * next) / high).toFixed(1)}%)`,
        );
      })
      .catch(() => {});
  };
  const openThread = () =>
    FoldThread.open({
      dbPath,
      brokers: opts.brokers,
      security: opts.kafkaSecurity,
      topic,
      groupId,
      authority: opts.authority,
      verifyThreads: opts.verifyThreads,
      logLevel: opts.log.level,
      onFolded: folded,
      onExit: (err) => {
        if (err instanceof InvariantViolation) {
          // As if thrown here: the process-level handler ends the process (runtime's lifecycle.ts).
          process.nextTick(() => {
            throw err;
          });
          return;
        }
        unfit(new Error(`the fold thread stopped: ${err.message}`));
      },
    });

  return {
    store,
    /**
     * Opens the HTTP port at once, so /healthz answers and /readyz says why the node is not ready
     * while Kafka is down; connecting and folding go on in the background, retried until stop().
     */
    async start() {
      thread = await openThread();
      opts.log.info({ topic, size: store.size(), offset: store.nextOffset() }, 'ledger opened');
      checkpointer.start();
      const url = await http.start();
      connecting = connect().catch((err: unknown) => {
        opts.log.error({ err }, 'connecting to Kafka failed');
      });
      return url;
    },
    /** Stops at any point: before, during or after connecting, and after a failed start. */
    async stop() {
      stopped = true;
      wake.abort();
      await http.stop();
      // The connect loop finishes its current attempt (a probe that does not retry, or a consumer
      // start) before the consumer is stopped, so no consumer can start after it.
      await connecting;
      await thread?.close();
      checkpointer.stop();
      try {
        checkpointer.checkpointNow();
      } catch (err) {
        opts.log.error({ err }, 'final checkpoint failed; the next start signs it');
      }
      await admin?.disconnect().catch(() => {});
      db.close();
    },
  };
}
