import { describe, expect, it } from 'vitest';
import {
  type CustodyEvent,
  checkCustodyEvent,
  custodyEventToJson,
  formatRfc3339,
  MAX_ITEMS,
  parseRfc3339,
  type ValidationContext,
  validateCustodyEvent,
} from '../src/index.ts';
import { GLN, GTIN, genesisEvent, SGTIN, SSCC1, SSCC2, sampleEvents, T0 } from './fixtures.ts';

const NOW = T0 + 3_600_000;
const ctx: ValidationContext = {
  party: GLN.manufacturer,
  site: GLN.plant,
  now: NOW,
  newEventId: () => 'generated-1',
};

function issuesOf(input: unknown, context: ValidationContext = ctx) {
  const r = validateCustodyEvent(input, context);
  if (r.ok) throw new Error(`expected issues, got a valid event ${JSON.stringify(r.event)}`);
  return r.issues;
}

function valid(input: unknown, context: ValidationContext = ctx): CustodyEvent {
  const r = validateCustodyEvent(input, context);
  if (!r.ok) throw new Error(`expected a valid event, got ${JSON.stringify(r.issues)}`);
  return r.event;
}

describe('validateCustodyEvent normalizes what scanners send', () => {
  it('accepts items in every GS1 input form and writes canonical URIs', () => {
    const e = valid({
      type: 'COMMISSION',
      items: [
        '(01)04012345123456(21)A1',
        ']d2010401234512345621A2',
        'urn:epc:id:sgtin:4012345.012345.A3',
        'https://example.com/01/04012345123456/21/A4',
        '(00)040123450000000016',
      ],
      lot: 'LOT-42',
      expiry: '271200',
    });
    expect(e).toMatchObject({ type: 'COMMISSION', lot: 'LOT-42', expiry: '271200' });
    expect(e.type === 'COMMISSION' && e.items).toEqual([
      SGTIN('A1'),
      SGTIN('A2'),
      SGTIN('A3'),
      SGTIN('A4'),
      SSCC1,
    ]);
  });

  it('fills eventId, eventTime (now, UTC), site and party from the context', () => {
    const e = valid({ type: 'DISPENSE', items: [SGTIN('1')] });
    expect(e).toMatchObject({
      eventId: 'generated-1',
      eventTime: NOW,
      eventTimeOffsetMinutes: 0,
      party: GLN.manufacturer,
      site: GLN.plant,
    });
    const defaultId = valid({ type: 'DISPENSE', items: [SGTIN('1')] }, { ...ctx, newEventId: undefined });
    expect(defaultId.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the zone offset, so the original time can be written back', () => {
    const e = valid({
      type: 'SHIP',
      eventTime: '2025-01-15T10:30:00.250+05:30',
      items: [SSCC1],
      to: 'urn:epc:id:sgln:9501101.53000.0',
    });
    expect(e).toMatchObject({
      eventTime: Date.UTC(2025, 0, 15, 5, 0, 0, 250),
      eventTimeOffsetMinutes: 330,
      to: GLN.distributor,
    });
    expect(custodyEventToJson(e).eventTime).toBe('2025-01-15T10:30:00.250+05:30');
  });

  it('accepts DISAGGREGATE without children (all of them) and RECALL with a short GTIN', () => {
    expect(valid({ type: 'DISAGGREGATE', parent: SSCC1 })).toMatchObject({ children: [] });
    expect(valid({ type: 'RECALL', gtin: '4012345123456', lot: 'L1', reason: 'recall' })).toMatchObject({
      gtin: GTIN,
    });
  });

  it('takes back what custodyEventToJson writes, for every scanner event type', () => {
    for (const e of sampleEvents().filter((x) => x.type !== 'REGISTRY')) {
      const { party, ...json } = custodyEventToJson(e);
      expect(valid(json, { ...ctx, party })).toEqual(e);
    }
  });

  it('lets eventTime be up to 5 minutes ahead (scanner clock skew), not more', () => {
    expect(
      valid({ type: 'DISPENSE', items: [SGTIN('1')], eventTime: formatRfc3339(NOW + 300_000, 0) }).eventTime,
    ).toBe(NOW + 300_000);
    expect(
      issuesOf({ type: 'DISPENSE', items: [SGTIN('1')], eventTime: formatRfc3339(NOW + 301_000, 120) }),
    ).toEqual([{ field: 'eventTime', reason: expect.stringMatching(/301 s in the future/) }]);
  });
});

describe('validateCustodyEvent rejects malformed events, each with its field and reason', () => {
  const ship = { type: 'SHIP', items: [SSCC1], to: GLN.distributor };
  const many = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => `(01)${GTIN}(21)S${i}`);
  const cases: [string, unknown, string, RegExp][] = [
    ['not an object', ['SHIP'], '(event)', /must be a JSON object/],
    ['no type', { items: [SSCC1] }, 'type', /is required/],
    ['an unknown type', { ...ship, type: 'TELEPORT' }, 'type', /must be one of COMMISSION, .*got "TELEPORT"/],
    ['a REGISTRY event', { type: 'REGISTRY', changes: [] }, 'type', /registry authority/],
    ['an unknown field, named', { ...ship, colour: 'red' }, 'colour', /is not a field of SHIP events/],
    ['a field of another type', { ...ship, lot: 'L1' }, 'lot', /is not a field of SHIP events/],
    [
      'an eventId of 129 characters',
      { ...ship, eventId: 'a'.repeat(129) },
      'eventId',
      /1 to 128 characters, got 129/,
    ],
    ['an eventId with a space', { ...ship, eventId: 'a b' }, 'eventId', /only letters, digits and \. _ : -/],
    ['an eventId that is a number', { ...ship, eventId: 42 }, 'eventId', /must be a string, got a number/],
    [
      'an eventTime without offset',
      { ...ship, eventTime: '2025-01-15T10:30:00' },
      'eventTime',
      /needs a zone offset/,
    ],
    ['an eventTime that is not RFC 3339', { ...ship, eventTime: 'yesterday' }, 'eventTime', /RFC 3339/],
    [
      'an eventTime on 30 February',
      { ...ship, eventTime: '2025-02-30T10:00:00Z' },
      'eventTime',
      /day 30 does not exist/,
    ],
    [
      'an eventTime at a leap second',
      { ...ship, eventTime: '2016-12-31T23:59:60Z' },
      'eventTime',
      /leap second/,
    ],
    [
      'an eventTime with offset +24:00',
      { ...ship, eventTime: '2025-01-15T10:00:00+24:00' },
      'eventTime',
      /not a valid offset/,
    ],
    ['a site with a bad check digit', { ...ship, site: '4012345000010' }, 'site', /check digit/],
    ['a to GLN with a bad check digit', { ...ship, to: '9501101530004' }, 'to', /check digit/],
    ['no to', { type: 'SHIP', items: [SSCC1] }, 'to', /is required/],
    ['a from that is not a GLN', { type: 'RECEIVE', items: [SSCC1], from: 'ACME' }, 'from', /not a GLN/],
    ['no items', { type: 'SHIP', to: GLN.distributor }, 'items', /is required/],
    ['items that is not an array', { ...ship, items: SSCC1 }, 'items', /must be an array, got a string/],
    ['empty items', { ...ship, items: [] }, 'items', /at least one item/],
    ['more than 10,000 items', { ...ship, items: many }, 'items', /10001 items; at most 10000/],
    [
      'an item with a bad check digit',
      { ...ship, items: [SSCC1, SSCC2, '(01)04012345123457(21)X'] },
      'items[2]',
      /check digit is 7, expected 6/,
    ],
    ['an item that is not a string', { ...ship, items: [SSCC1, 7] }, 'items[1]', /must be a string/],
    [
      'an item named twice in two forms',
      { ...ship, items: [SSCC1, '(00)040123450000000016'] },
      'items[1]',
      /repeats items\[0\]/,
    ],
    [
      'a GTIN without serial as an item',
      { ...ship, items: [`(01)${GTIN}`] },
      'items[0]',
      /names a product, not a pack/,
    ],
    [
      'COMMISSION without lot',
      { type: 'COMMISSION', items: [SGTIN('1')], expiry: '271231' },
      'lot',
      /is required/,
    ],
    [
      'COMMISSION with a lot outside GS1 set 82',
      { type: 'COMMISSION', items: [SGTIN('1')], lot: 'LOT 1', expiry: '271231' },
      'lot',
      /set 82/,
    ],
    [
      'COMMISSION with month 13',
      { type: 'COMMISSION', items: [SGTIN('1')], lot: 'L', expiry: '271331' },
      'expiry',
      /month 13/,
    ],
    [
      'COMMISSION with a 4-digit expiry',
      { type: 'COMMISSION', items: [SGTIN('1')], lot: 'L', expiry: '2712' },
      'expiry',
      /6 digits/,
    ],
    [
      'RECALL with a bad GTIN',
      { type: 'RECALL', gtin: '04012345123457', lot: 'L', reason: 'r' },
      'gtin',
      /check digit/,
    ],
    ['RECALL without reason', { type: 'RECALL', gtin: GTIN, lot: 'L' }, 'reason', /is required/],
    [
      'RECALL with a blank reason',
      { type: 'RECALL', gtin: GTIN, lot: 'L', reason: '  ' },
      'reason',
      /must not be empty/,
    ],
    [
      'DECOMMISSION with an unknown reason',
      { type: 'DECOMMISSION', items: [SGTIN('1')], reason: 'lost' },
      'reason',
      /destroyed, stolen, sample, expired, damaged/,
    ],
    [
      'DISPENSE of a container',
      { type: 'DISPENSE', items: [SGTIN('1'), SSCC1] },
      'items[1]',
      /must be a pack \(SGTIN\)/,
    ],
    [
      'AGGREGATE into a pack',
      { type: 'AGGREGATE', parent: SGTIN('9'), children: [SGTIN('1')] },
      'parent',
      /must be a container \(SSCC\)/,
    ],
    [
      'AGGREGATE with no children',
      { type: 'AGGREGATE', parent: SSCC1, children: [] },
      'children',
      /at least one item/,
    ],
    [
      'AGGREGATE of a container into itself',
      { type: 'AGGREGATE', parent: SSCC1, children: [SSCC2, SSCC1] },
      'children[1]',
      /cannot contain itself/,
    ],
    ['DISAGGREGATE of a pack', { type: 'DISAGGREGATE', parent: SGTIN('1') }, 'parent', /must be a container/],
  ];

  it.each(cases)('%s', (_what, input, field, reason) => {
    const issues = issuesOf(input);
    expect(issues).toContainEqual({ field, reason: expect.stringMatching(reason) });
  });

  it('an event type this service does not take', () => {
    expect(
      issuesOf({ type: 'DISPENSE', items: [SGTIN('1')] }, { ...ctx, acceptTypes: ['SHIP', 'RECEIVE'] }),
    ).toEqual([
      { field: 'type', reason: 'DISPENSE events are not accepted here (this service takes SHIP, RECEIVE)' },
    ]);
  });

  it('reports every problem at once, not just the first', () => {
    const issues = issuesOf({ type: 'SHIP', eventId: '', items: ['x', SSCC1, SSCC1], to: '1', extra: 1 });
    expect(issues.map((i) => i.field).sort()).toEqual(['eventId', 'extra', 'items[0]', 'items[2]', 'to']);
  });
});

describe('checkCustodyEvent (decoded events at the ledger)', () => {
  it('passes every well-formed sample, REGISTRY included', () => {
    for (const e of sampleEvents()) expect(checkCustodyEvent(e, { now: NOW })).toEqual([]);
  });

  it.each([
    [
      'a non-canonical item URI',
      { ...sampleEvents()[6]!, items: ['https://example.com/01/04012345123456/21/SN0001'] },
      'items[0]',
      /not in canonical form.*expected https:\/\/id\.gs1\.org/,
    ],
    [
      'a GLN in URN form',
      { ...sampleEvents()[4]!, to: 'urn:epc:id:sgln:9501101.53000.0' },
      'to',
      /not in canonical form/,
    ],
    [
      'a party GLN with a bad check digit',
      { ...sampleEvents()[0]!, party: '4012345000008' },
      'party',
      /check digit/,
    ],
    [
      'an offset of 1440 minutes',
      { ...sampleEvents()[0]!, eventTimeOffsetMinutes: 1440 },
      'eventTimeOffsetMinutes',
      /-1439\.\.1439/,
    ],
    [
      'an eventTime far in the future',
      { ...sampleEvents()[0]!, eventTime: NOW + 3_600_000 },
      'eventTime',
      /in the future/,
    ],
    ['an eventId with a slash', { ...sampleEvents()[0]!, eventId: 'a/b' }, 'eventId', /only letters/],
  ] as const)('flags %s', (_what, event, field, reason) => {
    expect(checkCustodyEvent(event as CustodyEvent, { now: NOW })).toContainEqual({
      field,
      reason: expect.stringMatching(reason),
    });
  });

  it('flags registry changes with a bad GLN, a foreign key id or a bad prefix', () => {
    const g = genesisEvent();
    const changes = g.changes.map((c, i) => {
      if (i === 0 && c.kind === 'AddParty') return { ...c, gln: '9520000000005', companyPrefixes: ['12'] };
      if (i === 1 && c.kind === 'AddKey') return { ...c, keyId: 'aaaaaaaaaaaaaaaa' };
      return c;
    });
    const issues = checkCustodyEvent({ ...g, changes }, { now: NOW });
    expect(issues.map((i) => i.field)).toEqual([
      'changes[0].gln',
      'changes[0].companyPrefixes[0]',
      'changes[1].keyId',
    ]);
  });
});

describe('RFC 3339 times', () => {
  it.each([
    ['2025-01-15T10:30:00Z', Date.UTC(2025, 0, 15, 10, 30), 0, '2025-01-15T10:30:00Z'],
    [
      '2025-01-15t10:30:00.5-03:30',
      Date.UTC(2025, 0, 15, 14, 0, 0, 500),
      -210,
      '2025-01-15T10:30:00.500-03:30',
    ],
    [
      '2024-02-29T23:59:59.999999+00:00',
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      0,
      '2024-02-29T23:59:59.999Z',
    ],
    // Date.UTC would read year 99 as 1999.
    ['0099-01-01T00:00:00Z', -59042995200000, 0, '0099-01-01T00:00:00Z'],
  ])('%s', (text, epochMs, offsetMinutes, back) => {
    expect(parseRfc3339(text)).toEqual({ epochMs, offsetMinutes });
    expect(formatRfc3339(epochMs, offsetMinutes)).toBe(back);
  });

  it('refuses 2023-02-29 and 2100-02-29 (not leap years)', () => {
    expect(parseRfc3339('2023-02-29T00:00:00Z')).toMatch(/does not exist/);
    expect(parseRfc3339('2100-02-29T00:00:00Z')).toMatch(/does not exist/);
    expect(parseRfc3339('2000-02-29T00:00:00Z')).toMatchObject({ offsetMinutes: 0 });
  });
});

describe('the CustodyEvent v2 bodies: undo of a dispense and the alert workflow', () => {
  it('normalize what a pharmacy or manufacturer system sends', () => {
    const undo = valid({ type: 'UNDO_DISPENSE', dispense: 'disp-7', items: ['(01)04012345123456(21)A1'] });
    expect(undo).toMatchObject({ type: 'UNDO_DISPENSE', dispense: 'disp-7', items: [SGTIN('A1')] });
    const raise = valid({ type: 'RAISE_ALERT', item: SGTIN('A1'), code: 'UNKNOWN_SERIAL' });
    expect(raise).toMatchObject({ type: 'RAISE_ALERT', item: SGTIN('A1'), lot: '', expiry: '' });
    const closed = valid({
      type: 'UPDATE_ALERT',
      alert: 'A-1',
      item: SGTIN('A1'),
      status: 'CLOSED',
      rootCause: 'MANUFACTURER_DATA_ERROR',
    });
    expect(closed).toMatchObject({ rootCause: 'MANUFACTURER_DATA_ERROR', note: '' });
    for (const e of [undo, raise, closed]) expect(checkCustodyEvent(e, { now: NOW }), e.type).toEqual([]);
  });

  it.each([
    [
      'an undo naming a case',
      { type: 'UNDO_DISPENSE', dispense: 'd-1', items: [SSCC1] },
      'items[0]',
      /SGTIN/,
    ],
    ['an undo without its dispense', { type: 'UNDO_DISPENSE', items: [SGTIN('A1')] }, 'dispense', /required/],
    ['an alert on a case', { type: 'RAISE_ALERT', item: SSCC1, code: 'UNKNOWN_SERIAL' }, 'item', /pack/],
    ['an unknown alert code', { type: 'RAISE_ALERT', item: SGTIN('A1'), code: 'FAKE' }, 'code', /one of/],
    [
      'a closing step without a root cause',
      { type: 'UPDATE_ALERT', alert: 'A-1', item: SGTIN('A1'), status: 'CLOSED' },
      'rootCause',
      /required/,
    ],
    [
      'a root cause on a step that does not close',
      {
        type: 'UPDATE_ALERT',
        alert: 'A-1',
        item: SGTIN('A1'),
        status: 'INVESTIGATING',
        rootCause: 'SYSTEM_ERROR',
      },
      'rootCause',
      /only when status is CLOSED/,
    ],
    [
      'a note over 500 characters',
      {
        type: 'UPDATE_ALERT',
        alert: 'A-1',
        item: SGTIN('A1'),
        status: 'INFO_REQUESTED',
        note: 'x'.repeat(501),
      },
      'note',
      /at most 500/,
    ],
  ])('refuse %s, naming the field', (_, input, field, reason) => {
    const issue = issuesOf(input).find((i) => i.field === field);
    expect(issue?.reason).toMatch(reason);
  });
});
