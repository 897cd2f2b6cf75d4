// The public log routes over a database whose checkpoint lags its leaves, as between two ticks of the
// checkpoint timer. No Kafka: records are folded straight in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoutesServer } from './support/routes-server.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { pack, TestChain } from './support/test-chain.ts';

describe('log routes', () => {
  const chain = new TestChain();
  const ledger = tempLedger(chain.authority.verifyingKey);
  let server: Awaited<ReturnType<typeof startRoutesServer>>;
  const commission = (n: number) =>
    chain.event(chain.maker, { type: 'COMMISSION', items: [pack(n)], lot: 'L', expiry: '281231' } as never);

  beforeAll(async () => {
    server = await startRoutesServer(ledger);
    ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
    ledger.folder.fold(Array.from({ length: 7 }, (_, i) => commission(i)));
    server.checkpointNow(); // signed at 8 leaves
    ledger.folder.fold(Array.from({ length: 4 }, (_, i) => commission(100 + i))); // 12, unsigned
  });
  afterAll(async () => {
    await server?.stop();
    ledger.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it('refuses proofs for tree sizes beyond the latest signed checkpoint, with the size it may ask for', async () => {
    expect(ledger.store.size()).toBe(12);
    expect((await get('/v1/proofs/inclusion?index=3&size=8')).status).toBe(200);
    expect((await get('/v1/proofs/consistency?from=3&to=8')).status).toBe(200);
    for (const path of ['/v1/proofs/inclusion?index=3&size=9', '/v1/proofs/consistency?from=3&to=12']) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.error?.code).toBe('BEYOND_LOG');
      expect(body.error?.message).toMatch(/beyond the latest signed checkpoint \(size 8\)/);
    }
  });

  it('reads numeric parameters only as canonical decimal integers, naming the parameter otherwise', async () => {
    for (const bad of ['', '0x4', '4e0', '04', '+4', ' 4', '4.0', '-1', '4,5', '99999999999999999']) {
      const res = await fetch(`${server.url}/v1/proofs/inclusion?index=${encodeURIComponent(bad)}&size=8`);
      const body = (await res.json()) as { errors?: Array<{ field: string }> };
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(body.errors?.map((e) => e.field)).toEqual(['index']);
    }
    const repeated = await get('/v1/proofs/consistency?from=1&from=2&to=8');
    expect(repeated.status).toBe(400);
    expect((await get('/v1/proofs/consistency?from=&to=8')).status).toBe(400);
    expect((await get('/v1/proofs/inclusion?index=4&size=8')).status).toBe(200);
  });
});
