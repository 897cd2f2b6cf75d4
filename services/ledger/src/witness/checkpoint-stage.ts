import type { SigningKey } from '@rxledger/events';
import type { Logger } from '@rxledger/runtime';
import { CompactRange, ed25519Signer } from '@rxledger/tlog';
import type { Registry } from 'prom-client';
import { createCheckpointer } from '../node/checkpointer.ts';
import type { Db } from '../store/ledger-db.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import { CosignatureStore } from './cosignature-store.ts';
import { createWitnessClient, type WitnessClientOptions } from './witness-client.ts';
import type { WitnessEndpoint } from './witness-config.ts';
import { witnessMetrics } from './witness-metrics.ts';

export interface CheckpointStageOptions {
  origin: string;
  checkpointKey: SigningKey;
  checkpointIntervalMs?: number | undefined;
  witnesses: readonly WitnessEndpoint[];
  witnessTiming?: Pick<WitnessClientOptions, 'pollMs' | 'baseDelayMs' | 'maxDelayMs' | 'refusedDelayMs'>;
  log: Logger;
}

/**
 * The node's signed checkpoints of the tree as the fold thread committed it, the witnesses'
 * cosignatures of them, and the client that asks the witnesses to cosign.
 */
export function createCheckpointStage(
  store: LedgerStore,
  db: Db,
  metrics: Registry,
  opts: CheckpointStageOptions,
) {
  const checkpointer = nodeCheckpointer(store, opts);
  const cosigs = new CosignatureStore(db);
  const witnessClient = createWitnessClient({
    node: store,
    cosigs,
    witnesses: opts.witnesses,
    log: opts.log,
    ...opts.witnessTiming,
  });
  witnessMetrics(metrics, cosigs, opts.witnesses);
  return {
    checkpointer,
    cosigs,
    witnessClient,
    /** Stops the timer and signs the tree as it is now, so the next start has nothing to catch up. */
    finish() {
      checkpointer.stop();
      try {
        checkpointer.checkpointNow();
      } catch (err) {
        opts.log.error({ err }, 'final checkpoint failed; the next start signs it');
      }
    },
  };
}

export type CheckpointStage = ReturnType<typeof createCheckpointStage>;

/** Signs checkpoints of the committed tree with the node's key; the seed copy is wiped once the signer holds it. */
function nodeCheckpointer(store: LedgerStore, opts: CheckpointStageOptions) {
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
