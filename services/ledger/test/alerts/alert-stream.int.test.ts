// GET /v1/alerts/stream over real HTTP: role-scoped, resumable with Last-Event-ID, heartbeats, a
// bound on clients, and slow readers dropped instead of buffered.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { notice, openStream, removeDir, startDelivery } from '../support/alert-delivery-harness.ts';
import { GLN } from '../support/test-chain.ts';
import { bearer } from '../support/test-tokens.ts';
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

function stream(url: string, headers: Record<string, string>) {
  const s = openStream(url, headers);
  cleanup.push(() => s.close());
  return s;
}

const ids = (s: ReturnType<typeof stream>) =>
  s.notices().map((e) => JSON.parse(e.data!).data.alertId as string);

describe('the alert stream', () => {
  it('sends each client the notices of its own party only, and a regulator all', async () => {
    const n = await node();
    const pharmacist = stream(n.url, bearer('pharmacist'));
    const maker = stream(n.url, bearer('maker'));
    const regulator = stream(n.url, bearer('regulator'));
    await waitFor('three clients', () => n.delivery.stream.size === 3);
    const a = notice([GLN.pharmacy, GLN.maker]);
    const b = notice([GLN.distributor]);
    const c = notice([GLN.pharmacy2, GLN.maker]);
    for (const x of [a, b, c]) n.delivery.publish(x);
    const last = notice([GLN.pharmacy, GLN.maker, GLN.distributor, GLN.pharmacy2]);
    n.delivery.publish(last); // every client gets this one: once it has, it has had all it will get

    await waitFor('the last notice everywhere', () =>
      [pharmacist, maker, regulator].every((s) => ids(s).includes(last.alertId)),
    );
    expect(ids(pharmacist)).toEqual([a.alertId, last.alertId]);
    expect(ids(maker)).toEqual([a.alertId, c.alertId, last.alertId]);
    expect(ids(regulator)).toEqual([a.alertId, b.alertId, c.alertId, last.alertId]);
    expect(pharmacist.notices()[0]).toMatchObject({ event: 'alert.raised' });
    expect(pharmacist.headers()['content-type']).toMatch(/^text\/event-stream/);
  });

  it('resumes from Last-Event-ID with what the client missed, in its scope, then goes on live', async () => {
    const n = await node();
    const first = stream(n.url, bearer('pharmacist'));
    await waitFor('the client', () => n.delivery.stream.size === 1);
    const seen = notice([GLN.pharmacy]);
    n.delivery.publish(seen);
    await waitFor('the first notice', () => first.notices().length === 1);
    const lastId = first.notices()[0]!.id!;
    first.close();
    await waitFor('the client gone', () => n.delivery.stream.size === 0);

    const missed = notice([GLN.pharmacy]);
    const notMine = notice([GLN.maker]);
    const missedToo = notice([GLN.pharmacy]);
    for (const x of [missed, notMine, missedToo]) n.delivery.publish(x);
    const resumed = stream(n.url, { ...bearer('pharmacist'), 'last-event-id': lastId });
    await waitFor('the replay', () => resumed.notices().length === 2);
    const live = notice([GLN.pharmacy]);
    n.delivery.publish(live);
    await waitFor('the live notice', () => resumed.notices().length === 3);
    expect(ids(resumed)).toEqual([missed.alertId, missedToo.alertId, live.alertId]);
    expect(resumed.events.some((e) => e.event === 'alert.gap')).toBe(false);
  });

  it('says when Last-Event-ID is older than what it keeps (alert.gap), then replays what it has', async () => {
    const n = await node({ replayWindow: 2 });
    const published = [1, 2, 3, 4, 5].map(() => notice([GLN.pharmacy]));
    for (const x of published) n.delivery.publish(x);
    const s = stream(n.url, { ...bearer('pharmacist'), 'last-event-id': '1' });
    await waitFor('the replay', () => s.notices().length === 2);
    const gap = s.events.find((e) => e.event === 'alert.gap');
    expect(JSON.parse(gap!.data!)).toEqual({ after: 1, oldest: 4 });
    expect(ids(s)).toEqual([published[3]!.alertId, published[4]!.alertId]);
  });

  it('refuses a Last-Event-ID that is not one of its ids, naming the header', async () => {
    const n = await node();
    const res = await fetch(`${n.url}/v1/alerts/stream`, {
      headers: { ...bearer('regulator'), 'last-event-id': 'abc' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown }).errors).toEqual([
      { field: 'Last-Event-ID', reason: expect.stringMatching(/digits/) },
    ]);
    expect((await fetch(`${n.url}/v1/alerts/stream`)).status).toBe(401);
  });

  it('keeps an idle stream alive with heartbeats', async () => {
    const n = await node({ stream: { heartbeatMs: 50 } });
    const s = stream(n.url, bearer('regulator'));
    await waitFor('two heartbeats', () => s.events.filter((e) => e.comment === 'keep-alive').length >= 2);
  });

  it('answers 503 with Retry-After past its bound of clients', async () => {
    const n = await node({ stream: { maxClients: 1 } });
    stream(n.url, bearer('regulator'));
    await waitFor('the first client', () => n.delivery.stream.size === 1);
    const res = await fetch(`${n.url}/v1/alerts/stream`, { headers: bearer('regulator') });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
  });

  it('drops a client that does not read instead of buffering for it, and serves the others', async () => {
    const n = await node({ stream: { maxBufferedBytes: 64 * 1024 } });
    const reader = stream(n.url, bearer('regulator'));
    // A client that sends its request and then never reads a byte.
    const { port } = new URL(n.url);
    const stalled = connect(Number(port), '127.0.0.1');
    cleanup.push(() => void stalled.destroy());
    stalled.pause();
    stalled.write(
      `GET /v1/alerts/stream HTTP/1.1\r\nHost: x\r\nAuthorization: ${bearer('regulator').authorization}\r\n\r\n`,
    );
    await waitFor('both clients', () => n.delivery.stream.size === 2);

    const big = { note: 'x'.repeat(32 * 1024) };
    let sent = 0;
    // Socket buffers take some megabytes first; the bound is on what the node holds beyond them.
    while (n.delivery.stream.size === 2 && sent < 2_000) {
      n.delivery.publish(notice([GLN.maker], { alert: big }));
      sent++;
      await new Promise((r) => setImmediate(r));
    }
    expect(n.delivery.stream.size).toBe(1);
    await waitFor('the reader to get every notice', () => reader.notices().length === sent);
    expect(await n.http.metrics.getSingleMetricAsString('ledger_alert_stream_dropped_total')).toMatch(/ 1$/m);
  });
});
