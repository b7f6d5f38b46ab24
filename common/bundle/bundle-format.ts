/**
 * Enclave's export bundle, version 1 (docs/bundle-format.md): a BagIt 1.0 bag (RFC 8493) with
 * sha512 manifests, Enclave's fields in bag-info.txt, one JSON file per record under data/, and a
 * detached CMS signature over tagmanifest-sha512.txt. The names here are the format: another
 * implementation reads and writes exactly these.
 */
export const BUNDLE_FORMAT = 'enclave-bundle/1';
export const RECORD_FORMAT = 'enclave-bundle-record/1';

export const TAG_FILES = {
  bagit: 'bagit.txt',
  bagInfo: 'bag-info.txt',
  manifest: 'manifest-sha512.txt',
  tagManifest: 'tagmanifest-sha512.txt',
} as const;

/** Outside the tag manifest, since they sign it. */
export const SIGNATURE_FILES = {
  cms: 'signature.cms',
  mlDsa: 'signature-mldsa87.bin',
} as const;

/** The exact bagit.txt every bundle carries. */
export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

/** Enclave's bag-info.txt labels, in the order they are written (after the standard ones). */
export const INFO_LABELS = {
  bundleId: 'Enclave-Bundle-Id',
  format: 'Enclave-Format',
  sourceSite: 'Enclave-Source-Site',
  sourceNetwork: 'Enclave-Source-Network',
  destination: 'Enclave-Destination-Profile',
  channel: 'Enclave-Channel-Id',
  sequence: 'Enclave-Sequence-Number',
  previousHash: 'Enclave-Previous-Bundle-Hash',
  created: 'Enclave-Created',
  expires: 'Enclave-Expires',
  banner: 'Enclave-Banner',
  recordCount: 'Enclave-Record-Count',
  signer: 'Enclave-Signer',
} as const;

/** The previous-hash value of the first bundle on a channel. */
export const NO_PREVIOUS_BUNDLE = 'none';

/** Where records live in the bag: one file each, named by kind and the SHA-256 of its bytes. */
export const RECORD_DIR = 'data/records';
export const recordPath = (kind: string, sha256: string) => `${RECORD_DIR}/${kind}-${sha256}.json`;
export const RECORD_PATH = /^data\/records\/(model-version|run|report)-([0-9a-f]{64})\.json$/;
