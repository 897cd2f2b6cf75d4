import { z } from 'zod';
import { alertsQuery } from './alert-routes.ts';
import {
  eventStateQuery,
  provenanceQuery,
  recallScopeQuery,
  rejectionsQuery,
  verifyQuery,
} from './answer-schemas.ts';
import { epcisEventsQuery } from './epcis-query.ts';
import { checkpointQuery, consistencyQuery, inclusionQuery } from './log-routes.ts';

type Params = Array<{
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: unknown;
  description?: string;
}>;

/** Query parameters of an OpenAPI operation, from the zod schema that validates the same query. */
function queryParameters(schema: z.ZodType): Params {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

const error = {
  description: 'error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const json = (description: string) => ({ description, content: { 'application/json': {} } });
const secured = (roles: string, summary: string, params: Params, ok: string) => ({
  summary: `${summary} (roles: ${roles})`,
  security: [{ bearer: [] }],
  parameters: params,
  responses: { 200: json(ok), 400: error, 401: error, 403: error, 404: error },
});
const open = (summary: string, params: Params, ok: unknown) => ({
  summary,
  parameters: params,
  responses: { 200: ok, 400: error, 503: error },
});

const tile = {
  description: 'tile bytes; full tiles (no .p/W) are immutable',
  content: { 'application/octet-stream': {} },
};
const tilePathParams = (...level: string[]): Params => [
  ...level.map((name) => ({
    name,
    in: 'path' as const,
    required: true,
    schema: { type: 'integer', minimum: 0, maximum: 63 },
  })),
  {
    name: 'N',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description:
      'tile index in 3-digit path elements, all but the last x-prefixed (x001/x234/067), then .p/<W> for a partial tile of width W',
  },
];

/** The ledger's OpenAPI 3.1 document, served at /v1/openapi.json. */
export function ledgerOpenApi(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'rxledger ledger node',
      version,
      description:
        'Read side of a rxledger node. Roles: pharmacist (verify at its own pharmacy), partner (verify for ' +
        'its parties, provenance of packs they held, recall scope of GTINs they own, its own events and ' +
        'rejections), regulator (everything). Checkpoints, proofs and schemas are public.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, reason: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    paths: { ...answerPaths(), ...alertPaths(), ...epcisPaths(), ...logPaths(), ...servicePaths() },
  };
}

/** The query layer's routes (answer-routes.ts): each needs a bearer token. */
function answerPaths() {
  return {
    '/v1/verify': {
      get: secured(
        'pharmacist, partner, regulator',
        'Verify a scanned pack',
        queryParameters(verifyQuery),
        '{ verdict, dispensable, status, product, alerts, onHold? (ALERT_OPEN | CONFIRMED_FALSIFICATION), alert? (at the pharmacy that raised it: { id, status, code }), falsification? (the code a counter verify raises an alert for), undo? (at the dispensing pharmacy: { dispense, until }) }',
      ),
    },
    '/v1/provenance': {
      get: secured(
        'partner (packs it held), regulator',
        'Provenance bundle with proofs',
        queryParameters(provenanceQuery),
        'the bundle of DESIGN §4-§5',
      ),
    },
    '/v1/recalls/scope': {
      get: secured(
        'partner owning the GTIN, regulator',
        'The packs of a lot with status and custodian, a page at a time in item order',
        queryParameters(recallScopeQuery),
        '{ gtin, lot, recalls, count (packs of the lot, all pages), packs, next? (pass as after) }',
      ),
    },
    '/v1/rejections': {
      get: secured(
        'partner (its own), regulator',
        'Records the ledger refused, newest first, a page at a time',
        queryParameters(rejectionsQuery),
        '{ count (matching, all pages), rejections, next? (pass as after) }',
      ),
    },
    '/v1/registry': {
      get: secured(
        'partner, regulator',
        'The participant registry as folded: parties, roles, company prefixes, keys and their validity',
        [],
        '{ authorityKey, parties: [{ gln, name, roles, companyPrefixes, keys: [{ keyId, publicKey, validFrom, revokedAt?, revocationReason? }] }] }',
      ),
    },
    '/v1/events/{id}': {
      get: secured(
        'partner (its own), regulator',
        'What became of an event',
        [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          ...queryParameters(eventStateQuery),
        ],
        '{ eventId, party, state, index?, reason? }; 404 UNKNOWN_EVENT while not decided (after ?wait= s)',
      ),
    },
  };
}

/** Alerts (alert-routes.ts) and their delivery (alert-delivery-routes.ts): each needs a bearer token. */
function alertPaths() {
  const id = { name: 'id', in: 'path' as const, required: true, schema: { type: 'string' } };
  return {
    '/v1/alerts': {
      get: secured(
        "pharmacist, partner (its pharmacy's alerts and those of GTINs it owns), regulator (all)",
        'Alerts, newest raise first, filtered, a page at a time',
        queryParameters(alertsQuery),
        '{ alerts: [alert as at /v1/alerts/{id}], next? (pass as before) }',
      ),
    },
    '/v1/alerts/{id}': {
      get: secured(
        'its pharmacy, the manufacturer owning the GTIN, regulator',
        'One alert and every step of it; a raise that joined an open alert names it too',
        [{ ...id, description: '<pharmacy GLN>:<eventId of the RAISE_ALERT>' }],
        '{ id, item, gtin, code, scanned: { lot, expiry }, status, rootCause, healed, pharmacy, manufacturer, raisedAt, raisedIndex, answerDue, closedAt, closedIndex, escalated? (regulators), steps: [{ index, kind, party, eventId, rootCause, note, at }] }',
      ),
    },
    '/v1/alerts/webhooks': {
      get: secured(
        'partner, regulator',
        "The caller party's webhooks",
        [],
        '{ webhooks: [{ id, url, createdAt, pending, failed, lastError? }] }',
      ),
      post: secured(
        'partner, regulator',
        'Subscribe a webhook to the alerts the caller may see: body { url, secret? (whsec_…) }',
        [],
        '{ id, url, createdAt } (201)',
      ),
    },
    '/v1/alerts/webhooks/{id}': {
      delete: secured('partner, regulator', "Delete one of the caller party's webhooks", [id], '204'),
    },
    '/v1/alerts/stream': {
      get: secured(
        'partner, regulator',
        'Server-sent alert notices the caller may see; resumes from Last-Event-ID',
        [],
        'text/event-stream of AlertNotice',
      ),
    },
  };
}

/** The EPCIS 2.0 export (epcis-routes.ts); it needs a bearer token. */
function epcisPaths() {
  return {
    '/v1/epcis/events': {
      get: {
        ...secured(
          'partner (its own events, and those naming items it held that it asks for), regulator',
          'Custody events as an EPCIS 2.0 query document, in leaf order, each with its leaf index and proof route (rxl:)',
          queryParameters(epcisEventsQuery),
          'EPCISQueryDocument',
        ),
        responses: {
          200: {
            description:
              'EPCISQueryDocument; a Link header with rel="next" while more pages follow (all pinned to one checkpoint)',
            content: { 'application/ld+json': {}, 'application/json': {}, 'application/xml': {} },
          },
          400: error,
          401: error,
          403: error,
          406: error,
        },
      },
    },
  };
}

/** The log's public routes: checkpoints, C2SP tiles, proofs and schemas (log-routes.ts, tile-routes.ts). */
function logPaths() {
  return {
    '/v1/checkpoint': {
      get: {
        ...open(
          'Latest signed checkpoint (C2SP tlog-checkpoint); with size, the one signed at exactly that size (404 if none)',
          queryParameters(checkpointQuery).map((p) => ({ ...p, required: false })),
          { description: 'checkpoint', content: { 'text/plain': {} } },
        ),
        responses: {
          200: { description: 'checkpoint', content: { 'text/plain': {} } },
          400: error,
          404: error,
          503: error,
        },
      },
    },
    '/checkpoint': {
      get: open('C2SP tlog-tiles: the latest signed checkpoint, as /v1/checkpoint', [], {
        description: 'checkpoint',
        content: { 'text/plain': {} },
      }),
    },
    '/tile/{L}/{N}': {
      get: {
        ...open('C2SP tlog-tiles hash tile: up to 256 hashes of tree level 8·L', tilePathParams('L'), tile),
        responses: { 200: tile, 400: error, 404: error },
      },
    },
    '/tile/entries/{N}': {
      get: {
        ...open(
          'C2SP tlog-tiles entry bundle: up to 256 leaves, each as uint16 length + bytes',
          tilePathParams(),
          tile,
        ),
        responses: { 200: tile, 400: error, 404: error, 422: error },
      },
    },
    '/v1/proofs/inclusion': {
      get: open(
        'RFC 9162 inclusion proof; size at most the latest signed checkpoint',
        queryParameters(inclusionQuery),
        json('{ index, size, leafHash, proof }'),
      ),
    },
    '/v1/proofs/consistency': {
      get: open(
        'RFC 9162 consistency proof; to at most the latest signed checkpoint',
        queryParameters(consistencyQuery),
        json('{ from, to, proof }'),
      ),
    },
    '/v1/schemas': {
      get: open('Avro schemas by CRC-64-AVRO fingerprint', [], json('{ <fingerprint>: schema }')),
    },
  };
}

/** What every service of the runtime answers: liveness, readiness, metrics. */
function servicePaths() {
  return {
    '/healthz': {
      get: open(
        'Liveness: 503 once the node gave up (its fold cannot be kept running)',
        [],
        json('{ status, detail? }'),
      ),
    },
    '/readyz': {
      get: open('Ready = the fold running and caught up with the topic', [], json('{ ready, detail? }')),
    },
    '/metrics': {
      get: open('Prometheus metrics', [], { description: 'metrics', content: { 'text/plain': {} } }),
    },
  };
}
