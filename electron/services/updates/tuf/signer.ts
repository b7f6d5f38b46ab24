/**
 * A TUF public key as metadata carries it (TUF 1.0 §4.2, securesystemslib's key format): `ed25519`
 * keys are the raw 32 bytes in hex; `ecdsa` and `rsa` keys are SPKI PEM.
 */
export interface TufPublicKey {
  readonly keytype: 'ed25519' | 'ecdsa' | 'rsa';
  readonly scheme: TufScheme;
  readonly keyval: { readonly public: string };
}

/** The signature schemes Enclave verifies: P-384 (CNSA) for its own repositories, the rest for interoperability. */
export type TufScheme = 'ecdsa-sha2-nistp384' | 'ecdsa-sha2-nistp256' | 'ed25519' | 'rsassa-pss-sha256';

/**
 * Whoever can sign a role's metadata: a key in memory (tests, the conformance suite's repository) or a
 * role key on a PKCS#11 token (an officer's card or an HSM). `sign` is given the canonical JSON bytes of
 * `signed` and returns the signature as TUF carries it (hex-decoded): DER for ECDSA, raw for ed25519 and PSS.
 */
export interface TufSigner {
  readonly key: TufPublicKey;
  sign(message: Uint8Array): Promise<Uint8Array>;
}
