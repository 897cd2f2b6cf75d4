import { ConfigError } from '@rxledger/runtime';

/** The Apache Kafka version a local broker runs unless KAFKA_VERSION names another. */
export const DEFAULT_KAFKA_VERSION = '4.1.2';

// 3.9 is the last line before Kafka 4 and the first whose storage tool and configs the local broker's
// properties fit; every 4.x release so far formats and runs with the same ones (kraft-node.ts).
const SUPPORTED = /^(3\.9|4\.\d{1,2})\.\d{1,3}$/;

/** Why `version` cannot be run by the local broker, or undefined when it can (3.9.x or 4.x.y). */
export function kafkaVersionProblem(version: string): string | undefined {
  if (SUPPORTED.test(version)) return undefined;
  return `'${version}' is not an Apache Kafka version the local broker runs; use 3.9.x or 4.x.y (e.g. ${DEFAULT_KAFKA_VERSION} or 3.9.1)`;
}

/**
 * The Apache Kafka version of the local broker from KAFKA_VERSION (DEFAULT_KAFKA_VERSION when unset or
 * empty). Throws ConfigError naming the variable for a malformed or unsupported value; whether Maven
 * Central has that release is found out when its jars are resolved (resolveKafkaClasspath).
 * @example const version = readKafkaVersion('rxledger', process.env); // '4.1.2'
 */
export function readKafkaVersion(service: string, env: NodeJS.ProcessEnv): string {
  const value = env.KAFKA_VERSION?.trim();
  if (value === undefined || value === '') return DEFAULT_KAFKA_VERSION;
  const problem = kafkaVersionProblem(value);
  if (problem) throw new ConfigError(`${service}: invalid configuration\n  KAFKA_VERSION: ${problem}`);
  return value;
}

/** Orders two versions by their line (major.minor) only: negative when `a`'s line is older. */
export function compareKafkaLines(a: string, b: string): number {
  const line = (v: string) => v.split('.').slice(0, 2).map(Number);
  const [am = 0, an = 0] = line(a);
  const [bm = 0, bn = 0] = line(b);
  return am !== bm ? am - bm : an - bn;
}
