import { describe, expect, it } from 'vitest';
import {
  captureEvents,
  DEFAULT_READ_LIMITS,
  EpcisDocumentError,
  epcisEventHash,
  epcisFieldOf,
  readJsonDocument,
  readXmlDocument,
} from '../src/index.ts';
import { dscsaDocument } from './fixtures/dscsa-document.ts';

const MAKER = 'urn:epc:id:sgln:0614141.00000.0'; // 0614141000005
const MAKER_SITE = 'urn:epc:id:sgln:0614141.00001.0'; // 0614141000012
const MAKER_GLN = '0614141000005';
const DISTRIBUTOR = 'urn:epc:id:sgln:4001234.00000.0'; // 4001234000008
const PACK = (n: number) => `urn:epc:id:sgtin:0614141.012345.P${n}`;
const CASE = 'urn:epc:id:sscc:0614141.0000000100';

function refusal(run: () => unknown): EpcisDocumentError {
  try {
    run();
  } catch (err) {
    if (err instanceof EpcisDocumentError) return err;
    throw err;
  }
  throw new Error('expected the document to be refused');
}

const jsonDoc = (events: object[]) =>
  JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-01-05T12:00:00Z',
    epcisBody: { eventList: events },
  });
const commissioning = (extra: object = {}) => ({
  type: 'ObjectEvent',
  eventTime: '2026-01-05T09:00:00.000-05:00',
  eventTimeZoneOffset: '-05:00',
  epcList: [PACK(1), 'https://id.gs1.org/01/00614141123452/21/P2'],
  action: 'ADD',
  bizStep: 'commissioning',
  disposition: 'active',
  readPoint: { id: MAKER_SITE },
  ilmd: { 'cbvmda:lotNumber': 'L1', 'cbvmda:itemExpirationDate': '2028-12-31' },
  ...extra,
});
const captureJson = (events: object[]) =>
  captureEvents(readJsonDocument(jsonDoc(events), DEFAULT_READ_LIMITS), MAKER_GLN);

describe('EPCIS events → custody events', () => {
  it('maps a DSCSA EPCIS 1.2 XML document (SBDH, GS1 US header) commissioning → packing → shipping', () => {
    const xml = dscsaDocument(MAKER, DISTRIBUTOR, [
      {
        step: 'commissioning',
        time: '2026-01-05T09:00:00-05:00',
        epcs: [PACK(1), PACK(2)],
        lot: 'L1',
        expiry: '2028-12-31',
        site: MAKER_SITE,
      },
      {
        step: 'packing',
        time: '2026-01-05T09:05:00-05:00',
        parent: CASE,
        children: [PACK(1), PACK(2)],
        site: MAKER_SITE,
      },
      {
        step: 'shipping',
        time: '2026-01-05T10:00:00-05:00',
        epcs: [CASE],
        site: MAKER_SITE,
        from: MAKER,
        to: DISTRIBUTOR,
      },
    ]);
    const doc = readXmlDocument(xml, DEFAULT_READ_LIMITS);
    expect(doc.schemaVersion).toBe('1.2');
    const [commission, pack, ship] = captureEvents(doc, MAKER_GLN).map((c) => c.event);
    const packs = [
      'https://id.gs1.org/01/00614141123452/21/P1',
      'https://id.gs1.org/01/00614141123452/21/P2',
    ];
    expect(commission).toMatchObject({
      type: 'COMMISSION',
      eventTime: '2026-01-05T09:00:00-05:00',
      site: '0614141000012',
      items: packs,
      lot: 'L1',
      expiry: '281231',
    });
    expect(pack).toMatchObject({
      type: 'AGGREGATE',
      parent: 'https://id.gs1.org/00/006141410000001002',
      children: packs,
    });
    expect(ship).toMatchObject({
      type: 'SHIP',
      items: ['https://id.gs1.org/00/006141410000001002'],
      to: '4001234000008',
    });
  });

  it('keeps a given eventID and gives an event without one its CBV 2.0 hash ID, the same on every capture', () => {
    const id = 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const [given] = captureJson([commissioning({ eventID: id })]);
    expect(given!.epcisEventId).toBe(id);
    expect(given!.event.eventId).toBe(id);
    const first = captureJson([commissioning()])[0]!;
    const again = captureJson([commissioning()])[0]!;
    expect(first.epcisEventId).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(again.event.eventId).toBe(first.event.eventId);
    expect(first.epcisEventId).toBe(
      epcisEventHash(readJsonDocument(jsonDoc([commissioning()]), DEFAULT_READ_LIMITS).events[0]!),
    );
    const later = captureJson([commissioning({ eventTime: '2026-01-05T09:00:01.000-05:00' })])[0]!;
    expect(later.event.eventId).not.toBe(first.event.eventId);
  });

  it('reads the disposition the export writes for each decommission reason back as that reason', () => {
    // CBV has no "sample"; export writes non_sellable_other for it, so capture must read that back.
    for (const [disposition, reason] of [
      ['non_sellable_other', 'sample'],
      ['urn:epcglobal:cbv:disp:damaged', 'damaged'],
      ['https://ref.gs1.org/cbv/Disp-stolen', 'stolen'],
    ]) {
      const [decommission] = captureJson([
        commissioning({ bizStep: 'decommissioning', action: 'DELETE', disposition, ilmd: undefined }),
      ]);
      expect(decommission!.event, disposition).toMatchObject({ type: 'DECOMMISSION', reason });
    }
  });

  it('refuses an expiry that is no calendar date, DD=00 included, naming the ILMD field', () => {
    for (const expiry of ['2028-12-00', '2028-02-30', '2028-13-01', '28-12-31']) {
      const ilmd = { 'cbvmda:lotNumber': 'L1', 'cbvmda:itemExpirationDate': expiry };
      const err = refusal(() => captureJson([commissioning({ ilmd })]));
      expect(err.issues, expiry).toEqual([
        { index: 0, field: 'ilmd.cbvmda:itemExpirationDate', reason: expect.stringMatching(/calendar date/) },
      ]);
    }
  });

  it('takes the possessing party over the owning party as where custody goes', () => {
    const [ship] = captureJson([
      {
        type: 'ObjectEvent',
        eventTime: '2026-01-05T10:00:00Z',
        eventTimeZoneOffset: '+00:00',
        epcList: [CASE],
        action: 'OBSERVE',
        bizStep: 'shipping',
        destinationList: [
          { type: 'owning_party', destination: 'urn:epc:id:pgln:4001234.00000' },
          { type: 'possessing_party', destination: 'https://id.gs1.org/417/5009999000003' },
        ],
      },
    ]);
    expect(ship!.event).toMatchObject({ type: 'SHIP', to: '5009999000003' });
    expect(ship!.fields.to).toBe('destinationList');
  });

  it.each([
    [
      'a missing lot on commissioning',
      commissioning({ ilmd: { 'cbvmda:itemExpirationDate': '2028-12-31' } }),
      'ilmd.cbvmda:lotNumber',
      /lot/,
    ],
    [
      'a quantity-only event',
      commissioning({
        epcList: undefined,
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:0614141.012345.L1', quantity: 5 }],
      }),
      'quantityList',
      /class of product/,
    ],
    [
      'a business step rxledger does not model',
      commissioning({ bizStep: 'inspecting', action: 'OBSERVE' }),
      'bizStep',
      /inspecting is a business step rxledger does not model/,
    ],
    [
      'an EPC that is no pack or case',
      commissioning({ epcList: ['urn:epc:id:grai:4012345.66666.87'] }),
      'epcList[0]',
      /GRAI|grai/,
    ],
    [
      'an eventID it cannot keep unaltered',
      commissioning({ eventID: 'https://example.com/events/1' }),
      'eventID',
      /unaltered/,
    ],
    ['a step written with the wrong action', commissioning({ action: 'OBSERVE' }), 'action', /ADD/],
    [
      'a shipping with no party to go to',
      { ...commissioning({ bizStep: 'shipping', action: 'OBSERVE' }), ilmd: undefined },
      'destinationList',
      /possessing_party or owning_party/,
    ],
    [
      'a decommissioning that does not say why',
      commissioning({ bizStep: 'decommissioning', action: 'DELETE', disposition: 'inactive' }),
      'disposition',
      /destroyed, stolen/,
    ],
    [
      'a site that is no GLN',
      commissioning({ readPoint: { id: 'urn:epc:id:sgln:0614141.0000.0' } }),
      'readPoint.id',
      /location reference/,
    ],
    [
      'an error declaration',
      commissioning({ errorDeclaration: { declarationTime: '2026-01-05T10:00:00Z' } }),
      'errorDeclaration',
      /append-only/,
    ],
    [
      'a TransformationEvent',
      { ...commissioning(), type: 'TransformationEvent' },
      'type',
      /ObjectEvent and AggregationEvent/,
    ],
  ])('refuses %s, naming the event index and the field', (_what, event, field, reason) => {
    const err = refusal(() =>
      captureJson([commissioning({ eventID: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' }), event]),
    );
    expect(err.issues).toEqual([{ index: 1, field, reason: expect.stringMatching(reason) }]);
  });

  it('names the EPCIS field a custody field came from', () => {
    const [commission] = captureJson([commissioning()]);
    expect(epcisFieldOf(commission!, 'items[1]')).toBe('epcList[1]');
    expect(epcisFieldOf(commission!, 'expiry')).toBe('ilmd.cbvmda:itemExpirationDate');
    expect(epcisFieldOf(commission!, 'site')).toBe('readPoint');
    expect(epcisFieldOf(commission!, 'eventTime')).toBe('eventTime');
  });
});
