import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaSetupError } from './kafka-setup-error.ts';
import { kafkaVersionProblem } from './kafka-version.ts';

/** The POM that names the broker's jars; its version property is overridden per call. */
export const KAFKA_POM = fileURLToPath(new URL('../../../infra/kafka/pom.xml', import.meta.url));
const KAFKA_ARTIFACT = 'org.apache.kafka:kafka_2.13';

/**
 * Resolves the runtime classpath of Apache Kafka `version` through Maven, caching the resulting list
 * under `cacheDir`. The jars themselves stay in Maven's repository (~/.m2), so a warm start runs no
 * Maven at all: it only checks that every cached jar is still on disk.
 */
export async function resolveKafkaClasspath(opts: {
  version: string;
  cacheDir: string;
  onProgress: (line: string) => void;
}): Promise<string[]> {
  const problem = kafkaVersionProblem(opts.version);
  if (problem) throw new KafkaSetupError(`KAFKA_VERSION: ${problem}`);
  const listFile = join(opts.cacheDir, `kafka-${opts.version}.classpath`);
  const cached = await readClasspath(listFile);
  if (cached) return cached;

  await assertCommand('mvn', ['-v'], 'Maven');
  await mkdir(opts.cacheDir, { recursive: true });
  opts.onProgress(`resolving Apache Kafka ${opts.version} jars with Maven (first run downloads about 45 MB)`);
  const tmp = `${listFile}.${process.pid}.tmp`;
  let downloads = 0;
  const output: string[] = [];
  const code = await run(
    'mvn',
    [
      '-B',
      '-f',
      KAFKA_POM,
      `-Dkafka.version=${opts.version}`,
      'dependency:build-classpath',
      `-Dmdep.outputFile=${tmp}`,
      '-Dmdep.includeScope=runtime',
    ],
    (line) => {
      output.push(line);
      if (output.length > 200) output.shift();
      if (line.includes('Downloaded from')) {
        downloads += 1;
        if (downloads % 20 === 0) opts.onProgress(`maven: ${downloads} files downloaded`);
      }
    },
  );
  if (code !== 0) {
    // Maven says so the first time, and that it "was not found ... during a previous attempt" after.
    const jar = `${KAFKA_ARTIFACT}:jar:${opts.version}`;
    if (
      output.some((l) => l.includes(`Could not find artifact ${jar}`) || l.includes(`${jar} was not found`))
    ) {
      throw new KafkaSetupError(
        `KAFKA_VERSION: Apache Kafka ${opts.version} is not on Maven Central ` +
          `(no ${KAFKA_ARTIFACT}:${opts.version}); name a released 3.9.x or 4.x version, e.g. 4.1.2 or 3.9.1`,
      );
    }
    throw new KafkaSetupError(
      `Maven could not resolve ${KAFKA_ARTIFACT}:${opts.version} (exit ${code}). Last output:\n${output.slice(-15).join('\n')}`,
    );
  }
  await rename(tmp, listFile);
  const jars = await readClasspath(listFile);
  if (!jars) throw new KafkaSetupError(`Maven wrote an unusable classpath to ${listFile}`);
  opts.onProgress(`maven: ${jars.length} jars resolved (${downloads} files downloaded)`);
  return jars;
}

async function readClasspath(file: string): Promise<string[] | undefined> {
  if (!existsSync(file)) return undefined;
  const jars = (await readFile(file, 'utf8')).trim().split(':').filter(Boolean);
  if (jars.length === 0 || !jars.every((jar) => existsSync(jar))) return undefined;
  return jars;
}

/** Fails with an install hint when `command` cannot be run at all. */
export async function assertCommand(command: string, args: string[], what: string): Promise<void> {
  try {
    await run(command, args, () => {});
  } catch {
    throw new KafkaSetupError(
      `${what} is needed to run a local Kafka broker but '${command}' was not found. ` +
        'Install Java 17+ and Maven (Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven), ' +
        'or start a Docker engine, or point rxledger at an existing broker with KAFKA_BROKERS=host:port.',
    );
  }
}

function run(command: string, args: string[], onLine: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    const feed = (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line.trimEnd());
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', reject);
    child.on('close', (code) => {
      if (rest) onLine(rest);
      resolve(code ?? 1);
    });
  });
}
