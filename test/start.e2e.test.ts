import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { findChromium } from './support/chromium.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The counter at the pharmacy service (its scanner key pasted, the pack scanned: an answer with the
 * pack's product data) and the regulator page at the ledger (the credentials file chosen as anchors,
 * the pack searched: its history verified in the browser), in Chromium when there is one.
 */
async function tryThePages(
  urls: Record<string, string>,
  credentials: { services: { pharmacy: { parties: Array<{ scanners: Array<{ key: string }> }> } } },
  credentialsFile: string,
  item: string,
): Promise<void> {
  const found = findChromium();
  if ('reason' in found) {
    console.warn(`start.e2e: the pages not tried: ${found.reason}`);
    return;
  }
  const browser = await chromium.launch({ executablePath: found.path, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto(`${urls.pharmacy}/`);
    await page.fill('#token', credentials.services.pharmacy.parties[0]!.scanners[0]!.key);
    await page.press('#token', 'Enter');
    await page.fill('#scan', item);
    await page.press('#scan', 'Enter');
    await page.locator('#answer[data-scan="1"]').waitFor();
    expect(await page.textContent('#answer')).toContain('00614141123452');
    await page.goto(`${urls.ledger}/regulator`);
    await page.setInputFiles('#credentials-file', credentialsFile);
    await expect.poll(() => page.textContent('#anchors-state')).toMatch(/^Anchors in use for the log /);
    await page.fill('#search', item);
    await page.press('#search', 'Enter');
    await page.locator('#result[data-drawn="1"]').waitFor();
    expect(await page.getAttribute('#result', 'data-tone')).toBe('ok');
  } finally {
    await browser.close();
  }
}

describe('npm start', () => {
  let dataDir: string;
  let start: ChildProcess | undefined;

  afterAll(async () => {
    if (start?.pid && alive(start.pid)) process.kill(-start.pid, 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('brings up the four services with /healthz, writes credentials, and Ctrl-C leaves nothing behind', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rxledger-start-'));
    start = spawn('npm', ['start'], {
      detached: true, // its own process group, so the test can send SIGINT to all of it like a terminal does
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KAFKA_BROKERS: inject('kafkaBrokers').join(','),
        RXLEDGER_DATA_DIR: dataDir,
        CHANNEL: `start-${process.pid}`,
        LEDGER_PORT: '0',
        MANUFACTURER_PORT: '0',
        DISTRIBUTOR_PORT: '0',
        PHARMACY_PORT: '0',
      },
    });
    let output = '';
    start.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    await new Promise<void>((resolve, reject) => {
      start!.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        if (output.includes('Ctrl-C stops everything')) resolve();
      });
      start!.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
    });

    /** The output so far once `pattern` appears in it (the demo prints its serials after its first round). */
    const printed = async (pattern: RegExp) => {
      await new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(output) && (start!.stdout!.off('data', check), resolve());
        start!.stdout!.on('data', check);
        start!.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
        check();
      });
      return output;
    };

    const urls = Object.fromEntries(
      [...output.matchAll(/^(ledger|manufacturer|distributor|pharmacy)\s+(http:\/\/\S+)/gm)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    expect(Object.keys(urls).sort()).toEqual(['distributor', 'ledger', 'manufacturer', 'pharmacy']);
    for (const [name, url] of Object.entries(urls)) {
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
      const health = (await res.json()) as { config?: { generation: number; refused?: unknown } };
      expect(health).toMatchObject({ status: 'ok', service: name });
      // A partner service's /healthz also says which PARTNER_CONFIG it runs on, and that none was refused.
      if (name !== 'ledger') expect(health.config).toMatchObject({ generation: 1 });
      if (name !== 'ledger') expect(health.config?.refused).toBeUndefined();
      // Ready once caught up: the demo posts from the start, so the ledger may be a few records behind.
      await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 60_000 }).toBe(200);
    }

    const credentialsFile = join(dataDir, 'demo', 'credentials.json');
    expect((await stat(credentialsFile)).mode & 0o077).toBe(0);
    const credentials = JSON.parse(await readFile(credentialsFile, 'utf8'));
    expect(credentials.ledger.url).toBe(urls.ledger);
    expect(credentials.ledger.checkpointKey).toMatch(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(credentials.ledger.authorityPublicKey, 'base64')).toHaveLength(32);
    expect(credentials.services.manufacturer.url).toBe(urls.manufacturer);
    expect(credentials.services.pharmacy.parties.length).toBeGreaterThan(0);
    for (const kind of ['manufacturer', 'distributor', 'pharmacy']) {
      for (const party of credentials.services[kind].parties) expect(party.scanners[0].key).toMatch(/^rxs_/);
    }
    // Logs never carry the scanner keys or tokens.
    for (const name of Object.keys(urls)) {
      const log = await readFile(join(dataDir, 'logs', `${name}.log`), 'utf8');
      expect(log).not.toContain(credentials.ledger.regulatorToken);
    }

    // The living network: a serial of each kind to try, and each gives the answer printed beside it, to
    // the first pharmacy's pharmacist, through the printed curl line too.
    const showcase = await printed(/^ {2}curl\s+curl .*$/m);
    const tried = [...showcase.matchAll(/^ {2}(genuine|clone|recalled|dispensed)\s+(\S+)\s+-> (.*)$/gm)];
    expect(tried.map((m) => m[1])).toEqual(['genuine', 'clone', 'recalled', 'dispensed']);
    const pharmacy = /\(GLN (\d{13})\)/.exec(showcase)![1]!;
    for (const [, , scan, answer] of tried) {
      const res = await fetch(`${urls.ledger}/v1/verify?scan=${encodeURIComponent(scan!)}`, {
        headers: { authorization: `Bearer ${credentials.ledger.pharmacistTokens[pharmacy]}` },
      });
      const got = (await res.json()) as {
        verdict: string;
        dispensable: boolean;
        alerts: Array<{ code: string }>;
      };
      const codes = got.alerts.map((a) => a.code).join(', ');
      expect(
        `${got.verdict}, ${got.dispensable ? 'dispensable' : 'not dispensable'}${codes ? `: ${codes}` : ''}`,
      ).toBe(answer);
    }
    const curl = /^ {2}curl\s+(curl .*)$/m.exec(showcase)![1]!;
    expect(JSON.parse(execFileSync('sh', ['-c', curl]).toString())).toMatchObject({
      verdict: 'VERIFIED',
      dispensable: true,
    });

    // An event posted as a scanner would lands: the built fold thread folds it.
    const maker = credentials.services.manufacturer.parties[0];
    const posted = await fetch(`${urls.manufacturer}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${maker.scanners[0].key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            type: 'COMMISSION',
            items: [`https://id.gs1.org/01/00614141123452/21/START${process.pid}`],
            lot: 'S1',
            expiry: '281231',
          },
        ],
      }),
    });
    expect(posted.status).toBe(202);
    const [eventId] = ((await posted.json()) as { eventIds: string[] }).eventIds;
    let state = '';
    for (let i = 0; i < 100 && state !== 'ACCEPTED'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${urls.manufacturer}/v1/events/${eventId}`, {
        headers: { authorization: `Bearer ${maker.scanners[0].key}` },
      });
      state = ((await res.json()) as { state: string }).state;
    }
    expect(state).toBe('ACCEPTED');

    // The pages as a new user meets them, built into dist/web and served by the real processes.
    await tryThePages(
      urls,
      credentials,
      credentialsFile,
      `https://id.gs1.org/01/00614141123452/21/START${process.pid}`,
    );

    // Production runs built JavaScript (infra/build.mjs): no TypeScript loader in any process.
    const processes = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(start.pid)])
      .toString()
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const pids = processes.map((line) => Number(line.split(' ')[0])).filter((n) => n > 0);
    expect(pids.length).toBeGreaterThanOrEqual(5);
    expect(processes.filter((line) => line.includes('tsx'))).toEqual([]);
    for (const name of Object.keys(urls)) {
      expect(
        processes.some((line) => line.includes(`dist/${name}.mjs`)),
        name,
      ).toBe(true);
    }

    const exited = new Promise((resolve) => start!.once('exit', resolve));
    process.kill(-start.pid!, 'SIGINT');
    await exited;
    const deadline = Date.now() + 20_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(pids.filter(alive)).toEqual([]);
    expect(output).toContain('stopped');
  });
});
