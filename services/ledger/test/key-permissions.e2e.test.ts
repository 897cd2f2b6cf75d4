import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningKey, writeSigningKeyFile } from '@rxledger/events';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { publishToChannel } from './support/publish.ts';
import { writeTokenFile } from './support/test-tokens.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('ledger start with a checkpoint key file others can read', () => {
  const root = mkdtempSync(join(tmpdir(), 'rxledger-key-perms-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stops with a message naming the setting, the file and the fix, before it listens', async () => {
    const keyFile = join(root, 'checkpoint.jwk');
    await writeSigningKeyFile(keyFile, SigningKey.generate());
    chmodSync(keyFile, 0o644);
    // The topic exists, so that a ledger that went on regardless would come up and say it listens.
    const channel = `key-perms-${process.pid}`;
    await publishToChannel(inject('kafkaBrokers'), channel, []);
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: {
        ...process.env,
        KAFKA_BROKERS: inject('kafkaBrokers').join(','),
        CHANNEL: channel,
        DATA_DIR: join(root, 'ledger'),
        PORT: '0',
        CHECKPOINT_KEY_FILE: keyFile,
        AUTHORITY_PUBLIC_KEY: SigningKey.generate().verifyingKey.toBase64(),
        LEDGER_TOKENS_FILE: writeTokenFile(join(root, 'tokens.json')),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // Whichever comes first: the process exits, or it announces that it listens (the old behaviour:
    // a warning, then on as if nothing were wrong).
    const outcome = await new Promise<string>((resolve) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (/listening|http:\/\//.test(output)) resolve('listening');
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => resolve(`exit ${code}`));
    });
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    expect(outcome).toBe('exit 1');
    expect(output).toContain(`CHECKPOINT_KEY_FILE: ${keyFile} is readable by group or others (mode 644)`);
    expect(output).toContain(`chmod 600 ${keyFile}`);
  });
});
