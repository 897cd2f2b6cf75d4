import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningKey } from '@rxledger/events';
import { ed25519Signer, formatVerifierKey, fromBase64, toBase64 } from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle } from './support/make-bundle.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, sscc, TestChain } from './support/test-chain.ts';

const cli = fileURLToPath(new URL('../bin/rxledger.mjs', import.meta.url));
const ORIGIN = 'verify-bundle.test.rxledger.dev';

describe('rxledger verify-bundle', () => {
  const chain = new TestChain();
  const ledger = tempLedger(chain.authority.verifyingKey);
  const scratch = mkdtempSync(join(tmpdir(), 'rxledger-verify-bundle-'));
  const checkpointKey = SigningKey.generate();
  const vkey = formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes);
  const authority = chain.authority.verifyingKey.toBase64();
  const file = (name: string, content: unknown) => {
    const path = join(scratch, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const run = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, [cli, 'verify-bundle', ...args], { encoding: 'utf8', input });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  let bundlePath: string;
  let bundleText: string;

  beforeAll(() => {
    ledger.folder.fold([
      chain.record(chain.sign(chain.genesis(), chain.authority)),
      chain.event(chain.maker, {
        type: 'COMMISSION',
        items: [pack(1), sscc(1)],
        lot: 'L',
        expiry: '281231',
      } as never),
      chain.event(chain.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
      chain.event(chain.maker, { type: 'SHIP', items: [sscc(1)], to: GLN.distributor } as never),
      chain.event(chain.distributor, { type: 'RECEIVE', items: [sscc(1)], from: GLN.maker } as never),
      chain.event(chain.distributor, { type: 'DISAGGREGATE', parent: sscc(1), children: [] } as never),
      chain.event(chain.distributor, { type: 'SHIP', items: [pack(1)], to: GLN.pharmacy } as never),
      chain.event(chain.pharmacy, { type: 'RECEIVE', items: [pack(1)], from: GLN.distributor } as never),
      chain.event(chain.pharmacy, { type: 'DISPENSE', items: [pack(1)] } as never),
    ]);
    expect(ledger.folder.size).toBe(9);
    const bundle = makeBundle(ledger.store, pack(1), {
      signer: ed25519Signer(ORIGIN, checkpointKey.exportSeed()),
      origin: ORIGIN,
    });
    bundleText = JSON.stringify(bundle, null, 2);
    bundlePath = file('bundle.json', bundleText);
  });
  afterAll(() => {
    ledger.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('verifies a bundle from a real ledger database: exit 0, a ✓ line per entry and a verdict', () => {
    const r = run([bundlePath, '--checkpoint-key', vkey, '--authority-key', authority, '--origin', ORIGIN]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`Provenance bundle of ${pack(1)}`);
    const origin = ORIGIN.replaceAll('.', '\\.');
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^✓ checkpoint: signed by ${origin}: origin ${origin}, tree size 9, root [0-9a-f]{64}$`),
      ),
    );
    const start = lines.indexOf(`Timeline of ${pack(1)}`) + 1;
    const timeline = lines.slice(start, start + 8);
    expect(timeline.map((l) => l.slice(0, 9).trim())).toEqual([
      '✓      1',
      '✓      2',
      '✓      3',
      '✓      4',
      '✓      5',
      '✓      6',
      '✓      7',
      '✓      8',
    ]);
    expect(timeline[0]).toMatch(
      /^✓ {6}1 {2}2026-06-01T10:00:01\+02:00 {2}COMMISSION {4}party 0614141000005 {2}site 0614141000005 {2}commissioned \(lot L, expiry 281231\)$/,
    );
    expect(timeline[2]).toContain(`shipped to ${GLN.distributor} via ${sscc(1)}`);
    expect(timeline[7]).toMatch(/DISPENSE +party 5009999000003 +site 5009999000003 +dispensed$/);
    expect(lines.filter((l) => l.startsWith('✗'))).toEqual([]);
    expect(lines.at(-2)).toMatch(
      /^✓ VERIFIED: all \d+ checks passed against verify-bundle\.test\.rxledger\.dev at tree size 9$/,
    );
  });

  it('takes the trust anchors from a credentials file and the bundle from standard input', () => {
    const credentials = file('credentials.json', {
      ledger: { checkpointKey: vkey, authorityPublicKey: authority },
    });
    const r = run(['-', '--credentials', credentials, '--json'], bundleText);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; timeline: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.timeline).toHaveLength(8);
  });

  it("checks the checkpoint's origin by default: from the credentials, else the key's name; --origin overrides", () => {
    // Signed with the trusted key, but the checkpoint of another log.
    const foreign = makeBundle(ledger.store, pack(1), {
      signer: ed25519Signer(ORIGIN, checkpointKey.exportSeed()),
      origin: 'elsewhere.example/log',
    });
    const foreignPath = file('foreign.json', foreign);
    const byKey = run([foreignPath, '--checkpoint-key', vkey, '--authority-key', authority]);
    expect(byKey.status).toBe(1);
    expect(byKey.stdout).toMatch(/^✗ checkpoint: .*elsewhere\.example\/log/m);

    const credentials = file('credentials-origin.json', {
      ledger: { checkpointKey: vkey, authorityPublicKey: authority, checkpointOrigin: ORIGIN },
    });
    expect(run([foreignPath, '--credentials', credentials]).status).toBe(1);
    expect(run([bundlePath, '--credentials', credentials]).status).toBe(0);
    const named = file('credentials-other-origin.json', {
      ledger: {
        checkpointKey: vkey,
        authorityPublicKey: authority,
        checkpointOrigin: 'elsewhere.example/log',
      },
    });
    expect(run([foreignPath, '--credentials', named]).status).toBe(0);
    expect(run([bundlePath, '--credentials', named]).status).toBe(1);

    const told = run([foreignPath, '--credentials', credentials, '--origin', 'elsewhere.example/log']);
    expect(told.stderr).toBe('');
    expect(told.status).toBe(0);
  });

  it('fails a tampered bundle: exit 1, ✗ on the tampered entry and the verdict', () => {
    const bundle = JSON.parse(bundleText) as { entries: { index: number; leaf: string }[] };
    const leaf = fromBase64(bundle.entries[3]!.leaf);
    leaf[leaf.length - 40]! ^= 0x01;
    bundle.entries[3]!.leaf = toBase64(leaf);
    const r = run([file('tampered.json', bundle), '--checkpoint-key', vkey, '--authority-key', authority]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.some((l) => /^✗ {6}4 {2}/.test(l))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^ +✗ entry inclusion: inclusion proof for index 4 /));
    expect(lines.at(-2)).toMatch(/^✗ NOT VERIFIED: \d+ of \d+ checks failed/);
  });

  it('fails a bundle checked against another ledger key, and text that is not JSON: exit 1', () => {
    const other = formatVerifierKey(ORIGIN, SigningKey.generate().verifyingKey.bytes);
    const wrongKey = run([bundlePath, '--checkpoint-key', other, '--authority-key', authority]);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stdout).toMatch(/^✗ checkpoint: note has no signature by a trusted key/m);
    const notJson = run(['-', '--checkpoint-key', vkey, '--authority-key', authority], '{"item": ');
    expect(notJson.status).toBe(1);
    expect(notJson.stdout).toMatch(/^✗ bundle shape: bundle: not JSON/m);
  });

  it('answers usage and I/O errors with exit 2 and a message naming the flag or the problem', () => {
    const cases: Array<[string[], RegExp]> = [
      [[bundlePath, '--authority-key', authority], /--checkpoint-key is required/],
      [[bundlePath, '--checkpoint-key', vkey], /--authority-key is required/],
      [
        [bundlePath, '--checkpoint-key', 'nonsense', '--authority-key', authority],
        /--checkpoint-key: verifier key: expected/,
      ],
      [
        [bundlePath, '--checkpoint-key', vkey, '--authority-key', 'AAAA'],
        /--authority-key: an Ed25519 public key is 32 bytes, got 3 bytes/,
      ],
      [
        ['--checkpoint-key', vkey, '--authority-key', authority],
        /give the bundle file, or - for standard input/,
      ],
      [
        [join(scratch, 'missing.json'), '--checkpoint-key', vkey, '--authority-key', authority],
        /cannot read bundle file .*missing\.json: ENOENT/,
      ],
      [
        [bundlePath, '--credentials', join(scratch, 'none.json')],
        /cannot read --credentials file .*none\.json: ENOENT/,
      ],
      [
        [bundlePath, '--credentials', file('bad-credentials.json', { ledger: {} })],
        /--checkpoint-key is required/,
      ],
      [
        [
          bundlePath,
          '--credentials',
          file('short-key.json', { ledger: { checkpointKey: vkey, authorityPublicKey: 'AAAA' } }),
        ],
        /ledger\.authorityPublicKey of .*short-key\.json: an Ed25519 public key is 32 bytes/,
      ],
      [[bundlePath, '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});
