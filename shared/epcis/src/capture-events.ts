// EPCIS events → custody events in the JSON shape POST /v1/events takes (DESIGN §5), so a captured
// document goes through the very admission, signing and publishing a native batch does. Only what
// rxledger can hold faithfully is mapped; anything else refuses the document, naming the event's
// index, the EPCIS field and the reason (docs/design-notes/epcis.md has the table).
import { formatRfc3339, parseRfc3339 } from '@rxledger/events';
import { Gs1Error, parseGln, parseItem } from '@rxledger/gs1';
import {
  BIZ_STEPS,
  type BizStep,
  CBV_BIZ_STEPS,
  CBVMDA_NAMESPACES,
  CUSTODY_PARTY_TYPES,
  CUSTODY_TYPE_OF_BIZ_STEP,
  DISPOSITION_OF_REASON,
  ILMD_EXPIRY,
  ILMD_LOT,
  SHAPE_OF_STEP,
  bareBizStep,
  readBizStep,
  reasonOfDisposition,
} from './cbv.ts';
import { EpcisDocumentError, type EpcisIssue } from './epcis-issue.ts';
import { type EpcisEvents, type EpcisNode, childNamed } from './epcis-node.ts';
import { custodyEventIdOf } from './event-id.ts';
import { epcisEventHash } from './event-hash.ts';
import { runSteps, runStepsPaced, type Steps } from './steps.ts';

/** One EPCIS event made a custody event. */
export interface CapturedEvent {
  /** The custody event as a scanner would post it to /v1/events. */
  event: Record<string, unknown>;
  /** Its EPCIS eventID: the document's own, or the CBV 2.0 hash ID computed for it. */
  epcisEventId: string;
  /** Which EPCIS field each custody field came from (`items` → `epcList`), to name it in refusals. */
  fields: Readonly<Record<string, string>>;
}

const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'];
const QUANTITY_LISTS = ['quantityList', 'childQuantityList'];
const LOT = `ilmd.${ILMD_LOT}`;
const EXPIRY = `ilmd.${ILMD_EXPIRY}`;

/**
 * Maps every event of a document captured by `party` (GLN), or throws EpcisDocumentError listing
 * every event rxledger cannot represent (the whole document is refused then). Events without an
 * eventID get their CBV 2.0 hash ID; the party reads back the eventIDs export wrote for its own
 * events (custodyEventIdOf).
 * @example captureEvents(readJsonDocument(text, DEFAULT_READ_LIMITS), '0614141000005')[0].event.type // 'COMMISSION'
 */
export function captureEvents(doc: EpcisEvents, party: string): CapturedEvent[] {
  return runSteps(captureSteps(doc, party));
}

/** captureEvents a few ms at a time, for a service that must keep answering meanwhile. */
export function captureEventsPaced(doc: EpcisEvents, party: string): Promise<CapturedEvent[]> {
  return runStepsPaced(captureSteps(doc, party));
}

function* captureSteps(doc: EpcisEvents, party: string): Steps<CapturedEvent[]> {
  if (doc.events.length === 0)
    throw new EpcisDocumentError([{ field: 'eventList', reason: 'holds no events' }]);
  const issues: EpcisIssue[] = [];
  const captured: CapturedEvent[] = [];
  for (const [index, node] of doc.events.entries()) {
    const result = captureEvent(node, party);
    if (Array.isArray(result)) issues.push(...result.map((i) => ({ index, ...i })));
    else captured.push(result);
    yield;
  }
  if (issues.length > 0) throw new EpcisDocumentError(issues);
  return captured;
}

/**
 * The EPCIS field a custody field of `captured` came from: `items[3]` → `epcList[3]`, `to` → `destinationList`.
 * @example epcisFieldOf(captured, 'children[2]') // 'childEPCs[2]'
 */
export function epcisFieldOf(captured: CapturedEvent, custodyField: string): string {
  const m = /^([A-Za-z]+)(.*)$/.exec(custodyField);
  const mapped = m ? captured.fields[m[1]!] : undefined;
  return mapped === undefined ? custodyField : mapped + m![2];
}

type Issue = Omit<EpcisIssue, 'index'>;

function captureEvent(node: EpcisNode, party: string): CapturedEvent | Issue[] {
  const wellFormed = shapeIssues(node);
  if (wellFormed.length > 0) return wellFormed;
  const step = stepOf(node);
  if (!('step' in step)) return step.issues;
  const issues: Issue[] = [];
  const issue = (field: string, reason: string) => void issues.push({ field, reason });
  const fields: Record<string, string> = { eventId: 'eventID', eventTime: 'eventTime', type: 'bizStep' };
  const event: Record<string, unknown> = { type: CUSTODY_TYPE_OF_BIZ_STEP[step.step] };

  const epcisEventId = eventIdOf(node, party, issue);
  if (epcisEventId !== undefined) event.eventId = custodyEventIdOf(epcisEventId, party);
  event.eventTime = eventTimeOf(node);
  const site = siteOf(node, issue);
  if (site !== undefined) [event.site, fields.site] = site;
  Object.assign(fields, bodyOf(node, step.step, event, issue));
  if (issues.length > 0 || epcisEventId === undefined) return issues;
  return { event, epcisEventId, fields };
}

// What makes an event malformed as EPCIS, whatever rxledger would do with it.
function shapeIssues(node: EpcisNode): Issue[] {
  const issues: Issue[] = [];
  const text = (name: string) => childNamed(node, name)?.text;
  const action = text('action');
  if (node.name === 'ObjectEvent' || node.name === 'AggregationEvent') {
    if (action === undefined) issues.push({ field: 'action', reason: 'is required: ADD, OBSERVE or DELETE' });
    else if (!ACTIONS.includes(action)) {
      issues.push({
        field: 'action',
        reason: `must be ADD, OBSERVE or DELETE, got ${JSON.stringify(action)}`,
      });
    }
  }
  const time = text('eventTime');
  if (time === undefined) issues.push({ field: 'eventTime', reason: 'is required' });
  else {
    const parsed = parseRfc3339(time);
    if (typeof parsed === 'string') issues.push({ field: 'eventTime', reason: parsed });
  }
  const offset = text('eventTimeZoneOffset');
  if (offset === undefined) issues.push({ field: 'eventTimeZoneOffset', reason: 'is required (±hh:mm)' });
  else if (!/^[+-](0\d|1[0-4]):[0-5]\d$/.test(offset)) {
    issues.push({ field: 'eventTimeZoneOffset', reason: `must be ±hh:mm, got ${JSON.stringify(offset)}` });
  }
  for (const list of QUANTITY_LISTS) {
    childNamed(node, list)?.children.forEach((q, i) => {
      const quantity = childNamed(q, 'quantity')?.text;
      if (quantity !== undefined && !/^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(quantity)) {
        issues.push({
          field: `${list}[${i}].quantity`,
          reason: `must be a number, got ${JSON.stringify(quantity)}`,
        });
      }
    });
  }
  const hasEpcs = ['epcList', 'quantityList', 'childEPCs', 'childQuantityList', 'parentID'].some(
    (f) => childNamed(node, f) !== undefined,
  );
  if (node.name === 'ObjectEvent' && !hasEpcs) {
    issues.push({
      field: 'epcList',
      reason: 'is required: an ObjectEvent names its objects (epcList or quantityList)',
    });
  }
  const bizStep = text('bizStep');
  if (bizStep !== undefined && !bizStep.includes(':') && !CBV_BIZ_STEPS.includes(bizStep)) {
    issues.push({
      field: 'bizStep',
      reason: `${JSON.stringify(bizStep)} is not a CBV 2.0 business step (a bare word must be one; an extension must be a URI)`,
    });
  }
  return issues;
}

// The business step, checked against the event's type and action and against what rxledger models.
function stepOf(node: EpcisNode): { step: BizStep } | { issues: Issue[] } {
  const refuse = (field: string, reason: string) => ({ issues: [{ field, reason }] });
  if (node.name !== 'ObjectEvent' && node.name !== 'AggregationEvent') {
    return refuse(
      'type',
      `${node.name} is not custody rxledger models: it takes ObjectEvent and AggregationEvent`,
    );
  }
  if (childNamed(node, 'errorDeclaration') !== undefined) {
    return refuse(
      'errorDeclaration',
      "corrects an earlier event, which rxledger's append-only history cannot do: send the compensating event instead",
    );
  }
  const written = childNamed(node, 'bizStep')?.text;
  if (written === undefined) {
    return refuse(
      'bizStep',
      `is required: rxledger maps the business step (${BIZ_STEPS.join(', ')}) to custody`,
    );
  }
  const step = readBizStep(written);
  if (step === undefined) {
    return refuse(
      'bizStep',
      `${bareBizStep(written)} is a business step rxledger does not model (it models ${BIZ_STEPS.join(', ')})`,
    );
  }
  const shape = SHAPE_OF_STEP[step];
  if (node.name !== shape.type)
    return refuse('type', `${step} is captured as an ${shape.type}, not an ${node.name}`);
  const action = childNamed(node, 'action')!.text;
  if (!(shape.actions as readonly string[]).includes(action)) {
    return refuse('action', `${step} is written with action ${shape.actions.join(' or ')}, not ${action}`);
  }
  for (const list of QUANTITY_LISTS) {
    if ((childNamed(node, list)?.children.length ?? 0) > 0) {
      return refuse(
        list,
        'counts a class of product rather than naming each pack: rxledger tracks every pack and case by its SGTIN or SSCC',
      );
    }
  }
  if (childNamed(node, 'sensorElementList') !== undefined) {
    return refuse('sensorElementList', 'carries sensor data, which rxledger does not keep');
  }
  return { step };
}

function eventIdOf(
  node: EpcisNode,
  party: string,
  issue: (field: string, reason: string) => void,
): string | undefined {
  const given = childNamed(node, 'eventID')?.text;
  if (given === undefined || given === '') return epcisEventHash(node);
  if (custodyEventIdOf(given, party) === undefined) {
    issue(
      'eventID',
      'cannot be kept unaltered: rxledger keeps urn:uuid eventIDs, CBV 2.0 hash IDs and other IDs of 1-128 of A-Z a-z 0-9 . _ : -',
    );
    return undefined;
  }
  return given;
}

// The instant of eventTime, written in the zone eventTimeZoneOffset names (both checked already).
function eventTimeOf(node: EpcisNode): string {
  const { epochMs } = parseRfc3339(childNamed(node, 'eventTime')!.text) as { epochMs: number };
  const offset = childNamed(node, 'eventTimeZoneOffset')!.text;
  const minutes =
    (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return formatRfc3339(epochMs, minutes);
}

// The business location if the event names one, else where it was read.
function siteOf(
  node: EpcisNode,
  issue: (field: string, reason: string) => void,
): [string, string] | undefined {
  for (const field of ['bizLocation', 'readPoint']) {
    const id = childNamed(childNamed(node, field) ?? { name: '', text: '', children: [] }, 'id')?.text;
    if (id === undefined) continue;
    const gln = glnOf(`${field}.id`, id, issue);
    return gln === undefined ? undefined : [gln, field];
  }
  return undefined;
}

function bodyOf(
  node: EpcisNode,
  step: BizStep,
  event: Record<string, unknown>,
  issue: (field: string, reason: string) => void,
): Record<string, string> {
  if (step === 'packing' || step === 'unpacking') {
    const parentId = childNamed(node, 'parentID')?.text;
    if (parentId === undefined) issue('parentID', `is required: the container ${step} fills or empties`);
    else event.parent = itemOf('parentID', parentId, issue);
    event.children = epcs(node, 'childEPCs', issue, step === 'unpacking');
    return { parent: 'parentID', children: 'childEPCs' };
  }
  event.items = epcs(node, 'epcList', issue, false);
  const fields: Record<string, string> = { items: 'epcList' };
  if (step === 'commissioning') {
    event.lot = ilmdValue(node, ILMD_LOT, issue);
    const expiry = ilmdValue(node, ILMD_EXPIRY, issue);
    // A calendar date: GS1's "DD=00, end of month" is an AI 17 convention, not an xsd:date, and an
    // export writes it as the month's last day, which would capture back as other content.
    if (expiry !== undefined && !isCalendarDate(expiry))
      issue(EXPIRY, `must be a calendar date YYYY-MM-DD, got ${JSON.stringify(expiry)}`);
    else if (expiry !== undefined) event.expiry = expiry.slice(2).replaceAll('-', '');
    Object.assign(fields, { lot: LOT, expiry: EXPIRY });
  }
  if (step === 'shipping')
    [event.to, fields.to] = [custodian(node, 'destinationList', issue), 'destinationList'];
  if (step === 'receiving') [event.from, fields.from] = [custodian(node, 'sourceList', issue), 'sourceList'];
  if (step === 'decommissioning' || step === 'destroying') {
    event.reason = step === 'destroying' ? 'destroyed' : reasonOf(node, issue);
    fields.reason = 'disposition';
  }
  return fields;
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function epcs(
  node: EpcisNode,
  list: string,
  issue: (f: string, r: string) => void,
  mayBeEmpty: boolean,
): string[] {
  const entries = childNamed(node, list)?.children ?? [];
  if (entries.length === 0 && !mayBeEmpty)
    issue(list, 'is required: name the packs (SGTIN) or cases (SSCC) by EPC');
  return entries.map((epc, i) => itemOf(`${list}[${i}]`, epc.text, issue) ?? '');
}

// EPC URNs and Digital Links read by the one GS1 item parser, into rxledger's canonical form.
function itemOf(field: string, value: string, issue: (f: string, r: string) => void): string | undefined {
  try {
    return parseItem(value).uri;
  } catch (err) {
    if (!(err instanceof Gs1Error)) throw err;
    issue(field, `${err.message}: rxledger tracks packs (SGTIN) and cases or pallets (SSCC)`);
    return undefined;
  }
}

function glnOf(field: string, value: string, issue: (f: string, r: string) => void): string | undefined {
  try {
    return parseGln(value);
  } catch (err) {
    if (!(err instanceof Gs1Error)) throw err;
    issue(field, err.message);
    return undefined;
  }
}

// An ILMD attribute (`cbvmda:lotNumber`) as JSON-LD writes it, or in XML's expanded namespace form.
function ilmdValue(
  node: EpcisNode,
  attribute: string,
  issue: (f: string, r: string) => void,
): string | undefined {
  const local = attribute.slice(attribute.indexOf(':') + 1);
  const names = [attribute, ...CBVMDA_NAMESPACES.map((ns) => `{${ns}}${local}`)];
  const value = childNamed(node, 'ilmd')?.children.find((c) => names.includes(c.name))?.text;
  if (value === undefined || value === '')
    issue(`ilmd.${attribute}`, 'is required: a commissioning names the lot and expiry of what it makes');
  return value;
}

// Custody follows possession: the possessing party when the list names one, else the owning party.
function custodian(node: EpcisNode, list: string, issue: (f: string, r: string) => void): string | undefined {
  const entries = childNamed(node, list)?.children ?? [];
  const typed = (kind: string) =>
    entries.find((e) => {
      const type = childNamed(e, 'type')?.text ?? '';
      return type === kind || type.endsWith(`:${kind}`) || type.endsWith(`-${kind}`);
    });
  const entry = CUSTODY_PARTY_TYPES.map(typed).find((e) => e !== undefined);
  if (entry === undefined) {
    const direction = list === 'destinationList' ? 'it goes to' : 'it comes from';
    issue(
      list,
      `must name the possessing_party or owning_party ${direction} (its GLN as SGLN, PGLN or Digital Link)`,
    );
    return undefined;
  }
  return glnOf(list, entry.text, issue);
}

function reasonOf(node: EpcisNode, issue: (f: string, r: string) => void): string | undefined {
  const written = childNamed(node, 'disposition')?.text ?? '';
  const reason = reasonOfDisposition(written);
  if (reason === undefined) {
    issue(
      'disposition',
      `must say why the packs leave the supply chain: ${Object.values(DISPOSITION_OF_REASON).join(', ')}${written ? `, not ${written}` : ''}`,
    );
  }
  return reason;
}
