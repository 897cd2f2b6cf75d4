import { createLogger } from '@rxledger/runtime';
import { describe, expect, it } from 'vitest';
import type { LedgerClient, LedgerReply } from '../src/ledger-client.ts';
import { watchRegistry } from '../src/registry-watch.ts';

const GLN = '4012345000009';
const KEYS = [{ keyId: 'k2', validFrom: '2026-01-01T00:00:00Z' }];

/** A ledger whose next answers the test sets; it records the tokens it was asked with. */
function fakeLedger() {
  const answers: Array<LedgerReply | Error> = [];
  const tokens: Array<string | undefined> = [];
  const ledger: LedgerClient = {
    get: async (_path, request) => {
      tokens.push(request?.token);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next ?? { status: 503, contentType: 'application/json', body: {} };
    },
  };
  return { ledger, answers, tokens };
}
const ok = (body: unknown): LedgerReply => ({ status: 200, contentType: 'application/json', body });

describe('the registry as a partner service follows it', () => {
  it('is unknown until read, then gives each party its keys (none for a party it lacks)', async () => {
    const { ledger, answers, tokens } = fakeLedger();
    const watch = watchRegistry({
      ledger,
      token: () => 'tok',
      intervalMs: 1000,
      log: createLogger({ service: 't', level: 'silent' }),
    });
    expect(watch.keysOf(GLN)).toBeUndefined();
    answers.push(ok({ parties: [{ gln: GLN, keys: KEYS }] }));
    await watch.refresh();
    expect(watch.keysOf(GLN)).toEqual(KEYS);
    expect(watch.keysOf('9501101530003')).toEqual([]);
    expect(tokens).toEqual(['tok']);
  });

  // A ledger outage must not send a party back to a key the registry has retired.
  it('keeps what it read last through failures and answers of another shape', async () => {
    const { ledger, answers } = fakeLedger();
    const watch = watchRegistry({
      ledger,
      token: () => undefined,
      intervalMs: 1000,
      log: createLogger({ service: 't', level: 'silent' }),
    });
    answers.push(ok({ parties: [{ gln: GLN, keys: KEYS }] }));
    await watch.refresh();
    answers.push(new Error('ECONNREFUSED'));
    await watch.refresh();
    answers.push({ status: 401, contentType: 'application/json', body: { error: {} } });
    await watch.refresh();
    answers.push(ok({ parties: 'not a list' }));
    await watch.refresh();
    expect(watch.keysOf(GLN)).toEqual(KEYS);
  });
});
