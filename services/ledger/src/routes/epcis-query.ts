// The EPCIS 2.0 REST query parameters the export reads (GET /v1/epcis/events), each validated with
// the parameter named. Lists are written as EPCIS 2.0's REST binding writes them: values joined by `|`.
import { BIZ_STEPS, readBizStep } from '@rxledger/epcis';
import { parseRfc3339 } from '@rxledger/events';
import { Gs1Error, parseGln, parseItem } from '@rxledger/gs1';
import { z } from 'zod';
import { MAX_PAGE } from './answer-schemas.ts';
import { queryInteger } from './query.ts';

/** Most values one list parameter takes: each EPC asked about costs a partner's query one custody fold. */
export const MAX_LIST_VALUES = 100;
/** perPage when none is asked for. */
export const DEFAULT_PER_PAGE = 100;

const once = (name: string) => ({ error: `${name} must be given once; separate several values with |` });

/** A `|`-separated list whose every value `read` turns into its canonical form or explains. */
function list<T>(name: string, read: (value: string) => T) {
  return z.string(once(name)).transform((s, ctx) => {
    const values = s.split('|');
    if (values.length > MAX_LIST_VALUES) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_LIST_VALUES} values, got ${values.length}` });
      return z.NEVER;
    }
    const out: T[] = [];
    for (const [i, value] of values.entries()) {
      try {
        out.push(read(value));
      } catch (err) {
        if (!(err instanceof Gs1Error || err instanceof RangeError)) throw err;
        const which = values.length > 1 ? `value ${i + 1} ` : '';
        ctx.addIssue({ code: 'custom', message: `${which}"${value.slice(0, 200)}": ${err.message}` });
        return z.NEVER;
      }
    }
    return [...new Set(out)];
  });
}

// An EPC in any form rxledger reads (EPC URN, Digital Link, element string): its canonical URI.
const epc = (value: string) => {
  if (value.startsWith('urn:epc:idpat:'))
    throw new RangeError('EPC patterns (urn:epc:idpat:) are not supported');
  return parseItem(value).uri;
};

const bizStep = (value: string) => {
  const step = readBizStep(value);
  if (step === undefined)
    throw new RangeError(`not a CBV business step rxledger speaks (${BIZ_STEPS.join(', ')})`);
  return step;
};

const time = (name: string) =>
  z
    .string(once(name))
    .transform((s, ctx) => {
      const t = parseRfc3339(s);
      if (typeof t === 'string') {
        ctx.addIssue({ code: 'custom', message: t });
        return z.NEVER;
      }
      return t.epochMs;
    })
    .describe('RFC 3339 date-time with a zone offset');

/** GET /v1/epcis/events */
export const epcisEventsQuery = z
  .object({
    MATCH_anyEPC: list('MATCH_anyEPC', epc)
      .optional()
      .describe(
        `events naming one of these EPCs (epcList, parentID or childEPCs); EPC URNs or Digital Link URIs joined by |, at most ${MAX_LIST_VALUES}`,
      ),
    MATCH_parentID: list('MATCH_parentID', epc)
      .optional()
      .describe('AggregationEvents with one of these parentIDs'),
    EQ_bizStep: list('EQ_bizStep', bizStep)
      .optional()
      .describe('CBV business steps, bare (shipping) or as URNs, joined by |'),
    GE_eventTime: time('GE_eventTime').optional(),
    LT_eventTime: time('LT_eventTime').optional(),
    EQ_bizLocation: list('EQ_bizLocation', parseGln)
      .optional()
      .describe('sites as SGLN URNs, Digital Link URIs (/414/) or GLN-13s, joined by |'),
    perPage: queryInteger('perPage', { min: 1, max: MAX_PAGE })
      .default(DEFAULT_PER_PAGE)
      .describe(`events per page, 1 to ${MAX_PAGE} (default ${DEFAULT_PER_PAGE})`),
    nextPageToken: z
      .string(once('nextPageToken'))
      .max(200, 'nextPageToken is not a token this ledger issued')
      .optional()
      .describe('from the Link rel="next" of the previous page; repeat the other parameters unchanged'),
  })
  .strict();
export type EpcisEventsQuery = z.output<typeof epcisEventsQuery>;
