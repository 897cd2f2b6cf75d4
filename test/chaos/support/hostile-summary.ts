// Tallies every catalogue row tried and prints the run's table: per surface how many inputs were
// tried, passed and failed, each failing row with the answer it actually got, then the steady verify
// stream's latencies and what the run saw of process exits and 5xx answers.
import type { ServiceExit } from './hostile-system.ts';
import { quantile, type VerifyStreamResult } from './hostile-verify-stream.ts';

export interface RowResult {
  surface: string;
  name: string;
  /** Undefined when the row passed; else why not, with the actual answer. */
  failure?: string;
  /** When the row ran (epoch ms), to find the rows during which the verify stream stalled. */
  start: number;
  end: number;
}

export class Tally {
  readonly rows: RowResult[] = [];

  add(result: RowResult): void {
    this.rows.push(result);
  }

  /** The summary table as text. */
  table(run: { stream?: VerifyStreamResult; exits: ServiceExit[]; fiveHundreds: string[] }): string {
    const surfaces = [...new Set(this.rows.map((r) => r.surface))];
    const lines = [
      '',
      'hostile inputs',
      `${'surface'.padEnd(14)} ${'tried'.padStart(6)} ${'passed'.padStart(6)} ${'failed'.padStart(6)}`,
    ];
    for (const s of surfaces) {
      const rows = this.rows.filter((r) => r.surface === s);
      const failed = rows.filter((r) => r.failure !== undefined).length;
      lines.push(
        `${s.padEnd(14)} ${String(rows.length).padStart(6)} ${String(rows.length - failed).padStart(6)} ${String(failed).padStart(6)}`,
      );
    }
    const failed = this.rows.filter((r) => r.failure !== undefined);
    lines.push(
      `${'all'.padEnd(14)} ${String(this.rows.length).padStart(6)} ${String(this.rows.length - failed.length).padStart(6)} ${String(failed.length).padStart(6)}`,
    );
    if (failed.length > 0) {
      lines.push('', 'failing rows (actual answer):');
      for (const r of failed) lines.push(`  FAIL [${r.surface}] ${r.name}: ${r.failure}`);
    }
    const s = run.stream;
    if (s) {
      lines.push(
        '',
        `steady verify stream: ${s.sent} sent, ${s.latencies.length} answered, statuses ${JSON.stringify(s.statuses)}, ` +
          `p50 ${quantile(s.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(s.latencies, 0.99).toFixed(1)} ms, max ${Math.max(...s.latencies).toFixed(1)} ms`,
        `  warm-up (the first ${s.warmup.sent} requests to the fresh processes, not counted above): max ${s.warmup.maxMs.toFixed(1)} ms`,
        `  idle baseline (next ${s.baseline} answers, before any hostile input): p50 ${quantile(s.latencies.slice(0, s.baseline), 0.5).toFixed(1)} ms, p99 ${quantile(s.latencies.slice(0, s.baseline), 0.99).toFixed(1)} ms`,
      );
    }
    if (s) lines.push(...this.#stalls(s));
    lines.push(`process exits: ${run.exits.length ? JSON.stringify(run.exits) : 0}`);
    lines.push(
      `answers >= 500: ${run.fiveHundreds.length}${run.fiveHundreds.length ? ` (${run.fiveHundreds.slice(0, 10).join('; ')})` : ''}`,
    );
    return lines.join('\n');
  }

  // The rows during which a verify sent took longer than the bound: where a fixer should look first.
  #stalls(s: VerifyStreamResult): string[] {
    const worst = this.rows
      .map((r) => {
        let max = 0;
        s.latencies.forEach((ms, i) => {
          const sent = s.sentAt[i]!;
          if (sent >= r.start && sent <= r.end) max = Math.max(max, ms);
        });
        return { r, max };
      })
      .filter((x) => x.max > VERIFY_P99_MS)
      .sort((a, b) => b.max - a.max)
      .slice(0, 15);
    if (worst.length === 0) return [];
    return [
      'rows during which a verify took longer than the bound (slowest verify sent while the row ran):',
      ...worst.map((x) => `  ${x.max.toFixed(0).padStart(6)} ms  [${x.r.surface}] ${x.r.name}`),
    ];
  }
}

/** The issue's acceptance line for the verify stream (the one timing bound it sets). */
export const VERIFY_P99_MS = 100;
/** The stream's rate: steady counter traffic, light enough not to be the load itself. */
export const VERIFY_PER_SECOND = 50;
/** Answers measured before the first hostile input: 5 s of the stream. */
export const VERIFY_BASELINE = 250;
/**
 * Requests that warm the fresh processes up before the baseline (1 s of the stream): the first
 * answers of a process just started wait for its first connections and code loading (about 200 ms).
 */
export const VERIFY_WARMUP = 50;
