/**
 * What the BagIt validator and the Enclave profile report (docs/bagit.md lists every code). A
 * problem makes the bag invalid; a warning does not (the Enclave profile refuses warnings too).
 */
export type BagProblemCode =
  // bagit.txt and the other tag files
  | 'MISSING_BAGIT_TXT'
  | 'BOM_IN_BAGIT_TXT'
  | 'BAD_VERSION'
  | 'MISSING_ENCODING'
  | 'UNSUPPORTED_ENCODING'
  | 'BAD_ENCODING'
  | 'BAD_TAG_LINE'
  | 'TAG_LINE_WHITESPACE'
  | 'BAD_OXUM'
  | 'OXUM_MISMATCH'
  // manifests and fetch.txt
  | 'MISSING_DATA_DIR'
  | 'MISSING_PAYLOAD_MANIFEST'
  | 'UNSUPPORTED_ALGORITHM'
  | 'WEAK_ALGORITHM'
  | 'BAD_MANIFEST_LINE'
  | 'BAD_HASH'
  | 'MD5SUM_BINARY_MARKER'
  | 'LEADING_DOT_SLASH'
  | 'NON_CANONICAL_PATH'
  | 'UNENCODED_PERCENT'
  | 'DUPLICATE_ENTRY'
  | 'BAD_FETCH_LINE'
  | 'FETCH_NOT_IN_MANIFEST'
  | 'FETCH_FILE_ABSENT'
  // the files themselves
  | 'PATH_OUT_OF_SCOPE'
  | 'FILE_MISSING'
  | 'FILE_NOT_IN_MANIFEST'
  | 'FILE_NOT_IN_EVERY_MANIFEST'
  | 'PAYLOAD_HASH_MISMATCH'
  | 'TAG_HASH_MISMATCH'
  | 'UNSAFE_FILE_TYPE'
  | 'UNREADABLE'
  | 'CASE_COLLISION'
  | 'NORMALIZATION_COLLISION'
  | 'SPECIAL_SYSTEM_FILE'
  // bounds (the validator's own, and the Enclave profile's limits)
  | 'LIMIT_FILE_COUNT'
  | 'LIMIT_FILE_SIZE'
  | 'LIMIT_TOTAL_SIZE'
  | 'LIMIT_PATH_LENGTH'
  | 'LIMIT_TAG_FILE_SIZE'
  | 'LIMIT_MANIFEST_LINES'
  | 'TOO_MANY_PROBLEMS'
  // the Enclave profile (checkEnclaveProfile)
  | 'PROFILE_VERSION'
  | 'PROFILE_ENCODING'
  | 'PROFILE_MANIFEST_ALGORITHM'
  | 'PROFILE_FETCH'
  | 'PROFILE_MISSING_FILE'
  | 'PROFILE_UNEXPECTED_FILE'
  | 'PROFILE_TAG_MANIFEST'
  | 'PROFILE_HARD_LINK'
  | 'PROFILE_PATH_NAME'
  | 'PROFILE_COLLISION';

export interface BagProblem {
  code: BagProblemCode;
  /** The bag-relative path (or the manifest line's path) the problem is about, when there is one. */
  path?: string;
  /** One sentence for an administrator. */
  message: string;
}

export interface BagValidation {
  valid: boolean;
  problems: BagProblem[];
  warnings: BagProblem[];
}

/** Default bound on what one validation reports: the rest is summarised by one TOO_MANY_PROBLEMS. */
export const DEFAULT_MAX_PROBLEMS = 1000;

/**
 * Collects problems and warnings, each list bounded: a bag with a million bad lines costs a
 * bounded report, and the validation still says invalid.
 */
export class ProblemList {
  readonly problems: BagProblem[] = [];
  readonly warnings: BagProblem[] = [];
  private droppedProblems = 0;
  private droppedWarnings = 0;

  constructor(private readonly max = DEFAULT_MAX_PROBLEMS) {}

  problem(code: BagProblemCode, message: string, path?: string): void {
    if (this.problems.length >= this.max) this.droppedProblems++;
    else this.problems.push(path === undefined ? { code, message } : { code, path, message });
  }

  warning(code: BagProblemCode, message: string, path?: string): void {
    if (this.warnings.length >= this.max) this.droppedWarnings++;
    else this.warnings.push(path === undefined ? { code, message } : { code, path, message });
  }

  has(code: BagProblemCode): boolean {
    return this.problems.some((p) => p.code === code);
  }

  get invalid(): boolean {
    return this.problems.length > 0 || this.droppedProblems > 0;
  }

  result(): BagValidation {
    const problems = [...this.problems];
    const warnings = [...this.warnings];
    if (this.droppedProblems > 0)
      problems.push({
        code: 'TOO_MANY_PROBLEMS',
        message: `${this.droppedProblems} further problems were found and not listed.`,
      });
    if (this.droppedWarnings > 0)
      warnings.push({
        code: 'TOO_MANY_PROBLEMS',
        message: `${this.droppedWarnings} further warnings were found and not listed.`,
      });
    return { valid: problems.length === 0, problems, warnings };
  }
}
