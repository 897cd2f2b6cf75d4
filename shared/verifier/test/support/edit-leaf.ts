// Leaf surgery for "dishonest ledger" tests: change what a leaf says, then let make-bundle rebuild the
// tree and sign a checkpoint over it, so only the changed content can give the lie away.
import {
  type CustodyEvent,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  encodeCustodyEvent,
  encodeLedgerEntry,
  encodeSignedEvent,
  type LedgerEntry,
  nodeEd25519,
  type SignedEvent,
  type SigningKey,
  signEvent,
} from '@rxledger/events';

/** The custody event inside leaf bytes. */
export function eventIn(leaf: Uint8Array): CustodyEvent {
  return decodeCustodyEvent(decodeSignedEvent(decodeLedgerEntry(leaf).signedEvent).event);
}

/** The leaf with its ledger entry changed by `edit`. */
export function editEntry(leaf: Uint8Array, edit: (entry: LedgerEntry) => LedgerEntry): Uint8Array {
  return encodeLedgerEntry(edit(decodeLedgerEntry(leaf)));
}

/** The leaf with its signed event changed by `edit` (links and seq kept). */
export function editSigned(leaf: Uint8Array, edit: (signed: SignedEvent) => SignedEvent): Uint8Array {
  return editEntry(leaf, (entry) => ({
    ...entry,
    signedEvent: encodeSignedEvent(edit(decodeSignedEvent(entry.signedEvent))),
  }));
}

/** The leaf with its event changed by `edit` and signed anew by `key`. */
export function resign(
  leaf: Uint8Array,
  key: SigningKey,
  edit: (event: CustodyEvent) => CustodyEvent = (e) => e,
): Uint8Array {
  return editSigned(leaf, (signed) =>
    signEvent(nodeEd25519, key, encodeCustodyEvent(edit(decodeCustodyEvent(signed.event)))),
  );
}
