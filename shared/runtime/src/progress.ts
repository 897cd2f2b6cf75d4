// Progress of a long command (audit, rebuild, bench, simulate): a redrawn bar in a terminal, plain
// lines when the output goes to a file or a CI log, where a carriage return would only make noise.

/** Where progress is written: process.stderr, or any object with its write, isTTY and columns. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

/** What createProgress is given. */
export interface ProgressOptions {
  /** Names the work, e.g. "audit" or "rebuild". */
  label: string;
  /** How many units the whole work is, when known; without it only count and rate are shown. */
  total?: number | undefined;
  stream: ProgressStream;
  /** The clock, epoch ms; default Date.now (tests step it). */
  now?: () => number;
}

/** A running progress report. */
export interface Progress {
  /** `n` more units done (default 1). */
  tick(n?: number): void;
  /** `done` units done in all. */
  set(done: number): void;
  /** Ends the report with a summary line (count, time, rate, then `summary` if given); once only. */
  finish(summary?: string): void;
}

/** At most 10 redraws a second: a faster bar costs the work it measures and nobody can read it. */
const REDRAW_MS = 100;
/** Without a terminal, a line every 10% of the total, and at least every 5 s. */
const LINE_EVERY_MS = 5_000;
const LINE_EVERY_FRACTION = 0.1;
const BAR_WIDTH = 20;

/**
 * A progress reporter for `stream`: in a terminal one line redrawn in place (bar, count/total, rate,
 * time left), elsewhere a plain line every 10% (or 5 s), and a summary line at finish.
 * @example const p = createProgress({ label: 'audit', total: size, stream: process.stderr });
 *          for (...) p.tick(); p.finish('every leaf matches');
 */
export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? Date.now;
  const started = now();
  const total = opts.total !== undefined && opts.total > 0 ? opts.total : undefined;
  const tty = opts.stream.isTTY === true;
  let done = 0;
  let finished = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastLineStep = 0;

  const status = (): ProgressStatus => ({ label: opts.label, done, total, elapsedMs: now() - started });
  const update = () => {
    if (finished) return;
    const t = now();
    if (tty) {
      if (t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      opts.stream.write(`\r${fit(formatBar(status()), opts.stream.columns)}\x1b[K`);
      return;
    }
    const step = total === undefined ? 0 : Math.floor(done / total / LINE_EVERY_FRACTION);
    if (step > lastLineStep || t - Math.max(lastDraw, started) >= LINE_EVERY_MS) {
      lastLineStep = Math.max(step, lastLineStep);
      lastDraw = t;
      if (done < (total ?? Number.POSITIVE_INFINITY)) opts.stream.write(`${formatLine(status())}\n`);
    }
  };
  return {
    tick(n = 1) {
      done += n;
      update();
    },
    set(value) {
      done = value;
      update();
    },
    finish(summary) {
      if (finished) return;
      finished = true;
      const line = formatSummary(status(), summary);
      opts.stream.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}

/** One moment of a report, for the formatters. */
export interface ProgressStatus {
  label: string;
  done: number;
  total: number | undefined;
  elapsedMs: number;
}

/** The terminal line: `audit [#####-----] 1,000/4,000 25% 500/s 0:06 left`. */
export function formatBar(s: ProgressStatus): string {
  const rate = rateOf(s);
  if (s.total === undefined) return `${s.label} ${count(s.done)} ${formatRate(rate)}`;
  const fraction = Math.min(1, s.done / s.total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  return `${s.label} ${bar} ${count(s.done)}/${count(s.total)} ${Math.floor(fraction * 100)}% ${formatRate(rate)} ${timeLeft(s, rate)}`;
}

/** The plain line: `audit: 1,000/4,000 (25%), 500/s, 0:06 left`. */
export function formatLine(s: ProgressStatus): string {
  const rate = rateOf(s);
  if (s.total === undefined) return `${s.label}: ${count(s.done)}, ${formatRate(rate)}`;
  const pct = Math.floor(Math.min(1, s.done / s.total) * 100);
  return `${s.label}: ${count(s.done)}/${count(s.total)} (${pct}%), ${formatRate(rate)}, ${timeLeft(s, rate)}`;
}

/** The closing line: `audit: 4,000 in 8.0 s (500/s); every leaf matches`. */
export function formatSummary(s: ProgressStatus, summary?: string): string {
  const line = `${s.label}: ${count(s.done)} in ${(s.elapsedMs / 1000).toFixed(1)} s (${formatRate(rateOf(s))})`;
  return summary === undefined ? line : `${line}; ${summary}`;
}

function rateOf(s: ProgressStatus): number | undefined {
  return s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : undefined;
}

function formatRate(rate: number | undefined): string {
  return rate === undefined ? '-/s' : `${count(Math.round(rate))}/s`;
}

function timeLeft(s: ProgressStatus, rate: number | undefined): string {
  if (s.total === undefined || rate === undefined || rate === 0) return '-:-- left';
  const seconds = Math.max(0, Math.ceil((s.total - s.done) / rate));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec} left` : `${m}:${sec} left`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

// A line wider than the terminal wraps, and \r then redraws only its last part.
function fit(line: string, columns: number | undefined): string {
  return columns !== undefined && columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line;
}
