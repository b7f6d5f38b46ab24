import { useShallow } from 'zustand/react/shallow';
import { useUpdatesState, type UpdatesState } from '../../state/updates-state';

/** What the Updates page shows, read once by the screen and passed down (its parts render from props). */
export type UpdatesView = Pick<
  UpdatesState,
  | 'root'
  | 'rootProblem'
  | 'reviewed'
  | 'inspectProblem'
  | 'lockoutUnderstood'
  | 'applied'
  | 'applyProblem'
  | 'history'
  | 'historyProblem'
  | 'busy'
>;

export function useUpdatesView(): UpdatesView {
  return useUpdatesState(
    useShallow((s) => ({
      root: s.root,
      rootProblem: s.rootProblem,
      reviewed: s.reviewed,
      inspectProblem: s.inspectProblem,
      lockoutUnderstood: s.lockoutUnderstood,
      applied: s.applied,
      applyProblem: s.applyProblem,
      history: s.history,
      historyProblem: s.historyProblem,
      busy: s.busy,
    })),
  );
}
