import { RxError } from '@rxledger/runtime';
import type { LedgerStore } from '../store/ledger-store.ts';

/** What became of an event: appended at `index`, or refused with the reason. */
export type EventStateAnswer =
  | { eventId: string; party: string; state: 'ACCEPTED'; index: number }
  | { eventId: string; party: string; state: 'REJECTED'; reason: { code: string; message: string } };

/**
 * The ledger's verdict on `eventId` among the events whose signer `mayAsk` admits; undefined while
 * the ledger has not decided (not folded yet, or not this reader's). eventIds are scoped to their
 * signer, so one id may name accepted events of several parties: AMBIGUOUS_EVENT_ID then, and the
 * reader narrows it by party. Only a rejection attributed to a signer (its signature verified) counts.
 */
export function eventState(
  store: LedgerStore,
  eventId: string,
  mayAsk: (signer: string) => boolean,
): EventStateAnswer | undefined {
  const accepted = store.acceptedEvents(eventId).filter((a) => mayAsk(a.party));
  if (accepted.length > 1) {
    const parties = accepted.map((a) => a.party).join(', ');
    throw new RxError(
      'AMBIGUOUS_EVENT_ID',
      `eventId ${eventId} was used by ${parties}; ask with ?party=<GLN>`,
      {
        status: 409,
      },
    );
  }
  if (accepted[0]) return { eventId, party: accepted[0].party, state: 'ACCEPTED', index: accepted[0].seq };
  const rejected = store.attributedRejections(eventId).find((r) => r.party !== null && mayAsk(r.party));
  if (!rejected) return undefined;
  return {
    eventId,
    party: rejected.party!,
    state: 'REJECTED',
    reason: { code: rejected.code, message: rejected.message },
  };
}
