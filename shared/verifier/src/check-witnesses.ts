import {
  type CosignatureVerifier,
  cosignatures,
  parseCosignatureVerifierKey,
  parseNote,
} from '@rxledger/tlog';
import type { BundleCheck, WitnessPolicy, WitnessReport } from './bundle-report.ts';

/**
 * The witness policy's parsed keys; throws (a malformed trust anchor, like a bad checkpoint key) when
 * a key does not parse, a witness is listed twice, or the quorum is not a whole number in [1, n].
 */
export function parseWitnessPolicy(policy: WitnessPolicy): CosignatureVerifier[] {
  if (typeof policy !== 'object' || policy === null || !Array.isArray(policy.keys)) {
    throw new TypeError('witness policy: expected { quorum, keys: [vkey, ...] }');
  }
  const keys = policy.keys.map((vkey, i) => {
    try {
      return parseCosignatureVerifierKey(vkey);
    } catch (err) {
      throw new TypeError(`witness policy: keys[${i}]: ${(err as Error).message}`, { cause: err });
    }
  });
  const ids = keys.map((k) => `${k.name}+${k.keyId}`);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined)
    throw new TypeError(`witness policy: witness ${keys[ids.indexOf(twice)]!.name} is listed twice`);
  const { quorum } = policy;
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > keys.length) {
    throw new TypeError(
      `witness policy: quorum must be a whole number from 1 to ${keys.length}, got ${String(quorum)}`,
    );
  }
  return keys;
}

/**
 * Whether the checkpoint note carries valid cosignatures (C2SP tlog-cosignature) by at least `quorum`
 * of the policy's witnesses, and which did. Without a policy it passes and says so: old bundles and
 * verifiers that trust the node's signature alone keep working.
 */
export function checkWitnesses(
  note: string,
  policy: WitnessPolicy | undefined,
  keys: readonly CosignatureVerifier[],
  logSigned: boolean,
): { check: BundleCheck; report?: WitnessReport } {
  const what = 'witness cosignatures';
  if (policy === undefined) {
    let lines = 0;
    try {
      lines = parseNote(note).signatures.length;
    } catch {
      // the checkpoint check already says why the note does not parse
    }
    const other = lines > 1 ? `; ${lines - 1} signature lines besides the log's own were not checked` : '';
    return { check: { ok: true, what, detail: `no witness policy in the trust anchors${other}` } };
  }
  let statuses;
  try {
    statuses = cosignatures(note, keys);
  } catch (err) {
    return { check: { ok: false, what, detail: `not checked: ${(err as Error).message}` } };
  }
  const report: WitnessReport = {
    quorum: policy.quorum,
    of: keys.length,
    cosigned: statuses.flatMap((s) =>
      s.status === 'cosigned'
        ? [{ name: s.witness.name, vkey: s.witness.vkey, time: new Date(s.timestamp * 1000).toISOString() }]
        : [],
    ),
    missing: statuses.filter((s) => s.status === 'missing').map((s) => s.witness.name),
    invalid: statuses.filter((s) => s.status === 'invalid').map((s) => s.witness.name),
  };
  const n = report.cosigned.length;
  const parts = [
    `${n} of ${keys.length} witnesses cosigned, the policy needs ${policy.quorum}`,
    ...(n > 0 ? [`cosigned by ${report.cosigned.map((c) => `${c.name} at ${c.time}`).join(', ')}`] : []),
    ...(report.missing.length > 0 ? [`no cosignature by ${report.missing.join(', ')}`] : []),
    ...(report.invalid.length > 0
      ? [`a cosignature that does not verify by ${report.invalid.join(', ')}`]
      : []),
    ...(logSigned ? [] : ["the log's own signature did not verify"]),
  ];
  return { check: { ok: logSigned && n >= policy.quorum, what, detail: parts.join('; ') }, report };
}
