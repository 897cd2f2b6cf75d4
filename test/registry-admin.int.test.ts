// Registry administration against a running system on the real broker: the `rxledger registry`
// commands, driven in-process, add a party, rotate a key and revoke one, and the ledger's answers and
// admission follow.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  readSigningKeyFile,
  type SigningKey,
  signEvent,
  writeSigningKeyFile,
  SigningKey as Keys,
} from '@rxledger/events';
import { checkDigit } from '@rxledger/gs1';
import { createIdempotentProducer, createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import { verifyBundle } from '@rxledger/verifier';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { registryCommand } from '../services/ledger/src/cli/registry/registry-command.ts';
import { registryClient } from '../services/ledger/src/cli/registry/registry-client.ts';
import type { RegistryAnswer } from '../services/ledger/src/cli/registry/registry-client.ts';
import { waitForOutcome } from '../services/ledger/src/cli/registry/publish-registry-event.ts';
import { GLN, GTIN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

const NEW_PHARMACY = `500999900005${checkDigit('500999900005')}`;
/** The same GLN with its check digit off by one. */
const BAD_GLN = `${NEW_PHARMACY.slice(0, 12)}${(Number(NEW_PHARMACY[12]) + 1) % 10}`;
const packUri = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;

describe('rxledger registry against a running system', () => {
  const brokers = inject('kafkaBrokers');
  const channel = `registry-${randomBytes(4).toString('hex')}`;
  let sys: TestSystem;
  let dir: string;
  let authorityFile: string;

  beforeAll(async () => {
    sys = await startSystem(brokers, { channel });
    dir = await mkdtemp(join(tmpdir(), 'rxledger-registry-'));
    authorityFile = join(dir, 'authority.jwk');
    await writeSigningKeyFile(authorityFile, sys.authorityKey);
    // The commands find the authority party in the folded registry: wait for the genesis.
    await vi.waitFor(async () => expect((await listed()).parties.length).toBeGreaterThan(0), {
      timeout: 30_000,
      interval: 100,
    });
  });
  afterAll(async () => {
    await sys?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function registry(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await registryCommand(
      args,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { status, out: out.join('\n'), err: err.join('\n') };
  }
  // --token=VALUE: a test token may begin with '-', which would read as a flag otherwise.
  const reading = () => ['--ledger', sys.ledgerUrl, `--token=${sys.regulatorToken}`];
  const changing = () => [
    ...reading(),
    '--authority-key-file',
    authorityFile,
    '--brokers',
    brokers.join(','),
    '--channel',
    channel,
  ];
  async function listed(): Promise<RegistryAnswer> {
    const r = await registry('list', ...reading(), '--json');
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.out) as RegistryAnswer;
  }
  const keysOf = async (gln: string) => (await listed()).parties.find((p) => p.gln === gln)?.keys ?? [];

  /** Appends a COMMISSION by the manufacturer signed with `key`, straight to the topic; its outcome. */
  async function commissionSignedBy(key: SigningKey, serial: string) {
    const eventId = `commission-${serial}`;
    const event = {
      type: 'COMMISSION' as const,
      eventId,
      eventTime: Date.now(),
      eventTimeOffsetMinutes: 0,
      party: GLN.maker,
      site: GLN.makerSite,
      items: [packUri(serial)],
      lot: 'L9',
      expiry: '281231',
    };
    const value = encodeSignedEvent(signEvent(nodeEd25519, key, encodeCustodyEvent(event)));
    const producer = createIdempotentProducer(createKafkaClient({ brokers, clientId: 'registry-test' }));
    await producer.connect();
    await producer.send({
      topic: custodyTopicName(channel),
      acks: -1,
      messages: [{ value: Buffer.from(value) }],
    });
    await producer.disconnect();
    const ledger = registryClient(sys.ledgerUrl, sys.regulatorToken);
    return waitForOutcome(ledger, eventId, GLN.maker, 30_000);
  }

  it('lists the registry as a table: a line per party and per key', async () => {
    const r = await registry('list', ...reading());
    expect(r.status).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${GLN.maker}\\s+Acme Pharma\\s+MANUFACTURER\\s+0614141$`, 'm'));
    const [makerKey] = await keysOf(GLN.maker);
    expect(r.out).toContain(`    key ${makerKey!.keyId}  ${makerKey!.publicKey}  valid from `);
  });

  it('adds a party with its key; GET /v1/registry then shows it', async () => {
    const keyFile = join(dir, 'lakeside.jwk');
    const key = Keys.generate();
    await writeSigningKeyFile(keyFile, key);
    const r = await registry(
      'add-party',
      ...changing(),
      '--gln',
      NEW_PHARMACY,
      '--name',
      'Lakeside Pharmacy',
      '--role',
      'PHARMACY',
      '--key-file',
      keyFile,
    );
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^ACCEPTED registry-\S+ at log index \d+$/m);
    expect(r.status).toBe(0);
    const party = (await listed()).parties.find((p) => p.gln === NEW_PHARMACY);
    expect(party).toMatchObject({ name: 'Lakeside Pharmacy', roles: ['PHARMACY'], companyPrefixes: [] });
    expect(party!.keys).toEqual([
      expect.objectContaining({ keyId: key.keyId, publicKey: key.verifyingKey.toBase64() }),
    ]);
  });

  it('reports a change the ledger refuses as REJECTED with its reason, exit 1', async () => {
    const r = await registry(
      'add-party',
      ...changing(),
      '--gln',
      NEW_PHARMACY,
      '--name',
      'Again',
      '--role',
      'PHARMACY',
    );
    expect(r.out).toMatch(/^REJECTED registry-\S+: REGISTRY_REJECTED: .*already registered/m);
    expect(r.status).toBe(1);
  });

  it('refuses bad flags before publishing anything, naming the flag: exit 2', async () => {
    const badGln = await registry(
      'add-party',
      ...changing(),
      '--gln',
      BAD_GLN,
      '--name',
      'X',
      '--role',
      'PHARMACY',
    );
    expect(badGln.status).toBe(2);
    expect(badGln.err).toContain(`--gln "${BAD_GLN}" is not a GLN`);
    const badRole = await registry('set-roles', ...changing(), '--gln', NEW_PHARMACY, '--role', 'WHOLESALER');
    expect(badRole.status).toBe(2);
    expect(badRole.err).toContain('--role "WHOLESALER" is not a role');
    const badKey = await registry('add-key', ...changing(), '--gln', NEW_PHARMACY, '--public-key', 'AAAA');
    expect(badKey.status).toBe(2);
    expect(badKey.err).toMatch(/--public-key: .*32/);
    const unknownKey = await registry(
      'revoke-key',
      ...changing(),
      '--key-id',
      'ffffffffffffffff',
      '--reason',
      'x',
    );
    expect(unknownKey.status).toBe(2);
    expect(unknownKey.err).toContain('--key-id ffffffffffffffff is not a key in the ledger');
    const [makerKey] = await keysOf(GLN.maker);
    const unwritten = join(dir, 'never.jwk');
    const rotate = (...flags: string[]) =>
      registry('rotate-key', ...changing(), '--gln', GLN.maker, '--old-key-id', makerKey!.keyId, ...flags);
    const both = await rotate(
      '--new-key-file',
      unwritten,
      '--service',
      'http://127.0.0.1:7101',
      '--overlap',
      '5',
    );
    expect(both.status).toBe(2);
    expect(both.err).toContain('give --service URL (wait for the services) or --overlap SECONDS, not both');
    const badService = await rotate('--new-key-file', unwritten, '--service', 'ftp://x');
    expect(badService.status).toBe(2);
    expect(badService.err).toContain('--service "ftp://x" is not an http(s) URL');
    // Refused before the new key file is written.
    expect(existsSync(unwritten)).toBe(false);
    expect((await listed()).parties.find((p) => p.gln === NEW_PHARMACY)!.roles).toEqual(['PHARMACY']);
  });

  let rotatedTo: SigningKey;
  it('rotates a key: what the old key signed before still verifies, the new key signs from now', async () => {
    await postAccepted(sys, GLN.maker, [
      { type: 'COMMISSION', items: [`(01)${GTIN}(21)BEFORE1`], lot: 'L9', expiry: '281231' },
    ]);
    const [old] = await keysOf(GLN.maker);
    const newKeyFile = join(dir, 'keys', 'maker-2.jwk');
    expect(existsSync(newKeyFile)).toBe(false);
    const r = await registry(
      'rotate-key',
      ...changing(),
      '--gln',
      GLN.maker,
      '--old-key-id',
      old!.keyId,
      '--new-key-file',
      newKeyFile,
      // No partner service signs with the new key here (test/registry-gateway.int.test.ts has that).
      '--overlap',
      '0',
    );
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(statSync(newKeyFile).mode & 0o777).toBe(0o600);
    rotatedTo = (await readSigningKeyFile(newKeyFile)).key;

    const keys = await keysOf(GLN.maker);
    expect(keys.find((k) => k.keyId === old!.keyId)).toMatchObject({ revocationReason: 'rotated' });
    expect(keys.find((k) => k.keyId === rotatedTo.keyId)?.revokedAt).toBeUndefined();

    const res = await fetch(`${sys.ledgerUrl}/v1/provenance?item=${encodeURIComponent(packUri('BEFORE1'))}`, {
      headers: { authorization: `Bearer ${sys.regulatorToken}` },
    });
    expect(res.status).toBe(200);
    const report = verifyBundle(await res.json(), {
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);

    expect(await commissionSignedBy(rotatedTo, 'AFTER1')).toMatchObject({ state: 'ACCEPTED' });
  });

  it("revokes a key: the key's next event is REJECTED with the revocation and its reason", async () => {
    const r = await registry(
      'revoke-key',
      ...changing(),
      '--key-id',
      rotatedTo.keyId,
      '--reason',
      'laptop stolen',
    );
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect((await keysOf(GLN.maker)).find((k) => k.keyId === rotatedTo.keyId)).toMatchObject({
      revocationReason: 'laptop stolen',
    });
    const outcome = await commissionSignedBy(rotatedTo, 'AFTER2');
    expect(outcome).toMatchObject({ state: 'REJECTED', reason: { code: 'KEY_REVOKED' } });
    expect(JSON.stringify(outcome)).toContain('laptop stolen');
  });
});
