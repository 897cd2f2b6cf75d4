import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { readSigningKeyFile, SigningKey, writeSigningKeyFile } from '@rxledger/events';
import { hashScannerKey, type PartnerConfig } from '@rxledger/gateway';
import { type TokenFile, tokenHash } from '@rxledger/ledger';
import { formatVerifierKey } from '@rxledger/tlog';
import { DEMO_AUTHORITY, DEMO_PARTIES, DEMO_REGULATOR, type DemoParty } from './demo-parties.ts';

/** The checkpoint origin (and note key name) of the demo ledger node. */
export const DEMO_LOG_ORIGIN = 'demo.rxledger.dev/custody/main';

/** Everything secret about the demo setup; kept in data/demo (git-ignored), mode 0600. */
export interface DemoIdentities {
  authorityKeyFile: string;
  checkpointKeyFile: string;
  regulatorToken: string;
  pharmacistTokens: Record<string, string>;
  parties: Array<
    DemoParty & {
      keyFile: string;
      scanners: Array<{ site: string; key: string }>;
      /** The token its partner service presents to the ledger for this party alone. */
      ledgerToken: string;
    }
  >;
}

const token = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

/**
 * Creates the demo's keys and tokens once and reuses them on later starts, so that a client's
 * credentials keep working across restarts. Key files are written 0600 and never printed.
 */
export async function ensureDemoIdentities(dataDir: string): Promise<DemoIdentities> {
  const dir = join(dataDir, 'demo');
  const file = join(dir, 'identities.json');
  if (existsSync(file)) {
    const known = JSON.parse(await readFile(file, 'utf8')) as DemoIdentities & { partnerTokens?: unknown };
    if (known.parties.every((p) => p.ledgerToken) && known.partnerTokens === undefined) return known;
    // Written by an earlier version (one ledger token per service): give each party its own token,
    // keep every key and every other token.
    for (const p of known.parties) p.ledgerToken ??= token('rxt');
    delete known.partnerTokens;
    await writePrivateJson(file, known);
    return known;
  }

  const keys = join(dir, 'keys');
  await mkdir(keys, { recursive: true, mode: 0o700 });
  const newKey = async (name: string) => {
    const path = join(keys, `${name}.jwk`);
    if (!existsSync(path)) await writeSigningKeyFile(path, SigningKey.generate());
    return path;
  };
  const identities: DemoIdentities = {
    authorityKeyFile: await newKey(`authority-${DEMO_AUTHORITY.gln}`),
    checkpointKeyFile: await newKey('ledger-checkpoint'),
    regulatorToken: token('rxr'),
    pharmacistTokens: Object.fromEntries(
      DEMO_PARTIES.filter((p) => p.kind === 'pharmacy').map((p) => [p.gln, token('rxp')]),
    ),
    parties: [],
  };
  for (const party of DEMO_PARTIES) {
    identities.parties.push({
      ...party,
      keyFile: await newKey(`${party.kind}-${party.gln}`),
      scanners: party.sites.map((site) => ({ site, key: token('rxs') })),
      ledgerToken: token('rxt'),
    });
  }
  await writePrivateJson(file, identities);
  return identities;
}

/** Writes data/demo/credentials.json in the shape DESIGN.md §7 gives; returns its path. */
export async function writeCredentials(
  dataDir: string,
  identities: DemoIdentities,
  urls: { ledger: string; manufacturer: string; distributor: string; pharmacy: string },
  /** The witnesses the ledger sends its checkpoints to (RXLEDGER_WITNESSES): a verifier requires all. */
  witnessKeys: readonly string[] = [],
): Promise<string> {
  const authority = (await readSigningKeyFile(identities.authorityKeyFile)).key.verifyingKey;
  const checkpoint = (await readSigningKeyFile(identities.checkpointKeyFile)).key.verifyingKey;
  const partiesOf = (kind: DemoParty['kind']) =>
    identities.parties
      .filter((p) => p.kind === kind)
      .map((p) => ({
        gln: p.gln,
        name: p.name,
        ...(p.companyPrefixes ? { companyPrefixes: p.companyPrefixes } : {}),
        scanners: p.scanners,
        // The party's own read token at the ledger: did my events land, provenance of what it held.
        ledgerToken: p.ledgerToken,
      }));
  const credentials = {
    ledger: {
      url: urls.ledger,
      regulatorToken: identities.regulatorToken,
      regulator: DEMO_REGULATOR,
      pharmacistTokens: identities.pharmacistTokens,
      checkpointKey: formatVerifierKey(DEMO_LOG_ORIGIN, checkpoint.bytes),
      // The log's origin line: verify-bundle refuses a checkpoint of any other log.
      checkpointOrigin: DEMO_LOG_ORIGIN,
      authorityPublicKey: authority.toBase64(),
      // verify-bundle and the regulator page then count a checkpoint only with every witness's cosignature.
      ...(witnessKeys.length > 0 ? { witnessPolicy: { quorum: witnessKeys.length, keys: witnessKeys } } : {}),
    },
    services: {
      manufacturer: { url: urls.manufacturer, parties: partiesOf('manufacturer') },
      distributor: { url: urls.distributor, parties: partiesOf('distributor') },
      pharmacy: { url: urls.pharmacy, parties: partiesOf('pharmacy') },
    },
  };
  const path = join(dataDir, 'demo', 'credentials.json');
  await writePrivateJson(path, credentials);
  return path;
}

/** Where each partner service finds the parties it hosts (its PARTNER_CONFIG file). */
export type PartnerConfigFiles = Record<DemoParty['kind'], string>;

/**
 * Writes data/demo/<kind>.json for each partner service: its parties, their key files (relative to
 * the file, so the data folder can move), scanner keys only as SHA-256 hashes, and each party's own
 * ledger token. Mode 0600: it names key files and tokens.
 */
export async function writePartnerConfigs(
  dataDir: string,
  identities: DemoIdentities,
): Promise<PartnerConfigFiles> {
  const kinds: DemoParty['kind'][] = ['manufacturer', 'distributor', 'pharmacy'];
  const files = {} as PartnerConfigFiles;
  for (const kind of kinds) {
    const path = join(dataDir, 'demo', `${kind}.json`);
    const config: PartnerConfig = {
      parties: identities.parties
        .filter((p) => p.kind === kind)
        .map((p) => ({
          gln: p.gln,
          name: p.name,
          keyFile: relative(dirname(path), p.keyFile),
          ledgerToken: p.ledgerToken,
          scanners: p.scanners.map((s) => ({ site: s.site, keyHash: hashScannerKey(s.key) })),
        })),
    };
    await writePrivateJson(path, config);
    files[kind] = path;
  }
  return files;
}

/**
 * Writes data/demo/ledger-tokens.json, the ledger's LEDGER_TOKENS_FILE: every demo token by its hash
 * only, with its role and the one party it acts for. Returns its path.
 */
export async function writeLedgerTokens(dataDir: string, identities: DemoIdentities): Promise<string> {
  const file: TokenFile = {
    tokens: [
      { hash: tokenHash(identities.regulatorToken), role: 'regulator', glns: [], name: DEMO_REGULATOR.name },
      ...Object.entries(identities.pharmacistTokens).map(([gln, t]) => ({
        hash: tokenHash(t),
        role: 'pharmacist' as const,
        glns: [gln],
      })),
      ...identities.parties.map((p) => ({
        hash: tokenHash(p.ledgerToken),
        role: 'partner' as const,
        glns: [p.gln],
        name: `${p.name} (${p.kind} service)`,
      })),
    ],
  };
  const path = join(dataDir, 'demo', 'ledger-tokens.json');
  await writePrivateJson(path, file);
  return path;
}

async function writePrivateJson(path: string, value: unknown): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
  } finally {
    await handle.close();
  }
}
