// The GS1 Core Business Vocabulary (CBV 2.0) terms rxledger speaks, in one place: capture maps
// them to custody events, export maps custody events back. Anything not listed here is a business
// step rxledger does not model, and capture refuses it by name.
import type { DecommissionReason, EventType } from '@rxledger/events';

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
/** The web vocabulary form of the same steps (CBV 2.0), as EPCIS 2.0 XML may write them. */
export const CBV_BIZSTEP_WEB_PREFIX = 'https://ref.gs1.org/cbv/BizStep-';
/** The URN forms of CBV dispositions and source/destination types (XML writes these, JSON-LD bare words). */
export const CBV_DISP_URN_PREFIX = 'urn:epcglobal:cbv:disp:';
export const CBV_DISP_WEB_PREFIX = 'https://ref.gs1.org/cbv/Disp-';
export const CBV_SDT_URN_PREFIX = 'urn:epcglobal:cbv:sdt:';

/** Every CBV 2.0 business step, modelled by rxledger or not: a bare word outside this list is no CBV step. */
export const CBV_BIZ_STEPS: readonly string[] = [
  'accepting',
  'arriving',
  'assembling',
  'collecting',
  'commissioning',
  'consigning',
  'creating_class_instance',
  'cycle_counting',
  'decommissioning',
  'departing',
  'destroying',
  'disassembling',
  'dispensing',
  'encoding',
  'entering_exiting',
  'holding',
  'inspecting',
  'installing',
  'killing',
  'loading',
  'other',
  'packing',
  'picking',
  'receiving',
  'removing',
  'repackaging',
  'repairing',
  'replacing',
  'reserving',
  'retail_selling',
  'sampling',
  'sensor_reporting',
  'shipping',
  'staging_outbound',
  'stock_taking',
  'stocking',
  'storing',
  'transporting',
  'unloading',
  'unpacking',
  'void_shipping',
];

/** The bare CBV word of a business step written in any of its three forms, else the value as given. */
export function bareBizStep(value: string): string {
  return bareCbvTerm(value, [CBV_BIZSTEP_URN_PREFIX, CBV_BIZSTEP_WEB_PREFIX]);
}

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

/** The EPCIS event type and actions of each business step (CBV 2.0 §7.1); export writes the first action. */
export const SHAPE_OF_STEP: Readonly<
  Record<
    BizStep,
    { type: 'ObjectEvent' | 'AggregationEvent'; actions: readonly ('ADD' | 'OBSERVE' | 'DELETE')[] }
  >
> = {
  commissioning: { type: 'ObjectEvent', actions: ['ADD'] },
  packing: { type: 'AggregationEvent', actions: ['ADD'] },
  unpacking: { type: 'AggregationEvent', actions: ['DELETE'] },
  shipping: { type: 'ObjectEvent', actions: ['OBSERVE'] },
  receiving: { type: 'ObjectEvent', actions: ['OBSERVE'] },
  dispensing: { type: 'ObjectEvent', actions: ['OBSERVE', 'DELETE'] },
  decommissioning: { type: 'ObjectEvent', actions: ['DELETE'] },
  destroying: { type: 'ObjectEvent', actions: ['DELETE'] },
};

/**
 * The CBV disposition a decommissioned item is left in, by rxledger's reason, and (read backwards)
 * the reason a decommissioning's disposition gives. CBV has no "sample": export writes it as
 * non_sellable_other, so capture reads non_sellable_other as sample, and an export captures back.
 */
export const DISPOSITION_OF_REASON: Readonly<Record<DecommissionReason, string>> = {
  destroyed: 'destroyed',
  stolen: 'stolen',
  expired: 'expired',
  damaged: 'damaged',
  sample: 'non_sellable_other',
};

/** The decommission reason a disposition (any of its forms) gives; undefined when it gives none. */
export function reasonOfDisposition(value: string): DecommissionReason | undefined {
  const bare = bareCbvTerm(value, [CBV_DISP_URN_PREFIX, CBV_DISP_WEB_PREFIX]);
  const entry = Object.entries(DISPOSITION_OF_REASON).find(([, disposition]) => disposition === bare);
  return entry?.[0] as DecommissionReason | undefined;
}

/** The CBV master data attributes a commissioning's ILMD carries lot and expiry in (prefix `cbvmda:`). */
export const ILMD_LOT = 'cbvmda:lotNumber';
export const ILMD_EXPIRY = 'cbvmda:itemExpirationDate';
/** The namespace `cbvmda:` stands for, as XML documents declare it (with and without the colon). */
export const CBVMDA_NAMESPACES = ['urn:epcglobal:cbv:mda', 'urn:epcglobal:cbv:mda:'];

/**
 * The source/destination types that name a custodian, in the order capture prefers them: custody
 * follows possession. Export writes the first: what rxledger holds is who possesses, not who owns.
 */
export const CUSTODY_PARTY_TYPES = ['possessing_party', 'owning_party'] as const;

/** `value` without the first of `prefixes` it starts with. */
function bareCbvTerm(value: string, prefixes: readonly string[]): string {
  const prefix = prefixes.find((p) => value.startsWith(p));
  return prefix === undefined ? value : value.slice(prefix.length);
}

/**
 * Reads a business step in any of its forms (`shipping`, `urn:epcglobal:cbv:bizstep:shipping`,
 * `https://ref.gs1.org/cbv/BizStep-shipping`); undefined for a step rxledger does not model.
 */
export function readBizStep(value: string): BizStep | undefined {
  const bare = bareBizStep(value);
  return (BIZ_STEPS as readonly string[]).includes(bare) ? (bare as BizStep) : undefined;
}
