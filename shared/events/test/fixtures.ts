// Parties, keys and one event of every type, shared by the tests. GLNs, GTINs and SSCCs carry valid
// check digits.
import type { CustodyEvent, CustodyEventOf, EventHeader, RegistryChange } from '../src/index.ts';
import { SigningKey } from '../src/index.ts';

export const GLN = {
  authority: '9520000000004',
  manufacturer: '4012345000009',
  plant: '4012345000016',
  distributor: '9501101530003',
  warehouse: '9501101530010',
  pharmacy: '9520000000011',
  counter: '9520000000028',
} as const;

export const GTIN = '04012345123456';
export const SGTIN = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;
export const SSCC1 = 'https://id.gs1.org/00/040123450000000016';
export const SSCC2 = 'https://id.gs1.org/00/040123450000000023';

/** Deterministic keys, so failures reproduce. */
export const keyFromByte = (b: number) => SigningKey.fromSeed(new Uint8Array(32).fill(b));
export const KEYS = {
  authority: keyFromByte(1),
  manufacturer: keyFromByte(2),
  distributor: keyFromByte(3),
  pharmacy: keyFromByte(4),
};

export const T0 = Date.UTC(2025, 0, 15, 9, 30, 0);

export function header(party: string, site: string, n = 1): EventHeader {
  return { eventId: `evt-${n}`, eventTime: T0 + n * 1000, eventTimeOffsetMinutes: 60, party, site };
}

export function genesisChanges(): RegistryChange[] {
  const addKey = (gln: string, key: SigningKey): RegistryChange => ({
    kind: 'AddKey',
    gln,
    keyId: key.keyId,
    publicKey: key.verifyingKey.bytes,
    validFrom: T0 - 86_400_000,
  });
  return [
    {
      kind: 'AddParty',
      gln: GLN.authority,
      name: 'Registry Authority',
      roles: ['AUTHORITY', 'REGULATOR'],
      companyPrefixes: [],
    },
    addKey(GLN.authority, KEYS.authority),
    {
      kind: 'AddParty',
      gln: GLN.manufacturer,
      name: 'Acme Pharma',
      roles: ['MANUFACTURER'],
      companyPrefixes: ['4012345'],
    },
    addKey(GLN.manufacturer, KEYS.manufacturer),
    {
      kind: 'AddParty',
      gln: GLN.distributor,
      name: 'Wholesale AG',
      roles: ['DISTRIBUTOR'],
      companyPrefixes: [],
    },
    addKey(GLN.distributor, KEYS.distributor),
    {
      kind: 'AddParty',
      gln: GLN.pharmacy,
      name: 'Corner Pharmacy',
      roles: ['PHARMACY'],
      companyPrefixes: [],
    },
    addKey(GLN.pharmacy, KEYS.pharmacy),
  ];
}

export function genesisEvent(): CustodyEventOf<'REGISTRY'> {
  return { ...header(GLN.authority, GLN.authority, 0), type: 'REGISTRY', changes: genesisChanges() };
}

/** One event of every type, plus a REGISTRY event with every change kind. */
export function sampleEvents(): CustodyEvent[] {
  const m = (n: number) => header(GLN.manufacturer, GLN.plant, n);
  return [
    {
      ...m(1),
      type: 'COMMISSION',
      items: [SGTIN('SN0001'), SGTIN('SN0002'), SSCC1],
      lot: 'LOT-42',
      expiry: '271231',
    },
    { ...m(2), type: 'AGGREGATE', parent: SSCC1, children: [SGTIN('SN0001'), SGTIN('SN0002')] },
    { ...m(3), type: 'DISAGGREGATE', parent: SSCC1, children: [] },
    { ...m(4), type: 'DISAGGREGATE', parent: SSCC1, children: [SGTIN('SN0002')] },
    { ...m(5), type: 'SHIP', items: [SSCC1], to: GLN.distributor },
    { ...header(GLN.distributor, GLN.warehouse, 6), type: 'RECEIVE', items: [SSCC1], from: GLN.manufacturer },
    { ...header(GLN.pharmacy, GLN.counter, 7), type: 'DISPENSE', items: [SGTIN('SN0001')] },
    { ...m(8), type: 'DECOMMISSION', items: [SGTIN('SN0002'), SSCC2], reason: 'damaged' },
    { ...m(9), type: 'RECALL', gtin: GTIN, lot: 'LOT-42', reason: 'Contamination found in lot' },
    genesisEvent(),
    {
      ...header(GLN.authority, GLN.authority, 10),
      type: 'REGISTRY',
      changes: [
        { kind: 'SetRoles', gln: GLN.pharmacy, roles: ['PHARMACY', 'DISTRIBUTOR'] },
        { kind: 'SetCompanyPrefixes', gln: GLN.manufacturer, companyPrefixes: ['4012345', '4099999'] },
        {
          kind: 'RevokeKey',
          gln: GLN.distributor,
          keyId: KEYS.distributor.keyId,
          revokedAt: T0 + 5000,
          reason: 'lost laptop',
        },
      ],
    },
  ];
}
