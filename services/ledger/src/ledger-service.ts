import { join } from 'node:path';
import type { SigningKey, VerifyingKey } from '@rxledger/events';
import { custodyTopicName, type KafkaSecurity } from '@rxledger/kafka';
import type { Logger } from '@rxledger/runtime';
import { Registry } from 'prom-client';
import type { AlertNotice } from './alerts/alert-notice.ts';
import { createAlertStage } from './alerts/alert-stage.ts';
import type { AlertDelivery, AlertDeliveryOptions } from './alerts/delivery/index.ts';
import type { TokenFile } from './auth/principal.ts';
import { FoldWaits } from './answers/fold-waits.ts';
import { createFoldStage } from './fold/fold-stage.ts';
import { createPeerWatch, type Peer } from './monitor/peer-monitor.ts';
import type { FoldKeeperOptions } from './node/fold-keeper.ts';
import { createHttpStage } from './routes/http-stage.ts';
import type { LedgerStore } from './store/ledger-store.ts';
import { openNodeStore } from './store/node-store.ts';
import { createCheckpointStage } from './witness/checkpoint-stage.ts';
import type { WitnessClientOptions } from './witness/witness-client.ts';
import type { WitnessEndpoint } from './witness/witness-config.ts';
import type { WitnessServerOptions } from './witness/witness-routes.ts';

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
 * A ledger node, built stage by stage along its data path: the store (store/), the checkpoints and
 * their witnesses (witness/), what is done with committed alerts (alerts/), the fold stage (fold/: the
 * topic link starts the fold thread, which runs intake and the fold and commits to the database), the
 * peers' watch (monitor/), and last the HTTP stage (routes/), which answers from the same database
 * through the answers layer (answers/). Every stage counts on one metrics registry as it is built, so
 * each stage takes what it needs from stages built before it, and the HTTP stage serves it all.
 */
export function createLedgerService(opts: LedgerServiceOptions): LedgerService {
  const { topic, stored, checkpoints, alerts, fold, foldWaits, watch, http } = buildStages(opts);
  const { store, db } = stored;
  return {
    store,
    alertDelivery: alerts.delivery,
    crashFoldThread: (how) => fold.keeper.crash(how),
    /**
     * Opens the HTTP port at once, so /healthz answers and /readyz says why the node is not ready
     * while Kafka is down; connecting and folding go on in the background, retried until stop().
     */
    async start() {
      await fold.keeper.open();
      opts.log.info({ topic, size: store.size(), offset: store.nextOffset() }, 'ledger opened');
      checkpoints.checkpointer.start();
      checkpoints.witnessClient.start();
      alerts.start();
      const url = await http.start();
      fold.link.start();
      watch?.start(opts.peerIntervalMs ?? 1_000);
      return url;
    },
    /** Stops at any point: before, during or after connecting, and after a failed start. */
    async stop() {
      // The connect loop stops at once, finishing its current attempt while the port closes.
      const linkStopped = fold.link.stop();
      await watch?.stop();
      alerts.closeStream();
      foldWaits.close();
      await http.stop();
      await alerts.stop();
      await checkpoints.witnessClient.stop();
      await linkStopped;
      await fold.keeper.close();
      checkpoints.finish();
      await fold.link.close();
      db.close();
    },
  };
}

/** The node's stages, each built from the ones before it; nothing runs until start(). */
function buildStages(opts: LedgerServiceOptions) {
  const topic = custodyTopicName(opts.channel);
  const stored = openNodeStore(opts.dataDir, topic, opts.authority);
  const { store, db } = stored;
  const metrics = new Registry();
  const checkpoints = createCheckpointStage(store, db, metrics, { ...opts, witnesses: opts.witnesses ?? [] });
  const alerts = createAlertStage(store, metrics, {
    ...opts,
    deliveryDbPath: join(opts.dataDir, 'alert-delivery.sqlite'),
    signingKey: opts.checkpointKey,
  });
  const foldWaits = new FoldWaits();
  const fold = createFoldStage(store, metrics, {
    ...opts,
    topic,
    dbPath: stored.dbPath,
    onFolded: (result) => {
      alerts.folded(result);
      foldWaits.folded();
    },
  });
  const watch = watchPeers(store, metrics, opts);
  const http = createHttpStage(
    { stored, checkpoints, alerts, foldWaits },
    {
      ...opts,
      metrics,
      // A proven split view outranks everything: the node's answers may be from a forked log.
      readiness: async () => {
        const split = watch?.readiness();
        return split && !split.ready ? split : fold.readiness();
      },
      health: fold.health,
    },
  );
  return { topic, stored, checkpoints, alerts, fold, foldWaits, watch, http };
}

/** The watch on peer nodes folding the same topic, when there are any. */
function watchPeers(store: LedgerStore, metrics: Registry, opts: LedgerServiceOptions) {
  if (!opts.peers?.length) return undefined;
  return createPeerWatch({
    store,
    origin: opts.origin,
    peers: opts.peers,
    dataDir: opts.dataDir,
    log: opts.log,
    ownKey: opts.checkpointKey.verifyingKey.bytes,
    metrics,
  });
}
