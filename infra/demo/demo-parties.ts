// The demo trading partners `npm start` sets up. GLNs and the company prefix are from GS1's
// documentation ranges (0614141, 4012345 and 9501101 are company prefixes of GS1's examples), with
// valid check digits. Several of each kind, so that the simulated network (`rxledger simulate`) has
// somewhere to ship, divert and resell to.

export interface DemoParty {
  kind: 'manufacturer' | 'distributor' | 'pharmacy';
  gln: string;
  name: string;
  companyPrefixes?: string[];
  /** Sites where this party's scanners stand (GLN-13). */
  sites: string[];
}

export const DEMO_AUTHORITY = { gln: '9000000000018', name: 'rxledger Registry Authority' };
export const DEMO_REGULATOR = { gln: '9000000000025', name: 'Demo Medicines Regulator' };

export const DEMO_PARTIES: DemoParty[] = [
  {
    kind: 'manufacturer',
    gln: '0614141000005',
    name: 'Acme Pharma',
    companyPrefixes: ['0614141'],
    sites: ['0614141000012', '0614141000029'],
  },
  {
    kind: 'manufacturer',
    gln: '4012345000009',
    name: 'Rhein Biologics',
    companyPrefixes: ['4012345'],
    sites: ['4012345000016'],
  },
  {
    kind: 'manufacturer',
    gln: '9501101000001',
    name: 'Beacon Laboratories',
    companyPrefixes: ['9501101'],
    sites: ['9501101000018'],
  },
  { kind: 'distributor', gln: '4001234000008', name: 'Northwind Distribution', sites: ['4001234000015'] },
  { kind: 'distributor', gln: '7612345000008', name: 'Alpine Wholesale', sites: ['7612345000015'] },
  { kind: 'pharmacy', gln: '5009999000003', name: 'Corner Pharmacy', sites: ['5009999000010'] },
  { kind: 'pharmacy', gln: '5009999000027', name: 'Harbour Pharmacy', sites: ['5009999000034'] },
  { kind: 'pharmacy', gln: '5009999000041', name: 'Market Street Pharmacy', sites: ['5009999000058'] },
];
