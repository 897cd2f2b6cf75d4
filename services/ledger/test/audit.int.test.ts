import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CustodyEvent,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  encodeLedgerEntry,
  SigningKey,
} from '@rxledger/events';
import { ed25519Signer, leafHash } from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger } from '../src/audit/audit-ledger.ts';
import { createCheckpointer } from '../src/node/checkpointer.ts';
import { openLedgerDb } from '../src/store/ledger-db.ts';
import { LedgerStore } from '../src/store/ledger-store.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, sscc, TestChain } from './support/test-chain.ts';

const cli = fileURLToPath(new URL('../bin/rxledger.mjs', import.meta.url));

describe('rxledger audit', () => {
  const chain = new TestChain();
  const ledger = tempLedger(chain.authority.verifyingKey);
  const scratch = mkdtempSync(join(tmpdir(), 'rxledger-audit-'));
  let copies = 0;

  beforeAll(() => {
    const records = [chain.record(chain.sign(chain.genesis(), chain.authority))];
    for (let i = 0; i < 150; i++) {
      records.push(
        chain.event(chain.maker, {
          type: 'COMMISSION',
          items: [pack(i), sscc(i % 10)],
          lot: 'L',
          expiry: '281231',
        } as never),
      );
    }
    for (let i = 0; i < 150; i += 2) {
      records.push(
        chain.event(chain.maker, { type: 'SHIP', items: [pack(i)], to: GLN.distributor } as never),
      );
    }
    const checkpointer = createCheckpointer({
      store: ledger.store,
      origin: 'audit.test',
      signer: ed25519Signer('audit.test', SigningKey.generate().exportSeed()),
      current: () => ({ size: ledger.folder.size, root: ledger.folder.root() }),
    });
    for (let i = 0; i < records.length; i += 50) {
      ledger.folder.fold(records.slice(i, i + 50));
      checkpointer.checkpointNow();
    }
    // Flush the WAL into the main file so that copies of the file carry everything.
    ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  });
  afterAll(() => {
    ledger.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A copy of the ledger database that a test may damage. */
  function damaged(corrupt: (db: ReturnType<typeof openLedgerDb>) => void) {
    const file = join(scratch, `copy-${copies++}.sqlite`);
    copyFileSync(ledger.path, file);
    const db = openLedgerDb(file);
    corrupt(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { file, store: new LedgerStore(db), close: () => db.close() };
  }

  const flipByte = (blob: Buffer, at: number) => {
    const copy = Buffer.from(blob);
    copy[at]! ^= 1 << (at % 8);
    return copy;
  };

  it('finds nothing wrong with an intact ledger', () => {
    const report = auditLedger(ledger.store);
    expect(report.finding).toBeUndefined();
    expect(report.leaves).toBe(226);
    expect(report.checkpoints).toBe(ledger.store.checkpointSizes().length);
    expect(report.treeNodes).toBe(226 - 4); // a tree of n leaves has n - popcount(n) inner complete nodes
  });

  it('finds one flipped bit anywhere in any leaf, at that leaf', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 25; trial++) {
      const seq = Math.floor(random() * 226);
      const copy = damaged((db) => {
        const { leaf } = db.prepare('SELECT leaf FROM leaves WHERE seq = ?').get(seq) as { leaf: Buffer };
        db.prepare('UPDATE leaves SET leaf = ? WHERE seq = ?').run(
          flipByte(leaf, Math.floor(random() * leaf.length)),
          seq,
        );
      });
      try {
        expect(auditLedger(copy.store).finding, `trial ${trial}, leaf ${seq}`).toMatchObject({ seq });
      } finally {
        copy.close();
      }
    }
  });

  it('finds a flipped stored leaf hash, tree node and checkpoint root', () => {
    const cases: Array<[string, (db: ReturnType<typeof openLedgerDb>) => void, object]> = [
      [
        'leaf hash',
        (db) => {
          const { hash } = db.prepare('SELECT hash FROM leaves WHERE seq = 99').get() as { hash: Buffer };
          db.prepare('UPDATE leaves SET hash = ? WHERE seq = 99').run(flipByte(hash, 5));
        },
        { seq: 99, what: 'leaf-hash' },
      ],
      [
        'tree node',
        (db) => {
          const { hash } = db.prepare('SELECT hash FROM tree WHERE level = 3 AND idx = 4').get() as {
            hash: Buffer;
          };
          db.prepare('UPDATE tree SET hash = ? WHERE level = 3 AND idx = 4').run(flipByte(hash, 31));
        },
        { seq: 39, what: 'tree-node' },
      ],
      [
        'checkpoint root',
        (db) => {
          const { root } = db.prepare('SELECT root FROM checkpoints WHERE size = 100').get() as {
            root: Buffer;
          };
          db.prepare('UPDATE checkpoints SET root = ? WHERE size = 100').run(flipByte(root, 0));
        },
        { seq: 100, what: 'checkpoint' },
      ],
    ];
    for (const [name, corrupt, expected] of cases) {
      const copy = damaged(corrupt);
      try {
        expect(auditLedger(copy.store).finding, name).toMatchObject(expected);
      } finally {
        copy.close();
      }
    }
  });

  it('finds a leaf replaced by another accepted leaf', () => {
    const copy = damaged((db) => {
      const other = db.prepare('SELECT leaf, hash FROM leaves WHERE seq = 11').get() as {
        leaf: Buffer;
        hash: Buffer;
      };
      db.prepare('UPDATE leaves SET leaf = ?, hash = ? WHERE seq = 10').run(other.leaf, other.hash);
    });
    try {
      expect(auditLedger(copy.store).finding).toMatchObject({ seq: 10, what: 'leaf' });
    } finally {
      copy.close();
    }
  });

  it('finds a leaf rewritten consistently (same seq and links, a re-signed event, its true hash) by the tree', () => {
    const entry = decodeLedgerEntry(ledger.store.leaf(10)!.leaf);
    const event = decodeCustodyEvent(decodeSignedEvent(entry.signedEvent).event);
    const forged = encodeLedgerEntry({
      ...entry,
      signedEvent: chain.sign({ ...event, lot: 'FORGED' } as CustodyEvent, chain.maker),
    });
    const copy = damaged((db) => {
      db.prepare('UPDATE leaves SET leaf = ?, hash = ? WHERE seq = 10').run(forged, leafHash(forged));
    });
    try {
      expect(auditLedger(copy.store).finding).toMatchObject({ seq: 11, what: 'tree-node' });
    } finally {
      copy.close();
    }
  });

  it('as a command: exit 0 on an intact database, 1 and the leaf on a damaged one', () => {
    const ok = spawnSync(process.execPath, [cli, 'audit', '--db', ledger.path], { encoding: 'utf8' });
    expect(ok.stdout).toMatch(/^ok: 226 leaves/);
    // Not a terminal: plain progress lines on stderr, no carriage returns, and the summary line.
    expect(ok.stderr).not.toContain('\r');
    expect(ok.stderr).toMatch(/^audit leaves: 226 in \d+\.\d s \([\d,]+\/s\)$/m);
    const copy = damaged((db) => {
      const { leaf } = db.prepare('SELECT leaf FROM leaves WHERE seq = 200').get() as { leaf: Buffer };
      db.prepare('UPDATE leaves SET leaf = ? WHERE seq = 200').run(flipByte(leaf, 40));
    });
    copy.close();
    let status = 0;
    let stdout = '';
    try {
      execFileSync(process.execPath, [cli, 'audit', '--db', copy.file], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stdout = (e as { stdout: string }).stdout;
    }
    expect(status).toBe(1);
    expect(stdout).toMatch(/^MISMATCH at leaf 200/);
  });
});
