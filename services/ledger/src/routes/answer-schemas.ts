import { isValidGln, parseExpiry } from '@rxledger/gs1';
import { z } from 'zod';

function validExpiry(s: string): boolean {
  try {
    parseExpiry(s, new Date());
    return true;
  } catch {
    return false;
  }
}
import { queryInteger } from './query.ts';

const gln = z.string().refine(isValidGln, 'must be a GLN-13 with a correct check digit');
const rfc3339 = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /[zZ]|[+-]\d\d:\d\d$/.test(s), {
  message: 'must be an RFC 3339 time with an offset',
});

/** GET /v1/verify: a scan, or gtin + serial (+ lot, expiry) as read off the pack. */
export const verifyQuery = z
  .object({
    scan: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('raw DataMatrix element string (FNC1 as %1D) or a GS1 Digital Link URI'),
    gtin: z.string().max(14).optional().describe('GTIN-8/12/13/14'),
    serial: z.string().max(20).optional(),
    lot: z.string().max(20).optional(),
    expiry: z
      .string()
      .max(6)
      .refine((s) => validExpiry(s), 'must be a date YYMMDD (DD 00 meaning the end of the month)')
      .optional()
      .describe('YYMMDD'),
    at: gln.optional().describe('GLN of the party at whose counter or dock the pack is scanned'),
    pharmacy: gln.optional().describe('alias of at, as the pharmacy service sends it'),
  })
  .strict()
  .refine((q) => q.scan !== undefined || (q.gtin !== undefined && q.serial !== undefined), {
    message: 'give scan, or gtin and serial',
  });

/** GET /v1/provenance */
export const provenanceQuery = z
  .object({ item: z.string().min(1).max(512).describe('the pack or container, in any GS1 form') })
  .strict();

/** Most packs one page of a recall scope lists; and most rejections one page lists. */
export const MAX_PAGE = 1000;

/** The cursor of a recall scope page: the last item of the page, base64url, read as opaque. */
export const itemCursor = {
  encode: (item: string) => Buffer.from(item, 'utf8').toString('base64url'),
  decode: (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8'),
};

/** GET /v1/recalls/scope: the packs of a lot, a page at a time in item order. */
export const recallScopeQuery = z
  .object({
    gtin: z.string().min(1).max(14),
    lot: z.string().min(1).max(20),
    limit: queryInteger('limit', { min: 1, max: MAX_PAGE })
      .default(MAX_PAGE)
      .describe(`packs per page, 1 to ${MAX_PAGE} (default ${MAX_PAGE})`),
    after: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,1024}$/, 'after must be the `next` cursor of a previous page')
      .transform(itemCursor.decode)
      .optional()
      .describe('the `next` cursor of the previous page'),
  })
  .strict();

/** GET /v1/rejections: newest first, a page at a time. */
export const rejectionsQuery = z
  .object({
    party: gln.optional(),
    reason: z
      .string()
      .regex(/^[A-Z_]{3,40}$/, 'must be a rejection code such as BAD_SIGNATURE')
      .optional(),
    since: rfc3339.optional(),
    until: rfc3339.optional(),
    limit: queryInteger('limit', { min: 1, max: MAX_PAGE })
      .default(100)
      .describe(`rejections per page, 1 to ${MAX_PAGE} (default 100)`),
    after: queryInteger('after')
      .optional()
      .describe('the `next` cursor of the previous page: the Kafka offset of its last rejection'),
  })
  .strict();

/** The longest an event-state request may be held (s): below common proxies' idle timeouts. */
export const MAX_EVENT_WAIT_S = 30;

/** GET /v1/events/{id}: eventIds are scoped to their signer, so one id may name events of several parties. */
export const eventStateQuery = z
  .object({
    party: gln.optional().describe('GLN of the signing party, where several used the eventId'),
    wait: queryInteger('wait', { min: 0, max: MAX_EVENT_WAIT_S })
      .optional()
      .describe(
        `seconds, 0 to ${MAX_EVENT_WAIT_S}, to hold the answer while the ledger has not decided the event (a long poll; default 0)`,
      ),
  })
  .strict();

/** GET /v1/registry takes no parameters. */
export const registryQuery = z.object({}).strict();
