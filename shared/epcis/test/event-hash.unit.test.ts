import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, epcisEventHash, readJsonDocument, readXmlDocument } from '../src/index.ts';

const DIR = join(import.meta.dirname, 'vectors', 'event-hash');

/** Each reference example, and the events of it the port covers (all, unless listed). */
const EXAMPLES: Array<[file: string, events?: number[]]> = [
  ['ReferenceEventHashAlgorithm.jsonld'],
  ['ReferenceEventHashAlgorithm.xml'],
  ['epcisDocWithSingleEvent.jsonld'],
  ['epcisDocWithShippingAndTransportingEvent.jsonld'],
  ['epcisDocWithShippingAndTransportingEvent.xml'],
  ['persistentDisposition.jsonld'],
  ['persistentDisposition.xml'],
  ['epcisDocWithCustomSchemaInContext.jsonld'],
  ['epcisDocWithDefaultSchemaInContext.jsonld'],
  ['epcisDocWithTransformationEventWithExtension.xml'],
  ['epcisDocWith2DifferentTransformationEvents.xml'],
  ['epcisEventWithCURIEs.jsonld'],
  ['epcisEventWithCURIEs.xml'],
  ['epcisDocHavingEventWithComment.jsonld'],
  ['ralfsChaosExample.jsonld'],
  // Event 2 has sensor reports with bare GS1 vocabulary terms, which the port does not expand.
  ['TimeStampRoundOff.jsonld', [0, 1]],
  // Events 3, 5, 9-12 name LGTIN classes, GDTIs, GRAIs or sensor data (keys rxledger refuses).
  ['epcisDocWithVariousEventTypes.jsonld', [0, 1, 2, 4, 6, 7, 8]],
  ['epcisDocWithVariousEventTypes.xml', [0, 1, 2, 4, 6, 7, 8]],
];

describe("GS1's EPCIS event hash (CBV 2.0), against the reference implementation's examples", () => {
  it.each(EXAMPLES)('%s', (file, only) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const doc = file.endsWith('.xml')
      ? readXmlDocument(text, DEFAULT_READ_LIMITS)
      : readJsonDocument(text, DEFAULT_READ_LIMITS);
    const want = readFileSync(join(DIR, file.replace(/\.(jsonld|xml)$/, '.hashes')), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(doc.events).toHaveLength(want.length);
    for (const i of only ?? want.map((_, i) => i))
      expect(epcisEventHash(doc.events[i]!), `event ${i}`).toBe(want[i]);
  });

  it('gives a JSON event and its XML twin the same hash', () => {
    const read = (ext: string, f: (t: string, l: typeof DEFAULT_READ_LIMITS) => { events: unknown[] }) =>
      f(
        readFileSync(join(DIR, `epcisDocWithShippingAndTransportingEvent.${ext}`), 'utf8'),
        DEFAULT_READ_LIMITS,
      );
    const json = read('jsonld', readJsonDocument).events.map((e) => epcisEventHash(e as never));
    const xml = read('xml', readXmlDocument).events.map((e) => epcisEventHash(e as never));
    expect(json).toEqual(xml);
  });
});
