import type { CustodyRecord, CustodyWorld, EntityRecord, TerminalRecord } from './custody-world.ts';

/** An entity's custody as it stands, its containers' later records included. */
export interface EffectiveCustody {
  custody?: CustodyRecord;
  /** The first terminal record that reached it. */
  terminal?: TerminalRecord;
  /** The terminal records that reached it through its current containers, tagged with the container. */
  inherited: TerminalRecord[];
}

/**
 * Walks up from `entity` through its containers (O(depth)). A container's record counts only if it was
 * written after the entity joined the chain up to it: the newest custody record wins, and the oldest
 * terminal record wins. A record reached through a stay that was not legitimate is returned with
 * `legit: false`: whoever smuggled an item into a container gains nothing by moving the container.
 */
export function effectiveCustody(world: CustodyWorld, entity: EntityRecord): EffectiveCustody {
  let custody = entity.custody;
  let terminal = entity.terminals[0];
  const inherited: TerminalRecord[] = [];
  let joined = -1;
  let tainted = false;
  let at = entity;
  // Containment never has cycles (evolve refuses them); the bound only guards against a corrupt world.
  for (let depth = 0; at.parent !== undefined && depth <= world.entities.size; depth++) {
    const stay = at.memberships.at(-1);
    const parent = world.entities.get(at.parent);
    if (stay === undefined || parent === undefined) break;
    joined = Math.max(joined, stay.from);
    tainted ||= !stay.legit;
    const c = parent.custody;
    if (c !== undefined && c.stamp > joined && (custody === undefined || c.stamp > custody.stamp))
      custody = tainted && c.legit ? { ...c, legit: false } : c;
    for (const t of parent.terminals) {
      if (t.stamp <= joined) continue;
      const tagged = t.container === undefined ? { ...t, container: parent.uri } : t;
      inherited.push(tagged);
      if (terminal === undefined || t.stamp < terminal.stamp) terminal = tagged;
    }
    at = parent;
  }
  const out: EffectiveCustody = { inherited };
  if (custody !== undefined) out.custody = custody;
  if (terminal !== undefined) out.terminal = terminal;
  return out;
}
