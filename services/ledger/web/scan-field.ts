// A wedge scanner types the group separator as ASCII 29, which an input shows as nothing at all; the
// field shows it as <GS> instead, which normalizeScannerInput reads back as ASCII 29.
import { GS } from '@rxledger/gs1';

/** `value` with every ASCII 29 shown as `<GS>`, and where the caret at `caret` moves to. */
export function visibleSeparators(value: string, caret: number): { value: string; caret: number } {
  const before = value.slice(0, caret).replaceAll(GS, '<GS>');
  return { value: before + value.slice(caret).replaceAll(GS, '<GS>'), caret: before.length };
}
