import { custodyEventToJson, formatRfc3339, VerifyingKey } from '@rxledger/events/portable';
import {
  type Checkpoint,
  leafHash,
  type NoteVerifier,
  parseVerifierKey,
  toHex,
  verifyCheckpoint,
  verifyInclusion,
} from '@rxledger/tlog';
import type { BundleCheck, BundleReport, CheckName, TimelineEntry, VerifierTrust } from './bundle-report.ts';
import { checkLinks } from './check-links.ts';
import { checkRegistryLinks, type RegistryLinksResult } from './check-registry-links.ts';
import { checkSchemas } from './check-schemas.ts';
import { checkSigner } from './check-signer.ts';
import { checkWitnesses, parseWitnessPolicy } from './check-witnesses.ts';
import { type DecodeResult, decodeLeaf } from './decode-leaf.ts';
import { describeEffect } from './describe-effect.ts';
import { foldRegistry } from './fold-registry.ts';
import { type BundleLeaf, parseBundle } from './parse-bundle.ts';

interface Leaf extends BundleLeaf {
  hash: Uint8Array;
  decoded: DecodeResult;
}

/**
 * Checks a provenance bundle (DESIGN §4-§5) fully offline, trusting nothing but its leaves, proofs and
 * checkpoint and the two trust anchors; signatures with @noble only. Never throws for anything in
 * the bundle: every problem is a failed check. Throws only when a trust anchor itself is malformed.
 * @example verifyBundle(JSON.parse(text), { checkpointKey: creds.ledger.checkpointKey, authorityKey: fromBase64(creds.ledger.authorityPublicKey) }).ok
 */
export function verifyBundle(bundle: unknown, trust: VerifierTrust): BundleReport {
  const verifier = parseVerifierKey(trust.checkpointKey);
  const witnessKeys = trust.witnesses === undefined ? [] : parseWitnessPolicy(trust.witnesses);
  const anchor =
    trust.authorityKey instanceof VerifyingKey
      ? trust.authorityKey
      : VerifyingKey.fromBytes(trust.authorityKey);
  const checks: BundleCheck[] = [];
  const report = (extra: Partial<BundleReport> = {}): BundleReport => ({
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    timeline: [],
    registry: [],
    ...extra,
  });

  // 1. Shape: nothing else can be read from a bundle whose JSON is wrong.
  const parsed = parseBundle(bundle);
  if (!parsed.ok) {
    for (const detail of parsed.problems) checks.push({ ok: false, what: 'bundle shape', detail });
    return report();
  }
  const { item, entries, registry, schemas } = parsed.bundle;
  checks.push({
    ok: true,
    what: 'bundle shape',
    detail: `${entries.length} entries, ${registry.length} registry leaves, ${schemas.size} schemas`,
  });

  // 2. The checkpoint, against the ledger node's key.
  const checkpoint = checkCheckpoint(parsed.bundle.checkpoint, verifier, trust.origin, checks);
  const witnessed = checkWitnesses(parsed.bundle.checkpoint, trust.witnesses, witnessKeys, !!checkpoint);
  checks.push(witnessed.check);

  // 3. Schemas: the bundle's own claims, then every leaf through the verifier's schemas.
  checks.push(...checkSchemas(schemas));
  const toLeaf = (l: BundleLeaf): Leaf => ({ ...l, hash: leafHash(l.leaf), decoded: safeDecode(l.leaf) });
  const registryLeaves = registry.map(toLeaf);
  const entryLeaves = entries.map(toLeaf);
  for (const l of [...registryLeaves, ...entryLeaves]) checks.push(decodingCheck(l, schemas));

  // 4-6. The registry: proofs, the fold from the genesis, the v2 registry and signer links, and what
  // can be said about completeness.
  for (const l of registryLeaves) checks.push(inclusionCheck('registry inclusion', l, checkpoint));
  const { history, checks: registryChecks } = foldRegistry(registryLeaves, anchor);
  checks.push(...registryChecks);
  const hashed = (l: Leaf) => ({
    index: l.index,
    hash: l.hash,
    ...(l.decoded.ok ? { leaf: l.decoded.leaf } : {}),
  });
  const links = guardedLinks(() => checkRegistryLinks(registryLeaves.map(hashed), entryLeaves.map(hashed)));
  checks.push(...links.checks);
  checks.push(completenessCheck(registryLeaves, entryLeaves, registryChecks, links, checkpoint));

  // 7-8. Every entry: its proof, then its signer against the registry.
  for (const l of entryLeaves) checks.push(inclusionCheck('entry inclusion', l, checkpoint));
  for (const { index, decoded } of entryLeaves) {
    if (!decoded.ok) {
      checks.push({
        ok: false,
        what: 'entry signature',
        index,
        detail: 'not checked: the leaf does not decode',
      });
      continue;
    }
    const leaf = decoded.leaf;
    checks.push(guarded('entry signature', index, () => checkSigner(index, leaf, history)));
  }

  // 9. Hash links of the item and its containers.
  const bundleLeaves = new Map([...registryLeaves, ...entryLeaves].map((l) => [toHex(l.hash), l.index]));
  checks.push(...guardedAll('hash links', () => checkLinks(item, entryLeaves.map(hashed), bundleLeaves)));

  // 10. Every leaf says which leaf it is.
  for (const l of [...registryLeaves, ...entryLeaves]) {
    if (!l.decoded.ok) continue;
    const seq = l.decoded.leaf.entry.seq;
    checks.push({
      ok: seq === l.index,
      what: 'leaf seq',
      index: l.index,
      detail: seq === l.index ? `seq ${seq}` : `leaf says seq ${seq}, but is proven at index ${l.index}`,
    });
  }

  const failedAt = new Set(checks.filter((c) => !c.ok && c.index !== undefined).map((c) => c.index));
  const anchored = checkpoint !== undefined;
  const timelineOf = (l: Leaf): TimelineEntry[] => {
    if (!l.decoded.ok) return [];
    const { event, signed, items } = l.decoded.leaf;
    return [
      {
        index: l.index,
        verified: anchored && !failedAt.has(l.index),
        eventId: event.eventId,
        type: event.type,
        eventTime: formatRfc3339(event.eventTime, event.eventTimeOffsetMinutes),
        party: event.party,
        site: event.site,
        keyId: signed.keyId,
        items,
        effect: describeEffect(event, item),
        event: custodyEventToJson(event),
      },
    ];
  };
  return report({
    item,
    ...(checkpoint
      ? {
          checkpoint: {
            origin: checkpoint.origin,
            size: checkpoint.size,
            rootHex: toHex(checkpoint.root),
            signedBy: `${verifier.name}+${verifier.keyId.toString(16).padStart(8, '0')}`,
          },
        }
      : {}),
    ...(witnessed.report ? { witnesses: witnessed.report } : {}),
    timeline: entryLeaves.flatMap(timelineOf),
    registry: registryLeaves.flatMap(timelineOf),
  });
}

function checkCheckpoint(
  note: string,
  verifier: NoteVerifier,
  origin: string | undefined,
  checks: BundleCheck[],
): Checkpoint | undefined {
  try {
    const checkpoint = verifyCheckpoint(note, verifier, origin === undefined ? {} : { origin });
    checks.push({
      ok: true,
      what: 'checkpoint',
      detail: `signed by ${verifier.name}: origin ${checkpoint.origin}, tree size ${checkpoint.size}, root ${toHex(checkpoint.root)}`,
    });
    return checkpoint;
  } catch (err) {
    checks.push({ ok: false, what: 'checkpoint', detail: message(err) });
    return undefined;
  }
}

function decodingCheck(l: Leaf, schemas: ReadonlyMap<string, unknown>): BundleCheck {
  const what = 'leaf decoding';
  if (!l.decoded.ok) return { ok: false, what, index: l.index, detail: l.decoded.message };
  const { event, fingerprints } = l.decoded.leaf;
  // A bundle is meant to be readable without this verifier's schemas: it must carry the ones it uses.
  const missing = fingerprints.filter((fp) => !schemas.has(fp));
  if (missing.length > 0) {
    return { ok: false, what, index: l.index, detail: `the bundle's schemas lack ${missing.join(', ')}` };
  }
  return { ok: true, what, index: l.index, detail: `${event.type} ${event.eventId}` };
}

function inclusionCheck(what: CheckName, l: Leaf, checkpoint: Checkpoint | undefined): BundleCheck {
  if (checkpoint === undefined) {
    return {
      ok: false,
      what,
      index: l.index,
      detail: 'not checked: no verified checkpoint to prove against',
    };
  }
  try {
    verifyInclusion(l.hash, l.index, checkpoint.size, l.proof, checkpoint.root);
    return { ok: true, what, index: l.index, detail: `leaf ${l.index} of ${checkpoint.size}` };
  } catch (err) {
    return { ok: false, what, index: l.index, detail: message(err) };
  }
}

function completenessCheck(
  registry: readonly Leaf[],
  entries: readonly Leaf[],
  registryChecks: readonly BundleCheck[],
  links: RegistryLinksResult,
  checkpoint: Checkpoint | undefined,
): BundleCheck {
  const what = 'registry completeness';
  const first = registry[0];
  if (first === undefined || first.index !== 0) {
    return {
      ok: false,
      what,
      detail: `the registry list must start with the genesis at index 0, starts at ${first?.index ?? 'nothing'}`,
    };
  }
  if (!registryChecks.some((c) => c.ok && c.index === 0)) {
    return { ok: false, what, index: 0, detail: 'leaf 0 is not a genesis signed by the authority key' };
  }
  const stray = entries.filter((l) => l.decoded.ok && l.decoded.leaf.event.type === 'REGISTRY');
  if (stray.length > 0) {
    return {
      ok: false,
      what,
      index: stray[0]!.index,
      detail: `REGISTRY leaves among the entries, missing from the registry list: ${stray.map((l) => l.index).join(', ')}`,
    };
  }
  const at = `registry leaves at ${registry.map((l) => l.index).join(', ')}, the genesis at 0`;
  if (links.missing.length > 0) {
    return {
      ok: false,
      what,
      detail: `${at}; the bundle leaves out registry leaves its links point at: ${links.missing.join(', ')}`,
    };
  }
  const v2 = [...registry, ...entries].every((l) => l.decoded.ok && l.decoded.leaf.entry.version === 2);
  if (v2) {
    const unlinked = links.checks.filter((c) => !c.ok).map((c) => c.index ?? '?');
    return unlinked.length > 0
      ? {
          ok: false,
          what,
          detail: `${at}; not proven: the links of leaves ${unlinked.join(', ')} do not match`,
        }
      : {
          ok: true,
          what,
          detail:
            `${at}. Proven by the links (LedgerEntry v2): every registry leaf a party or key chain passes ` +
            `through, and the latest naming each signer's party and key before it signed, is in the bundle`,
        };
  }
  const below = checkpoint === undefined ? '' : ` below size ${checkpoint.size}`;
  return {
    ok: true,
    what,
    detail:
      `${at}. Inclusion proofs show ` +
      `these leaves are in the log, not that no other registry leaf exists${below}: that rests on the bundle's word`,
  };
}

function safeDecode(bytes: Uint8Array): DecodeResult {
  try {
    return decodeLeaf(bytes);
  } catch (err) {
    // The decoders throw CodecError by contract; anything else from hostile bytes is still a failed check.
    return { ok: false, message: `does not decode: ${message(err)}` };
  }
}

// A bug or an unforeseen input in one check must fail that check, not the whole report.
function guarded(what: CheckName, index: number, check: () => BundleCheck): BundleCheck {
  try {
    return check();
  } catch (err) {
    return { ok: false, what, index, detail: `check failed: ${message(err)}` };
  }
}

function guardedLinks(check: () => RegistryLinksResult): RegistryLinksResult {
  try {
    return check();
  } catch (err) {
    return {
      checks: [{ ok: false, what: 'registry links', detail: `check failed: ${message(err)}` }],
      missing: [],
    };
  }
}

function guardedAll(what: CheckName, check: () => BundleCheck[]): BundleCheck[] {
  try {
    return check();
  } catch (err) {
    return [{ ok: false, what, detail: `check failed: ${message(err)}` }];
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `verifyBundle` of a bundle as text: text that is not JSON is a bundle that fails its shape check. */
export function verifyBundleText(text: string, trust: VerifierTrust): BundleReport {
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (e) {
    const detail = `bundle: not JSON (${(e as Error).message})`;
    return { ok: false, checks: [{ ok: false, what: 'bundle shape', detail }], timeline: [], registry: [] };
  }
  return verifyBundle(bundle, trust);
}
