// Registry administration end to end, through the running partner services and never restarting one:
// a party added with `rxledger registry add-party` and to a pharmacy service's PARTNER_CONFIG posts an
// event the ledger accepts; a key rotated with `rotate-key` while its service keeps posting loses no
// event and leaves the old history verifiable offline; a revoked key's next event is rejected with the
// revocation's reason. Real broker, real ledger, the services' own file watch.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSigningKeyFile } from '@rxledger/events';
import { hashScannerKey, type PartyConfig } from '@rxledger/gateway';
import { checkDigit } from '@rxledger/gs1';
import { verifyBundle } from '@rxledger/verifier';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { registryCommand } from '../services/ledger/src/cli/registry/registry-command.ts';
import { GLN, GTIN, startSystem, type TestSystem } from './support/system.ts';

const LAKESIDE = `500999900007${checkDigit('500999900007')}`;
const LAKESIDE_COUNTER = `500999900008${checkDigit('500999900008')}`;
const pack = (serial: string) => `(01)${GTIN}(21)${serial}`;
const packUri = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;

interface Health {
  config: { generation: number; refused?: { message: string } };
  parties: Array<{ gln: string; keyId: string; keyState: string; nextKeyId?: string }>;
}
interface EventState {
  state: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  reason?: { code: string; message: string };
}

describe('registry changes reach the running partner services', () => {
  const brokers = inject('kafkaBrokers');
  const channel = `reg-gw-${randomBytes(4).toString('hex')}`;
  let sys: TestSystem;
  let dir: string;
  let authorityFile: string;
  const lakesideScanner = `rxs_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    sys = await startSystem(brokers, { channel, partnerConfigs: true });
    dir = join(sys.configFile.manufacturer, '..');
    authorityFile = join(dir, 'authority.jwk');
    await writeSigningKeyFile(authorityFile, sys.authorityKey);
    await vi.waitFor(
      async () => expect((await health('manufacturer')).parties[0]?.keyState).toBe('REGISTERED'),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function registry(...args: string[]) {
    const out: string[] = [];
    const status = await registryCommand(
      [
        ...args,
        '--ledger',
        sys.ledgerUrl,
        `--token=${sys.regulatorToken}`,
        '--authority-key-file',
        authorityFile,
        '--brokers',
        brokers.join(','),
        '--channel',
        channel,
      ],
      (l) => out.push(l),
      (l) => out.push(l),
    );
    return { status, out: out.join('\n') };
  }
  async function health(kind: 'manufacturer' | 'pharmacy'): Promise<Health> {
    return (await (await fetch(`${sys.urls[kind]}/healthz`)).json()) as Health;
  }
  async function editConfig(
    kind: 'manufacturer' | 'pharmacy',
    edit: (parties: PartyConfig[]) => PartyConfig[],
  ) {
    const file = sys.configFile[kind];
    const { parties } = JSON.parse(await readFile(file, 'utf8')) as { parties: PartyConfig[] };
    const before = (await health(kind)).config.generation;
    // As an editor saves: a new file renamed over the old one.
    await writeFile(`${file}.tmp`, JSON.stringify({ parties: edit(parties) }, null, 2));
    await rename(`${file}.tmp`, file);
    await vi.waitFor(async () => expect((await health(kind)).config.generation).toBeGreaterThan(before), {
      timeout: 10_000,
      interval: 50,
    });
    expect((await health(kind)).config.refused).toBeUndefined();
  }
  /** Posts through a service as a scanner; the eventIds of the 202. */
  async function post(url: string, scannerKey: string, events: object[]): Promise<string[]> {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scannerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const body = (await res.json()) as { eventIds: string[] };
    expect(res.status, JSON.stringify(body)).toBe(202);
    return body.eventIds;
  }
  /** The ledger's verdict on an event, asked through the service's status endpoint. */
  async function settled(url: string, scannerKey: string, id: string): Promise<EventState> {
    let state: EventState = { state: 'PENDING' };
    await vi.waitFor(
      async () => {
        const res = await fetch(`${url}/v1/events/${id}`, {
          headers: { authorization: `Bearer ${scannerKey}` },
        });
        state = (await res.json()) as EventState;
        expect(state.state).not.toBe('PENDING');
      },
      { timeout: 30_000, interval: 50 },
    );
    return state;
  }
  const maker = () => ({ url: sys.urls.manufacturer, key: sys.scanner[GLN.maker]! });
  const commission = (serial: string) => ({
    type: 'COMMISSION',
    items: [pack(serial)],
    lot: 'L1',
    expiry: '281231',
  });
  async function bundleVerifies(serial: string) {
    const res = await fetch(`${sys.ledgerUrl}/v1/provenance?item=${encodeURIComponent(packUri(serial))}`, {
      headers: { authorization: `Bearer ${sys.regulatorToken}` },
    });
    expect(res.status).toBe(200);
    const report = verifyBundle(await res.json(), {
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  }

  it('a party added with add-party and to the pharmacy service’s config posts events the ledger accepts', async () => {
    const keyFile = join(dir, 'lakeside.jwk');
    const added = await registry(
      'add-party',
      '--gln',
      LAKESIDE,
      '--name',
      'Lakeside Pharmacy',
      '--role',
      'PHARMACY',
      '--key-file',
      keyFile,
    );
    expect(added.out).toMatch(/^ACCEPTED registry-\S+ at log index \d+$/m);
    expect(added.status).toBe(0);
    await editConfig('pharmacy', (parties) => [
      ...parties,
      {
        gln: LAKESIDE,
        name: 'Lakeside Pharmacy',
        keyFile,
        scanners: [{ site: LAKESIDE_COUNTER, keyHash: hashScannerKey(lakesideScanner) }],
      },
    ]);

    const [commissioned, shipped] = await post(maker().url, maker().key, [
      commission('LAKE1'),
      { type: 'SHIP', items: [pack('LAKE1')], to: LAKESIDE },
    ]);
    const [received] = await post(sys.urls.pharmacy, lakesideScanner, [
      { type: 'RECEIVE', items: [pack('LAKE1')], from: GLN.maker },
    ]);
    for (const id of [commissioned!, shipped!]) {
      expect(await settled(maker().url, maker().key, id)).toMatchObject({ state: 'ACCEPTED' });
    }
    // Lakeside has no ledger token yet (the ledger's token file is not part of this), so its service
    // cannot ask for its events: the regulator asks the ledger.
    await vi.waitFor(
      async () => {
        const res = await fetch(`${sys.ledgerUrl}/v1/events/${received}?party=${LAKESIDE}`, {
          headers: { authorization: `Bearer ${sys.regulatorToken}` },
        });
        expect(await res.json()).toMatchObject({ state: 'ACCEPTED' });
      },
      { timeout: 30_000, interval: 50 },
    );
    await bundleVerifies('LAKE1');
  });

  let newKeyId: string;
  it('rotates a key while its service keeps posting: every event accepted, the old history verifies', async () => {
    const [before] = await post(maker().url, maker().key, [commission('BEFORE1')]);
    expect(await settled(maker().url, maker().key, before!)).toMatchObject({ state: 'ACCEPTED' });
    const oldKeyId = (await health('manufacturer')).parties[0]!.keyId;

    // The operator's path: name the new key file as nextKeyFile first (it need not exist yet), then
    // rotate-key writes it, registers it, waits for the service to sign with it, and revokes the old.
    const newKeyFile = join(dir, 'keys', 'maker-2.jwk');
    await editConfig('manufacturer', ([party]) => [{ ...party!, nextKeyFile: newKeyFile }]);
    let rotating = true;
    const posted: string[] = [];
    const traffic = (async () => {
      for (let i = 0; rotating; i++) {
        posted.push(...(await post(maker().url, maker().key, [commission(`DURING${i}`)])));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const rotated = await registry(
      'rotate-key',
      '--gln',
      GLN.maker,
      '--old-key-id',
      oldKeyId,
      '--new-key-file',
      newKeyFile,
      '--service',
      maker().url,
    ).finally(() => (rotating = false));
    await traffic;
    expect(rotated.out.match(/^ACCEPTED /gm)).toHaveLength(2);
    expect(rotated.status).toBe(0);

    const signing = (await health('manufacturer')).parties[0]!;
    newKeyId = signing.keyId;
    expect(newKeyId).not.toBe(oldKeyId);
    expect(signing.keyState).toBe('REGISTERED');
    expect(posted.length).toBeGreaterThan(1);
    const states = await Promise.all(posted.map((id) => settled(maker().url, maker().key, id)));
    expect(states.filter((s) => s.state !== 'ACCEPTED')).toEqual([]);

    const [after] = await post(maker().url, maker().key, [commission('AFTER1')]);
    expect(await settled(maker().url, maker().key, after!)).toMatchObject({ state: 'ACCEPTED' });
    await bundleVerifies('BEFORE1');
    await bundleVerifies('AFTER1');
  });

  it('a revoked key’s next event is rejected, and the status endpoint says why', async () => {
    const revoked = await registry('revoke-key', '--key-id', newKeyId, '--reason', 'laptop stolen');
    expect(revoked.status).toBe(0);
    const [id] = await post(maker().url, maker().key, [commission('STOLEN1')]);
    const state = await settled(maker().url, maker().key, id!);
    expect(state).toMatchObject({ state: 'REJECTED', reason: { code: 'KEY_REVOKED' } });
    expect(state.reason!.message).toContain('laptop stolen');
    await vi.waitFor(
      async () => expect((await health('manufacturer')).parties[0]?.keyState).toBe('REVOKED'),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
    // What the key signed before its revocation stays verifiable.
    await bundleVerifies('AFTER1');
  });
});
