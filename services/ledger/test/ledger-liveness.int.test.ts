// A ledger node started while its broker is down: its HTTP port opens at once, /healthz answers,
// /readyz says why it is not ready, and it catches up by itself once the broker answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@rxledger/events';
import { createLogger } from '@rxledger/runtime';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService, type LedgerService } from '../src/index.ts';
import { brokerGate } from './support/broker-gate.ts';
import { publishToChannel } from './support/publish.ts';
import { GLN, pack, TestChain } from './support/test-chain.ts';
import { TOKEN_FILE } from './support/test-tokens.ts';
import { waitFor } from './support/wait-for.ts';

describe('ledger liveness while Kafka is down', () => {
  const chain = new TestChain();
  const dirs: string[] = [];
  const running: LedgerService[] = [];
  afterAll(async () => {
    for (const ledger of running) await ledger.stop().catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const ledgerOn = (brokers: string[], channel: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-liveness-'));
    dirs.push(dataDir);
    const ledger = createLedgerService({
      host: '127.0.0.1',
      port: 0,
      brokers,
      channel,
      dataDir,
      checkpointKey: SigningKey.generate(),
      origin: 'liveness.test/custody',
      authority: chain.authority.verifyingKey,
      tokens: TOKEN_FILE,
      log: createLogger({ service: 'ledger', level: 'silent' }),
    });
    running.push(ledger);
    return ledger;
  };

  it('answers /healthz and a 503 /readyz with the reason while the broker is down, then catches up', async () => {
    const gate = await brokerGate(inject('kafkaBrokers')[0]!);
    try {
      const channel = `liveness-${process.pid}-${Date.now() % 100000}`;
      const ledger = ledgerOn([gate.address], channel);
      const url = await ledger.start();
      expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok' });
      const notReady = await waitFor('a failed connection attempt', async () => {
        const res = await fetch(`${url}/readyz`);
        const body = (await res.json()) as { ready: boolean; detail?: string };
        return body.detail?.startsWith('Kafka unreachable') ? { status: res.status, body } : undefined;
      });
      expect(notReady.status).toBe(503);
      expect(notReady.body.ready).toBe(false);

      const now = Date.now();
      const values = [chain.sign(chain.genesis(now - 60_000), chain.authority)];
      for (let i = 0; i < 20; i++) {
        values.push(
          chain.sign(
            {
              type: 'COMMISSION',
              eventId: `live${i}`,
              eventTime: now,
              eventTimeOffsetMinutes: 0,
              party: GLN.maker,
              site: GLN.makerSite,
              items: [pack(i)],
              lot: 'L1',
              expiry: '281231',
            },
            chain.maker,
          ),
        );
      }
      await publishToChannel(inject('kafkaBrokers'), channel, values);
      gate.open();
      await waitFor('the ledger to catch up', async () =>
        (await fetch(`${url}/readyz`)).status === 200 && ledger.store.nextOffset() === values.length
          ? true
          : undefined,
      );
      expect(ledger.store.size()).toBe(values.length);
      await ledger.stop();
    } finally {
      await gate.close();
    }
  });

  it('stops cleanly while it is still trying to reach the broker', async () => {
    const gate = await brokerGate(inject('kafkaBrokers')[0]!);
    try {
      const ledger = ledgerOn([gate.address], 'liveness-never');
      const url = await ledger.start();
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await ledger.stop();
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      await gate.close();
    }
  });
});
