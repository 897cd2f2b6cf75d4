import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { freshChannel, makeParties } from '../../../shared/gateway/test/support/harness.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('manufacturer main.ts', () => {
  it('fails fast naming every bad variable', async () => {
    const p = run({ PORT: 'x', LEDGER_URL: 'ftp://ledger' });
    expect(await p.exited).toBe(1);
    expect(p.err()).toMatch(/^manufacturer: invalid configuration/);
    for (const name of ['PORT', 'KAFKA_BROKERS', 'LEDGER_URL', 'PARTNER_CONFIG'])
      expect(p.err()).toContain(`${name}:`);
  });

  it('fails fast naming the JSON path of a bad parties file', async () => {
    const made = await makeParties(['manufacturer']);
    const file = join(made.dir, 'manufacturer.json');
    await writeFile(
      file,
      JSON.stringify({ parties: [{ ...made.parties.manufacturer!.config, gln: '123' }] }),
    );
    try {
      const p = run({ KAFKA_BROKERS: '127.0.0.1:9', PARTNER_CONFIG: file });
      expect(await p.exited).toBe(1);
      expect(p.err()).toContain(`PARTNER_CONFIG ${file}: invalid partner configuration`);
      expect(p.err()).toContain('parties[0].gln: must be a GLN-13');
    } finally {
      await made.cleanup();
    }
  });

  it('starts from its environment, logs JSON without the scanner key, and stops on SIGTERM', async () => {
    const brokers = inject('kafkaBrokers');
    const made = await makeParties(['manufacturer']);
    const acme = made.parties.manufacturer!;
    const file = join(made.dir, 'manufacturer.json');
    await writeFile(file, JSON.stringify({ parties: [acme.config] }), { mode: 0o600 });
    const p = run({
      KAFKA_BROKERS: brokers.join(','),
      CHANNEL: await freshChannel(brokers, 'main'),
      PORT: '0',
      PARTNER_CONFIG: file,
      LOG_LEVEL: 'debug',
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: p.child.stdout }).on('line', (line) => {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.url && entry.msg?.includes('listening')) resolve(entry.url);
        });
        p.exited.then((code) => reject(new Error(`exited ${code}: ${p.err()}`)));
      });
      const res = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${acme.scannerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ type: 'RECALL', gtin: '04012345123456', lot: 'L', reason: 'r' }] }),
      });
      expect(res.status).toBe(202);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.out()).toContain('"msg":"batch published"');
      expect(p.out()).not.toContain(acme.scannerKey);
      expect(p.out()).not.toContain(acme.scannerKey.slice(4, 20));
    } finally {
      p.child.kill('SIGKILL');
      await made.cleanup();
    }
  });
});
