import { type CustodyEvent, formatRfc3339, namedItems, type RegistryChange } from '@rxledger/events/portable';

/**
 * What an event did to `item`, in a few words for a timeline. Events that reach the item through a
 * container say which one ("via ...").
 * @example describeEffect(shipOfPallet, pack) // 'shipped to 4001234000008 via https://id.gs1.org/00/…'
 */
export function describeEffect(event: CustodyEvent, item: string): string {
  const named = namedItems(event);
  const direct = named.includes(item);
  const via = direct ? '' : ` via ${list(named)}`;
  switch (event.type) {
    case 'COMMISSION':
      return direct
        ? `commissioned (lot ${event.lot}, expiry ${event.expiry})`
        : `commissioned ${list(named)} (lot ${event.lot})`;
    case 'AGGREGATE':
      if (event.parent === item) return `packed ${count(event.children.length, 'item')} into it`;
      if (direct) return `packed into ${event.parent}`;
      return `${list(event.children)} packed into ${event.parent}`;
    case 'DISAGGREGATE': {
      const which = event.children.length === 0 ? 'all items' : count(event.children.length, 'item');
      if (event.parent === item) return `unpacked ${which}`;
      if (direct) return `unpacked from ${event.parent}`;
      return event.children.length === 0
        ? `${event.parent} unpacked (all items)`
        : `${list(event.children)} unpacked from ${event.parent}`;
    }
    case 'SHIP':
      return `shipped to ${event.to}${via}`;
    case 'RECEIVE':
      return `received from ${event.from}${via}`;
    case 'DISPENSE':
      return `dispensed${via}`;
    case 'DECOMMISSION':
      return `decommissioned (${event.reason})${via}`;
    case 'RECALL':
      return `recall of GTIN ${event.gtin} lot ${event.lot}: ${event.reason}`;
    case 'REGISTRY':
      return describeChanges(event.changes);
    case 'UNDO_DISPENSE':
      return `dispense ${event.dispense} undone${via}`;
    case 'RAISE_ALERT':
      return `alert ${event.code} raised at the counter`;
    case 'UPDATE_ALERT': {
      const cause = event.rootCause === null ? '' : ` (${event.rootCause})`;
      return `alert ${event.alert}: ${event.status}${cause}`;
    }
  }
}

/**
 * A registry event's changes in one line.
 * @example describeChanges(genesis.changes) // 'adds parties 9000000000018, 0614141000005; adds 2 keys'
 */
export function describeChanges(changes: readonly RegistryChange[]): string {
  const parts: string[] = [];
  const of = <K extends RegistryChange['kind']>(kind: K) =>
    changes.filter((c): c is Extract<RegistryChange, { kind: K }> => c.kind === kind);
  const added = of('AddParty');
  if (added.length > 0)
    parts.push(`adds ${added.length === 1 ? 'party' : 'parties'} ${list(added.map((c) => c.gln))}`);
  for (const c of of('SetRoles')) parts.push(`sets roles of ${c.gln} to ${c.roles.join(', ') || 'none'}`);
  for (const c of of('SetCompanyPrefixes')) {
    parts.push(`sets company prefixes of ${c.gln} to ${c.companyPrefixes.join(', ') || 'none'}`);
  }
  const keys = of('AddKey');
  if (keys.length > 0) parts.push(`adds ${count(keys.length, 'key')}`);
  for (const c of of('RevokeKey')) {
    parts.push(`revokes key ${c.keyId} of ${c.gln} from ${formatRfc3339(c.revokedAt, 0)} (${c.reason})`);
  }
  return parts.join('; ') || 'no changes';
}

function list(items: readonly string[]): string {
  return items.length <= 2
    ? items.join(', ')
    : `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
