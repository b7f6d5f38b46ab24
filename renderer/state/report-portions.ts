import { formatBanner, parseMarking, rollup, type Marking, type MarkingPolicy } from '../../common/markings';
import type { Model } from '../../common/model/model';
import { SECTION_KINDS, type SectionKind } from '../../common/report/report-definition';
import { itemsShownBy, shownOutputs } from '../../common/report/shown-items';

/**
 * Each section's starting portion mark: the roll-up of the portion marks of what it shows (its model
 * items), so it checks as it is; a section of the analyst's text alone starts UNCLASSIFIED. The model's
 * banner where the items cannot be read or rolled up (the service then says why).
 */
export function sectionPortions(model: Model, policy: MarkingPolicy): Record<SectionKind, string> {
  const outputs = shownOutputs(null, model);
  const entries = SECTION_KINDS.map((kind): [SectionKind, string] => {
    const markings: Marking[] = [];
    for (const item of itemsShownBy(kind, [model], outputs)) {
      const parsed = parseMarking(item.portion, policy);
      if (!parsed.ok) return [kind, model.marking];
      markings.push(parsed.marking);
    }
    try {
      return [kind, formatBanner(rollup(markings, policy))];
    } catch {
      return [kind, model.marking];
    }
  });
  return Object.fromEntries(entries) as Record<SectionKind, string>;
}
