import { bytesEqual, concatBytes, toHex } from '@rxledger/tlog';
import {
  BatchTree,
  batchLeafHash,
  batchRootOf,
  batchSigningMessage,
  MAX_BATCH_SIZE,
} from './batch-signature.ts';
import type { Ed25519 } from './ed25519.ts';
import type { SigningKey, VerifyingKey } from './keys.ts';
import type { SignedEvent } from './signed-event.ts';

/** Domain separation prefix of every custody event signature (DESIGN §4). */
export const SIGNING_CONTEXT = 'rxledger/custody-event/v1\n';

const CONTEXT_BYTES = new TextEncoder().encode(SIGNING_CONTEXT);
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The bytes actually signed: utf8("rxledger/custody-event/v1\n") || eventBytes. */
export function signingPayload(eventBytes: Uint8Array): Uint8Array {
  return concatBytes(CONTEXT_BYTES, eventBytes);
}

/**
 * signedMessage of many records at once, sharing the work: the records of a batch that are all here
 * (every index once, under one key id, size and signature) are checked against the batch's tree built
 * once, two SHA-256 a record instead of log2(size) + 1. Each record's own path must still be exactly
 * the tree's; any other record is worked out on its own.
 */
export function signedMessages(records: readonly SignedEvent[]): SignedMessage[] {
  const groups = new Map<string, SignedEvent[]>();
  for (const r of records) {
    if (r.batch === undefined || messages.has(r)) continue;
    const id = `${r.keyId}/${r.batch.size}/${toHex(r.signature)}`;
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [r]);
    else group.push(r);
  }
  for (const group of groups.values()) if (group.length > 1) checkWholeBatch(group);
  return records.map(signedMessage);
}

// Remembers the message of each record of `group` whose path is its place in the tree of the group.
function checkWholeBatch(group: SignedEvent[]): void {
  const size = group[0]!.batch!.size;
  if (group.length !== size || size > MAX_BATCH_SIZE) return;
  const byIndex: SignedEvent[] = [];
  for (const r of group) {
    const i = r.batch!.index;
    if (!Number.isSafeInteger(i) || i < 0 || i >= size || byIndex[i] !== undefined) return;
    byIndex[i] = r;
  }
  const tree = BatchTree.of(byIndex.map((r) => batchLeafHash(r.event)));
  const message = batchSigningMessage(size, tree.root);
  byIndex.forEach((r, i) => {
    const path = tree.path(i);
    const own = r.batch!.path;
    if (own.length === path.length && own.every((h, k) => bytesEqual(h, path[k]!))) {
      messages.set(r, { ok: true, message });
    }
  });
}

/** Signs encoded custody event bytes, giving the record to publish (encode it with `encodeSignedEvent`). */
export function signEvent(ed: Ed25519, key: SigningKey, eventBytes: Uint8Array): SignedEvent {
  return { event: eventBytes, keyId: key.keyId, signature: ed.sign(key, signingPayload(eventBytes)) };
}

/** Why a signed event's signature was refused. */
export type SignatureRejection =
  'KEY_ID_MISMATCH' | 'MALFORMED_SIGNATURE' | 'NON_CANONICAL_SIGNATURE' | 'MALFORMED_BATCH' | 'BAD_SIGNATURE';

type SignedMessage =
  { ok: true; message: Uint8Array } | { ok: false; code: 'MALFORMED_BATCH'; message: string };

// A batch record's root takes a dozen SHA-256 to reach: worked out once per decoded record, whether
// the intake's pre-check or the admission rule asks first.
const messages = new WeakMap<SignedEvent, SignedMessage>();

/**
 * The bytes `signed.signature` must cover: signingPayload(event) for a v1 record; for a v2 record the
 * batch signing message of the root its path leads to, or why its batch position leads to none.
 */
export function signedMessage(signed: SignedEvent): SignedMessage {
  let out = messages.get(signed);
  if (out === undefined) {
    if (signed.batch === undefined) out = { ok: true, message: signingPayload(signed.event) };
    else {
      const root = batchRootOf(signed.event, signed.batch);
      out = root.ok ? { ok: true, message: batchSigningMessage(signed.batch.size, root.root) } : root;
    }
    messages.set(signed, out);
  }
  return out;
}

export type SignatureCheck = { ok: true } | { ok: false; code: SignatureRejection; message: string };

/**
 * Whether `signed` carries a valid signature by `key` over its event bytes (v1), or over the root of
 * a batch its path leads to from its event bytes (v2). The key id is not signed: it only selects the
 * key, so it must name exactly the key given.
 */
export function verifyEventSignature(ed: Ed25519, signed: SignedEvent, key: VerifyingKey): SignatureCheck {
  if (signed.keyId !== key.keyId) {
    return {
      ok: false,
      code: 'KEY_ID_MISMATCH',
      message: `record names key ${signed.keyId}, not ${key.keyId}`,
    };
  }
  const sig = signed.signature;
  if (sig.length !== 64) {
    return {
      ok: false,
      code: 'MALFORMED_SIGNATURE',
      message: `Ed25519 signature is 64 bytes, got ${sig.length}`,
    };
  }
  // Both libraries refuse S >= L anyway; naming it helps whoever reads the rejection.
  if (!scalarBelowL(sig)) {
    return {
      ok: false,
      code: 'NON_CANONICAL_SIGNATURE',
      message: 'signature scalar S >= L (RFC 8032 §5.1.7)',
    };
  }
  const signedBytes = signedMessage(signed);
  if (!signedBytes.ok) return signedBytes;
  if (!ed.verify(key, signedBytes.message, sig)) {
    const what = signed.batch
      ? `batch signature does not verify under key ${key.keyId} for the root that the path of leaf ${signed.batch.index} of ${signed.batch.size} leads to`
      : `signature does not verify under key ${key.keyId}`;
    return { ok: false, code: 'BAD_SIGNATURE', message: what };
  }
  return { ok: true };
}

// L = 2^252 + small: the top byte alone decides unless it is exactly 0x10.
function scalarBelowL(sig: Uint8Array): boolean {
  const top = sig[63] as number;
  if (top !== 0x10) return top < 0x10;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i] as number);
  return s < L;
}
