// The marking system every feature uses: parse, validate, format, roll up, compare.
export * from './model';
export { parseMarking, parseMarkingOrThrow, type ParseResult } from './parse';
export { formatBanner, formatPortion, normalize, sortCuiCategories } from './format';
export { checkMarking } from './rules';
export { rollup, MarkingRollupError } from './rollup';
export {
  dominates,
  withinSystemHigh,
  fitsDestination,
  type DestinationProfile,
  type DestinationFit,
} from './dominance';
export {
  createPolicy,
  DEFAULT_POLICY,
  sortCountryCodes,
  ALL_CONTROLS,
  MarkingPolicySettingsSchema,
  type MarkingPolicy,
  type MarkingPolicySettings,
  type ControlName,
} from './marking-policy';
export { bannerLevel, bannerStyle, BannerMarkingError, type BannerStyle } from './banner';
export { BANNER_PALETTE, LEVELS, type BannerLevel } from './levels';
export { CLASSIFICATIONS, DISSEM_CONTROLS, DEFAULT_SCI_SYSTEMS, DEFAULT_TETRAGRAPHS } from './vocabulary';
export { ISO_3166_TRIGRAPHS } from './countries';
