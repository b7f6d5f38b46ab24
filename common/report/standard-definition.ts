/**
 * The standard report of a run (`enclave simulate --report`): every section that applies, each
 * marked with the roll-up of what it shows, so it checks exactly as a report built in the app.
 */
import { formatPortion, parseMarking, rollup, type Marking, type MarkingPolicy } from '../markings';
import type { Model } from '../model/model';
import type { ReportRun } from './report-data';
import { REPORT_FORMAT, SECTION_KINDS, type ReportDefinition, type SectionKind } from './report-definition';
import { ReportMarkingTextError } from './report-marking';
import { itemsShownBy } from './shown-items';

/** Each distinct mark parsed once: a model's items share a few (1000 inputs took 0.7 s parsed one by one). */
type Parses = Map<string, ReturnType<typeof parseMarking>>;

/** The portion mark of the roll-up of what a section shows ((U) when it shows no marked data). */
function sectionPortion(kind: SectionKind, model: Model, policy: MarkingPolicy, parses: Parses): string {
  const markings: Marking[] = itemsShownBy(kind, [model], model.outputs).map((item) => {
    let parsed = parses.get(item.portion);
    if (!parsed) parses.set(item.portion, (parsed = parseMarking(item.portion, policy)));
    if (!parsed.ok)
      throw new ReportMarkingTextError(
        `${item.label} is marked "${item.portion}", which this site does not accept: ${parsed.issues.map((i) => i.message).join('; ')}`,
      );
    return parsed.marking;
  });
  return formatPortion(rollup(markings, policy));
}

/** Sections the standard report leaves out: the analyst's text (none from the CLI), scenarios (the CLI defines none), comparison of one run. */
function applies(kind: SectionKind, runs: number): boolean {
  if (kind === 'summary' || kind === 'scenarios') return false;
  return kind !== 'comparison' || runs >= 2;
}

export function standardDefinition(args: {
  model: Model;
  modelRef: { id: number; version: number };
  runIds: number[];
  title?: string;
  author: string;
  runs: readonly ReportRun[];
  policy: MarkingPolicy;
}): ReportDefinition {
  const parses: Parses = new Map();
  return {
    format: REPORT_FORMAT,
    title: args.title?.trim() || args.model.name,
    author: args.author,
    model: { ...args.modelRef },
    runs: [...args.runIds],
    outputs: null,
    banner: null,
    authority: null,
    sections: SECTION_KINDS.filter((kind) => applies(kind, args.runs.length)).map((kind) => ({
      kind,
      portion: sectionPortion(kind, args.model, args.policy, parses),
      paragraphs: [],
    })),
    scenarios: null,
  };
}
