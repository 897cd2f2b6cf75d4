// A scanner's retry after a 503 across a key rotation: the events whose publish Kafka refused were
// signed with the old key; by the time the scanner resends them that key is revoked. The partner
// service signs them again with its current key (same event bytes) and the ledger accepts them. An
// event Kafka did acknowledge before the rotation is resent byte for byte and gets no second leaf.
// Real broker (the topic is made to refuse records for a while), real ledger, real rotate-key.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeLedgerEntry, decodeSignedEvent, writeSigningKeyFile } from '@rxledger/events';
import type { PartyConfig } from '@rxledger/gateway';
import { createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { registryCommand } from '../services/ledger/src/cli/registry/registry-command.ts';
import { GLN, GTIN, startSystem, type TestSystem } from './support/system.ts';

// kafkajs' TOPIC_RESOURCE: Node's ESM loader cannot see that CommonJS export of kafkajs.
const TOPIC_RESOURCE = 2;
const pack = (serial: string) => `(01)${GTIN}(21)${serial}`;
const packUri = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;
const commission = (serial: string) => ({
  type: 'COMMISSION',
  eventId: `c-${serial}`,
  items: [pack(serial)],
  lot: 'L1',
  expiry: '281231',
});

interface Health {
  config: { generation: number; refused?: { message: string } };
  parties: Array<{ gln: string; keyId: string; keyState: string }>;
}

describe('a retry after a 503 across a key rotation', () => {
  const brokers = inject('kafkaBrokers');
  const channel = `resign-${randomBytes(4).toString('hex')}`;
  const topic = custodyTopicName(channel);
  let sys: TestSystem;
  let admin: Admin;
  let dir: string;
  let authorityFile: string;

  beforeAll(async () => {
    sys = await startSystem(brokers, { channel, partnerConfigs: true });
    admin = createKafkaClient({ brokers, clientId: 'resign-test' }).admin();
    await admin.connect();
    dir = join(sys.configFile.manufacturer, '..');
    authorityFile = join(dir, 'authority.jwk');
    await writeSigningKeyFile(authorityFile, sys.authorityKey);
    await vi.waitFor(async () => expect((await health()).parties[0]?.keyState).toBe('REGISTERED'), {
      timeout: 30_000,
      interval: 100,
    });
  });
  afterAll(async () => {
    await admin?.disconnect();
    await sys?.stop();
  });

  const maker = () => ({ url: sys.urls.manufacturer, key: sys.scanner[GLN.maker]! });
  async function health(): Promise<Health> {
    return (await (await fetch(`${sys.urls.manufacturer}/healthz`)).json()) as Health;
  }
  async function post(events: object[]) {
    const res = await fetch(`${maker().url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${maker().key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    return { status: res.status, body: (await res.json()) as { eventIds?: string[] } };
  }
  async function state(id: string) {
    const res = await fetch(`${maker().url}/v1/events/${id}`, {
      headers: { authorization: `Bearer ${maker().key}` },
    });
    return (await res.json()) as { state: string; reason?: { code: string; message: string } };
  }
  async function settled(id: string) {
    let last = await state(id);
    await vi.waitFor(
      async () => {
        last = await state(id);
        expect(last.state).not.toBe('PENDING');
      },
      { timeout: 30_000, interval: 50 },
    );
    return last;
  }
  /** The key id of every leaf of the pack's provenance, in log order. */
  async function leafKeys(serial: string): Promise<string[]> {
    const res = await fetch(`${sys.ledgerUrl}/v1/provenance?item=${encodeURIComponent(packUri(serial))}`, {
      headers: { authorization: `Bearer ${sys.regulatorToken}` },
    });
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as { entries: Array<{ leaf: string }> };
    return bundle.entries.map((e) => {
      const entry = decodeLedgerEntry(Buffer.from(e.leaf, 'base64'));
      return decodeSignedEvent(entry.signedEvent).keyId;
    });
  }
  /**
   * Sets the topic's record size limit. alterConfigs replaces every override of the topic, so the
   * others (unlimited retention, LogAppendTime, ...) are written back with it.
   */
  async function setMaxMessageBytes(value: string | undefined) {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic }],
    });
    const overrides = (described.resources[0]?.configEntries ?? []).filter(
      (e) => !e.isDefault && e.configName !== 'max.message.bytes',
    );
    const configEntries = overrides.map((e) => ({ name: e.configName, value: e.configValue }));
    if (value !== undefined) configEntries.push({ name: 'max.message.bytes', value });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic, configEntries }],
    });
  }
  async function editConfig(edit: (parties: PartyConfig[]) => PartyConfig[]) {
    const file = sys.configFile.manufacturer;
    const { parties } = JSON.parse(await readFile(file, 'utf8')) as { parties: PartyConfig[] };
    const before = (await health()).config.generation;
    await writeFile(`${file}.tmp`, JSON.stringify({ parties: edit(parties) }, null, 2));
    await rename(`${file}.tmp`, file);
    await vi.waitFor(async () => expect((await health()).config.generation).toBeGreaterThan(before), {
      timeout: 10_000,
      interval: 50,
    });
    expect((await health()).config.refused).toBeUndefined();
  }
  async function rotateKey(oldKeyId: string, newKeyFile: string) {
    const out: string[] = [];
    const status = await registryCommand(
      [
        'rotate-key',
        '--gln',
        GLN.maker,
        '--old-key-id',
        oldKeyId,
        '--new-key-file',
        newKeyFile,
        '--service',
        maker().url,
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
    expect(status, out.join('\n')).toBe(0);
    expect(out.join('\n').match(/^ACCEPTED /gm)).toHaveLength(2);
  }

  it('signs the refused events again with the new key, and leaves an acknowledged one as it was', async () => {
    const acked = commission('ACK1');
    expect((await post([acked])).status).toBe(202);
    expect(await settled(acked.eventId)).toMatchObject({ state: 'ACCEPTED' });
    const oldKeyId = (await health()).parties[0]!.keyId;

    // The broker refuses every record (they are all larger than this), so nothing of a refused post
    // can be on the topic. The limit takes effect on the broker a moment after alterConfigs answers:
    // posts go on until one is refused.
    await setMaxMessageBytes('64');
    let refused: object[] | undefined;
    for (let i = 0; refused === undefined; i++) {
      const events = [commission(`LATE${i}A`), commission(`LATE${i}B`)];
      const res = await post(events);
      if (res.status === 503) refused = events;
      else expect(res.status).toBe(202);
      expect(i, 'the topic never refused a record').toBeLessThan(200);
    }
    await setMaxMessageBytes(undefined);

    // The operator rotates: new key registered, the service switches to it, the old key is revoked.
    const newKeyFile = join(dir, 'keys', 'maker-2.jwk');
    await editConfig(([party]) => [{ ...party!, nextKeyFile: newKeyFile }]);
    await rotateKey(oldKeyId, newKeyFile);
    const newKeyId = (await health()).parties[0]!.keyId;
    expect(newKeyId).not.toBe(oldKeyId);

    // The scanner retries both: the refused batch (until the topic takes records again) and, as
    // scanners do after a lost answer, the acknowledged event.
    const ids = refused.map((e) => (e as { eventId: string }).eventId);
    await vi.waitFor(
      async () => {
        const res = await post(refused!);
        expect(res.status).toBe(202);
        expect(res.body.eventIds).toEqual(ids);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect((await post([acked])).status).toBe(202);
    for (const id of ids) expect(await settled(id)).toMatchObject({ state: 'ACCEPTED' });
    for (const serial of ids.map((id) => id.slice(2))) expect(await leafKeys(serial)).toEqual([newKeyId]);

    // One total order: once an event posted after the resend is folded, the resend was folded too.
    const marker = commission('MARK1');
    expect((await post([marker])).status).toBe(202);
    expect(await settled(marker.eventId)).toMatchObject({ state: 'ACCEPTED' });
    expect(await leafKeys('ACK1')).toEqual([oldKeyId]);
    expect(await state(acked.eventId)).toMatchObject({ state: 'ACCEPTED' });
  }, 120_000);
});
