import { roleAllows } from '../../common/access/roles';
import { compileModel, type CompiledModel } from '../../common/engine/compile-model';
import type { IpcIssue } from '../../common/ipc/result';
import type { BannerLevel } from '../../common/markings/levels';
import { getBridge } from '../ipc/bridge';
import { RunCancelledError } from '../engine/backend';
import { roundConverged, roundSizes } from '../engine/auto-stop-rounds';
import { forgetEngineState, prepareCpuWorkers, runSimulation, type RunResult } from '../engine/run-simulation';
import type { SavedRunSummary as SavedRun } from '../../common/ipc/contract';
import { EXAMPLE_MODELS } from './example-models';
import { checkAutoStop, checkIterations, checkSeed, randomSeed, type OptionsText } from './run-options';
import { useLoginState } from './login-state';
import { signedInState } from './signed-in';

/** Model files larger than this are refused before parsing (the format's own limits are far below). */
const MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024;

/** A model of the library: which version, and the caller's access (a run is saved only of a library version). */
export interface LibraryVersion {
  id: number;
  version: number;
  name: string;
  banner: string;
}

export interface LoadedModel {
  /** Where it came from: an example's id, the file's name, or `library:<id>`. */
  source: string;
  compiled: CompiledModel;
  /** The library version it is, or null for an example or a file (whose runs cannot be saved). */
  library: LibraryVersion | null;
}

/** The service's word on the model's marking (markings.check against the system high). */
export interface ModelMarkingVerdict {
  status: 'pending' | 'ok' | 'refused';
  message: string;
  banner?: string;
  portion?: string;
  level?: BannerLevel;
  issues: IpcIssue[];
}

export interface RanWith {
  settings: {
    autoStop: { tolerance: number; maxIterations: number } | null;
    engineChoice: OptionsText['engine'];
  };
  startedAt: string;
  finishedAt: string;
  /** The model version run, when it was one of the library. */
  library: LibraryVersion | null;
}

export type RunPhase = 'idle' | 'calibrating' | 'running' | 'reporting' | 'done' | 'cancelled' | 'failed';

export interface RunState {
  model: LoadedModel | null;
  /** Why the chosen file or example could not be used: every error compileModel found. */
  modelErrors: { source: string; errors: string[] } | null;
  verdict: ModelMarkingVerdict | null;
  options: OptionsText;
  phase: RunPhase;
  /** What the engine is doing, in words ("Timing CPU workers (2)…", the engine's reason). */
  stage: string;
  progress: { done: number; total: number };
  result: RunResult | null;
  /** How the last run was asked for and when it ran: what a saved run records besides the result. */
  ran: RanWith | null;
  /** The saved run the results are, when they are one (reopened, or saved since). */
  saved: SavedRun | null;
  error: string | null;
  chooseExample(id: string): void;
  openFile(file: File): Promise<void>;
  /** Opens a model of the library (its latest version, or the one named) through models.open. */
  openLibraryModel(id: number, version?: number): Promise<void>;
  /** Shows a saved run's results (the saved-runs state reads them): no engine runs. */
  showSaved(saved: SavedRun, result: RunResult): void;
  setSaved(saved: SavedRun | null): void;
  setOption<K extends keyof OptionsText>(key: K, value: OptionsText[K]): void;
  run(): Promise<void>;
  cancel(): void;
}

let modelRequest = 0;
let controller: AbortController | null = null;
/** Bumped when the state is forgotten (lock): a run still going then reports to nobody. */
let generation = 0;

/**
 * The run screen's model, options and results: the signed-in user's work, forgotten on lock (a run
 * in progress is cancelled).
 */
export const useRunState = signedInState<RunState>(
  'run',
  (set, get) => {
    const setState = set;
    /** Takes a model in (or its errors), then asks the service whether its marking may be handled here. */
    async function load(source: string, raw: unknown, library: LibraryVersion | null = null, request = ++modelRequest) {
      const compiled = compileModel(raw);
      if (!compiled.ok)
        return set({
          model: null,
          verdict: null,
          result: null,
          phase: 'idle',
          modelErrors: { source, errors: compiled.errors },
        });
      // A library version's banner is the service's roll-up of its parts; a file's is its own word.
      const marking = library?.banner ?? compiled.compiled.model.marking;
      set({
        model: { source, compiled: compiled.compiled, library },
        modelErrors: null,
        result: null,
        saved: null,
        phase: 'idle',
        error: null,
        verdict: { status: 'pending', message: 'Asking the service…', issues: [] },
      });
      const answer = await getBridge().markings.check({ marking });
      if (request !== modelRequest) return; // another model was chosen meanwhile
      if (answer.ok) {
        set({
          verdict: {
            status: 'ok',
            message: 'Within the system high',
            banner: answer.value.banner,
            portion: answer.value.portion,
            level: answer.value.bannerLevel,
            issues: [],
          },
        });
        prepareCpuWorkers(compiled.compiled); // only a model this system may handle goes to the workers
      } else set({ verdict: { status: 'refused', message: answer.error.message, issues: answer.error.issues ?? [] } });
    }

    return {
      model: null,
      modelErrors: null,
      verdict: null,
      options: {
        iterations: '1,000,000',
        seed: '1',
        randomSeed: false,
        sampling: 'mc',
        engine: 'auto',
        autoStop: false,
        tolerance: '0.5',
        keepSamples: true,
      },
      phase: 'idle',
      stage: '',
      progress: { done: 0, total: 0 },
      result: null,
      ran: null,
      saved: null,
      error: null,

      chooseExample(id) {
        const example = EXAMPLE_MODELS.find((m) => m.id === id);
        if (example) void load(example.id, example.raw);
      },

      async openFile(file) {
        const source = file.name;
        const request = ++modelRequest; // a marking check still on its way is for the previous model
        if (file.size > MAX_MODEL_FILE_BYTES)
          return set({
            model: null,
            verdict: null,
            modelErrors: {
              source,
              errors: [
                `The file is ${file.size.toLocaleString('en-US')} bytes; model files are at most ${MAX_MODEL_FILE_BYTES.toLocaleString('en-US')}.`,
              ],
            },
          });
        let raw: unknown;
        try {
          raw = JSON.parse(await file.text());
        } catch (error) {
          return set({
            model: null,
            verdict: null,
            result: null,
            modelErrors: {
              source,
              errors: [`The file is not JSON: ${error instanceof Error ? error.message : String(error)}`],
            },
          });
        }
        if (request !== modelRequest) return; // another model was chosen, or the state forgotten, meanwhile
        await load(source, raw);
      },

      async openLibraryModel(id, version) {
        const request = ++modelRequest;
        const source = `library:${id}`;
        const opened = await getBridge().models.open(version === undefined ? { id } : { id, version });
        if (request !== modelRequest) return;
        if (!opened.ok)
          return set({
            model: null,
            verdict: null,
            result: null,
            saved: null,
            modelErrors: { source: `Model ${id}`, errors: [opened.error.message] },
          });
        const { summary, version: kept, model } = opened.value;
        const library = { id, version: kept.version, name: summary.name, banner: kept.banner };
        await load(source, model, library, request);
      },

      showSaved(saved, result) {
        controller?.abort();
        set({ saved, result, phase: 'done', error: null, ran: null, progress: { done: 0, total: 0 } });
      },

      setSaved(saved) {
        set({ saved });
      },

      setOption(key, value) {
        set({ options: { ...get().options, [key]: value } });
      },

      async run() {
        const { model, verdict, phase } = get();
        let { options } = get();
        const iterations = checkIterations(options.iterations);
        const tolerance = checkAutoStop(options);
        if (options.randomSeed) {
          // A new seed for this run, shown in the field and kept with the run.
          options = { ...options, seed: String(randomSeed()) };
          setState({ options });
        }
        const seed = checkSeed(options.seed);
        if (!model || verdict?.status !== 'ok' || !iterations.ok || !seed.ok || !tolerance.ok) return;
        // Running is an analyst's (models.write); the run screen is hidden from viewers, and this holds if it is not.
        const role = useLoginState.getState().status?.user?.role;
        if (!role || !roleAllows(role, 'models.write'))
          return setState({ phase: 'failed', error: 'Running a model needs the analyst role; ask an administrator.' });
        if (phase === 'calibrating' || phase === 'running' || phase === 'reporting') return;
        // The service's word, on the record before the engine starts: the role, the marking, who ran what.
        // For a library model the service reads the kept version's marking itself.
        const library = model.library;
        const allowed = await getBridge().runs.authorize({
          model: model.compiled.model.name,
          marking: library?.banner ?? model.compiled.model.marking,
          iterations: iterations.value,
          seed: seed.value,
          sampling: options.sampling,
          ...(library ? { library: { id: library.id, version: library.version } } : {}),
        });
        if (!allowed.ok) return setState({ phase: 'failed', error: allowed.error.message });
        if (get().phase !== phase || get().model !== model) return; // another run or model came first
        const autoStop =
          tolerance.value === null ? null : { tolerance: tolerance.value, maxIterations: iterations.value };
        const startedAt = new Date().toISOString();
        const mine = new AbortController();
        controller = mine;
        const signal = mine.signal;
        const current = generation;
        // After a lock the state is back to its initial one: nothing of this run is written into it.
        const set = (partial: Partial<RunState>) => {
          if (current === generation) setState(partial);
        };
        set({
          phase: options.engine === 'auto' ? 'calibrating' : 'running',
          stage: 'Starting…',
          progress: { done: 0, total: iterations.value },
          result: null,
          ran: null,
          saved: null,
          error: null,
        });
        // Progress comes per chunk from every worker; the screen shows it at up to 20 Hz (10 Hz or more is the aim), not each one.
        let shown = 0;
        try {
          // Auto-stop runs rounds of doubling size on the engine the first round chose, until converged.
          const sizes = autoStop ? roundSizes(iterations.value) : [iterations.value];
          let engine = options.engine;
          let result: RunResult | null = null;
          for (const [round, size] of sizes.entries()) {
            result = await runSimulation(model.compiled, {
              iterations: size,
              seed: seed.value,
              sampling: options.sampling,
              engine,
              signal,
              onStage: (stage, detail) =>
                set({
                  phase: stage,
                  stage: autoStop
                    ? `Round ${round + 1} (${size.toLocaleString('en-US')} iterations): ${detail}`
                    : detail,
                  ...(stage === 'running' ? { progress: { done: 0, total: size } } : {}),
                }),
              onProgress: (done, total) => {
                const time = performance.now();
                if (done < total && time - shown < 50) return;
                shown = time;
                set({ progress: { done, total } });
              },
            });
            engine = result.engine;
            if (autoStop && roundConverged(result.summary, autoStop.tolerance).converged) break;
          }
          const ran: RanWith = {
            settings: { autoStop, engineChoice: options.engine },
            startedAt,
            finishedAt: new Date().toISOString(),
            library,
          };
          set({
            phase: 'done',
            result,
            ran,
            saved: null,
            progress: { done: result!.iterations, total: result!.iterations },
          });
        } catch (error) {
          if (error instanceof RunCancelledError) set({ phase: 'cancelled', error: null });
          else set({ phase: 'failed', error: error instanceof Error ? error.message : String(error) });
        } finally {
          if (controller === mine) controller = null;
        }
      },

      cancel() {
        controller?.abort();
      },
    };
  },
  {
    onForget() {
      generation += 1;
      modelRequest += 1;
      controller?.abort();
      controller = null;
      forgetEngineState(); // the workers hold the last model; the GPU its buffers and programs
    },
  },
);
