import type { IpcError, IpcIssue } from '../../common/ipc/result';
import type { ModelAccess } from '../../common/ipc/channels/models';
import { ModelSchema, type Model } from '../../common/model/model';
import { getBridge } from '../ipc/bridge';
import { EXAMPLE_MODELS } from './example-models';
import type { OpenModelTarget } from './open-model-state';
import { signedInState } from './signed-in';
import {
  blankModel,
  emptyHistory,
  recordEdit,
  redoEdit,
  undoEdit,
  type EditHistory,
} from '../../common/model/edit-history';

export { blankModel } from '../../common/model/edit-history';

/**
 * The model editor's document: the model being edited (a draft that may not yet pass the schema),
 * what it was when opened or last saved, and the undo history over every edit. The user's work:
 * forgotten on lock.
 */

/** Two documents hold the same model (key order aside, which JSON.stringify keeps as edits made it). */
export const sameModel = (a: Model, b: Model) => JSON.stringify(a) === JSON.stringify(b);

export interface SaveProblem {
  code: IpcError['code'] | 'MODEL_INVALID';
  message: string;
  issues: IpcIssue[];
}

export interface EditorState {
  phase: 'empty' | 'loading' | 'ready' | 'failed';
  loadError: string | null;
  /** What is loaded: the target it was opened from (a library model once saved). */
  opened: OpenModelTarget | null;
  /** The library's id and version of what is loaded; null for a template or blank model not yet saved. */
  libraryId: number | null;
  version: number | null;
  /** The signed-in user's access to the library model; null for a new one (theirs once saved). */
  access: ModelAccess | null;
  doc: Model;
  /** The document as opened or last saved: the edits are the difference. */
  original: Model;
  history: EditHistory<Model>;
  saving: boolean;
  saveProblem: SaveProblem | null;
  /** "Saved as version 3", after a save. */
  savedNote: string | null;
  load(target: OpenModelTarget): Promise<void>;
  /** One edit: `change` makes the next document from the current one. */
  edit(change: (doc: Model) => Model, key?: string): void;
  undo(): void;
  redo(): void;
  /** Creates (new model) or saves a new version; the library id, or null when refused. */
  save(comment: string): Promise<number | null>;
  /** Drops the edits: back to the document as opened or last saved. */
  discard(): void;
}

export const isDirty = (state: Pick<EditorState, 'doc' | 'original'>) => !sameModel(state.doc, state.original);
export const canSave = (state: Pick<EditorState, 'access'>) =>
  state.access === null || state.access === 'owner' || state.access === 'edit';

let loadRequest = 0;

export const useEditorState = signedInState<EditorState>(
  'editor',
  (set, get) => ({
    phase: 'empty',
    loadError: null,
    opened: null,
    libraryId: null,
    version: null,
    access: null,
    doc: blankModel(),
    original: blankModel(),
    history: emptyHistory(),
    saving: false,
    saveProblem: null,
    savedNote: null,

    async load(target) {
      const request = ++loadRequest;
      const fresh = { history: emptyHistory<Model>(), saveProblem: null, savedNote: null, loadError: null };
      if (target.kind === 'blank') {
        const doc = blankModel();
        set({
          ...fresh,
          phase: 'ready',
          opened: target,
          libraryId: null,
          version: null,
          access: null,
          doc,
          original: doc,
        });
        return;
      }
      if (target.kind === 'template') {
        const example = EXAMPLE_MODELS.find((m) => m.id === target.exampleId);
        const parsed = example ? ModelSchema.safeParse(example.raw) : null;
        if (!parsed?.success) {
          set({
            ...fresh,
            phase: 'failed',
            opened: target,
            loadError: `There is no example model "${target.exampleId}".`,
          });
          return;
        }
        set({
          ...fresh,
          phase: 'ready',
          opened: target,
          libraryId: null,
          version: null,
          access: null,
          doc: parsed.data,
          original: parsed.data,
        });
        return;
      }
      set({ ...fresh, phase: 'loading', opened: target });
      const result = await getBridge().models.open({
        id: target.id,
        ...(target.version === undefined ? {} : { version: target.version }),
      });
      if (request !== loadRequest) return; // another model was opened since
      if (!result.ok) {
        set({ phase: 'failed', loadError: result.error.message });
        return;
      }
      const { model, summary, version } = result.value;
      set({
        phase: 'ready',
        libraryId: summary.id,
        version: version.version,
        access: summary.access,
        doc: model,
        original: model,
      });
    },

    edit(change, key) {
      const { doc, history } = get();
      const next = change(doc);
      if (next === doc) return;
      set({ doc: next, history: recordEdit(history, doc, key ?? null, Date.now()), savedNote: null });
    },

    undo() {
      const step = undoEdit(get().history, get().doc);
      if (step) set({ doc: step.doc, history: step.history, savedNote: null });
    },

    redo() {
      const step = redoEdit(get().history, get().doc);
      if (step) set({ doc: step.doc, history: step.history, savedNote: null });
    },

    async save(comment) {
      const { doc, libraryId } = get();
      const checked = ModelSchema.safeParse(doc);
      if (!checked.success) {
        set({
          saveProblem: {
            code: 'MODEL_INVALID',
            message: 'The model has problems to fix before it can be saved.',
            issues: checked.error.issues.slice(0, 100).map((issue) => ({
              path: issue.path.map(String).join('.') || '(model)',
              message: issue.message,
            })),
          },
        });
        return null;
      }
      set({ saving: true, saveProblem: null, savedNote: null });
      const text = comment.trim();
      const request = { model: checked.data, ...(text ? { comment: text } : {}) };
      const bridge = getBridge();
      if (libraryId === null) {
        const result = await bridge.models.create(request);
        if (!result.ok) return refused(result.error);
        const id = result.value.model.id;
        set({
          saving: false,
          libraryId: id,
          version: 1,
          access: 'owner',
          opened: { kind: 'library', id },
          original: doc,
          savedNote: 'Saved to the library as version 1.',
        });
        return id;
      }
      const result = await bridge.models.save({ id: libraryId, ...request });
      if (!result.ok) return refused(result.error);
      set({
        saving: false,
        version: result.value.version.version,
        opened: { kind: 'library', id: libraryId },
        original: doc,
        savedNote: `Saved as version ${result.value.version.version}.`,
      });
      return libraryId;

      function refused(error: IpcError) {
        set({ saving: false, saveProblem: { code: error.code, message: error.message, issues: error.issues ?? [] } });
        return null;
      }
    },

    discard() {
      set({ doc: get().original, history: emptyHistory(), saveProblem: null });
    },
  }),
  {
    onForget() {
      loadRequest++;
    },
  },
);
