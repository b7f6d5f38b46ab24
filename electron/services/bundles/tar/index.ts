/** The safe tar layer under bundles (docs/bagit.md, "Safe tar"). */
export { extractBundleTar, DEFAULT_TAR_LIMITS, type ExtractedTar, type TarLimits } from './extract-tar';
export { writeBundleTar, type WriteTarOptions } from './write-tar';
export { resolveTarSources, partName } from './tar-parts';
export { TarError, type TarErrorCode } from './tar-error';
