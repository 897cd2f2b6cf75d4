import { createHttpService, type Logger, type Readiness } from '@rxledger/runtime';
import type { Registry } from 'prom-client';
import type { AlertStage } from '../alerts/alert-stage.ts';
import type { FoldWaits } from '../answers/fold-waits.ts';
import { ItemHistory } from '../answers/item-history.ts';
import { type TokenFile, TokenRegistry } from '../auth/principal.ts';
import type { NodeStore } from '../store/node-store.ts';
import type { CheckpointStage } from '../witness/checkpoint-stage.ts';
import { type WitnessServerOptions, witnessRoutes } from '../witness/witness-routes.ts';
import { alertDeliveryRoutes } from './alert-delivery-routes.ts';
import { answerRoutes } from './answer-routes.ts';
import { logRoutes } from './log-routes.ts';
import { ledgerOpenApi } from './openapi.ts';
import { pageRoutes } from './page-routes.ts';
import { tileRoutes } from './tile-routes.ts';

export interface HttpStageOptions {
  host: string;
  port: number;
  log: Logger;
  tokens: TokenFile;
  webDir?: string | undefined;
  witnessOf?: Omit<WitnessServerOptions, 'store' | 'cosigs' | 'log'> | undefined;
  /** The node's registry, on which the other stages already count. */
  metrics: Registry;
  readiness: () => Promise<Readiness>;
  health: () => Readiness;
}

/** What the routes answer from: the committed store, its checkpoints, and the alerts' delivery. */
export interface AnsweredNode {
  stored: NodeStore;
  /** Event-state requests held until the fold decides them. */
  foldWaits: FoldWaits;
  checkpoints: CheckpointStage;
  alerts: AlertStage;
}

/**
 * The node's HTTP stage: the routes answer from the database the fold thread commits to, through
 * the answers layer, and /metrics serves the registry every stage counts on.
 */
export function createHttpStage(node: AnsweredNode, opts: HttpStageOptions) {
  const { store, registry } = node.stored;
  const { checkpointer, cosigs } = node.checkpoints;
  const { delivery, escalationWorkingDays } = node.alerts;
  return createHttpService({
    name: 'ledger',
    host: opts.host,
    port: opts.port,
    log: opts.log,
    metrics: opts.metrics,
    readiness: opts.readiness,
    health: opts.health,
    routes: (app) => {
      const tokens = new TokenRegistry(opts.tokens);
      if (delivery) alertDeliveryRoutes(app, delivery, tokens);
      answerRoutes(app, {
        store,
        history: new ItemHistory(store),
        tokens,
        registry: () => registry.current(),
        // Bundles carry the witnesses' cosignatures their checkpoint has so far.
        checkpointNow: () => cosigs.cosigned(checkpointer.checkpointNow()),
        escalationWorkingDays,
        foldWaits: node.foldWaits,
      });
      const cosigned = (note: string) => cosigs.cosigned(note);
      logRoutes(app, store, { cosigned });
      tileRoutes(app, store, cosigned);
      if (opts.witnessOf) witnessRoutes(app, { ...opts.witnessOf, store, cosigs, log: opts.log });
      const openapi = ledgerOpenApi('1');
      app.get('/v1/openapi.json', (_req, res) => {
        res.json(openapi);
      });
      pageRoutes(app, opts.webDir);
    },
  });
}
