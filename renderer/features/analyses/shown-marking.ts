import {
  BANNER_PALETTE,
  bannerLevel,
  formatBanner,
  parseMarking,
  rollup,
  type BannerLevel,
  type Marking,
} from '../../../common/markings';
import type { Model } from '../../../common/model/model';

/** A marking as the banners show it: its text and its color level. */
export interface ShownMarking {
  text: string;
  level: BannerLevel;
}

/** The portion mark of a model item: its own, else the model's (docs/models.md, "Markings"). */
function portionOf(model: Model, name: string): string {
  const input = model.inputs.find((i) => i.name === name);
  if (input) return input.marking ?? model.marking;
  const output = model.outputMarkings?.[name];
  if (output) return output;
  return model.formulas.find((f) => f.name === name)?.marking ?? model.marking;
}

function parsed(text: string): Marking | null {
  const result = parseMarking(text);
  if (result.ok) return result.marking;
  // A portion mark in its short form, "(S//NF)".
  const inner = /^\((.*)\)$/.exec(text.trim());
  if (!inner) return null;
  const again = parseMarking(inner[1]!);
  return again.ok ? again.marking : null;
}

/**
 * The marking of what an analysis shows: the roll-up of the portion marks of the inputs and
 * outputs it draws. Where a portion cannot be read here (a site vocabulary this page does not
 * know) or cannot roll up, the run's banner is shown instead: never lower than the truth.
 */
export function shownMarking(model: Model, names: readonly string[], banner: ShownMarking): ShownMarking {
  const portions: Marking[] = [];
  for (const name of new Set(names)) {
    const marking = parsed(portionOf(model, name));
    if (!marking) return banner;
    portions.push(marking);
  }
  if (portions.length === 0) return banner;
  try {
    const marking = rollup(portions);
    return { text: formatBanner(marking), level: bannerLevel(marking) };
  } catch {
    return banner;
  }
}

export const markingColors = (marking: ShownMarking) => BANNER_PALETTE[marking.level];
