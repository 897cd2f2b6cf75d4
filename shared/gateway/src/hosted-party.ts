import { existsSync } from 'node:fs';
import { readSigningKeyFile, type SigningKey } from '@rxledger/events';
import { ConfigError } from '@rxledger/runtime';
import type { PartyConfig } from './partner-config.ts';
import type { Scanner } from './scanner-auth.ts';

/** A party this service signs for, with its keys loaded. The keys never leave this object. */
export interface HostedParty {
  gln: string;
  name: string;
  /** The key of `keyFile`; what the party signs with unless `nextKey` is in force (chooseSigningKey). */
  key: SigningKey;
  /** The key of `nextKeyFile`, being rotated in. */
  nextKey?: SigningKey | undefined;
  /** The configured nextKeyFile, whether or not it exists yet. */
  nextKeyFile?: string | undefined;
  ledgerToken?: string | undefined;
}

/**
 * Loads each party's signing keys (refusing key files others can read), so a bad or missing key
 * stops the service at start, or is refused by a reload, instead of failing the first scanner.
 * Throws ConfigError naming the party and the field.
 */
export async function loadHostedParties(parties: readonly PartyConfig[]): Promise<Map<string, HostedParty>> {
  const hosted = new Map<string, HostedParty>();
  for (const [i, party] of parties.entries()) {
    const key = await loadKey(party, i, 'keyFile', party.keyFile);
    // A nextKeyFile that does not exist yet is a rotation being prepared (rotate-key writes it); it is
    // watched, and taken once it is there.
    const nextKey =
      party.nextKeyFile === undefined || !existsSync(party.nextKeyFile)
        ? undefined
        : await loadKey(party, i, 'nextKeyFile', party.nextKeyFile);
    if (nextKey?.keyId === key.keyId) {
      throw new ConfigError(
        `party ${party.gln} (${party.name}): nextKeyFile holds key ${key.keyId}, the keyFile's own key (parties[${i}].nextKeyFile)`,
      );
    }
    hosted.set(party.gln, {
      gln: party.gln,
      name: party.name,
      key,
      nextKey,
      nextKeyFile: party.nextKeyFile,
      ledgerToken: party.ledgerToken,
    });
  }
  return hosted;
}

async function loadKey(party: PartyConfig, i: number, field: string, file: string): Promise<SigningKey> {
  try {
    return (await readSigningKeyFile(file)).key;
  } catch (err) {
    throw new ConfigError(
      `party ${party.gln} (${party.name}): ${(err as Error).message} (parties[${i}].${field})`,
    );
  }
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
