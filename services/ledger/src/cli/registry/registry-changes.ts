// From a registry subcommand's flags to the REGISTRY changes it stands for: pure, so every flag's rule
// is tested without a broker. Key files are read by the caller and handed in as keys.
import {
  fromBase64,
  KeyError,
  parseRfc3339,
  type RegistryChange,
  type Role,
  ROLES,
  VerifyingKey,
} from '@rxledger/events';
import { isValidGln } from '@rxledger/gs1';
import type { RegistryAnswer } from './registry-client.ts';

/** A flag given wrongly or left out: exit status 2, the message names the flag. */
export class UsageError extends Error {}

/** The flags of one change, as parseArgs gives them. */
export interface ChangeFlags {
  gln?: string;
  name?: string;
  role?: string[];
  'company-prefix'?: string[];
  'public-key'?: string;
  'valid-from'?: string;
  'key-id'?: string;
  reason?: string;
  'revoked-at'?: string;
  'old-key-id'?: string;
}

const COMPANY_PREFIX = /^\d{4,12}$/;

/** The --gln flag, required, with its check digit. */
export function glnFlag(value: string | undefined, flag = '--gln'): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  if (!isValidGln(value)) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a GLN (13 digits with a valid check digit)`,
    );
  }
  return value;
}

/** The --role flags: at least one, each one of ROLES, none twice. */
export function roleFlags(values: string[] | undefined): Role[] {
  if (values === undefined || values.length === 0) {
    throw new UsageError(`--role is required (one of ${ROLES.join(', ')}; repeat for several)`);
  }
  for (const [i, r] of values.entries()) {
    if (!(ROLES as readonly string[]).includes(r)) {
      throw new UsageError(`--role ${JSON.stringify(r)} is not a role (one of ${ROLES.join(', ')})`);
    }
    if (values.indexOf(r) !== i) throw new UsageError(`--role ${r} is given twice`);
  }
  return values as Role[];
}

/** The --company-prefix flags: 4 to 12 digits each (overlaps are the registry's to judge). */
export function prefixFlags(values: string[] | undefined): string[] {
  for (const p of values ?? []) {
    if (!COMPANY_PREFIX.test(p)) {
      throw new UsageError(`--company-prefix ${JSON.stringify(p)} must be 4 to 12 digits`);
    }
  }
  return values ?? [];
}

/** A --public-key flag: standard base64 of a 32-byte Ed25519 public key that is a valid point. */
export function publicKeyFlag(value: string): VerifyingKey {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value, '--public-key');
  } catch (e) {
    throw new UsageError(`--public-key: ${(e as Error).message}`);
  }
  try {
    return VerifyingKey.fromBytes(bytes);
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    throw new UsageError(`--public-key: ${e.message}`);
  }
}

/** An RFC 3339 time flag, epoch ms; `fallback` when it is not given. */
export function timeFlag(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const t = parseRfc3339(value);
  if (typeof t === 'string') throw new UsageError(`${flag} ${JSON.stringify(value)}: ${t}`);
  return t.epochMs;
}

/** A required free-text flag (a name, a reason): 1 to 200 printable characters. */
export function textFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  if (value.length > 200) throw new UsageError(`${flag} is longer than 200 characters`);
  return value;
}

/** The registered key `keyId`, with its party, from the ledger's registry. */
export function registeredKey(
  registry: RegistryAnswer,
  keyId: string,
  flag: string,
): { gln: string; validFrom: string; revokedAt?: string } {
  for (const p of registry.parties) {
    const k = p.keys.find((k) => k.keyId === keyId);
    if (k) {
      const revoked = k.revokedAt === undefined ? {} : { revokedAt: k.revokedAt };
      return { gln: p.gln, validFrom: k.validFrom, ...revoked };
    }
  }
  throw new UsageError(`${flag} ${keyId} is not a key in the ledger's registry`);
}

/** AddParty, and AddKey when a key is given, for `add-party`. */
export function addPartyChanges(
  f: ChangeFlags,
  key: VerifyingKey | undefined,
  now: number,
): RegistryChange[] {
  const gln = glnFlag(f.gln);
  const changes: RegistryChange[] = [
    {
      kind: 'AddParty',
      gln,
      name: textFlag(f.name, '--name'),
      roles: roleFlags(f.role),
      companyPrefixes: prefixFlags(f['company-prefix']),
    },
  ];
  if (key) changes.push(addKey(gln, key, timeFlag(f['valid-from'], '--valid-from', now)));
  return changes;
}

/** SetRoles, and SetCompanyPrefixes when --company-prefix is given, for `set-roles`. */
export function setRolesChanges(f: ChangeFlags): RegistryChange[] {
  const gln = glnFlag(f.gln);
  const changes: RegistryChange[] = [{ kind: 'SetRoles', gln, roles: roleFlags(f.role) }];
  if (f['company-prefix'] !== undefined) {
    changes.push({ kind: 'SetCompanyPrefixes', gln, companyPrefixes: prefixFlags(f['company-prefix']) });
  }
  return changes;
}

/** AddKey, for `add-key`. */
export function addKeyChanges(f: ChangeFlags, key: VerifyingKey, now: number): RegistryChange[] {
  return [addKey(glnFlag(f.gln), key, timeFlag(f['valid-from'], '--valid-from', now))];
}

/** RevokeKey of a key the registry holds, for `revoke-key`. */
export function revokeKeyChanges(f: ChangeFlags, registry: RegistryAnswer, now: number): RegistryChange[] {
  if (f['key-id'] === undefined) throw new UsageError('--key-id is required');
  const { gln } = registeredKey(registry, f['key-id'], '--key-id');
  return [
    {
      kind: 'RevokeKey',
      gln,
      keyId: f['key-id'],
      revokedAt: timeFlag(f['revoked-at'], '--revoked-at', now),
      reason: textFlag(f.reason, '--reason'),
    },
  ];
}

/** A rotation's two REGISTRY events: the new key's AddKey, then, once it is in use, the old key's RevokeKey. */
export interface Rotation {
  add: RegistryChange[];
  /** The RevokeKey of the old key, dated `now`. */
  revoke(now: number): RegistryChange[];
}

/**
 * The two steps of `rotate-key`. Revocation takes effect in log order, so one event adding the new key
 * and revoking the old would reject every record a partner service signs with the old key between that
 * event and the moment it takes the new one: the new key is added first, and the old one revoked once
 * the services sign with the new one. The new key is valid from the old key's validFrom, so that late
 * uploads of events dated before the rotation (DESIGN §3: normal) can still be signed.
 */
export function rotateKeyChanges(f: ChangeFlags, registry: RegistryAnswer, key: VerifyingKey): Rotation {
  const gln = glnFlag(f.gln);
  const oldKeyId = f['old-key-id'];
  if (oldKeyId === undefined) throw new UsageError('--old-key-id is required');
  const old = registeredKey(registry, oldKeyId, '--old-key-id');
  if (old.gln !== gln) throw new UsageError(`--old-key-id ${oldKeyId} belongs to ${old.gln}, not ${gln}`);
  if (old.revokedAt !== undefined) {
    throw new UsageError(`--old-key-id ${oldKeyId} is already revoked (at ${old.revokedAt})`);
  }
  if (key.keyId === oldKeyId) throw new UsageError('--new-key-file holds the old key itself');
  const validFrom = Date.parse(old.validFrom);
  if (Number.isNaN(validFrom))
    throw new Error(`the registry gives key ${oldKeyId} validFrom ${old.validFrom}`);
  const reason = f.reason ?? 'rotated';
  return {
    add: [addKey(gln, key, validFrom)],
    revoke: (now) => [{ kind: 'RevokeKey', gln, keyId: oldKeyId, revokedAt: now, reason }],
  };
}

function addKey(gln: string, key: VerifyingKey, validFrom: number): RegistryChange {
  return { kind: 'AddKey', gln, keyId: key.keyId, publicKey: key.bytes, validFrom };
}
