import type { IpcIssue } from '../../../common/ipc/result';
import { dominates, formatBanner, rollup, MarkingRollupError, type Marking } from '../../../common/markings';
import type { Model } from '../../../common/model/model';
import type { SiteConfig } from '../../../common/site/site-config';
import { siteMarkings } from '../../../common/site/site-config';
import { assertStorable } from '../markings/marking-guard';
import { ServiceError } from '../service-error';

/** Every portion mark of a model with its path; an item without one carries the model's marking. */
function portions(model: Model): { path: string; marking: string }[] {
  const own = (marking: string | undefined) => marking ?? model.marking;
  const outputMarks = model.outputMarkings ?? {};
  return [
    ...model.inputs.map((i) => ({ path: `inputs.${i.name}.marking`, marking: own(i.marking) })),
    ...model.correlations.map((c) => ({ path: `correlations.${c.a}~${c.b}.marking`, marking: own(c.marking) })),
    ...model.formulas.map((f) => ({ path: `formulas.${f.name}.marking`, marking: own(f.marking) })),
    ...model.outputs.map((o) => ({ path: `outputs.${o}.marking`, marking: own(outputMarks[o]) })),
  ];
}

/**
 * The banner a model is kept under: its own marking, checked against its parts. Every portion mark
 * and the banner must parse and be within the system high (ABOVE_SYSTEM_HIGH names each one above);
 * the banner may be raised by hand above the roll-up of its parts, never below it. The banner kept is
 * the roll-up of the hand-set marking and the parts. All problems are named at once. Nothing is kept
 * when this throws.
 */
export function bannerOf(model: Model, site: SiteConfig): string {
  const { policy } = siteMarkings(site);
  const invalid: IpcIssue[] = [];
  const above: IpcIssue[] = [];
  const parsed: Marking[] = [];
  const check = (path: string, marking: string) => {
    try {
      const m = assertStorable(marking, site);
      parsed.push(m);
      return m;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      (error.code === 'ABOVE_SYSTEM_HIGH' ? above : invalid).push({ path, message: error.message });
      return null;
    }
  };
  const banner = check('marking', model.marking);
  for (const p of portions(model)) check(p.path, p.marking);
  for (const name of Object.keys(model.outputMarkings ?? {}))
    if (!model.outputs.includes(name))
      invalid.push({ path: `outputMarkings.${name}`, message: `"${name}" is not one of the model's outputs.` });
  if (above.length > 0)
    throw new ServiceError(
      'ABOVE_SYSTEM_HIGH',
      `${above.length === 1 ? 'One marking is' : `${above.length} markings are`} above this system's high-water mark: the model cannot be stored here.`,
      above.slice(0, 100),
    );
  if (invalid.length > 0 || !banner)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `The model's markings have ${invalid.length} problem(s).`,
      invalid.slice(0, 100),
    );
  let rolled: Marking;
  try {
    rolled = rollup(parsed, policy);
  } catch (error) {
    if (!(error instanceof MarkingRollupError)) throw error;
    throw new ServiceError('INVALID_ARGUMENT', `The portion marks do not combine: ${error.message}`, [
      { path: 'marking', message: error.message.slice(0, 1024) },
    ]);
  }
  if (!dominates(banner, rolled, policy))
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `The banner ${formatBanner(banner)} is below what the model's parts add up to (${formatBanner(rolled)}): a banner may be raised, never lowered below its parts.`,
      [{ path: 'marking', message: `at least ${formatBanner(rolled)}` }],
    );
  // The banner kept is the roll-up of the hand-set marking with its parts (a classified model without
  // a release marking is NOFORN, as CAPCO rolls it up), checked against the system high once more.
  const kept = formatBanner(rolled);
  assertStorable(kept, site);
  return kept;
}

/**
 * The marking problems of a document that did not pass the schema, read from the raw JSON, so an
 * import names them together with the schema's (each string `marking` found, by its path).
 */
export function rawMarkingIssues(raw: unknown, site: SiteConfig): IpcIssue[] {
  const doc = (raw ?? {}) as Record<string, unknown>;
  const found: { path: string; marking: unknown }[] = [{ path: 'marking', marking: doc.marking }];
  const itemName = (item: Record<string, unknown>, i: number, key: string) =>
    typeof item[key] === 'string' ? (item[key] as string) : String(i);
  for (const list of ['inputs', 'formulas', 'correlations'] as const) {
    const items = Array.isArray(doc[list]) ? (doc[list] as Record<string, unknown>[]) : [];
    items.forEach((item, i) => {
      if (item === null || typeof item !== 'object') return;
      const key =
        list === 'correlations' ? `${itemName(item, i, 'a')}~${itemName(item, i, 'b')}` : itemName(item, i, 'name');
      found.push({ path: `${list}.${key}.marking`, marking: item.marking });
    });
  }
  const outputMarks = doc.outputMarkings;
  if (outputMarks && typeof outputMarks === 'object')
    for (const [name, marking] of Object.entries(outputMarks)) found.push({ path: `outputMarkings.${name}`, marking });
  const issues: IpcIssue[] = [];
  for (const { path, marking } of found) {
    if (typeof marking !== 'string' || marking.length === 0 || marking.length > 500) continue; // the schema names these
    try {
      assertStorable(marking, site);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      issues.push({ path, message: error.message });
    }
  }
  return issues;
}
