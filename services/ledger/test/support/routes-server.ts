import { SigningKey } from '@rxledger/events';
import { createHttpService, createLogger } from '@rxledger/runtime';
import { ed25519Signer } from '@rxledger/tlog';
import { TokenRegistry } from '../../src/auth/principal.ts';
import { answerRoutes } from '../../src/routes/answer-routes.ts';
import { logRoutes } from '../../src/routes/log-routes.ts';
import { tileRoutes } from '../../src/routes/tile-routes.ts';
import { createCheckpointer } from '../../src/node/checkpointer.ts';
import { FoldWaits } from '../../src/answers/fold-waits.ts';
import { ItemHistory } from '../../src/answers/item-history.ts';
import { tempLedger } from './temp-ledger.ts';
import { TOKEN_FILE } from './test-tokens.ts';

export const ROUTES_ORIGIN = 'routes.test/custody';

/**
 * The ledger's HTTP routes over a temporary database, without Kafka: tests fold records straight into
 * `ledger.folder` and sign checkpoints when they choose (`checkpointNow`), so what the routes see is
 * exactly what the test set up. Requests held with ?wait= are judged again when the test calls
 * `foldWaits.folded()`, as the node does after each commit.
 */
export async function startRoutesServer(ledger: ReturnType<typeof tempLedger>) {
  const checkpointer = createCheckpointer({
    store: ledger.store,
    origin: ROUTES_ORIGIN,
    signer: ed25519Signer(ROUTES_ORIGIN, SigningKey.generate().exportSeed()),
    current: () => ({ size: ledger.folder.size, root: ledger.folder.root() }),
    log: createLogger({ service: 'ledger', level: 'silent' }),
  });
  const foldWaits = new FoldWaits();
  const http = createHttpService({
    name: 'ledger',
    host: '127.0.0.1',
    port: 0,
    log: createLogger({ service: 'ledger', level: 'silent' }),
    routes: (app) => {
      answerRoutes(app, {
        store: ledger.store,
        history: new ItemHistory(ledger.store),
        tokens: new TokenRegistry(TOKEN_FILE),
        registry: () => ledger.folder.registry,
        checkpointNow: () => checkpointer.checkpointNow(),
        foldWaits,
      });
      logRoutes(app, ledger.store);
      tileRoutes(app, ledger.store);
    },
  });
  const url = await http.start();
  return {
    url,
    foldWaits,
    checkpointNow: () => checkpointer.checkpointNow(),
    stop: () => {
      foldWaits.close();
      return http.stop();
    },
  };
}
