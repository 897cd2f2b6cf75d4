import type { GatewayRouteContext } from '@rxledger/gateway';
import { parseScan, sgtinUri } from '@rxledger/gs1';
import { ValidationError } from '@rxledger/runtime';
import type { Express, Response } from 'express';
import { randomBytes } from 'node:crypto';

/** The query parameters a counter scanner may send; anything else is not passed to the ledger. */
export const VERIFY_PARAMS = ['gtin', 'serial', 'lot', 'expiry', 'scan'] as const;

/** Header naming the asking pharmacy, beside the `pharmacy` query parameter, for the ledger's logs. */
export const PHARMACY_HEADER = 'x-rxledger-pharmacy';

/** What of the ledger's verify answer the counter acts on (the ledger's answers/judge-verify.ts). */
interface VerifyAnswer {
  product?: { gtin?: string; serial?: string };
  /** The potential falsification this scan shows at this pharmacy, if any. */
  falsification?: string;
  /** This pharmacy's open alert on the pack, if any. */
  alert?: { id: string; status: string; code: string };
}

/**
 * GET /v1/verify for counter scanners: passes the scan to the ledger's verify with the scanner's
 * pharmacy GLN, so that the ledger can flag a pack that is not where it should be (CUSTODY_MISMATCH).
 * The GLN comes from the scanner's key, never from the request. When the answer shows a potential
 * falsification and this pharmacy has no open alert of that code on the pack, it raises one (a signed
 * RAISE_ALERT, published before the answer is sent) and the answer names it. Otherwise the ledger's
 * answer is relayed as is; a ledger that does not answer gives 503.
 */
export function mountCounterVerify(app: Express, ctx: GatewayRouteContext): void {
  app.get('/v1/verify', ctx.authenticate, async (req, res, next) => {
    try {
      const query: Record<string, string> = {};
      for (const name of VERIFY_PARAMS) {
        const value = req.query[name];
        if (value === undefined) continue;
        if (typeof value !== 'string') {
          throw new ValidationError([{ field: name, reason: 'must be given once, as a plain value' }]);
        }
        query[name] = value;
      }
      const party = ctx.partyOf(res);
      query.pharmacy = party.gln;
      const reply = await ctx.ledger.get('/v1/verify', {
        query,
        token: party.ledgerToken,
        headers: { [PHARMACY_HEADER]: party.gln },
      });
      res.status(reply.status).type(reply.contentType);
      if (reply.status === 200 && typeof reply.body === 'object' && reply.body !== null) {
        res.send(JSON.stringify(await withRaisedAlert(reply.body as VerifyAnswer, query, res, ctx)));
        return;
      }
      res.send(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    } catch (err) {
      next(err);
    }
  });
}

/**
 * The answer, with the alert this scan raises when it shows a potential falsification that this
 * pharmacy has no open alert of: a RAISE_ALERT with the lot and expiry as scanned (no patient data),
 * acknowledged by Kafka before this resolves. A repeat raise racing another is harmless: the ledger's
 * fold joins it to the open alert, and its id resolves there.
 */
async function withRaisedAlert(
  answer: VerifyAnswer,
  query: Record<string, string>,
  res: Response,
  ctx: GatewayRouteContext,
): Promise<VerifyAnswer> {
  const code = answer.falsification;
  const { gtin, serial } = answer.product ?? {};
  if (code === undefined || gtin === undefined || serial === undefined) return answer;
  if (answer.alert?.code === code) return answer;
  const scanned = asScanned(query);
  const eventId = newAlertEventId();
  const raise = { type: 'RAISE_ALERT', eventId, item: sgtinUri(gtin, serial), code, ...scanned };
  await ctx.publish([raise], res, ['RAISE_ALERT']);
  const alert = { id: `${ctx.partyOf(res).gln}:${eventId}`, status: 'OPEN', code };
  ctx.log.info({ alert: alert.id, code }, 'alert raised at the counter');
  return { ...answer, alert };
}

// Crockford's base 32: no I, L, O or U, so an id read out over the phone is not misheard.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The eventId of a raise, which the alert id (`<pharmacy GLN>:<eventId>`) carries: a pharmacist quotes
 * it, so it is short and plain, `alert-XXXXX-XXXXX` (50 random bits: a repeat within one pharmacy,
 * whose eventIds it must not repeat, is a one-in-10^15 event per pair).
 */
export function newAlertEventId(bytes: Uint8Array = randomBytes(10)): string {
  const chars = [...bytes.subarray(0, 10)].map((b) => CROCKFORD[b & 31]);
  return `alert-${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

// Lot and expiry exactly as the scan carried them ('' for none), never the ledger's.
function asScanned(query: Record<string, string>): { lot: string; expiry: string } {
  if (query.scan !== undefined) {
    const scan = parseScan(query.scan);
    return { lot: scan.lot ?? '', expiry: scan.expiry ?? '' };
  }
  return { lot: query.lot ?? '', expiry: query.expiry ?? '' };
}
