import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PartnerProfile } from '../src/gateway.ts';
import { hashScannerKey } from '../src/scanner-auth.ts';
import {
  freshChannel,
  GLN,
  makeParties,
  pack,
  postEvents,
  readTopic,
  startGateway,
} from './support/harness.ts';

const profile: PartnerProfile = { name: 'manufacturer', defaultPort: 0, acceptTypes: ['COMMISSION'] };
const DOCK = '4012345000023';

describe('a gateway binds each scanner to its sites', () => {
  const brokers = inject('kafkaBrokers');
  const roaming = `rxs_${randomBytes(24).toString('base64url')}`;
  let channel: string;
  let url: string;
  let fixedKey: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    channel = await freshChannel(brokers, 'site');
    const made = await makeParties(['manufacturer']);
    const acme = made.parties.manufacturer!;
    fixedKey = acme.scannerKey;
    const config = {
      ...acme.config,
      scanners: [
        ...acme.config.scanners,
        { site: GLN.plant, sites: [DOCK], keyHash: hashScannerKey(roaming) },
      ],
    };
    const started = await startGateway(profile, { brokers, channel, parties: [config] });
    url = started.url;
    stop = async () => {
      await started.gateway.stop();
      await made.cleanup();
    };
  });
  afterAll(() => stop?.());

  const commission = (serial: string, site?: string) => ({
    type: 'COMMISSION',
    items: [pack(serial)],
    lot: 'L1',
    expiry: '271231',
    ...(site === undefined ? {} : { site }),
  });

  it('refuses an event naming another site with a 400 naming `site`, and publishes nothing', async () => {
    const res = await postEvents(url, fixedKey, [commission('S1'), commission('S2', GLN.warehouse)]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { index: 1, field: 'site', reason: `this scanner is bound to site ${GLN.plant}, not ${GLN.warehouse}` },
    ]);
    expect(await readTopic(brokers, channel)).toEqual([]);
  });

  it('takes the listed sites from a scanner whose entry lists several, and no other', async () => {
    const ok = await postEvents(url, roaming, [commission('S3', DOCK), commission('S4')]);
    expect(ok.status).toBe(202);
    const bad = await postEvents(url, roaming, [commission('S5', GLN.warehouse)]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ index: 0, field: 'site', reason: expect.stringContaining(DOCK) }]);
  });
});
