import { nodeEd25519, type SigningKey } from '@rxledger/events';
import { toBase64 } from '@rxledger/tlog';
import {
  alertDeliveryHmac,
  alertDeliverySignedContent,
  DELIVERY_ID_HEADER,
  DELIVERY_SIGNATURE_HEADER,
  DELIVERY_TIMESTAMP_HEADER,
} from '@rxledger/verifier';

/**
 * The headers of one delivery attempt: its idempotency key, the attempt's time, and the node's
 * Ed25519 signature (plus the subscription's HMAC when it has a secret) over both and the body, as
 * `verifyAlertDelivery` (@rxledger/verifier) checks them. Signed afresh on every attempt, so a retry
 * carries a current timestamp that a receiver's replay window accepts.
 */
export function deliveryHeaders(
  key: SigningKey,
  delivery: { id: string; body: string; secret: string | null },
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  const content = alertDeliverySignedContent(delivery.id, timestamp, delivery.body);
  const signatures = [`v1a,${toBase64(nodeEd25519.sign(key, content))}`];
  if (delivery.secret) signatures.push(alertDeliveryHmac(delivery.secret, content));
  return {
    [DELIVERY_ID_HEADER]: delivery.id,
    [DELIVERY_TIMESTAMP_HEADER]: String(timestamp),
    [DELIVERY_SIGNATURE_HEADER]: signatures.join(' '),
  };
}
