import { useState } from 'react';
import { EXAMPLE_MODELS } from '../../state/example-models';
import { useEditorState } from '../../state/editor-state';
import type { OpenModelTarget } from '../../state/open-model-state';
import { saveProblemLead } from './save-words';

/** Undo and redo, save (with a comment for the version), the save's outcome, and opening a template or a blank model. */
export function EditorToolbar({
  dirty,
  readOnly,
  onOpen,
  onSaved,
}: {
  dirty: boolean;
  readOnly: boolean;
  onOpen(target: OpenModelTarget): void;
  onSaved(id: number): void;
}) {
  const history = useEditorState((s) => s.history);
  const undo = useEditorState((s) => s.undo);
  const redo = useEditorState((s) => s.redo);
  const save = useEditorState((s) => s.save);
  const saving = useEditorState((s) => s.saving);
  const problem = useEditorState((s) => s.saveProblem);
  const savedNote = useEditorState((s) => s.savedNote);
  const libraryId = useEditorState((s) => s.libraryId);
  const [comment, setComment] = useState('');
  const [template, setTemplate] = useState('');

  const onSave = async () => {
    const id = await save(comment);
    if (id !== null) {
      setComment('');
      onSaved(id);
    }
  };

  return (
    <div className="editor-toolbar" data-testid="editor-toolbar">
      <div className="editor-toolbar__group" role="group" aria-label="Undo and redo">
        <button
          type="button"
          className="button"
          disabled={history.past.length === 0}
          onClick={undo}
          aria-keyshortcuts="Control+Z"
          data-testid="editor-undo"
        >
          Undo
        </button>
        <button
          type="button"
          className="button"
          disabled={history.future.length === 0}
          onClick={redo}
          aria-keyshortcuts="Control+Shift+Z Control+Y"
          data-testid="editor-redo"
        >
          Redo
        </button>
      </div>
      <form
        className="editor-toolbar__group"
        onSubmit={(e) => {
          e.preventDefault();
          void onSave();
        }}
      >
        <label htmlFor="editor-comment" className="editor-field__label">
          {libraryId === null ? 'Comment for the first version' : 'Comment for the new version'}
        </label>
        <input
          id="editor-comment"
          className="field"
          value={comment}
          maxLength={2000}
          onChange={(e) => setComment(e.target.value)}
          data-testid="editor-comment"
          disabled={readOnly}
        />
        <button
          type="submit"
          className="button button--primary"
          disabled={readOnly || saving || (!dirty && libraryId !== null)}
          data-testid="editor-save"
        >
          {saving ? 'Saving…' : libraryId === null ? 'Save to the library' : 'Save a new version'}
        </button>
      </form>
      <span className="editor-toolbar__status" role="status" data-testid="editor-status" data-dirty={dirty}>
        {dirty ? 'Unsaved changes' : (savedNote ?? 'No unsaved changes')}
      </span>
      <div className="editor-toolbar__group">
        <label htmlFor="editor-template" className="editor-field__label">
          Open
        </label>
        <select
          id="editor-template"
          className="field"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
          data-testid="editor-open-choice"
        >
          <option value="">Choose…</option>
          <option value="blank">A new blank model</option>
          {EXAMPLE_MODELS.map((m) => (
            <option key={m.id} value={m.id}>
              Template: {m.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          disabled={template === ''}
          data-testid="editor-open"
          onClick={() => {
            onOpen(template === 'blank' ? { kind: 'blank' } : { kind: 'template', exampleId: template });
            setTemplate('');
          }}
        >
          Open
        </button>
      </div>
      {problem && (
        <div
          className="notice editor-toolbar__problem"
          role="alert"
          data-testid="editor-save-problem"
          data-code={problem.code}
        >
          <p>
            {saveProblemLead(problem)} {problem.code === 'MODEL_INVALID' ? '' : problem.message}
          </p>
          {problem.issues.length > 0 && (
            <ul>
              {problem.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
