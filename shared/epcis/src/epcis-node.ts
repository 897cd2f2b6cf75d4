// The neutral form both readers produce: an EPCIS document's events as trees of named values, in
// the XML data model (EPCIS 2.0 JSON's differences already undone). It is the model GS1's event hash
// algorithm is defined on, so one tree serves the hash, the custody mapping and the error messages.

/** One element of an event: `name` is the EPCIS field (`epcList`, `bizStep`) or `{namespace}local` for extensions. */
export interface EpcisNode {
  name: string;
  /** The element's text, trimmed; '' when it has none. */
  text: string;
  /** Child elements, then XML attributes (`type` of a source) as children of their own. */
  children: EpcisNode[];
}

/** The events of one document, whatever its syntax and version, in document order. */
export interface EpcisEvents {
  syntax: 'json' | 'xml';
  /** `schemaVersion` as the document states it (`2.0`, `1.2`). */
  schemaVersion: string;
  /** Each event's node is named after its type (`ObjectEvent`); its children are its fields. */
  events: EpcisNode[];
}

/** A node with text and no children. */
export function leaf(name: string, text: string): EpcisNode {
  return { name, text, children: [] };
}

/** The first child named `name`. */
export function childNamed(node: EpcisNode, name: string): EpcisNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** Every child named `name`. */
export function childrenNamed(node: EpcisNode, name: string): EpcisNode[] {
  return node.children.filter((c) => c.name === name);
}
