// @rxledger/events: custody events, their Avro wire format (single-object encoding), Ed25519 signatures,
// the participant registry, and validation of events as scanners send them.

export * from './portable.ts';
export { asBuffer, asBytes } from './bytes.ts';
export { nodeEd25519 } from './ed25519-node.ts';
export {
  readSigningKeyFile,
  readVerifyingKeyFile,
  type SigningKeyFile,
  writeSigningKeyFile,
  writeVerifyingKeyFile,
} from './key-file.ts';
