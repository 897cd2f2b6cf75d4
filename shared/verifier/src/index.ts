// @rxledger/verifier: checks a provenance bundle offline (STYLE §8). No server, no node:crypto:
// proofs and checkpoints with @rxledger/tlog, signatures with @noble, so the CLI and a browser page
// reach the same verdict from the same bytes.

export {
  type AlertDeliveryCheck,
  alertDeliveryHmac,
  alertDeliverySignedContent,
  DEFAULT_DELIVERY_TOLERANCE_S,
  DELIVERY_ID_HEADER,
  DELIVERY_SIGNATURE_HEADER,
  DELIVERY_TIMESTAMP_HEADER,
  type DeliveryHeaders,
  type VerifyDeliveryOptions,
  verifyAlertDelivery,
  webhookSecretBytes,
} from './alert-delivery-signature.ts';
export {
  type BundleCheck,
  type BundleReport,
  CHECK_NAMES,
  type CheckName,
  type TimelineEntry,
  type VerifierTrust,
  type WitnessPolicy,
  type WitnessReport,
} from './bundle-report.ts';
export { parseWitnessPolicy } from './check-witnesses.ts';
export { describeChanges, describeEffect } from './describe-effect.ts';
export { formatReport } from './format-report.ts';
export { type BundleLeaf, type ParsedBundle, type ParseResult, parseBundle } from './parse-bundle.ts';
export type { ProvenanceBundle, ProvenLeaf } from './provenance-bundle.ts';
export { verifyBundle, verifyBundleText } from './verify-bundle.ts';
export {
  AnchorError,
  type AnchorText,
  type CredentialAnchors,
  credentialAnchors,
  credentialWitnessPolicy,
  CREDENTIAL_FIELDS,
  readTrustAnchors,
} from './trust-anchors.ts';
export { warmVerifier } from './warm-up.ts';
