import {
  admitRecord,
  applyRegistryEvent,
  createRegistry,
  nobleEd25519,
  type RegistryState,
  type VerifyingKey,
} from '@rxledger/events/portable';
import type { BundleCheck } from './bundle-report.ts';
import type { DecodeResult } from './decode-leaf.ts';
import { describeChanges } from './describe-effect.ts';

/** The registry as it stood at every point of the log the bundle shows. */
export interface RegistryHistory {
  /** The registry after every registry leaf that applied. */
  readonly final: RegistryState;
  /** The registry just before leaf `index`: what the ledger judged that leaf by. */
  at(index: number): RegistryState;
}

/**
 * Folds the bundle's registry leaves from the genesis, trusting nothing but `anchor`: the genesis must
 * be signed by it, every later leaf by a key the registry so far lets sign REGISTRY (admitRecord).
 * Every signature is checked with @noble. A leaf that fails is reported and left out.
 */
export function foldRegistry(
  leaves: readonly { index: number; decoded: DecodeResult }[],
  anchor: VerifyingKey,
): { history: RegistryHistory; checks: BundleCheck[] } {
  const what = 'registry signature';
  const initial = createRegistry(anchor);
  const states: { index: number; state: RegistryState }[] = [];
  const checks: BundleCheck[] = [];
  let state = initial;
  const step = (index: number, decoded: DecodeResult) => {
    const fail = (detail: string) => checks.push({ ok: false, what, index, detail });
    if (!decoded.ok) {
      fail('not checked: the leaf does not decode');
      return;
    }
    const { event } = decoded.leaf;
    if (event.type !== 'REGISTRY') {
      fail(`a ${event.type} event in the registry list`);
      return;
    }
    // The ledger's own admission rule: the genesis by the anchor, later leaves by a key the registry
    // so far lets sign REGISTRY, every signature checked with @noble, the time window by the broker
    // time of v2 leaves.
    const admission = admitRecord(decoded.leaf.entry.signedEvent, {
      registry: state,
      ed: nobleEd25519,
      appendedAt: decoded.leaf.entry.appendedAt,
    });
    if (!admission.ok) {
      fail(`${admission.code}: ${admission.message}`);
      return;
    }
    const { signed } = admission;
    const applied = applyRegistryEvent(state, event, signed.keyId);
    if (!applied.ok) {
      const where = applied.change === undefined ? '' : ` (changes[${applied.change}])`;
      fail(`${applied.code}${where}: ${applied.message}`);
      return;
    }
    const by = state.started
      ? `signed by ${signed.keyId} of authority ${event.party}`
      : `genesis, signed by the authority key ${anchor.keyId} (trust anchor)`;
    checks.push({ ok: true, what, index, detail: `${by}: ${describeChanges(event.changes)}` });
    state = applied.state;
    states.push({ index, state });
  };
  for (const { index, decoded } of leaves) {
    try {
      step(index, decoded);
    } catch (err) {
      // Hostile but decodable input must fail its own check, never the whole report.
      checks.push({ ok: false, what, index, detail: `check failed: ${(err as Error).message}` });
    }
  }
  const final = state;
  return {
    checks,
    history: {
      final,
      at(index) {
        let found = initial;
        for (const s of states) {
          if (s.index >= index) break;
          found = s.state;
        }
        return found;
      },
    },
  };
}
