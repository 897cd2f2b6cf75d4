import type { CustodyEvent } from '@rxledger/events';

/**
 * `event` as the custody fold of some items needs it, given `subjects`: those items and every container
 * that ever held them (transitively). Items and children outside `subjects` are left out: to that fold
 * they are stubs whose state no answer reads, and a 10,000-item commission would otherwise cost 10,000
 * of them on every verify of one of its packs. A DISAGGREGATE none of whose children is a subject keeps
 * them all, since no children at all means "every child". The event is returned as is when nothing is
 * left out; it is never changed in place.
 */
export function focusEvent(event: CustodyEvent, subjects: ReadonlySet<string>): CustodyEvent {
  switch (event.type) {
    case 'COMMISSION':
    case 'SHIP':
    case 'RECEIVE':
    case 'DISPENSE':
    case 'DECOMMISSION':
    case 'UNDO_DISPENSE': {
      const items = kept(event.items, subjects);
      return items === event.items ? event : { ...event, items };
    }
    case 'AGGREGATE':
    case 'DISAGGREGATE': {
      const children = kept(event.children, subjects);
      if (children === event.children) return event;
      if (event.type === 'DISAGGREGATE' && children.length === 0) return event;
      return { ...event, children };
    }
    default:
      return event;
  }
}

// `uris` itself when every one is a subject (the common case: no copy).
function kept(uris: string[], subjects: ReadonlySet<string>): string[] {
  if (uris.every((uri) => subjects.has(uri))) return uris;
  return uris.filter((uri) => subjects.has(uri));
}
