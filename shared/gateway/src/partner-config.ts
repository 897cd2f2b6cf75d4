import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isValidGln } from '@rxledger/gs1';
import { ConfigError } from '@rxledger/runtime';
import { z } from 'zod';

const gln = z
  .string({ error: 'must be a GLN-13 string' })
  .refine(isValidGln, 'must be a GLN-13 with a correct check digit');

const scannerSchema = z.strictObject({
  // The site its events happen at by default; `sites` lists further sites it may post for (a
  // handheld that moves between two warehouses). A scanner may post for no other site.
  site: gln,
  sites: z.array(gln, { error: 'must be an array of GLNs' }).min(1, 'must list at least one site').optional(),
  keyHash: z
    .string({ error: 'must be a string' })
    .regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" followed by 64 lowercase hex digits'),
});

const partySchema = z.strictObject({
  gln,
  name: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
  keyFile: z.string({ error: 'must be a path' }).min(1, 'must be a path'),
  // A key being rotated in: signed with once the ledger's registry holds it, valid and unrevoked, for
  // this party (keyFile's key until then), so a rotation needs no restart and no moment of bad keys.
  // It may name a file that does not exist yet: it is taken when it appears.
  nextKeyFile: z.string({ error: 'must be a path' }).min(1, 'must be a path').optional(),
  // Sent as a bearer token on this party's calls to the ledger; absent where the ledger asks for none.
  ledgerToken: z.string().min(1, 'must not be empty').optional(),
  scanners: z.array(scannerSchema, { error: 'must be an array' }).min(1, 'must list at least one scanner'),
});

const fileSchema = z
  .strictObject({
    parties: z.array(partySchema, { error: 'must be an array' }).min(1, 'must list at least one party'),
  })
  .superRefine((config, ctx) => {
    const glns = new Map<string, number>();
    const hashes = new Map<string, string>();
    config.parties.forEach((party, i) => {
      const first = glns.get(party.gln);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['parties', i, 'gln'],
          message: `repeats parties[${first}].gln`,
        });
      } else glns.set(party.gln, i);
      party.scanners.forEach((scanner, j) => {
        const at = `parties[${i}].scanners[${j}]`;
        const other = hashes.get(scanner.keyHash);
        // One key bound to two sites would make the site an event is stamped with ambiguous.
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['parties', i, 'scanners', j, 'keyHash'],
            message: `repeats ${other}.keyHash`,
          });
        } else hashes.set(scanner.keyHash, at);
      });
    });
  });

/** The parties one partner service hosts: the contents of the PARTNER_CONFIG file. */
export type PartnerConfig = z.output<typeof fileSchema>;
/** One hosted party: its GLN, its signing key file and the hashes of its scanners' keys. */
export type PartyConfig = PartnerConfig['parties'][number];

/**
 * Checks a parsed PARTNER_CONFIG document; throws ConfigError naming each bad JSON path. Relative
 * `keyFile` paths are resolved against `baseDir` (the config file's folder), so the folder can move.
 */
export function parsePartnerConfig(json: unknown, source: string, baseDir: string): PartnerConfig {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${jsonPath(issue.path)}: ${issue.message}`);
    throw new ConfigError(`${source}: invalid partner configuration\n${lines.join('\n')}`);
  }
  const parties = parsed.data.parties.map((p) => ({
    ...p,
    keyFile: resolve(baseDir, p.keyFile),
    ...(p.nextKeyFile === undefined ? {} : { nextKeyFile: resolve(baseDir, p.nextKeyFile) }),
  }));
  const same = parties.findIndex((p) => p.nextKeyFile === p.keyFile);
  if (same >= 0) {
    throw new ConfigError(
      `${source}: invalid partner configuration\n  parties[${same}].nextKeyFile: is the keyFile itself; name the new key's file`,
    );
  }
  return { parties };
}

/**
 * Reads and checks the PARTNER_CONFIG file at `path`.
 * @example await readPartnerConfig('data/demo/manufacturer.json')
 */
export async function readPartnerConfig(path: string): Promise<PartnerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`PARTNER_CONFIG: cannot read ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`PARTNER_CONFIG: ${path} is not JSON (${whereParsingFailed(err as Error, text)})`);
  }
  return parsePartnerConfig(json, `PARTNER_CONFIG ${path}`, dirname(resolve(path)));
}

function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/**
 * Where JSON.parse stopped, as line and column. Never the parser's own message: V8 quotes the text
 * around the fault, and a config file holds ledger tokens, which must not reach a log or /healthz.
 */
function whereParsingFailed(err: Error, text: string): string {
  const at = /at position (\d+)/.exec(err.message);
  if (at === null) {
    if (/end of JSON/.test(err.message)) return 'it ends too early or is empty';
    return /^Unexpected token/.test(err.message) ? 'an unexpected token' : 'malformed';
  }
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}
