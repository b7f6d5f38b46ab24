/** The BagIt layer of bundles (docs/bagit.md): RFC 8493 validation and Enclave's stricter profile. */
export { validateBag, DEFAULT_VALIDATE_LIMITS, type BagReport, type ValidateBagOptions } from './validate-bag';
export type { BagInfoEntry } from './declaration';
export type { BagProblem, BagProblemCode, BagValidation } from './problems';
