import { describe, expect, it } from 'vitest';
import {
  formatAddCheckpointRequest,
  fromBase64,
  parseAddCheckpointAnswer,
  parseAddCheckpointRequest,
  TlogError,
} from '../src/index.ts';

// The example request of c2sp.org/tlog-witness, byte for byte.
const SPEC_CHECKPOINT = `example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
`;
const SPEC_PROOF = [
  'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=',
  'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=',
  '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=',
  '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=',
];
const SPEC_BODY = `old 20852014\n${SPEC_PROOF.join('\n')}\n\n${SPEC_CHECKPOINT}`;
const SPEC_ANSWER = `— witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==
— witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==
— witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==
`;

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TlogError);
    expect((err as TlogError).code).toBe('MALFORMED_REQUEST');
    return (err as Error).message;
  }
  throw new Error('did not throw');
}

describe('C2SP tlog-witness add-checkpoint bodies', () => {
  it("writes the spec's example request byte for byte and reads it back", () => {
    const req = {
      oldSize: 20852014,
      proof: SPEC_PROOF.map((p) => fromBase64(p)),
      checkpoint: SPEC_CHECKPOINT,
    };
    expect(formatAddCheckpointRequest(req)).toBe(SPEC_BODY);
    expect(parseAddCheckpointRequest(SPEC_BODY)).toEqual(req);
  });

  it('writes "old 0", no proof lines and the empty line for a first submission', () => {
    const body = formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: SPEC_CHECKPOINT });
    expect(body).toBe(`old 0\n\n${SPEC_CHECKPOINT}`);
    expect(parseAddCheckpointRequest(body).proof).toEqual([]);
  });

  it('refuses to write a request the spec forbids', () => {
    const checkpoint = SPEC_CHECKPOINT;
    const hash = new Uint8Array(32);
    expect(() => formatAddCheckpointRequest({ oldSize: -1, proof: [], checkpoint })).toThrow(/old size -1/);
    expect(() => formatAddCheckpointRequest({ oldSize: 0, proof: [hash], checkpoint })).toThrow(
      /must be empty/,
    );
    expect(() =>
      formatAddCheckpointRequest({ oldSize: 1, proof: Array.from({ length: 64 }, () => hash), checkpoint }),
    ).toThrow(/64 proof lines, at most 63/);
    expect(() => formatAddCheckpointRequest({ oldSize: 1, proof: [hash.subarray(1)], checkpoint })).toThrow(
      /proof\[0\]: expected 32 bytes/,
    );
  });

  it('names the fault of a malformed request (a witness answers 400)', () => {
    const tail = `\n\n${SPEC_CHECKPOINT}`;
    expect(messageOf(() => parseAddCheckpointRequest(`old 01${tail}`))).toMatch(/line 1 "old 01"/);
    expect(messageOf(() => parseAddCheckpointRequest(`old -1${tail}`))).toMatch(/not "old <size>"/);
    expect(messageOf(() => parseAddCheckpointRequest(`new 1${tail}`))).toMatch(/not "old <size>"/);
    expect(messageOf(() => parseAddCheckpointRequest('old 1\nAAAA\n'))).toMatch(/no empty line/);
    expect(messageOf(() => parseAddCheckpointRequest(`old 1\nAAAA${tail}`))).toMatch(/proof line 1: 3 bytes/);
    expect(messageOf(() => parseAddCheckpointRequest(`old 1\n!!${tail}`))).toMatch(/proof line 1/);
    const many = Array.from({ length: 64 }, () => SPEC_PROOF[0]).join('\n');
    expect(messageOf(() => parseAddCheckpointRequest(`old 1\n${many}${tail}`))).toMatch(/64 proof lines/);
    expect(messageOf(() => parseAddCheckpointRequest('old 1\n\nno signatures\n'))).toMatch(/the checkpoint/);
  });
});

describe("reading a witness's answer", () => {
  it("reads the spec's example 200 answer as three cosignature lines", () => {
    const answer = parseAddCheckpointAnswer(200, 'text/plain', SPEC_ANSWER);
    expect(answer.kind).toBe('cosigned');
    if (answer.kind !== 'cosigned') return;
    expect(answer.signatures.map((s) => s.name)).toEqual([
      'witness.example/w1',
      'witness.example/w1',
      'witness.example/w2',
    ]);
  });

  it('reads 409 as the size to resend from, only as text/x.tlog.size "<size>\\n"', () => {
    expect(parseAddCheckpointAnswer(409, 'text/x.tlog.size', '42\n')).toEqual({ kind: 'conflict', size: 42 });
    expect(parseAddCheckpointAnswer(409, 'text/x.tlog.size; charset=utf-8', '0\n')).toEqual({
      kind: 'conflict',
      size: 0,
    });
    expect(parseAddCheckpointAnswer(409, 'text/plain', '42\n')).toMatchObject({
      kind: 'refused',
      retriable: true,
    });
    expect(parseAddCheckpointAnswer(409, 'text/x.tlog.size', '042\n')).toMatchObject({ kind: 'refused' });
  });

  it('tells refusals that will repeat from a witness that is down', () => {
    for (const status of [400, 403, 404, 422]) {
      expect(parseAddCheckpointAnswer(status, null, 'no')).toMatchObject({
        kind: 'refused',
        status,
        retriable: false,
      });
    }
    for (const status of [500, 502, 503, 429]) {
      expect(parseAddCheckpointAnswer(status, null, '')).toMatchObject({
        kind: 'refused',
        status,
        retriable: true,
      });
    }
    expect(
      parseAddCheckpointAnswer(404, null, 'unknown log').kind === 'refused' &&
        parseAddCheckpointAnswer(404, null, 'unknown log'),
    ).toMatchObject({ reason: /does not know this log: unknown log/ });
    expect(parseAddCheckpointAnswer(200, null, 'not a line\n')).toMatchObject({
      kind: 'refused',
      retriable: true,
    });
  });
});
