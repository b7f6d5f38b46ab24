import { useMemo } from 'react';
import type { ReportData } from '../../../common/report/report-data';
import type { ReportDefinition } from '../../../common/report/report-definition';
import type { ReportDocument } from '../../../common/report/report-document';
import { buildReportDocument } from '../../../common/report/build-document';
import { useReportBuilderState } from '../../state/report-builder-state';
import { definitionOf } from '../../state/report-draft';
import { useMarkingPolicyState } from '../../state/marking-state';
import { useSystemState } from '../../state/system-state';

export type BuiltReport =
  | { ok: true; definition: ReportDefinition; document: ReportDocument; data: ReportData }
  | { ok: false; definition: ReportDefinition | null; why: string };

/**
 * The document the draft stands for, built by the same code that prints it (buildReportDocument),
 * once the model, every run and the scenarios are loaded and the service has accepted the markings.
 */
export function useReportDocument(): BuiltReport {
  const draft = useReportBuilderState((s) => s.draft);
  const source = useReportBuilderState((s) => s.source);
  const loaded = useReportBuilderState((s) => s.loaded);
  const verdict = useReportBuilderState((s) => s.verdict);
  const createdAt = useReportBuilderState((s) => s.createdAt);
  const scenarioSummaries = useReportBuilderState((s) => s.scenarioSummaries);
  const currentScenarios = useReportBuilderState((s) => s.currentScenarios);
  const context = useMarkingPolicyState((s) => s.context);
  const appVersion = useSystemState((s) => s.info?.app.version ?? '');

  return useMemo((): BuiltReport => {
    const made = definitionOf(draft);
    if (!made.ok) return { ok: false, definition: null, why: made.why };
    const { definition } = made;
    if (!context) return { ok: false, definition, why: 'Reading the site’s marking policy…' };
    if (!source || definition.runs.some((id) => !loaded[id]))
      return { ok: false, definition, why: 'Reading the model version and the runs…' };
    const scenarios = definition.scenarios ? currentScenarios() : null;
    if (definition.sections.some((s) => s.kind === 'scenarios') && !definition.scenarios)
      return { ok: false, definition, why: 'Fill in the scenario table, or leave the scenario section out.' };
    if (definition.scenarios && !scenarios)
      return { ok: false, definition, why: 'Run the scenarios (at the baseline’s seed) to show their section.' };
    if (!verdict) return { ok: false, definition, why: 'Asking the service about the markings…' };
    if (!verdict.ok) return { ok: false, definition, why: 'The service refuses the markings (see above).' };
    const data: ReportData = {
      model: source.model,
      modelVersion: source.modelVersion,
      runs: definition.runs.map((id) => loaded[id]!),
      scenarioSummaries: scenarios,
      appVersion,
      createdAt,
      policy: context.policy,
      systemHigh: context.systemHighText,
      authorityDefaults: verdict.authority,
    };
    try {
      return { ok: true, definition, document: buildReportDocument(definition, data), data };
    } catch (error) {
      return { ok: false, definition, why: error instanceof Error ? error.message : String(error) };
    }
  }, [draft, source, loaded, verdict, createdAt, scenarioSummaries, currentScenarios, context, appVersion]);
}
