/** Object identifiers the identity layer reads. Policy OIDs and their sources: docs/identity.md. */
export { CARD_AUTHENTICATION_POLICIES, DEFAULT_AUTHENTICATION_POLICIES } from '../../../common/site/site-config';

export const OID = {
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  certificatePolicies: '2.5.29.32',
  anyPolicy: '2.5.29.32.0',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  inhibitAnyPolicy: '2.5.29.54',
  nameConstraints: '2.5.29.30',
  /** Microsoft UPN otherName in the SAN: EDIPI@mil on a CAC. */
  upn: '1.3.6.1.4.1.311.20.2.3',
  signedData: '1.2.840.113549.1.7.2',
} as const;

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
