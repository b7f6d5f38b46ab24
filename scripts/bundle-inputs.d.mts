export declare const BUNDLE_INPUTS_FORMAT: 'enclave-bundle-inputs/1';
export declare function inputPath(id: string, projectRoot: string): string | null;
export declare function writeBundleInputs(
  file: string,
  bundle: string,
  outputs: Record<string, readonly string[]>,
  projectRoot: string,
): void;
