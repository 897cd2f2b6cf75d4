// CSV as spreadsheets read it (RFC 4180): every cell quoted, quotes doubled, CRLF line ends. A cell
// that a spreadsheet would run as a formula (= + - @, tab, CR) is prefixed with ' so it stays text:
// serials and lots come from scanners and partners, not from us.

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV document of `rows` under `header`. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}
