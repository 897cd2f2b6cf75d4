import { Gauge, type Registry } from 'prom-client';
import type { CosignatureStore } from './cosignature-store.ts';
import type { WitnessEndpoint } from './witness-config.ts';

/**
 * Per witness, the largest checkpoint size it cosigned, read from the database at scrape time:
 * a witness that falls behind `ledger_tree_size` for long is down or refusing (its log says which).
 */
export function witnessMetrics(
  metrics: Registry,
  cosigs: CosignatureStore,
  witnesses: readonly WitnessEndpoint[],
): void {
  if (witnesses.length === 0) return;
  new Gauge({
    name: 'ledger_witness_cosigned_size',
    help: 'Largest checkpoint size each witness cosigned',
    labelNames: ['witness'],
    registers: [metrics],
    collect() {
      for (const w of witnesses) this.set({ witness: w.id }, cosigs.latestSize(w.id));
    },
  });
}
