// Signed alert deliveries (webhooks of issue 18), checked by a partner with nothing but the ledger
// node's checkpoint key. Headers and signed content follow Standard Webhooks (standardwebhooks.com):
//   webhook-id         the idempotency key, `<kind>:<alertId>:<seq>`, the same on every retry
//   webhook-timestamp  Unix seconds of this attempt
//   webhook-signature  space-separated `v1a,<base64 Ed25519>` (the node's key) and, when the
//                      subscription has a secret, `v1,<base64 HMAC-SHA256>`
// Signed content: utf8(`${id}.${timestamp}.`) || body bytes exactly as sent.
// The node's key also signs checkpoint notes; a note's text always ends in a newline and this content
// never has one outside the body (webhook ids and timestamps have none, and JSON.stringify writes
// none), so neither signature can pass for the other.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { nobleEd25519, VerifyingKey } from '@rxledger/events/portable';
import { concatBytes, fromBase64, parseVerifierKey, toBase64 } from '@rxledger/tlog';

export const DELIVERY_ID_HEADER = 'webhook-id';
export const DELIVERY_TIMESTAMP_HEADER = 'webhook-timestamp';
export const DELIVERY_SIGNATURE_HEADER = 'webhook-signature';
/** How far a delivery's timestamp may be from the receiver's clock by default (replay window). */
export const DEFAULT_DELIVERY_TOLERANCE_S = 300;

const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
const encoder = new TextEncoder();

/** The bytes a delivery's signatures cover: `${id}.${timestamp}.` then the body as sent. */
export function alertDeliverySignedContent(
  id: string,
  timestamp: number,
  body: Uint8Array | string,
): Uint8Array {
  if (!ID_PATTERN.test(id))
    throw new RangeError('webhook-id: 1-256 printable ASCII characters without spaces');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('webhook-timestamp: a non-negative integer of Unix seconds');
  }
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return concatBytes(encoder.encode(`${id}.${timestamp}.`), bytes);
}

/** The `v1,<base64>` HMAC-SHA256 signature of Standard Webhooks for a `whsec_<base64>` secret. */
export function alertDeliveryHmac(secret: string, content: Uint8Array): string {
  return `v1,${toBase64(hmac(sha256, webhookSecretBytes(secret), content))}`;
}

/** The key bytes of a `whsec_<base64 of 24-64 bytes>` secret; throws RangeError saying what is wrong. */
export function webhookSecretBytes(secret: string): Uint8Array {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  let key: Uint8Array | undefined;
  try {
    key = m ? fromBase64(m[1]!) : undefined;
  } catch {
    key = undefined;
  }
  if (!key || key.length < 24 || key.length > 64) {
    throw new RangeError('secret: must be whsec_ followed by the standard base64 of 24 to 64 random bytes');
  }
  return key;
}

/** Headers as node:http gives them (lower-case keys) or as a fetch `Headers`. */
export type DeliveryHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export type AlertDeliveryCheck =
  { valid: true; id: string; timestamp: number; body: unknown } | { valid: false; reason: string };

export interface VerifyDeliveryOptions {
  /** The receiver's clock (default: now). */
  now?: Date;
  /** Largest accepted distance between the timestamp and `now`, in seconds (default 300). */
  toleranceSeconds?: number;
}

/**
 * Checks a webhook delivery from a ledger node: the `v1a` Ed25519 signature by `nodePublicKey` (the
 * node's checkpoint key as a C2SP vkey, or its raw 32 bytes, or those in standard base64) over
 * id, timestamp and the raw body, and a timestamp within the tolerance. Pass the body exactly as
 * received, before any JSON parsing. De-duplicate on `id`: a delivery may come more than once.
 * @example
 * const check = verifyAlertDelivery(req.headers, rawBody, credentials.ledger.checkpointKey);
 * if (!check.valid) return res.status(400).send(check.reason);
 */
export function verifyAlertDelivery(
  headers: DeliveryHeaders,
  body: Uint8Array | string,
  nodePublicKey: string | Uint8Array,
  opts: VerifyDeliveryOptions = {},
): AlertDeliveryCheck {
  const id = header(headers, DELIVERY_ID_HEADER);
  const ts = header(headers, DELIVERY_TIMESTAMP_HEADER);
  const sigs = header(headers, DELIVERY_SIGNATURE_HEADER);
  if (id === undefined || !ID_PATTERN.test(id)) return invalid(`${DELIVERY_ID_HEADER}: missing or malformed`);
  if (ts === undefined || !/^\d{1,12}$/.test(ts))
    return invalid(`${DELIVERY_TIMESTAMP_HEADER}: missing or not Unix seconds`);
  if (sigs === undefined) return invalid(`${DELIVERY_SIGNATURE_HEADER}: missing`);
  const timestamp = Number(ts);
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const tolerance = opts.toleranceSeconds ?? DEFAULT_DELIVERY_TOLERANCE_S;
  if (Math.abs(now - timestamp) > tolerance) {
    return invalid(
      `${DELIVERY_TIMESTAMP_HEADER}: ${timestamp} is more than ${tolerance} s from now (${now})`,
    );
  }
  const key = verifyingKey(nodePublicKey);
  const content = alertDeliverySignedContent(id, timestamp, body);
  const signed = sigs
    .split(' ')
    .filter((s) => s.startsWith('v1a,'))
    .some((s) => {
      const sig = base64OrUndefined(s.slice(4));
      return sig !== undefined && nobleEd25519.verify(key, content, sig);
    });
  if (!signed) return invalid(`${DELIVERY_SIGNATURE_HEADER}: no v1a signature by the node's key verifies`);
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return { valid: true, id, timestamp, body: JSON.parse(text) as unknown };
  } catch {
    return invalid('body: signed but not JSON');
  }
}

/** The node key from a vkey (`name+id+base64`), raw bytes, or base64 of the raw bytes. */
function verifyingKey(k: string | Uint8Array): VerifyingKey {
  if (k instanceof Uint8Array) return VerifyingKey.fromBytes(k);
  // A raw key in base64 is 44 characters ending in '='; a vkey has a name and a key id before it.
  const raw = /^[A-Za-z0-9+/]{43}=$/.test(k);
  return VerifyingKey.fromBytes(raw ? fromBase64(k) : parseVerifierKey(k).publicKey);
}

function header(headers: DeliveryHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const v = (headers as Record<string, string | readonly string[] | undefined>)[name];
  return typeof v === 'string' ? v : undefined;
}

function base64OrUndefined(s: string): Uint8Array | undefined {
  try {
    return fromBase64(s);
  } catch {
    return undefined;
  }
}

function invalid(reason: string): AlertDeliveryCheck {
  return { valid: false, reason };
}
