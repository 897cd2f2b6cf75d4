// The process-level handlers every service main installs through runUntilStopped: stray errors are
// logged and the process goes on; an InvariantViolation ends it with code 70.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/stray-errors-service.ts', import.meta.url));

/** Runs the fixture service to its end; a child still running after 30 s is killed (and fails). */
function run(
  scenario: string,
): Promise<{ code: number | null; lines: Array<Record<string, unknown>>; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, scenario], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const guard = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.once('error', reject);
    proc.once('exit', (code) => {
      clearTimeout(guard);
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, lines, out });
    });
  });
}

describe('process-level handlers', () => {
  it('logs an unhandled rejection and an uncaught exception, and the service goes on', async () => {
    const { code, lines, out } = await run('stray');
    expect(out).toContain('still alive');
    expect(code).toBe(0);
    const logged = lines
      .filter((l) => l.level === 50)
      .map((l) => [l.msg, (l.err as { message: string }).message]);
    expect(logged).toEqual([
      ['unhandled rejection; the process goes on', 'a promise nobody awaited'],
      ['uncaught exception; the process goes on', 'a timer callback that threw'],
    ]);
  });

  it.each(['invariant', 'invariant-rejection'])(
    'ends the process with code 70 on an InvariantViolation (%s), before anything else runs',
    async (scenario) => {
      const { code, lines, out } = await run(scenario);
      expect(code).toBe(70);
      expect(out).not.toContain('still alive');
      expect(lines.find((l) => l.level === 60)?.msg).toBe(
        'invariant violated; exiting: stored root differs from the folded root',
      );
    },
  );
});
