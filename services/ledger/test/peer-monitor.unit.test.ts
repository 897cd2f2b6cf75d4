// RXLEDGER_PEERS as a node reads it: "<URL> <vkey>" entries, each mistake named by its entry.
import { generateNoteKey } from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { parsePeers } from '../src/monitor/peer-monitor.ts';

const vkey = generateNoteKey('rxledger.local/custody/demo').verifierKey;

describe('parsePeers', () => {
  it('reads comma-separated "<URL> <vkey>" entries, blank space and empty entries ignored', () => {
    expect(parsePeers(` http://10.0.0.2:7100 ${vkey} ,, https://b.example  ${vkey}`)).toEqual([
      { url: 'http://10.0.0.2:7100', vkey },
      { url: 'https://b.example', vkey },
    ]);
    expect(parsePeers('')).toEqual([]);
  });

  it('names the entry and the reason for each mistake', () => {
    expect(() => parsePeers(`http://a:1 ${vkey},http://b:2`)).toThrow(
      /^entry 2 \("http:\/\/b:2"\): expected "<URL> <vkey>"/,
    );
    expect(() => parsePeers(`10.0.0.2:7100/x ${vkey}`)).toThrow(
      /^entry 1 .*: "10\.0\.0\.2:7100\/x" is not a URL/,
    );
    expect(() => parsePeers(`file:///etc ${vkey}`)).toThrow(
      /^entry 1 .*: the URL must be http: or https:, not file:/,
    );
    expect(() => parsePeers('http://a:1 not-a-key')).toThrow(/^entry 1 .*: the vkey: /);
    expect(() => parsePeers(`http://a:1 ${vkey} extra`)).toThrow(/^entry 1 .*: expected "<URL> <vkey>"/);
  });
});
