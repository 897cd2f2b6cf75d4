import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createProgress, type Progress, type ProgressStream } from '@rxledger/runtime';
import { auditLedger } from '../audit/audit-ledger.ts';
import { CHECKPOINT_VKEY_META } from '../node/checkpointer.ts';
import { openLedgerDb } from '../store/ledger-db.ts';
import { LedgerStore } from '../store/ledger-store.ts';

export const AUDIT_USAGE = `rxledger audit [--data-dir DIR | --db FILE] [--checkpoint-key VKEY | --credentials FILE]

Recomputes every leaf hash, per-item link, Merkle tree node and checkpoint root of a ledger node's
database from its stored leaves, checks every stored checkpoint's signature, and reports the first
entry that does not match.
  --data-dir DIR        the node's DATA_DIR (default data/ledger); the database is DIR/ledger.sqlite
  --db FILE             the database file itself
  --checkpoint-key VKEY the node's checkpoint verifier key (C2SP vkey) to check signatures with
  --credentials FILE    take that key from a credentials file (ledger.checkpointKey)
Without either, the key the node recorded in its own database is used (it proves the notes are
intact, not who signed them: give the key you trust to prove that).
Exit status: 0 when everything matches, 1 on the first mismatch, 2 on a usage or I/O error.`;

/** `rxledger audit`: returns the exit status. Progress goes to `progressStream` (a bar in a terminal). */
export function auditCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  progressStream: ProgressStream = process.stderr,
): number {
  let values: {
    'data-dir'?: string;
    db?: string;
    'checkpoint-key'?: string;
    credentials?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        db: { type: 'string' },
        'checkpoint-key': { type: 'string' },
        credentials: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    err(`rxledger audit: ${(e as Error).message}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  if (values.help) {
    out(AUDIT_USAGE);
    return 0;
  }
  const file = values.db ?? join(values['data-dir'] ?? 'data/ledger', 'ledger.sqlite');
  if (!existsSync(file)) {
    err(`rxledger audit: no ledger database at ${file}`);
    return 2;
  }
  let given: string | undefined;
  try {
    given = values['checkpoint-key'] ?? (values.credentials && credentialsKey(values.credentials));
  } catch (e) {
    err(`rxledger audit: --credentials ${values.credentials}: ${(e as Error).message}`);
    return 2;
  }
  const db = openLedgerDb(file, { readonly: true });
  try {
    const store = new LedgerStore(db);
    const key = given ?? store.meta(CHECKPOINT_VKEY_META);
    if (key === undefined) err('audit: no checkpoint key given or recorded: signatures are not checked');
    const started = Date.now();
    let progress: Progress | undefined;
    const onProgress = (seq: number, size: number) => {
      progress ??= createProgress({ label: 'audit leaves', total: size, stream: progressStream });
      progress.set(seq);
    };
    let report: ReturnType<typeof auditLedger>;
    try {
      report = auditLedger(store, onProgress, key);
    } catch (e) {
      progress?.finish('stopped');
      err(`rxledger audit: checkpoint key: ${(e as Error).message}`);
      return 2;
    }
    progress?.set(report.leaves);
    progress?.finish(report.finding ? 'stopped at a mismatch' : undefined);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (report.finding) {
      const f = report.finding;
      out(
        `MISMATCH at ${f.what === 'checkpoint' ? 'checkpoint of size' : 'leaf'} ${f.seq} (${f.what}): ${f.message}`,
      );
      return 1;
    }
    out(
      `ok: ${report.leaves} leaves, ${report.treeNodes} tree nodes and ${report.checkpoints} checkpoints match${key ? ', every checkpoint signed by ' + key.split('+')[0] : ''} (${seconds} s)`,
    );
    return 0;
  } finally {
    db.close();
  }
}

/** The ledger's checkpoint key in a credentials file (DESIGN §7: ledger.checkpointKey). */
function credentialsKey(path: string): string {
  const key = (JSON.parse(readFileSync(path, 'utf8')) as { ledger?: { checkpointKey?: unknown } }).ledger
    ?.checkpointKey;
  if (typeof key !== 'string') throw new Error('has no ledger.checkpointKey');
  return key;
}
