import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePartnerConfig, readPartnerConfig } from '../src/partner-config.ts';
import { hashScannerKey } from '../src/scanner-auth.ts';

const hash = (s: string) => hashScannerKey(s);
const good = () => ({
  parties: [
    {
      gln: '4012345000009',
      name: 'Acme Pharma',
      keyFile: 'keys/acme.jwk',
      scanners: [{ site: '4012345000016', keyHash: hash('one') }],
    },
  ],
});

describe('partner config', () => {
  it('accepts a good file and resolves key files against its folder', () => {
    const config = parsePartnerConfig(good(), 'test.json', '/etc/rxledger');
    expect(config.parties[0]!.keyFile).toBe('/etc/rxledger/keys/acme.jwk');
    expect(
      parsePartnerConfig({ parties: [{ ...good().parties[0], keyFile: '/abs.jwk' }] }, 't', '/x').parties[0]!
        .keyFile,
    ).toBe('/abs.jwk');
  });

  it('names the JSON path and the rule of every problem', () => {
    const bad = {
      parties: [
        {
          gln: '4012345000001',
          name: ' ',
          keyFile: 'k',
          scanners: [{ site: '4012345000016', keyHash: 'abc', key: 'clear-text' }],
        },
        { gln: '4012345000009', name: 'B', keyFile: 'k', scanners: [] },
      ],
      extra: true,
    };
    let message = '';
    try {
      parsePartnerConfig(bad, 'PARTNER_CONFIG /x.json', '/');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^PARTNER_CONFIG \/x\.json: invalid partner configuration/);
    expect(message).toContain('parties[0].gln: must be a GLN-13 with a correct check digit');
    expect(message).toContain('parties[0].name: must not be empty');
    expect(message).toContain('parties[0].scanners[0].keyHash: must be "sha256:" followed by 64');
    expect(message).toMatch(/parties\[0\]\.scanners\[0\]: .*key/);
    expect(message).toContain('parties[1].scanners: must list at least one scanner');
    expect(message).toMatch(/\(document\): .*extra/);
    expect(message).not.toContain('clear-text');
  });

  it('refuses a party listed twice and a scanner key bound twice', () => {
    const party = good().parties[0]!;
    expect(() => parsePartnerConfig({ parties: [party, party] }, 'f', '/')).toThrow(
      /parties\[1\]\.gln: repeats parties\[0\]\.gln[\s\S]*parties\[1\]\.scanners\[0\]\.keyHash: repeats parties\[0\]\.scanners\[0\]\.keyHash/,
    );
  });

  it('stores scanner keys as "sha256:" and the hex SHA-256 of their bytes', () => {
    expect(hashScannerKey('abc')).toBe(
      'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('takes a nextKeyFile, resolved like keyFile, and refuses one that is the keyFile itself', () => {
    const party = { ...good().parties[0], nextKeyFile: 'keys/acme-2.jwk' };
    expect(parsePartnerConfig({ parties: [party] }, 'f', '/etc/rxledger').parties[0]!.nextKeyFile).toBe(
      '/etc/rxledger/keys/acme-2.jwk',
    );
    const same = { ...good().parties[0], nextKeyFile: '/etc/rxledger/keys/acme.jwk' };
    expect(() => parsePartnerConfig({ parties: [same] }, 'f', '/etc/rxledger')).toThrow(
      /parties\[0\]\.nextKeyFile: is the keyFile itself/,
    );
  });

  // A reload logs and shows the refusal: V8's parse message quotes the text around the fault,
  // which could be a ledger token typed without its quotes.
  it('says where a file is not JSON without quoting any of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'partner-config-'));
    try {
      const file = join(dir, 'p.json');
      for (const [text, where] of [
        ['{"parties": [{"ledgerToken": tok_SECRET}]}', 'an unexpected token'],
        ['{\n  "ledgerToken": "tok_SECRET" "x"\n}', 'at line 2, column 31'],
        ['', 'it ends too early or is empty'],
      ] as const) {
        await writeFile(file, text);
        const message = await readPartnerConfig(file).then(
          () => '',
          (err: Error) => err.message,
        );
        expect(message).toBe(`PARTNER_CONFIG: ${file} is not JSON (${where})`);
        expect(message).not.toContain('SECRET');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
