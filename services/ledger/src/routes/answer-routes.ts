import { ownsGtin, type RegistryState } from '@rxledger/events';
import {
  Gs1Error,
  normalizeGtin,
  parseItem,
  parseScan,
  sgtinUri,
  validateLot,
  validateSerial,
} from '@rxledger/gs1';
import { RxError, sendJson, ValidationError } from '@rxledger/runtime';
import type { Express, RequestHandler, Response } from 'express';
import { type Principal, requireRole, type TokenRegistry } from '../auth/principal.ts';
import type { ItemHistory } from '../answers/item-history.ts';
import { judgeVerify, type VerifyQuery } from '../answers/judge-verify.ts';
import { eventState } from '../answers/event-state.ts';
import type { FoldWaits } from '../answers/fold-waits.ts';
import { heldBy, itemState, provenanceAnswer } from '../answers/provenance.ts';
import { withAlerts } from '../alerts/alert-hold.ts';
import { withAlertLeaves } from '../alerts/alert-leaves.ts';
import { falsificationCode } from '../alerts/falsification.ts';
import { recallScope } from '../answers/recall-scope.ts';
import { registryView } from '../answers/registry-view.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import {
  eventStateQuery,
  itemCursor,
  provenanceQuery,
  recallScopeQuery,
  registryQuery,
  rejectionsQuery,
  verifyQuery,
} from './answer-schemas.ts';
import { alertRoutes } from './alert-routes.ts';
import { epcisRoutes } from './epcis-routes.ts';
import { parseQuery } from './query.ts';

export interface AnswerDeps {
  store: LedgerStore;
  history: ItemHistory;
  tokens: TokenRegistry;
  registry: () => RegistryState;
  /** Signs a checkpoint of everything committed so far (or returns the latest) and gives its note. */
  checkpointNow: () => string;
  now?: () => Date;
  /** Working days before an unanswered alert escalates to regulators (default 2). */
  escalationWorkingDays?: number;
  /** Event-state requests held until the fold decides them (?wait=). */
  foldWaits: FoldWaits;
}

/** The answering routes of DESIGN §5: verify, provenance, recall scope, rejections, event state. */
export function answerRoutes(app: Express, deps: AnswerDeps): void {
  app.get('/v1/verify', verify(deps));
  app.get('/v1/provenance', provenance(deps));
  app.get('/v1/recalls/scope', recallScopeOf(deps));
  app.get('/v1/rejections', rejections(deps));
  app.get('/v1/events/:id', eventStateOf(deps));
  app.get('/v1/registry', registryOf(deps));
  epcisRoutes(app, deps);
  alertRoutes(app, deps);
}

/** GET /v1/verify: a scanned pack judged for the counter (or a partner, or a regulator). */
function verify(deps: AnswerDeps): RequestHandler {
  const { store, history, tokens } = deps;
  const now = deps.now ?? (() => new Date());
  return (req, res) => {
    const principal = tokens.authenticate(req);
    const q = parseQuery(verifyQuery, req.query);
    const at = verifyingAt(principal, q.at ?? q.pharmacy);
    const pack = packFromQuery(q);
    const state = itemState(history, pack.uri);
    const time = now();
    const answer = judgeVerify(pack.query, state, {
      today: time.toISOString().slice(0, 10),
      now: time.getTime(),
      at,
      role: principal.role,
      // Only an unknown serial needs to know whether the product is.
      productKnown: state?.exists === true || store.gtinKnown(pack.query.gtin),
    });
    const falsification = falsificationCode(answer.alerts, state, at);
    sendJson(res, withAlerts(answer, store.alerts.onItem(pack.uri), at, falsification));
  };
}

/** GET /v1/provenance: an item's provenance bundle, to the regulator and to parties that held it. */
function provenance(deps: AnswerDeps): RequestHandler {
  const { store, history, tokens } = deps;
  return (req, res) => {
    const principal = tokens.authenticate(req);
    requireRole(principal, ['regulator', 'partner'], 'provenance');
    const { item } = parseQuery(provenanceQuery, req.query);
    const uri = gs1(() => parseItem(item).uri, 'item');
    const state = itemState(history, uri);
    // One answer, byte for byte, for "no such item" and "not yours" (not a 403 either): whether a pack
    // exists elsewhere is itself something a partner may not learn.
    if (!state || (principal.role === 'partner' && !heldBy(principal.glns, state))) throw noProvenance();
    const note = deps.checkpointNow();
    res.json(
      provenanceAnswer(store, history, uri, state, note, { seqs: withAlertLeaves(store, uri, state, note) }),
    );
  };
}

/** GET /v1/recalls/scope: where every pack of a lot is, to its manufacturer and the regulator. */
function recallScopeOf(deps: AnswerDeps): RequestHandler {
  const { store, history, tokens } = deps;
  return (req, res) => {
    const principal = tokens.authenticate(req);
    requireRole(principal, ['regulator', 'partner'], 'recall scope');
    const q = parseQuery(recallScopeQuery, req.query);
    const gtin = gs1(() => normalizeGtin(q.gtin), 'gtin');
    const lot = gs1(() => validateLot(q.lot), 'lot');
    if (principal.role === 'partner' && !principal.glns.some((g) => ownsGtin(deps.registry(), g, gtin))) {
      throw new RxError(
        'FORBIDDEN',
        `recall scope of GTIN ${gtin} is open to its manufacturer and regulators`,
        { status: 403 },
      );
    }
    const { last, ...page } = recallScope(store, history, gtin, lot, { after: q.after, limit: q.limit });
    res.json({ ...page, ...(last === undefined ? {} : { next: itemCursor.encode(last) }) });
  };
}

/** GET /v1/rejections: refused records, the regulator's all, a partner's its own. */
function rejections(deps: AnswerDeps): RequestHandler {
  const { store, tokens } = deps;
  return (req, res) => {
    const principal = tokens.authenticate(req);
    requireRole(principal, ['regulator', 'partner'], 'rejections');
    const q = parseQuery(rejectionsQuery, req.query);
    let parties = q.party === undefined ? undefined : [q.party];
    if (principal.role === 'partner') {
      if (q.party !== undefined && !principal.glns.includes(q.party)) {
        throw new RxError('FORBIDDEN', `rejections of ${q.party} are not yours to read`, { status: 403 });
      }
      parties ??= principal.glns;
    }
    const page = store.rejectionsPage({
      parties,
      code: q.reason,
      since: q.since === undefined ? undefined : Date.parse(q.since),
      until: q.until === undefined ? undefined : Date.parse(q.until),
      before: q.after,
      limit: q.limit,
    });
    res.json({
      count: page.count,
      rejections: page.rows.map((r) => ({
        offset: r.kafkaOffset,
        eventId: r.eventId,
        party: r.party,
        keyId: r.keyId,
        type: r.eventType,
        code: r.code,
        message: r.message,
        receivedAt: new Date(r.receivedAt).toISOString(),
      })),
      ...(page.more ? { next: String(page.rows.at(-1)!.kafkaOffset) } : {}),
    });
  };
}

/** GET /v1/registry: the parties, their roles and keys, to partners and regulators. */
function registryOf(deps: AnswerDeps): RequestHandler {
  return (req, res) => {
    const principal = deps.tokens.authenticate(req);
    requireRole(principal, ['regulator', 'partner'], 'the registry');
    parseQuery(registryQuery, req.query);
    res.json(registryView(deps.registry()));
  };
}

/** GET /v1/events/{id}: whether an event landed, to its signer and the regulator. */
function eventStateOf(deps: AnswerDeps): RequestHandler<{ id: string }> {
  const { store, tokens } = deps;
  return async (req, res) => {
    const principal = tokens.authenticate(req);
    requireRole(principal, ['regulator', 'partner'], 'event state');
    const eventId = req.params.id;
    if (!EVENT_ID.test(eventId)) {
      throw new ValidationError([{ field: 'id', reason: 'an eventId is 1 to 128 of A-Z a-z 0-9 . _ : -' }]);
    }
    const { party, wait } = parseQuery(eventStateQuery, req.query);
    const mayAsk = (signer: string) =>
      mayRead(principal, signer) && (party === undefined || party === signer);
    const decide = () => eventState(store, eventId, mayAsk);
    const answer =
      decide() ?? (wait ? await deps.foldWaits.until(decide, wait * 1000, closedBy(res)) : undefined);
    if (answer) {
      res.json(answer);
      return;
    }
    // Answered, not thrown: scanners poll for events not folded yet, and that path must stay cheap.
    res
      .status(404)
      .json({ error: { code: 'UNKNOWN_EVENT', message: `this ledger has not seen event ${eventId} (yet)` } });
  };
}

/** Aborts when the client goes away before its answer was sent. */
function closedBy(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether an event's state is the principal's to read: a regulator's, or its own parties' events. */
function mayRead(principal: Principal, party: string): boolean {
  return principal.role === 'regulator' || principal.glns.includes(party);
}

/** Where a verify is asked from: a pharmacist's own pharmacy, a party a partner hosts, or any for a regulator. */
function verifyingAt(principal: Principal, asked: string | undefined): string | undefined {
  if (principal.role === 'regulator') return asked;
  if (asked !== undefined && !principal.glns.includes(asked)) {
    throw new RxError('FORBIDDEN', `you may not verify on behalf of ${asked}`, { status: 403 });
  }
  if (asked !== undefined) return asked;
  if (principal.glns.length === 1) return principal.glns[0];
  throw new ValidationError([
    { field: 'at', reason: 'required: the GLN of the party where the pack is scanned' },
  ]);
}

function packFromQuery(q: { scan?: string; gtin?: string; serial?: string; lot?: string; expiry?: string }): {
  uri: string;
  query: VerifyQuery;
} {
  let query: VerifyQuery;
  if (q.scan !== undefined) {
    const scan = gs1(() => parseScan(q.scan!), 'scan');
    if (!scan.gtin || !scan.serial) {
      throw new ValidationError([{ field: 'scan', reason: 'the scan carries no GTIN (01) and serial (21)' }]);
    }
    query = { gtin: scan.gtin, serial: scan.serial, lot: scan.lot, expiry: scan.expiry };
  } else {
    query = {
      gtin: gs1(() => normalizeGtin(q.gtin!), 'gtin'),
      serial: gs1(() => validateSerial(q.serial!), 'serial'),
      lot: q.lot === undefined ? undefined : gs1(() => validateLot(q.lot!), 'lot'),
      expiry: q.expiry,
    };
    if (q.expiry !== undefined && !/^\d{6}$/.test(q.expiry)) {
      throw new ValidationError([{ field: 'expiry', reason: 'must be YYMMDD' }]);
    }
  }
  if (query.lot === undefined) delete query.lot;
  if (query.expiry === undefined) delete query.expiry;
  return { uri: gs1(() => sgtinUri(query.gtin, query.serial), 'serial'), query };
}

/**
 * The provenance 404, the same bytes for an item the ledger does not know and one that is not yours;
 * it does not echo the item, so that two items' answers can be compared too.
 */
function noProvenance(): RxError {
  return new RxError('UNKNOWN_ITEM', 'the ledger has no provenance of this item open to you', {
    status: 404,
  });
}

/** Runs a GS1 parse, turning its error into a 400 naming the query parameter. */
function gs1<T>(parse: () => T, field: string): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof Gs1Error) throw new ValidationError([{ field, reason: err.message }]);
    throw err;
  }
}
