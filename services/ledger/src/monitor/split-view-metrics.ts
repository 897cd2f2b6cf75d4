import { Counter, Gauge, type Registry } from 'prom-client';

/** The split-view monitor's metrics, registered on `registry` (a node's /metrics, or the CLI's own). */
export function splitViewMetrics(registry: Registry) {
  const registers = [registry];
  return {
    inconsistencies: new Counter({
      name: 'split_view_inconsistencies_total',
      help: 'Pairs of signed checkpoints proven inconsistent, by failed check',
      labelNames: ['check'],
      registers,
    }),
    detected: new Gauge({
      name: 'split_view_detected',
      help: '1 once any split view was proven; never goes back to 0 while the process runs',
      registers,
    }),
    unusable: new Counter({
      name: 'split_view_unusable_checkpoints_total',
      help: 'Checkpoint notes that are no evidence (bad or untrusted signature, malformed, other log)',
      labelNames: ['code'],
      registers,
    }),
    fetchFailures: new Counter({
      name: 'split_view_fetch_failures_total',
      help: 'Checkpoint or proof fetches that failed; retried on the next poll',
      registers,
    }),
  };
}
