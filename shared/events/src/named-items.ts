import type { CustodyEvent } from './custody-event.ts';

/**
 * The items an event names, in event order without repeats: what the ledger hash-links (DESIGN §4,
 * `links`). Every node must compute exactly this list, so it lives here and nowhere else.
 */
export function namedItems(event: CustodyEvent): string[] {
  switch (event.type) {
    case 'AGGREGATE':
    case 'DISAGGREGATE':
      return [...new Set([event.parent, ...event.children])];
    case 'RECALL':
    case 'REGISTRY':
      return [];
    case 'RAISE_ALERT':
    case 'UPDATE_ALERT':
      return [event.item];
    default:
      return [...new Set(event.items)];
  }
}
