import { describe, expect, it } from 'vitest';
import { createProgress, formatBar, type ProgressStream } from '../src/progress.ts';

/** A stream that keeps what was written, and a clock the test steps. */
function harness(isTTY: boolean, total?: number, columns?: number) {
  const writes: string[] = [];
  const stream: ProgressStream = { isTTY, columns, write: (s: string) => writes.push(s) };
  let t = 1_000_000;
  const progress = createProgress({ label: 'audit', total, stream, now: () => t });
  return { writes, progress, advance: (ms: number) => (t += ms) };
}

describe('progress in a terminal', () => {
  it('redraws one line with bar, count/total, percent, rate and time left', () => {
    const h = harness(true, 4000);
    h.advance(2000);
    h.progress.set(1000);
    expect(h.writes).toEqual(['\raudit [#####---------------] 1,000/4,000 25% 500/s 0:06 left\x1b[K']);
  });

  it('redraws at most 10 times a second however often it is told', () => {
    const h = harness(true, 1_000_000);
    for (let i = 0; i < 1000; i++) {
      h.advance(1); // 1,000 ticks over one second
      h.progress.tick();
    }
    expect(h.writes.length).toBe(10);
    expect(h.writes.every((w) => w.startsWith('\r') && !w.includes('\n'))).toBe(true);
  });

  it('shows count and rate only when the total is unknown', () => {
    const h = harness(true);
    h.advance(4000);
    h.progress.set(2000);
    expect(h.writes).toEqual(['\raudit 2,000 500/s\x1b[K']);
  });

  it('ends with the summary on its own line, once', () => {
    const h = harness(true, 10);
    h.advance(2000);
    h.progress.set(10);
    h.progress.finish('every leaf matches');
    h.progress.finish('again');
    h.progress.tick();
    expect(h.writes.at(-1)).toBe('\raudit: 10 in 2.0 s (5/s); every leaf matches\x1b[K\n');
    expect(h.writes).toHaveLength(2);
  });

  it('cuts the line to the terminal width so that \\r redraws all of it', () => {
    const h = harness(true, 4000, 30);
    h.advance(1000);
    h.progress.set(5);
    expect(h.writes[0]).toBe(`\r${'audit [--------------------] 5/4,000'.slice(0, 29)}\x1b[K`);
  });
});

describe('progress without a terminal', () => {
  it('writes a plain line at each 10% step and no carriage returns', () => {
    const h = harness(false, 100);
    for (let i = 0; i < 100; i++) {
      h.advance(10);
      h.progress.tick();
    }
    h.progress.finish();
    expect(h.writes.some((w) => w.includes('\r'))).toBe(false);
    // 10% to 90% as they are crossed; 100% is said by the summary line.
    expect(h.writes).toHaveLength(10);
    expect(h.writes[0]).toBe('audit: 10/100 (10%), 100/s, 0:01 left\n');
    expect(h.writes.at(-1)).toBe('audit: 100 in 1.0 s (100/s)\n');
  });

  it('writes a line every 5 s when the steps are slow or the total unknown', () => {
    const h = harness(false);
    h.progress.tick(); // at 0 s: no line yet
    h.advance(4999);
    h.progress.tick();
    h.advance(1);
    h.progress.tick(); // 5 s after start
    h.advance(2000);
    h.progress.tick();
    h.advance(3000);
    h.progress.tick(); // 5 s after the last line
    expect(h.writes).toEqual(['audit: 3, 1/s\n', 'audit: 5, 1/s\n']);
  });
});

describe('formatBar', () => {
  it('says time left in hours when it is long, and "-" before any time has passed', () => {
    expect(formatBar({ label: 'rebuild', done: 1, total: 7201, elapsedMs: 1000 })).toBe(
      'rebuild [--------------------] 1/7,201 0% 1/s 2:00:00 left',
    );
    expect(formatBar({ label: 'rebuild', done: 0, total: 10, elapsedMs: 0 })).toBe(
      'rebuild [--------------------] 0/10 0% -/s -:-- left',
    );
  });
});
