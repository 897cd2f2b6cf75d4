// Webhook delivery against real HTTP receivers and a real SQLite outbox: signed, retried, durable
// across a restart, never to the wrong party, never held up by a dead endpoint.
import { join } from 'node:path';
import { formatVerifierKey } from '@rxledger/tlog';
import { verifyAlertDelivery } from '@rxledger/verifier';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryStore } from '../../src/alerts/delivery/delivery-store.ts';
import { notice, removeDir, startDelivery, startReceiver } from '../support/alert-delivery-harness.ts';
import { GLN } from '../support/test-chain.ts';
import { bearer, type TOKENS } from '../support/test-tokens.ts';
import { waitFor } from '../support/wait-for.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function node(over: Parameters<typeof startDelivery>[0] = {}) {
  const n = await startDelivery(over);
  cleanup.push(() => removeDir(n.dir));
  cleanup.push(() => n.stop());
  return n;
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer);
  cleanup.push(() => r.stop());
  return r;
}

async function subscribe(baseUrl: string, who: keyof typeof TOKENS, body: unknown) {
  const res = await fetch(`${baseUrl}/v1/alerts/webhooks`, {
    method: 'POST',
    headers: { ...bearer(who), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('alert webhooks', () => {
  it('deliver a notice to a real receiver with a signature that verifies under the node vkey', async () => {
    const n = await node();
    const r = await receiver();
    const sub = await subscribe(n.url, 'maker', { url: r.url });
    expect(sub.status).toBe(201);
    const sent = notice([GLN.maker, GLN.pharmacy]);
    n.delivery.publish(sent);

    await waitFor('the delivery', () => r.received.length === 1, { timeoutMs: 5_000 });
    const got = r.received[0]!;
    const vkey = formatVerifierKey('ledger.test/custody', n.key.verifyingKey.bytes);
    const check = verifyAlertDelivery(got.headers, got.body, vkey);
    expect(check).toMatchObject({
      valid: true,
      id: `alert.raised:${sent.alertId}:${sent.seq}`,
      body: { type: 'alert.raised', data: { alertId: sent.alertId, seq: sent.seq, alert: sent.alert } },
    });
    expect(got.body).not.toContain(GLN.pharmacy); // the audience is nobody's business
    await waitFor('the outbox to empty', () => n.delivery.store.outboxCounts().pending === 0);
    const metrics = await n.http.metrics.getSingleMetricAsString('ledger_alert_deliveries_total');
    expect(metrics).toMatch(/outcome="ok"[^\n]* 1$/m);
  });

  it('retry a failing receiver with the same id and body until it answers 2xx, each attempt signed', async () => {
    const n = await node();
    const r = await receiver((i) => (i <= 2 ? 503 : 204));
    await subscribe(n.url, 'maker', { url: r.url });
    n.delivery.publish(notice([GLN.maker]));

    await waitFor('three attempts', () => r.received.length === 3, { timeoutMs: 10_000 });
    await waitFor('the outbox to empty', () => n.delivery.store.outboxCounts().pending === 0);
    expect(new Set(r.ids()).size).toBe(1);
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
    for (const x of r.received) {
      expect(verifyAlertDelivery(x.headers, x.body, n.key.verifyingKey.bytes).valid).toBe(true);
    }
    expect(await n.http.metrics.getSingleMetricAsString('ledger_alert_delivery_retries_total')).toMatch(
      / 2$/m,
    );
  });

  it('give a delivery up after the bound of attempts and keep it as failed', async () => {
    const n = await node({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    const r = await receiver(() => 500);
    await subscribe(n.url, 'maker', { url: r.url });
    n.delivery.publish(notice([GLN.maker]));
    await waitFor('the delivery given up', () => n.delivery.store.outboxCounts().failed === 1);
    expect(r.received).toHaveLength(3);
    const listed = await fetch(`${n.url}/v1/alerts/webhooks`, { headers: bearer('maker') });
    expect(((await listed.json()) as { webhooks: unknown[] }).webhooks).toMatchObject([
      { pending: 0, failed: 1 },
    ]);
  });

  it('redeliver after a restart what was pending, and never again what was delivered', async () => {
    let up = true;
    const r = await receiver(() => (up ? 200 : 503));
    const first = await startDelivery();
    cleanup.push(() => removeDir(first.dir));
    await subscribe(first.url, 'maker', { url: r.url });
    const delivered = notice([GLN.maker]);
    first.delivery.publish(delivered);
    await waitFor(
      'the first delivery',
      () => first.delivery.store.outboxCounts().pending === 0 && r.received.length === 1,
    );
    up = false;
    const pending = notice([GLN.maker]);
    first.delivery.publish(pending);
    await waitFor('a failed attempt', () => r.received.length >= 2);
    await first.stop();
    expect(first.delivery.store).toBeDefined();

    up = true;
    const again = await node({ dir: first.dir, key: first.key });
    // A re-fold after a crash publishes again what it folded before: a no-op.
    expect(again.delivery.publish(delivered)).toBeUndefined();
    await waitFor('the pending delivery', () => again.delivery.store.outboxCounts().pending === 0);
    const key = (x: typeof delivered) => `alert.raised:${x.alertId}:${x.seq}`;
    expect(r.ids().filter((id) => id === key(delivered))).toHaveLength(1);
    expect(r.ids().at(-1)).toBe(key(pending));
    expect(
      verifyAlertDelivery(r.received.at(-1)!.headers, r.received.at(-1)!.body, first.key.verifyingKey.bytes)
        .valid,
    ).toBe(true);
  });

  it('take a folded batch in one call: one result per notice, repeats (in the batch or before) ignored', async () => {
    const n = await node();
    const r = await receiver();
    await subscribe(n.url, 'maker', { url: r.url });
    const before = notice([GLN.maker]);
    n.delivery.publish(before);
    const a = notice([GLN.maker]);
    const b = notice([GLN.distributor]);
    const results = n.delivery.publishAll([a, before, b, a]);
    expect(results.map((x) => x?.queued)).toEqual([1, undefined, 0, undefined]);
    await waitFor(
      'both deliveries',
      () => n.delivery.store.outboxCounts().pending === 0 && r.received.length === 2,
    );
    expect(r.ids()).toEqual([before, a].map((x) => `alert.raised:${x.alertId}:${x.seq}`));
    expect(() => n.delivery.publishAll([notice([GLN.maker]), { ...a, seq: -1 }])).toThrow(/seq/);
    expect(n.delivery.store.lastNoticeId()).toBe(3); // a malformed notice stores none of its batch
  });

  it('send only to parties in the audience (and regulators), never to another party', async () => {
    const n = await node();
    const maker = await receiver();
    const distributor = await receiver();
    const regulator = await receiver();
    await subscribe(n.url, 'maker', { url: maker.url });
    await subscribe(n.url, 'distributor', { url: distributor.url });
    await subscribe(n.url, 'regulator', { url: regulator.url });
    const forMaker = notice([GLN.maker, GLN.pharmacy]);
    const forDistributor = notice([GLN.distributor]);
    n.delivery.publish(forMaker);
    n.delivery.publish(forDistributor);

    await waitFor(
      'every delivery done',
      () => n.delivery.store.outboxCounts().pending === 0 && regulator.received.length === 2,
    );
    // With the outbox empty nothing more can come: what each got is all it will ever get of these.
    expect(maker.ids()).toEqual([`alert.raised:${forMaker.alertId}:${forMaker.seq}`]);
    expect(distributor.ids()).toEqual([`alert.raised:${forDistributor.alertId}:${forDistributor.seq}`]);
    expect(regulator.ids()?.sort()).toEqual([...maker.ids(), ...distributor.ids()].sort());
  });

  it('keep delivering to live endpoints while a dead one holds its connection', async () => {
    const n = await node({ timeoutMs: 120_000 });
    const dead = await receiver(() => 'hang');
    const live = await receiver();
    await subscribe(n.url, 'maker', { url: dead.url });
    await subscribe(n.url, 'regulator', { url: live.url });
    for (let i = 0; i < 3; i++) n.delivery.publish(notice([GLN.maker]));

    // Done means recorded: the outbox holds the dead endpoint's three only.
    const done = () => live.received.length === 3 && n.delivery.store.outboxCounts().pending === 3;
    await waitFor('the live endpoint to get all three', () => done() && dead.received.length === 1, {
      timeoutMs: 10_000,
    });
    // The dead endpoint holds one attempt (one at a time per endpoint); its three wait in the outbox.
    expect(dead.received).toHaveLength(1);
    expect(n.delivery.store.outboxCounts().pending).toBe(3);
    // Stopping ends the hung attempt at once (not after its 120 s timeout) and counts it against no one.
    await n.stop();
    const store = new DeliveryStore(join(n.dir, 'alert-delivery.sqlite'));
    expect(store.due(Date.now(), 10, []).map((d) => d.attempts)).toEqual([0]);
    expect(store.outboxCounts().pending).toBe(3);
    store.close();
  });
});

describe('webhook addresses at delivery time', () => {
  it('refuse a name that resolves to a private address once the policy no longer allows it, saying why', async () => {
    const r = await receiver();
    const port = new URL(r.url).port;
    const open = await startDelivery();
    cleanup.push(() => removeDir(open.dir));
    expect((await subscribe(open.url, 'maker', { url: `http://localhost:${port}/hook` })).status).toBe(201);
    await open.stop();

    const strict = await node({ dir: open.dir, urlPolicy: {} });
    strict.delivery.publish(notice([GLN.maker]));
    const listed = await waitFor('a refused attempt', async () => {
      const res = await fetch(`${strict.url}/v1/alerts/webhooks`, { headers: bearer('maker') });
      const [w] = ((await res.json()) as { webhooks: { lastError?: string; pending: number }[] }).webhooks;
      return w?.lastError ? w : undefined;
    });
    expect(listed).toMatchObject({
      pending: 1,
      lastError: expect.stringMatching(/^host localhost: address .* is loopback or private$/),
    });
    expect(r.received).toHaveLength(0);
  });
});

describe('webhook subscriptions', () => {
  it('refuse unfit URLs and secrets naming the field, and pharmacists', async () => {
    const n = await node({ urlPolicy: {} });
    const metadata = await subscribe(n.url, 'maker', { url: 'http://169.254.169.254/latest/meta-data/' });
    expect(metadata.status).toBe(400);
    expect(metadata.body.errors).toEqual([{ field: 'url', reason: expect.stringMatching(/link-local/) }]);
    const loopback = await subscribe(n.url, 'maker', { url: 'http://127.0.0.1:1/hook' });
    expect(loopback.body.errors).toEqual([{ field: 'url', reason: expect.stringMatching(/loopback/) }]);
    const secret = await subscribe(n.url, 'maker', { url: 'https://partner.example/h', secret: 'hunter2' });
    expect(secret.body.errors).toEqual([{ field: 'secret', reason: expect.stringMatching(/whsec_/) }]);
    const extra = await subscribe(n.url, 'maker', { url: 'https://partner.example/h', events: ['x'] });
    expect(extra.body.errors).toEqual([{ field: 'events', reason: 'unknown field' }]);
    expect((await subscribe(n.url, 'pharmacist', { url: 'https://partner.example/h' })).status).toBe(403);
    const anonymous = await fetch(`${n.url}/v1/alerts/webhooks`);
    expect(anonymous.status).toBe(401);
  });

  it('list and delete only the caller party’s own webhooks, never showing a secret', async () => {
    const n = await node();
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const mine = await subscribe(n.url, 'maker', { url: 'http://127.0.0.1:9/mine', secret });
    const theirs = await subscribe(n.url, 'distributor', { url: 'http://127.0.0.1:9/theirs' });
    expect(mine.body).toMatchObject({ hasSecret: true, url: 'http://127.0.0.1:9/mine' });
    expect(JSON.stringify(mine.body)).not.toContain('whsec_');

    const list = await fetch(`${n.url}/v1/alerts/webhooks`, { headers: bearer('maker') });
    const listed = (await list.json()) as { webhooks: { id: string }[] };
    expect(listed.webhooks.map((w) => w.id)).toEqual([mine.body.id]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');

    const del = (who: keyof typeof TOKENS, id: unknown) =>
      fetch(`${n.url}/v1/alerts/webhooks/${String(id)}`, { method: 'DELETE', headers: bearer(who) });
    expect((await del('maker', theirs.body.id)).status).toBe(404);
    expect((await del('maker', mine.body.id)).status).toBe(204);
    expect((await del('maker', mine.body.id)).status).toBe(404);
    const after = await fetch(`${n.url}/v1/alerts/webhooks`, { headers: bearer('distributor') });
    expect(((await after.json()) as { webhooks: unknown[] }).webhooks).toHaveLength(1);
  });
});
