/**
 * Builds the document a report prints (report-document.ts) from its definition and its data: pure
 * and deterministic (the same definition and runs give a deep-equal document), so a regeneration
 * is the same report. Refuses, with the problems in plain words, when the markings do not check.
 */
import { checkReportMarkings, reportMarkingOf } from './report-marking';
import type { ReportData } from './report-data';
import { SECTION_TITLES, type ReportDefinition, type ReportSection, type SectionKind } from './report-definition';
import { REPORT_DOCUMENT_FORMAT, type ReportBlock, type ReportDocument } from './report-document';
import { chartsSection } from './sections/charts-section';
import { comparisonSection } from './sections/comparison-section';
import { convergenceSection } from './sections/convergence-section';
import { modelSection } from './sections/model-section';
import { scenariosSection } from './sections/scenarios-section';
import { SectionContext, type Numbering } from './sections/section-context';
import { sensitivitySection } from './sections/sensitivity-section';
import { settingsSection } from './sections/settings-section';
import { statisticsSection } from './sections/statistics-section';
import { titleSection } from './sections/title-section';
import { shownOutputs } from './shown-items';

/** A report that cannot be built: its message is for the analyst. */
export class ReportBuildError extends Error {
  override name = 'ReportBuildError';
}

const CONTENT: Record<SectionKind, (ctx: SectionContext) => void> = {
  title: titleSection,
  summary: () => {},
  model: modelSection,
  statistics: statisticsSection,
  charts: chartsSection,
  sensitivity: sensitivitySection,
  scenarios: scenariosSection,
  comparison: comparisonSection,
  convergence: convergenceSection,
  settings: settingsSection,
};

function sectionBlocks(section: ReportSection, ctx: SectionContext): ReportBlock[] {
  const policy = ctx.data.policy;
  // The title page is its own heading; every other section opens with its title.
  if (section.kind === 'title') CONTENT.title(ctx);
  else ctx.heading('heading', SECTION_TITLES[section.kind], 1);
  section.paragraphs.forEach((paragraph, i) =>
    ctx.paragraph(`paragraph-${i + 1}`, paragraph.text, reportMarkingOf(paragraph.portion, policy)),
  );
  if (section.kind !== 'title') CONTENT[section.kind](ctx);
  return ctx.blocks;
}

export function buildReportDocument(definition: ReportDefinition, data: ReportData): ReportDocument {
  const verdict = checkReportMarkings(definition, [data.model], data);
  if (!verdict.ok)
    throw new ReportBuildError(
      `The report's markings do not check: ${verdict.problems.map((p) => `${p.where}${p.portion ? ` ${p.portion}` : ''}: ${p.message}`).join('; ')}`,
    );
  if (data.runs.length !== definition.runs.length)
    throw new ReportBuildError(
      `The report names ${definition.runs.length} run(s) but ${data.runs.length} were loaded: reload the report.`,
    );
  const scenarios = definition.scenarios?.scenarios.length ?? 0;
  if (data.scenarioSummaries && data.scenarioSummaries.length !== scenarios)
    throw new ReportBuildError(
      `The report has ${scenarios} scenario(s) but results for ${data.scenarioSummaries.length}: run the scenarios again.`,
    );
  const outputs = shownOutputs(definition.outputs, data.model);
  const numbering: Numbering = { tables: 0, figures: 0 };
  const blocks: ReportBlock[] = [];
  definition.sections.forEach((section, i) => {
    if (i > 0) blocks.push({ type: 'page-break', id: `page-break-${i}`, section: section.kind });
    const marking = reportMarkingOf(section.portion, data.policy);
    const ctx = new SectionContext(section.kind, definition, data, outputs, marking, numbering);
    blocks.push(...sectionBlocks(section, ctx));
  });
  return {
    format: REPORT_DOCUMENT_FORMAT,
    title: definition.title,
    author: definition.author,
    banner: reportMarkingOf(verdict.banner, data.policy),
    authority: verdict.authority,
    createdAt: data.createdAt,
    blocks,
  };
}
