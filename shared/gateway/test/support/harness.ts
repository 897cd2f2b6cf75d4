// What the gateway's and the three services' tests share: parties with real key files, a registry
// genesis to verify records against, a topic reader, a gateway started in-process, a fake ledger.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  admitRecord,
  applyRegistryEvent,
  type CustodyEvent,
  createRegistry,
  nobleEd25519,
  nodeEd25519,
  type RegistryChange,
  type RegistryState,
  type Role,
  SigningKey,
  writeSigningKeyFile,
} from '@rxledger/events';
import { createKafkaClient, custodyTopicName, setupCustodyTopic } from '@rxledger/kafka';
import { createLogger } from '@rxledger/runtime';
import { createGateway, type Gateway, type GatewayOptions, type PartnerProfile } from '../../src/gateway.ts';
import type { PartyConfig } from '../../src/partner-config.ts';
import { hashScannerKey } from '../../src/scanner-auth.ts';

/** GLNs and a GTIN with valid check digits (the same as shared/events' fixtures). */
export const GLN = {
  authority: '9520000000004',
  manufacturer: '4012345000009',
  plant: '4012345000016',
  distributor: '9501101530003',
  warehouse: '9501101530010',
  pharmacy: '9520000000011',
  counter: '9520000000028',
} as const;
export const GTIN = '04012345123456';
export const COMPANY_PREFIX = '4012345';

/** A pack as a scanner sends it: a bracketed element string. */
export const pack = (serial: string) => `(01)${GTIN}(21)${serial}`;
/** The same pack as the canonical Digital Link URI the service stores. */
export const packUri = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;
/** SSCCs with valid check digits. */
export const SSCC = ['(00)040123450000000016', '(00)040123450000000023'] as const;

export interface TestParty {
  gln: string;
  name: string;
  role: Role;
  site: string;
  key: SigningKey;
  /** The scanner key in clear, as a scanner holds it. */
  scannerKey: string;
  config: PartyConfig;
}

const PARTY_DEFAULTS: Record<
  'manufacturer' | 'distributor' | 'pharmacy',
  Omit<TestParty, 'key' | 'scannerKey' | 'config'>
> = {
  manufacturer: { gln: GLN.manufacturer, name: 'Acme Pharma', role: 'MANUFACTURER', site: GLN.plant },
  distributor: { gln: GLN.distributor, name: 'Wholesale AG', role: 'DISTRIBUTOR', site: GLN.warehouse },
  pharmacy: { gln: GLN.pharmacy, name: 'Corner Pharmacy', role: 'PHARMACY', site: GLN.counter },
};

/** Parties with fresh keys written as 0600 JWK files in a temporary folder; `cleanup` removes it. */
export async function makeParties(
  kinds: Array<keyof typeof PARTY_DEFAULTS>,
  opts: { ledgerToken?: string } = {},
): Promise<{ parties: Record<string, TestParty>; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rxledger-gateway-'));
  const parties: Record<string, TestParty> = {};
  for (const kind of kinds) {
    const base = PARTY_DEFAULTS[kind];
    const key = SigningKey.generate();
    const keyFile = join(dir, `${kind}.jwk`);
    await writeSigningKeyFile(keyFile, key);
    const scannerKey = `rxs_${randomBytes(24).toString('base64url')}`;
    parties[kind] = {
      ...base,
      key,
      scannerKey,
      config: {
        gln: base.gln,
        name: base.name,
        keyFile,
        ...(opts.ledgerToken ? { ledgerToken: opts.ledgerToken } : {}),
        scanners: [{ site: base.site, keyHash: hashScannerKey(scannerKey) }],
      },
    };
  }
  return { parties, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The registry a ledger would hold after a genesis that registers every given party and its key. */
export function genesisRegistry(parties: TestParty[]): RegistryState {
  const authority = SigningKey.generate();
  const addKey = (gln: string, key: SigningKey): RegistryChange => ({
    kind: 'AddKey',
    gln,
    keyId: key.keyId,
    publicKey: key.verifyingKey.bytes,
    validFrom: Date.UTC(2000, 0, 1),
  });
  const changes: RegistryChange[] = [
    { kind: 'AddParty', gln: GLN.authority, name: 'Authority', roles: ['AUTHORITY'], companyPrefixes: [] },
    addKey(GLN.authority, authority),
  ];
  for (const p of parties) {
    const companyPrefixes = p.role === 'MANUFACTURER' ? [COMPANY_PREFIX] : [];
    changes.push({ kind: 'AddParty', gln: p.gln, name: p.name, roles: [p.role], companyPrefixes });
    changes.push(addKey(p.gln, p.key));
  }
  const genesis: CustodyEvent = {
    eventId: 'genesis',
    eventTime: Date.UTC(2000, 0, 1),
    eventTimeOffsetMinutes: 0,
    party: GLN.authority,
    site: GLN.authority,
    type: 'REGISTRY',
    changes,
  };
  const result = applyRegistryEvent(createRegistry(authority.verifyingKey), genesis, authority.keyId);
  if (!result.ok) throw new Error(`genesis refused: ${result.message}`);
  return result.state;
}

/**
 * Checks one Kafka record value with the ledger's own admission rule under both Ed25519
 * implementations (no broker time here, so the time window is left to the ledger). Throws saying what failed.
 */
export function verifyRecord(registry: RegistryState, value: Uint8Array): CustodyEvent {
  let event: CustodyEvent | undefined;
  for (const ed of [nodeEd25519, nobleEd25519]) {
    const admission = admitRecord(value, { registry, ed });
    if (!admission.ok) throw new Error(`${ed.name}: ${admission.code}: ${admission.message}`);
    event = admission.event;
  }
  return event!;
}

/** A unique channel per test file, with its topic created. */
export async function freshChannel(brokers: string[], prefix: string): Promise<string> {
  const channel = `${prefix}-${randomBytes(4).toString('hex')}`;
  const kafka = createKafkaClient({ brokers, clientId: 'gateway-test-setup' });
  await setupCustodyTopic(kafka, { channel, replicationFactor: 1, minInsyncReplicas: 1 });
  return channel;
}

export interface TopicRecord {
  offset: number;
  key: string;
  value: Buffer;
}

/** Every record on the channel's topic, in order, from offset `from`. */
export async function readTopic(brokers: string[], channel: string, from = 0): Promise<TopicRecord[]> {
  const topic = custodyTopicName(channel);
  const kafka = createKafkaClient({ brokers, clientId: 'gateway-test-reader' });
  const admin = kafka.admin();
  await admin.connect();
  const high = Number((await admin.fetchTopicOffsets(topic))[0]?.high ?? 0);
  await admin.disconnect();
  if (high <= from) return [];
  const consumer = kafka.consumer({
    groupId: `reader-${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  const records: TopicRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${high} records`)), 30_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const offset = Number(message.offset);
            if (offset >= from) {
              records.push({
                offset,
                key: message.key?.toString() ?? '',
                value: message.value ?? Buffer.alloc(0),
              });
            }
            if (offset >= high - 1) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** The topic's end offset: how many records it holds. */
export async function topicEnd(brokers: string[], channel: string): Promise<number> {
  const admin = createKafkaClient({ brokers, clientId: 'gateway-test-offsets' }).admin();
  await admin.connect();
  try {
    return Number((await admin.fetchTopicOffsets(custodyTopicName(channel)))[0]?.high ?? 0);
  } finally {
    await admin.disconnect();
  }
}

/** A gateway for `profile` on 127.0.0.1:0 with a silent logger; resolves once it listens. */
export async function startGateway(
  profile: PartnerProfile,
  opts: Partial<GatewayOptions> & Pick<GatewayOptions, 'brokers' | 'channel' | 'parties'>,
): Promise<{ url: string; gateway: Gateway }> {
  const gateway = createGateway({
    ...profile,
    host: '127.0.0.1',
    port: 0,
    ledgerUrl: 'http://127.0.0.1:9',
    log: createLogger({ service: profile.name, level: 'silent' }),
    // The registry is read only where a test asks: a fake ledger's request log stays the test's own.
    registryPollMs: 0,
    ...opts,
  });
  const url = await gateway.start();
  return { url, gateway };
}

/** POSTs `{ events }` with the scanner key; returns status, headers and the parsed body. */
export async function postEvents(
  url: string,
  scannerKey: string | undefined,
  events: unknown[],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the service answered
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(scannerKey === undefined ? {} : { authorization: `Bearer ${scannerKey}` }),
    },
    body: JSON.stringify({ events }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** GETs `path` with the scanner key; returns status, headers and the parsed body. */
export async function getJson(
  url: string,
  path: string,
  scannerKey?: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the service answered
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${url}${path}`, {
    headers: scannerKey === undefined ? {} : { authorization: `Bearer ${scannerKey}` },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (e.g. /metrics)
  }
  return { status: res.status, headers: res.headers, body };
}

export interface FakeLedger {
  url: string;
  requests: Array<{ method: string; url: URL; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

/** A tiny HTTP server standing in for the ledger: records every request and answers with `handle`. */
export async function startFakeLedger(
  handle: (url: URL, req: IncomingMessage, res: ServerResponse) => void,
): Promise<FakeLedger> {
  const requests: FakeLedger['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://ledger');
    requests.push({ method: req.method ?? 'GET', url, headers: req.headers });
    handle(url, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
