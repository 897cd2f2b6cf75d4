import {
  type CosignatureVerifier,
  hex8,
  parseCosignatureVerifierKey,
  parseVerifierKey,
} from '@rxledger/tlog';

/** One witness this node asks for cosignatures: its submission prefix and its key. */
export interface WitnessEndpoint {
  /** The submission prefix: the node posts to `<url>/add-checkpoint`. No trailing slash. */
  readonly url: string;
  readonly key: CosignatureVerifier;
  /** `<name>+<key id>`, how the witness is named in logs and in the database. */
  readonly id: string;
}

/** A configuration value that does not parse; the message names the variable, the entry and why. */
export class WitnessConfigError extends Error {}

/**
 * Parses the list of witnesses, `<url> <vkey>` entries separated by commas or newlines, e.g.
 * `http://127.0.0.1:7380 witness.local/w1+4c2a9f10+BM1v…`. The vkey is the witness's C2SP
 * cosignature key (type 0x04). Empty text means no witnesses.
 * @example parseWitnessList(process.env.RXLEDGER_WITNESSES ?? '', 'RXLEDGER_WITNESSES')
 */
export function parseWitnessList(text: string, variable: string): WitnessEndpoint[] {
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const out: WitnessEndpoint[] = [];
  entries.forEach((entry, i) => {
    const fail = (reason: string): never => {
      const shown = entry.length > 80 ? `${entry.slice(0, 77)}...` : entry;
      throw new WitnessConfigError(`${variable}: entry ${i + 1} (${JSON.stringify(shown)}): ${reason}`);
    };
    const parts = entry.split(/\s+/);
    if (parts.length !== 2) fail(`expected "<url> <witness vkey>", got ${parts.length} field(s)`);
    const [rawUrl, vkey] = parts as [string, string];
    const url = submissionPrefix(rawUrl, fail);
    let key: CosignatureVerifier;
    try {
      key = parseCosignatureVerifierKey(vkey);
    } catch (err) {
      fail((err as Error).message);
    }
    const id = `${key!.name}+${hex8(key!.keyId)}`;
    if (out.some((w) => w.id === id)) fail(`witness key ${id} is listed twice`);
    out.push({ url, key: key!, id });
  });
  return out;
}

/**
 * Parses the note keys (type 0x01 vkeys, named after their log's origin) of the logs this node
 * cosigns as a witness, separated by commas or newlines.
 */
export function parseWitnessedLogs(text: string, variable: string) {
  return text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((vkey, i) => {
      try {
        return parseVerifierKey(vkey);
      } catch (err) {
        throw new WitnessConfigError(`${variable}: entry ${i + 1}: ${(err as Error).message}`);
      }
    });
}

function submissionPrefix(raw: string, fail: (reason: string) => never): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`URL scheme ${url.protocol} is not http or https`);
  if (url.search !== '' || url.hash !== '') fail('the URL must not have a query or a fragment');
  if (url.username !== '' || url.password !== '') fail('the URL must not carry credentials');
  return url.href.replace(/\/+$/, '');
}
