// Alert delivery inside a ledger node (the `alertDelivery` option) on a real broker: the node's own
// checkpoint key signs, its /metrics counts, and stop() returns with a stream still open.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@rxledger/events';
import { formatVerifierKey } from '@rxledger/tlog';
import { verifyAlertDelivery } from '@rxledger/verifier';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService } from '../../src/index.ts';
import { notice, openStream, startReceiver } from '../support/alert-delivery-harness.ts';
import { publishToChannel } from '../support/publish.ts';
import { GLN, TestChain } from '../support/test-chain.ts';
import { testLedgerOptions } from '../support/test-ledger.ts';
import { bearer } from '../support/test-tokens.ts';
import { waitFor } from '../support/wait-for.ts';

const ORIGIN = 'test.rxledger.dev/custody/alerts';

describe('a ledger node with alert delivery', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-alerts-node-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('signs deliveries with its checkpoint key, counts them, and stops with a stream open', async () => {
    const chain = new TestChain();
    const checkpointKey = SigningKey.generate();
    const channel = `alerts-${process.pid}-${Date.now() % 100000}`;
    await publishToChannel(inject('kafkaBrokers'), channel, [
      chain.sign(chain.genesis(Date.now()), chain.authority),
    ]);
    const ledger = createLedgerService(
      testLedgerOptions(chain, {
        brokers: inject('kafkaBrokers'),
        channel,
        dataDir,
        checkpointKey,
        origin: ORIGIN,
        alertDelivery: { urlPolicy: { allowPrivateNetworks: true }, pollMs: 50 },
      }),
    );
    const url = await ledger.start();
    const receiver = await startReceiver();
    try {
      const sub = await fetch(`${url}/v1/alerts/webhooks`, {
        method: 'POST',
        headers: { ...bearer('maker'), 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url }),
      });
      expect(sub.status).toBe(201);
      const stream = openStream(url, bearer('regulator'));
      await waitFor('the stream client', () => ledger.alertDelivery!.stream.size === 1);
      ledger.alertDelivery!.publish(notice([GLN.maker]));

      await waitFor(
        'the webhook and the stream event',
        () => receiver.received.length === 1 && stream.notices().length === 1,
      );
      const got = receiver.received[0]!;
      const vkey = formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes);
      expect(verifyAlertDelivery(got.headers, got.body, vkey).valid).toBe(true);
      await waitFor('the outbox to empty', () => ledger.alertDelivery!.store.outboxCounts().pending === 0);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^ledger_alert_deliveries_total\{outcome="ok",service="ledger"\} 1$/m);
      expect(metrics).toMatch(/^ledger_alert_stream_clients\{service="ledger"\} 1$/m);
    } finally {
      // The stream is still open here: stop() must end it rather than wait for it.
      await ledger.stop();
      await receiver.stop();
    }
  });
});
