// Recall scope and rejections answer a page at a time, with the total count and a cursor to the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoutesServer } from './support/routes-server.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, TestChain } from './support/test-chain.ts';
import { bearer, type TOKENS } from './support/test-tokens.ts';

const GTIN = '00614141123452';
const PACKS = 25;

describe('paged answers', () => {
  const chain = new TestChain();
  const ledger = tempLedger(chain.authority.verifyingKey);
  let server: Awaited<ReturnType<typeof startRoutesServer>>;

  beforeAll(async () => {
    server = await startRoutesServer(ledger);
    ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
    const items = Array.from({ length: PACKS }, (_, i) => pack(i));
    ledger.folder.fold([
      chain.event(chain.maker, { type: 'COMMISSION', items, lot: 'P', expiry: '281231' } as never),
      // 12 undecodable records and 3 a distributor may not sign: 15 rejections, 3 of them its own.
      ...Array.from({ length: 12 }, () => chain.record(new Uint8Array([1, 2, 3]))),
      ...Array.from({ length: 3 }, (_, i) =>
        chain.event(chain.distributor, { type: 'DISPENSE', items: [pack(i)] } as never),
      ),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
    ledger.close();
  });

  const get = async (
    path: string,
    who: keyof typeof TOKENS = 'regulator',
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the node answered
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${server.url}${path}`, { headers: bearer(who) });
    return { status: res.status, body: await res.json() };
  };

  /** Follows `next` from the first page to the last; returns every page's body. */
  const allPages = async (first: string, who?: keyof typeof TOKENS) => {
    const pages = [];
    for (let path: string | undefined = first; path !== undefined;) {
      const { status, body } = await get(path, who);
      expect(status, path).toBe(200);
      pages.push(body);
      path = body.next === undefined ? undefined : `${first}&after=${encodeURIComponent(body.next)}`;
      expect(pages.length).toBeLessThan(100);
    }
    return pages;
  };

  it('pages a recall scope in item order, every pack once, with the lot total on every page', async () => {
    const pages = await allPages(`/v1/recalls/scope?gtin=${GTIN}&lot=P&limit=10`);
    expect(pages.map((p) => p.packs.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.count)).toEqual([PACKS, PACKS, PACKS]);
    const items = pages.flatMap((p) => p.packs.map((x: { item: string }) => x.item));
    expect(items).toEqual(Array.from({ length: PACKS }, (_, i) => pack(i)).sort());
    expect(pages.at(-1).next).toBeUndefined();
    const whole = (await get(`/v1/recalls/scope?gtin=${GTIN}&lot=P`)).body;
    expect(whole.packs).toHaveLength(PACKS);
    expect(whole.next).toBeUndefined();
  });

  it('pages rejections newest first by Kafka offset, a partner seeing only its own', async () => {
    const pages = await allPages('/v1/rejections?limit=4');
    expect(pages.map((p) => p.rejections.length)).toEqual([4, 4, 4, 3]);
    expect(pages.every((p) => p.count === 15)).toBe(true);
    const offsets = pages.flatMap((p) => p.rejections.map((r: { offset: number }) => r.offset));
    expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
    expect(new Set(offsets).size).toBe(15);

    const own = await allPages('/v1/rejections?limit=2', 'distributor');
    expect(own.map((p) => p.count)).toEqual([3, 3]);
    expect(own.flatMap((p) => p.rejections.map((r: { party: string }) => r.party))).toEqual([
      GLN.distributor,
      GLN.distributor,
      GLN.distributor,
    ]);
  });

  it('refuses a page size or cursor out of bounds, naming the parameter', async () => {
    for (const path of [
      `/v1/recalls/scope?gtin=${GTIN}&lot=P&limit=0`,
      `/v1/recalls/scope?gtin=${GTIN}&lot=P&limit=1001`,
      `/v1/recalls/scope?gtin=${GTIN}&lot=P&after=not%20a%20cursor`,
      '/v1/rejections?limit=1e1',
      '/v1/rejections?after=0x10',
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(
        body.errors.map((e: { field: string }) => e.field),
        path,
      ).toEqual([path.includes('after') ? 'after' : 'limit']);
    }
  });
});
