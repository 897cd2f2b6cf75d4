// The custody fold (DESIGN §3): a pure Decider over accepted ledger entries. No I/O, no clock: a
// pack's status, custodian, location, container and anomalies derived from its history.

export { ANOMALY_CODES, type Anomaly, type AnomalyCode } from './anomaly-codes.ts';
export { type CustodyEntry, compareEntries } from './custody-entry.ts';
export {
  type CustodyWorld,
  type EntityRecord,
  type EventRef,
  initialWorld,
  type RecallMark,
  type Shipment,
} from './custody-world.ts';
export { deriveItemState } from './derive-item-state.ts';
export { type CustodyStatus, type CustodyStep, type EntityState, entityState } from './entity-state.ts';
export { evolve } from './evolve.ts';
export { focusEvent } from './focus.ts';
export { foldCustody } from './fold-custody.ts';
export {
  type UndoFacts,
  type UndoRefusal,
  type UndoRefusalCode,
  UNDO_WINDOW_MS,
  undoableDispense,
  undoDeadline,
  undoRefusal,
} from './undo-rule.ts';
