import { createLogger } from '@rxledger/runtime';
import type { LedgerServiceOptions } from '../../src/index.ts';
import type { TestChain } from './test-chain.ts';
import { TOKEN_FILE } from './test-tokens.ts';

/**
 * What every ledger node of the tests starts with: an ephemeral port on 127.0.0.1, `chain`'s registry
 * authority, the test tokens and a silent log. `node` names the topic, the
 * data folder and the checkpoint key; anything in it overrides the defaults.
 */
export function testLedgerOptions(
  chain: TestChain,
  node: Pick<LedgerServiceOptions, 'brokers' | 'channel' | 'dataDir' | 'checkpointKey' | 'origin'> &
    Partial<LedgerServiceOptions>,
): LedgerServiceOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    authority: chain.authority.verifyingKey,
    tokens: TOKEN_FILE,
    log: createLogger({ service: 'ledger', level: 'silent' }),
    ...node,
  };
}
