import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConfigError } from '@rxledger/runtime';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** SASL mechanisms rxledger speaks (kafkajs' names). */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** A password that prints as `[redacted]` in logs, JSON and inspect output; reveal() gives it to kafkajs. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}

/** How to reach a cluster that wants TLS and/or SASL; omitted parts mean plaintext, no login. */
export interface KafkaSecurity {
  /** TLS to every broker; certificates verified against `ca`, or the system's CAs when it is absent. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string };
  sasl?: { mechanism: SaslMechanism; username: string; password: Secret };
}

const MECHANISMS: Record<string, SaslMechanism> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};

/**
 * KafkaSecurity as plain data, to hand to a worker thread (a structured clone keeps no class, so the
 * password travels revealed: never log it). fromPlainSecurity makes it a KafkaSecurity again.
 */
export interface PlainKafkaSecurity {
  tls?: { ca?: Uint8Array; cert?: Uint8Array; key?: Uint8Array; servername?: string };
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

export function toPlainSecurity(security: KafkaSecurity | undefined): PlainKafkaSecurity | undefined {
  if (!security) return undefined;
  const { tls, sasl } = security;
  return {
    ...(tls ? { tls: { ...tls } } : {}),
    ...(sasl ? { sasl: { ...sasl, password: sasl.password.reveal() } } : {}),
  };
}

export function fromPlainSecurity(plain: PlainKafkaSecurity | undefined): KafkaSecurity | undefined {
  if (!plain) return undefined;
  const { tls, sasl } = plain;
  const buffer = (b: Uint8Array | undefined) => (b ? Buffer.from(b) : undefined);
  return {
    ...(tls
      ? {
          tls: {
            ...(tls.ca ? { ca: buffer(tls.ca) } : {}),
            ...(tls.cert ? { cert: buffer(tls.cert) } : {}),
            ...(tls.key ? { key: buffer(tls.key) } : {}),
            ...(tls.servername ? { servername: tls.servername } : {}),
          },
        }
      : {}),
    ...(sasl ? { sasl: { ...sasl, password: new Secret(sasl.password) } } : {}),
  };
}

/** The `ssl` and `sasl` parts of a kafkajs configuration. */
export function kafkaJsSecurity(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  const tls = security?.tls;
  if (tls) {
    out.ssl = {
      rejectUnauthorized: true,
      ...(tls.ca ? { ca: [tls.ca] } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      ...(tls.servername ? { servername: tls.servername } : {}),
    };
  }
  const sasl = security?.sasl;
  if (sasl) {
    // kafkajs types each mechanism apart; all three of ours take a username and a password.
    const { mechanism, username } = sasl;
    out.sasl = { mechanism, username, password: sasl.password.reveal() } as SASLOptions;
  }
  return out;
}

/**
 * Reads and validates the KAFKA_TLS* and KAFKA_SASL_* variables (README "Kafka security") once, in a
 * service's main; reads the files they name. Undefined when none is set (plaintext, no login).
 * Throws ConfigError naming every bad variable; no message ever holds a password or a file's content.
 * @example const kafkaSecurity = readKafkaSecurity('ledger', process.env);
 */
export function readKafkaSecurity(service: string, env: NodeJS.ProcessEnv): KafkaSecurity | undefined {
  const issues: string[] = [];
  const issue = (name: string, reason: string) => issues.push(`  ${name}: ${reason}`);
  const read = (name: string): string | undefined => {
    const path = env[name];
    if (path === undefined || path === '') return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      issue(name, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  };
  // A value given directly or in a file (Docker and Kubernetes secrets), not both.
  const valueOrFile = (name: string): string | undefined => {
    const direct = env[name] === '' ? undefined : env[name];
    if (direct !== undefined && env[`${name}_FILE`]) {
      issue(name, `give ${name} or ${name}_FILE, not both`);
      return undefined;
    }
    return direct ?? read(`${name}_FILE`)?.replace(/\r?\n$/, '');
  };

  const tls = readTls(env, issue, read);
  const sasl = readSasl(env, issue, valueOrFile, tls !== undefined);
  if (issues.length > 0) {
    throw new ConfigError(`${service}: invalid Kafka security configuration\n${issues.join('\n')}`);
  }
  if (!tls && !sasl) return undefined;
  return { ...(tls ? { tls } : {}), ...(sasl ? { sasl } : {}) };
}

type Issue = (name: string, reason: string) => void;

function readTls(env: NodeJS.ProcessEnv, issue: Issue, read: (name: string) => string | undefined) {
  const files = ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE', 'KAFKA_TLS_SERVERNAME'];
  const given = files.filter((name) => env[name]);
  const flag = env.KAFKA_TLS?.toLowerCase();
  if (flag !== undefined && flag !== '' && !['1', 'true', '0', 'false'].includes(flag)) {
    issue('KAFKA_TLS', `must be 1 or 0 (got '${env.KAFKA_TLS}')`);
    return undefined;
  }
  const off = flag === '0' || flag === 'false';
  if (off && given.length > 0) {
    issue('KAFKA_TLS', `is off, yet ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set`);
    return undefined;
  }
  if (off || (given.length === 0 && !(flag === '1' || flag === 'true'))) return undefined;
  if (Boolean(env.KAFKA_TLS_CERT_FILE) !== Boolean(env.KAFKA_TLS_KEY_FILE)) {
    issue(
      'KAFKA_TLS_CERT_FILE',
      'a client certificate needs its key: set both KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE',
    );
  }
  const pem = (name: string, kind: RegExp) => {
    const text = read(name);
    if (text !== undefined && !kind.test(text)) issue(name, `${env[name]} holds no PEM ${kind.source}`);
    return text === undefined ? undefined : Buffer.from(text);
  };
  const ca = pem('KAFKA_TLS_CA_FILE', /CERTIFICATE/);
  const cert = pem('KAFKA_TLS_CERT_FILE', /CERTIFICATE/);
  const key = pem('KAFKA_TLS_KEY_FILE', /PRIVATE KEY/);
  const servername = env.KAFKA_TLS_SERVERNAME || undefined;
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(servername ? { servername } : {}),
  };
}

function readSasl(
  env: NodeJS.ProcessEnv,
  issue: Issue,
  valueOrFile: (name: string) => string | undefined,
  tls: boolean,
): KafkaSecurity['sasl'] {
  const name = env.KAFKA_SASL_MECHANISM?.toUpperCase();
  const username = valueOrFile('KAFKA_SASL_USERNAME');
  const password = valueOrFile('KAFKA_SASL_PASSWORD');
  if (name === undefined || name === '') {
    if (username !== undefined || password !== undefined) {
      issue(
        'KAFKA_SASL_MECHANISM',
        'required with a SASL username or password: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512',
      );
    }
    return undefined;
  }
  const mechanism = MECHANISMS[name];
  if (mechanism === undefined) {
    issue(
      'KAFKA_SASL_MECHANISM',
      `must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (got '${env.KAFKA_SASL_MECHANISM}')`,
    );
  }
  if (!username)
    issue('KAFKA_SASL_USERNAME', `required with KAFKA_SASL_MECHANISM (or KAFKA_SASL_USERNAME_FILE)`);
  if (!password)
    issue('KAFKA_SASL_PASSWORD', `required with KAFKA_SASL_MECHANISM (or KAFKA_SASL_PASSWORD_FILE)`);
  // PLAIN sends the password itself; SCRAM proves it without sending it.
  if (mechanism === 'plain' && !tls)
    issue('KAFKA_SASL_MECHANISM', 'PLAIN sends the password in clear: it needs KAFKA_TLS=1');
  if (mechanism === undefined || !username || !password) return undefined;
  return { mechanism, username, password: new Secret(password) };
}
