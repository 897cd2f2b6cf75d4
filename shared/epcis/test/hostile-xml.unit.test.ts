import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, EpcisDocumentError, readJsonDocument, readXmlDocument } from '../src/index.ts';

const OPEN =
  '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"><EPCISBody><EventList>';
const CLOSE = '</EventList></EPCISBody></epcis:EPCISDocument>';

function refusal(xml: string, limits = DEFAULT_READ_LIMITS): string {
  try {
    readXmlDocument(xml, limits);
  } catch (err) {
    if (err instanceof EpcisDocumentError) return `${err.issues[0]!.field} ${err.issues[0]!.reason}`;
    throw err;
  }
  throw new Error('expected the XML to be refused');
}

describe('hostile XML is refused before it costs anything', () => {
  it('refuses a billion-laughs document at its DOCTYPE, expanding nothing', () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join(
      '',
    );
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lol}]>${OPEN}<ObjectEvent><eventTime>&lol9;</eventTime></ObjectEvent>${CLOSE}`;
    expect(refusal(xml)).toMatch(/^\(document\) declares a DOCTYPE/);
  });

  it('refuses an external entity (XXE) at its DOCTYPE, reading no file', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${OPEN}<ObjectEvent><eventTime>&xxe;</eventTime></ObjectEvent>${CLOSE}`;
    expect(refusal(xml)).toMatch(/DOCTYPE.*no external entities/);
  });

  it('refuses an entity reference that XML does not predefine', () => {
    expect(refusal(`${OPEN}<ObjectEvent><eventTime>&xxe;</eventTime></ObjectEvent>${CLOSE}`)).toMatch(
      /not well-formed XML/,
    );
  });

  it('stops at the depth limit (a million levels deep is refused at level 33)', () => {
    const depth = 1_000_000;
    const xml = `${OPEN}<ObjectEvent>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</ObjectEvent>${CLOSE}`;
    expect(refusal(xml)).toBe(`(document) nests elements deeper than ${DEFAULT_READ_LIMITS.maxDepth} levels`);
  });

  it('refuses a document larger than its bound before parsing it', () => {
    const xml = `${OPEN}${' '.repeat(2_000)}${CLOSE}`;
    expect(refusal(xml, { ...DEFAULT_READ_LIMITS, maxChars: 1_000 })).toMatch(/characters; at most 1000/);
  });

  it('refuses more events, or more EPCs in one list, than a batch may hold', () => {
    const event = '<ObjectEvent><epcList><epc>a</epc><epc>b</epc><epc>c</epc></epcList></ObjectEvent>';
    expect(refusal(`${OPEN}${event.repeat(3)}${CLOSE}`, { ...DEFAULT_READ_LIMITS, maxEvents: 2 })).toMatch(
      /^EventList holds more than 2 events/,
    );
    expect(refusal(`${OPEN}${event}${CLOSE}`, { ...DEFAULT_READ_LIMITS, maxEpcs: 2 })).toMatch(
      /^epcList names more than 2 EPCs/,
    );
  });

  it('refuses a root that is not an EPCISDocument', () => {
    expect(refusal('<html><body/></html>')).toMatch(/must be an EPCISDocument/);
  });

  it('refuses deeply nested JSON before parsing it', () => {
    const deep = `{"@context":[],"type":"EPCISDocument","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => readJsonDocument(deep, DEFAULT_READ_LIMITS)).toThrow(/deeper than 32 levels/);
  });
});
