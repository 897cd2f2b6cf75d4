import { RxError, ValidationError } from '@rxledger/runtime';
import type { Express, Request, RequestHandler } from 'express';
import { epcisEventsPage, type EpcisQuery } from '../answers/epcis-events.ts';
import { pageToken, queryDigest } from '../answers/epcis-page-token.ts';
import { requireRole } from '../auth/principal.ts';
import type { AnswerDeps } from './answer-routes.ts';
import { epcisJsonDocument, epcisXmlDocument } from './epcis-render.ts';
import { epcisEventsQuery, type EpcisEventsQuery } from './epcis-query.ts';
import { parseQuery } from './query.ts';

/** What the export answers in, by the Accept header; the first is the default (no Accept, or * / *). */
const MEDIA_TYPES = ['application/ld+json', 'application/json', 'application/xml'];

/** GET /v1/epcis/events: the ledger's custody events as EPCIS 2.0 query documents. */
export function epcisRoutes(app: Express, deps: AnswerDeps): void {
  app.get('/v1/epcis/events', epcisEvents(deps));
}

function epcisEvents(deps: AnswerDeps): RequestHandler {
  const { store, history, tokens } = deps;
  const now = deps.now ?? (() => new Date());
  return (req, res) => {
    const principal = tokens.authenticate(req);
    requireRole(principal, ['regulator', 'partner'], 'the EPCIS export');
    const media = req.accepts(MEDIA_TYPES);
    if (media === false) {
      throw new RxError('NOT_ACCEPTABLE', `the EPCIS export is served as ${MEDIA_TYPES.join(', ')}`, {
        status: 406,
      });
    }
    const q = parseQuery(epcisEventsQuery, req.query);
    const query = exportQuery(q);
    const digest = queryDigest({ ...query, perPage: undefined });
    const page = epcisEventsPage({ store, history }, principal, query, pinnedAt(deps, q, digest));
    const creationDate = now().toISOString();
    res.set('GS1-EPCIS-Version', '2.0').set('GS1-CBV-Version', '2.0');
    if (page.next) res.set('Link', `<${nextPageUrl(req, pageToken.encode(page.next, digest))}>; rel="next"`);
    if (media === 'application/xml') {
      res.type('application/xml; charset=utf-8').send(epcisXmlDocument(page, creationDate));
    } else {
      res.type(`${media}; charset=utf-8`).send(JSON.stringify(epcisJsonDocument(page, creationDate)));
    }
  };
}

function exportQuery(q: EpcisEventsQuery): EpcisQuery {
  return {
    ...(q.MATCH_anyEPC ? { anyEPC: q.MATCH_anyEPC } : {}),
    ...(q.MATCH_parentID ? { parentIDs: q.MATCH_parentID } : {}),
    ...(q.EQ_bizStep ? { bizSteps: q.EQ_bizStep } : {}),
    ...(q.GE_eventTime === undefined ? {} : { since: q.GE_eventTime }),
    ...(q.LT_eventTime === undefined ? {} : { until: q.LT_eventTime }),
    ...(q.EQ_bizLocation ? { bizLocations: q.EQ_bizLocation } : {}),
    perPage: q.perPage,
  };
}

/** The first page pins the latest signed checkpoint; later pages the one their token carries. */
function pinnedAt(deps: AnswerDeps, q: EpcisEventsQuery, digest: string) {
  if (q.nextPageToken === undefined) return { latestNote: deps.checkpointNow() };
  const cursor = pageToken.decode(q.nextPageToken, digest);
  const checkpoint = typeof cursor === 'string' ? undefined : deps.store.checkpoint(cursor.size)?.note;
  if (typeof cursor === 'string' || checkpoint === undefined) {
    const reason = typeof cursor === 'string' ? cursor : 'is not a token this ledger issued';
    throw new ValidationError([{ field: 'nextPageToken', reason }]);
  }
  return { cursor, checkpoint };
}

// The request's own path and parameters with the next token in place of any previous one.
function nextPageUrl(req: Request, token: string): string {
  const params = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  params.set('nextPageToken', token);
  return `${req.path}?${params.toString()}`;
}
