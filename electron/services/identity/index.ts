/** Card certificate authentication (issue 6, item 2): trust material, path validation, identity, challenge. See docs/identity.md. */
export { parseTrustAnchors, parseCrls, type TrustAnchorInfo, type CrlInfo } from './trust-material';
export { validateAuthenticationCertificate, type ValidationInput } from './validate';
export type { FailureCode, ValidationFailure, ValidationResult, ValidationSuccess, ValidationWarning } from './results';
export { cardIdentity, edipiFromCommonName, type CardIdentity } from './identity-mapping';
export { proveCardHoldsKey, type ChallengeResult } from './challenge';
export { decidePolicy, type PolicyDecision } from './certificate-policy';
export { crlFreshness, newestCrl } from '../pki/crl-rules';
export type { CertificateSummary } from '../pki/x509';
