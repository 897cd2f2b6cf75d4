import type { CustodyEvent } from '@rxledger/events/portable';
import { toHex } from '@rxledger/tlog';
import type { BundleCheck } from './bundle-report.ts';
import type { DecodedLeaf } from './decode-leaf.ts';

/** A leaf of the bundle with its leaf hash, and its records if it decoded. */
export interface LinkedLeaf {
  index: number;
  hash: Uint8Array;
  leaf?: DecodedLeaf;
}

interface Chain {
  container: boolean;
  first: number;
  last: number;
  entries: number;
  /** Where the chain continues from history outside the bundle (allowed for containers only). */
  resumed: number[];
  broken: boolean;
}

/**
 * Checks the per-item hash links (DESIGN §4) of the asked item and of each container while the item
 * was inside it. The item's chain must be whole: its first entry links to nothing, every later one to
 * the previous entry naming it. A container's chain may start from, or resume after the item left it
 * from, history outside the bundle; within a stay every link must name the previous entry. Containment
 * is followed in ledger order from the bundle's own AGGREGATE and DISAGGREGATE events.
 */
export function checkLinks(
  item: string,
  entries: readonly LinkedLeaf[],
  bundleLeaves: ReadonlyMap<string, number>,
): BundleCheck[] {
  const what = 'hash links';
  const failures: BundleCheck[] = [];
  const chains = new Map<string, Chain>();
  const lastNamed = new Map<string, { index: number; hex: string }>();
  const parentOf = new Map<string, string>();
  const leftSince = new Set<string>();
  let inside = new Set<string>();
  const unchained: number[] = [];

  for (const { index, hash, leaf } of entries) {
    if (leaf === undefined) continue; // reported by 'leaf decoding'; the next link shows the hole
    const before = inside;
    applyContainment(parentOf, leaf.event);
    const after = containersOf(item, parentOf);
    const inChain = leaf.items.some((x) => x === item || before.has(x) || after.has(x));
    if (!inChain && leaf.event.type !== 'RECALL') unchained.push(index);
    for (const [k, x] of leaf.items.entries()) {
      const isItem = x === item;
      if (!isItem && !before.has(x) && !after.has(x)) continue;
      const link = leaf.entry.links[k] ?? null;
      const prev = lastNamed.get(x);
      let chain = chains.get(x);
      const problem = judge(x, index, link, {
        isItem,
        prev,
        chain,
        resumable: chain === undefined || leftSince.has(x),
        bundleLeaves,
      });
      if (chain === undefined) {
        chain = { container: !isItem, first: index, last: index, entries: 0, resumed: [], broken: false };
        chains.set(x, chain);
      }
      chain.entries++;
      chain.last = index;
      if (problem === 'resumed') chain.resumed.push(index);
      else if (problem !== undefined) {
        chain.broken = true;
        failures.push({
          ok: false,
          what,
          index,
          detail: `${isItem ? 'item' : 'container'} ${x}: ${problem}`,
        });
      }
      leftSince.delete(x);
    }
    for (const c of before) if (!after.has(c)) leftSince.add(c);
    inside = after;
    const hex = toHex(hash);
    for (const x of leaf.items) lastNamed.set(x, { index, hex });
  }

  if (!chains.has(item)) return [...failures, { ok: false, what, detail: `no entry names ${item}` }];
  // Not a failure: a container the item entered while the container sat in another one (an AGGREGATE
  // before the item's stay, so outside the bundle) has entries the bundle cannot tie to the item.
  const uncovered =
    unchained.length === 0
      ? ''
      : `; ${unchained.length === 1 ? 'entry' : 'entries'} ${unchained.join(', ')} ${unchained.length === 1 ? 'names' : 'name'} neither it nor a container the bundle shows it in, so no chain covers them`;
  const summaries: BundleCheck[] = [];
  for (const [x, chain] of chains) {
    if (chain.broken) continue;
    const span = `${chain.entries} ${chain.entries === 1 ? 'entry' : 'entries'}, index ${chain.first} to ${chain.last}`;
    const resumed =
      chain.resumed.length === 0
        ? ''
        : `; continues from history outside the bundle at ${chain.resumed.join(', ')}`;
    const detail = chain.container
      ? `container ${x}: ${span}, unbroken while the item was inside${resumed}`
      : `item ${x}: ${span}, unbroken from its first leaf; no later leaf naming it can be ruled out from the bundle alone${uncovered}`;
    summaries.push({ ok: true, what, detail });
  }
  return [...summaries, ...failures].sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

// What is wrong with the link for `x` at `index`; 'resumed' when it legitimately continues a
// container's chain from history outside the bundle; undefined when it names the previous entry.
function judge(
  x: string,
  index: number,
  link: Uint8Array | null,
  at: {
    isItem: boolean;
    prev: { index: number; hex: string } | undefined;
    chain: Chain | undefined;
    resumable: boolean;
    bundleLeaves: ReadonlyMap<string, number>;
  },
): string | undefined {
  const { isItem, prev, chain } = at;
  if (link === null) {
    return prev === undefined ? undefined : `link is null, but leaf ${prev.index} of the bundle names it`;
  }
  const hex = toHex(link);
  if (prev !== undefined && hex === prev.hex) return undefined;
  const target = at.bundleLeaves.get(hex);
  if (target !== undefined) {
    return `link points at leaf ${target}, but the previous leaf naming ${x} is ${prev === undefined ? 'none' : prev.index}`;
  }
  if (chain === undefined) {
    return isItem
      ? 'its first entry links to a leaf outside the bundle: earlier history of the item is left out'
      : 'resumed';
  }
  if (!isItem && at.resumable) return 'resumed';
  return `link points at a leaf outside the bundle: a leaf naming it between ${chain.last} and ${index} is missing`;
}

// The bundle's own containment evidence, in ledger order (children may be containers themselves).
function applyContainment(parentOf: Map<string, string>, event: CustodyEvent): void {
  if (event.type === 'AGGREGATE') {
    for (const child of event.children) parentOf.set(child, event.parent);
  } else if (event.type === 'DISAGGREGATE') {
    const children =
      event.children.length > 0
        ? event.children
        : [...parentOf].filter(([, p]) => p === event.parent).map(([c]) => c);
    for (const child of children) if (parentOf.get(child) === event.parent) parentOf.delete(child);
  }
}

function containersOf(item: string, parentOf: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (let p = parentOf.get(item); p !== undefined && p !== item && !out.has(p); p = parentOf.get(p)) {
    out.add(p);
  }
  return out;
}
