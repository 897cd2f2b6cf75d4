import { describe, expect, it } from 'vitest';
import {
  compareKafkaLines,
  DEFAULT_KAFKA_VERSION,
  kafkaVersionProblem,
  readKafkaVersion,
} from '../src/kafka-version.ts';

const refusal = (value: string): string => {
  try {
    readKafkaVersion('rxledger', { KAFKA_VERSION: value });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`expected KAFKA_VERSION=${value} to be refused`);
};

describe('KAFKA_VERSION', () => {
  it('defaults to Kafka 4.1 when unset or empty', () => {
    expect(DEFAULT_KAFKA_VERSION).toMatch(/^4\.1\.\d+$/);
    expect(readKafkaVersion('rxledger', {})).toBe(DEFAULT_KAFKA_VERSION);
    expect(readKafkaVersion('rxledger', { KAFKA_VERSION: '' })).toBe(DEFAULT_KAFKA_VERSION);
  });

  it('takes any 3.9.x or 4.x.y release', () => {
    for (const v of ['3.9.1', '3.9.0', '4.0.0', '4.1.2', '4.3.1', ' 3.9.1 ']) {
      expect(readKafkaVersion('rxledger', { KAFKA_VERSION: v })).toBe(v.trim());
    }
  });

  it('refuses malformed and unsupported values, naming the variable, the value and what to use', () => {
    for (const v of [
      '3.8.1',
      '2.8.0',
      '5.0.0',
      '4.1',
      '4',
      'latest',
      '4.1.2-rc1',
      '4.1.2;rm -rf /',
      '../4.1.2',
    ]) {
      const message = refusal(v);
      expect(message).toContain('rxledger: invalid configuration');
      expect(message).toContain(`KAFKA_VERSION: '${v}' is not an Apache Kafka version`);
      expect(message).toContain('use 3.9.x or 4.x.y');
    }
    expect(kafkaVersionProblem('4.1.2')).toBeUndefined();
  });

  it('orders versions by their line, which decides whether a Kafka can read storage another formatted', () => {
    expect(compareKafkaLines('3.9.1', '4.1.2')).toBeLessThan(0);
    expect(compareKafkaLines('4.1.2', '3.9.1')).toBeGreaterThan(0);
    expect(compareKafkaLines('4.1.2', '4.1.1')).toBe(0);
    expect(compareKafkaLines('4.0.0', '4.1.0')).toBeLessThan(0);
    expect(compareKafkaLines('4.10.0', '4.9.0')).toBeGreaterThan(0);
  });
});
