import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clusterIdProblem, newClusterId } from '../src/cluster-id.ts';

describe('local broker cluster id', () => {
  it('never yields an id Kafka would refuse or its tools would read as an option, over 20,000 ids', () => {
    const ids = Array.from({ length: 20_000 }, newClusterId);
    expect(ids.filter((id) => clusterIdProblem(id) !== undefined)).toEqual([]);
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // A version-4 UUID, as Kafka's own generator makes (java.util.UUID.randomUUID).
    expect(ids.every((id) => (Buffer.from(id, 'base64url')[6]! & 0xf0) === 0x40)).toBe(true);
  });

  it("refuses the ids the old generator made about once in 64 starts (a leading '-')", () => {
    // The old `randomBytes(16).toString('base64url')` with a first byte of 0xf8..0xfb.
    const bad = Buffer.concat([Buffer.from([0xf8]), Buffer.alloc(15, 7)]).toString('base64url');
    expect(bad.startsWith('-')).toBe(true);
    expect(clusterIdProblem(bad)).toMatch(/contains '-'/);
    const old = Array.from({ length: 2_000 }, () => randomBytes(16).toString('base64url'));
    expect(old.some((id) => clusterIdProblem(id) !== undefined)).toBe(true);
  });

  it('names what is wrong with ids that are not 16 bytes of base64url or are reserved', () => {
    expect(clusterIdProblem('short')).toMatch(/not 16 bytes/);
    expect(clusterIdProblem('AAAAAAAAAAAAAAAAAAAAAB')).toMatch(/not canonical/);
    expect(clusterIdProblem('AAAAAAAAAAAAAAAAAAAAAA')).toMatch(/reserved/);
    expect(clusterIdProblem('AAAAAAAAAAAAAAAAAAAAAQ')).toMatch(/reserved/);
    expect(clusterIdProblem('MkU3OEVBNTcwNTJENDM2Qg')).toBeUndefined();
  });
});
