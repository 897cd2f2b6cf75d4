// Builds the golden vectors of CustodyEvent v2 (DESIGN.md §4): the undo of a dispense and the alert
// workflow, the three bodies only v2 can carry, each as its event bytes, signing payload, signature
// and SignedEvent record. The keys are wire.json's (same seeds), so a verifier that has those keys can
// check these too. Frozen in custody-v2.json; custody-v2.unit.test.ts rebuilds and compares.
import {
  type CustodyEvent,
  encodeCustodyEvent,
  encodeSignedEvent,
  nobleEd25519,
  RECORD_NAMES,
  rxledgerSchemas,
  SigningKey,
  signEvent,
  signingPayload,
} from '@rxledger/events';
import { toHex } from '@rxledger/tlog';
import { eventAsData, GLN, GTIN, SEEDS, seedOf, T0, type WireVectors } from './build-wire-vectors.ts';

export interface CustodyV2Vectors {
  description: string;
  /** Single-object fingerprint (CRC-64-AVRO of the Parsing Canonical Form) of rxledger.v2.CustodyEvent. */
  fingerprint: string;
  events: WireVectors['events'];
}

const PACK = `https://id.gs1.org/01/${GTIN}/21/SN0001`;

function v2Events(): Array<{ name: string; signer: 'manufacturer' | 'pharmacy'; event: CustodyEvent }> {
  const at = (party: string, site: string, n: number) => ({
    eventId: `golden-v2-${n}`,
    eventTime: T0 + 3 * 86_400_000 + n * 60_000,
    eventTimeOffsetMinutes: 60,
    party,
    site,
  });
  const pharmacy = (n: number) => at(GLN.pharmacy, GLN.counter, n);
  return [
    {
      name: 'undo-dispense',
      signer: 'pharmacy',
      event: { ...pharmacy(1), type: 'UNDO_DISPENSE', dispense: 'golden-9', items: [PACK] },
    },
    {
      name: 'raise-alert',
      signer: 'pharmacy',
      event: {
        ...pharmacy(2),
        type: 'RAISE_ALERT',
        item: PACK,
        code: 'LOT_MISMATCH',
        lot: 'LOT-41',
        expiry: '',
      },
    },
    {
      name: 'update-alert-info-requested',
      signer: 'manufacturer',
      event: {
        ...at(GLN.manufacturer, GLN.plant, 3),
        type: 'UPDATE_ALERT',
        alert: 'A-golden-v2-2',
        item: PACK,
        status: 'INFO_REQUESTED',
        rootCause: null,
        note: 'Please send a photo of the label.',
      },
    },
    {
      name: 'update-alert-closed',
      signer: 'manufacturer',
      event: {
        ...at(GLN.manufacturer, GLN.plant, 4),
        type: 'UPDATE_ALERT',
        alert: 'A-golden-v2-2',
        item: PACK,
        status: 'CLOSED',
        rootCause: 'PHARMACY_PROCEDURAL_ERROR',
        note: '',
      },
    },
  ];
}

/** Every CustodyEvent v2 vector, computed afresh from the fixed inputs above. */
export function buildCustodyV2Vectors(): CustodyV2Vectors {
  const keys = {
    manufacturer: SigningKey.fromSeed(seedOf(SEEDS.manufacturer)),
    pharmacy: SigningKey.fromSeed(seedOf(SEEDS.pharmacy)),
  };
  const events = v2Events().map(({ name, signer, event }) => {
    const eventBytes = encodeCustodyEvent(event);
    const signed = signEvent(nobleEd25519, keys[signer], eventBytes);
    return {
      name,
      signer,
      event: eventAsData(event),
      eventBytes: toHex(eventBytes),
      signingPayload: toHex(signingPayload(eventBytes)),
      signature: toHex(signed.signature),
      signedEvent: toHex(encodeSignedEvent(signed)),
    };
  });
  return {
    description:
      "Golden vectors of CustodyEvent v2 (DESIGN.md §4): the undo of a dispense and the alert workflow, signed with wire.json's keys. Built by build-custody-v2-vectors.ts. Frozen: a change here is a change of contract.",
    fingerprint: rxledgerSchemas.get(RECORD_NAMES.custodyEventV2)!.fingerprint,
    events,
  };
}
