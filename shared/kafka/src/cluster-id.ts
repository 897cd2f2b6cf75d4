import { randomUUID } from 'node:crypto';

// Kafka's Uuid.toString() is the 16 bytes in unpadded base64url: 22 characters. Kafka reserves the
// all-zero id and the metadata topic's id (0, 1), and its own generator (Uuid.randomUuid) never
// yields an id whose text starts with '-' because its command-line tools would read it as an option
// ("--cluster-id expected one argument"). Newer Kafka (KAFKA-20072) avoids '-' anywhere; so do we.
const BASE64URL_22 = /^[A-Za-z0-9_-]{22}$/;
const RESERVED = new Set(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ']);

/** Why `id` cannot be a Kafka cluster id given on a command line, or undefined when it can. */
export function clusterIdProblem(id: string): string | undefined {
  if (!BASE64URL_22.test(id)) return `'${id}' is not 16 bytes in unpadded base64url (22 characters)`;
  if (Buffer.from(id, 'base64url').toString('base64url') !== id) return `'${id}' is not canonical base64url`;
  if (RESERVED.has(id)) return `'${id}' is reserved by Kafka`;
  if (id.includes('-')) return `'${id}' contains '-', which Kafka's tools may read as an option`;
  return undefined;
}

/**
 * A random cluster id as Kafka's Uuid.randomUuid makes one (a version-4 UUID), redrawn until
 * clusterIdProblem finds nothing (about 1 draw in 4 is redrawn for a '-' somewhere).
 * @example `kafka-storage format -t ${newClusterId()} -c server.properties`
 */
export function newClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
    if (clusterIdProblem(id) === undefined) return id;
  }
}
