import { describe, expect, it } from 'vitest';
import {
  COALESCE_MS,
  emptyHistory,
  HISTORY_LIMIT,
  recordEdit,
  redoEdit,
  undoEdit,
  type EditHistory,
} from '../../../common/model/edit-history';

/** Plays edits on a document of one string: each edit (text, key, time) replaces it. */
function play(edits: [string, string | null, number][], start = '') {
  let doc = start;
  let history: EditHistory<string> = emptyHistory();
  for (const [text, key, now] of edits) {
    history = recordEdit(history, doc, key, now);
    doc = text;
  }
  return { doc, history };
}

describe('the editor’s undo history', () => {
  it('undo steps back through every edit and redo forward again', () => {
    let { doc, history } = play([
      ['a', null, 0],
      ['ab', null, 10],
      ['abc', null, 20],
    ]);
    const seen = [doc];
    for (let step = undoEdit(history, doc); step; step = undoEdit(history, doc)) {
      ({ doc, history } = step);
      seen.push(doc);
    }
    expect(seen).toEqual(['abc', 'ab', 'a', '']);
    const redone = [];
    for (let step = redoEdit(history, doc); step; step = redoEdit(history, doc)) {
      ({ doc, history } = step);
      redone.push(doc);
    }
    expect(redone).toEqual(['a', 'ab', 'abc']);
  });

  it('keystrokes in one field within a second are one step; another field or a pause starts a new one', () => {
    const typed = play([
      ['1', 'sd', 0],
      ['12', 'sd', 200],
      ['125', 'sd', 400],
      ['125!', 'mean', 500],
      ['125!?', 'mean', 500 + COALESCE_MS + 1],
    ]);
    expect(typed.history.past).toEqual(['', '125', '125!']);
    const once = undoEdit(typed.history, typed.doc)!;
    expect(once.doc).toBe('125!');
    expect(undoEdit(once.history, once.doc)!.doc).toBe('125');
  });

  it('an edit after undo clears redo, and the same field after an undo is a new step', () => {
    const { doc, history } = play([
      ['1', 'sd', 0],
      ['12', 'sd', 100],
    ]);
    const undone = undoEdit(history, doc)!;
    expect(undone.doc).toBe('');
    const edited = recordEdit(undone.history, undone.doc, 'sd', 150);
    expect(edited.future).toEqual([]);
    expect(edited.past).toEqual(['']);
    expect(redoEdit(edited, 'x')).toBeNull();
  });

  it('keeps at most HISTORY_LIMIT steps, dropping the oldest', () => {
    const edits: [string, null, number][] = Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => [
      String(i + 1),
      null,
      i,
    ]);
    const { history } = play(edits, '0');
    expect(history.past).toHaveLength(HISTORY_LIMIT);
    expect(history.past[0]).toBe('5');
  });

  it('nothing to undo or redo answers null', () => {
    expect(undoEdit(emptyHistory<string>(), 'a')).toBeNull();
    expect(redoEdit(emptyHistory<string>(), 'a')).toBeNull();
  });
});
