import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkaSetupError } from './kafka-setup-error.ts';

const run = promisify(execFile);

/** A login the SASL_SSL listener accepts, by PLAIN and by SCRAM-SHA-256/512. */
export interface SecureUser {
  username: string;
  password: string;
}

/** What a client needs to reach the SASL_SSL listener: its address and the CA that signed its certificate. */
export interface SecureListener {
  brokers: string[];
  caFile: string;
}

/**
 * Makes a throwaway CA and a broker certificate for 127.0.0.1/localhost with `openssl` (valid one
 * day), and a PKCS12 keystore the broker reads. Returns the keystore's path and password.
 */
export async function makeBrokerCertificates(
  dir: string,
): Promise<{ caFile: string; keystore: string; storePassword: string }> {
  await mkdir(dir, { recursive: true });
  const f = (name: string) => join(dir, name);
  const storePassword = randomBytes(12).toString('hex');
  const openssl = async (...args: string[]) => {
    try {
      await run('openssl', args);
    } catch (err) {
      throw new KafkaSetupError(
        `openssl ${args[0]} failed: ${(err as { stderr?: string }).stderr ?? err}`,
        err,
      );
    }
  };
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=rxledger test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  );
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    f('broker.key'),
    '-out',
    f('broker.csr'),
  );
  await writeFile(f('broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    'x509',
    '-req',
    '-in',
    f('broker.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    f('broker.ext'),
    '-out',
    f('broker.crt'),
  );
  await openssl(
    'pkcs12',
    '-export',
    '-in',
    f('broker.crt'),
    '-inkey',
    f('broker.key'),
    '-certfile',
    f('ca.crt'),
    '-name',
    'broker',
    '-out',
    f('broker.p12'),
    '-passout',
    `pass:${storePassword}`,
  );
  return { caFile: f('ca.crt'), keystore: f('broker.p12'), storePassword };
}

/** The server.properties lines of a listener named SECURE: SASL_SSL with PLAIN and SCRAM for `users`. */
export function secureListenerProperties(
  keystore: { keystore: string; storePassword: string },
  users: readonly SecureUser[],
): string[] {
  const jaasString = (s: string) => JSON.stringify(s);
  const plainUsers = users.map((u) => `user_${u.username}=${jaasString(u.password)}`).join(' ');
  const prefix = 'listener.name.secure';
  return [
    `${prefix}.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512`,
    `${prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    `${prefix}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    `${prefix}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    `${prefix}.ssl.keystore.type=PKCS12`,
    `${prefix}.ssl.keystore.location=${keystore.keystore}`,
    `${prefix}.ssl.keystore.password=${keystore.storePassword}`,
    `${prefix}.ssl.key.password=${keystore.storePassword}`,
  ];
}

/** The storage tool's arguments that create each user's SCRAM credentials in the KRaft metadata log. */
export function scramArguments(users: readonly SecureUser[]): string[] {
  return users.flatMap((u) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => [
      '--add-scram',
      `${m}=[name=${u.username},password=${u.password}]`,
    ]),
  );
}
