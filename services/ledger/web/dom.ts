// The one way the pages build elements: text only ever goes in as textContent, so nothing the ledger,
// a scanner or a file sends is read as HTML.

/** An element of `tag` with `className` (may be empty) and, if given, `text` as its text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The element with `id`, typed as the caller expects it. */
export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
