import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CustodyEvent, SigningKey } from '@rxledger/events';
import { formatVerifierKey, fromBase64, leafHash, verifyCheckpoint, verifyInclusion } from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService, type LedgerService } from '../src/index.ts';
import { publishToChannel } from './support/publish.ts';
import { GLN, pack, sscc, TestChain } from './support/test-chain.ts';
import { testLedgerOptions } from './support/test-ledger.ts';
import { bearer, type TOKENS } from './support/test-tokens.ts';
import { waitFor } from './support/wait-for.ts';

const GTIN = '00614141123452';
const ORIGIN = 'answers.test/custody';

describe('ledger answers: verify, provenance, recall scope, rejections, roles', () => {
  const chain = new TestChain();
  const checkpointKey = SigningKey.generate();
  const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-answers-'));
  const t = Date.now() - 3_600_000;
  let n = 0;
  const values: Uint8Array[] = [chain.sign(chain.genesis(t - 60_000), chain.authority)];
  const add = (key: SigningKey, fields: Partial<CustodyEvent> & Pick<CustodyEvent, 'type'>) => {
    const party = chain.partyOf(key);
    const event = {
      eventId: `a${++n}`,
      eventTime: t + n * 1_000,
      eventTimeOffsetMinutes: 60,
      party,
      site: party,
      ...fields,
    } as CustodyEvent;
    values.push(chain.sign(event, key));
  };
  const CASE = sscc(1);

  // The story: 10 packs commissioned in lot L1 (expiry 2028-12-31), 2 in lot OLD (expired), cased,
  // shipped to the distributor, received, 6 shipped on to pharmacy 1, 2 to pharmacy 2.
  add(chain.maker, {
    type: 'COMMISSION',
    items: Array.from({ length: 10 }, (_, i) => pack(i)),
    lot: 'L1',
    expiry: '281231',
  });
  add(chain.maker, { type: 'COMMISSION', items: [pack(20), pack(21)], lot: 'OLD', expiry: '240131' });
  add(chain.maker, {
    type: 'AGGREGATE',
    parent: CASE,
    children: Array.from({ length: 8 }, (_, i) => pack(i)),
  });
  add(chain.maker, { type: 'SHIP', items: [CASE, pack(8), pack(9), pack(20)], to: GLN.distributor });
  add(chain.distributor, { type: 'RECEIVE', items: [CASE, pack(8), pack(9), pack(20)], from: GLN.maker });
  add(chain.distributor, { type: 'DISAGGREGATE', parent: CASE, children: [] });
  add(chain.distributor, {
    type: 'SHIP',
    items: [pack(0), pack(1), pack(2), pack(3), pack(4), pack(5), pack(20)],
    to: GLN.pharmacy,
  });
  add(chain.distributor, { type: 'SHIP', items: [pack(6), pack(7)], to: GLN.pharmacy2 });
  add(chain.pharmacy, {
    type: 'RECEIVE',
    items: [pack(0), pack(1), pack(2), pack(3), pack(4), pack(5), pack(20)],
    from: GLN.distributor,
  });
  add(chain.pharmacy2, { type: 'RECEIVE', items: [pack(6), pack(7)], from: GLN.distributor });
  add(chain.pharmacy, { type: 'DISPENSE', items: [pack(1)] });
  add(chain.pharmacy, { type: 'DECOMMISSION', items: [pack(2)], reason: 'stolen' });
  add(chain.pharmacy, { type: 'RECEIVE', items: [pack(9)], from: GLN.distributor }); // never shipped to it
  add(chain.pharmacy2, { type: 'DISPENSE', items: [pack(8)] }); // held by the distributor, never by it
  add(chain.maker, { type: 'COMMISSION', items: [pack(30)], lot: 'R1', expiry: '281231' });
  add(chain.maker, { type: 'SHIP', items: [pack(30)], to: GLN.pharmacy });
  add(chain.pharmacy, { type: 'RECEIVE', items: [pack(30)], from: GLN.maker });
  add(chain.maker, { type: 'RECALL', gtin: GTIN, lot: 'R1', reason: 'sterility' });
  values.push(
    chain.sign(
      {
        type: 'DISPENSE',
        eventId: 'refused',
        eventTime: t,
        eventTimeOffsetMinutes: 0,
        party: GLN.distributor,
        site: GLN.distributor,
        items: [pack(3)],
      },
      chain.distributor,
    ),
  );

  let ledger: LedgerService;
  let url: string;
  beforeAll(async () => {
    const channel = `answers-${process.pid}-${Date.now() % 100000}`;
    await publishToChannel(inject('kafkaBrokers'), channel, values);
    ledger = createLedgerService(
      testLedgerOptions(chain, {
        brokers: inject('kafkaBrokers'),
        channel,
        dataDir,
        checkpointKey,
        origin: ORIGIN,
      }),
    );
    url = await ledger.start();
    const node = ledger;
    await waitFor('the ledger to fold the topic', () => node.store.nextOffset() >= values.length, {
      describe: () => `at offset ${node.store.nextOffset()} of ${values.length}`,
    });
  });
  afterAll(async () => {
    await ledger?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (path: string, who?: keyof typeof TOKENS) => {
    const res = await fetch(`${url}${path}`, who ? { headers: bearer(who) } : {});
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { alerts?: Array<{ code: string }> },
    };
  };
  const verify = async (query: string, who: keyof typeof TOKENS = 'pharmacist') =>
    (await get(`/v1/verify?${query}`, who)).body;
  const codes = (answer: { alerts?: Array<{ code: string }> }) => answer.alerts?.map((a) => a.code);

  it('VERIFIED and dispensable: a pack the ledger has at the asking pharmacy', async () => {
    const answer = await verify(`gtin=${GTIN}&serial=S0&lot=L1&expiry=281231`);
    expect(answer).toEqual({
      verdict: 'VERIFIED',
      dispensable: true,
      status: 'ACTIVE',
      product: { gtin: GTIN, serial: 'S0', lot: 'L1', expiry: '281231' },
      alerts: [],
    });
  });

  it('reads the same pack from a DataMatrix element string and from a Digital Link URI', async () => {
    const gs = '\u001d';
    const scan = encodeURIComponent(`]d201${GTIN}21S0${gs}10L1${gs}17281231`);
    expect(await verify(`scan=${scan}`)).toMatchObject({ verdict: 'VERIFIED', dispensable: true });
    const dl = encodeURIComponent(`https://example.com/01/${GTIN}/10/L1/21/S0?17=281231`);
    expect(await verify(`scan=${dl}`)).toMatchObject({
      verdict: 'VERIFIED',
      dispensable: true,
      product: { lot: 'L1' },
    });
  });

  it('produces every alert code from its scenario', async () => {
    expect(await verify('gtin=04012345123456&serial=S0')).toMatchObject({
      verdict: 'UNKNOWN',
      dispensable: false,
      status: 'UNKNOWN',
    });
    expect(codes(await verify('gtin=04012345123456&serial=S0'))).toEqual(['UNKNOWN_PRODUCT']);
    expect(await verify(`gtin=${GTIN}&serial=NOPE`)).toMatchObject({
      verdict: 'SUSPECT',
      dispensable: false,
      status: 'UNKNOWN',
      alerts: [{ code: 'UNKNOWN_SERIAL' }],
    });
    expect(await verify(`gtin=${GTIN}&serial=S0&lot=L2`)).toMatchObject({
      verdict: 'SUSPECT',
      dispensable: false,
      alerts: [{ code: 'LOT_MISMATCH' }],
    });
    expect(codes(await verify(`gtin=${GTIN}&serial=S0&expiry=291231`))).toEqual(['EXPIRY_MISMATCH']);
    expect(await verify(`gtin=${GTIN}&serial=S20`)).toMatchObject({
      verdict: 'VERIFIED',
      dispensable: false,
      alerts: [{ code: 'EXPIRED' }],
    });
    expect(await verify(`gtin=${GTIN}&serial=S1`)).toMatchObject({
      verdict: 'SUSPECT',
      status: 'DISPENSED',
      alerts: [{ code: 'ALREADY_DISPENSED' }],
    });
    expect(await verify(`gtin=${GTIN}&serial=S2`)).toMatchObject({
      verdict: 'SUSPECT',
      status: 'DECOMMISSIONED',
      alerts: [{ code: 'DECOMMISSIONED' }],
    });
    expect(await verify(`gtin=${GTIN}&serial=S30`)).toMatchObject({
      verdict: 'VERIFIED',
      dispensable: false,
      status: 'RECALLED',
      alerts: [{ code: 'RECALLED' }],
    });
    expect(await verify(`gtin=${GTIN}&serial=S6`)).toMatchObject({
      verdict: 'SUSPECT',
      dispensable: false,
      alerts: [{ code: 'CUSTODY_MISMATCH' }],
    });
    expect(codes(await verify(`gtin=${GTIN}&serial=S9`))).toEqual(['CHAIN_ANOMALY']);
  });

  it('tells a pharmacist that a pack is elsewhere without naming where; a regulator learns where', async () => {
    const pharmacist = await verify(`gtin=${GTIN}&serial=S6`);
    expect(JSON.stringify(pharmacist)).not.toContain(GLN.pharmacy2);
    const regulator = await verify(`gtin=${GTIN}&serial=S6&at=${GLN.pharmacy}`, 'regulator');
    expect(JSON.stringify(regulator)).toContain(GLN.pharmacy2);
  });

  it('refuses malformed verify input naming the parameter and the reason', async () => {
    const bad = await get(`/v1/verify?gtin=00614141123453&serial=S0`, 'pharmacist');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'gtin', reason: expect.stringMatching(/check digit/) }]);
    expect((await get('/v1/verify?serial=S0', 'pharmacist')).status).toBe(400);
    expect((await get(`/v1/verify?gtin=${GTIN}&serial=S0&bogus=1`, 'pharmacist')).status).toBe(400);
    const scan = await get(`/v1/verify?scan=${encodeURIComponent(']d2garbage')}`, 'pharmacist');
    expect(scan.status).toBe(400);
    expect((scan.body.errors as Array<{ field: string }>)[0]!.field).toBe('scan');
  });

  it('serves a provenance bundle whose every leaf is proven against its signed checkpoint', async () => {
    const { status, body } = await get(`/v1/provenance?item=${encodeURIComponent(pack(0))}`, 'regulator');
    expect(status).toBe(200);
    const bundle = body as unknown as {
      item: string;
      checkpoint: string;
      entries: Array<{ index: number; leaf: string; proof: string[] }>;
      registry: Array<{ index: number; leaf: string; proof: string[] }>;
      timeline: Array<{ index: number; type: string }>;
    };
    expect(bundle.item).toBe(pack(0));
    const cp = verifyCheckpoint(
      bundle.checkpoint,
      formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes),
    );
    // commission, aggregate, ship (case), receive (case), disaggregate, ship, receive
    expect(bundle.timeline.map((e) => e.type)).toEqual([
      'COMMISSION',
      'AGGREGATE',
      'SHIP',
      'RECEIVE',
      'DISAGGREGATE',
      'SHIP',
      'RECEIVE',
    ]);
    expect(bundle.registry.map((r) => r.index)).toEqual([0]);
    for (const e of [...bundle.entries, ...bundle.registry]) {
      const leaf = fromBase64(e.leaf);
      expect(() =>
        verifyInclusion(
          leafHash(leaf),
          e.index,
          cp.size,
          e.proof.map((p) => fromBase64(p)),
          cp.root,
        ),
      ).not.toThrow();
    }
  });

  it('gives the recall scope of a lot with each pack status and custodian', async () => {
    const { status, body } = await get(`/v1/recalls/scope?gtin=${GTIN}&lot=L1`, 'maker');
    expect(status).toBe(200);
    const packs = body.packs as Array<{ item: string; status: string; custodian: string }>;
    expect(body.count).toBe(10);
    expect(packs.find((p) => p.item === pack(1))).toMatchObject({
      status: 'DISPENSED',
      custodian: GLN.pharmacy,
    });
    expect(packs.find((p) => p.item === pack(6))).toMatchObject({
      status: 'ACTIVE',
      custodian: GLN.pharmacy2,
    });
    const recalled = await get(`/v1/recalls/scope?gtin=${GTIN}&lot=R1`, 'regulator');
    expect(recalled.body).toMatchObject({
      count: 1,
      recalls: [{ reason: 'sterility' }],
      packs: [{ status: 'RECALLED' }],
    });
  });

  it('lists rejections with reason, filtered by party and code', async () => {
    const { body } = await get(
      `/v1/rejections?party=${GLN.distributor}&reason=ROLE_NOT_ENTITLED`,
      'regulator',
    );
    expect(body.rejections).toEqual([
      expect.objectContaining({ eventId: 'refused', code: 'ROLE_NOT_ENTITLED', party: GLN.distributor }),
    ]);
    expect((await get('/v1/rejections?since=yesterday', 'regulator')).status).toBe(400);
    expect((await get('/v1/rejections', 'distributor')).body.rejections).toHaveLength(1);
    expect((await get('/v1/rejections', 'maker')).body.rejections).toHaveLength(0);
  });

  it('enforces the role matrix', async () => {
    const routes = {
      verify: `/v1/verify?gtin=${GTIN}&serial=S0&at=${GLN.pharmacy}`,
      provenance: `/v1/provenance?item=${encodeURIComponent(pack(0))}`,
      provenanceOfDirectDelivery: `/v1/provenance?item=${encodeURIComponent(pack(30))}`,
      recall: `/v1/recalls/scope?gtin=${GTIN}&lot=L1`,
      rejections: '/v1/rejections',
      rejectionsOfOther: `/v1/rejections?party=${GLN.distributor}`,
    };
    const matrix: Record<string, Record<keyof typeof routes, number>> = {
      none: {
        verify: 401,
        provenance: 401,
        provenanceOfDirectDelivery: 401,
        recall: 401,
        rejections: 401,
        rejectionsOfOther: 401,
      },
      pharmacist: {
        verify: 200,
        provenance: 403,
        provenanceOfDirectDelivery: 403,
        recall: 403,
        rejections: 403,
        rejectionsOfOther: 403,
      },
      pharmacist2: {
        verify: 403,
        provenance: 403,
        provenanceOfDirectDelivery: 403,
        recall: 403,
        rejections: 403,
        rejectionsOfOther: 403,
      },
      pharmacyService: {
        verify: 200,
        provenance: 200,
        provenanceOfDirectDelivery: 200,
        recall: 403,
        rejections: 200,
        rejectionsOfOther: 403,
      },
      pharmacy2Service: {
        verify: 403,
        provenance: 404,
        provenanceOfDirectDelivery: 404,
        recall: 403,
        rejections: 200,
        rejectionsOfOther: 403,
      },
      maker: {
        verify: 403,
        provenance: 200,
        provenanceOfDirectDelivery: 200,
        recall: 200,
        rejections: 200,
        rejectionsOfOther: 403,
      },
      distributor: {
        verify: 403,
        provenance: 200,
        provenanceOfDirectDelivery: 404,
        recall: 403,
        rejections: 200,
        rejectionsOfOther: 200,
      },
      regulator: {
        verify: 200,
        provenance: 200,
        provenanceOfDirectDelivery: 200,
        recall: 200,
        rejections: 200,
        rejectionsOfOther: 200,
      },
    };
    const seen: Record<string, Record<string, number>> = {};
    for (const who of Object.keys(matrix)) {
      seen[who] = {};
      for (const [name, path] of Object.entries(routes)) {
        seen[who]![name] = (
          await get(path, who === 'none' ? undefined : (who as keyof typeof TOKENS))
        ).status;
      }
    }
    expect(seen).toEqual(matrix);
    // A partner that never held a pack cannot tell it from one that does not exist.
    const never = await get(`/v1/provenance?item=${encodeURIComponent(pack(30))}`, 'distributor');
    const nothing = await get(`/v1/provenance?item=${encodeURIComponent(pack(99))}`, 'distributor');
    expect([never.status, never.body.error]).toEqual([
      404,
      expect.objectContaining({ code: 'UNKNOWN_ITEM' }),
    ]);
    expect(nothing.status).toBe(404);
  });

  it('a partner that forged a RECEIVE or a DISPENSE gets the same 404 as for a pack that does not exist', async () => {
    const raw = async (item: string, who: keyof typeof TOKENS) => {
      const res = await fetch(`${url}/v1/provenance?item=${encodeURIComponent(item)}`, {
        headers: bearer(who),
      });
      const headers = ['content-type', 'content-length', 'www-authenticate', 'etag', 'cache-control'];
      return { status: res.status, headers: headers.map((h) => res.headers.get(h)), body: await res.text() };
    };
    // The forged events are on the ledger, as evidence, with their anomalies.
    const regulator = await get(`/v1/provenance?item=${encodeURIComponent(pack(9))}`, 'regulator');
    expect(regulator.status).toBe(200);
    expect(JSON.stringify(regulator.body.status)).toContain('RECEIVE_WITHOUT_SHIPMENT');
    expect(codes(await verify(`gtin=${GTIN}&serial=S8`, 'regulator'))).toContain('CHAIN_ANOMALY');

    const absent = await raw(pack(99), 'pharmacyService');
    expect(absent.status).toBe(404);
    expect(JSON.parse(absent.body)).toMatchObject({ error: { code: 'UNKNOWN_ITEM' } });
    expect(await raw(pack(9), 'pharmacyService')).toEqual(absent); // forged RECEIVE
    expect(await raw(pack(8), 'pharmacy2Service')).toEqual(absent); // forged DISPENSE
    expect(await raw(pack(30), 'distributor')).toEqual(absent); // never held
    // The legitimate holders still read them.
    expect((await raw(pack(9), 'distributor')).status).toBe(200);
    expect((await raw(pack(8), 'maker')).status).toBe(200);
  });

  it('shows the registry to partners and regulators: parties, roles, keys and their validity', async () => {
    const { status, body } = await get('/v1/registry', 'regulator');
    expect(status).toBe(200);
    const parties = body.parties as Array<{
      gln: string;
      roles: string[];
      keys: Array<Record<string, string>>;
    }>;
    const maker = parties.find((p) => p.gln === GLN.maker)!;
    expect(maker.roles).toEqual(['MANUFACTURER']);
    expect(maker.keys).toEqual([
      expect.objectContaining({ keyId: chain.maker.keyId, publicKey: chain.maker.verifyingKey.toBase64() }),
    ]);
    expect(maker.keys[0]!.validFrom).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(body.authorityKey).toBe(chain.authority.verifyingKey.toBase64());
    expect((await get('/v1/registry', 'maker')).status).toBe(200);
    expect((await get('/v1/registry', 'pharmacist')).status).toBe(403);
    expect((await get('/v1/registry')).status).toBe(401);
    expect((await get('/v1/registry?x=1', 'regulator')).status).toBe(400);
  });

  it('publishes an OpenAPI document naming every route and the validated parameters', async () => {
    const { body } = await get('/v1/openapi.json');
    const paths = body.paths as Record<string, { get: { parameters: Array<{ name: string }> } }>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/verify',
        '/v1/provenance',
        '/v1/recalls/scope',
        '/v1/rejections',
        '/v1/events/{id}',
        '/v1/registry',
        '/v1/checkpoint',
        '/v1/proofs/inclusion',
        '/v1/proofs/consistency',
        '/v1/schemas',
      ]),
    );
    expect(paths['/v1/verify']!.get.parameters.map((p) => p.name)).toEqual([
      'scan',
      'gtin',
      'serial',
      'lot',
      'expiry',
      'at',
      'pharmacy',
    ]);
  });
});
