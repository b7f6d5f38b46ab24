import type { RunSamples } from '../../common/engine/analysis/run-samples';
import type { RunResults, SavedRunSummary } from '../../common/ipc/contract';
import type { RunResult } from '../engine/run-simulation';
import { encodeSamplePages, fromBase64Pieces, layoutOf, sampleAssembler, toBase64Pieces } from '../engine/sample-codec';
import { resultsForSave, resultsFromSaved } from '../../common/engine/saved-run-results';
import { getBridge } from '../ipc/bridge';
import { useRunState } from './run-state';
import { signedInState } from './signed-in';

/**
 * The saved runs of the open library model (runs.* channels, docs/runs.md): the list, saving the
 * run on screen (with its samples in pages when the user keeps them), reopening one without
 * running it, deleting, and running a saved run's version and seed again. The user's work: forgotten on lock.
 */
export interface SavedRunsState {
  modelId: number | null;
  runs: SavedRunSummary[];
  listError: string | null;
  /** Saving now: pages of samples sent of all. */
  saving: { pages: number; sent: number } | null;
  saveError: string | null;
  /** How long the last reopen took to show its results, in milliseconds (the 300 ms target). */
  reopenMs: number | null;
  /** A saved run's samples arriving after its results. */
  samplesLoading: { id: number; pages: number; received: number } | null;
  /** After "Run again": whether the new run's statistics equal the saved run's, bit for bit. */
  comparison: { runId: number; name: string; identical: boolean } | null;
  list(modelId: number): Promise<void>;
  save(name: string, comment: string): Promise<void>;
  open(id: number): Promise<void>;
  remove(id: number): Promise<void>;
  rerun(id: number): Promise<void>;
}

let generation = 0;

/** A saved run's samples, page by page from the store (runs.samples), in the layout it was saved with. */
export async function loadRunSamples(
  run: Pick<SavedRunSummary, 'id' | 'samples'>,
  onPage?: (received: number, pages: number) => void,
): Promise<RunSamples> {
  if (!run.samples) throw new Error('This run was saved without its samples.');
  const { iterations, inputs, outputs, pages } = run.samples;
  const assembler = sampleAssembler({ iterations, inputs, outputs });
  for (let page = 0; page < pages; page++) {
    const got = await getBridge().runs.samples({ id: run.id, page });
    if (!got.ok) throw new Error(got.error.message);
    await assembler.put(page, fromBase64Pieces(got.value.data));
    onPage?.(page + 1, pages);
  }
  return assembler.samples;
}

/** A saved run as the run screen shows a result: its figures, and no samples until they arrive. */
function resultOf(run: SavedRunSummary, results: RunResults): RunResult {
  const { summary, trace } = resultsFromSaved(results);
  const seconds = Math.max(0, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
  return {
    engine: run.engine,
    description: run.engineDescription,
    reason: `Saved run "${run.name || `#${run.id}`}" of version ${run.model.version}, saved by ${run.owner.name} on ${run.savedAt.slice(0, 16).replace('T', ' ')} UTC; shown without running it again.`,
    fellBack: false,
    iterations: run.iterations,
    seed: run.seed,
    sampling: run.sampling,
    seconds,
    iterationsPerSecond: run.iterations / Math.max(seconds, 1e-6),
    summarySeconds: 0,
    summary,
    trace,
    samples: null,
  };
}

/** JSON with every object's keys in order: the store gives back the fields in its schema's order. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

/** The statistics as saved: two runs with the same figures, bit for bit, give the same text. */
const statisticsText = (result: RunResult) => canonical(resultsForSave(result.summary, result.trace).outputs);

export const useSavedRunsState = signedInState<SavedRunsState>(
  'saved-runs',
  (set, get) => ({
    modelId: null,
    runs: [],
    listError: null,
    saving: null,
    saveError: null,
    reopenMs: null,
    samplesLoading: null,
    comparison: null,

    async list(modelId) {
      const mine = generation;
      set({ modelId });
      const answer = await getBridge().runs.list({ model: modelId });
      if (mine !== generation || get().modelId !== modelId) return;
      if (answer.ok) set({ runs: answer.value.runs, listError: null });
      else set({ runs: [], listError: answer.error.message });
    },

    async save(name, comment) {
      const { result, ran, options, saved } = useRunState.getState();
      if (!result || !ran || saved || get().saving) return;
      if (!ran.library)
        return set({
          saveError: 'Only a run of a model in the library can be saved: save the model to the library first.',
        });
      const mine = generation;
      const samples = options.keepSamples ? result.samples : null;
      set({ saveError: null, saving: { pages: 0, sent: 0 } });
      const started = await getBridge().runs.save({
        model: { id: ran.library.id, version: ran.library.version },
        name,
        comment,
        seed: result.seed,
        sampling: result.sampling,
        engine: result.engine,
        engineDescription: result.description,
        iterations: result.iterations,
        settings: ran.settings,
        results: resultsForSave(result.summary, result.trace),
        startedAt: ran.startedAt,
        finishedAt: ran.finishedAt,
        samples: samples ? layoutOf(samples) : false,
      });
      if (mine !== generation) return;
      if (!started.ok) return set({ saving: null, saveError: started.error.message });
      let run = started.value.run;
      if (samples) {
        const pages = started.value.pages;
        set({ saving: { pages, sent: 0 } });
        try {
          let page = 0;
          for await (const bytes of encodeSamplePages(samples)) {
            const sent = await getBridge().runs.putSamples({ id: run.id, page, data: toBase64Pieces(bytes) });
            if (!sent.ok) throw new Error(sent.error.message);
            page += 1;
            if (mine !== generation) return;
            set({ saving: { pages, sent: page } });
          }
          const done = await getBridge().runs.completeSamples({ id: run.id });
          if (!done.ok) throw new Error(done.error.message);
          run = done.value.run;
        } catch (error) {
          void getBridge().runs.delete({ id: run.id }); // an unfinished save is discarded, never shown
          if (mine === generation)
            set({
              saving: null,
              saveError: `The run was not saved: ${error instanceof Error ? error.message : String(error)}`,
            });
          return;
        }
      }
      if (mine !== generation) return;
      set({ saving: null });
      useRunState.getState().setSaved(run);
      await get().list(run.model.id);
    },

    async open(id) {
      const mine = generation;
      const start = performance.now();
      const answer = await getBridge().runs.open({ id });
      if (mine !== generation) return;
      if (!answer.ok) return set({ listError: answer.error.message });
      const { run, results } = answer.value;
      const result = resultOf(run, results);
      useRunState.getState().showSaved(run, result);
      set({ comparison: null, samplesLoading: null });
      // Measured when the results are on screen: the next frame after the state changed.
      requestAnimationFrame(() => {
        if (mine === generation) set({ reopenMs: performance.now() - start });
      });
      if (!run.samples) return;
      set({ samplesLoading: { id, pages: run.samples.pages, received: 0 } });
      try {
        const samples = await loadRunSamples(run, (received, pages) => {
          if (mine === generation && get().samplesLoading?.id === id) set({ samplesLoading: { id, pages, received } });
        });
        // Still the run on screen: the analyses can read its samples now.
        const state = useRunState.getState();
        if (mine === generation && state.saved?.id === id && state.result)
          useRunState.setState({ result: { ...state.result, samples } });
      } catch (error) {
        if (mine === generation)
          set({ listError: `The samples did not load: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        if (mine === generation && get().samplesLoading?.id === id) set({ samplesLoading: null });
      }
    },

    async remove(id) {
      const answer = await getBridge().runs.delete({ id });
      if (!answer.ok) return set({ listError: answer.error.message });
      if (useRunState.getState().saved?.id === id) useRunState.getState().setSaved(null);
      const modelId = get().modelId;
      if (modelId !== null) await get().list(modelId);
    },

    async rerun(id) {
      const mine = generation;
      const run = get().runs.find((r) => r.id === id) ?? useRunState.getState().saved;
      if (!run || run.id !== id) return;
      const opened = await getBridge().runs.open({ id });
      if (!opened.ok || mine !== generation) return;
      const before = resultOf(run, opened.value.results);
      const state = useRunState.getState();
      const library = state.model?.library;
      if (!library || library.id !== run.model.id || library.version !== run.model.version)
        await state.openLibraryModel(run.model.id, run.model.version);
      if (mine !== generation || useRunState.getState().verdict?.status !== 'ok') return;
      const auto = run.settings.autoStop;
      useRunState.setState({
        options: {
          ...useRunState.getState().options,
          iterations: String(auto ? auto.maxIterations : run.iterations),
          seed: String(run.seed),
          randomSeed: false,
          sampling: run.sampling,
          engine: run.engine,
          autoStop: auto !== null,
          tolerance: auto ? String(auto.tolerance * 100) : useRunState.getState().options.tolerance,
        },
      });
      set({ comparison: null });
      await useRunState.getState().run();
      const after = useRunState.getState().result;
      if (mine !== generation || !after || useRunState.getState().phase !== 'done') return;
      set({
        comparison: {
          runId: id,
          name: run.name || `#${run.id}`,
          identical: statisticsText(after) === statisticsText(before),
        },
      });
    },
  }),
  {
    onForget() {
      generation += 1;
    },
  },
);
