import { cosignatureSigner, ed25519Signer, formatVerifierKey } from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { parseWitnessedLogs, parseWitnessList } from '../src/witness/witness-config.ts';

const w1 = cosignatureSigner('witness.example/w1', new Uint8Array(32).fill(1));
const w2 = cosignatureSigner('witness.example/w2', new Uint8Array(32).fill(2));
const V = 'RXLEDGER_WITNESSES';

describe('RXLEDGER_WITNESSES', () => {
  it('reads "<url> <vkey>" entries separated by commas or newlines, without trailing slashes', () => {
    const list = parseWitnessList(
      `http://127.0.0.1:7380/ ${w1.vkey},\n  https://w2.example/prefix ${w2.vkey}\n`,
      V,
    );
    expect(list.map((w) => [w.url, w.id, w.key.vkey])).toEqual([
      ['http://127.0.0.1:7380', `witness.example/w1+${w1.keyId.toString(16).padStart(8, '0')}`, w1.vkey],
      ['https://w2.example/prefix', `witness.example/w2+${w2.keyId.toString(16).padStart(8, '0')}`, w2.vkey],
    ]);
    expect(parseWitnessList('', V)).toEqual([]);
    expect(parseWitnessList(' , ', V)).toEqual([]);
  });

  it('names the entry and the reason for each mistake', () => {
    const noteKey = formatVerifierKey(
      'log.example',
      ed25519Signer('log.example', new Uint8Array(32)).publicKey,
    );
    const cases: Array<[string, RegExp]> = [
      [
        `http://a`,
        /^RXLEDGER_WITNESSES: entry 1 \("http:\/\/a"\): expected "<url> <witness vkey>", got 1 field/,
      ],
      [`http://a ${w1.vkey}, ${w2.vkey}`, /entry 2 .*: expected "<url> <witness vkey>", got 1 field/],
      [`a.example ${w1.vkey}`, /entry 1 .*"a\.example" is not a URL/],
      [`ftp://a ${w1.vkey}`, /URL scheme ftp: is not http or https/],
      [`http://a/?x=1 ${w1.vkey}`, /must not have a query or a fragment/],
      [`http://u:p@a ${w1.vkey}`, /must not carry credentials/],
      [
        `http://a ${noteKey}`,
        /witness key: unsupported signature type 0x01, only Ed25519 cosignature \(0x04\)/,
      ],
      [`http://a ${w1.vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')}`, /key ID 00000000 does not match/],
      [
        `http://a ${w1.vkey},http://b ${w1.vkey}`,
        /entry 2 .*: witness key witness\.example\/w1\+[0-9a-f]{8} is listed twice/,
      ],
    ];
    for (const [text, message] of cases) expect(() => parseWitnessList(text, V), text).toThrow(message);
  });
});

describe('WITNESS_LOGS', () => {
  it("reads the peers' checkpoint vkeys and names a bad entry", () => {
    const peer = formatVerifierKey(
      'peer.example',
      ed25519Signer('peer.example', new Uint8Array(32).fill(4)).publicKey,
    );
    expect(parseWitnessedLogs(` ${peer} ,`, 'WITNESS_LOGS').map((k) => k.name)).toEqual(['peer.example']);
    expect(() => parseWitnessedLogs(`${peer},${w1.vkey}`, 'WITNESS_LOGS')).toThrow(
      /^WITNESS_LOGS: entry 2: verifier key: unsupported signature type 0x04/,
    );
  });
});
