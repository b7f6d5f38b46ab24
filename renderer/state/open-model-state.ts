import { signedInState } from './signed-in';

/**
 * Which model the analyst is working on, shared by the library, the editor, the run screen and the
 * analyses: a model of the library (its latest version, or the one named), an example model as a
 * template (not yet in the library), or a new blank model. The user's work: forgotten on lock.
 */
export type OpenModelTarget =
  { kind: 'library'; id: number; version?: number } | { kind: 'template'; exampleId: string } | { kind: 'blank' };

export interface OpenModelState {
  target: OpenModelTarget | null;
  openModel(target: OpenModelTarget): void;
  closeModel(): void;
}

export const useOpenModelState = signedInState<OpenModelState>('open-model', (set) => ({
  target: null,
  openModel(target) {
    set({ target });
  },
  closeModel() {
    set({ target: null });
  },
}));
