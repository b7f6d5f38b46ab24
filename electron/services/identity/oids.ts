/** Object identifiers the identity layer reads. Policy OIDs and their sources: docs/identity.md. */
export { CARD_AUTHENTICATION_POLICIES, DEFAULT_AUTHENTICATION_POLICIES } from '../../../common/site/site-config';

export { OID } from '../pki/oids';

/** Extended key usages that allow a PIV Authentication certificate to log a user in. */
export const CLIENT_AUTH_EKUS = [
  '1.3.6.1.5.5.7.3.2', // id-kp-clientAuth
  '1.3.6.1.4.1.311.20.2.2', // Microsoft smartcardLogon
  '1.3.6.1.5.2.3.4', // id-pkinit-KPClientAuth
  '2.5.29.37.0', // anyExtendedKeyUsage
] as const;

/** id-PIV-cardAuth (FIPS 201 appendix B): the EKU of a Card Authentication certificate. */
export const PIV_CARD_AUTH_EKU = '2.16.840.1.101.3.6.8';
