// A tiles client nobody here wrote reads a real node: test/interop/tiles-client wraps Go's
// filippo.io/torchwood client over golang.org/x/mod/sumdb/tlog. It verifies the node's checkpoint
// with the node's C2SP vkey, recomputes the root from the hash tiles, reads every entry bundle (full
// and partial) against the level-0 hashes, proves one leaf's inclusion, and proves an earlier signed
// checkpoint (GET /v1/checkpoint?size=N) consistent with the latest.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNoteKey, toBase64, toHex } from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GLN, GTIN, ORIGIN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

const CLIENT_DIR = join(import.meta.dirname, 'interop', 'tiles-client');
// torchwood v0.10.0 wants Go 1.27: GOTOOLCHAIN=go1.27.3 lets an older go fetch that approved toolchain
// line through the Go module proxy (once per machine; the module cache keeps it).
const GO_ENV = { ...process.env, GOTOOLCHAIN: 'go1.27.3', GOFLAGS: '-buildvcs=false' };
const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
const hasGo = goVersion.status === 0;
if (!hasGo)
  console.log(
    `tiles interop skipped: no Go toolchain on PATH (${goVersion.error?.message ?? 'go version failed'})`,
  );

interface Verdict {
  ok: boolean;
  error?: string;
  origin?: string;
  size?: number;
  root?: string;
  tilesRoot?: string;
  entries?: number;
  index?: number;
  leafHash?: string;
  proof?: string[];
  earlier?: number;
}

describe.skipIf(!hasGo)('a third-party tlog-tiles client (Go, torchwood) reading a node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxledger-tiles-'));
  const client = join(dir, 'tiles-client');
  let sys: TestSystem;
  let earlier: number;

  // Asynchronously: the node answers from this very process, so a blocking spawn would starve it.
  const run = (...args: string[]) =>
    new Promise<Verdict>((resolve, reject) => {
      execFile(client, ['verify', ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as Verdict);
        } catch {
          reject(new Error(`tiles-client: ${err?.message ?? 'no verdict'}\n${stdout}${stderr}`));
        }
      });
    });
  const commissions = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'COMMISSION',
      items: [`(01)${GTIN}(21)T${from + i}`],
      lot: 'L1',
      expiry: '281231',
    }));
  /** Waits until the node has signed a checkpoint of its whole tree, of at least `size` leaves. */
  async function signedAtLeast(size: number): Promise<number> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const signed = sys.ledger.store.latestCheckpoint()?.size ?? 0;
      if (signed >= size && signed === sys.ledger.store.size()) return signed;
      if (Date.now() > deadline) throw new Error(`no checkpoint of ${size} leaves (signed ${signed})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    execFileSync('go', ['build', '-o', client, '.'], { cwd: CLIENT_DIR, env: GO_ENV, stdio: 'inherit' });
    sys = await startSystem(inject('kafkaBrokers'));
    await postAccepted(sys, GLN.maker, commissions(0, 150));
    earlier = await signedAtLeast(151);
    // More than one full tile (256 leaves) and a partial one.
    await postAccepted(sys, GLN.maker, commissions(150, 170));
    await signedAtLeast(321);
  }, 600_000);
  afterAll(async () => {
    await sys?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("verifies the checkpoint, the tiles' root, every entry, an inclusion proof and an earlier checkpoint", async () => {
    const latest = sys.ledger.store.latestCheckpoint()!;
    expect(latest.size).toBe(321);
    const inclusion = await fetch(`${sys.ledgerUrl}/v1/proofs/inclusion?index=300&size=321`);
    const verdict = await run(
      '-url',
      sys.ledgerUrl,
      '-vkey',
      sys.checkpointKey,
      '-index',
      '300',
      '-earlier',
      `${earlier}`,
    );
    expect(verdict).toEqual({
      ok: true,
      origin: ORIGIN,
      size: 321,
      root: toBase64(latest.root),
      tilesRoot: toBase64(latest.root),
      entries: 321,
      index: 300,
      leafHash: toHex(sys.ledger.store.leaf(300)!.hash),
      // The proof Go built from the tiles is the one the node's own JSON route gives.
      proof: ((await inclusion.json()) as { proof: string[] }).proof,
      earlier,
    });
  });

  it('refuses the checkpoint under another key of the same name', async () => {
    const other = generateNoteKey(ORIGIN).verifierKey;
    const verdict = await run('-url', sys.ledgerUrl, '-vkey', other, '-index', '0');
    expect(verdict.ok).toBe(false);
    expect(verdict.error).toMatch(/^verifying the checkpoint: /);
  });

  it('notices a tile altered on its way (a mirror or cache serving one wrong byte)', async () => {
    const proxy = await tamperingProxy(sys.ledgerUrl, '/tile/0/000');
    try {
      const verdict = await run('-url', proxy.url, '-vkey', sys.checkpointKey, '-index', '3');
      expect(verdict.ok).toBe(false);
      expect(verdict.error).toMatch(/tree hash from the tiles|entry bundles|inclusion/);
    } finally {
      await new Promise((r) => proxy.server.close(r));
    }
  });
});

/** An HTTP proxy to `target` that flips one bit of the response to `path` and passes the rest as is. */
async function tamperingProxy(target: string, path: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const upstream = await fetch(`${target}${req.url}`);
      const body = new Uint8Array(await upstream.arrayBuffer());
      if (req.url === path && body.length > 0) body[0]! ^= 1;
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? '' });
      res.end(body);
    })().catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}
