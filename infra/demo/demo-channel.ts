import { join } from 'node:path';
import { readSigningKeyFile, writeVerifyingKeyFile } from '@rxledger/events';
import { type CustodyTopicOptions, setupCustodyTopic } from '@rxledger/kafka';
import type { Kafka } from 'kafkajs';
import { publishDemoGenesis } from './demo-genesis.ts';
import {
  type DemoIdentities,
  ensureDemoIdentities,
  type PartnerConfigFiles,
  writeLedgerTokens,
  writePartnerConfigs,
} from './demo-setup.ts';

export interface DemoChannel {
  topic: string;
  identities: DemoIdentities;
  partnerConfigs: PartnerConfigFiles;
  ledgerTokensFile: string;
  /** Whether this call published the genesis (false when the topic already had records). */
  genesisPublished: boolean;
  /** The authority's public key as a JWK file: the ledger's trust anchor. */
  authorityKeyFile: string;
}

/**
 * Everything a demo channel needs before its services start, for `npm start` and compose's setup
 * alike: the topic, the demo parties' keys and tokens, each service's config, the ledger's tokens
 * file, and the registry's genesis record on an empty topic.
 */
export async function prepareDemoChannel(
  kafka: Kafka,
  topic: CustodyTopicOptions,
  dataDir: string,
): Promise<DemoChannel> {
  const name = await setupCustodyTopic(kafka, topic);
  const identities = await ensureDemoIdentities(dataDir);
  const authorityKeyFile = join(dataDir, 'demo', 'authority-public.jwk');
  await writeVerifyingKeyFile(
    authorityKeyFile,
    (await readSigningKeyFile(identities.authorityKeyFile)).key.verifyingKey,
  );
  return {
    authorityKeyFile,
    topic: name,
    identities,
    partnerConfigs: await writePartnerConfigs(dataDir, identities),
    ledgerTokensFile: await writeLedgerTokens(dataDir, identities),
    genesisPublished: await publishDemoGenesis(kafka, name, identities),
  };
}
