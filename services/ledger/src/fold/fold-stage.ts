import { createHash, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { VerifyingKey } from '@rxledger/events';
import type { KafkaSecurity } from '@rxledger/kafka';
import type { Logger, Readiness } from '@rxledger/runtime';
import type { Registry } from 'prom-client';
import { createFoldKeeper, type FoldKeeperOptions } from '../node/fold-keeper.ts';
import { createTopicLink } from '../node/topic-link.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import { foldMetrics } from './fold-metrics.ts';
import { FoldThread } from './fold-thread.ts';
import type { FoldResult } from './ledger-folder.ts';

export interface FoldStageOptions {
  brokers: string[];
  kafkaSecurity?: KafkaSecurity | undefined;
  topic: string;
  dataDir: string;
  dbPath: string;
  authority: VerifyingKey;
  verifyThreads?: number | undefined;
  foldRestarts?: number | undefined;
  foldRestartDelayMs?: FoldKeeperOptions['restartDelayMs'];
  log: Logger;
  /** The topic is unfit for good, or the fold thread cannot be kept running: the node must stop. */
  onFatal?: ((err: Error) => void) | undefined;
  /** Told of each slice once the fold thread committed it, after the stage's own bookkeeping. */
  onFolded: (result: FoldResult) => void;
}

/**
 * The fold stage: the topic link connects and starts the kept fold thread (intake, then the fold,
 * committed to the node's database), with its metrics and rebuild progress. The link and the keeper
 * need each other (the link starts consuming; a keeper that gives up makes the topic link unfit), so
 * each refers to the other only from callbacks, which run once the node has started.
 */
export function createFoldStage(store: LedgerStore, metrics: Registry, opts: FoldStageOptions) {
  const link = createTopicLink({
    brokers: opts.brokers,
    security: opts.kafkaSecurity,
    topic: opts.topic,
    log: opts.log,
    position: () => store.nextOffset(),
    consume: { start: () => keeper.start(), stop: () => keeper.stop() },
    onUnfit: (err) => opts.onFatal?.(err),
  });
  const counted = foldMetrics(metrics);
  const progress = rebuildProgress(opts.log, () => store.nextOffset(), link.highWatermark);
  const keeper = createFoldKeeper({
    open: (onExit) =>
      FoldThread.open({
        dbPath: opts.dbPath,
        brokers: opts.brokers,
        security: opts.kafkaSecurity,
        topic: opts.topic,
        groupId: consumerGroupId(opts.dataDir),
        authority: opts.authority,
        verifyThreads: opts.verifyThreads,
        logLevel: opts.log.level,
        onFolded: (result) => {
          keeper.folded();
          counted(result);
          progress(result);
          opts.onFolded(result);
        },
        onExit,
      }),
    log: opts.log,
    maxRestarts: opts.foldRestarts,
    restartDelayMs: opts.foldRestartDelayMs,
    metrics,
    onGiveUp: (err) => link.unfit(new Error(`the fold thread stopped: ${err.message}`)),
  });
  return {
    link,
    keeper,
    /** Not ready while the fold thread is down, else as the link says (connecting, catching up, ready). */
    readiness: async (): Promise<Readiness> => keeper.readiness() ?? link.readiness(),
    health: (): Readiness => keeper.health(),
  };
}

export type FoldStage = ReturnType<typeof createFoldStage>;

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
