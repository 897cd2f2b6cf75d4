import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkCustodyEvent,
  KeyError,
  readSigningKeyFile,
  readVerifyingKeyFile,
  type RegistryChange,
  SigningKey,
  type VerifyingKey,
  writeSigningKeyFile,
} from '@rxledger/events';
import { createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import {
  addKeyChanges,
  addPartyChanges,
  type ChangeFlags,
  publicKeyFlag,
  revokeKeyChanges,
  rotateKeyChanges,
  setRolesChanges,
  UsageError,
} from './registry-changes.ts';
import {
  type EventOutcome,
  LedgerError,
  type RegistryAnswer,
  type RegistryClient,
  registryClient,
} from './registry-client.ts';
import { formatRegistry } from './format-registry.ts';
import { serviceFlags, waitForSigningKey } from './partner-service-keys.ts';
import { publishRegistryEvent, registryChangeEvent, waitForOutcome } from './publish-registry-event.ts';

/** Usage text of `rxledger registry`, also printed by `rxledger help`. */
export const REGISTRY_USAGE = `rxledger registry list [--ledger URL --token TOKEN | --credentials FILE] [--json]
rxledger registry <change> --authority-key-file FILE --brokers HOST:PORT[,...] [--channel NAME]
                  [--ledger URL --token TOKEN | --credentials FILE] [--timeout SECONDS] <fields>

Shows the participant registry as the ledger folded it (GET /v1/registry), or changes it: each change
is one REGISTRY event signed with the registry authority's key, appended to the channel's custody
topic and effective once the ledger has folded it; the command waits for that and prints the outcome.
Changes and their fields:
  add-party   --gln GLN --name NAME --role ROLE... [--company-prefix DIGITS...]
              [--public-key BASE64 | --key-file FILE] [--valid-from RFC3339, default now]
  set-roles   --gln GLN --role ROLE... [--company-prefix DIGITS...]   (replaces roles, and prefixes if given)
  add-key     --gln GLN (--public-key BASE64 | --key-file FILE) [--valid-from RFC3339, default now]
  revoke-key  --key-id ID --reason TEXT [--revoked-at RFC3339, default now]
  rotate-key  --gln GLN --old-key-id ID --new-key-file FILE [--reason TEXT, default "rotated"]
              [--service URL... [--service-timeout SECONDS, default 120] | --overlap SECONDS]
              adds the new key (valid from the old key's validFrom), waits until each partner
              service --service signs for GLN with it (its /healthz; put FILE in its config as the
              party's nextKeyFile first), or --overlap seconds (default 15) without --service,
              then revokes the old key: what the old key signed before stays verifiable, and
              nothing a service signs while it switches is refused. A missing FILE gets a new key
              (mode 0600).
  --ledger URL, --token TOKEN   the ledger and a regulator (or partner) token to read it with
  --credentials FILE            take both from a credentials file's ledger.url and ledger.regulatorToken
                                (e.g. data/demo/credentials.json); flags win
  --authority-key-file FILE     the registry authority's private key file (JWK, mode 0600)
  --brokers HOST:PORT,...       the Kafka brokers;  --channel NAME  the channel (default main)
  --timeout SECONDS             how long to wait for the ledger to fold the change (default 30)
  --json                        print JSON instead of text
Roles: AUTHORITY, MANUFACTURER, DISTRIBUTOR, PHARMACY, REGULATOR. Key files are Ed25519 JWK; a
private key file gives its public half, and a --key-file or --new-key-file that does not exist gets
a new private key (mode 0600) for the party to sign with.
Exit status: 0 when the change was accepted (or the list printed), 1 when the ledger rejected it or
could not be reached, 2 on a usage error.`;

const CHANGE_FLAGS: Record<string, string[]> = {
  'add-party': ['gln', 'name', 'role', 'company-prefix', 'public-key', 'key-file', 'valid-from'],
  'set-roles': ['gln', 'role', 'company-prefix'],
  'add-key': ['gln', 'public-key', 'key-file', 'valid-from'],
  'revoke-key': ['key-id', 'reason', 'revoked-at'],
  'rotate-key': ['gln', 'old-key-id', 'new-key-file', 'reason', 'service', 'service-timeout', 'overlap'],
};
const CHANGE_ONLY = ['authority-key-file', 'brokers', 'channel', 'timeout'];

/** `rxledger registry`: returns the exit status. */
export async function registryCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
      out(REGISTRY_USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'list' && CHANGE_FLAGS[sub] === undefined) {
      throw new UsageError(`unknown subcommand '${sub}'`);
    }
    const values = parseOptions(sub, rest);
    if (values.help) {
      out(REGISTRY_USAGE);
      return 0;
    }
    const ledger = await ledgerFrom(values);
    if (sub === 'list') {
      const registry = await ledger.registry();
      if (values.json) out(JSON.stringify(registry, null, 2));
      else for (const line of formatRegistry(registry)) out(line);
      return 0;
    }
    return await change(sub, values, ledger, out);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`rxledger registry: ${e.message}\n\n${REGISTRY_USAGE}`);
      return 2;
    }
    if (e instanceof LedgerError) {
      err(`rxledger registry: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

type Options = ReturnType<typeof parseOptions>;

function parseOptions(sub: string, args: string[]) {
  const str = { type: 'string' } as const;
  const many = { type: 'string', multiple: true } as const;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        ledger: str,
        token: str,
        credentials: str,
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        'authority-key-file': str,
        brokers: str,
        channel: str,
        timeout: str,
        gln: str,
        name: str,
        role: many,
        'company-prefix': many,
        'public-key': str,
        'key-file': str,
        'valid-from': str,
        'key-id': str,
        reason: str,
        'revoked-at': str,
        'old-key-id': str,
        'new-key-file': str,
        service: many,
        'service-timeout': str,
        overlap: str,
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // A flag of another subcommand is a mistake the user should hear of, not silently ignored.
  const allowed = new Set(['ledger', 'token', 'credentials', 'json', 'help']);
  for (const f of sub === 'list' ? [] : [...CHANGE_ONLY, ...CHANGE_FLAGS[sub]!]) allowed.add(f);
  for (const flag of Object.keys(parsed.values)) {
    if (!allowed.has(flag)) throw new UsageError(`--${flag} is not an option of registry ${sub}`);
  }
  return parsed.values;
}

async function ledgerFrom(values: Options): Promise<RegistryClient> {
  let url = values.ledger;
  let token = values.token;
  if (values.credentials !== undefined && (url === undefined || token === undefined)) {
    const file = values.credentials;
    const ledger = ((await readJson(file, '--credentials file')) as { ledger?: Record<string, unknown> })
      ?.ledger;
    if (url === undefined) {
      if (typeof ledger?.url !== 'string') throw new UsageError(`${file} has no ledger.url`);
      url = ledger.url;
    }
    if (token === undefined) {
      if (typeof ledger?.regulatorToken !== 'string')
        throw new UsageError(`${file} has no ledger.regulatorToken`);
      token = ledger.regulatorToken;
    }
  }
  if (url === undefined) throw new UsageError('--ledger URL is required (or --credentials FILE)');
  if (token === undefined) throw new UsageError('--token is required (or --credentials FILE)');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`--ledger ${JSON.stringify(url)} is not an http(s) URL`);
  }
  return registryClient(url, token);
}

async function change(
  sub: string,
  values: Options,
  ledger: RegistryClient,
  out: (line: string) => void,
): Promise<number> {
  const target = kafkaTarget(values);
  const timeoutMs = timeoutFlag(values.timeout, '--timeout', 30);
  const authority = await authorityKey(values['authority-key-file']);
  const registry = await ledger.registry();
  const authorityGln = authorityParty(registry, authority.keyId);
  const apply = (changes: RegistryChange[]) =>
    applyChanges(changes, { target, authority, authorityGln, ledger, timeoutMs });
  const print = (summary: ChangeSummary) => {
    if (values.json) out(JSON.stringify(summary, null, 2));
    else printSummary(summary, timeoutMs, out);
  };
  if (sub === 'rotate-key') return rotate(values, registry, apply, print, out);
  const summary = await apply(await changesOf(sub, values, registry, Date.now()));
  print(summary);
  return summary.state === 'ACCEPTED' ? 0 : 1;
}

/**
 * `rotate-key`, as one smooth path with the partner services: add the new key, wait until the services
 * sign with it (--service, or --overlap seconds), then revoke the old one. Revoking first, or in the
 * same event, would reject whatever a service signs with the old key before it takes the new one.
 */
async function rotate(
  values: Options,
  registry: RegistryAnswer,
  apply: (changes: RegistryChange[]) => Promise<ChangeSummary>,
  print: (summary: ChangeSummary) => void,
  out: (line: string) => void,
): Promise<number> {
  // Every flag checked before the new key file is written.
  const services = serviceFlags(values.service);
  if (services.length > 0 && values.overlap !== undefined) {
    throw new UsageError('give --service URL (wait for the services) or --overlap SECONDS, not both');
  }
  const waitMs = timeoutFlag(values['service-timeout'], '--service-timeout', 120);
  const overlapMs = services.length > 0 ? 0 : timeoutFlag(values.overlap, '--overlap', 15, true);
  const key = await newKey(values['new-key-file']);
  const rotation = rotateKeyChanges(values as ChangeFlags, registry, key);
  const added = await apply(rotation.add);
  print(added);
  if (added.state !== 'ACCEPTED') return 1;
  const gln = values.gln!;
  if (services.length > 0) {
    const behind = await waitForSigningKey(services, gln, key.keyId, waitMs, out);
    if (behind.length > 0) {
      out(
        `NOT REVOKED: ${behind.join(', ')} did not sign for ${gln} with key ${key.keyId} within ${waitMs / 1000} s`,
      );
      out(
        `  once they do: rxledger registry revoke-key --key-id ${values['old-key-id']} --reason rotated ...`,
      );
      return 1;
    }
  } else if (overlapMs > 0) {
    out(
      `waiting ${overlapMs / 1000} s for the partner services to take key ${key.keyId} (--service URL waits for them)`,
    );
    await new Promise((r) => setTimeout(r, overlapMs));
  }
  const revoked = await apply(rotation.revoke(Date.now()));
  print(revoked);
  return revoked.state === 'ACCEPTED' ? 0 : 1;
}

/** What one REGISTRY event came to: its id, its changes in words, and the ledger's outcome. */
type ChangeSummary = { eventId: string; changes: string[] } & EventOutcome;

interface ApplyContext {
  target: { brokers: string[]; channel: string };
  authority: SigningKey;
  authorityGln: string;
  ledger: RegistryClient;
  timeoutMs: number;
}

/** Signs `changes` as one REGISTRY event, appends it, and waits for the ledger's outcome. */
async function applyChanges(changes: RegistryChange[], ctx: ApplyContext): Promise<ChangeSummary> {
  const now = Date.now();
  const event = registryChangeEvent(ctx.authorityGln, changes, now);
  const issues = checkCustodyEvent(event, { now });
  if (issues.length > 0) {
    throw new UsageError(issues.map((i) => `${i.field} ${i.reason}`).join('; '));
  }
  try {
    const kafka = createKafkaClient({ brokers: ctx.target.brokers, clientId: 'rxledger-registry' });
    await publishRegistryEvent(kafka, custodyTopicName(ctx.target.channel), ctx.authority, event);
  } catch (e) {
    throw new LedgerError(`cannot publish to ${ctx.target.brokers.join(',')}: ${(e as Error).message}`);
  }
  const outcome = await waitForOutcome(ctx.ledger, event.eventId, ctx.authorityGln, ctx.timeoutMs);
  return { eventId: event.eventId, changes: changes.map(describe), ...outcome };
}

function printSummary(summary: ChangeSummary, timeoutMs: number, out: (line: string) => void): void {
  for (const line of summary.changes) out(`  ${line}`);
  if (summary.state === 'ACCEPTED') out(`ACCEPTED ${summary.eventId} at log index ${summary.index}`);
  else if (summary.state === 'REJECTED') {
    out(`REJECTED ${summary.eventId}: ${summary.reason.code}: ${summary.reason.message}`);
  } else {
    out(
      `UNKNOWN ${summary.eventId}: published, but the ledger had not folded it after ${timeoutMs / 1000} s`,
    );
  }
}

async function changesOf(
  sub: string,
  values: Options,
  registry: RegistryAnswer,
  now: number,
): Promise<RegistryChange[]> {
  const f = values as ChangeFlags;
  switch (sub) {
    case 'add-party':
      return addPartyChanges(f, await givenKey(values, false), now);
    case 'set-roles':
      return setRolesChanges(f);
    case 'add-key':
      return addKeyChanges(f, (await givenKey(values, true))!, now);
    default:
      return revokeKeyChanges(f, registry, now);
  }
}

/** The key of --public-key or --key-file (one of them; `required` says whether one must be given). */
async function givenKey(values: Options, required: boolean): Promise<VerifyingKey | undefined> {
  const [b64, file] = [values['public-key'], values['key-file']];
  if (b64 !== undefined && file !== undefined)
    throw new UsageError('give --public-key or --key-file, not both');
  if (b64 !== undefined) return publicKeyFlag(b64);
  if (file !== undefined) {
    await generateIfMissing(file);
    return keyFileOr(() => readVerifyingKeyFile(file), '--key-file', file);
  }
  if (required) throw new UsageError('--public-key BASE64 or --key-file FILE is required');
  return undefined;
}

/** The rotation's new key: read from the file, or generated into it (mode 0600) when it is missing. */
async function newKey(file: string | undefined): Promise<VerifyingKey> {
  if (file === undefined) throw new UsageError('--new-key-file is required');
  await generateIfMissing(file);
  return keyFileOr(async () => (await readSigningKeyFile(file)).key.verifyingKey, '--new-key-file', file);
}

/** Onboarding a party or rotating a key needs a new key: a missing file gets one (mode 0600). */
async function generateIfMissing(file: string): Promise<void> {
  if (existsSync(file)) return;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeSigningKeyFile(file, SigningKey.generate());
}

async function authorityKey(file: string | undefined): Promise<SigningKey> {
  if (file === undefined) throw new UsageError('--authority-key-file is required');
  return keyFileOr(async () => (await readSigningKeyFile(file)).key, '--authority-key-file', file);
}

async function keyFileOr<T>(read: () => Promise<T>, flag: string, file: string): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof KeyError) throw new UsageError(`${flag}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UsageError(`${flag}: cannot read ${file}: ${code}`);
    throw e;
  }
}

/** The AUTHORITY party that holds `keyId`, unrevoked: the party the change is signed as. */
function authorityParty(registry: RegistryAnswer, keyId: string): string {
  const holder = registry.parties.find(
    (p) =>
      p.roles.includes('AUTHORITY') && p.keys.some((k) => k.keyId === keyId && k.revokedAt === undefined),
  );
  if (holder === undefined) {
    throw new UsageError(
      `--authority-key-file holds key ${keyId}, which no AUTHORITY party of the ledger's registry holds unrevoked`,
    );
  }
  return holder.gln;
}

function kafkaTarget(values: Options): { brokers: string[]; channel: string } {
  if (values.brokers === undefined) throw new UsageError('--brokers HOST:PORT[,...] is required');
  const brokers = values.brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (brokers.length === 0 || bad !== undefined) {
    throw new UsageError(`--brokers ${JSON.stringify(bad ?? values.brokers)}: each broker must be host:port`);
  }
  const channel = values.channel ?? 'main';
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(channel)) {
    throw new UsageError(`--channel ${JSON.stringify(channel)} must be 1-63 lowercase letters, digits or -`);
  }
  return { brokers, channel };
}

/** A whole-seconds flag in ms: `fallback` seconds when absent; 0 allowed only where `zero` says so. */
function timeoutFlag(value: string | undefined, flag: string, fallback: number, zero = false): number {
  if (value === undefined) return fallback * 1000;
  if (!(zero ? /^(0|[1-9][0-9]{0,4})$/ : /^[1-9][0-9]{0,4}$/).test(value)) {
    throw new UsageError(`${flag} must be whole seconds from ${zero ? 0 : 1}, got ${value}`);
  }
  return Number(value) * 1000;
}

function describe(c: RegistryChange): string {
  switch (c.kind) {
    case 'AddParty':
      return `AddParty ${c.gln} "${c.name}" roles ${c.roles.join(',')}${c.companyPrefixes.length ? ` prefixes ${c.companyPrefixes.join(',')}` : ''}`;
    case 'SetRoles':
      return `SetRoles ${c.gln} ${c.roles.join(',')}`;
    case 'SetCompanyPrefixes':
      return `SetCompanyPrefixes ${c.gln} ${c.companyPrefixes.join(',') || '(none)'}`;
    case 'AddKey':
      return `AddKey ${c.gln} key ${c.keyId} valid from ${new Date(c.validFrom).toISOString()}`;
    case 'RevokeKey':
      return `RevokeKey ${c.gln} key ${c.keyId} from ${new Date(c.revokedAt).toISOString()}: ${c.reason}`;
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
}
