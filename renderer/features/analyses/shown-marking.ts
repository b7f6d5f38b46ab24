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
 * The roll-up of markings as the banners show it, or null where one cannot be read here (a site
 * vocabulary this page does not know) or they cannot roll up, or there is none.
 */
export function rolledUp(texts: Iterable<string>): ShownMarking | null {
  const markings: Marking[] = [];
  for (const text of new Set(texts)) {
    const marking = parsed(text);
    if (!marking) return null;
    markings.push(marking);
  }
  if (markings.length === 0) return null;
  try {
    const marking = rollup(markings);
    return { text: formatBanner(marking), level: bannerLevel(marking) };
  } catch {
    return null;
  }
}

/**
 * The marking of what an analysis shows: the roll-up of the portion marks of the inputs and
 * outputs it draws. Where that cannot be had (rolledUp), the run's banner is shown instead: never
 * lower than the truth.
 */
export function shownMarking(model: Model, names: readonly string[], banner: ShownMarking): ShownMarking {
  return rolledUp([...new Set(names)].map((name) => portionOf(model, name))) ?? banner;
}

export const markingColors = (marking: ShownMarking) => BANNER_PALETTE[marking.level];
