import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditLedger } from '../audit/audit-ledger.ts';
import { openLedgerDb } from '../store/ledger-db.ts';
import { LedgerStore } from '../store/ledger-store.ts';

export const AUDIT_USAGE = `rxledger audit [--data-dir DIR | --db FILE]

Recomputes every leaf hash, per-item link, Merkle tree node and checkpoint root of a ledger node's
database from its stored leaves, and reports the first entry that does not match.
  --data-dir DIR   the node's DATA_DIR (default data/ledger); the database is DIR/ledger.sqlite
  --db FILE        the database file itself
Exit status: 0 when everything matches, 1 on the first mismatch, 2 on a usage or I/O error.`;

/** `rxledger audit`: returns the exit status. */
export function auditCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  let values: { 'data-dir'?: string; db?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        db: { type: 'string' },
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
  const db = openLedgerDb(file, { readonly: true });
  try {
    const started = Date.now();
    const report = auditLedger(new LedgerStore(db), (seq, size) => err(`audit: ${seq} of ${size} leaves`));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (report.finding) {
      const f = report.finding;
      out(
        `MISMATCH at ${f.what === 'checkpoint' ? 'checkpoint of size' : 'leaf'} ${f.seq} (${f.what}): ${f.message}`,
      );
      return 1;
    }
    out(
      `ok: ${report.leaves} leaves, ${report.treeNodes} tree nodes and ${report.checkpoints} checkpoints match (${seconds} s)`,
    );
    return 0;
  } finally {
    db.close();
  }
}
