import { readSigningKeyFile, type SigningKey } from '@rxledger/events';
import { ConfigError } from '@rxledger/runtime';
import type { PartyConfig } from './partner-config.ts';
import type { Scanner } from './scanner-auth.ts';

/** A party this service signs for, with its key loaded. The key never leaves this object. */
export interface HostedParty {
  gln: string;
  name: string;
  key: SigningKey;
  ledgerToken?: string | undefined;
}

/**
 * Loads each party's signing key once (refusing key files others can read), so a bad or missing key
 * stops the service at start instead of failing the first scanner.
 */
export async function loadHostedParties(parties: readonly PartyConfig[]): Promise<Map<string, HostedParty>> {
  const hosted = new Map<string, HostedParty>();
  for (const party of parties) {
    let key: SigningKey;
    try {
      key = (await readSigningKeyFile(party.keyFile)).key;
    } catch (err) {
      throw new ConfigError(`party ${party.gln} (${party.name}): ${(err as Error).message}`);
    }
    hosted.set(party.gln, { gln: party.gln, name: party.name, key, ledgerToken: party.ledgerToken });
  }
  return hosted;
}

/** Scanner key hash → the party and site it is bound to. */
export function scannerDirectory(parties: readonly PartyConfig[]): Map<string, Scanner> {
  const scanners = new Map<string, Scanner>();
  for (const party of parties) {
    for (const s of party.scanners) {
      const sites = [...new Set([s.site, ...(s.sites ?? [])])];
      scanners.set(s.keyHash, { party: party.gln, site: s.site, sites });
    }
  }
  return scanners;
}
