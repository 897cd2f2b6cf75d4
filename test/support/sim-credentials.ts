// The test system as a credentials file of DESIGN §7's shape, as npm start writes one: what
// `rxledger simulate` and `rxledger quality` read.
import { GLN, type TestSystem } from './system.ts';

/** The credentials of `sys`: every party with its scanner key and ledger token, and the regulator's token. */
export function simCredentialsOf(sys: TestSystem) {
  const party = (gln: string, site: string, prefixes?: string[]) => ({
    gln,
    name: gln,
    ...(prefixes ? { companyPrefixes: prefixes } : {}),
    scanners: [{ site, key: sys.scanner[gln]! }],
    ledgerToken: sys.partnerToken[gln]!,
  });
  return {
    ledger: { url: sys.ledgerUrl, regulatorToken: sys.regulatorToken },
    services: {
      manufacturer: { url: sys.urls.manufacturer, parties: [party(GLN.maker, GLN.makerSite, ['0614141'])] },
      distributor: { url: sys.urls.distributor, parties: [party(GLN.distributor, GLN.distributorSite)] },
      pharmacy: {
        url: sys.urls.pharmacy,
        parties: [party(GLN.pharmacy1, GLN.pharmacy1Site), party(GLN.pharmacy2, GLN.pharmacy2Site)],
      },
    },
  };
}
