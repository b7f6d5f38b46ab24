/** The BagIt layer of bundles (docs/bagit.md): RFC 8493 validation and Enclave's stricter profile. */
export { validateBag, DEFAULT_VALIDATE_LIMITS, type BagReport, type ValidateBagOptions } from './validate-bag';
export type { BagInfoEntry } from './declaration';
export type { BagProblem, BagProblemCode, BagValidation } from './problems';
export {
  checkEnclaveProfile,
  DEFAULT_ENCLAVE_LIMITS,
  REQUIRED_TAG_FILES,
  TAG_MANIFEST_LISTS,
  type EnclaveBagLimits,
  type EnclaveProfileOptions,
} from './enclave-profile';
export { unsafePathReason, findCollisions } from './path-rules';
export { writeBagTagFiles, encodeManifestPath, writeFileAtomic } from './write-bag';
