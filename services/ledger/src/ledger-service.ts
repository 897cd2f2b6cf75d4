import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SigningKey, VerifyingKey } from '@rxledger/events';
import { custodyTopicName, type KafkaSecurity } from '@rxledger/kafka';
import { createHttpService, type Logger } from '@rxledger/runtime';
import { CompactRange, ed25519Signer } from '@rxledger/tlog';
import type { AlertNotice } from './alerts/alert-notice.ts';
import { alertMetrics } from './alerts/alert-metrics.ts';
import { createAlertNotifier } from './alerts/alert-notifier.ts';
import { DEFAULT_ESCALATION_WORKING_DAYS } from './alerts/working-days.ts';
import {
  type AlertDelivery,
  type AlertDeliveryOptions,
  createAlertDelivery,
} from './alerts/delivery/index.ts';
import { ItemHistory } from './answers/item-history.ts';
import { type TokenFile, TokenRegistry } from './auth/principal.ts';
import { FoldThread } from './fold/fold-thread.ts';
import type { FoldResult } from './fold/ledger-folder.ts';
import { createPeerWatch, type Peer } from './monitor/peer-monitor.ts';
import { createCheckpointer } from './node/checkpointer.ts';
import { createFoldKeeper, type FoldKeeperOptions } from './node/fold-keeper.ts';
import { createTopicLink } from './node/topic-link.ts';
import { alertDeliveryRoutes } from './routes/alert-delivery-routes.ts';
import { answerRoutes } from './routes/answer-routes.ts';
import { foldMetrics } from './routes/fold-metrics.ts';
import { logRoutes } from './routes/log-routes.ts';
import { ledgerOpenApi } from './routes/openapi.ts';
import { pageRoutes } from './routes/page-routes.ts';
import { tileRoutes } from './routes/tile-routes.ts';
import { openLedgerDb } from './store/ledger-db.ts';
import { LedgerStore } from './store/ledger-store.ts';
import { StoredRegistry } from './store/stored-registry.ts';
import { CosignatureStore } from './witness/cosignature-store.ts';
import { createWitnessClient, type WitnessClientOptions } from './witness/witness-client.ts';
import type { WitnessEndpoint } from './witness/witness-config.ts';
import { witnessMetrics } from './witness/witness-metrics.ts';
import { type WitnessServerOptions, witnessRoutes } from './witness/witness-routes.ts';

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
   * Where the counter page is built (infra/build-web.mjs: index.html and assets/), served at `/`.
   * Without it, or until it is built, `/` answers 503 saying how to build it.
   */
  webDir?: string | undefined;
  /** Witnesses asked to cosign every new checkpoint (RXLEDGER_WITNESSES); none by default. */
  witnesses?: readonly WitnessEndpoint[];
  /** The witness client's timing (tests shorten it). */
  witnessTiming?: Pick<WitnessClientOptions, 'pollMs' | 'baseDelayMs' | 'maxDelayMs' | 'refusedDelayMs'>;
  /** This node as a witness of peers folding the same topic: POST /add-checkpoint. Off by default. */
  witnessOf?: Omit<WitnessServerOptions, 'store' | 'cosigs' | 'log'>;
  /**
   * Called once when the node refuses to go on for good (a custody topic unfit to be a source of
   * truth); the process's main stops it. Until then /healthz answers and /readyz says why.
   */
  onFatal?: (err: Error) => void;
  /**
   * Peer nodes folding the same topic (RXLEDGER_PEERS): the node checks its checkpoints and theirs for
   * a split view and, once one is proven, answers /readyz not ready for good.
   */
  peers?: readonly Peer[];
  /** How often the peers are polled (default 1,000 ms). */
  peerIntervalMs?: number;
  /**
   * Told of each alert raised, updated or healed once the leaf that did it is committed, and of alerts
   * that escalate (services/ledger/src/alerts/alert-notice.ts). Exceptions it throws are logged.
   */
  onAlertNotice?: (notice: AlertNotice) => void;
  /** Working days before an alert no manufacturer or regulator answered escalates (default 2). */
  alertEscalationWorkingDays?: number;
  /** How often unanswered alerts are checked for escalation when onAlertNotice is given (default 60 s). */
  alertEscalationCheckMs?: number;
  /**
   * Alert webhooks and stream (issue 18; `<dataDir>/alert-delivery.sqlite`, signed with the checkpoint
   * key). Off unless given; every alert notice is published to it once its leaf is committed.
   */
  alertDelivery?: Omit<AlertDeliveryOptions, 'dbPath' | 'signingKey' | 'log' | 'metrics'>;
  /** Fold-thread deaths in a row that are restarted before the node gives up (default 3). */
  foldRestarts?: number;
  /** Pause before a fold-thread restart (tests shorten it). */
  foldRestartDelayMs?: FoldKeeperOptions['restartDelayMs'];
}

export interface LedgerService {
  start(): Promise<string>;
  stop(): Promise<void>;
  /** The node's store, for in-process tests and tools. */
  readonly store: LedgerStore;
  /** Alert delivery, when `alertDelivery` was given. */
  readonly alertDelivery: AlertDelivery | undefined;
  /**
   * Test seam: ends the fold thread at once, as an out-of-memory kill would ('terminate', the
   * default), or makes it die from within: an error nothing catches ('throw'), process.exit ('exit').
   */
  crashFoldThread(how?: 'terminate' | 'throw' | 'exit'): Promise<void>;
}

/**
 * A ledger node, along its data path: the topic link (node/topic-link.ts) connects and starts the fold
 * thread (fold/fold-thread.ts: intake, then the fold, committed to the database), and the HTTP routes
 * (routes/) answer from the same database through the answers layer (answers/) on this thread.
 */
export function createLedgerService(opts: LedgerServiceOptions): LedgerService {
  const topic = custodyTopicName(opts.channel);
  const { db, store, dbPath } = openNodeStore(opts.dataDir, topic);
  // Answers read the registry and the tree as committed by the fold thread.
  const registry = new StoredRegistry(store, opts.authority);
  const checkpointer = nodeCheckpointer(store, opts);
  const cosigs = new CosignatureStore(db);
  const witnessClient = createWitnessClient({
    node: store,
    cosigs,
    witnesses: opts.witnesses ?? [],
    log: opts.log,
    ...opts.witnessTiming,
  });
  const link = createTopicLink({
    brokers: opts.brokers,
    security: opts.kafkaSecurity,
    topic,
    log: opts.log,
    position: () => store.nextOffset(),
    consume: { start: () => fold.start(), stop: () => fold.stop() },
    onUnfit: (err) => opts.onFatal?.(err),
  });
  // Set when the HTTP shell registers its metrics.
  let onFolded: (r: FoldResult) => void = () => {};
  const escalationWorkingDays = opts.alertEscalationWorkingDays ?? DEFAULT_ESCALATION_WORKING_DAYS;
  let delivery: AlertDelivery | undefined;
  // Notices go to the caller's handler and, when delivery is on, to the webhooks and the stream.
  const tellAlert = (notice: AlertNotice) => {
    opts.onAlertNotice?.(notice);
    delivery?.publish(notice);
  };
  const notifier =
    opts.onAlertNotice || opts.alertDelivery
      ? createAlertNotifier({ store, onAlertNotice: tellAlert, escalationWorkingDays, log: opts.log })
      : undefined;
  let escalationTimer: NodeJS.Timeout | undefined;
  const http = createHttpService({
    name: 'ledger',
    host: opts.host,
    port: opts.port,
    log: opts.log,
    readiness: async () => {
      const split = watch?.readiness();
      return (split && !split.ready ? split : fold.readiness()) ?? link.readiness();
    },
    health: () => fold.health(),
    routes: (app, metrics) => {
      const tokens = new TokenRegistry(opts.tokens);
      if (opts.alertDelivery) {
        const dbPath = join(opts.dataDir, 'alert-delivery.sqlite');
        const own = { dbPath, signingKey: opts.checkpointKey, log: opts.log, metrics };
        delivery = createAlertDelivery({ ...opts.alertDelivery, ...own });
        alertDeliveryRoutes(app, delivery, tokens);
      }
      answerRoutes(app, {
        store,
        history: new ItemHistory(store),
        tokens,
        registry: () => registry.current(),
        // Bundles carry the witnesses' cosignatures their checkpoint has so far.
        checkpointNow: () => cosigs.cosigned(checkpointer.checkpointNow()),
        escalationWorkingDays,
      });
      const cosigned = (note: string) => cosigs.cosigned(note);
      logRoutes(app, store, { cosigned });
      tileRoutes(app, store, cosigned);
      if (opts.witnessOf) witnessRoutes(app, { ...opts.witnessOf, store, cosigs, log: opts.log });
      const openapi = ledgerOpenApi('1');
      app.get('/v1/openapi.json', (_req, res) => {
        res.json(openapi);
      });
      onFolded = foldMetrics(metrics);
      alertMetrics(metrics, store);
      witnessMetrics(metrics, cosigs, opts.witnesses ?? []);
      pageRoutes(app, opts.webDir);
    },
  });
  const watch = opts.peers?.length
    ? createPeerWatch({
        store,
        origin: opts.origin,
        peers: opts.peers,
        dataDir: opts.dataDir,
        log: opts.log,
        ownKey: opts.checkpointKey.verifyingKey.bytes,
        metrics: http.metrics,
      })
    : undefined;
  const progress = rebuildProgress(opts.log, () => store.nextOffset(), link.highWatermark);
  const fold = createFoldKeeper({
    open: (onExit) =>
      FoldThread.open({
        dbPath,
        brokers: opts.brokers,
        security: opts.kafkaSecurity,
        topic,
        groupId: consumerGroupId(opts.dataDir),
        authority: opts.authority,
        verifyThreads: opts.verifyThreads,
        logLevel: opts.log.level,
        onFolded: (result) => {
          fold.folded();
          onFolded(result);
          progress(result);
          notifier?.folded(result.alertChanges);
        },
        onExit,
      }),
    log: opts.log,
    maxRestarts: opts.foldRestarts,
    restartDelayMs: opts.foldRestartDelayMs,
    metrics: http.metrics,
    onGiveUp: (err) => link.unfit(new Error(`the fold thread stopped: ${err.message}`)),
  });

  return {
    store,
    alertDelivery: delivery,
    crashFoldThread: (how) => fold.crash(how),
    /**
     * Opens the HTTP port at once, so /healthz answers and /readyz says why the node is not ready
     * while Kafka is down; connecting and folding go on in the background, retried until stop().
     */
    async start() {
      await fold.open();
      opts.log.info({ topic, size: store.size(), offset: store.nextOffset() }, 'ledger opened');
      checkpointer.start();
      witnessClient.start();
      delivery?.start();
      const url = await http.start();
      link.start();
      watch?.start(opts.peerIntervalMs ?? 1_000);
      if (notifier) {
        escalationTimer = setInterval(
          () => notifier.checkEscalations(),
          opts.alertEscalationCheckMs ?? 60_000,
        );
        escalationTimer.unref();
      }
      return url;
    },
    /** Stops at any point: before, during or after connecting, and after a failed start. */
    async stop() {
      // The connect loop stops at once, finishing its current attempt while the port closes.
      const linkStopped = link.stop();
      clearInterval(escalationTimer);
      await watch?.stop();
      // Before the port closes: an open alert stream would hold the server open.
      delivery?.stream.close();
      await http.stop();
      await delivery?.stop();
      await witnessClient.stop();
      await linkStopped;
      await fold.close();
      checkpointer.stop();
      try {
        checkpointer.checkpointNow();
      } catch (err) {
        opts.log.error({ err }, 'final checkpoint failed; the next start signs it');
      }
      await link.close();
      db.close();
    },
  };
}

/** Opens (or creates) the node's database under `dataDir`; refuses one that holds a fold of another topic. */
function openNodeStore(dataDir: string, topic: string) {
  mkdirSync(dataDir, { recursive: true });
  const dbPath = join(dataDir, 'ledger.sqlite');
  const db = openLedgerDb(dbPath);
  const store = new LedgerStore(db);
  const known = store.meta('topic');
  if (known && known !== topic) {
    db.close();
    throw new Error(`${dataDir} holds a fold of ${known}, not ${topic}; use another DATA_DIR`);
  }
  store.setMeta('topic', topic);
  return { db, store, dbPath };
}

/** Signs checkpoints of the tree as the fold thread committed it, with the node's key. */
function nodeCheckpointer(store: LedgerStore, opts: LedgerServiceOptions) {
  const seed = opts.checkpointKey.exportSeed();
  const checkpointer = createCheckpointer({
    store,
    origin: opts.origin,
    signer: ed25519Signer(opts.origin, seed),
    current: () => {
      const size = store.size();
      return { size, root: CompactRange.fromReader(store.hashReader(), size).root() };
    },
    log: opts.log,
    intervalMs: opts.checkpointIntervalMs,
  });
  seed.fill(0);
  return checkpointer;
}

/**
 * A fresh consumer group per process: offsets live in the node's database, and a restarted node must
 * not wait for the coordinator to time out its dead predecessor.
 */
function consumerGroupId(dataDir: string): string {
  const node = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
  return `rxledger-ledger-${node}-${randomUUID().slice(0, 8)}`;
}

/** Logs, at most every 5 s, how far a node that is more than 1,000 records behind has rebuilt. */
function rebuildProgress(log: Logger, position: () => number, highWatermark: () => Promise<number>) {
  let last = 0;
  return (result: FoldResult) => {
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    void highWatermark()
      .then((high) => {
        const next = position();
        if (high - next <= 1_000) return;
        log.info(
          { offset: next, high, size: result.size },
          `rebuilding: offset ${next} of ${high} (${((100 * next) / high).toFixed(1)}%)`,
        );
      })
      .catch(() => {});
  };
}
