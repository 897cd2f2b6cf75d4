import { chmod, open, readFile, stat } from 'node:fs/promises';
import { fromBase64Url, toBase64Url } from '@rxledger/tlog';
import { KeyError } from './errors.ts';
import { SigningKey, VerifyingKey } from './keys.ts';

// Key files are JWK (RFC 8037 OKP): { kty: "OKP", crv: "Ed25519", kid, x, d? } with base64url x (public
// key) and d (seed). JWK because OpenSSL, node:crypto and most tooling read it, and it is plain JSON.

/** A private key read from disk (from a file only its owner may read). */
export interface SigningKeyFile {
  key: SigningKey;
}

/**
 * Writes `key` as a JWK private key file with mode 0600. Refuses to replace an existing file unless
 * `overwrite` is set; when it does, it narrows the old file's mode to 0600 too.
 */
export async function writeSigningKeyFile(
  path: string,
  key: SigningKey,
  opts: { overwrite?: boolean } = {},
): Promise<void> {
  const seed = key.exportSeed();
  const jwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    kid: key.keyId,
    x: toBase64Url(key.verifyingKey.bytes),
    d: toBase64Url(seed),
  };
  seed.fill(0);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, opts.overwrite ? 'w' : 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyError('KEY_FILE_EXISTS', `${path} exists; refusing to overwrite a key file`);
    }
    throw err;
  }
  try {
    // The mode given to open() applies only to new files and is filtered by the umask.
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(jwk, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads a JWK private key file. Refuses, always, a file that group or others may access (like ssh
 * does): a key others could read must be treated as leaked, so the service stops instead of warning.
 * @example const { key } = await readSigningKeyFile('data/demo/keys/ledger-checkpoint.jwk')
 */
export async function readSigningKeyFile(path: string): Promise<SigningKeyFile> {
  const mode = (await stat(path)).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyError(
      'KEY_FILE_PERMISSIONS',
      `${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
    );
  }
  const jwk = parseJwk(await readFile(path, 'utf8'), path);
  if (typeof jwk.d !== 'string') throw new KeyError('KEY_FILE_FORMAT', `${path} has no private key ("d")`);
  const seed = decodeField(jwk.d, 'd', path);
  if (seed.length !== 32)
    throw new KeyError('KEY_FILE_FORMAT', `${path}: "d" is ${seed.length} bytes, expected 32`);
  const key = SigningKey.fromSeed(seed);
  seed.fill(0);
  checkPublicParts(jwk, key.verifyingKey, path);
  return { key };
}

/** Writes the public half of a key as a JWK file (mode 0644; it is public). */
export async function writeVerifyingKeyFile(path: string, key: VerifyingKey): Promise<void> {
  const jwk = { kty: 'OKP', crv: 'Ed25519', kid: key.keyId, x: toBase64Url(key.bytes) };
  const handle = await open(path, 'w', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(jwk, null, 2)}\n`, 'utf8');
  } finally {
    await handle.close();
  }
  await chmod(path, 0o644);
}

/** Reads a JWK public key file (a private key file works too; only its public part is used). */
export async function readVerifyingKeyFile(path: string): Promise<VerifyingKey> {
  const jwk = parseJwk(await readFile(path, 'utf8'), path);
  if (typeof jwk.x !== 'string') throw new KeyError('KEY_FILE_FORMAT', `${path} has no public key ("x")`);
  const key = VerifyingKey.fromBytes(decodeField(jwk.x, 'x', path));
  checkPublicParts(jwk, key, path);
  return key;
}

function parseJwk(text: string, path: string): Record<string, unknown> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    // The parser's message may quote the file, which may hold the seed: say nothing more.
    throw new KeyError('KEY_FILE_FORMAT', `${path} is not JSON (expected an Ed25519 JWK)`);
  }
  if (typeof jwk !== 'object' || jwk === null)
    throw new KeyError('KEY_FILE_FORMAT', `${path} is not a JWK object`);
  const o = jwk as Record<string, unknown>;
  if (o.kty !== 'OKP' || o.crv !== 'Ed25519') {
    throw new KeyError('KEY_FILE_FORMAT', `${path} is not an Ed25519 JWK (needs kty "OKP", crv "Ed25519")`);
  }
  return o;
}

function decodeField(value: string, field: string, path: string): Uint8Array {
  try {
    return fromBase64Url(value, field);
  } catch {
    throw new KeyError('KEY_FILE_FORMAT', `${path}: "${field}" is not base64url`);
  }
}

// A file whose x or kid disagrees with its d was edited or corrupted: better to stop than to sign
// under a key id the registry does not know.
function checkPublicParts(jwk: Record<string, unknown>, key: VerifyingKey, path: string): void {
  if (jwk.x !== undefined && jwk.x !== toBase64Url(key.bytes)) {
    throw new KeyError('KEY_FILE_MISMATCH', `${path}: "x" is not the public key of "d"`);
  }
  if (jwk.kid !== undefined && jwk.kid !== key.keyId) {
    throw new KeyError(
      'KEY_FILE_MISMATCH',
      `${path}: "kid" ${String(jwk.kid)} is not the key id ${key.keyId}`,
    );
  }
}
