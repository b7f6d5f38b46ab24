import {
  CLASSIFICATION_RANK,
  dominates,
  formatBanner,
  normalize,
  parseMarking,
  withinSystemHigh,
  type Marking,
  type MarkingPolicy,
} from '../../../common/markings';

const RAISES = ['C', 'S', 'TS'] as const;

/**
 * The banners a report may carry, given the roll-up of its portions: the roll-up itself first, then
 * the roll-up at each higher classification (its controls kept) that is a valid marking, dominates
 * the roll-up and stays within the system high. A banner below the roll-up is never offered.
 */
export function bannerRaises(rolledUp: string, systemHigh: Marking, policy: MarkingPolicy): string[] {
  const parsed = parseMarking(rolledUp, policy);
  if (!parsed.ok) return [];
  const base = parsed.marking;
  const banners = [formatBanner(base)];
  for (const classification of RAISES) {
    if (CLASSIFICATION_RANK[classification] <= CLASSIFICATION_RANK[base.classification]) continue;
    const raised = parseMarking(formatBanner(normalize({ ...base, classification, cui: null })), policy);
    if (!raised.ok || !dominates(raised.marking, base, policy)) continue;
    if (!withinSystemHigh(systemHigh, raised.marking, policy)) continue;
    const text = formatBanner(raised.marking);
    if (!banners.includes(text)) banners.push(text);
  }
  return banners;
}
