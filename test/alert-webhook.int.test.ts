// The alert reaches the manufacturer: a pack scanned at the counter raises an alert, and the
// manufacturer's webhook receiver (a real HTTP server) gets it, signed by the ledger node's key.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyAlertDelivery } from '@rxledger/verifier';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GLN, GTIN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

interface Delivery {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A webhook receiver that keeps every delivery and answers 204. */
async function startReceiver(): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/rxledger`, deliveries };
}

describe('an alert raised at the counter reaches the manufacturer by webhook', () => {
  let sys: TestSystem;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    sys = await startSystem(inject('kafkaBrokers'), {
      alertDelivery: { urlPolicy: { allowPrivateNetworks: true } },
    });
    await postAccepted(sys, GLN.maker, [
      { type: 'COMMISSION', items: [`(01)${GTIN}(21)W1`], lot: 'L1', expiry: '281231' },
    ]);
  });
  afterAll(async () => {
    await sys?.stop();
    receiver?.server.close();
  });

  it('delivers the raise, signed so that the node key verifies it, to the GTIN owner only', async () => {
    const subscribe = (gln: string) =>
      fetch(`${sys.ledgerUrl}/v1/alerts/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sys.partnerToken[gln]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${receiver.url}?party=${gln}` }),
      });
    expect((await subscribe(GLN.maker)).status).toBe(201);
    expect((await subscribe(GLN.distributor)).status).toBe(201);

    // A serial the manufacturer never commissioned, of a product it did: a potential falsification.
    const scan = `]d201${GTIN}21W2\u001d10L1\u001d17281231`;
    const res = await fetch(`${sys.urls.pharmacy}/v1/verify?scan=${encodeURIComponent(scan)}`, {
      headers: { authorization: `Bearer ${sys.scanner[GLN.pharmacy1]}` },
    });
    const answer = (await res.json()) as { alert?: { id: string } };
    expect(answer.alert?.id).toMatch(new RegExp(`^${GLN.pharmacy1}:`));

    while (receiver.deliveries.length === 0) await new Promise((r) => setTimeout(r, 50));
    const [delivery] = receiver.deliveries;
    const check = verifyAlertDelivery(delivery!.headers, delivery!.body, sys.checkpointKey);
    expect(check).toMatchObject({ valid: true });
    const body = JSON.parse(delivery!.body.toString('utf8')) as {
      type: string;
      data: { alertId: string; seq: number; alert: { code: string; manufacturer: string } };
    };
    expect(body).toMatchObject({
      type: 'alert.raised',
      data: { alertId: answer.alert!.id, alert: { code: 'UNKNOWN_SERIAL', manufacturer: GLN.maker } },
    });
    // The idempotency key a receiver de-duplicates on: the same on every retry of this notice.
    expect(delivery!.headers['webhook-id']).toBe(`alert.raised:${answer.alert!.id}:${body.data.seq}`);

    // A byte changed in the body no longer verifies; the distributor, outside the audience, got nothing.
    const forged = Buffer.from(delivery!.body);
    forged.writeUInt8(forged.readUInt8(forged.length - 2) ^ 1, forged.length - 2);
    expect(verifyAlertDelivery(delivery!.headers, forged, sys.checkpointKey)).toMatchObject({ valid: false });
    expect(receiver.deliveries.map((d) => d.url)).toEqual([`/rxledger?party=${GLN.maker}`]);
  }, 60_000);
});
