import { describe, expect, it } from 'vitest';
import { captureEventsPaced, DEFAULT_READ_LIMITS, readEpcisDocument } from '../src/index.ts';

const events = 10_000;
const xml =
  '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="2.0"><EPCISBody><EventList>' +
  Array.from(
    { length: events },
    (_, i) =>
      `<ObjectEvent><eventTime>2026-01-05T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>` +
      `<epcList><epc>urn:epc:id:sgtin:0614141.012345.S${i}</epc></epcList><action>ADD</action><bizStep>commissioning</bizStep>` +
      `<ilmd><cbvmda:lotNumber>L</cbvmda:lotNumber><cbvmda:itemExpirationDate>2028-12-31</cbvmda:itemExpirationDate></ilmd></ObjectEvent>`,
  ).join('') +
  '</EventList></EPCISBody></epcis:EPCISDocument>';

describe('readEpcisDocument', () => {
  it('lets the event loop run while it reads 10,000 events (a service keeps answering)', async () => {
    let turns = 0;
    let reading = true;
    const tick = () => {
      turns += 1;
      if (reading) setImmediate(tick);
    };
    setImmediate(tick);
    const doc = await readEpcisDocument(xml, 'application/xml', DEFAULT_READ_LIMITS);
    const afterReading = turns;
    const captured = await captureEventsPaced(doc!, '0614141000005');
    reading = false;
    expect(captured).toHaveLength(events);
    expect(afterReading).toBeGreaterThan(1);
    expect(turns).toBeGreaterThan(afterReading);
  });

  it.each([
    ['application/ld+json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/xml', 'xml'],
    ['Text/XML; charset=UTF-8', 'xml'],
  ])('reads %s as %s', async (mediaType, syntax) => {
    const body =
      syntax === 'xml'
        ? xml
        : JSON.stringify({
            '@context': [],
            type: 'EPCISDocument',
            schemaVersion: '2.0',
            epcisBody: { eventList: [] },
          });
    expect((await readEpcisDocument(body, mediaType, DEFAULT_READ_LIMITS))?.syntax).toBe(syntax);
  });

  it('takes no other media type', async () => {
    expect(await readEpcisDocument(xml, 'text/plain', DEFAULT_READ_LIMITS)).toBeUndefined();
  });
});
