// A small world of parties and keys for ledger tests: sign custody events exactly as a partner
// service would and wrap them as consumed records.
import {
  type CustodyEvent,
  encodeCustodyEvent,
  encodeSignedEvent,
  genesisEvent,
  nodeEd25519,
  SigningKey,
  signEvent,
} from '@rxledger/events';
import type { ConsumedRecord } from '../../src/intake/precheck.ts';

export const GLN = {
  authority: '9000000000018',
  maker: '0614141000005',
  makerSite: '0614141000012',
  distributor: '4001234000008',
  distributorSite: '4001234000015',
  pharmacy: '5009999000003',
  pharmacySite: '5009999000010',
  pharmacy2: '5009999000027',
} as const;

export const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

/** SGTIN URI of test pack `n` of GTIN 00614141123452 (company prefix 0614141). */
export const pack = (n: number) => `https://id.gs1.org/01/00614141123452/21/S${n}`;
/** SSCC URI of test container `n` (extension 0, company prefix 0614141). */
export const sscc = (n: number) => {
  const body = `00614141${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[16 - i]) * (i % 2 === 0 ? 3 : 1);
  return `https://id.gs1.org/00/${body}${(10 - (sum % 10)) % 10}`;
};

export class TestChain {
  readonly authority = SigningKey.generate();
  readonly maker = SigningKey.generate();
  readonly distributor = SigningKey.generate();
  readonly pharmacy = SigningKey.generate();
  readonly pharmacy2 = SigningKey.generate();
  readonly outsider = SigningKey.generate();
  #offset = 0;
  #n = 0;

  /** The genesis REGISTRY event registering every test party but the outsider. */
  genesis(eventTime = T0 - 60_000): CustodyEvent {
    return genesisEvent({
      authority: { gln: GLN.authority, name: 'Authority', key: this.authority.verifyingKey },
      parties: [
        {
          gln: GLN.maker,
          name: 'Acme',
          roles: ['MANUFACTURER'],
          companyPrefixes: ['0614141'],
          keys: [this.maker.verifyingKey],
        },
        {
          gln: GLN.distributor,
          name: 'Northwind',
          roles: ['DISTRIBUTOR'],
          keys: [this.distributor.verifyingKey],
        },
        { gln: GLN.pharmacy, name: 'Corner', roles: ['PHARMACY'], keys: [this.pharmacy.verifyingKey] },
        { gln: GLN.pharmacy2, name: 'Harbour', roles: ['PHARMACY'], keys: [this.pharmacy2.verifyingKey] },
      ],
      eventTime,
    });
  }

  /** The Kafka value of `event` signed by `key`. */
  sign(event: CustodyEvent, key: SigningKey): Uint8Array {
    return encodeSignedEvent(signEvent(nodeEd25519, key, encodeCustodyEvent(event)));
  }

  /** The next consumed record carrying `value`, received at `timestamp`. */
  record(value: Uint8Array | null, timestamp = T0 + 3_600_000): ConsumedRecord {
    return { offset: this.#offset++, value, timestamp };
  }

  /** A signed record of an event of `party` with defaults for what the test does not care about. */
  event(
    key: SigningKey,
    fields: Partial<CustodyEvent> & Pick<CustodyEvent, 'type'>,
    party?: string,
  ): ConsumedRecord {
    const gln = party ?? this.partyOf(key);
    const event = {
      eventId: `e${++this.#n}`,
      eventTime: T0 + this.#n * 1_000,
      eventTimeOffsetMinutes: 120,
      party: gln,
      site: gln,
      ...fields,
    } as CustodyEvent;
    return this.record(this.sign(event, key));
  }

  /** Signed Kafka values of `n` one-pack COMMISSION events by the maker, packs `from`.. (eventIds c<i>). */
  commissions(from: number, n: number, eventTime = Date.now()): Uint8Array[] {
    return Array.from({ length: n }, (_, k) =>
      this.sign(
        {
          type: 'COMMISSION',
          eventId: `c${from + k}`,
          eventTime,
          eventTimeOffsetMinutes: 0,
          party: GLN.maker,
          site: GLN.makerSite,
          items: [pack(from + k)],
          lot: 'L1',
          expiry: '281231',
        },
        this.maker,
      ),
    );
  }

  partyOf(key: SigningKey): string {
    if (key === this.maker) return GLN.maker;
    if (key === this.distributor) return GLN.distributor;
    if (key === this.pharmacy) return GLN.pharmacy;
    if (key === this.pharmacy2) return GLN.pharmacy2;
    if (key === this.authority) return GLN.authority;
    return GLN.maker;
  }
}
