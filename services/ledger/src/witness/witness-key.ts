import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readSigningKeyFile, SigningKey, writeSigningKeyFile } from '@rxledger/events';
import { type CosignatureSigner, cosignatureSigner, type NoteVerifier } from '@rxledger/tlog';
import { parseWitnessedLogs, WitnessConfigError } from './witness-config.ts';

/**
 * This node's witness identity from its configuration: the key file (a JWK like the checkpoint key;
 * created with mode 0600 when absent, so `npm start` needs no extra step), its name, and the
 * checkpoint keys of the peer logs it cosigns (WITNESS_LOGS).
 */
export async function readWitnessOf(opts: {
  keyFile: string;
  name: string;
  logs: string;
}): Promise<{ signer: CosignatureSigner; logs: NoteVerifier[] }> {
  const logs = parseWitnessedLogs(opts.logs, 'WITNESS_LOGS');
  if (logs.length === 0)
    throw new WitnessConfigError("WITNESS_LOGS: required with WITNESS_KEY_FILE (the peer logs' vkeys)");
  let key: SigningKey;
  try {
    key = (await readSigningKeyFile(opts.keyFile)).key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new WitnessConfigError(`WITNESS_KEY_FILE: ${(err as Error).message}`);
    }
    key = SigningKey.generate();
    await mkdir(dirname(opts.keyFile), { recursive: true });
    await writeSigningKeyFile(opts.keyFile, key);
  }
  const seed = key.exportSeed();
  try {
    return { signer: cosignatureSigner(opts.name, seed), logs };
  } catch (err) {
    throw new WitnessConfigError(`WITNESS_NAME: ${(err as Error).message}`);
  } finally {
    seed.fill(0);
  }
}
