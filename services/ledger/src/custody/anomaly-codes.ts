/**
 * Every way a signed custody event can fail to fit the custody rules (DESIGN §3). An anomaly never
 * stops the fold: the event stays in the item's history as signed evidence and the anomaly is raised on
 * the entity it concerns; verify turns anomalies into `CHAIN_ANOMALY` alerts.
 */
export const ANOMALY_CODES = {
  NOT_COMMISSIONED: 'the event names an item that had not been commissioned (by eventTime) when it happened',
  DUPLICATE_COMMISSION: 'the item was commissioned again; the first commission stands',
  NOT_CUSTODIAN: 'the signer was not the custodian of the item (nor the party it was shipped to)',
  CONTAINER_CONFLICT: 'the item was aggregated into a container while still inside another one; it moved',
  NOT_IN_CONTAINER: 'a disaggregation names a child that was not inside that parent',
  INVALID_CONTAINMENT: 'an aggregation that cannot be applied: a pack as parent, or a container cycle',
  INACTIVE_ITEM: 'the item was acted on after it was dispensed or decommissioned (itself or its container)',
  ALREADY_IN_TRANSIT: 'the item was shipped while an earlier shipment of it was still open',
  RECEIVE_WITHOUT_SHIPMENT: 'the item was received with no open shipment to the receiver',
  SHIPPER_MISMATCH: 'the receive names a `from` party other than the one that shipped the item',
  NOT_RECEIVED: 'the item was aggregated, disaggregated, dispensed or decommissioned while in transit',
  ALREADY_DISPENSED: 'the pack was dispensed a second time; the first dispense stands',
  DISPENSED_WHILE_RECALLED: "the pack was dispensed after its lot's recall",
  NOT_A_PACK: 'a dispense names a container; only packs are dispensed, so it was not applied',
} as const;

/** One of ANOMALY_CODES. */
export type AnomalyCode = keyof typeof ANOMALY_CODES;

/** A custody rule an event broke, raised on the entity it concerns. */
export interface Anomaly {
  code: AnomalyCode;
  /** Ledger sequence number of the event. */
  seq: number;
  eventId: string;
  message: string;
  /** Set when the anomaly was raised on a container while the item was inside it: that container. */
  container?: string;
}
