// A scanner is bound to its site (issue 19, finding 11): an event naming another site is a 400 naming
// `site`, unless the scanner's config entry lists several sites.

import { describe, expect, it } from 'vitest';
import { BatchRejectedError } from '../src/batch-rejected-error.ts';
import { scannerDirectory } from '../src/hosted-party.ts';
import { parsePartnerConfig } from '../src/partner-config.ts';
import { prepareBatch } from '../src/prepare-batch.ts';
import { hashScannerKey, siteRefusal } from '../src/scanner-auth.ts';

const PARTY = '4012345000009';
const PLANT = '4012345000016';
const DOCK = '4012345000023';
const ELSEWHERE = '9501101530010';
const GTIN = '04012345123456';

const config = (scanner: Record<string, unknown>) =>
  parsePartnerConfig(
    {
      parties: [
        {
          gln: PARTY,
          name: 'Acme',
          keyFile: 'k.jwk',
          scanners: [{ keyHash: hashScannerKey('s'), ...scanner }],
        },
      ],
    },
    'test.json',
    '/',
  );
const scannerOf = (entry: Record<string, unknown>) =>
  scannerDirectory(config(entry).parties).get(hashScannerKey('s'))!;

const commission = (serial: string, site?: string) => ({
  type: 'COMMISSION',
  items: [`(01)${GTIN}(21)${serial}`],
  lot: 'L1',
  expiry: '271231',
  ...(site === undefined ? {} : { site }),
});
const prepare = (entry: Record<string, unknown>, events: unknown[]) => {
  const scanner = scannerOf(entry);
  return prepareBatch(
    { events },
    {
      service: 'manufacturer',
      party: PARTY,
      site: scanner.site,
      sites: scanner.sites,
      now: Date.UTC(2025, 5, 1),
      acceptTypes: ['COMMISSION'],
      newEventId: () => 'id',
    },
  );
};
const issues = async (entry: Record<string, unknown>, events: unknown[]) => {
  try {
    await prepare(entry, events);
  } catch (err) {
    if (err instanceof BatchRejectedError) return err.toJSON();
    throw err;
  }
  return undefined;
};

describe('scanner site binding', () => {
  it('stamps the scanner site by default and accepts it when named', async () => {
    const events = await prepare({ site: PLANT }, [commission('A'), commission('B', PLANT)]);
    expect(events.map((e) => e.event.site)).toEqual([PLANT, PLANT]);
  });

  it('refuses an event naming another site: 400 naming the index and `site`, nothing prepared', async () => {
    expect(await issues({ site: PLANT }, [commission('A'), commission('B', ELSEWHERE)])).toMatchObject({
      errors: [
        { index: 1, field: 'site', reason: `this scanner is bound to site ${PLANT}, not ${ELSEWHERE}` },
      ],
    });
  });

  it('lets a scanner whose entry lists several sites post for each of them, and for no other', async () => {
    const entry = { site: PLANT, sites: [DOCK] };
    expect(scannerOf(entry).sites).toEqual([PLANT, DOCK]);
    expect((await prepare(entry, [commission('A', DOCK), commission('B')])).map((e) => e.event.site)).toEqual(
      [DOCK, PLANT],
    );
    expect(await issues(entry, [commission('A', ELSEWHERE)])).toMatchObject({
      errors: [
        {
          index: 0,
          field: 'site',
          reason: `must be one of this scanner's sites (${PLANT}, ${DOCK}), not ${ELSEWHERE}`,
        },
      ],
    });
  });

  it('checks the listed sites in the config: GLNs with check digits, at least one', async () => {
    expect(() => config({ site: PLANT, sites: ['4012345000024'] })).toThrow(
      /parties\[0\]\.scanners\[0\]\.sites\[0\]: must be a GLN-13 with a correct check digit/,
    );
    expect(() => config({ site: PLANT, sites: [] })).toThrow(
      /scanners\[0\]\.sites: must list at least one site/,
    );
  });

  it('siteRefusal says nothing for an allowed site', async () => {
    expect(siteRefusal({ site: PLANT, sites: [PLANT] }, PLANT)).toBeUndefined();
  });
});
