import { readFile } from 'node:fs/promises';
import { checkDigit } from '@rxledger/gs1';
import { z } from 'zod';

const partySchema = z.object({
  gln: z.string().regex(/^\d{13}$/, 'must be a GLN-13'),
  name: z.string(),
  companyPrefixes: z.array(z.string().regex(/^\d{6,12}$/, 'must be 6-12 digits')).optional(),
  scanners: z
    .array(z.object({ site: z.string().regex(/^\d{13}$/, 'must be a GLN-13'), key: z.string().min(1) }))
    .min(1, 'at least one scanner'),
  ledgerToken: z.string().min(1, 'required: the party reads its answers from the ledger with it'),
});
const serviceSchema = z.object({ url: z.string().url(), parties: z.array(partySchema) });

/** What the simulator and `rxledger quality` read of a credentials file (DESIGN §7's shape). */
export const simCredentialsSchema = z.object({
  ledger: z.object({
    url: z.string().url(),
    // Only `rxledger quality --counter` needs it: it reads every alert its scans raised.
    regulatorToken: z.string().min(1).optional(),
  }),
  services: z.object({ manufacturer: serviceSchema, distributor: serviceSchema, pharmacy: serviceSchema }),
});
export type SimCredentials = z.infer<typeof simCredentialsSchema>;

export type PartyKind = 'manufacturer' | 'distributor' | 'pharmacy';

/** One trading partner of the simulated network, with what it needs to post and to ask. */
export interface SimParty {
  kind: PartyKind;
  gln: string;
  name: string;
  /** The sites where its scanners stand (one scanner each is enough for the simulator). */
  sites: string[];
  /** GTIN-14s of its products; empty for distributors and pharmacies. */
  gtins: string[];
  /** The first company prefix, for its SSCCs. */
  companyPrefix?: string;
}

export interface SimNetwork {
  manufacturers: SimParty[];
  distributors: SimParty[];
  pharmacies: SimParty[];
}

/** Where to post and with which secrets: kept apart from the network so a plan holds no secret. */
export interface SimAccess {
  ledgerUrl: string;
  serviceUrl: Record<PartyKind, string>;
  /** Scanner key by site GLN. */
  scannerKey: Map<string, string>;
  /** Ledger token by party GLN. */
  ledgerToken: Map<string, string>;
  /** A pharmacy's counter scanner key (its first site's) by pharmacy GLN. */
  counterKey: Map<string, string>;
  /** The regulator's ledger token, when the credentials carry one. */
  regulatorToken?: string;
}

/** Item references of each manufacturer's products: three products per company prefix. */
const ITEM_REFS = ['12345', '23456', '34567'];

/** The GTIN-14 of item reference `ref` under `prefix` (indicator digit 0). */
export function gtinOf(prefix: string, ref: string): string {
  const body = `0${prefix}${ref}`.slice(0, 13).padEnd(13, '0');
  return body + checkDigit(body);
}

/**
 * The network a credentials file describes: every party it lists, manufacturers with products under
 * their first company prefix. Throws naming the field when the file lacks what the simulator needs.
 */
export function networkFrom(credentials: unknown): { network: SimNetwork; access: SimAccess } {
  const parsed = simCredentialsSchema.safeParse(credentials);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`credentials: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const c = parsed.data;
  const access: SimAccess = {
    ledgerUrl: c.ledger.url,
    serviceUrl: {
      manufacturer: c.services.manufacturer.url,
      distributor: c.services.distributor.url,
      pharmacy: c.services.pharmacy.url,
    },
    scannerKey: new Map(),
    ledgerToken: new Map(),
    counterKey: new Map(),
    ...(c.ledger.regulatorToken ? { regulatorToken: c.ledger.regulatorToken } : {}),
  };
  const partiesOf = (kind: PartyKind): SimParty[] =>
    c.services[kind].parties.map((p) => {
      for (const s of p.scanners) access.scannerKey.set(s.site, s.key);
      access.ledgerToken.set(p.gln, p.ledgerToken);
      if (kind === 'pharmacy') access.counterKey.set(p.gln, p.scanners[0]!.key);
      const prefix = p.companyPrefixes?.[0];
      return {
        kind,
        gln: p.gln,
        name: p.name,
        sites: p.scanners.map((s) => s.site),
        gtins: kind === 'manufacturer' && prefix ? ITEM_REFS.map((ref) => gtinOf(prefix, ref)) : [],
        ...(kind === 'manufacturer' && prefix ? { companyPrefix: prefix } : {}),
      };
    });
  const network = {
    manufacturers: partiesOf('manufacturer').filter((m) => m.gtins.length > 0),
    distributors: partiesOf('distributor'),
    pharmacies: partiesOf('pharmacy'),
  };
  for (const kind of ['manufacturers', 'distributors', 'pharmacies'] as const) {
    if (network[kind].length === 0) {
      throw new Error(
        `credentials: services: no ${kind} to simulate (manufacturers need a companyPrefixes entry)`,
      );
    }
  }
  return { network, access };
}

/** Reads and checks a credentials file (e.g. data/demo/credentials.json). */
export async function readNetwork(file: string): Promise<{ network: SimNetwork; access: SimAccess }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`credentials file ${file}: ${(e as Error).message}`, { cause: e });
  }
  return networkFrom(json);
}
