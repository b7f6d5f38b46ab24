import type { ResponseOf } from '../../common/ipc/contract';
import type { FileHandle } from '../../common/ipc/files';
import type { IpcError, IpcResult } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type ModelSummary = ResponseOf<'models', 'list'>['models'][number];
export type ModelVersion = ResponseOf<'models', 'versions'>['versions'][number];
export type ModelChange = ResponseOf<'models', 'diff'>['changes'][number];
export type ShareGrant = ResponseOf<'models', 'share'>['grants'][number];
export type ShareTargets = ResponseOf<'models', 'shareTargets'>;
export type ModelExport = ResponseOf<'models', 'exportFile'>;

/** The panel open beside the list for one model: its versions (and a diff), or its sharing. */
export type LibraryPanel =
  | { kind: 'versions'; model: ModelSummary; versions: ModelVersion[] | null; diff: VersionDiff | null }
  | { kind: 'share'; model: ModelSummary; grants: ShareGrant[] | null; targets: ShareTargets | null }
  | { kind: 'runs'; model: ModelSummary };

export interface VersionDiff {
  from: number;
  to: number;
  changes: ModelChange[];
}

export interface LibraryState {
  view: 'library' | 'trash';
  search: string;
  models: ModelSummary[] | null;
  /** Reading the list failed. */
  listProblem: IpcError | null;
  /** What is being done (a word for the status line), while a call is out; every action waits for it. */
  busy: string | null;
  /** The last action's failure, in the service's words, and its outcome when it worked. */
  problem: IpcError | null;
  notice: string | null;
  panel: LibraryPanel | null;
  load(): Promise<void>;
  setView(view: 'library' | 'trash'): Promise<void>;
  setSearch(search: string): Promise<void>;
  rename(model: ModelSummary, name: string): Promise<boolean>;
  duplicate(model: ModelSummary): Promise<boolean>;
  trash(model: ModelSummary): Promise<boolean>;
  restore(model: ModelSummary): Promise<boolean>;
  /** Imports the files the host handed over, one model each; stops at the first refused, naming its problems. */
  importFiles(files: { handle: FileHandle; name: string }[]): Promise<boolean>;
  exportModel(model: ModelSummary): Promise<IpcResult<ModelExport>>;
  showVersions(model: ModelSummary): Promise<void>;
  diffVersions(from: number, to: number): Promise<void>;
  restoreVersion(version: number, comment: string): Promise<boolean>;
  showSharing(model: ModelSummary): Promise<void>;
  /** Replaces the open model's grants (the owner's; the service refuses anyone else). */
  share(grants: ShareGrant[]): Promise<boolean>;
  /** The model's saved runs (read in the panel itself: runs.list, runs.open). */
  showRuns(model: ModelSummary): void;
  closePanel(): void;
  /** A failure found before any call (a file the host could not take, a download the window refused). */
  report(error: IpcError | null, notice?: string | null): void;
}

/** Answers to calls made before a lock or a newer list are dropped: they belong to another moment or user. */
let generation = 0;

/**
 * The model library screen's state (models.* channels, docs/models.md): the list or the trash, the
 * outcome of the last action, and one model's versions or sharing. The service decides every
 * permission; this mirrors what it said. The user's work: forgotten on lock.
 */
export const useLibraryState = signedInState<LibraryState>(
  'library',
  (set, get) => {
    /** One change: the call, its outcome in words, then the list again (and the open panel). */
    async function change<T>(
      busy: string,
      call: () => Promise<IpcResult<T>>,
      describe: (value: T) => string,
    ): Promise<IpcResult<T> | null> {
      if (get().busy !== null) return null;
      const mine = generation;
      set({ busy, problem: null, notice: null });
      const result = await call();
      if (mine !== generation) return null;
      set(result.ok ? { notice: describe(result.value) } : { problem: result.error });
      await get().load();
      set({ busy: null });
      return result;
    }

    return {
      view: 'library',
      search: '',
      models: null,
      listProblem: null,
      busy: null,
      problem: null,
      notice: null,
      panel: null,

      async load() {
        const mine = generation;
        const { search, view } = get();
        const result = await getBridge().models.list({
          ...(search.trim() ? { search: search.trim() } : {}),
          trash: view === 'trash',
        });
        if (mine !== generation || search !== get().search || view !== get().view) return;
        if (result.ok) set({ models: result.value.models, listProblem: null });
        else set({ models: null, listProblem: result.error });
      },

      async setView(view) {
        set({ view, models: null, panel: null, problem: null, notice: null });
        await get().load();
      },

      async setSearch(search) {
        set({ search });
        await get().load();
      },

      async rename(model, name) {
        const result = await change(
          'Renaming…',
          () => getBridge().models.rename({ id: model.id, name }),
          (v) => `“${model.name}” is now “${v.model.name}”.`,
        );
        return result?.ok ?? false;
      },

      async duplicate(model) {
        const result = await change(
          'Duplicating…',
          () => getBridge().models.duplicate({ id: model.id }),
          (v) => `Copied “${model.name}” as “${v.model.name}”, yours.`,
        );
        return result?.ok ?? false;
      },

      async trash(model) {
        const result = await change(
          'Moving to the trash…',
          () => getBridge().models.delete({ id: model.id }),
          () => `“${model.name}” is in the trash. It can be restored for 30 days.`,
        );
        if (result?.ok && get().panel?.model.id === model.id) set({ panel: null });
        return result?.ok ?? false;
      },

      async restore(model) {
        const result = await change(
          'Restoring…',
          () => getBridge().models.restore({ id: model.id }),
          () => `“${model.name}” is back in the library.`,
        );
        return result?.ok ?? false;
      },

      async importFiles(files) {
        if (get().busy !== null || files.length === 0) return false;
        const mine = generation;
        set({ busy: 'Importing…', problem: null, notice: null });
        const imported: string[] = [];
        let problem: IpcError | null = null;
        for (const file of files) {
          const result = await getBridge().models.importFile({ file: file.handle });
          if (mine !== generation) return false;
          if (!result.ok) {
            problem = result.error;
            break;
          }
          imported.push(`“${result.value.model.name}” from ${file.name}`);
        }
        const notice = imported.length > 0 ? `Imported ${imported.join(', ')}.` : null;
        set({ problem, notice });
        await get().load();
        set({ busy: null });
        return problem === null;
      },

      async exportModel(model) {
        set({ problem: null, notice: null });
        return getBridge().models.exportFile({ id: model.id });
      },

      async showVersions(model) {
        const mine = generation;
        set({ panel: { kind: 'versions', model, versions: null, diff: null }, problem: null, notice: null });
        const result = await getBridge().models.versions({ id: model.id });
        const panel = get().panel;
        if (mine !== generation || panel?.kind !== 'versions' || panel.model.id !== model.id) return;
        if (result.ok) set({ panel: { ...panel, versions: result.value.versions } });
        else set({ panel: null, problem: result.error });
      },

      async diffVersions(from, to) {
        const panel = get().panel;
        if (panel?.kind !== 'versions' || get().busy !== null) return;
        const mine = generation;
        set({ busy: 'Comparing…', problem: null, notice: null });
        const result = await getBridge().models.diff({ id: panel.model.id, from, to });
        if (mine !== generation) return;
        const now = get().panel;
        if (result.ok && now?.kind === 'versions' && now.model.id === panel.model.id)
          set({ panel: { ...now, diff: { from, to, changes: result.value.changes } } });
        if (!result.ok) set({ problem: result.error });
        set({ busy: null });
      },

      async restoreVersion(version, comment) {
        const panel = get().panel;
        if (panel?.kind !== 'versions') return false;
        const result = await change(
          'Restoring the version…',
          () =>
            getBridge().models.restoreVersion({
              id: panel.model.id,
              version,
              ...(comment.trim() ? { comment: comment.trim() } : {}),
            }),
          (v) => `Version ${version} of “${v.model.name}” is saved again as version ${v.version.version}.`,
        );
        if (result?.ok) {
          const model = get().models?.find((m) => m.id === panel.model.id) ?? result.value.model;
          await get().showVersions(model);
          set({
            notice: `Version ${version} of “${model.name}” is saved again as version ${result.value.version.version}.`,
          });
        }
        return result?.ok ?? false;
      },

      async showSharing(model) {
        const mine = generation;
        set({ panel: { kind: 'share', model, grants: null, targets: null }, problem: null, notice: null });
        const [opened, targets] = await Promise.all([
          getBridge().models.open({ id: model.id }),
          getBridge().models.shareTargets(),
        ]);
        const panel = get().panel;
        if (mine !== generation || panel?.kind !== 'share' || panel.model.id !== model.id) return;
        if (!opened.ok || !targets.ok) {
          set({ panel: null, problem: !opened.ok ? opened.error : (targets as { error: IpcError }).error });
          return;
        }
        set({ panel: { ...panel, grants: opened.value.grants ?? [], targets: targets.value } });
      },

      async share(grants) {
        const panel = get().panel;
        if (panel?.kind !== 'share') return false;
        const result = await change(
          'Sharing…',
          () => getBridge().models.share({ id: panel.model.id, grants }),
          (v) =>
            v.grants.length === 0
              ? `“${panel.model.name}” is shared with no one.`
              : `“${panel.model.name}” is shared as shown.`,
        );
        const now = get().panel;
        if (result?.ok && now?.kind === 'share' && now.model.id === panel.model.id)
          set({ panel: { ...now, grants: result.value.grants } });
        return result?.ok ?? false;
      },

      showRuns(model) {
        set({ panel: { kind: 'runs', model }, problem: null, notice: null });
      },

      closePanel() {
        set({ panel: null });
      },

      report(error, notice = null) {
        set({ problem: error, notice });
      },
    };
  },
  {
    onForget() {
      generation += 1;
    },
  },
);
