// What `npm start` writes for its demo parties: keys and tokens per party, the ledger's tokens file
// (hashes only), each partner service's config and the client's credentials.json.

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPartnerConfig } from '@rxledger/gateway';
import { tokenFileSchema, tokenHash } from '@rxledger/ledger';
import { cosignatureSigner, parseVerifierKey } from '@rxledger/tlog';
import { credentialWitnessPolicy } from '@rxledger/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_LOG_ORIGIN,
  ensureDemoIdentities,
  writeCredentials,
  writeLedgerTokens,
  writePartnerConfigs,
} from '../infra/demo/demo-setup.ts';

const URLS = {
  ledger: 'http://127.0.0.1:7100',
  manufacturer: 'http://127.0.0.1:7101',
  distributor: 'http://127.0.0.1:7102',
  pharmacy: 'http://127.0.0.1:7103',
};
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('demo setup', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rxledger-demo-setup-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('gives each party its own ledger token and writes the ledger only their hashes, one party each', async () => {
    const identities = await ensureDemoIdentities(dataDir);
    const tokensFile = await writeLedgerTokens(dataDir, identities);
    const text = await readFile(tokensFile, 'utf8');
    const parsed = tokenFileSchema.safeParse(JSON.parse(text));
    expect(parsed.error?.issues ?? []).toEqual([]);
    const byHash = new Map(parsed.data!.tokens.map((t) => [t.hash, t]));

    const tokens = [
      identities.regulatorToken,
      ...Object.values(identities.pharmacistTokens),
      ...identities.parties.map((p) => p.ledgerToken),
    ];
    for (const token of tokens) expect(text).not.toContain(token);
    expect(new Set(identities.parties.map((p) => p.ledgerToken)).size).toBe(identities.parties.length);

    const configs = await writePartnerConfigs(dataDir, identities);
    for (const path of Object.values(configs)) {
      expect(await mode(path)).toBe(0o600);
      for (const party of (await readPartnerConfig(path)).parties) {
        expect(byHash.get(tokenHash(party.ledgerToken!))).toMatchObject({
          role: 'partner',
          glns: [party.gln],
        });
        expect(await mode(party.keyFile)).toBe(0o600);
      }
    }
    expect(await mode(tokensFile)).toBe(0o600);
  });

  it("writes credentials.json with the ledger's checkpoint origin beside its key", async () => {
    const identities = await ensureDemoIdentities(dataDir);
    const path = await writeCredentials(dataDir, identities, URLS);
    expect(await mode(path)).toBe(0o600);
    const { ledger, services } = JSON.parse(await readFile(path, 'utf8'));
    expect(ledger.checkpointOrigin).toBe(DEMO_LOG_ORIGIN);
    expect(parseVerifierKey(ledger.checkpointKey).name).toBe(DEMO_LOG_ORIGIN);
    // Each party's ledger token, so a partner system can ask the ledger about its own events.
    const written = Object.values(
      services as Record<string, { parties: Array<{ gln: string; ledgerToken: string }> }>,
    )
      .flatMap((s) => s.parties)
      .map((p) => [p.gln, p.ledgerToken]);
    expect(written).toEqual(expect.arrayContaining(identities.parties.map((p) => [p.gln, p.ledgerToken])));
    expect(written).toHaveLength(identities.parties.length);
    expect(ledger.witnessPolicy).toBeUndefined();
  });

  it('writes the witness policy the ledger is configured with: every witness required', async () => {
    const identities = await ensureDemoIdentities(dataDir);
    const keys = ['w1', 'w2'].map(
      (n) => cosignatureSigner(`witness.test/${n}`, new Uint8Array(32).fill(7)).vkey,
    );
    const path = await writeCredentials(dataDir, identities, URLS, keys);
    const { ledger } = JSON.parse(await readFile(path, 'utf8'));
    expect(ledger.witnessPolicy).toEqual({ quorum: 2, keys });
    expect(credentialWitnessPolicy({ ledger }, path)).toEqual({ quorum: 2, keys });
  });

  it('moves identities written with one token per service to one token per party, keeping every key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxledger-demo-old-'));
    try {
      const current = await ensureDemoIdentities(dir);
      const { parties, ...rest } = current;
      const old = {
        ...rest,
        partnerTokens: { manufacturer: 'rxt_a', distributor: 'rxt_b', pharmacy: 'rxt_c' },
        parties: parties.map(({ ledgerToken: _, ...p }) => p),
      };
      await writeFile(join(dir, 'demo', 'identities.json'), JSON.stringify(old), { mode: 0o600 });
      const moved = await ensureDemoIdentities(dir);
      expect(moved).not.toHaveProperty('partnerTokens');
      expect(moved.parties.map((p) => p.keyFile)).toEqual(parties.map((p) => p.keyFile));
      expect(moved.regulatorToken).toBe(current.regulatorToken);
      for (const p of moved.parties) expect(p.ledgerToken).toMatch(/^rxt_/);
      expect(await ensureDemoIdentities(dir)).toEqual(moved);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
