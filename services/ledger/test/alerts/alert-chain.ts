// The ledger tests' chain of parties plus a regulator, with helpers for alert events.
import { type CustodyEvent, SigningKey } from '@rxledger/events';
import type { ConsumedRecord } from '../../src/intake/precheck.ts';
import { pack, TestChain } from '../support/test-chain.ts';

export const REGULATOR = '9000000000025';

/** The test chain plus a regulator, whose genesis registers it. */
export class AlertChain extends TestChain {
  readonly regulator = SigningKey.generate();

  genesisRecord(): ConsumedRecord {
    const g = this.genesis();
    if (g.type !== 'REGISTRY') throw new Error('genesis is a REGISTRY event');
    const key = this.regulator.verifyingKey;
    g.changes.push(
      { kind: 'AddParty', gln: REGULATOR, name: 'Agency', roles: ['REGULATOR'], companyPrefixes: [] },
      { kind: 'AddKey', gln: REGULATOR, keyId: key.keyId, publicKey: key.bytes, validFrom: g.eventTime },
    );
    return this.record(this.sign(g, this.authority));
  }

  override partyOf(key: SigningKey): string {
    return key === this.regulator ? REGULATOR : super.partyOf(key);
  }

  commission(items: string[], lot = 'L1', expiry = '281231'): ConsumedRecord {
    return this.event(this.maker, { type: 'COMMISSION', items, lot, expiry } as never);
  }

  raise(key: SigningKey, item: string, code: string, eventId: string, lot = '', expiry = ''): ConsumedRecord {
    return this.event(key, { type: 'RAISE_ALERT', eventId, item, code, lot, expiry } as never);
  }

  update(key: SigningKey, alert: string, fields: Partial<CustodyEvent> & { status: string }): ConsumedRecord {
    return this.event(key, {
      type: 'UPDATE_ALERT',
      alert,
      item: pack(5),
      rootCause: null,
      note: '',
      ...fields,
    } as never);
  }
}
