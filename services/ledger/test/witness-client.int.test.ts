import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  cosignatures,
  cosignatureSigner,
  ed25519Signer,
  leafHash,
  MemoryHashStore,
  parseAddCheckpointRequest,
  parseCosignatureVerifierKey,
  parseNote,
  signatureLine,
  signCheckpoint,
} from '@rxledger/tlog';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedgerDb } from '../src/store/ledger-db.ts';
import { CosignatureStore } from '../src/witness/cosignature-store.ts';
import { createWitnessClient } from '../src/witness/witness-client.ts';
import { parseWitnessList } from '../src/witness/witness-config.ts';
import { readWitnessOf } from '../src/witness/witness-key.ts';
import { waitFor } from './support/wait-for.ts';

// The witness client against a scripted witness over real HTTP and a real SQLite store: what it
// does with each kind of answer.
const ORIGIN = 'client.test.rxledger.dev/custody';
const logSigner = ed25519Signer(ORIGIN, new Uint8Array(32).fill(1));
const witness = cosignatureSigner('witness.test/scripted', new Uint8Array(32).fill(2));
const impostor = cosignatureSigner('witness.test/scripted', new Uint8Array(32).fill(3));

describe('the witness client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxledger-wclient-'));
  const db = openLedgerDb(join(dir, 'ledger.sqlite'));
  const cosigs = new CosignatureStore(db);
  const tree = new MemoryHashStore();
  tree.append(Array.from({ length: 6 }, (_, i) => leafHash(Uint8Array.of(i))));
  const note = signCheckpoint({ origin: ORIGIN, size: 6, root: tree.root(6) }, logSigner);
  const node = {
    latestCheckpoint: () => ({ size: 6, root: tree.root(6), note, signedAt: 0 }),
    hashReader: () => tree,
  };
  // The witness answers from this script, one entry per request, then repeats the last.
  const script: Array<(body: string) => [number, string]> = [
    () => [404, 'unknown log\n'],
    () => [200, signatureLine(impostor.cosign(parseNote(note).text, 1_800_000_000))],
    (body) => [
      200,
      signatureLine(
        witness.cosign(parseNote(parseAddCheckpointRequest(body).checkpoint).text, 1_800_000_001),
      ),
    ],
  ];
  const seen: string[] = [];
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: 'debug' }, { write: (l: string) => lines.push(JSON.parse(l)) });
  let server: Server;
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries a refusal and a bad answer, and keeps only a cosignature that verifies', async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(body);
        const [status, text] = script[Math.min(seen.length - 1, script.length - 1)]!(body);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const client = createWitnessClient({
      node,
      cosigs,
      witnesses: parseWitnessList(`http://127.0.0.1:${port} ${witness.vkey}`, 'RXLEDGER_WITNESSES'),
      log,
      pollMs: 20,
      baseDelayMs: 10,
      maxDelayMs: 20,
      refusedDelayMs: 20,
    });
    client.start();
    const cosigned = await waitFor('a stored cosignature', () => {
      const n = cosigs.cosigned(note);
      return n === note ? undefined : n;
    });
    await client.stop();

    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(`old 0\n\n${note}`);
    // The refusal was logged at error level with the witness's reason; the impostor's line never stored.
    expect(lines.filter((l) => l.level === 50)).toMatchObject([{ msg: expect.stringMatching(/refused/) }]);
    expect(JSON.stringify(lines)).toMatch(
      /404 the witness does not know this log \(origin not registered\): unknown log/,
    );
    expect(parseNote(cosigned).signatures.map((s) => s.name)).toEqual([ORIGIN, witness.name]);
    expect(cosignatures(cosigned, [parseCosignatureVerifierKey(witness.vkey)])).toMatchObject([
      { status: 'cosigned', timestamp: 1_800_000_001 },
    ]);
    expect(cosigs.latestSize(`${witness.name}+${witness.keyId.toString(16).padStart(8, '0')}`)).toBe(6);
  });

  it('creates a missing witness key file, owner-only, and reads the same key back', async () => {
    const peer = `${ORIGIN}+${logSigner.keyId.toString(16).padStart(8, '0')}+${Buffer.from([1, ...logSigner.publicKey]).toString('base64')}`;
    const keyFile = join(dir, 'keys', 'witness.jwk');
    const first = await readWitnessOf({ keyFile, name: 'node.test/witness', logs: peer });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const again = await readWitnessOf({ keyFile, name: 'node.test/witness', logs: peer });
    expect(again.signer.vkey).toBe(first.signer.vkey);
    expect(first.logs.map((l) => l.name)).toEqual([ORIGIN]);
    await expect(readWitnessOf({ keyFile, name: 'node.test/witness', logs: '' })).rejects.toThrow(
      /^WITNESS_LOGS: required/,
    );
  });
});
