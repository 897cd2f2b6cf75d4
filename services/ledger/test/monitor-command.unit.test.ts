// `rxledger monitor`'s command line: every bad argument is refused with its name and the reason,
// exit status 2, before anything is fetched.
import { generateNoteKey } from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { MONITOR_USAGE, monitorCommand, parseMonitorArgs } from '../src/cli/monitor-command.ts';

const vkey = generateNoteKey('rxledger.local/custody/demo').verifierKey;
const other = generateNoteKey('another.log/custody').verifierKey;
const ledger = ['--ledger', 'http://127.0.0.1:7100'];

describe('rxledger monitor arguments', () => {
  it('takes the nodes, their keys and the options, with the keys naming the origin', () => {
    const args = parseMonitorArgs([
      ...ledger,
      '--ledger',
      'http://127.0.0.1:7200/',
      '--vkey',
      vkey,
      '--interval',
      '250',
    ]);
    expect(args).toMatchObject({
      ledgers: ['http://127.0.0.1:7100', 'http://127.0.0.1:7200'],
      origin: 'rxledger.local/custody/demo',
      intervalMs: 250,
      evidenceDir: 'data/split-view',
      metricsPort: undefined,
    });
  });

  const refused: [string, string[], RegExp][] = [
    ['no --ledger', ['--vkey', vkey], /^--ledger: give at least one/],
    [
      'a --ledger that is not a URL',
      ['--ledger', 'localhost 7100', '--vkey', vkey],
      /^--ledger "localhost 7100": not a URL/,
    ],
    [
      'a --ledger of another scheme',
      ['--ledger', 'ftp://x', '--vkey', vkey],
      /^--ledger ftp:\/\/x: must be an http: or https: URL/,
    ],
    ['no key', ledger, /^--vkey: give the nodes/],
    ['a malformed --vkey', [...ledger, '--vkey', 'nonsense'], /^--vkey 1 \("nonsense"\): /],
    [
      'keys of two logs without --origin',
      [...ledger, '--vkey', vkey, '--vkey', other],
      /^--origin: the keys are named/,
    ],
    [
      'an --interval below 100',
      [...ledger, '--vkey', vkey, '--interval', '50'],
      /^--interval "50": must be a whole number from 100/,
    ],
    [
      'an --interval that is not a number',
      [...ledger, '--vkey', vkey, '--interval', '1s'],
      /^--interval "1s"/,
    ],
    [
      'a --metrics-port out of range',
      [...ledger, '--vkey', vkey, '--metrics-port', '70000'],
      /^--metrics-port "70000": must be a whole number from 0 to 65535/,
    ],
    [
      'a --credentials file that is not there',
      [...ledger, '--credentials', '/nonexistent/creds.json'],
      /^--credentials \/nonexistent\/creds.json: /,
    ],
    ['an unknown option', [...ledger, '--vkey', vkey, '--follow'], /Unknown option '--follow'/],
  ];
  for (const [what, args, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => parseMonitorArgs(args)).toThrow(message);
    });
  }

  it('exits 2 with the reason and the usage on a bad argument, and 0 with the usage for --help', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const never = new AbortController().signal;
    expect(await monitorCommand(['--ledger', 'nope'], out.push.bind(out), err.push.bind(err), never)).toBe(2);
    expect(err.join('\n')).toContain('rxledger monitor: --ledger "nope": not a URL');
    expect(err.join('\n')).toContain(MONITOR_USAGE);
    expect(await monitorCommand(['--help'], out.push.bind(out), err.push.bind(err), never)).toBe(0);
    expect(out).toEqual([MONITOR_USAGE]);
    expect(MONITOR_USAGE).toMatch(/Exit status: 0 .* 1 .* 2 on a usage error/s);
  });
});
