import { type BundleCheck, type BundleReport, CHECK_NAMES, type TimelineEntry } from './bundle-report.ts';

const PASS = '✓';
const FAIL = '✗';
const mark = (ok: boolean) => (ok ? PASS : FAIL);

/**
 * The report as text for a terminal: the bundle-wide checks, one line per registry leaf and per
 * timeline entry (index, time at its original offset, type, party, site, effect) marked ✓ when every
 * check of that leaf passed, each failed check under its leaf, a tally per check, and a verdict line.
 * @example for (const line of formatReport(verifyBundle(bundle, trust))) console.log(line)
 */
export function formatReport(report: BundleReport): string[] {
  const lines: string[] = [];
  const byIndex = new Map<number, BundleCheck[]>();
  for (const c of report.checks) {
    if (c.index !== undefined) byIndex.set(c.index, [...(byIndex.get(c.index) ?? []), c]);
  }
  const global = (c: BundleCheck) => c.index === undefined || (c.what === 'hash links' && c.ok);
  const shown = new Set<number>();
  const row = (t: TimelineEntry) => {
    shown.add(t.index);
    const failed = (byIndex.get(t.index) ?? []).filter((c) => !c.ok);
    lines.push(
      `${mark(failed.length === 0 && t.verified)} ${String(t.index).padStart(6)}  ${t.eventTime.padEnd(25)}  ` +
        `${t.type.padEnd(12)}  party ${t.party}  site ${t.site}  ${t.effect}`,
    );
    for (const c of failed) lines.push(`           ${FAIL} ${c.what}: ${c.detail ?? ''}`);
  };
  const checkLine = (c: BundleCheck) =>
    `${mark(c.ok)} ${c.what}${c.index === undefined ? '' : ` [${c.index}]`}: ${c.detail ?? ''}`;

  lines.push(`Provenance bundle of ${report.item ?? '(unknown item)'}`);
  const before = report.checks.filter(
    (c) => global(c) && c.what !== 'hash links' && c.what !== 'registry completeness',
  );
  for (const c of before) lines.push(checkLine(c));
  if (report.registry.length > 0) {
    lines.push('', 'Registry');
    for (const t of report.registry) row(t);
  }
  for (const c of report.checks.filter((c) => c.what === 'registry completeness')) lines.push(checkLine(c));
  if (report.timeline.length > 0) {
    lines.push('', `Timeline of ${report.item}`);
    for (const t of report.timeline) row(t);
  }
  const links = report.checks.filter((c) => c.what === 'hash links' && (c.ok || c.index === undefined));
  if (links.length > 0) {
    lines.push('', 'Hash links');
    for (const c of links) lines.push(checkLine(c));
  }
  const orphans = report.checks.filter((c) => c.index !== undefined && !shown.has(c.index) && !global(c));
  if (orphans.length > 0) {
    lines.push('', 'Leaves that could not be read');
    for (const c of orphans) lines.push(checkLine(c));
  }

  const tally = CHECK_NAMES.flatMap((what) => {
    const of = report.checks.filter((c) => c.what === what);
    if (of.length === 0) return [];
    const passed = of.filter((c) => c.ok).length;
    return [`${mark(passed === of.length)} ${what} ${passed}/${of.length}`];
  });
  lines.push('', `Checks: ${tally.join('  ')}`);
  const failed = report.checks.filter((c) => !c.ok).length;
  const against = report.checkpoint
    ? ` against ${report.checkpoint.origin} at tree size ${report.checkpoint.size}`
    : '';
  lines.push(
    report.ok
      ? `${PASS} VERIFIED: all ${report.checks.length} checks passed${against}`
      : `${FAIL} NOT VERIFIED: ${failed} of ${report.checks.length} checks failed${against}`,
  );
  return lines;
}
