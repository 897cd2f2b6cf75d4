// Kafka 4 removed old versions of many requests (KIP-896: Produce v0-v2, Fetch v0-v3, ListOffsets v0,
// CreateTopics v0-v1, DescribeConfigs v0, ...). kafkajs 2.2.4 does not look at a broker's minimum: it
// sends min(its newest version, the broker's newest). This asks the run's broker which versions it
// accepts and checks every request kafkajs implements against them, so a Kafka release that drops a
// version kafkajs still sends fails here by name, before a produce or a consumer group fails obscurely.
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { describe, expect, inject, it } from 'vitest';

const require = createRequire(import.meta.url);
// kafkajs' own request table (no exports map, so its files are reachable): name → implemented versions.
const { requests } = require('kafkajs/src/protocol/requests/index.js') as {
  requests: Record<string, { versions: string[] }>;
};
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;

/** The broker's ApiVersions v0 answer: api key → [min, max] version. */
function brokerApiVersions(address: string): Promise<Map<number, [number, number]>> {
  const [host, port] = address.split(':');
  const clientId = Buffer.from('rxledger-api-versions');
  const body = Buffer.alloc(10 + clientId.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2); // v0: every broker answers it
  body.writeInt32BE(1, 4); // correlation id
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host!, () => socket.write(Buffer.concat([size, body])));
    let buf = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      socket.end();
      const error = buf.readInt16BE(8);
      if (error !== 0) return reject(new Error(`ApiVersions error code ${error}`));
      const versions = new Map<number, [number, number]>();
      for (let i = 0, o = 14; i < buf.readInt32BE(10); i++, o += 6) {
        versions.set(buf.readInt16BE(o), [buf.readInt16BE(o + 2), buf.readInt16BE(o + 4)]);
      }
      resolve(versions);
    });
  });
}

describe('kafkajs against the run broker', () => {
  it('sends only request versions the broker accepts, for every request kafkajs implements', async () => {
    const broker = await brokerApiVersions(inject('kafkaBrokers')[0]!);
    const refused: string[] = [];
    let checked = 0;
    for (const [name, definition] of Object.entries(requests)) {
      if (definition.versions.length === 0) continue; // not implemented by kafkajs
      const range = broker.get(apiKeys[name]!);
      if (!range) continue; // an API the broker lacks; kafkajs says so by name if it is ever used
      const sends = Math.min(Math.max(...definition.versions.map(Number)), range[1]);
      checked += 1;
      if (sends < range[0]) refused.push(`${name} v${sends} (broker accepts v${range[0]}-v${range[1]})`);
    }
    expect(refused).toEqual([]);
    // The requests the system relies on are all among those checked.
    for (const name of ['Produce', 'Fetch', 'ListOffsets', 'Metadata', 'JoinGroup', 'OffsetCommit']) {
      expect(broker.has(apiKeys[name]!), name).toBe(true);
    }
    expect(checked).toBeGreaterThan(25);
  });
});
