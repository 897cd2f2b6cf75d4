import type { EntityState } from '../custody/index.ts';

/** What provenance and recall scope say of an item's state now. */
export interface StatusSummary {
  /** The custody status, overlaid with RECALLED while a recalled pack is still in the supply chain. */
  status: EntityState['status'] | 'RECALLED';
  custodian: string | undefined;
  location: string | undefined;
  parent: string | undefined;
  inTransitTo: string | undefined;
  lot: string | undefined;
  expiry: string | undefined;
  recalled: boolean;
  anomalies: Array<{ code: string; index: number; message: string }>;
}

/**
 * An item's state as answers show it. A recall changes what a pack may still do, not where it is: it
 * overlays ACTIVE and IN_TRANSIT packs only; a dispensed or decommissioned one keeps its status.
 */
export function statusSummary(state: EntityState): StatusSummary {
  return {
    status:
      state.recalled && (state.status === 'ACTIVE' || state.status === 'IN_TRANSIT')
        ? 'RECALLED'
        : state.status,
    custodian: state.custodian,
    location: state.location,
    parent: state.parent,
    inTransitTo: state.status === 'IN_TRANSIT' ? state.inTransit?.to : undefined,
    lot: state.lot,
    expiry: state.expiry,
    recalled: state.recalled !== undefined,
    anomalies: state.anomalies.map((a) => ({ code: a.code, index: a.seq, message: a.message })),
  };
}
