import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  AnchorError,
  type BundleReport,
  type CredentialAnchors,
  credentialAnchors,
  credentialWitnessPolicy,
  formatReport,
  readTrustAnchors,
  type VerifierTrust,
  verifyBundleText,
  type WitnessPolicy,
} from '@rxledger/verifier';

/** Usage text of `rxledger verify-bundle`, also printed by `rxledger help`. */
export const VERIFY_BUNDLE_USAGE = `rxledger verify-bundle <file|-> [--checkpoint-key VKEY --authority-key BASE64]
                        [--credentials FILE] [--origin NAME] [--json]
                        [--witness VKEY ... --witness-quorum K]

Checks a provenance bundle (GET /v1/provenance) offline, trusting only the keys given: the
checkpoint's signature, its witnesses' cosignatures (when a witness policy is given), every
inclusion proof, the registry folded from its genesis, every signature (with @noble) and the item's
hash links. Prints the item's timeline with a mark per check.
  <file|->                 the bundle's JSON file, or - to read it from standard input
  --checkpoint-key VKEY    the ledger node's checkpoint key, C2SP vkey form (name+keyid+base64)
  --authority-key BASE64   the registry authority's Ed25519 public key (32 bytes, standard base64)
  --credentials FILE       take both keys from a credentials file's ledger.checkpointKey and
                           ledger.authorityPublicKey (e.g. data/demo/credentials.json), and the
                           log's origin from its ledger.checkpointOrigin; flags win
  --origin NAME            the log's origin: a checkpoint of any other log fails. By default the
                           credentials' ledger.checkpointOrigin, else the checkpoint key's name
                           (in C2SP the key is named after the log's origin)
  --witness VKEY           a witness's C2SP cosignature key (vkey, type 0x04); repeat for each
                           witness of the policy. By default the credentials' ledger.witnessPolicy
  --witness-quorum K       how many of those witnesses must have cosigned the checkpoint
                           (default: all of them)
  --json                   print the whole report as JSON instead of text
Exit status: 0 when every check passes, 1 when any fails, 2 on a usage or I/O error.`;

/** A problem with how the command was called or what it could read: exit status 2. */
class UsageError extends Error {}

/** `rxledger verify-bundle`: returns the exit status. */
export async function verifyBundleCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  stdin: () => Promise<string> = readStdin,
): Promise<number> {
  let report: BundleReport;
  let json: boolean;
  try {
    const { values, positionals } = parseOptions(args);
    if (values.help) {
      out(VERIFY_BUNDLE_USAGE);
      return 0;
    }
    json = values.json ?? false;
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? 'give the bundle file, or - for standard input'
          : `one bundle at a time, got ${positionals.length}: ${positionals.join(' ')}`,
      );
    }
    const trust = await trustFrom(values);
    const source = positionals[0]!;
    const text = await (source === '-' ? stdin() : readText(source, 'bundle file'));
    report = verifyBundleText(text, trust);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`rxledger verify-bundle: ${e.message}\n\n${VERIFY_BUNDLE_USAGE}`);
    return 2;
  }
  if (json) out(JSON.stringify(report, null, 2));
  else for (const line of formatReport(report)) out(line);
  return report.ok ? 0 : 1;
}

type Options = ReturnType<typeof parseOptions>['values'];

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        'checkpoint-key': { type: 'string' },
        'authority-key': { type: 'string' },
        credentials: { type: 'string' },
        origin: { type: 'string' },
        witness: { type: 'string', multiple: true },
        'witness-quorum': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

// The trust anchors: each from its flag, else from the credentials file; both are required. The
// origin: --origin, else the credentials' checkpointOrigin when the key came from them too, else the
// key's name.
async function trustFrom(values: Options): Promise<VerifierTrust> {
  let checkpointKey = values['checkpoint-key'];
  let authorityKey = values['authority-key'];
  // Messages name where a bad key came from: its flag, or its field in the credentials file.
  let checkpointFrom = '--checkpoint-key';
  let authorityFrom = '--authority-key';
  let origin = values.origin;
  let witnesses = witnessFlags(values);
  if (
    values.credentials !== undefined &&
    (checkpointKey === undefined || authorityKey === undefined || witnesses === undefined)
  ) {
    const file = values.credentials;
    const credentials = parseJsonFile(await readText(file, '--credentials file'), file);
    const ledger = credentialsLedger(credentials, file);
    witnesses ??= credentialsWitnesses(credentials, file);
    if (checkpointKey === undefined) {
      checkpointKey = ledger.checkpointKey;
      origin ??= ledger.checkpointOrigin;
      checkpointFrom = `ledger.checkpointKey of ${file}`;
    }
    if (authorityKey === undefined) {
      authorityKey = ledger.authorityPublicKey;
      authorityFrom = `ledger.authorityPublicKey of ${file}`;
    }
  }
  if (checkpointKey === undefined || authorityKey === undefined) {
    const missing = checkpointKey === undefined ? '--checkpoint-key' : '--authority-key';
    throw new UsageError(`${missing} is required (or --credentials FILE holding both trust anchors)`);
  }
  try {
    return readTrustAnchors({
      checkpointKey,
      authorityKey,
      origin,
      witnesses,
      names: { checkpointKey: checkpointFrom, authorityKey: authorityFrom },
    });
  } catch (e) {
    if (!(e instanceof AnchorError)) throw e;
    throw new UsageError(e.message);
  }
}

/** The witness policy of --witness and --witness-quorum, if any (the quorum defaults to all). */
function witnessFlags(values: Options): WitnessPolicy | undefined {
  const keys = values.witness ?? [];
  const quorum = values['witness-quorum'];
  if (keys.length === 0) {
    if (quorum !== undefined) throw new UsageError('--witness-quorum needs at least one --witness VKEY');
    return undefined;
  }
  if (quorum !== undefined && !/^[1-9][0-9]*$/.test(quorum)) {
    throw new UsageError(`--witness-quorum must be a whole number from 1 to ${keys.length}, got ${quorum}`);
  }
  return { quorum: quorum === undefined ? keys.length : Number(quorum), keys };
}

function credentialsWitnesses(credentials: unknown, file: string): WitnessPolicy | undefined {
  try {
    return credentialWitnessPolicy(credentials, file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function credentialsLedger(credentials: unknown, file: string): CredentialAnchors {
  try {
    return credentialAnchors(credentials, file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  } catch (e) {
    throw new UsageError(`cannot read standard input: ${(e as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
