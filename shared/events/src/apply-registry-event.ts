import type { CustodyEvent, RegistryChange, Role } from './custody-event.ts';
import { KeyError } from './errors.ts';
import { VerifyingKey } from './keys.ts';
import { maySign, type SignerRejection } from './may-sign.ts';
import type { Party, RegisteredKey, RegistryState } from './registry-state.ts';

/** Why a REGISTRY event was refused; nothing of a refused event is applied. */
export type RegistryRejection =
  | SignerRejection
  | 'NOT_A_REGISTRY_EVENT'
  | 'GENESIS_NOT_BY_ANCHOR'
  | 'GENESIS_INCOMPLETE'
  | 'NO_CHANGES'
  | 'UNKNOWN_PARTY'
  | 'DUPLICATE_PARTY'
  | 'DUPLICATE_ROLE'
  | 'INVALID_COMPANY_PREFIX'
  | 'COMPANY_PREFIX_TAKEN'
  | 'DUPLICATE_KEY'
  | 'KEY_ID_MISMATCH'
  | 'INVALID_PUBLIC_KEY'
  | 'KEY_ALREADY_REVOKED'
  | 'NO_AUTHORITY_LEFT';

export type RegistryResult =
  | { ok: true; state: RegistryState }
  | {
      ok: false;
      code: RegistryRejection;
      message: string /** index into `changes`, when one change is at fault */;
      change?: number;
    };

type Rejected = Extract<RegistryResult, { ok: false }>;

const COMPANY_PREFIX = /^\d{4,12}$/;

/**
 * Applies a REGISTRY event whose signature by `signerKeyId` has already been verified: the new state,
 * or why the event is refused (all changes or none). The first event must be the genesis record, signed
 * by the trust anchor and registering the authority party with that very key. Identifier syntax (GLN
 * check digits) is checkCustodyEvent's job; this judges only what depends on the registry's state.
 */
export function applyRegistryEvent(
  state: RegistryState,
  event: CustodyEvent,
  signerKeyId: string,
): RegistryResult {
  if (event.type !== 'REGISTRY') {
    return reject('NOT_A_REGISTRY_EVENT', `expected a REGISTRY event, got ${event.type}`);
  }
  if (!state.started && signerKeyId !== state.anchor.keyId) {
    return reject(
      'GENESIS_NOT_BY_ANCHOR',
      `the genesis record must be signed by the trust anchor ${state.anchor.keyId}, not ${signerKeyId}`,
    );
  }
  const query = { keyId: signerKeyId, type: 'REGISTRY' as const, time: event.eventTime, party: event.party };
  if (state.started) {
    const check = maySign(state, query);
    if (!check.ok) return check;
  }
  if (event.changes.length === 0)
    return reject('NO_CHANGES', 'a REGISTRY event must carry at least one change');

  const parties = new Map(state.parties);
  const keys = new Map(state.keys);
  for (const [i, change] of event.changes.entries()) {
    const problem = applyChange(parties, keys, change);
    if (problem !== undefined) return { ...problem, change: i };
  }
  const next: RegistryState = { anchor: state.anchor, started: true, parties, keys };

  if (!state.started) {
    // The anchor has to become an ordinary registered authority key, or nothing after genesis could be signed.
    const check = maySign(next, query);
    if (!check.ok) {
      return reject(
        'GENESIS_INCOMPLETE',
        `the genesis record must register its own signer: ${check.message}`,
      );
    }
  }
  const authorityLeft = [...keys.values()].some(
    (k) => k.revokedAt === undefined && parties.get(k.gln)?.roles.includes('AUTHORITY'),
  );
  if (!authorityLeft) {
    return reject('NO_AUTHORITY_LEFT', 'after this event no AUTHORITY party would hold an unrevoked key');
  }
  return { ok: true, state: next };
}

function applyChange(
  parties: Map<string, Party>,
  keys: Map<string, RegisteredKey>,
  c: RegistryChange,
): Rejected | undefined {
  const party = parties.get(c.gln);
  if (c.kind === 'AddParty') {
    if (party !== undefined) return reject('DUPLICATE_PARTY', `party ${c.gln} is already registered`);
    const problem = checkRoles(c.roles) ?? checkPrefixes(parties, c.gln, c.companyPrefixes);
    if (problem !== undefined) return problem;
    parties.set(c.gln, {
      gln: c.gln,
      name: c.name,
      roles: [...c.roles],
      companyPrefixes: [...c.companyPrefixes],
    });
    return undefined;
  }
  if (party === undefined) return reject('UNKNOWN_PARTY', `${c.kind}: party ${c.gln} is not registered`);
  switch (c.kind) {
    case 'SetRoles': {
      const problem = checkRoles(c.roles);
      if (problem !== undefined) return problem;
      parties.set(c.gln, { ...party, roles: [...c.roles] });
      return undefined;
    }
    case 'SetCompanyPrefixes': {
      const problem = checkPrefixes(parties, c.gln, c.companyPrefixes);
      if (problem !== undefined) return problem;
      parties.set(c.gln, { ...party, companyPrefixes: [...c.companyPrefixes] });
      return undefined;
    }
    case 'AddKey': {
      let publicKey: VerifyingKey;
      try {
        publicKey = VerifyingKey.fromBytes(c.publicKey);
      } catch (err) {
        if (!(err instanceof KeyError)) throw err;
        return reject('INVALID_PUBLIC_KEY', `AddKey ${c.keyId}: ${err.message} (${err.code})`);
      }
      if (publicKey.keyId !== c.keyId) {
        return reject(
          'KEY_ID_MISMATCH',
          `AddKey names key id ${c.keyId}, but the public key's id is ${publicKey.keyId}`,
        );
      }
      if (keys.has(c.keyId)) return reject('DUPLICATE_KEY', `key ${c.keyId} is already registered`);
      keys.set(c.keyId, { keyId: c.keyId, gln: c.gln, publicKey, validFrom: c.validFrom });
      return undefined;
    }
    case 'RevokeKey': {
      const key = keys.get(c.keyId);
      if (key === undefined) return reject('UNKNOWN_KEY', `RevokeKey: key ${c.keyId} is not registered`);
      if (key.gln !== c.gln) {
        return reject('KEY_PARTY_MISMATCH', `RevokeKey: key ${c.keyId} belongs to ${key.gln}, not ${c.gln}`);
      }
      // Revocation is final: a second one could move revokedAt later and revalidate signatures.
      if (key.revokedAt !== undefined)
        return reject('KEY_ALREADY_REVOKED', `key ${c.keyId} is already revoked`);
      keys.set(c.keyId, { ...key, revokedAt: c.revokedAt, revocationReason: c.reason });
      return undefined;
    }
  }
}

function checkRoles(roles: readonly Role[]): Rejected | undefined {
  const dup = roles.find((r, i) => roles.indexOf(r) !== i);
  return dup === undefined ? undefined : reject('DUPLICATE_ROLE', `role ${dup} is listed twice`);
}

// Two owners for one GTIN would make COMMISSION and RECALL ambiguous, so prefixes may not overlap.
function checkPrefixes(
  parties: Map<string, Party>,
  gln: string,
  prefixes: readonly string[],
): Rejected | undefined {
  for (const [i, p] of prefixes.entries()) {
    if (!COMPANY_PREFIX.test(p)) {
      return reject('INVALID_COMPANY_PREFIX', `company prefix ${JSON.stringify(p)} is not 4 to 12 digits`);
    }
    const clash = prefixes.findIndex((q, j) => j !== i && (q.startsWith(p) || p.startsWith(q)));
    if (clash !== -1) {
      return reject('COMPANY_PREFIX_TAKEN', `company prefixes ${p} and ${prefixes[clash]} overlap`);
    }
    for (const other of parties.values()) {
      if (other.gln === gln) continue;
      const q = other.companyPrefixes.find((q) => q.startsWith(p) || p.startsWith(q));
      if (q !== undefined) {
        return reject('COMPANY_PREFIX_TAKEN', `company prefix ${p} overlaps ${q} of party ${other.gln}`);
      }
    }
  }
  return undefined;
}

function reject(code: RegistryRejection, message: string): Rejected {
  return { ok: false, code, message };
}
