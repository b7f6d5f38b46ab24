import type { SimulationSummary } from '../../common/engine/summary';
import type { ReportMarkingVerdict, ReportSummary, ReportVersion } from '../../common/ipc/channels/reports';
import type { SavedRunSummary } from '../../common/ipc/contract';
import type { ReportRun } from '../../common/report/report-data';
import { MAX_REPORT_RUNS, type ReportDefinition } from '../../common/report/report-definition';
import { getBridge } from '../ipc/bridge';
import { loadReportModel, loadReportRun, runReportScenarios, type ReportModelSource } from '../engine/report-data';
import { useMarkingPolicyState } from './marking-state';
import { sectionPortions } from './report-portions';
import { definitionOf, draftFromDefinition, newDraft, type ReportDraft } from './report-draft';
import { signedInState } from './signed-in';

export type LibraryModel = { id: number; name: string; banner: string };

/** What the scenario summaries were run for: the table and the baseline, as text. */
const scenarioKey = (draft: ReportDraft) => JSON.stringify([draft.scenarios, draft.runs[0] ?? null]);

export interface ReportBuilderState {
  draft: ReportDraft;
  /** The stored report this draft will be a new version of (null: a new report). */
  editing: { report: ReportSummary; version: ReportVersion } | null;
  /** When this version of the report is made: fixed for the draft, so an export made twice is the same document. */
  createdAt: string;
  models: LibraryModel[] | null;
  savedRuns: SavedRunSummary[] | null;
  source: ReportModelSource | null;
  /** The chosen runs as loaded, by id. */
  loaded: Record<number, ReportRun>;
  scenarioSummaries: { key: string; summaries: SimulationSummary[] } | null;
  /** The service's word on the current definition; null while it is asked or there is none. */
  verdict: ReportMarkingVerdict | null;
  /** What is being done (loading, running the scenarios, exporting, saving). */
  busy: string | null;
  problem: string | null;
  notice: string | null;
  /** A report the library asked for: of these runs of this model (taken by the next start). */
  pending: { model: number; runs: number[] } | null;
  request(pending: { model: number; runs: number[] }): void;
  start(author: string): Promise<void>;
  openReport(id: number, author: string): Promise<void>;
  chooseModel(id: number): Promise<void>;
  toggleRun(id: number): Promise<void>;
  edit(change: (draft: ReportDraft) => ReportDraft): void;
  check(): Promise<void>;
  runScenarios(): Promise<void>;
  /** The scenario summaries for the draft as it is now, or null when they must be run (again). */
  currentScenarios(): SimulationSummary[] | null;
  setBusy(busy: string | null, problem?: string | null, notice?: string | null): void;
  afterSave(report: ReportSummary, version: ReportVersion): void;
}

let generation = 0;
let checkTimer: ReturnType<typeof setTimeout> | null = null;
let checkRequest = 0;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The report builder (docs/reports.md): the draft, the model and saved runs it is built from (loaded
 * once each), the scenario summaries, and the service's verdict on the draft's markings, asked
 * again after every change. The user's work: forgotten on lock.
 */
export const useReportBuilderState = signedInState<ReportBuilderState>(
  'report-builder',
  (set, get) => {
    /** Loads the model version and any chosen run not loaded yet (each kept while the draft lasts). */
    async function loadSources() {
      const mine = generation;
      const { draft } = get();
      if (!draft.model) return;
      const { id, version } = draft.model;
      try {
        set({ busy: 'Reading the model version…', problem: null });
        let source = get().source;
        if (!source || source.modelVersion.version !== version || source.id !== id) {
          source = await loadReportModel(id, version);
          if (mine !== generation) return;
          set({ source });
          // A new report starts each section at the portion of what it shows (the version's banner
          // until the site's policy is read: above what it shows, never below).
          if (get().editing === null) {
            const policy = useMarkingPolicyState.getState().context?.policy;
            const portions = policy ? sectionPortions(source.model, policy) : null;
            const banner = source.banner;
            const now = get().draft;
            set({
              draft: { ...now, sections: now.sections.map((s) => ({ ...s, portion: portions?.[s.kind] ?? banner })) },
            });
          }
        }
        for (const runId of draft.runs) {
          if (get().loaded[runId]) continue;
          const { run } = await loadReportRun(runId, (received, pages) => {
            if (mine === generation) set({ busy: `Reading run #${runId}'s samples: page ${received} of ${pages}…` });
          });
          if (mine !== generation) return;
          set({ loaded: { ...get().loaded, [runId]: run } });
        }
        set({ busy: null });
      } catch (error) {
        if (mine === generation) set({ busy: null, problem: `The report's data did not load: ${message(error)}` });
      }
    }

    return {
      draft: newDraft('', 'UNCLASSIFIED'),
      editing: null,
      createdAt: new Date().toISOString(),
      models: null,
      savedRuns: null,
      source: null,
      loaded: {},
      scenarioSummaries: null,
      verdict: null,
      busy: null,
      problem: null,
      notice: null,
      pending: null,

      request(pending) {
        set({ pending });
      },

      async start(author) {
        generation += 1;
        const pending = get().pending;
        set({
          draft: newDraft(author, 'UNCLASSIFIED'),
          editing: null,
          createdAt: new Date().toISOString(),
          savedRuns: null,
          source: null,
          loaded: {},
          scenarioSummaries: null,
          verdict: null,
          busy: null,
          problem: null,
          notice: null,
          pending: null,
        });
        const mine = generation;
        const listed = await getBridge().models.list({});
        if (mine !== generation) return;
        if (listed.ok)
          set({
            models: listed.value.models
              .filter((m) => m.access !== 'manage')
              .map((m) => ({ id: m.id, name: m.name, banner: m.banner })),
          });
        else set({ problem: listed.error.message });
        if (!pending) return;
        await get().chooseModel(pending.model);
        for (const id of pending.runs) if (mine === generation) await get().toggleRun(id);
      },

      async openReport(id, author) {
        await get().start(author);
        const mine = generation;
        const opened = await getBridge().reports.open({ id });
        if (mine !== generation) return;
        if (!opened.ok) return set({ problem: opened.error.message });
        const { report, version, definition } = opened.value;
        // Regenerating a version: the same runs and the same date give the same document.
        set({
          draft: draftFromDefinition(definition, version.banner),
          editing: { report, version },
          createdAt: version.createdAt,
        });
        const runs = await getBridge().runs.list({ model: definition.model.id });
        if (mine !== generation) return;
        if (runs.ok) set({ savedRuns: runs.value.runs });
        await loadSources();
        await get().check();
      },

      async chooseModel(id) {
        const mine = generation;
        set({ draft: { ...get().draft, model: null, runs: [] }, savedRuns: null, source: null, loaded: {} });
        set({ scenarioSummaries: null, verdict: null, problem: null });
        const runs = await getBridge().runs.list({ model: id });
        if (mine !== generation) return;
        if (runs.ok) set({ savedRuns: runs.value.runs });
        else set({ problem: runs.error.message });
      },

      async toggleRun(id) {
        const { draft, savedRuns } = get();
        const run = savedRuns?.find((r) => r.id === id);
        if (!run) return;
        const adding = !draft.runs.includes(id);
        // Every run is of one kept version: the baseline's (runs[0]).
        if (adding && draft.model && (run.model.id !== draft.model.id || run.model.version !== draft.model.version))
          return;
        if (adding && draft.runs.length >= MAX_REPORT_RUNS) return;
        const runs = adding ? [...draft.runs, id] : draft.runs.filter((r) => r !== id);
        const baseline = savedRuns?.find((r) => r.id === runs[0]);
        const model = baseline ? { id: baseline.model.id, version: baseline.model.version } : null;
        const sameModel = draft.model?.id === model?.id && draft.model?.version === model?.version;
        const fresh = !sameModel && model !== null && get().editing === null;
        set({
          draft: {
            ...draft,
            runs,
            model,
            // A new model version: a title to start from (its sections' portions come with the version, loadSources).
            ...(fresh ? { title: draft.title || `${baseline!.model.name}: simulation report` } : {}),
          },
        });
        await loadSources();
        await get().check();
      },

      edit(change) {
        set({ draft: change(get().draft) });
        if (checkTimer) clearTimeout(checkTimer);
        checkTimer = setTimeout(() => void get().check(), 250);
      },

      async check() {
        const request = ++checkRequest;
        const made = definitionOf(get().draft);
        if (!made.ok) return set({ verdict: null });
        set({ verdict: null });
        const answer = await getBridge().reports.check({ definition: made.definition });
        if (request !== checkRequest) return;
        if (answer.ok) set({ verdict: answer.value });
        else
          set({
            verdict: { ok: false, problems: [{ where: 'the report', portion: '', message: answer.error.message }] },
          });
      },

      async runScenarios() {
        const { draft, source, loaded } = get();
        const baseline = draft.runs[0] !== undefined ? loaded[draft.runs[0]] : undefined;
        if (!draft.scenarios || !source || !baseline || !draft.model || get().busy) return;
        const mine = generation;
        const key = scenarioKey(draft);
        set({ busy: 'Running the scenarios…', problem: null });
        try {
          const summaries = await runReportScenarios(
            { model: source.model, library: draft.model, banner: source.banner },
            draft.scenarios,
            baseline,
            {
              onScenario: (done, total) => {
                if (mine === generation) set({ busy: `Running the scenarios: ${done} of ${total} done…` });
              },
            },
          );
          if (mine !== generation) return;
          set({ scenarioSummaries: { key, summaries }, busy: null });
        } catch (error) {
          if (mine === generation) set({ busy: null, problem: `The scenarios did not run: ${message(error)}` });
        }
      },

      currentScenarios() {
        const { scenarioSummaries, draft } = get();
        return scenarioSummaries && scenarioSummaries.key === scenarioKey(draft) ? scenarioSummaries.summaries : null;
      },

      setBusy(busy, problem = null, notice = null) {
        set({ busy, problem, notice });
      },

      afterSave(report, version) {
        set({ editing: { report, version } });
      },
    };
  },
  {
    onForget() {
      generation += 1;
      checkRequest += 1;
      if (checkTimer) clearTimeout(checkTimer);
      checkTimer = null;
    },
  },
);

/** The definition of the draft, when it makes one. */
export function currentDefinition(draft: ReportDraft): ReportDefinition | null {
  const made = definitionOf(draft);
  return made.ok ? made.definition : null;
}
