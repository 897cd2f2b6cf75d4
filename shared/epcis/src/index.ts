export * from './cbv.ts';
export * from './event-id.ts';
export { DEFAULT_READ_LIMITS, MAX_ELEMENT_DEPTH, type ReadLimits } from './epcis-bounds.ts';
export { EpcisDocumentError, type EpcisIssue } from './epcis-issue.ts';
export { childNamed, childrenNamed, type EpcisEvents, type EpcisNode } from './epcis-node.ts';
export { epcisEventHash, preHashString } from './event-hash.ts';
export { readJsonDocument } from './read-json.ts';
export { readXmlDocument } from './read-xml.ts';
