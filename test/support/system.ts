// A whole rxledger in one process on the test broker: a registry genesis on a fresh channel, a ledger
// node, and the three partner services hosting a manufacturer, a distributor and two pharmacies.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distributorProfile } from '@rxledger/distributor';
import {
  DEFAULT_LATENESS_MS,
  encodeCustodyEvent,
  encodeSignedEvent,
  genesisEvent,
  nodeEd25519,
  type Role,
  SigningKey,
  signEvent,
  writeSigningKeyFile,
} from '@rxledger/events';
import { createGateway, type Gateway, hashScannerKey, type PartnerProfile } from '@rxledger/gateway';
import {
  createIdempotentProducer,
  createKafkaClient,
  type KafkaSecurity,
  setupCustodyTopic,
} from '@rxledger/kafka';
import {
  createLedgerService,
  type LedgerService,
  type LedgerServiceOptions,
  type TokenFile,
  tokenHash,
} from '@rxledger/ledger';
import { manufacturerProfile } from '@rxledger/manufacturer';
import { pharmacyProfileWith } from '@rxledger/pharmacy';
import { createLogger } from '@rxledger/runtime';
import { formatVerifierKey } from '@rxledger/tlog';
import { expect } from 'vitest';

export const GLN = {
  authority: '9000000000018',
  maker: '0614141000005',
  makerSite: '0614141000012',
  distributor: '4001234000008',
  distributorSite: '4001234000015',
  pharmacy1: '5009999000003',
  pharmacy1Site: '5009999000010',
  pharmacy2: '5009999000027',
  pharmacy2Site: '5009999000034',
} as const;
export const GTIN = '00614141123452';
export const ORIGIN = 'system.test/custody';

type Kind = 'manufacturer' | 'distributor' | 'pharmacy';
interface PartySpec {
  kind: Kind;
  gln: string;
  site: string;
  name: string;
  role: Role;
}
const PARTIES: PartySpec[] = [
  { kind: 'manufacturer', gln: GLN.maker, site: GLN.makerSite, name: 'Acme Pharma', role: 'MANUFACTURER' },
  {
    kind: 'distributor',
    gln: GLN.distributor,
    site: GLN.distributorSite,
    name: 'Northwind',
    role: 'DISTRIBUTOR',
  },
  {
    kind: 'pharmacy',
    gln: GLN.pharmacy1,
    site: GLN.pharmacy1Site,
    name: 'Corner Pharmacy',
    role: 'PHARMACY',
  },
  {
    kind: 'pharmacy',
    gln: GLN.pharmacy2,
    site: GLN.pharmacy2Site,
    name: 'Harbour Pharmacy',
    role: 'PHARMACY',
  },
];
const profileOf = (kind: Kind, webDir: string | undefined): PartnerProfile =>
  kind === 'manufacturer'
    ? manufacturerProfile
    : kind === 'distributor'
      ? distributorProfile
      : pharmacyProfileWith({ webDir });

export interface TestSystem {
  ledgerUrl: string;
  urls: Record<Kind, string>;
  /** Scanner keys by party GLN. */
  scanner: Record<string, string>;
  regulatorToken: string;
  pharmacistToken: Record<string, string>;
  /** The ledger token of each hosted party, by party GLN (one token per party). */
  partnerToken: Record<string, string>;
  authorityKey: SigningKey;
  checkpointKey: string;
  ledger: LedgerService;
  /** With `partnerConfigs`: each service's PARTNER_CONFIG file, which it watches and reloads. */
  configFile: Record<Kind, string>;
  stop(): Promise<void>;
}

const token = () => randomBytes(18).toString('base64url');

/** The partner service hosting each party of the system. */
const SERVICE_OF: Record<string, Kind> = {
  [GLN.maker]: 'manufacturer',
  [GLN.distributor]: 'distributor',
  [GLN.pharmacy1]: 'pharmacy',
  [GLN.pharmacy2]: 'pharmacy',
};

/**
 * Posts `events` as the scanner of `gln`, through the service that hosts it, and waits until the
 * ledger has accepted every one of them; their eventIds, in order.
 */
export async function postAccepted(sys: TestSystem, gln: string, events: object[]): Promise<string[]> {
  const url = sys.urls[SERVICE_OF[gln]!];
  const headers = { authorization: `Bearer ${sys.scanner[gln]}`, 'content-type': 'application/json' };
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ events }),
  });
  const body = (await res.json()) as { eventIds: string[] };
  expect(res.status, JSON.stringify(body)).toBe(202);
  for (const id of body.eventIds) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = (await (await fetch(`${url}/v1/events/${id}`, { headers })).json()) as {
        state: string;
        reason?: unknown;
      };
      if (state.state === 'ACCEPTED') break;
      expect(state.state, `${id}: ${JSON.stringify(state.reason)}`).toBe('PENDING');
      if (Date.now() > deadline) throw new Error(`${id} still pending`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return body.eventIds;
}

/** Starts the whole system on `brokers`; stop() leaves nothing running and removes its files. */
export async function startSystem(
  brokers: string[],
  opts: {
    verifyThreads?: number;
    /** TLS/SASL of the ledger (and of the setup client) and of the gateways, when the brokers want it. */
    ledgerSecurity?: KafkaSecurity;
    gatewaySecurity?: KafkaSecurity;
    channel?: string;
    replicationFactor?: number;
    minInsyncReplicas?: number;
    /** The ledger's built counter page (infra/build-web.mjs); without it `/` answers 503. */
    webDir?: string;
    /** The ledger's alert notices (services/ledger/src/alerts/alert-notice.ts). */
    onAlertNotice?: LedgerServiceOptions['onAlertNotice'];
    /** Alert webhooks and stream on the ledger (off unless given). */
    alertDelivery?: LedgerServiceOptions['alertDelivery'];
    /**
     * Start each partner service from a PARTNER_CONFIG file, as main.ts does, watched for edits, and
     * reading the ledger's registry every 200 ms (5 s in production).
     */
    partnerConfigs?: boolean;
  } = {},
): Promise<TestSystem> {
  const dir = await mkdtemp(join(tmpdir(), 'rxledger-system-'));
  const channel = opts.channel ?? `sys-${randomBytes(4).toString('hex')}`;
  const kafka = createKafkaClient({ brokers, clientId: 'system-test', security: opts.ledgerSecurity });
  const topic = await setupCustodyTopic(kafka, {
    channel,
    replicationFactor: opts.replicationFactor ?? 1,
    minInsyncReplicas: opts.minInsyncReplicas ?? 1,
  });

  const authority = SigningKey.generate();
  const keys = new Map<string, SigningKey>();
  for (const p of PARTIES) keys.set(p.gln, SigningKey.generate());
  const genesis = genesisEvent({
    authority: { gln: GLN.authority, name: 'Authority', key: authority.verifyingKey },
    parties: PARTIES.map((p) => ({
      gln: p.gln,
      name: p.name,
      roles: [p.role],
      companyPrefixes: p.role === 'MANUFACTURER' ? ['0614141'] : [],
      keys: [keys.get(p.gln)!.verifyingKey],
    })),
    eventTime: Date.now(),
    keysValidFrom: Date.now() - DEFAULT_LATENESS_MS,
  });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        value: Buffer.from(encodeSignedEvent(signEvent(nodeEd25519, authority, encodeCustodyEvent(genesis)))),
      },
    ],
  });
  await producer.disconnect();

  const regulatorToken = token();
  const pharmacistToken = { [GLN.pharmacy1]: token(), [GLN.pharmacy2]: token() };
  const partnerToken: Record<string, string> = Object.fromEntries(PARTIES.map((p) => [p.gln, token()]));
  const tokens: TokenFile = {
    tokens: [
      { hash: tokenHash(regulatorToken), role: 'regulator', glns: [] },
      ...Object.entries(pharmacistToken).map(([gln, t]) => ({
        hash: tokenHash(t),
        role: 'pharmacist' as const,
        glns: [gln],
      })),
      ...Object.entries(partnerToken).map(([gln, t]) => ({
        hash: tokenHash(t),
        role: 'partner' as const,
        glns: [gln],
      })),
    ],
  };
  const checkpointKey = SigningKey.generate();
  const ledger = createLedgerService({
    host: '127.0.0.1',
    port: 0,
    brokers,
    kafkaSecurity: opts.ledgerSecurity,
    channel,
    dataDir: join(dir, 'ledger'),
    checkpointKey,
    origin: ORIGIN,
    authority: authority.verifyingKey,
    tokens,
    log: createLogger({ service: 'ledger', level: 'silent' }),
    checkpointIntervalMs: 200,
    verifyThreads: opts.verifyThreads,
    webDir: opts.webDir,
    onAlertNotice: opts.onAlertNotice,
    alertDelivery: opts.alertDelivery,
  });
  const ledgerUrl = await ledger.start();

  const scanner: Record<string, string> = {};
  const gateways: Gateway[] = [];
  const urls = {} as Record<Kind, string>;
  const configFile = {} as Record<Kind, string>;
  for (const kind of ['manufacturer', 'distributor', 'pharmacy'] as const) {
    const parties = [];
    for (const p of PARTIES.filter((x) => x.kind === kind)) {
      const keyFile = join(dir, `${p.gln}.jwk`);
      await writeSigningKeyFile(keyFile, keys.get(p.gln)!);
      scanner[p.gln] = `rxs_${token()}`;
      parties.push({
        gln: p.gln,
        name: p.name,
        keyFile,
        ledgerToken: partnerToken[p.gln],
        scanners: [{ site: p.site, keyHash: hashScannerKey(scanner[p.gln]!) }],
      });
    }
    configFile[kind] = join(dir, `${kind}.json`);
    if (opts.partnerConfigs) await writeFile(configFile[kind], JSON.stringify({ parties }, null, 2));
    const gateway = createGateway({
      ...profileOf(kind, opts.webDir),
      host: '127.0.0.1',
      port: 0,
      brokers,
      kafkaSecurity: opts.gatewaySecurity,
      channel,
      parties,
      ...(opts.partnerConfigs ? { configFile: configFile[kind], registryPollMs: 200 } : {}),
      ledgerUrl,
      log: createLogger({ service: kind, level: 'silent' }),
    });
    urls[kind] = await gateway.start();
    gateways.push(gateway);
  }

  return {
    ledgerUrl,
    urls,
    scanner,
    regulatorToken,
    pharmacistToken,
    partnerToken,
    authorityKey: authority,
    checkpointKey: formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes),
    ledger,
    configFile,
    async stop() {
      for (const g of gateways) await g.stop();
      await ledger.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
