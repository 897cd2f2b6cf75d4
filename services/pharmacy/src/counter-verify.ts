import type { GatewayRouteContext } from '@rxledger/gateway';
import { ValidationError } from '@rxledger/runtime';
import type { Express } from 'express';

/** The query parameters a counter scanner may send; anything else is not passed to the ledger. */
export const VERIFY_PARAMS = ['gtin', 'serial', 'lot', 'expiry', 'scan'] as const;

/** Header naming the asking pharmacy, beside the `pharmacy` query parameter, for the ledger's logs. */
export const PHARMACY_HEADER = 'x-rxledger-pharmacy';

/**
 * GET /v1/verify for counter scanners: passes the scan to the ledger's verify with the scanner's
 * pharmacy GLN, so that the ledger can flag a pack that is not where it should be (CUSTODY_MISMATCH).
 * The GLN comes from the scanner's key, never from the request. The ledger's answer is relayed as is;
 * a ledger that does not answer gives 503.
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
      res.send(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    } catch (err) {
      next(err);
    }
  });
}
