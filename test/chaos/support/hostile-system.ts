// The demo system as separate processes (ledger + three partner services, each its own Node process,
// as `npm start` runs them) on a fresh channel, plus what a hostile-input test needs to reach it: every
// token, scanner key and signing key of the demo identities, a raw producer onto the custody topic, and
// a record of every child process that exited. Separate processes, because a stall in one service must
// show as that service's latency, not as the test runner's own.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSigningKeyFile, type SigningKey } from '@rxledger/events';
import { createIdempotentProducer, createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import type { Producer } from 'kafkajs';
import { type ServiceName, startDemoServices } from '../../../infra/demo/demo-services.ts';
import { type ChildService, stopChildren } from '../../../infra/supervisor.ts';

export type PartnerKind = 'manufacturer' | 'distributor' | 'pharmacy';

/** The demo parties (infra/demo/demo-parties.ts); fixed GLNs, so catalogue rows can name them as data. */
export const PARTY = {
  authority: '9000000000018',
  maker: '0614141000005',
  makerSite: '0614141000012',
  makerSite2: '0614141000029',
  distributor: '4001234000008',
  distributorSite: '4001234000015',
  pharmacy1: '5009999000003',
  pharmacy1Site: '5009999000010',
  pharmacy2: '5009999000027',
  pharmacy2Site: '5009999000034',
} as const;
/** A GTIN of the maker's company prefix 0614141, and one of another company (GS1's 9520123). */
export const OWN_GTIN = '00614141123452';
export const FOREIGN_GTIN = '09520123456788';

interface Identities {
  authorityKeyFile: string;
  regulatorToken: string;
  pharmacistTokens: Record<string, string>;
  parties: Array<{
    kind: PartnerKind;
    gln: string;
    keyFile: string;
    /** The party's own token at the ledger (one per party). */
    ledgerToken: string;
    scanners: Array<{ site: string; key: string }>;
  }>;
}

/** One exit of a service process while the test ran: every one is a finding. */
export interface ServiceExit {
  service: string;
  code: number | null;
  signal: string | null;
}

export interface HostileSystem {
  urls: Record<ServiceName, string>;
  brokers: string[];
  topic: string;
  regulatorToken: string;
  pharmacistTokens: Record<string, string>;
  /** Ledger tokens of the partner parties: by GLN, and by kind for the first party of that kind. */
  partnerTokens: Record<string, string>;
  /** Scanner key by `gln` (the party's first scanner) and by `gln@site`. */
  scannerKeys: Record<string, string>;
  /** Signing keys by party GLN, and the registry authority's. */
  keys: Record<string, SigningKey>;
  exits: ServiceExit[];
  /** Produces raw values onto the custody topic (acks=all); resolves with each one's offset. */
  produce(values: Array<Uint8Array | null>): Promise<number[]>;
  stop(): Promise<void>;
}

/** Starts the demo system as processes on `brokers`; stop() leaves nothing running and removes its files. */
export async function startHostileSystem(brokers: string[]): Promise<HostileSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rxledger-hostile-'));
  const channel = `hostile-${randomBytes(4).toString('hex')}`;
  const children: ChildService[] = [];
  const exits: ServiceExit[] = [];
  let stopping = false;
  const started = await startDemoServices({
    brokers,
    channel,
    replicationFactor: 1,
    minInsyncReplicas: 1,
    dataDir,
    host: '127.0.0.1',
    ports: { ledger: 0, manufacturer: 0, distributor: 0, pharmacy: 0 },
    env: { LOG_LEVEL: 'error' },
    onStarted: (s) => {
      children.push(s);
      s.child.once('exit', (code, signal) => {
        if (!stopping) exits.push({ service: s.name, code, signal });
      });
    },
  }).catch(async (err: unknown) => {
    stopping = true;
    await stopChildren(children);
    throw err;
  });

  const ids = JSON.parse(await readFile(join(dataDir, 'demo', 'identities.json'), 'utf8')) as Identities;
  const keys: Record<string, SigningKey> = {
    [PARTY.authority]: (await readSigningKeyFile(ids.authorityKeyFile)).key,
  };
  const scannerKeys: Record<string, string> = {};
  for (const p of ids.parties) {
    keys[p.gln] = (await readSigningKeyFile(p.keyFile)).key;
    scannerKeys[p.gln] = p.scanners[0]!.key;
    for (const s of p.scanners) scannerKeys[`${p.gln}@${s.site}`] = s.key;
  }

  const topic = custodyTopicName(channel);
  const producer: Producer = createIdempotentProducer(
    createKafkaClient({ brokers, clientId: 'hostile-producer' }),
  );
  await producer.connect();

  return {
    urls: Object.fromEntries(Object.entries(started.services).map(([k, s]) => [k, s.url])) as Record<
      ServiceName,
      string
    >,
    brokers,
    topic,
    regulatorToken: ids.regulatorToken,
    pharmacistTokens: ids.pharmacistTokens,
    partnerTokens: partnerTokensOf(ids.parties),
    scannerKeys,
    keys,
    exits,
    async produce(values) {
      const offsets: number[] = [];
      // One send per value: the offsets of a batch are only reported for its first record.
      for (const v of values) {
        const [meta] = await producer.send({
          topic,
          acks: -1,
          messages: [{ value: v === null ? null : Buffer.from(v.buffer, v.byteOffset, v.byteLength) }],
        });
        offsets.push(Number(meta!.baseOffset));
      }
      return offsets;
    },
    async stop() {
      stopping = true;
      await producer.disconnect().catch(() => {});
      await stopChildren(children);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function partnerTokensOf(parties: Identities['parties']): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const p of parties) {
    tokens[p.gln] = p.ledgerToken;
    tokens[p.kind] ??= p.ledgerToken;
  }
  return tokens;
}
