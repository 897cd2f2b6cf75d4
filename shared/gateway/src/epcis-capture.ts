// The EPCIS 2.0 capture interface on a partner service: a document in, its events admitted exactly
// as a native batch (publishBatch: same scanner keys, party and site rules, validation, signing and
// acknowledgement), and a capture job to follow the ledger's verdict on each event.
import {
  type CapturedEvent,
  CAPTURE_MEDIA_TYPES,
  captureEventsPaced,
  DEFAULT_READ_LIMITS,
  EpcisDocumentError,
  epcisFieldOf,
  readEpcisDocument,
} from '@rxledger/epcis';
import { RxError } from '@rxledger/runtime';
import express, { type Express, type Response } from 'express';
import { BatchRejectedError } from './batch-rejected-error.ts';
import type { CaptureJob, CaptureJobs } from './capture-jobs.ts';
import { type EventState, eventStateOf } from './event-status.ts';
import type { HostedParty } from './hosted-party.ts';
import { MAX_BATCH_EVENTS } from './prepare-batch.ts';
import { publishBatch } from './publish-batch.ts';
import type { RouteDeps } from './route-deps.ts';

/** How many events' states one status request asks the ledger for at a time. */
const STATE_QUERIES_IN_FLIGHT = 16;

/**
 * POST /v1/epcis/capture and GET /v1/epcis/capture/{id}. The 202 MUST NOT be sent before Kafka
 * acknowledged every event of the document; a document rxledger cannot represent is 400 with the
 * event index, EPCIS field and reason of every problem, and nothing of it is published.
 */
export function mountEpcisCapture(app: Express, deps: RouteDeps & { captures: CaptureJobs }): void {
  app.post(
    '/v1/epcis/capture',
    // Authentication first: an unknown caller must not make the service read 32 MB.
    deps.authenticate,
    express.text({ type: Object.keys(CAPTURE_MEDIA_TYPES), limit: deps.bodyLimit }),
    async (req, res, next) => {
      try {
        const limits = { ...DEFAULT_READ_LIMITS, maxEvents: MAX_BATCH_EVENTS };
        const doc =
          typeof req.body === 'string'
            ? await readEpcisDocument(req.body, req.get('content-type') ?? '', limits)
            : undefined;
        if (doc === undefined) {
          throw new RxError(
            'UNSUPPORTED_MEDIA_TYPE',
            `send the EPCIS document as ${Object.keys(CAPTURE_MEDIA_TYPES).join(', ')}`,
            { status: 415 },
          );
        }
        const captured = await captureEventsPaced(doc, deps.partyOf(res).gln);
        const eventIds = await publishInEpcisTerms(captured, res, deps);
        const party = deps.partyOf(res).gln;
        const job = deps.captures.add(
          party,
          eventIds,
          captured.map((c) => c.epcisEventId),
          deps.now(),
        );
        res
          .status(202)
          .location(`/v1/epcis/capture/${job.id}`)
          .json({ captureID: job.id, eventIDs: job.epcisEventIds, eventIds });
      } catch (err) {
        if (err instanceof EpcisDocumentError) {
          const summary = `the EPCIS document is refused (${err.message}); nothing was published`;
          return void res
            .status(400)
            .json(new BatchRejectedError('EPCIS_REFUSED', 400, err.issues, summary).toJSON());
        }
        if (err instanceof BatchRejectedError) return void res.status(err.status).json(err.toJSON());
        next(err);
      }
    },
  );

  app.get('/v1/epcis/capture/:id', deps.authenticate, async (req, res, next) => {
    try {
      const party = deps.partyOf(res);
      const job = deps.captures.get(party.gln, req.params.id as string);
      if (job === undefined) {
        return void res
          .status(404)
          .json({ error: { code: 'NOT_FOUND', message: 'no such capture of this party is known' } });
      }
      await settleStates(job, party, deps);
      res.json(captureAnswer(job));
    } catch (err) {
      next(err);
    }
  });
}

// The gateway's own refusals name the custody field (`items[3]`); a capture's sender reads EPCIS.
async function publishInEpcisTerms(
  captured: CapturedEvent[],
  res: Response,
  deps: RouteDeps,
): Promise<string[]> {
  try {
    return await publishBatch({ events: captured.map((c) => c.event) }, res, deps);
  } catch (err) {
    if (!(err instanceof BatchRejectedError)) throw err;
    const issues = err.issues.map((issue) => {
      const event = issue.index === undefined ? undefined : captured[issue.index];
      if (event === undefined || issue.field === undefined) return issue;
      return { ...issue, field: epcisFieldOf(event, issue.field) };
    });
    throw new BatchRejectedError(err.code, err.status as 400 | 403 | 409, issues, err.message);
  }
}

// Asks the ledger for the events not final yet, in document order, until one is still pending:
// a running capture costs a few queries per poll, a finished one none.
async function settleStates(job: CaptureJob, party: HostedParty, deps: RouteDeps): Promise<void> {
  const open = job.final.flatMap((state, i) => (state === undefined ? [i] : []));
  for (let from = 0; from < open.length; from += STATE_QUERIES_IN_FLIGHT) {
    const chunk = open.slice(from, from + STATE_QUERIES_IN_FLIGHT);
    const states = await Promise.all(
      chunk.map((i) => eventStateOf(party, job.eventIds[i]!, deps, { acknowledged: true })),
    );
    let pending = false;
    states.forEach((state, k) => {
      if (state !== undefined && state.state !== 'PENDING') job.final[chunk[k]!] = state;
      else pending = true;
    });
    if (pending) return;
  }
  job.finishedAt ??= deps.now();
}

/** The EPCIS 2.0 capture job, with each event's state as GET /v1/events/{id} gives it. */
function captureAnswer(job: CaptureJob): Record<string, unknown> {
  const events = job.eventIds.map((eventId, i) => {
    const state: EventState = job.final[i] ?? { eventId, state: 'PENDING' };
    return { eventID: job.epcisEventIds[i], ...state };
  });
  const rejected = events.flatMap((e, index) => (e.state === 'REJECTED' ? [{ index, ...e }] : []));
  const running = job.finishedAt === undefined;
  return {
    captureID: job.id,
    createdAt: new Date(job.createdAt).toISOString(),
    ...(running ? {} : { finishedAt: new Date(job.finishedAt!).toISOString() }),
    running,
    success: !running && rejected.length === 0,
    state: running ? 'running' : rejected.length === 0 ? 'success' : 'failure',
    // Every event was admitted at the door; the ledger then judges each on its own (DESIGN §3).
    captureErrorBehaviour: 'proceed',
    errors: rejected.map((e) => ({
      index: e.index,
      eventID: e.eventID,
      eventId: e.eventId,
      reason: e.reason,
    })),
    events,
  };
}
