// What each alert of a verify answer means at the counter, in the words of the pharmacist reading it:
// what happened, and what to do now. One table, keyed by the ledger's own ALERT_CODES, so a new code
// fails the type check until it has its words here.
import type { AlertCode, VerifyAnswer } from '../src/answers/judge-verify.ts';

export interface AlertText {
  /** A few words, read first. */
  title: string;
  /** What the ledger found, without jargon. */
  what: string;
  /** What to do with the pack in hand. */
  todo: string;
}

const SET_ASIDE = 'Do not dispense. Set the pack aside, keep it, and call your wholesaler.';

export const ALERT_TEXTS: Readonly<Record<AlertCode, AlertText>> = {
  UNKNOWN_PRODUCT: {
    title: 'Product not known',
    what: 'No manufacturer has registered any pack of this product with the ledger.',
    todo: 'Do not dispense. Set the pack aside and ask your wholesaler whether this product is tracked.',
  },
  UNKNOWN_SERIAL: {
    title: 'Serial number never issued',
    what: 'The manufacturer never registered this serial number for this product. Falsified packs often look like this.',
    todo: `${SET_ASIDE} Report it as a suspected falsification.`,
  },
  LOT_MISMATCH: {
    title: 'Batch number does not match',
    what: 'The batch (lot) on this pack is not the batch the manufacturer registered for this serial number.',
    todo: SET_ASIDE,
  },
  EXPIRY_MISMATCH: {
    title: 'Expiry date does not match',
    what: 'The expiry date on this pack is not the one the manufacturer registered for this serial number.',
    todo: SET_ASIDE,
  },
  EXPIRED: {
    title: 'Expired',
    what: 'This pack is past its expiry date.',
    todo: 'Do not dispense. Put it with your expired stock for return or destruction.',
  },
  ALREADY_DISPENSED: {
    title: 'Already dispensed',
    what: 'This pack was already recorded as handed out to a patient. A second pack with the same code can be a copy.',
    todo: 'Do not dispense. If your pharmacy did not just hand out this very pack, set it aside and call your wholesaler.',
  },
  DECOMMISSIONED: {
    title: 'Taken out of circulation',
    what: 'This pack was recorded as destroyed, stolen, a sample, expired or damaged.',
    todo: SET_ASIDE,
  },
  RECALLED: {
    title: 'Batch recalled',
    what: 'The manufacturer has recalled the batch this pack belongs to.',
    todo: 'Do not dispense. Set the pack aside for return, as the recall notice says.',
  },
  CUSTODY_MISMATCH: {
    title: 'Not delivered to your pharmacy',
    what: 'The ledger has no record of this pack being at, or on its way to, your pharmacy.',
    todo: 'Do not dispense. Check the delivery note, and call the wholesaler who delivered it so they can record the delivery.',
  },
  CHAIN_ANOMALY: {
    title: 'Irregular history',
    what: 'The recorded history of this pack breaks the custody rules (for example, received with no shipment).',
    todo: SET_ASIDE,
  },
};

/** The words for an alert; a code this page does not know yet still shows, with the ledger's own message. */
export function alertText(code: string, message: string): AlertText {
  return (
    (ALERT_TEXTS as Readonly<Record<string, AlertText>>)[code] ?? {
      title: code,
      what: message,
      todo: 'Do not dispense until you know what this means: call your wholesaler.',
    }
  );
}

/** The pack's status, said plainly. */
export const STATUS_TEXTS: Readonly<Record<VerifyAnswer['status'], string>> = {
  ACTIVE: 'in stock',
  IN_TRANSIT: 'shipped, not yet booked in as received',
  DISPENSED: 'dispensed to a patient',
  DECOMMISSIONED: 'taken out of circulation',
  RECALLED: 'batch recalled',
  UNKNOWN: 'not known to the ledger',
};
