/** Object identifiers the identity layer reads. Policy OIDs and their sources: docs/identity.md. */
export { CARD_AUTHENTICATION_POLICIES, DEFAULT_AUTHENTICATION_POLICIES } from '../../../common/site/site-config';

export { OID } from '../pki/oids';
import { OID } from '../pki/oids';

/** Extended key usages that allow a PIV Authentication certificate to log a user in. */
export const CLIENT_AUTH_EKUS = [
  '1.3.6.1.5.5.7.3.2', // id-kp-clientAuth
  '1.3.6.1.4.1.311.20.2.2', // Microsoft smartcardLogon
  '1.3.6.1.5.2.3.4', // id-pkinit-KPClientAuth
  '2.5.29.37.0', // anyExtendedKeyUsage
] as const;

/** id-PIV-cardAuth (FIPS 201 appendix B): the EKU of a Card Authentication certificate. */
export const PIV_CARD_AUTH_EKU = '2.16.840.1.101.3.6.8';

/** Critical extensions the validator processes; any other critical extension refuses the certificate (RFC 5280 4.2). */
export const UNDERSTOOD_EXTENSIONS: readonly string[] = [
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.authorityKeyIdentifier,
  OID.policyConstraints,
  OID.extKeyUsage,
  OID.inhibitAnyPolicy,
  OID.nameConstraints, // enforced by pkijs's CertificateChainValidationEngine
];
