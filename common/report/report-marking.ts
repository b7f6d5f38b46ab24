/**
 * The marking rules of a report (docs/reports.md, "Markings"): every portion parses under the site's
 * policy and is within its system high; a section is never marked below what it shows; the banner is
 * the roll-up of every portion, which the analyst may raise and never lower; a classified report
 * carries a classification authority block. The service checks these on save, check and export; the
 * report builder calls the same function for its live preview.
 */
import {
  bannerLevel,
  dominates,
  formatBanner,
  formatPortion,
  parseMarking,
  rollup,
  withinSystemHigh,
  type Marking,
  type MarkingPolicy,
} from '../markings';
import type { ReportMarkingVerdict } from '../ipc/channels/reports';
import type { Model } from '../model/model';
import { SECTION_TITLES, type AuthorityBlock, type ReportDefinition } from './report-definition';
import type { ReportMarking } from './report-document';
import { itemsShownBy, shownOutputs, type ShownItem } from './shown-items';

export type ReportMarkingProblem = Extract<ReportMarkingVerdict, { ok: false }>['problems'][number];

export interface ReportMarkingSite {
  policy: MarkingPolicy;
  systemHigh: string;
  authorityDefaults: AuthorityBlock | null;
}

/** A marking the report cannot print: it does not parse under the site's policy. */
export class ReportMarkingTextError extends Error {
  override name = 'ReportMarkingTextError';
}

/** A marking as the report prints it. */
export function reportMarking(marking: Marking): ReportMarking {
  return { banner: formatBanner(marking), portion: formatPortion(marking), level: bannerLevel(marking) };
}

/** Parses a marking in banner ("SECRET//NOFORN") or portion ("(S//NF)") form; throws ReportMarkingTextError if invalid. */
export function reportMarkingOf(text: string, policy: MarkingPolicy): ReportMarking {
  const parsed = parseMarking(text, policy);
  if (!parsed.ok)
    throw new ReportMarkingTextError(
      `"${text}" is not a marking this site accepts: ${parsed.issues.map((i) => i.message).join('; ')}`,
    );
  return reportMarking(parsed.marking);
}

/** Rolls markings up; a roll-up that no banner can carry is a message instead. */
function rolledUp(markings: readonly Marking[], policy: MarkingPolicy): Marking | string {
  try {
    return rollup(markings, policy);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const CLASSIFIED = new Set(['C', 'S', 'TS']);
const AUTHORITY_NEEDED =
  'a classified report needs a classification authority block: Classified By, Derived From, Declassify On; enter one or ask the administrator for site defaults';

class Checker {
  readonly problems: ReportMarkingProblem[] = [];
  readonly portions: Marking[] = [];

  constructor(
    private readonly policy: MarkingPolicy,
    private readonly systemHigh: Marking | null,
  ) {}

  /** Items share a few marks (most carry the model's): each is parsed once, so the builder's live check stays quick. */
  private readonly parses = new Map<string, ReturnType<typeof parseMarking>>();
  private parsed(text: string): ReturnType<typeof parseMarking> {
    let result = this.parses.get(text);
    if (!result) this.parses.set(text, (result = parseMarking(text, this.policy)));
    return result;
  }

  problem(where: string, portion: string, message: string): void {
    this.problems.push({ where, portion, message });
  }

  /** Parses a portion and checks it against system high; null when it cannot be used. */
  portion(where: string, text: string): Marking | null {
    const parsed = parseMarking(text, this.policy);
    if (!parsed.ok) {
      this.problem(where, text, `not a marking this site accepts: ${parsed.issues.map((i) => i.message).join('; ')}`);
      return null;
    }
    if (this.systemHigh && !withinSystemHigh(this.systemHigh, parsed.marking, this.policy)) {
      this.problem(
        where,
        formatPortion(parsed.marking),
        `${formatPortion(parsed.marking)} is above this workstation's system high, ${formatBanner(this.systemHigh)}`,
      );
      return null;
    }
    return parsed.marking;
  }

  /** A section's portion against the roll-up of the marked items it shows. */
  coversData(where: string, section: Marking, items: readonly ShownItem[]): void {
    const marked: { item: ShownItem; marking: Marking }[] = [];
    for (const item of items) {
      const parsed = this.parsed(item.portion);
      if (parsed.ok) marked.push({ item, marking: parsed.marking });
      else
        this.problem(where, item.portion, `${item.label} is marked "${item.portion}", which this site does not accept`);
    }
    const data = rolledUp(
      marked.map((m) => m.marking),
      this.policy,
    );
    if (typeof data === 'string') {
      this.problem(where, formatPortion(section), `what this section shows cannot be rolled up: ${data}`);
      return;
    }
    if (dominates(section, data, this.policy)) return;
    const above = [
      ...new Set(marked.filter((m) => !dominates(section, m.marking, this.policy)).map((m) => m.item.label)),
    ];
    const named = above.slice(0, 3).join(', ') + (above.length > 3 ? ` and ${above.length - 3} more` : '');
    this.problem(
      where,
      formatPortion(section),
      `the section is marked ${formatPortion(section)} but shows data marked ${formatBanner(data)} (${named}); mark it at least ${formatPortion(data)}`,
    );
  }
}

/** Checks a definition's markings (see the module comment); every problem at once. */
export function checkReportMarkings(
  definition: ReportDefinition,
  models: readonly Model[],
  site: ReportMarkingSite,
): ReportMarkingVerdict {
  const high = parseMarking(site.systemHigh, site.policy);
  const checker = new Checker(site.policy, high.ok ? high.marking : null);
  if (!high.ok)
    checker.problem("the site's system high", site.systemHigh, 'the system high does not parse; ask the administrator');
  const model = models[0];
  const outputs = model ? shownOutputs(definition.outputs, model) : [];
  for (const name of definition.outputs ?? [])
    if (model && !model.outputs.includes(name))
      checker.problem('the outputs', '', `"${name}" is not an output of the model "${model.name}"`);

  for (const section of definition.sections) {
    const title = SECTION_TITLES[section.kind];
    const portion = checker.portion(`section "${title}"`, section.portion);
    if (portion) {
      checker.portions.push(portion);
      checker.coversData(`section "${title}"`, portion, itemsShownBy(section.kind, models, outputs));
    }
    section.paragraphs.forEach((paragraph, index) => {
      const marking = checker.portion(`paragraph ${index + 1} of "${title}"`, paragraph.portion);
      if (marking) checker.portions.push(marking);
    });
  }

  const all = rolledUp(checker.portions, site.policy);
  if (typeof all === 'string')
    checker.problem('the banner', '', `the portions cannot be rolled up into one banner: ${all}`);
  let banner = typeof all === 'string' ? null : all;
  if (definition.banner !== null && banner) {
    const requested = checker.portion('the banner', definition.banner);
    if (requested && !dominates(requested, banner, site.policy)) {
      checker.problem(
        'the banner',
        formatBanner(requested),
        `the banner ${formatBanner(requested)} is below the roll-up of the portions, ${formatBanner(banner)}: a banner may be raised, never lowered`,
      );
    } else if (requested) banner = requested;
  }
  const authority = definition.authority ?? site.authorityDefaults;
  const classified = banner !== null && CLASSIFIED.has(banner.classification);
  if (banner && classified && !authority)
    checker.problem('the authority block', formatBanner(banner), AUTHORITY_NEEDED);
  if (checker.problems.length > 0 || !banner || typeof all === 'string') {
    // A roll-up that fails always adds a problem, so the list is never empty here.
    return { ok: false, problems: checker.problems };
  }
  return {
    ok: true,
    rollup: formatBanner(all),
    banner: formatBanner(banner),
    authority: classified ? authority : null,
  };
}
