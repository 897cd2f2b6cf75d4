// A running gateway takes an edited PARTNER_CONFIG (a new scanner key, a new hosted party, a new key in
// a party's key file) without a restart, and refuses a bad edit with the field named while it keeps
// serving on the last good configuration. Real broker, real files, the file watch itself.
import { randomBytes } from 'node:crypto';
import { chmod, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSignedEvent, SigningKey, writeSigningKeyFile } from '@rxledger/events';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Gateway, PartnerProfile } from '../src/gateway.ts';
import type { PartyConfig } from '../src/partner-config.ts';
import { hashScannerKey } from '../src/scanner-auth.ts';
import {
  freshChannel,
  getJson,
  makeParties,
  pack,
  postEvents,
  readTopic,
  startGateway,
  type TestParty,
} from './support/harness.ts';

const profile: PartnerProfile = {
  name: 'manufacturer',
  defaultPort: 0,
  acceptTypes: ['COMMISSION', 'AGGREGATE', 'DISAGGREGATE', 'SHIP', 'DECOMMISSION', 'RECALL'],
};

describe('PARTNER_CONFIG reload without a restart', () => {
  const brokers = inject('kafkaBrokers');
  let channel: string;
  let url: string;
  let gateway: Gateway;
  let acme: TestParty;
  let other: TestParty;
  let dir: string;
  let configFile: string;
  let cleanup: () => Promise<void>;

  /** Writes the config as an editor would: a new file renamed over the old one. */
  async function writeConfig(parties: unknown[]): Promise<void> {
    const tmp = `${configFile}.${randomBytes(3).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify({ parties }, null, 2));
    await rename(tmp, configFile);
  }
  async function health() {
    return (await getJson(url, '/healthz')).body as {
      config: { generation: number; refused?: { message: string } };
      parties: Array<{ gln: string; keyId: string }>;
    };
  }
  const taken = (generation: number) =>
    vi.waitFor(async () => expect((await health()).config.generation).toBe(generation), {
      timeout: 10_000,
      interval: 50,
    });
  const refusedWith = (text: string) =>
    vi.waitFor(async () => expect((await health()).config.refused?.message).toContain(text), {
      timeout: 10_000,
      interval: 50,
    });
  const commission = (serial: string) => [
    { type: 'COMMISSION', eventId: `c-${serial}`, items: [pack(serial)], lot: 'L1', expiry: '281231' },
  ];
  async function keyIdOnTopic(eventId: string): Promise<string> {
    const records = await readTopic(brokers, channel);
    const record = records.find((r) => r.key === eventId);
    if (record === undefined) throw new Error(`${eventId} is not on the topic`);
    return decodeSignedEvent(record.value).keyId;
  }

  beforeAll(async () => {
    channel = await freshChannel(brokers, 'reload');
    const made = await makeParties(['manufacturer', 'distributor']);
    ({ dir, cleanup } = made);
    acme = made.parties.manufacturer!;
    other = made.parties.distributor!;
    configFile = join(dir, 'manufacturer.json');
    await writeConfig([acme.config]);
    ({ url, gateway } = await startGateway(profile, {
      brokers,
      channel,
      parties: [acme.config],
      configFile,
    }));
    expect((await health()).config.generation).toBe(1);
  });
  afterAll(async () => {
    await gateway?.stop();
    await cleanup?.();
  });

  it('takes a new scanner key: 401 before the edit, 202 after', async () => {
    const newKey = `rxs_${randomBytes(24).toString('base64url')}`;
    expect((await postEvents(url, newKey, commission('S1'))).status).toBe(401);
    const scanners = [...acme.config.scanners, { site: acme.site, keyHash: hashScannerKey(newKey) }];
    await writeConfig([{ ...acme.config, scanners }]);
    await taken(2);
    expect((await postEvents(url, newKey, commission('S1'))).status).toBe(202);
    expect((await postEvents(url, acme.scannerKey, commission('S2'))).status).toBe(202);
    acme = { ...acme, config: { ...acme.config, scanners } };
  });

  it('takes a new hosted party: its scanner posts, signed with its own key', async () => {
    expect((await postEvents(url, other.scannerKey, commission('O1'))).status).toBe(401);
    await writeConfig([acme.config, other.config]);
    await taken(3);
    expect((await postEvents(url, other.scannerKey, commission('O1'))).status).toBe(202);
    expect(await keyIdOnTopic('c-O1')).toBe(other.key.keyId);
  });

  it('takes a new key written into a party’s key file', async () => {
    const rotated = SigningKey.generate();
    await writeSigningKeyFile(acme.config.keyFile, rotated, { overwrite: true });
    await vi.waitFor(
      async () => expect((await health()).parties.find((p) => p.gln === acme.gln)?.keyId).toBe(rotated.keyId),
      { timeout: 10_000, interval: 50 },
    );
    expect((await postEvents(url, acme.scannerKey, commission('K1'))).status).toBe(202);
    expect(await keyIdOnTopic('c-K1')).toBe(rotated.keyId);
  });

  it('refuses a bad edit naming the field, and keeps serving on the last good configuration', async () => {
    const generation = (await health()).config.generation;
    await writeConfig([{ ...acme.config, gln: '4012345000001' }, other.config]);
    await refusedWith('parties[0].gln: must be a GLN-13 with a correct check digit');
    const metrics = (await getJson(url, '/metrics')).body as string;
    expect(metrics).toMatch(/^gateway_config_refused\{[^}]*\} 1$/m);
    expect(metrics).toMatch(/^gateway_config_reloads_total\{outcome="refused"[^}]*\} [1-9]/m);
    expect((await health()).config.generation).toBe(generation);
    expect((await postEvents(url, acme.scannerKey, commission('B1'))).status).toBe(202);

    // Mended: taken, and the refusal is gone from /healthz.
    await writeConfig([acme.config, other.config]);
    await taken(generation + 1);
    expect((await health()).config.refused).toBeUndefined();
  });

  it('refuses a key file others may read, naming the party and the field', async () => {
    const generation = (await health()).config.generation;
    const loose = join(dir, 'loose.jwk');
    await writeSigningKeyFile(loose, SigningKey.generate());
    await chmod(loose, 0o644);
    const party: PartyConfig = { ...other.config, nextKeyFile: loose };
    await writeConfig([acme.config, party]);
    await refusedWith(`party ${other.gln} (${other.name}): ${loose} is readable by group or others`);
    expect((await health()).config.refused?.message).toContain('(parties[1].nextKeyFile)');
    expect((await postEvents(url, other.scannerKey, commission('O2'))).status).toBe(202);
    expect(await keyIdOnTopic('c-O2')).toBe(other.key.keyId);
    expect((await health()).config.generation).toBe(generation);

    // Mending the key file alone, config untouched, is a change the service sees.
    await chmod(loose, 0o600);
    await taken(generation + 1);
    expect((await health()).config.refused).toBeUndefined();
  });

  it('reloads on demand (SIGHUP) and says whether the file was taken', async () => {
    await writeFile(configFile, '{"parties": [');
    expect(await gateway.reload()).toBe(false);
    expect((await health()).config.refused?.message).toContain('is not JSON (it ends too early or is empty)');
    await writeConfig([acme.config, other.config]);
    expect(await gateway.reload()).toBe(true);
    expect((await health()).config.refused).toBeUndefined();
  });
});
