import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fromPlainSecurity,
  kafkaJsSecurity,
  readKafkaSecurity,
  toPlainSecurity,
} from '../src/kafka-security.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxledger-kafka-env-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
const SECRET = 'correct-horse-battery-staple';

const problems = (env: NodeJS.ProcessEnv): string => {
  try {
    readKafkaSecurity('ledger', env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('Kafka security from the environment', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is plaintext without a login when nothing is set', () => {
    expect(readKafkaSecurity('ledger', {})).toBeUndefined();
    expect(kafkaJsSecurity(undefined)).toEqual({});
  });

  it('reads SCRAM over TLS with a CA, a client certificate and a password file, for kafkajs', () => {
    const security = readKafkaSecurity('ledger', {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'ledger',
      KAFKA_SASL_PASSWORD_FILE: file('pw', `${SECRET}\n`),
      KAFKA_TLS_CA_FILE: file('ca.pem', PEM_CERT),
      KAFKA_TLS_CERT_FILE: file('cert.pem', PEM_CERT),
      KAFKA_TLS_KEY_FILE: file('key.pem', PEM_KEY),
      KAFKA_TLS_SERVERNAME: 'kafka.internal',
    });
    expect(kafkaJsSecurity(security)).toEqual({
      ssl: {
        rejectUnauthorized: true,
        ca: [Buffer.from(PEM_CERT)],
        cert: Buffer.from(PEM_CERT),
        key: Buffer.from(PEM_KEY),
        servername: 'kafka.internal',
      },
      sasl: { mechanism: 'scram-sha-512', username: 'ledger', password: SECRET },
    });
    // Whoever logs the options object sees no password.
    expect(JSON.stringify(security)).not.toContain(SECRET);
    expect(inspect(security, { depth: 5 })).not.toContain(SECRET);
  });

  it('crosses to a worker thread as plain data and comes back the same for kafkajs', () => {
    const security = readKafkaSecurity('ledger', {
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'ledger',
      KAFKA_SASL_PASSWORD_FILE: file('pw2', `${SECRET}\n`),
      KAFKA_TLS_CA_FILE: file('ca2.pem', PEM_CERT),
      KAFKA_TLS_SERVERNAME: 'kafka.internal',
    });
    // What postMessage does to workerData: classes lost, Buffers become Uint8Arrays.
    const across = structuredClone(toPlainSecurity(security));
    expect(across?.tls?.ca).not.toBeInstanceOf(Buffer);
    const back = fromPlainSecurity(across);
    expect(kafkaJsSecurity(back)).toEqual(kafkaJsSecurity(security));
    expect(back?.tls?.ca).toBeInstanceOf(Buffer);
    expect(inspect(back, { depth: 5 })).not.toContain(SECRET);
    expect(fromPlainSecurity(structuredClone(toPlainSecurity(undefined)))).toBeUndefined();
  });

  it('turns TLS on with the system CAs for KAFKA_TLS=1 alone', () => {
    expect(kafkaJsSecurity(readKafkaSecurity('ledger', { KAFKA_TLS: '1' }))).toEqual({
      ssl: { rejectUnauthorized: true },
    });
  });

  it('names every bad variable and why, and never prints a password', () => {
    const message = problems({
      KAFKA_SASL_MECHANISM: 'GSSAPI',
      KAFKA_SASL_PASSWORD: SECRET,
      KAFKA_SASL_PASSWORD_FILE: '/nowhere',
      KAFKA_TLS_CERT_FILE: file('c.pem', PEM_CERT),
      KAFKA_TLS_CA_FILE: join(dir, 'missing.pem'),
    });
    expect(message).toContain('ledger: invalid Kafka security configuration');
    expect(message).toContain(
      "KAFKA_SASL_MECHANISM: must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (got 'GSSAPI')",
    );
    expect(message).toContain('KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM');
    expect(message).toContain(
      'KAFKA_SASL_PASSWORD: give KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both',
    );
    expect(message).toContain('KAFKA_TLS_CERT_FILE: a client certificate needs its key');
    expect(message).toMatch(/KAFKA_TLS_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/);
    expect(message).not.toContain(SECRET);
  });

  it('refuses PLAIN without TLS (it sends the password itself), a login without a mechanism, and non-PEM files', () => {
    expect(
      problems({ KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET }),
    ).toContain('KAFKA_SASL_MECHANISM: PLAIN sends the password in clear: it needs KAFKA_TLS=1');
    expect(problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: SECRET })).toContain(
      'KAFKA_SASL_MECHANISM: required with a SASL username or password',
    );
    expect(problems({ KAFKA_TLS_CA_FILE: file('not.pem', SECRET) })).toMatch(
      /KAFKA_TLS_CA_FILE: .*not\.pem holds no PEM CERTIFICATE/,
    );
    expect(problems({ KAFKA_TLS: '0', KAFKA_TLS_CA_FILE: file('ca2.pem', PEM_CERT) })).toContain(
      'KAFKA_TLS: is off, yet KAFKA_TLS_CA_FILE is set',
    );
    expect(problems({ KAFKA_TLS: 'yes' })).toContain("KAFKA_TLS: must be 1 or 0 (got 'yes')");
  });
});
