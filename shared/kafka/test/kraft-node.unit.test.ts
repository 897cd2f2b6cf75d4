import { describe, expect, it } from 'vitest';
import { kraftServerProperties, storageFormatArgs } from '../src/kraft-node.ts';

const parse = (text: string) =>
  new Map(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );

describe('KRaft node properties', () => {
  it('a single node is its own static quorum and keeps every internal topic on itself', () => {
    const p = parse(
      kraftServerProperties({
        id: 1,
        brokerPort: 9092,
        controllerPort: 9093,
        logDir: '/data/log',
        voters: [{ id: 1, controllerPort: 9093 }],
      }),
    );
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(p.get('offsets.topic.replication.factor')).toBe('1');
    expect(p.get('transaction.state.log.min.isr')).toBe('1');
    expect(p.has('default.replication.factor')).toBe(false);
    expect(p.get('log.retention.hours')).toBe('-1');
    expect(p.get('auto.create.topics.enable')).toBe('false');
  });

  it('a cluster node lists every voter and replicates to all nodes, acknowledging on the minimum', () => {
    const voters = [1, 2, 3].map((id) => ({ id, controllerPort: 9000 + id }));
    const text = kraftServerProperties({
      id: 2,
      brokerPort: 9102,
      controllerPort: 9002,
      logDir: '/n2/log',
      voters,
      replication: { factor: 3, minInsync: 2 },
      extra: ['num.io.threads=2'],
    });
    const p = parse(text);
    expect(p.get('node.id')).toBe('2');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9001,2@127.0.0.1:9002,3@127.0.0.1:9003');
    expect(p.get('default.replication.factor')).toBe('3');
    expect(p.get('min.insync.replicas')).toBe('2');
    expect(p.get('transaction.state.log.replication.factor')).toBe('3');
    expect(p.get('unclean.leader.election.enable')).toBe('false');
    expect(p.get('num.io.threads')).toBe('2');
    // Java properties: a key given twice silently takes the last value; no line may shadow another.
    expect(p.size).toBe(text.trim().split('\n').length);
  });

  it('adds the SASL_SSL listener and its lines when asked, and never a ZooKeeper-era option', () => {
    const text = kraftServerProperties({
      id: 1,
      brokerPort: 9092,
      controllerPort: 9093,
      logDir: '/data/log',
      voters: [{ id: 1, controllerPort: 9093 }],
      secure: { port: 9094, lines: ['listener.name.secure.sasl.enabled.mechanisms=PLAIN'] },
    });
    const p = parse(text);
    expect(p.get('listeners')).toContain(',SECURE://127.0.0.1:9094');
    expect(p.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9092,SECURE://127.0.0.1:9094');
    expect(p.get('listener.security.protocol.map')).toContain('SECURE:SASL_SSL');
    expect(p.get('listener.name.secure.sasl.enabled.mechanisms')).toBe('PLAIN');
    expect(text).not.toMatch(/zookeeper|^broker\.id=/m);
  });

  it('formats a static quorum the same way on 3.9 and 4.x: no --standalone, no --initial-controllers', () => {
    expect(storageFormatArgs('abc', '/s.properties', ['--add-scram', 'x'])).toEqual([
      'format',
      '-t',
      'abc',
      '-c',
      '/s.properties',
      '--add-scram',
      'x',
    ]);
  });
});
