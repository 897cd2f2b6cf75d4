import { Counter, Gauge, type Registry } from 'prom-client';
import type { FoldResult } from '../fold/ledger-folder.ts';

/** The fold's metrics on the node's /metrics registry; the function returned counts one committed slice. */
export function foldMetrics(metrics: Registry): (result: FoldResult) => void {
  const records = new Counter({
    name: 'ledger_records_total',
    help: 'Records folded, by outcome',
    labelNames: ['outcome'],
    registers: [metrics],
  });
  const size = new Gauge({
    name: 'ledger_tree_size',
    help: 'Leaves in the Merkle log',
    registers: [metrics],
  });
  return (r) => {
    records.inc({ outcome: 'appended' }, r.appended);
    records.inc({ outcome: 'rejected' }, r.rejected);
    records.inc({ outcome: 'duplicate' }, r.duplicates);
    size.set(r.size);
  };
}
