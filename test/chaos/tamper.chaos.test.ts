// Issue 19, tamper: single bytes flipped at random (seeded) in a ledger database of a few hundred
// leaves: in leaves, stored leaf hashes, hash links inside leaves, Merkle tree nodes, checkpoint roots
// and stored checkpoint notes, each on a fresh copy of the file. `rxledger audit`, run as operators
// run it, must report every flip at the entry it damaged.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeLedgerEntry, SigningKey } from '@rxledger/events';
import { ed25519Signer, leafHash } from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpointer } from '../../services/ledger/src/node/checkpointer.ts';
import { type Db, openLedgerDb } from '../../services/ledger/src/store/ledger-db.ts';
import { tempLedger } from '../../services/ledger/test/support/temp-ledger.ts';
import { GLN, pack, sscc, TestChain } from '../../services/ledger/test/support/test-chain.ts';
import { type Flip, flipped, pick, randomFlip, seededRandom } from './support/flip-bytes.ts';

const CLI = fileURLToPath(new URL('../../services/ledger/bin/rxledger.mjs', import.meta.url));
const SEED = 19;

/** One flip of one byte in one stored value, and the entry audit must name for it. */
interface Tamper {
  kind: string;
  /** Where exactly, for the report: table, row, byte and mask. */
  where: string;
  apply(db: Db): void;
  /** What audit's MISMATCH line must start with, e.g. "leaf 12" or "checkpoint of size 50". */
  expected: string;
}

interface Outcome {
  tamper: Tamper;
  /** 'named' when audit reported the expected entry; otherwise what it did instead. */
  verdict: 'named' | 'wrong entry' | 'missed' | 'crashed';
  output: string;
}

describe('rxledger audit finds every flipped byte', () => {
  const fixture = ledgerFixture();

  it('builds a ledger of a few hundred leaves that audit finds intact', async () => {
    expect(fixture.leaves).toBeGreaterThanOrEqual(300);
    const result = await audit(fixture.path);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(new RegExp(`^ok: ${fixture.leaves} leaves`));
  });

  it('names the damaged entry for flips in leaves, leaf hashes, links, tree nodes and checkpoint roots', async () => {
    const { db, leaves } = fixture;
    const random = seededRandom(SEED);
    const tampers = [
      ...times(10, () => leafFlip(db, random, leaves)),
      ...times(8, () => leafHashFlip(db, random, leaves)),
      ...times(8, () => linkFlip(db, random, leaves, false)),
      ...times(8, () => linkFlip(db, random, leaves, true)),
      ...times(8, () => treeNodeFlip(db, random)),
      ...times(6, () => checkpointRootFlip(db, random)),
      ...times(6, () => noteRootFlip(db, random)),
    ];
    const outcomes = await runAll(tampers, fixture.path, fixture.scratch);
    report('tamper', outcomes);
    expect(failures(outcomes)).toEqual([]);
  });
});

describe('rxledger audit names the checkpoint whose note a flipped byte left unparseable', () => {
  const fixture = ledgerFixture();

  it('names the checkpoint for random flips in the size and root lines of its note', async () => {
    const random = seededRandom(SEED + 1);
    const tampers = times(8, () => checkpointNoteFlip(fixture.db, random, 'body'));
    const outcomes = await runAll(tampers, fixture.path, fixture.scratch);
    report('tamper (checkpoint note size and root lines)', outcomes);
    expect(failures(outcomes)).toEqual([]);
  });
});

describe('rxledger audit checks every stored checkpoint signature with the key the node recorded', () => {
  const fixture = ledgerFixture();

  it('names the checkpoint for flips in the origin line and the signature line of its note', async () => {
    const random = seededRandom(SEED + 2);
    const tampers = [
      ...times(4, () => checkpointNoteFlip(fixture.db, random, 'origin')),
      ...times(4, () => checkpointNoteFlip(fixture.db, random, 'signature')),
    ];
    const outcomes = await runAll(tampers, fixture.path, fixture.scratch);
    report('tamper (checkpoint note origin and signature lines)', outcomes);
    expect(failures(outcomes)).toEqual([]);
  });
});

/**
 * Folds the custody story into a fresh ledger database with a checkpoint every 25 records, as a node
 * does (its LedgerFolder and checkpointer), before the describe's tests; removes it after them.
 */
function ledgerFixture() {
  let ledger: ReturnType<typeof tempLedger> | undefined;
  const fixture = { path: '', db: undefined as unknown as Db, leaves: 0, scratch: '' };
  beforeAll(() => {
    const chain = new TestChain();
    ledger = tempLedger(chain.authority.verifyingKey);
    const l = ledger;
    fixture.scratch = mkdtempSync(join(tmpdir(), 'rxledger-tamper-'));
    const origin = 'tamper.chaos.test/custody';
    const checkpointer = createCheckpointer({
      store: l.store,
      origin,
      signer: ed25519Signer(origin, SigningKey.generate().exportSeed()),
      current: () => ({ size: l.folder.size, root: l.folder.root() }),
    });
    const records = custodyStory(chain);
    for (let i = 0; i < records.length; i += 25) {
      l.folder.fold(records.slice(i, i + 25));
      checkpointer.checkpointNow();
    }
    // Everything into the main file, so that a copy of the file is the whole database.
    l.db.pragma('wal_checkpoint(TRUNCATE)');
    Object.assign(fixture, { path: l.path, db: l.db, leaves: l.folder.size });
  });
  afterAll(() => {
    ledger?.close();
    if (fixture.scratch) rmSync(fixture.scratch, { recursive: true, force: true });
  });
  return fixture;
}

/**
 * A custody story over a few hundred leaves with long hash-link chains: packs commissioned two at a
 * time, cased, shipped to the distributor, received, uncased, sent on in fives to a pharmacy,
 * received there, and some dispensed.
 */
function custodyStory(chain: TestChain) {
  const records = [chain.record(chain.sign(chain.genesis(), chain.authority))];
  const event = (key: SigningKey, fields: object) => chain.event(key, fields as never);
  const cases = 16;
  for (let i = 0; i < cases * 10; i += 2) {
    records.push(
      event(chain.maker, { type: 'COMMISSION', items: [pack(i), pack(i + 1)], lot: 'L1', expiry: '281231' }),
    );
  }
  for (let c = 0; c < cases; c++) {
    const children = Array.from({ length: 10 }, (_, k) => pack(c * 10 + k));
    records.push(event(chain.maker, { type: 'COMMISSION', items: [sscc(c)], lot: 'L1', expiry: '281231' }));
    records.push(event(chain.maker, { type: 'AGGREGATE', parent: sscc(c), children }));
    records.push(event(chain.maker, { type: 'SHIP', items: [sscc(c)], to: GLN.distributor }));
    records.push(event(chain.distributor, { type: 'RECEIVE', items: [sscc(c)], from: GLN.maker }));
    records.push(event(chain.distributor, { type: 'DISAGGREGATE', parent: sscc(c), children: [] }));
  }
  for (let i = 0; i < cases * 10; i += 5) {
    const items = Array.from({ length: 5 }, (_, k) => pack(i + k));
    records.push(event(chain.distributor, { type: 'SHIP', items, to: GLN.pharmacy }));
    records.push(event(chain.pharmacy, { type: 'RECEIVE', items, from: GLN.distributor }));
  }
  for (let i = 0; i < cases * 10; i += 2)
    records.push(event(chain.pharmacy, { type: 'DISPENSE', items: [pack(i)] }));
  return records;
}

const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);
const mask = (f: Flip) => `0x${f.mask.toString(16).padStart(2, '0')}`;

function leafRow(db: Db, seq: number) {
  return db.prepare('SELECT leaf, hash FROM leaves WHERE seq = ?').get(seq) as { leaf: Buffer; hash: Buffer };
}

function leafFlip(db: Db, random: () => number, leaves: number): Tamper {
  const seq = pick(random, leaves);
  const { leaf } = leafRow(db, seq);
  const flip = randomFlip(random, 0, leaf.length);
  return {
    kind: 'leaf',
    where: `leaves[${seq}].leaf byte ${flip.at} of ${leaf.length} ^ ${mask(flip)}`,
    apply: (copy) => copy.prepare('UPDATE leaves SET leaf = ? WHERE seq = ?').run(flipped(leaf, flip), seq),
    expected: `leaf ${seq} `,
  };
}

function leafHashFlip(db: Db, random: () => number, leaves: number): Tamper {
  const seq = pick(random, leaves);
  const { hash } = leafRow(db, seq);
  const flip = randomFlip(random, 0, hash.length);
  return {
    kind: 'leaf hash',
    where: `leaves[${seq}].hash byte ${flip.at} ^ ${mask(flip)}`,
    apply: (copy) => copy.prepare('UPDATE leaves SET hash = ? WHERE seq = ?').run(flipped(hash, flip), seq),
    expected: `leaf ${seq} (leaf-hash)`,
  };
}

/**
 * A byte inside one hash link of a leaf. `rehash` also stores the damaged leaf's true hash, as a forger
 * who knows the format would, so that only the link check (and the tree above) can catch it.
 */
function linkFlip(db: Db, random: () => number, leaves: number, rehash: boolean): Tamper {
  for (;;) {
    const seq = pick(random, leaves);
    const { leaf } = leafRow(db, seq);
    const links = decodeLedgerEntry(leaf).links.filter((l): l is Uint8Array => l !== null);
    if (links.length === 0) continue;
    const link = links[pick(random, links.length)]!;
    const start = leaf.indexOf(Buffer.from(link));
    const flip = randomFlip(random, start, start + link.length);
    const damaged = flipped(leaf, flip);
    return {
      kind: rehash ? 'link, leaf re-hashed' : 'link',
      where: `leaves[${seq}].leaf link byte ${flip.at} ^ ${mask(flip)}${rehash ? ', hash recomputed' : ''}`,
      apply: (copy) =>
        rehash
          ? copy
              .prepare('UPDATE leaves SET leaf = ?, hash = ? WHERE seq = ?')
              .run(damaged, leafHash(damaged), seq)
          : copy.prepare('UPDATE leaves SET leaf = ? WHERE seq = ?').run(damaged, seq),
      expected: rehash ? `leaf ${seq} (links)` : `leaf ${seq} (leaf-hash)`,
    };
  }
}

/** Node (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level); audit meets it at the last. */
function treeNodeFlip(db: Db, random: () => number): Tamper {
  const nodes = db.prepare('SELECT level, idx, hash FROM tree ORDER BY level, idx').all() as Array<{
    level: number;
    idx: number;
    hash: Buffer;
  }>;
  const { level, idx, hash } = nodes[pick(random, nodes.length)]!;
  const flip = randomFlip(random, 0, hash.length);
  return {
    kind: 'tree node',
    where: `tree(${level}, ${idx}).hash byte ${flip.at} ^ ${mask(flip)}`,
    apply: (copy) =>
      copy
        .prepare('UPDATE tree SET hash = ? WHERE level = ? AND idx = ?')
        .run(flipped(hash, flip), level, idx),
    expected: `leaf ${(idx + 1) * 2 ** level - 1} (tree-node)`,
  };
}

function checkpointRow(db: Db, random: () => number) {
  const rows = db.prepare('SELECT size, root, note FROM checkpoints ORDER BY size').all() as Array<{
    size: number;
    root: Buffer;
    note: string;
  }>;
  return rows[pick(random, rows.length)]!;
}

function checkpointRootFlip(db: Db, random: () => number): Tamper {
  const { size, root } = checkpointRow(db, random);
  const flip = randomFlip(random, 0, root.length);
  return {
    kind: 'checkpoint root',
    where: `checkpoints[${size}].root byte ${flip.at} ^ ${mask(flip)}`,
    apply: (copy) =>
      copy.prepare('UPDATE checkpoints SET root = ? WHERE size = ?').run(flipped(root, flip), size),
    expected: `checkpoint of size ${size} `,
  };
}

/**
 * A byte of a stored C2SP signed note: `body` is its size and root lines, `origin` its first line,
 * `signature` the line after the blank one. The damaged bytes are stored as TEXT, as a flip on disk
 * leaves them, valid UTF-8 or not.
 */
function checkpointNoteFlip(db: Db, random: () => number, part: 'origin' | 'body' | 'signature'): Tamper {
  const { size, note } = checkpointRow(db, random);
  const bytes = Buffer.from(note, 'utf8');
  const originEnd = bytes.indexOf('\n');
  const bodyEnd = bytes.indexOf('\n\n') + 1;
  const [from, to] =
    part === 'origin'
      ? [0, originEnd]
      : part === 'body'
        ? [originEnd + 1, bodyEnd]
        : [bodyEnd + 1, bytes.length];
  const flip = randomFlip(random, from, to);
  return {
    kind: `checkpoint note (${part})`,
    where: `checkpoints[${size}].note byte ${flip.at} of ${bytes.length} (${JSON.stringify(String.fromCharCode(bytes[flip.at]!))}) ^ ${mask(flip)}`,
    apply: (copy) =>
      copy
        .prepare('UPDATE checkpoints SET note = CAST(? AS TEXT) WHERE size = ?')
        .run(flipped(bytes, flip), size),
    expected: `checkpoint of size ${size} `,
  };
}

/**
 * A byte of the root hash inside a stored note, re-encoded so that the note still parses: what a forger
 * who rewrites a checkpoint to match a rewritten tree would store.
 */
function noteRootFlip(db: Db, random: () => number): Tamper {
  const { size, note } = checkpointRow(db, random);
  const lines = note.split('\n');
  const root = Buffer.from(lines[2]!, 'base64');
  const flip = randomFlip(random, 0, root.length);
  lines[2] = flipped(root, flip).toString('base64');
  const damaged = lines.join('\n');
  return {
    kind: 'checkpoint note root (re-encoded)',
    where: `checkpoints[${size}].note root byte ${flip.at} ^ ${mask(flip)}`,
    apply: (copy) => copy.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run(damaged, size),
    expected: `checkpoint of size ${size} `,
  };
}

async function audit(file: string): Promise<{ status: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'audit', '--db', file], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: 0, output: stdout.trim() };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message;
    return { status: typeof e.code === 'number' ? e.code : -1, output };
  }
}

/** Applies each tamper to its own copy of `source`, audits it with the CLI (two at a time), judges. */
async function runAll(tampers: Tamper[], source: string, scratch: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tampers.length) {
      const n = next++;
      const tamper = tampers[n]!;
      const file = join(scratch, `copy-${n}.sqlite`);
      copyFileSync(source, file);
      const db = openLedgerDb(file);
      try {
        tamper.apply(db);
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      const { status, output } = await audit(file);
      rmSync(file, { force: true });
      outcomes[n] = { tamper, verdict: judge(status, output, tamper.expected), output };
    }
  };
  await Promise.all([worker(), worker()]);
  return outcomes;
}

function judge(status: number, output: string, expected: string): Outcome['verdict'] {
  if (status === 0) return 'missed';
  const line = /^MISMATCH at (.*)$/m.exec(output)?.[1];
  if (status !== 1 || line === undefined) return 'crashed';
  return line.startsWith(expected) ? 'named' : 'wrong entry';
}

function failures(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.verdict !== 'named')
    .map(
      (o) =>
        `${o.verdict}: ${o.tamper.where}, expected "${o.tamper.expected.trim()}", got: ${gist(o.output)}`,
    );
}

/** The audit's answer without its progress lines: the MISMATCH or ok line, or the error it threw. */
function gist(output: string): string {
  const lines = output.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('audit: '));
  const thrown = lines.find((l) => /^\w*Error\b/.test(l));
  return thrown ?? lines.slice(0, 2).join(' | ');
}

function report(title: string, outcomes: Outcome[]): void {
  const kinds = [...new Set(outcomes.map((o) => o.tamper.kind))].map((kind) => {
    const of = outcomes.filter((o) => o.tamper.kind === kind);
    return `${kind} ${of.filter((o) => o.verdict === 'named').length}/${of.length}`;
  });
  const named = outcomes.filter((o) => o.verdict === 'named').length;
  const missed = outcomes.filter((o) => o.verdict === 'missed').length;
  console.log(
    `${title}: ${outcomes.length} flips, ${named} reported at the right entry, ${missed} missed, ` +
      `${outcomes.length - named - missed} misreported or crashed (${kinds.join(', ')})`,
  );
}
