// POST /v1/events with a body nested past the runtime's bound is refused before it is parsed.
import { MAX_JSON_DEPTH } from '@rxledger/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Gateway, PartnerProfile } from '../src/gateway.ts';
import { freshChannel, makeParties, startGateway, type TestParty } from './support/harness.ts';

const profile: PartnerProfile = { name: 'manufacturer', defaultPort: 0, acceptTypes: ['COMMISSION'] };

describe('deeply nested batches', () => {
  const brokers = inject('kafkaBrokers');
  let url: string;
  let gateway: Gateway;
  let acme: TestParty;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const channel = await freshChannel(brokers, 'deep');
    const made = await makeParties(['manufacturer']);
    acme = made.parties.manufacturer!;
    cleanup = made.cleanup;
    ({ url, gateway } = await startGateway(profile, { brokers, channel, parties: [acme.config] }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await cleanup?.();
  });

  it(`answers 400 JSON_TOO_DEEP for a batch nested deeper than ${MAX_JSON_DEPTH}, whatever field holds it`, async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    for (const body of [
      `{"events":[{"type":"COMMISSION","items":${deep(MAX_JSON_DEPTH)},"lot":"L1","expiry":"281231"}]}`,
      `{"events":${deep(500_000)}}`,
    ]) {
      const res = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.scannerKey}` },
        body,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('JSON_TOO_DEEP');
    }
  });
});
