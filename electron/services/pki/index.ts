/** The RFC 5280 certification path validator (docs/identity.md, "Path validation (RFC 5280)"). */
export { validateCertificatePath } from './validate-path';
export { parseCrl } from './crl';
export {
  parseCertificateDer,
  summarize,
  formatName,
  MalformedInputError,
  type ParsedCertificate,
  type CertificateSummary,
} from './x509';
export type * from './types';
