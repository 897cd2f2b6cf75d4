// litewitness (filippo.io/torchwood), a C2SP tlog-witness nobody at rxledger wrote, built once with
// the machine's Go into a cache under the repository's ignored data/ and run for a test: its key in a
// dedicated ssh-agent, its log list set with witnessctl.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CosignatureVerifier, cosignatureVerifier } from '@rxledger/tlog';
import { waitFor } from './wait-for.ts';

export const TORCHWOOD_VERSION = 'v0.10.0';
/** torchwood v0.10.0 needs Go 1.27; this is the version the Go module proxy serves for it here. */
export const GO_TOOLCHAIN = 'go1.27.3';
const CACHE = fileURLToPath(
  new URL(`../../../../data/cache/litewitness-${TORCHWOOD_VERSION}`, import.meta.url),
);

/** Why litewitness cannot run here (Go or ssh-agent absent), or undefined when it can. */
export function litewitnessUnavailable(): string | undefined {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return 'Go is not installed (the go command is not on PATH)';
  const m = /go1\.(\d+)/.exec(go.stdout);
  if (m && Number(m[1]) < 21)
    return `${go.stdout.trim()} cannot fetch the ${GO_TOOLCHAIN} toolchain (Go >= 1.21 can)`;
  for (const tool of ['ssh-agent', 'ssh-add', 'ssh-keygen']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} is not installed (openssh-client)`;
  }
  return undefined;
}

/** Builds litewitness and witnessctl into the cache unless they are there; returns their folder. */
export function buildLitewitness(): string {
  const bins = ['litewitness', 'witnessctl'];
  if (bins.every((b) => existsSync(join(CACHE, b)))) return CACHE;
  mkdirSync(CACHE, { recursive: true });
  const r = spawnSync(
    'go',
    ['install', ...bins.map((b) => `filippo.io/torchwood/cmd/${b}@${TORCHWOOD_VERSION}`)],
    { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, GOBIN: CACHE }, timeout: 900_000 },
  );
  if (r.status !== 0) throw new Error(`go install litewitness failed (${r.status}): ${r.stderr}`);
  return CACHE;
}

export interface Litewitness {
  url: string;
  /** The witness key as computed here from its ssh public key (C2SP cosignature vkey). */
  key: CosignatureVerifier;
  /** The vkey litewitness itself logged at start ("verifier key"). */
  loggedVkey(): Promise<string>;
  witnessctl(...args: string[]): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A litewitness named `name` on a free port, not started yet: its URL and key are known first, so a
 * test can point a ledger at a witness that is still down.
 */
export async function prepareLitewitness(name: string): Promise<Litewitness> {
  const bin = buildLitewitness();
  // ssh-agent socket paths must stay short (sun_path): a short folder under /tmp.
  const dir = mkdtempSync(join(tmpdir().length < 20 ? tmpdir() : '/tmp', 'lw-'));
  const sock = join(dir, 's');
  const db = join(dir, 'witness.db');
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'litewitness', '-f', join(dir, 'key')]);
  const fingerprint = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'key.pub')]).split(' ')[1]!;
  const blob = Buffer.from(readFileSync(join(dir, 'key.pub'), 'utf8').split(' ')[1]!, 'base64');
  // The SSH wire form of an Ed25519 key ends in the 32 bytes of the key itself.
  const key = cosignatureVerifier(name, new Uint8Array(blob.subarray(blob.length - 32)));
  const port = await freePort();
  let agent: ChildProcess | undefined;
  let witness: ChildProcess | undefined;
  let stderr = '';
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    loggedVkey: () =>
      waitFor('litewitness to log its verifier key', () => /verifier key.* vkey=(\S+)/.exec(stderr)?.[1], {
        describe: () => stderr,
      }),
    witnessctl: (...args) => run(join(bin, 'witnessctl'), [...args.slice(0, 1), '-db', db, ...args.slice(1)]),
    async start() {
      agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      await waitFor('ssh-agent socket', () => existsSync(sock));
      run('ssh-add', ['-q', join(dir, 'key')], { SSH_AUTH_SOCK: sock });
      witness = spawn(
        join(bin, 'litewitness'),
        ['-db', db, '-name', name, '-key', fingerprint, '-ssh-agent', sock, '-listen', `127.0.0.1:${port}`],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      witness.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const url = `http://127.0.0.1:${port}/`;
      const answers = () =>
        fetch(url).then(
          () => true,
          () => false,
        );
      await waitFor('litewitness to listen', answers, {
        abort: () => (witness!.exitCode !== null ? `it exited with ${witness!.exitCode}` : undefined),
        describe: () => stderr,
      });
    },
    async stop() {
      for (const child of [witness, agent]) {
        if (child && child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
