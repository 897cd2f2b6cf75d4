import { ALERT_CODES, ALERT_STATUSES } from '@rxledger/events';
import { Gs1Error, normalizeGtin } from '@rxledger/gs1';
import { RxError, ValidationError } from '@rxledger/runtime';
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import type { Principal, TokenRegistry } from '../auth/principal.ts';
import type { AlertRecord } from '../alerts/alert-record.ts';
import { alertAudience, alertView } from '../alerts/alert-view.ts';
import { DEFAULT_ESCALATION_WORKING_DAYS } from '../alerts/working-days.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import { parseQuery, queryInteger } from './query.ts';

/** Largest page of GET /v1/alerts. */
export const MAX_ALERT_PAGE = 200;

export interface AlertRouteDeps {
  store: LedgerStore;
  tokens: TokenRegistry;
  now?: () => Date;
  /** Working days before an unanswered alert escalates (default 2). */
  escalationWorkingDays?: number;
}

const rfc3339 = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /[zZ]|[+-]\d\d:\d\d$/.test(s), {
  message: 'must be an RFC 3339 time with an offset',
});

/** GET /v1/alerts: newest raise first, filtered, a bounded page at a time. */
export const alertsQuery = z
  .object({
    status: z.enum(['OPEN', ...ALERT_STATUSES]).optional(),
    code: z.enum(ALERT_CODES).optional(),
    gtin: z.string().min(1).max(14).optional().describe('GTIN-8/12/13/14'),
    from: rfc3339.optional().describe('raised at or after'),
    to: rfc3339.optional().describe('raised before'),
    limit: queryInteger('limit', { min: 1, max: MAX_ALERT_PAGE })
      .default(50)
      .describe(`alerts per page, 1 to ${MAX_ALERT_PAGE} (default 50)`),
    before: queryInteger('before').optional().describe('the `next` cursor of the previous page'),
  })
  .strict();

/**
 * GET /v1/alerts and GET /v1/alerts/{id}, role-scoped: a regulator sees every alert (and whether it
 * escalated), a partner or pharmacist those of its pharmacy and of the GTINs its manufacturer owns.
 * Anyone else's alert answers the same 404 as an unknown one.
 */
export function alertRoutes(app: Express, deps: AlertRouteDeps): void {
  app.get('/v1/alerts', listAlerts(deps));
  app.get('/v1/alerts/:id', oneAlert(deps));
}

function viewOptions(deps: AlertRouteDeps, principal: Principal) {
  return {
    now: (deps.now?.() ?? new Date()).getTime(),
    escalationWorkingDays: deps.escalationWorkingDays ?? DEFAULT_ESCALATION_WORKING_DAYS,
    regulator: principal.role === 'regulator',
  };
}

/** Whether the principal may see the alert. */
export function maySeeAlert(principal: Principal, alert: AlertRecord): boolean {
  return principal.role === 'regulator' || alertAudience(alert).some((gln) => principal.glns.includes(gln));
}

function listAlerts(deps: AlertRouteDeps): RequestHandler {
  return (req, res) => {
    const principal = deps.tokens.authenticate(req);
    const q = parseQuery(alertsQuery, req.query);
    const page = deps.store.alerts.page({
      parties: principal.role === 'regulator' ? undefined : principal.glns,
      status: q.status,
      code: q.code,
      gtin: q.gtin === undefined ? undefined : gtin14(q.gtin),
      from: q.from === undefined ? undefined : Date.parse(q.from),
      to: q.to === undefined ? undefined : Date.parse(q.to),
      before: q.before,
      limit: q.limit,
    });
    const opts = viewOptions(deps, principal);
    const last = page.alerts.at(-1);
    res.json({
      alerts: page.alerts.map((a) => alertView(a, deps.store.alerts.steps(a.id), opts)),
      ...(page.more && last ? { next: String(last.raisedSeq) } : {}),
    });
  };
}

function oneAlert(deps: AlertRouteDeps): RequestHandler<{ id: string }> {
  return (req, res) => {
    const principal = deps.tokens.authenticate(req);
    const id = req.params.id;
    if (!/^[A-Za-z0-9._:-]{1,160}$/.test(id)) {
      throw new ValidationError([{ field: 'id', reason: 'an alert id is <pharmacy GLN>:<eventId>' }]);
    }
    const alert = deps.store.alerts.get(id);
    if (!alert || !maySeeAlert(principal, alert)) {
      throw new RxError('UNKNOWN_ALERT', 'the ledger has no alert of this id open to you', { status: 404 });
    }
    res.json(alertView(alert, deps.store.alerts.steps(alert.id), viewOptions(deps, principal)));
  };
}

function gtin14(gtin: string): string {
  try {
    return normalizeGtin(gtin);
  } catch (err) {
    if (err instanceof Gs1Error) throw new ValidationError([{ field: 'gtin', reason: err.message }]);
    throw err;
  }
}
