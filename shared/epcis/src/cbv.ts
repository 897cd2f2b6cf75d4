// The GS1 Core Business Vocabulary (CBV 2.0) terms rxledger speaks, in one place: capture maps
// them to custody events, export maps custody events back. Anything not listed here is a business
// step rxledger does not model, and capture refuses it by name.
import type { EventType } from '@rxledger/events';

/** CBV 2.0 business steps, in the bare-word form EPCIS 2.0 JSON uses. */
export const BIZ_STEPS = [
  'commissioning',
  'packing',
  'unpacking',
  'shipping',
  'receiving',
  'dispensing',
  'decommissioning',
  'destroying',
] as const;
export type BizStep = (typeof BIZ_STEPS)[number];

/** The URN form EPCIS 1.2 XML and older 2.0 documents use for the same steps. */
export const CBV_BIZSTEP_URN_PREFIX = 'urn:epcglobal:cbv:bizstep:';

/** The custody event each business step becomes. `destroying` is a decommission (reason destroyed). */
export const CUSTODY_TYPE_OF_BIZ_STEP: Readonly<Record<BizStep, EventType>> = {
  commissioning: 'COMMISSION',
  packing: 'AGGREGATE',
  unpacking: 'DISAGGREGATE',
  shipping: 'SHIP',
  receiving: 'RECEIVE',
  dispensing: 'DISPENSE',
  decommissioning: 'DECOMMISSION',
  destroying: 'DECOMMISSION',
};

/** The business step each exportable custody event is written as (RECALL and REGISTRY have none). */
export const BIZ_STEP_OF_CUSTODY_TYPE: Readonly<Partial<Record<EventType, BizStep>>> = {
  COMMISSION: 'commissioning',
  AGGREGATE: 'packing',
  DISAGGREGATE: 'unpacking',
  SHIP: 'shipping',
  RECEIVE: 'receiving',
  DISPENSE: 'dispensing',
  DECOMMISSION: 'decommissioning',
};

/** Reads a business step in either form (`shipping` or `urn:epcglobal:cbv:bizstep:shipping`). */
export function readBizStep(value: string): BizStep | undefined {
  const bare = value.startsWith(CBV_BIZSTEP_URN_PREFIX) ? value.slice(CBV_BIZSTEP_URN_PREFIX.length) : value;
  return (BIZ_STEPS as readonly string[]).includes(bare) ? (bare as BizStep) : undefined;
}
