import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, waitForBroker } from '../src/index.ts';
import { resolveKafkaClasspath } from '../src/maven-classpath.ts';

const fixture = fileURLToPath(new URL('./fixtures/own-local-broker.ts', import.meta.url));
const cacheDir = join(homedir(), '.cache', 'rxledger');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local broker', () => {
  it('reuses the cached classpath: a warm start runs no Maven', async () => {
    const progress: string[] = [];
    await resolveKafkaClasspath({
      version: DEFAULT_KAFKA_VERSION,
      cacheDir,
      onProgress: (l) => progress.push(l),
    });
    const again: string[] = [];
    const jars = await resolveKafkaClasspath({
      version: DEFAULT_KAFKA_VERSION,
      cacheDir,
      onProgress: (l) => again.push(l),
    });
    expect(again).toEqual([]);
    expect(jars.some((jar) => jar.includes(`kafka_2.13-${DEFAULT_KAFKA_VERSION}.jar`))).toBe(true);
  });

  it('leaves no JVM behind when its owner is killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', fixture, cacheDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout! }).once('line', resolve);
      owner.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    const { brokers, pid } = JSON.parse(line) as { brokers: string[]; pid: number };
    await waitForBroker(brokers, 10_000);
    expect(alive(pid)).toBe(true);

    owner.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });
});
