import {
  dominates,
  formatBanner,
  formatPortion,
  parseMarking,
  rollup,
  MarkingRollupError,
  type Marking,
  type MarkingPolicy,
} from '../../../common/markings';
import type { Model } from '../../../common/model/model';

/** Every portion mark of a model by its path, as the service reads them (electron/services/models/model-markings.ts). */
export function portionsOf(model: Model): { path: string; marking: string }[] {
  const own = (marking: string | undefined) => marking ?? model.marking;
  const outputMarks = model.outputMarkings ?? {};
  return [
    ...model.inputs.map((i) => ({ path: `inputs.${i.name}`, marking: own(i.marking) })),
    ...model.correlations.map((c) => ({ path: `correlations.${c.a}~${c.b}`, marking: own(c.marking) })),
    ...model.formulas.map((f) => ({ path: `formulas.${f.name}`, marking: own(f.marking) })),
    ...model.outputs.map((o) => ({ path: `outputs.${o}`, marking: own(outputMarks[o]) })),
  ];
}

export interface BannerRollup {
  /** The roll-up of the parts alone (what the banner may not go below), or null when a mark does not read. */
  parts: Marking | null;
  /** The banner the library will keep: the model's own marking rolled up with its parts. */
  banner: string | null;
  /** Whether the model's own marking is below its parts (the service refuses such a save). */
  belowParts: boolean;
  problems: string[];
}

/**
 * The model's banner as the library will keep it: the roll-up of every portion mark with the
 * model's own marking. Shown as the analyst edits; the service computes and enforces it again.
 */
export function bannerRollup(model: Model, policy: MarkingPolicy): BannerRollup {
  const problems: string[] = [];
  const read = (path: string, text: string) => {
    const parsed = parseMarking(text, policy);
    if (parsed.ok) return parsed.marking;
    problems.push(`${path}: "${text}" is not a valid marking`);
    return null;
  };
  const own = read('marking', model.marking);
  const parts = portionsOf(model)
    .map((p) => read(p.path, p.marking))
    .filter((m): m is Marking => m !== null);
  if (problems.length > 0 || !own) return { parts: null, banner: null, belowParts: false, problems };
  try {
    const partsRolled = rollup(parts, policy);
    const banner = formatBanner(rollup([own, ...parts], policy));
    return { parts: partsRolled, banner, belowParts: !dominates(own, partsRolled, policy), problems };
  } catch (error) {
    if (!(error instanceof MarkingRollupError)) throw error;
    return {
      parts: null,
      banner: null,
      belowParts: false,
      problems: [`the portion marks do not combine: ${error.message}`],
    };
  }
}

/** The "(S//NF)" an item shows before its name. */
export function portionText(marking: string | undefined, modelMarking: string, policy: MarkingPolicy): string {
  const parsed = parseMarking(marking ?? modelMarking, policy);
  return parsed.ok ? formatPortion(parsed.marking) : '(?)';
}
