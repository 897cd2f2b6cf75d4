import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORD_NAMES, rxledgerSchemas, SigningKey } from '@rxledger/events';
import {
  formatVerifierKey,
  fromBase64,
  leafHash,
  rootFromReader,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService, type LedgerService } from '../src/index.ts';
import { publishToChannel } from './support/publish.ts';
import { GLN, pack, TestChain } from './support/test-chain.ts';
import { testLedgerOptions } from './support/test-ledger.ts';
import { bearer } from './support/test-tokens.ts';

interface Proof {
  leafHash: string;
  proof: string[];
}

const ORIGIN = 'test.rxledger.dev/custody/service';

describe('ledger service on a real broker', () => {
  const chain = new TestChain();
  const checkpointKey = SigningKey.generate();
  const channel = `ledger-${process.pid}-${Date.now() % 100000}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-ledger-'));
  let ledger: LedgerService;
  let url: string;
  const now = Date.now();

  const values = [chain.sign(chain.genesis(now - 60_000), chain.authority)];
  values.push(...chain.commissions(0, 40, now));
  values.push(new Uint8Array([1, 2, 3]));
  values.push(
    chain.sign(
      {
        type: 'DISPENSE',
        eventId: 'bad-role',
        eventTime: now,
        eventTimeOffsetMinutes: 0,
        party: GLN.distributor,
        site: GLN.distributorSite,
        items: [pack(1)],
      },
      chain.distributor,
    ),
  );

  beforeAll(async () => {
    await publishToChannel(inject('kafkaBrokers'), channel, values);
    ledger = createLedgerService(
      testLedgerOptions(chain, {
        brokers: inject('kafkaBrokers'),
        channel,
        dataDir,
        checkpointKey,
        origin: ORIGIN,
        checkpointIntervalMs: 100,
      }),
    );
    url = await ledger.start();
  });

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('folds the topic, becomes ready, and signs a checkpoint of every leaf', async () => {
    await until(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));
    const note = await until(async () => {
      const res = await fetch(`${url}/v1/checkpoint`);
      const text = await res.text();
      return res.status === 200 && text.includes('\n41\n') ? text : undefined;
    });
    const cp = verifyCheckpoint(note, formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes), {
      origin: ORIGIN,
    });
    expect(cp.size).toBe(41);
  });

  it('counts what the fold thread committed on /metrics (the fold stage counts on the registry the HTTP stage serves)', async () => {
    const counted = (text: string, line: string) => text.split('\n').includes(line);
    const text = await until(async () => {
      const body = await (await fetch(`${url}/metrics`)).text();
      return counted(body, 'ledger_tree_size{service="ledger"} 41') ? body : undefined;
    });
    expect(counted(text, 'ledger_records_total{outcome="appended",service="ledger"} 41')).toBe(true);
    expect(counted(text, 'ledger_records_total{outcome="rejected",service="ledger"} 2')).toBe(true);
  });

  it('answers what became of an event: accepted with its index, rejected with its reason, or 404', async () => {
    expect(await (await fetch(`${url}/v1/events/c7`, { headers: bearer('regulator') })).json()).toEqual({
      eventId: 'c7',
      party: GLN.maker,
      state: 'ACCEPTED',
      index: 8,
    });
    const rejected = await (
      await fetch(`${url}/v1/events/bad-role`, { headers: bearer('regulator') })
    ).json();
    expect(rejected).toMatchObject({
      eventId: 'bad-role',
      state: 'REJECTED',
      reason: { code: 'ROLE_NOT_ENTITLED' },
    });
    expect((await fetch(`${url}/v1/events/never-sent`, { headers: bearer('regulator') })).status).toBe(404);
    expect((await fetch(`${url}/v1/events/c7`)).status).toBe(401);
    // A partner learns the fate of its own events only.
    expect((await fetch(`${url}/v1/events/c7`, { headers: bearer('maker') })).status).toBe(200);
    expect((await fetch(`${url}/v1/events/c7`, { headers: bearer('distributor') })).status).toBe(404);
    expect((await fetch(`${url}/v1/events/c7`, { headers: bearer('pharmacist') })).status).toBe(403);
  });

  it('holds an event-state request with ?wait= until the fold decides the event (a long poll)', async () => {
    // Asked before the event is even published: the answer comes when the fold commits it.
    const held = fetch(`${url}/v1/events/c40?wait=20`, { headers: bearer('regulator') });
    await new Promise((r) => setTimeout(r, 300));
    await publishToChannel(inject('kafkaBrokers'), channel, chain.commissions(40, 1));
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ eventId: 'c40', party: GLN.maker, state: 'ACCEPTED', index: 41 });
    // An event that never comes is 404 once the wait is over, as without one.
    const asked = performance.now();
    const never = await fetch(`${url}/v1/events/never-sent?wait=1`, { headers: bearer('regulator') });
    expect(never.status).toBe(404);
    expect(performance.now() - asked).toBeGreaterThanOrEqual(950);
    // Another party's event is not waited on into existence: the wait ends without it.
    const other = await fetch(`${url}/v1/events/c40?wait=1`, { headers: bearer('distributor') });
    expect(other.status).toBe(404);
    const bad = await fetch(`${url}/v1/events/c40?wait=31`, { headers: bearer('regulator') });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('wait');
  });

  it('serves inclusion and consistency proofs that verify against signed checkpoints', async () => {
    const note = await (await fetch(`${url}/v1/checkpoint`)).text();
    const cp = verifyCheckpoint(note, formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes));
    for (const index of [0, 1, 17, 40]) {
      const body = (await (
        await fetch(`${url}/v1/proofs/inclusion?index=${index}&size=${cp.size}`)
      ).json()) as Proof;
      const leaf = ledger.store.leaf(index)!.leaf;
      expect(fromBase64(body.leafHash)).toEqual(leafHash(leaf));
      expect(() =>
        verifyInclusion(
          leafHash(leaf),
          index,
          cp.size,
          body.proof.map((h) => fromBase64(h)),
          cp.root,
        ),
      ).not.toThrow();
    }
    const small = (await (await fetch(`${url}/v1/proofs/inclusion?index=0&size=7`)).json()) as Proof;
    expect(small.proof.length).toBe(3);
    const consistency = (await (
      await fetch(`${url}/v1/proofs/consistency?from=7&to=${cp.size}`)
    ).json()) as Proof;
    const root7 = rootFromReader(ledger.store.hashReader(), 7);
    expect(() =>
      verifyConsistency(
        7,
        cp.size,
        consistency.proof.map((h) => fromBase64(h)),
        root7,
        cp.root,
      ),
    ).not.toThrow();
  });

  it('refuses malformed proof requests with the parameter and the reason', async () => {
    const bad = await fetch(`${url}/v1/proofs/inclusion?index=x&size=3`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown }).errors).toEqual([
      { field: 'index', reason: 'index must be a whole number' },
    ]);
    const beyond = await fetch(`${url}/v1/proofs/inclusion?index=0&size=999999`);
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { error: { code: string } }).error.code).toBe('BEYOND_LOG');
    expect((await fetch(`${url}/v1/proofs/consistency?from=9&to=3`)).status).toBe(400);
  });

  it('serves every schema by fingerprint', async () => {
    const schemas = (await (await fetch(`${url}/v1/schemas`)).json()) as Record<string, unknown>;
    // Custody event, signed event v1 and v2 (batch-signed), ledger entry v1 and v2.
    expect(Object.keys(schemas).sort()).toEqual(
      rxledgerSchemas
        .list()
        .map((s) => s.fingerprint)
        .sort(),
    );
    expect(Object.keys(schemas)).toContain(rxledgerSchemas.get(RECORD_NAMES.signedEventV2)!.fingerprint);
    for (const fp of Object.keys(schemas)) expect(fp).toMatch(/^[0-9a-f]{16}$/);
  });
});
