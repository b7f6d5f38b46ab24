/** Signing the offline release kit on a PKCS#11 token, and the release key's certificate request (docs/release.md). */
export { releaseKeyCsr } from './release-csr';
export { MAX_SUMS_BYTES, SIGNATURE_FILE, SUMS_FILE, signReleaseKit, type SignedKit } from './sign-kit';
export { CODE_SIGNING_OID, checkSignerCertificate, readPemCertificates } from './signer-certificate';
