// The secrets of every chaos scenario's demo setup (scanner keys, ledger tokens, private key seeds,
// SASL passwords), and where, if anywhere, one of them shows up in the scenarios' logs.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';

export interface Secret {
  /** Where it was read from and what it is, e.g. `ledger-kill/data/demo/identities.json: regulatorToken`. */
  what: string;
  value: string;
}

export interface Finding {
  log: string;
  secret: string;
}

// Shorter strings could occur in a log by chance; every real secret here is 32+ characters.
const MIN_SECRET_LENGTH = 16;
const LOG_EXTENSIONS = new Set(['.log', '.out', '.err', '.txt']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

/** Every log file under `root` (any scenario's, including this run's), except under `skip`. */
export function logFilesUnder(root: string, skip: (path: string) => boolean = () => false): string[] {
  return files(root).filter((f) => LOG_EXTENSIONS.has(extname(f)) && !skip(f));
}

/**
 * The secret strings in a demo file: token values (any field or map named ...token(s)), scanner keys
 * (fields named `key`), passwords; never file paths or public keys.
 */
function secretsInJson(value: unknown, path: string[], out: (what: string, value: string) => void): void {
  if (typeof value === 'string') {
    const leaf = path[path.length - 1] ?? '';
    const parent = path[path.length - 2] ?? '';
    const named = /(token|password|secret)s?$/i.test(leaf) || leaf === 'key' || /tokens$/i.test(parent);
    if (named && !/public|file/i.test(leaf) && value.length >= MIN_SECRET_LENGTH) out(path.join('.'), value);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) secretsInJson(v, [...path, k], out);
  }
}

/** A private key's seed as it could be printed: the JWK `d`, standard base64 and hex. */
function seedForms(d: string): string[] {
  const seed = Buffer.from(d, 'base64url');
  return [d, seed.toString('base64'), seed.toString('base64').replace(/=+$/, ''), seed.toString('hex')];
}

/**
 * Every secret under `root`: from demo identities and credentials files, from JWK private keys, and
 * the SASL password and any other *PASSWORD / *SECRET variable of this process's environment.
 */
export function secretsUnder(root: string): Secret[] {
  // By value: the same token is in identities.json and credentials.json.
  const secrets = new Map<string, Secret>();
  const add = (what: string, value: string) => {
    if (!secrets.has(value)) secrets.set(value, { what, value });
  };
  for (const file of files(root)) {
    const where = relative(root, file);
    if (['identities.json', 'credentials.json'].includes(basename(file))) {
      secretsInJson(JSON.parse(readFileSync(file, 'utf8')), [], (what, value) =>
        add(`${where}: ${what}`, value),
      );
    } else if (extname(file) === '.jwk') {
      const jwk = JSON.parse(readFileSync(file, 'utf8')) as { d?: unknown };
      if (typeof jwk.d === 'string')
        for (const form of seedForms(jwk.d)) add(`${where}: private key seed`, form);
    }
  }
  for (const [name, value] of Object.entries(process.env)) {
    if (/PASSWORD|SECRET/i.test(name) && value && value.length >= 6) add(`environment ${name}`, value);
  }
  return [...secrets.values()];
}

/** Every (log, secret) pair where the secret occurs in the text. */
export function findSecrets(logs: Array<{ name: string; text: string }>, secrets: Secret[]): Finding[] {
  return logs.flatMap(({ name, text }) =>
    secrets.filter((s) => text.includes(s.value)).map((s) => ({ log: name, secret: s.what })),
  );
}

/**
 * A scenario's own check, whatever order the files run in: its logs against its secrets (and the
 * environment's). Call once its processes have exited, so every line is written.
 */
export function secretsInLogsOf(dir: string): Finding[] {
  const logs = logFilesUnder(dir).map((f) => ({ name: relative(dir, f), text: readFileSync(f, 'utf8') }));
  return findSecrets(logs, secretsUnder(dir));
}
