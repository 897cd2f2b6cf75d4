// Touches the file system, but only a private temp directory, and stays in milliseconds.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KeyError,
  readSigningKeyFile,
  readVerifyingKeyFile,
  SigningKey,
  writeSigningKeyFile,
  writeVerifyingKeyFile,
} from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxledger-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keyErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof KeyError ? err.code : `not a KeyError: ${String(err)}`;
  }
  return 'did not throw';
}

describe.skipIf(process.platform === 'win32')('key files', () => {
  const key = SigningKey.fromSeed(new Uint8Array(32).fill(5));

  it('write a 0600 JWK that reads back as the same key', async () => {
    const path = join(dir, 'k1.jwk');
    await writeSigningKeyFile(path, key);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(await readFile(path, 'utf8'));
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: key.keyId });
    const back = await readSigningKeyFile(path);
    expect(back.key.keyId).toBe(key.keyId);
    expect(back.key.exportSeed()).toEqual(key.exportSeed());
  });

  it('refuse to overwrite unless asked → KEY_FILE_EXISTS; overwriting narrows the mode', async () => {
    const path = join(dir, 'k2.jwk');
    await writeFile(path, 'old', { mode: 0o644 });
    expect(await keyErrorCode(writeSigningKeyFile(path, key))).toBe('KEY_FILE_EXISTS');
    await writeSigningKeyFile(path, key, { overwrite: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it.each([0o644, 0o640, 0o604, 0o620])(
    'refuse a private key file others may access (mode %o) → KEY_FILE_PERMISSIONS, always',
    async (loose) => {
      const path = join(dir, `k3-${loose.toString(8)}.jwk`);
      await writeSigningKeyFile(path, key);
      await chmod(path, loose);
      expect(await keyErrorCode(readSigningKeyFile(path))).toBe('KEY_FILE_PERMISSIONS');
      await expect(readSigningKeyFile(path)).rejects.toThrow(/chmod 600/);
    },
  );

  it.each([
    ['not JSON', 'seed=abc', 'KEY_FILE_FORMAT'],
    ['not Ed25519', JSON.stringify({ kty: 'EC', crv: 'P-256', d: 'AA' }), 'KEY_FILE_FORMAT'],
    ['no private part', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'AA' }), 'KEY_FILE_FORMAT'],
    ['a short seed', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', d: 'AAAA' }), 'KEY_FILE_FORMAT'],
    [
      'a seed that is not base64url',
      JSON.stringify({ kty: 'OKP', crv: 'Ed25519', d: '!!!!' }),
      'KEY_FILE_FORMAT',
    ],
    ['x of another key', null, 'KEY_FILE_MISMATCH'],
    ['a wrong kid', undefined, 'KEY_FILE_MISMATCH'],
  ])('refuse a file with %s → %s', async (_what, content, code) => {
    const path = join(dir, `bad-${code}-${Math.random()}.jwk`);
    await writeSigningKeyFile(path, key);
    const jwk = JSON.parse(await readFile(path, 'utf8'));
    const text =
      content === null
        ? JSON.stringify({
            ...jwk,
            x: JSON.parse(JSON.stringify(SigningKey.generate().toJSON())).publicKey.replace(/=+$/, ''),
          })
        : content === undefined
          ? JSON.stringify({ ...jwk, kid: '0000000000000000' })
          : content;
    await writeFile(path, text, { mode: 0o600 });
    expect(await keyErrorCode(readSigningKeyFile(path))).toBe(code);
    // The error never repeats the secret.
    await readSigningKeyFile(path).catch((err: Error) => expect(err.message).not.toContain(jwk.d));
  });

  it('write and read a public key file', async () => {
    const path = join(dir, 'pub.jwk');
    await writeVerifyingKeyFile(path, key.verifyingKey);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('"d"');
    expect((await readVerifyingKeyFile(path)).keyId).toBe(key.keyId);
  });
});
