import type { Model } from './model';

/**
 * The model editor's undo history, kept apart from its state (renderer/state/editor-state.ts) so
 * it is plain data and functions: snapshots of whole documents (models are small; a snapshot per
 * edit keeps undo exact), with keystrokes in one field coalesced into one step.
 */
export interface EditHistory<T> {
  past: T[];
  future: T[];
  /** The key of the last edit and when it was made: keystrokes in one field within a second are one step. */
  lastKey: string | null;
  lastAt: number;
}

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 1000;

export const emptyHistory = <T>(): EditHistory<T> => ({ past: [], future: [], lastKey: null, lastAt: 0 });

/**
 * The history after an edit that replaced `before`: `before` is pushed unless the edit continues
 * the last one (same key, within COALESCE_MS), so typing "1250" in a field is one undo step.
 * Any edit clears the redo stack.
 */
export function recordEdit<T>(history: EditHistory<T>, before: T, key: string | null, now: number): EditHistory<T> {
  const continues =
    key !== null && key === history.lastKey && now - history.lastAt < COALESCE_MS && history.future.length === 0;
  const past = continues ? history.past : [...history.past, before].slice(-HISTORY_LIMIT);
  return { past, future: [], lastKey: key, lastAt: now };
}

/** Steps back: the document to show and the history after; null when there is nothing to undo. */
export function undoEdit<T>(history: EditHistory<T>, current: T): { doc: T; history: EditHistory<T> } | null {
  const doc = history.past[history.past.length - 1];
  if (doc === undefined) return null;
  return {
    doc,
    history: { past: history.past.slice(0, -1), future: [current, ...history.future], lastKey: null, lastAt: 0 },
  };
}

export function redoEdit<T>(history: EditHistory<T>, current: T): { doc: T; history: EditHistory<T> } | null {
  const doc = history.future[0];
  if (doc === undefined) return null;
  return {
    doc,
    history: { past: [...history.past, current], future: history.future.slice(1), lastKey: null, lastAt: 0 },
  };
}

/** A new model: nothing in it yet. The schema asks for an input and an output before it can be saved. */
export function blankModel(): Model {
  return {
    format: 'enclave-model/1',
    name: 'Untitled model',
    marking: 'UNCLASSIFIED',
    inputs: [],
    correlations: [],
    formulas: [],
    outputs: [],
  };
}
