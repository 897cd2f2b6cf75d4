import {
  applyRegistryEvent,
  createRegistry,
  maySign,
  nobleEd25519,
  type RegistryState,
  type VerifyingKey,
  verifyEventSignature,
} from '@rxledger/events';
import type { BundleCheck } from './bundle-report.ts';
import type { DecodeResult } from './decode-leaf.ts';
import { describeChanges } from './describe-effect.ts';

/** The registry as it stood at every point of the log the bundle shows. */
export interface RegistryHistory {
  /** The registry after every registry leaf that applied. */
  readonly final: RegistryState;
  /** The registry just before leaf `index`: what the ledger judged that leaf by. */
  at(index: number): RegistryState;
  /** Index of the registry leaf that revoked `keyId`, if one did. */
  revokedBy(keyId: string): number | undefined;
}

/**
 * Folds the bundle's registry leaves from the genesis, trusting nothing but `anchor`: the genesis must
 * be signed by it, every later leaf by a key the registry so far says may sign REGISTRY at that
 * eventTime. Every signature is checked with @noble. A leaf that fails is reported and left out.
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
    const { signed, event } = decoded.leaf;
    if (event.type !== 'REGISTRY') {
      fail(`a ${event.type} event in the registry list`);
      return;
    }
    let key: VerifyingKey;
    if (!state.started) {
      if (signed.keyId !== anchor.keyId) {
        fail(
          `genesis signed by key ${signed.keyId}, not by the authority key ${anchor.keyId} (the trust anchor)`,
        );
        return;
      }
      key = anchor;
    } else {
      const may = maySign(state, {
        keyId: signed.keyId,
        type: 'REGISTRY',
        time: event.eventTime,
        party: event.party,
      });
      if (!may.ok) {
        fail(`${may.code}: ${may.message}`);
        return;
      }
      key = state.keys.get(signed.keyId)!.publicKey;
    }
    const signature = verifyEventSignature(nobleEd25519, signed, key);
    if (!signature.ok) {
      fail(`${signature.code}: ${signature.message}`);
      return;
    }
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
      revokedBy(keyId) {
        return states.find((s) => s.state.keys.get(keyId)?.revokedAt !== undefined)?.index;
      },
    },
  };
}
