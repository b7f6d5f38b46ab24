import type { SaveProblem } from '../../state/editor-state';

/** What a refused save means, in words an analyst acts on; the service's own message and issues follow. */
export function saveProblemLead(problem: SaveProblem): string {
  switch (problem.code) {
    case 'MODEL_INVALID':
      return 'Not saved: fix these first.';
    case 'ABOVE_SYSTEM_HIGH':
      return 'Not saved: a marking in the model is above what this workstation may hold. Lower the marking named below.';
    case 'FORBIDDEN':
      return 'Not saved: you may not change this model. Save a copy from the library instead.';
    case 'INVALID_ARGUMENT':
      return 'Not saved: the library refused the model.';
    case 'UNAUTHENTICATED':
      return 'Not saved: the session is locked. Unlock it and save again.';
    case 'UNAVAILABLE':
      return 'Not saved: the services did not answer. Try again.';
    default:
      return 'Not saved.';
  }
}
