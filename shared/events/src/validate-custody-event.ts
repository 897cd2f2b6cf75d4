import {
  Gs1Error,
  type ItemId,
  normalizeGtin,
  parseExpiry,
  parseGln,
  parseItem,
  readCanonicalItem,
  validateLot,
} from '@rxledger/gs1';
import type { FieldIssue } from '@rxledger/runtime/errors';
import {
  ALERT_CODES,
  ALERT_ROOT_CAUSES,
  ALERT_STATUSES,
  type AlertCode,
  type AlertRootCause,
  type AlertStatus,
  type CustodyEvent,
  type CustodyEventBody,
  DECOMMISSION_REASONS,
  type DecommissionReason,
  EVENT_TYPES,
  type EventType,
  ROLES,
} from './custody-event.ts';
import { keyIdOf } from './keys.ts';
import { parseRfc3339 } from './rfc3339.ts';

/** Most items (or children) one event may name (DESIGN §5 batch limit). */
export const MAX_ITEMS = 10_000;
/** How far in the future an eventTime may lie, to absorb scanner clock skew (DESIGN §3). */
export const MAX_FUTURE_MS = 5 * 60_000;

/** An eventId: the idempotency key, 1..128 characters of [A-Za-z0-9._:-]. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_TEXT = 500;

/** What the partner service knows about a scanner's event that the event itself does not say. */
export interface ValidationContext {
  /** GLN-13 of the party the scanner belongs to: the signer. */
  party: string;
  /** GLN-13 of the scanner's site, used when the event names none. */
  site: string;
  /** Current time, epoch ms: the default eventTime and the bound for future times. */
  now: number;
  /** Event id for events that bring none; default `crypto.randomUUID()`. */
  newEventId?: () => string;
  /** Event types this service accepts; default every type but REGISTRY. */
  acceptTypes?: readonly EventType[];
}

export type ValidationResult = { ok: true; event: CustodyEvent } | { ok: false; issues: FieldIssue[] };

const COMMON_FIELDS = ['type', 'eventId', 'eventTime', 'site'];
const TYPE_FIELDS: Record<Exclude<EventType, 'REGISTRY'>, string[]> = {
  COMMISSION: ['items', 'lot', 'expiry'],
  AGGREGATE: ['parent', 'children'],
  DISAGGREGATE: ['parent', 'children'],
  SHIP: ['items', 'to'],
  RECEIVE: ['items', 'from'],
  DISPENSE: ['items'],
  DECOMMISSION: ['items', 'reason'],
  RECALL: ['gtin', 'lot', 'reason'],
  UNDO_DISPENSE: ['dispense', 'items'],
  RAISE_ALERT: ['item', 'code', 'lot', 'expiry'],
  UPDATE_ALERT: ['alert', 'item', 'status', 'rootCause', 'note'],
};

/**
 * Validates one event as a scanner sends it in JSON (DESIGN §5) and normalizes it: canonical item URIs,
 * GLN-13s, GTIN-14, epoch ms plus zone offset. Otherwise every problem found, each with its field path.
 * @example validateCustodyEvent({ type: 'SHIP', items: ['(00)040123450000000016'], to: '9501101530003' }, ctx)
 */
export function validateCustodyEvent(input: unknown, ctx: ValidationContext): ValidationResult {
  const c = new Checker(false, ctx.now);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ field: '(event)', reason: 'must be a JSON object' }] };
  }
  const fields = input as Record<string, unknown>;
  const type = fields.type;
  const accepted = ctx.acceptTypes ?? EVENT_TYPES.filter((t) => t !== 'REGISTRY');
  if (type === undefined) c.issue('type', `is required: one of ${accepted.join(', ')}`);
  else if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    c.issue('type', `must be one of ${accepted.join(', ')}, got ${JSON.stringify(type)}`);
  } else if (type === 'REGISTRY') {
    c.issue('type', 'REGISTRY events are written by the registry authority, not accepted as scanner JSON');
  } else if (!accepted.includes(type as EventType)) {
    c.issue('type', `${type} events are not accepted here (this service takes ${accepted.join(', ')})`);
  }
  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  const t = type as Exclude<EventType, 'REGISTRY'>;

  const allowed = new Set([...COMMON_FIELDS, ...TYPE_FIELDS[t]]);
  for (const name of Object.keys(fields)) {
    if (!allowed.has(name))
      c.issue(name, `is not a field of ${t} events (allowed: ${[...allowed].join(', ')})`);
  }

  let eventId: string | undefined;
  if (fields.eventId !== undefined) eventId = c.eventId('eventId', fields.eventId);
  let time = { epochMs: ctx.now, offsetMinutes: 0 };
  if (fields.eventTime !== undefined) time = c.time('eventTime', fields.eventTime) ?? time;
  const site = fields.site === undefined ? ctx.site : c.gln('site', fields.site);
  const body = c.body(t, fields);
  if (c.issues.length > 0 || body === undefined || site === undefined) return { ok: false, issues: c.issues };
  const event = {
    eventId: eventId ?? (ctx.newEventId ?? (() => globalThis.crypto.randomUUID()))(),
    eventTime: time.epochMs,
    eventTimeOffsetMinutes: time.offsetMinutes,
    party: ctx.party,
    site,
    ...body,
  } as CustodyEvent;
  return { ok: true, event };
}

/**
 * Checks an already-normalized event, as a ledger does with one it decoded: identifiers must be valid
 * and in canonical form, and the rules of validateCustodyEvent hold. Empty when all is well.
 */
export function checkCustodyEvent(event: CustodyEvent, opts: { now: number }): FieldIssue[] {
  const c = new Checker(true, opts.now);
  c.eventId('eventId', event.eventId);
  if (!Number.isSafeInteger(event.eventTime)) c.issue('eventTime', 'must be an integer number of epoch ms');
  else if (event.eventTime > opts.now + MAX_FUTURE_MS) c.issue('eventTime', c.futureReason(event.eventTime));
  const offset = event.eventTimeOffsetMinutes;
  if (!Number.isInteger(offset) || Math.abs(offset) > 1439) {
    c.issue('eventTimeOffsetMinutes', `must be an integer in -1439..1439, got ${offset}`);
  }
  c.gln('party', event.party);
  c.gln('site', event.site);
  if (event.type === 'REGISTRY') c.registry(event.changes);
  else c.body(event.type, event as unknown as Record<string, unknown>);
  return c.issues;
}

// Collects issues while parsing. In canonical mode (checkCustodyEvent) an identifier must already be in
// the form parsing would produce; otherwise any GS1 input form is accepted and normalized.
class Checker {
  readonly issues: FieldIssue[] = [];

  constructor(
    readonly canonical: boolean,
    readonly now: number,
  ) {}

  issue(field: string, reason: string): undefined {
    this.issues.push({ field, reason });
    return undefined;
  }

  futureReason(epochMs: number): string {
    const ahead = Math.round((epochMs - this.now) / 1000);
    return `is ${ahead} s in the future; at most ${MAX_FUTURE_MS / 60_000} minutes of clock skew are tolerated`;
  }

  string(field: string, v: unknown): string | undefined {
    if (typeof v === 'string') return v;
    return this.issue(field, v === undefined ? 'is required' : `must be a string, got ${jsonType(v)}`);
  }

  eventId(field: string, v: unknown): string | undefined {
    const s = this.string(field, v);
    if (s === undefined) return undefined;
    if (s.length < 1 || s.length > 128)
      return this.issue(field, `must be 1 to 128 characters, got ${s.length}`);
    if (!EVENT_ID_PATTERN.test(s)) return this.issue(field, 'may contain only letters, digits and . _ : -');
    return s;
  }

  time(field: string, v: unknown): { epochMs: number; offsetMinutes: number } | undefined {
    const s = this.string(field, v);
    if (s === undefined) return undefined;
    const t = parseRfc3339(s);
    if (typeof t === 'string') return this.issue(field, t);
    if (t.epochMs > this.now + MAX_FUTURE_MS) return this.issue(field, this.futureReason(t.epochMs));
    return t;
  }

  gs1<T>(field: string, v: unknown, parse: (s: string) => T, canonicalOf: (t: T) => string): T | undefined {
    const s = this.string(field, v);
    if (s === undefined) return undefined;
    let parsed: T;
    try {
      parsed = parse(s);
    } catch (err) {
      if (err instanceof Gs1Error) return this.issue(field, err.message);
      throw err;
    }
    if (this.canonical && canonicalOf(parsed) !== s) {
      return this.issue(field, `is not in canonical form (expected ${canonicalOf(parsed)})`);
    }
    return parsed;
  }

  gln(field: string, v: unknown): string | undefined {
    return this.gs1(field, v, parseGln, (g) => g);
  }

  item(field: string, v: unknown): ItemId | undefined {
    // A ledger reading a decoded event takes the one canonical form only; a scanner may send any form.
    return this.gs1(
      field,
      v,
      (s) => (this.canonical ? readCanonicalItem(s) : parseItem(s)),
      (i) => i.uri,
    );
  }

  /** A list of items: an array, within limits, each an item, none repeated. */
  items(field: string, v: unknown, opts: { allowEmpty?: boolean } = {}): ItemId[] | undefined {
    if (!Array.isArray(v)) {
      return this.issue(field, v === undefined ? 'is required' : `must be an array, got ${jsonType(v)}`);
    }
    if (v.length === 0 && !opts.allowEmpty) return this.issue(field, 'must name at least one item');
    if (v.length > MAX_ITEMS)
      return this.issue(field, `names ${v.length} items; at most ${MAX_ITEMS} per event`);
    const before = this.issues.length;
    const out: ItemId[] = [];
    const seen = new Map<string, number>();
    v.forEach((entry, i) => {
      const item = this.item(`${field}[${i}]`, entry);
      if (item === undefined) return;
      const first = seen.get(item.uri);
      if (first !== undefined) this.issue(`${field}[${i}]`, `repeats ${field}[${first}] (${item.uri})`);
      else seen.set(item.uri, i);
      out.push(item);
    });
    return this.issues.length === before ? out : undefined;
  }

  text(field: string, v: unknown): string | undefined {
    const s = this.string(field, v);
    if (s === undefined) return undefined;
    if (s.trim() === '') return this.issue(field, 'must not be empty');
    if (s.length > MAX_TEXT)
      return this.issue(field, `must be at most ${MAX_TEXT} characters, got ${s.length}`);
    return s;
  }

  lot(field: string, v: unknown): string | undefined {
    return this.gs1(field, v, validateLot, (l) => l);
  }

  body(type: Exclude<EventType, 'REGISTRY'>, f: Record<string, unknown>): CustodyEventBody | undefined {
    const before = this.issues.length;
    const uris = (items: ItemId[] | undefined) => items?.map((i) => i.uri) ?? [];
    let body: CustodyEventBody;
    switch (type) {
      case 'COMMISSION': {
        const items = this.items('items', f.items);
        const lot = this.lot('lot', f.lot);
        const expiry = this.gs1(
          'expiry',
          f.expiry,
          (s) => parseExpiry(s, new Date(this.now)),
          (e) => e.yymmdd,
        );
        body = { type, items: uris(items), lot: lot ?? '', expiry: expiry?.yymmdd ?? '' };
        break;
      }
      case 'AGGREGATE':
      case 'DISAGGREGATE': {
        const parent = this.item('parent', f.parent);
        if (parent !== undefined && parent.kind !== 'sscc') {
          this.issue('parent', `must be a container (SSCC), not a pack (SGTIN ${parent.uri})`);
        }
        const children = this.items('children', f.children ?? (type === 'DISAGGREGATE' ? [] : undefined), {
          allowEmpty: type === 'DISAGGREGATE',
        });
        const self = children?.findIndex((ch) => ch.uri === parent?.uri) ?? -1;
        if (self !== -1)
          this.issue(`children[${self}]`, 'is the parent itself: a container cannot contain itself');
        body = { type, parent: parent?.uri ?? '', children: uris(children) };
        break;
      }
      case 'SHIP':
        body = { type, items: uris(this.items('items', f.items)), to: this.gln('to', f.to) ?? '' };
        break;
      case 'RECEIVE':
        body = { type, items: uris(this.items('items', f.items)), from: this.gln('from', f.from) ?? '' };
        break;
      case 'DISPENSE':
        body = { type, items: uris(this.packs('items', f.items, 'dispensed')) };
        break;
      case 'UNDO_DISPENSE':
        body = {
          type,
          dispense: this.eventId('dispense', f.dispense) ?? '',
          items: uris(this.packs('items', f.items, 'dispensed')),
        };
        break;
      case 'RAISE_ALERT':
        body = this.raiseAlert(f);
        break;
      case 'UPDATE_ALERT':
        body = this.updateAlert(f);
        break;
      case 'DECOMMISSION': {
        const items = this.items('items', f.items);
        const reason = this.string('reason', f.reason);
        if (reason !== undefined && !(DECOMMISSION_REASONS as readonly string[]).includes(reason)) {
          this.issue(
            'reason',
            `must be one of ${DECOMMISSION_REASONS.join(', ')}, got ${JSON.stringify(reason)}`,
          );
        }
        body = { type, items: uris(items), reason: reason as DecommissionReason };
        break;
      }
      case 'RECALL': {
        const gtin = this.gs1('gtin', f.gtin, normalizeGtin, (g) => g);
        body = {
          type,
          gtin: gtin ?? '',
          lot: this.lot('lot', f.lot) ?? '',
          reason: this.text('reason', f.reason) ?? '',
        };
        break;
      }
    }
    return this.issues.length === before ? body : undefined;
  }

  /** Items that must all be packs (SGTIN): containers are never `verb`. */
  packs(field: string, v: unknown, verb: string): ItemId[] | undefined {
    const items = this.items(field, v);
    items?.forEach((item, i) => {
      if (item.kind !== 'sgtin')
        this.issue(`${field}[${i}]`, `must be a pack (SGTIN): a container (SSCC) is not ${verb}`);
    });
    return items;
  }

  pack(field: string, v: unknown): string {
    const item = this.item(field, v);
    if (item !== undefined && item.kind !== 'sgtin')
      this.issue(field, 'must be a pack (SGTIN), not a container');
    return item?.uri ?? '';
  }

  oneOf<T extends string>(field: string, v: unknown, values: readonly T[]): T | undefined {
    const s = this.string(field, v);
    if (s === undefined || (values as readonly string[]).includes(s)) return s as T | undefined;
    return this.issue(field, `must be one of ${values.join(', ')}, got ${JSON.stringify(s)}`);
  }

  // Lot and expiry as scanned: absent or '' when the scan carried none.
  raiseAlert(f: Record<string, unknown>): CustodyEventBody {
    const scanned = (field: string, check: (s: string) => string | undefined) =>
      f[field] === undefined || f[field] === '' ? '' : (check(field) ?? '');
    return {
      type: 'RAISE_ALERT',
      item: this.pack('item', f.item),
      code: this.oneOf<AlertCode>('code', f.code, ALERT_CODES) ?? 'UNKNOWN_SERIAL',
      lot: scanned('lot', () => this.lot('lot', f.lot)),
      expiry: scanned(
        'expiry',
        () =>
          this.gs1(
            'expiry',
            f.expiry,
            (s) => parseExpiry(s, new Date(this.now)),
            (e) => e.yymmdd,
          )?.yymmdd,
      ),
    };
  }

  // rootCause is set exactly when the step closes the alert; a note may be empty but is bounded.
  updateAlert(f: Record<string, unknown>): CustodyEventBody {
    const status = this.oneOf<AlertStatus>('status', f.status, ALERT_STATUSES);
    let rootCause: AlertRootCause | null = null;
    if (status === 'CLOSED') {
      rootCause = this.oneOf<AlertRootCause>('rootCause', f.rootCause, ALERT_ROOT_CAUSES) ?? null;
    } else if (f.rootCause !== undefined && f.rootCause !== null) {
      this.issue('rootCause', `is given only when status is CLOSED, not ${status ?? 'absent'}`);
    }
    const note = f.note === undefined && !this.canonical ? '' : this.string('note', f.note);
    if (note !== undefined && note.length > MAX_TEXT)
      this.issue('note', `must be at most ${MAX_TEXT} characters, got ${note.length}`);
    return {
      type: 'UPDATE_ALERT',
      alert: this.eventId('alert', f.alert) ?? '',
      item: this.pack('item', f.item),
      status: status ?? 'INVESTIGATING',
      rootCause,
      note: note ?? '',
    };
  }

  registry(changes: readonly unknown[]): void {
    if (changes.length === 0) this.issue('changes', 'must hold at least one change');
    changes.forEach((raw, i) => {
      const c = raw as Record<string, unknown>;
      const at = (name: string) => `changes[${i}].${name}`;
      this.gln(at('gln'), c.gln);
      if (c.kind === 'AddParty') this.text(at('name'), c.name);
      if (Array.isArray(c.roles)) {
        c.roles.forEach((r, j) => {
          if (!(ROLES as readonly unknown[]).includes(r))
            this.issue(`${at('roles')}[${j}]`, `is not a role: ${JSON.stringify(r)}`);
        });
      }
      if (Array.isArray(c.companyPrefixes)) {
        c.companyPrefixes.forEach((p, j) => {
          if (typeof p !== 'string' || !/^\d{4,12}$/.test(p)) {
            this.issue(`${at('companyPrefixes')}[${j}]`, 'must be a GS1 company prefix of 4 to 12 digits');
          }
        });
      }
      if (c.kind === 'AddKey') {
        const pk = c.publicKey;
        if (!(pk instanceof Uint8Array) || pk.length !== 32) this.issue(at('publicKey'), 'must be 32 bytes');
        else if (c.keyId !== keyIdOf(pk))
          this.issue(at('keyId'), `must be the key id of publicKey (${keyIdOf(pk)})`);
        if (!Number.isSafeInteger(c.validFrom))
          this.issue(at('validFrom'), 'must be an integer number of epoch ms');
      }
      if (c.kind === 'RevokeKey') {
        if (typeof c.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(c.keyId))
          this.issue(at('keyId'), 'must be 16 lowercase hex digits');
        if (!Number.isSafeInteger(c.revokedAt))
          this.issue(at('revokedAt'), 'must be an integer number of epoch ms');
        this.text(at('reason'), c.reason);
      }
    });
  }
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
