import type { RegistryAnswer } from './registry-client.ts';

/** The registry as a readable table: one line per party, one indented line per key. */
export function formatRegistry(registry: RegistryAnswer): string[] {
  const rows = registry.parties.map((p) => [
    p.gln,
    p.name,
    p.roles.join(','),
    p.companyPrefixes.join(',') || '-',
  ]);
  const head = ['GLN', 'NAME', 'ROLES', 'COMPANY PREFIXES'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  const lines = [`Registry (authority key ${registry.authorityKey})`, line(head)];
  for (const [i, p] of registry.parties.entries()) {
    lines.push(line(rows[i]!));
    for (const k of p.keys) {
      const revoked =
        k.revokedAt === undefined
          ? ''
          : `  REVOKED from ${k.revokedAt}: ${k.revocationReason ?? '(no reason)'}`;
      lines.push(`    key ${k.keyId}  ${k.publicKey}  valid from ${k.validFrom}${revoked}`);
    }
  }
  return lines;
}
