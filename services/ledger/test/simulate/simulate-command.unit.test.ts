// The simulate and quality commands refuse bad flags before touching anything, naming the flag.
import { describe, expect, it } from 'vitest';
import { qualityCommand } from '../../src/cli/quality-command.ts';
import { simulateCommand } from '../../src/cli/simulate-command.ts';

async function run(cmd: 'simulate' | 'quality', ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status =
    cmd === 'simulate'
      ? await simulateCommand(
          args,
          (l) => out.push(l),
          (l) => err.push(l),
          new AbortController().signal,
        )
      : await qualityCommand(
          args,
          (l) => out.push(l),
          (l) => err.push(l),
        );
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('rxledger simulate and quality flags', () => {
  it.each([
    [['--late', '1.5'], "--late: '1.5' is not a number from 0 to 1"],
    [['--dup', 'lots'], "--dup: 'lots' is not a number from 0 to 1"],
    [['--packs', '2.5'], "--packs: '2.5' is not a whole number"],
    [['--rate=-1'], "--rate: '-1' is not a number from 0 to"],
    [['--colour'], "Unknown option '--colour'"],
  ])('simulate %j: exit 2, naming the flag', async (args, message) => {
    const r = await run('simulate', ...args);
    expect(r.status).toBe(2);
    expect(r.err).toContain(message);
  });

  it('quality: a bad --concurrency is a usage error; a missing credentials file names the file', async () => {
    expect((await run('quality', '--concurrency', '0')).err).toContain(
      "--concurrency: '0' is not a whole number",
    );
    const missing = await run('quality', '--credentials', '/nonexistent/credentials.json');
    expect(missing.status).toBe(1);
    expect(missing.err).toContain('credentials file /nonexistent/credentials.json');
  });
});
