import { UnavailableError, ValidationError } from '@rxledger/runtime';
import type { Express, Response } from 'express';
import type { HostedParty } from './hosted-party.ts';
import type { LedgerReply } from './ledger-client.ts';
import type { RouteDeps } from './route-deps.ts';

const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** As the ledger's limit: the longest it holds an event-state request. */
const MAX_WAIT_S = 30;
const STATES = new Set(['PENDING', 'ACCEPTED', 'REJECTED']);

/** The state of one event as the ledger reports it (DESIGN §5); a rejection's reason is relayed as is. */
export interface EventState {
  eventId: string;
  state: string;
  index?: number;
  reason?: string | { code: string; message?: string };
}

/**
 * GET /v1/events/{id}: the ledger's verdict on an event of the scanner's own party. An event Kafka
 * took from this service that the ledger has not folded yet is PENDING; an event of another hosted
 * party is 404, as if it did not exist, so scanners cannot probe each other's ids.
 */
export function mountEventStatus(app: Express, deps: RouteDeps): void {
  app.get('/v1/events/:id', deps.authenticate, async (req, res, next) => {
    try {
      const id = req.params.id as string;
      if (!EVENT_ID.test(id)) {
        throw new ValidationError([{ field: 'id', reason: 'an eventId is 1-128 of A-Z a-z 0-9 . _ : -' }]);
      }
      const waitS = parseWait(req.query.wait);
      const state = await eventStateOf(deps.partyOf(res), id, deps, { waitS });
      if (state === undefined) return notFound(res);
      res.json(state);
    } catch (err) {
      next(err);
    }
  });
}

/**
 * The state of `party`'s event `id` as the ledger reports it; PENDING for an event Kafka took from
 * this service (or that the caller knows was acknowledged) and the ledger has not folded yet;
 * undefined when there is no such event of this party. Throws UnavailableError when the ledger
 * cannot say and nothing is known here.
 */
export async function eventStateOf(
  party: HostedParty,
  id: string,
  deps: Pick<RouteDeps, 'cache' | 'hostedGlns' | 'ledger' | 'log'>,
  opts: { acknowledged?: boolean; waitS?: number } = {},
): Promise<EventState | undefined> {
  const own = deps.cache.peek(party.gln, id);
  if (own === undefined && !opts.acknowledged) {
    for (const gln of deps.hostedGlns()) {
      if (gln !== party.gln && deps.cache.peek(gln, id) !== undefined) return undefined;
    }
  }
  const published = opts.acknowledged === true || own?.acknowledged === true;
  const pending: EventState = { eventId: id, state: 'PENDING' };

  let reply: LedgerReply;
  try {
    // eventIds are scoped to their signer on the ledger: ask for this party's event, not another's.
    const waitS = opts.waitS ?? 0;
    reply = await deps.ledger.get(`/v1/events/${encodeURIComponent(id)}`, {
      token: party.ledgerToken,
      query: { party: party.gln, ...(waitS > 0 && { wait: String(waitS) }) },
      heldMs: waitS * 1000,
    });
  } catch (err) {
    if (published) return pending;
    throw err;
  }
  if (reply.status === 200 && isEventState(reply.body, id)) {
    const { eventId, state, index, reason } = reply.body;
    return {
      eventId,
      state,
      ...(index !== undefined && { index }),
      ...(reason !== undefined && { reason }),
    };
  }
  if (reply.status === 404) return published ? pending : undefined;
  deps.log.warn({ status: reply.status, route: '/v1/events/{id}' }, 'unexpected answer from the ledger');
  if (published) return pending;
  throw new UnavailableError(`the ledger answered ${reply.status} for this event; try again later`);
}

/**
 * ?wait=: seconds, 0 to 30, the ledger may hold the answer while it has not decided the event (a long
 * poll instead of asking again and again). Absent is 0.
 */
function parseWait(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'string' || !/^(0|[1-9]\d?)$/.test(value) || Number(value) > MAX_WAIT_S) {
    throw new ValidationError([{ field: 'wait', reason: `seconds, a whole number from 0 to ${MAX_WAIT_S}` }]);
  }
  return Number(value);
}

// The same bytes for "never seen" and "another party's": the answer must not tell them apart.
function notFound(res: Response): void {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such event of this party is known' } });
}

function isEventState(body: unknown, id: string): body is EventState {
  const b = body as Partial<EventState> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    b.eventId === id &&
    typeof b.state === 'string' &&
    STATES.has(b.state) &&
    (b.index === undefined || Number.isSafeInteger(b.index)) &&
    (b.reason === undefined ||
      typeof b.reason === 'string' ||
      (typeof b.reason === 'object' && b.reason !== null && typeof b.reason.code === 'string'))
  );
}
