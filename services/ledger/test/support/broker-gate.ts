import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP port standing in for a Kafka broker that is down until `open()`: while shut it drops every
 * connection; once open it forwards to the real broker. kafkajs only bootstraps through it (the
 * broker's metadata then names its own address), which is enough to hold a client's first contact.
 */
export async function brokerGate(broker: string) {
  const [host, port] = [broker.slice(0, broker.lastIndexOf(':')), Number(broker.split(':').pop())];
  let isOpen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!isOpen) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host, port });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    open() {
      isOpen = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
