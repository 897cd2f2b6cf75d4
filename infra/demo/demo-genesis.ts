import { DEFAULT_LATENESS_MS, genesisEvent, readSigningKeyFile } from '@rxledger/events';
import { publishRegistryEvent } from '@rxledger/ledger';
import type { Kafka } from 'kafkajs';
import { DEMO_AUTHORITY, DEMO_REGULATOR } from './demo-parties.ts';
import type { DemoIdentities } from './demo-setup.ts';

const ROLE = { manufacturer: 'MANUFACTURER', distributor: 'DISTRIBUTOR', pharmacy: 'PHARMACY' } as const;

/**
 * Publishes the registry's genesis record, signed by the demo authority, when the channel's topic is
 * still empty: every demo party with its role, company prefixes and signing key. Returns whether it did.
 */
export async function publishDemoGenesis(
  kafka: Kafka,
  topic: string,
  identities: DemoIdentities,
): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [partition] = await admin.fetchTopicOffsets(topic);
    if (Number(partition?.high ?? 0) > 0) return false;
  } finally {
    await admin.disconnect();
  }
  const authority = (await readSigningKeyFile(identities.authorityKeyFile)).key;
  const parties = await Promise.all(
    identities.parties.map(async (p) => ({
      gln: p.gln,
      name: p.name,
      roles: [ROLE[p.kind]],
      companyPrefixes: p.companyPrefixes ?? [],
      keys: [(await readSigningKeyFile(p.keyFile)).key.verifyingKey],
    })),
  );
  const genesis = genesisEvent({
    authority: { gln: DEMO_AUTHORITY.gln, name: DEMO_AUTHORITY.name, key: authority.verifyingKey },
    parties: [{ ...DEMO_REGULATOR, roles: ['REGULATOR'], keys: [] }, ...parties],
    // Dated when it is published (the ledger refuses times far from the broker's), with keys valid
    // from as far back as the lateness window reaches, so late uploads of earlier events still verify.
    eventTime: Date.now(),
    keysValidFrom: Date.now() - DEFAULT_LATENESS_MS,
  });
  await publishRegistryEvent(kafka, topic, authority, genesis);
  return true;
}
