import {
  applyRegistryEvent,
  createRegistry,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  type RegistryState,
  type VerifyingKey,
} from '@rxledger/events';
import type { LedgerStore } from './ledger-store.ts';

/**
 * `registry` with the stored REGISTRY leaves from seq `from` on applied, in log order; `next` is the
 * seq to go on from. Throws if a stored leaf no longer applies (a database not folded by this code).
 */
export function applyStoredRegistryLeaves(
  store: LedgerStore,
  registry: RegistryState,
  from = 0,
): { registry: RegistryState; next: number } {
  let next = from;
  for (const seq of store.registrySeqs(from)) {
    const signed = decodeSignedEvent(decodeLedgerEntry(store.leaf(seq)!.leaf).signedEvent);
    const applied = applyRegistryEvent(registry, decodeCustodyEvent(signed.event), signed.keyId);
    if (!applied.ok) throw new Error(`stored registry leaf ${seq} no longer applies: ${applied.message}`);
    registry = applied.state;
    next = seq + 1;
  }
  return { registry, next };
}

/**
 * The registry of the committed log, for answers read on a thread other than the fold's: each call
 * applies the REGISTRY leaves committed since the last one (one indexed look-up when there are none).
 */
export class StoredRegistry {
  readonly #store: LedgerStore;
  #registry: RegistryState;
  #next = 0;

  constructor(store: LedgerStore, authority: VerifyingKey) {
    this.#store = store;
    this.#registry = createRegistry(authority);
    this.current();
  }

  current(): RegistryState {
    const { registry, next } = applyStoredRegistryLeaves(this.#store, this.#registry, this.#next);
    this.#registry = registry;
    this.#next = next;
    return registry;
  }
}
