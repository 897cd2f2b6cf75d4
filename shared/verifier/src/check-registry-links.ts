import { registrySubjects } from '@rxledger/events/portable';
import { toHex } from '@rxledger/tlog';
import type { BundleCheck } from './bundle-report.ts';
import type { LinkedLeaf } from './check-links.ts';

/** The link checks of LedgerEntry v2 leaves, and the leaves they point at that the bundle leaves out. */
export interface RegistryLinksResult {
  checks: BundleCheck[];
  /** Hex leaf hashes of registry leaves a link points at that the bundle does not carry. */
  missing: string[];
}

type Head = { index: number; hex: string };

/**
 * Checks what makes the registry list provably complete (LedgerEntry v2, DESIGN §4): every v2
 * registry leaf's links must point, per party and key subject, at the previous registry leaf of the
 * bundle naming it; every v2 leaf's signerLinks at the latest registry leaf of the bundle naming its
 * signing party and key before it. A link to a leaf the bundle does not carry means the bundle left
 * out a registry leaf (a rotation, a revocation) and names it by its hash. v1 leaves get no check.
 */
export function checkRegistryLinks(
  registry: readonly LinkedLeaf[],
  entries: readonly LinkedLeaf[],
): RegistryLinksResult {
  const named = namedBy(registry);
  const bundleLeaves = new Map([...registry, ...entries].map((l) => [toHex(l.hash), l.index]));
  const missing = new Set<string>();
  const judgeAll = (at: number, subjects: readonly string[], links: readonly (Uint8Array | null)[]) =>
    subjects.flatMap((subject, k) => {
      const problem = judge(subject, links[k] ?? null, latestBefore(named.get(subject), at), bundleLeaves);
      if (problem?.missing) missing.add(problem.missing);
      return problem ? [problem.detail] : [];
    });

  const checks: BundleCheck[] = [];
  for (const { index, leaf } of registry) {
    if (leaf?.entry.version !== 2 || leaf.event.type !== 'REGISTRY') continue;
    const subjects = leaf.subjects.slice(leaf.items.length);
    const problems = judgeAll(index, subjects, leaf.entry.links.slice(leaf.items.length));
    checks.push(
      result('registry links', index, problems, `${subjects.length} party and key chains continue unbroken`),
    );
  }
  for (const { index, leaf } of [...registry, ...entries].sort((a, b) => a.index - b.index)) {
    if (leaf?.entry.version !== 2) continue;
    const problems = judgeAll(index, leaf.signers, leaf.entry.signerLinks ?? []);
    const detail = `signer ${leaf.event.party} and key ${leaf.signed.keyId}: the latest registry leaves naming them before it are in the bundle`;
    checks.push(result('signer links', index, problems, detail));
  }
  return { checks, missing: [...missing] };
}

// Per registry subject, the bundle's registry leaves naming it, ascending.
function namedBy(registry: readonly LinkedLeaf[]): Map<string, Head[]> {
  const named = new Map<string, Head[]>();
  for (const { index, hash, leaf } of [...registry].sort((a, b) => a.index - b.index)) {
    if (leaf === undefined) continue;
    for (const subject of registrySubjects(leaf.event)) {
      named.set(subject, [...(named.get(subject) ?? []), { index, hex: toHex(hash) }]);
    }
  }
  return named;
}

function latestBefore(heads: readonly Head[] | undefined, index: number): Head | undefined {
  let found: Head | undefined;
  for (const h of heads ?? []) {
    if (h.index >= index) break;
    found = h;
  }
  return found;
}

// What is wrong with the link for `subject`, given the bundle's latest registry leaf naming it
// before the linking leaf; undefined when the link points exactly there (or is null and there is none).
function judge(
  subject: string,
  link: Uint8Array | null,
  expected: Head | undefined,
  bundleLeaves: ReadonlyMap<string, number>,
): { detail: string; missing?: string } | undefined {
  const want = expected === undefined ? 'none' : `leaf ${expected.index}`;
  if (link === null) {
    return expected === undefined
      ? undefined
      : { detail: `${subject}: link is null, but registry leaf ${expected.index} of the bundle names it` };
  }
  const hex = toHex(link);
  if (hex === expected?.hex) return undefined;
  const target = bundleLeaves.get(hex);
  if (target !== undefined) {
    return {
      detail: `${subject}: link points at leaf ${target}, but the latest registry leaf naming it before this one is ${want}`,
    };
  }
  return {
    detail: `${subject}: link points at registry leaf ${hex}, which the bundle leaves out (after ${want})`,
    missing: hex,
  };
}

function result(
  what: 'registry links' | 'signer links',
  index: number,
  problems: string[],
  ok: string,
): BundleCheck {
  return problems.length === 0
    ? { ok: true, what, index, detail: ok }
    : { ok: false, what, index, detail: problems.join('; ') };
}
