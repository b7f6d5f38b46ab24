import { useEffect, useMemo, useRef, useState } from 'react';
import { setLeaveGuard, navigate, ROUTES, type RouteName } from '../../app/router';
import { EXAMPLE_MODELS } from '../../state/example-models';
import { canSave, isDirty, useEditorState } from '../../state/editor-state';
import { useMarkingPolicyState } from '../../state/marking-state';
import { useOpenModelState, type OpenModelTarget } from '../../state/open-model-state';
import { CorrelationEditor } from './CorrelationEditor';
import { DiscardDialog } from './DiscardDialog';
import { EditorToolbar } from './EditorToolbar';
import { FormulasSection } from './FormulasSection';
import { InputsSection } from './InputsSection';
import { modelIssues } from './model-issues';
import { ModelSection } from './ModelSection';
import { OutputsSection } from './OutputsSection';

const sameTarget = (a: OpenModelTarget | null, b: OpenModelTarget | null) => JSON.stringify(a) === JSON.stringify(b);

export function describeTarget(target: OpenModelTarget): string {
  if (target.kind === 'blank') return 'a new blank model';
  if (target.kind === 'template')
    return `the template “${EXAMPLE_MODELS.find((m) => m.id === target.exampleId)?.name ?? target.exampleId}”`;
  return `library model ${target.id}${target.version ? ` (version ${target.version})` : ''}`;
}

type Pending =
  { kind: 'route'; route: RouteName } | { kind: 'model'; target: OpenModelTarget; previous: OpenModelTarget | null };

/**
 * The model editor: opens what the open-model state names (a library model, a template, a blank
 * model), edits it with undo and redo, and saves it to the library (a new model, or a new version).
 * Leaving the screen or opening another model with unsaved edits asks first; so does closing the page.
 */
export function EditorScreen({ onHome }: { onHome: () => void }) {
  const target = useOpenModelState((s) => s.target);
  const openModel = useOpenModelState((s) => s.openModel);
  const state = useEditorState();
  const { phase, opened, doc, load, edit, undo, redo, discard } = state;
  const dirty = isDirty(state);
  const readOnly = !canSave(state);
  const context = useMarkingPolicyState((s) => s.context);
  const loadPolicy = useMarkingPolicyState((s) => s.load);
  const issues = useMemo(() => modelIssues(doc), [doc]);
  const [pending, setPending] = useState<Pending | null>(null);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  useEffect(() => void loadPolicy(), [loadPolicy]);

  // What the open-model state names is what the editor shows; another model while edits are unsaved asks first.
  // Only a change of the target counts: a save moves `opened` to the library model first, then the target.
  useEffect(() => {
    const current = useEditorState.getState().opened;
    if (target === null) {
      openModel(current ?? { kind: 'blank' });
      return;
    }
    if (sameTarget(target, current)) return;
    if (dirtyRef.current && current !== null) setPending({ kind: 'model', target, previous: current });
    else void load(target);
  }, [target, load, openModel]);

  /** Opening from the toolbar: the same target again (a fresh blank model) reloads it, asking first. */
  const open = (next: OpenModelTarget) => {
    if (!sameTarget(next, opened)) openModel(next);
    else if (dirtyRef.current) setPending({ kind: 'model', target: next, previous: null });
    else void load(next);
  };

  // Leaving the screen with unsaved edits asks first.
  useEffect(
    () =>
      setLeaveGuard((to) => {
        if (!dirtyRef.current) return true;
        setPending({ kind: 'route', route: to });
        return false;
      }),
    [],
  );

  // Closing or reloading the page with unsaved edits: the browser's own question. Not under Electron,
  // where a held unload silently keeps the window open unless the shell answers will-prevent-unload.
  useEffect(() => {
    if (!dirty || window.enclave) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  // Undo and redo keys over every edit of the model, wherever the focus is (not while the discard question is open).
  useEffect(() => {
    if (pending) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pending, undo, redo]);

  const resolve = (choice: 'discard' | 'keep') => {
    const p = pending;
    setPending(null);
    if (!p) return;
    if (p.kind === 'route') {
      if (choice === 'discard') {
        discard();
        dirtyRef.current = false;
        navigate(p.route);
      }
      return;
    }
    if (choice === 'discard') void load(p.target);
    else if (p.previous) openModel(p.previous);
  };

  return (
    <main className="editor" data-testid="editor-screen">
      <header className="run__header">
        <div>
          <h1>{ROUTES.editor.title}</h1>
          <p className="muted" data-testid="editor-source">
            {opened ? `Editing ${describeTarget(opened)}` : 'Opening…'}
            {state.version !== null && ` · version ${state.version}`}
          </p>
        </div>
        <button type="button" className="button" onClick={onHome}>
          Home
        </button>
      </header>
      <EditorToolbar
        dirty={dirty}
        readOnly={readOnly}
        onOpen={open}
        onSaved={(id) => openModel({ kind: 'library', id })}
      />
      {phase === 'loading' && <p className="loading">Opening the model…</p>}
      {phase === 'failed' && (
        <p className="field-problem" role="alert" data-testid="editor-load-error">
          The model could not be opened: {state.loadError}
        </p>
      )}
      {phase === 'ready' && (
        <>
          {readOnly && (
            <p className="notice" data-testid="editor-read-only">
              This model is shared with you to read: you may look, not change it.
            </p>
          )}
          <fieldset className="editor__body" disabled={readOnly}>
            <legend className="visually-hidden">The model</legend>
            <ModelSection doc={doc} context={context} problems={issues.fields} onEdit={edit} />
            <InputsSection doc={doc} context={context} problems={issues.fields} readOnly={readOnly} onEdit={edit} />
            <section className="panel editor-section" aria-labelledby="editor-correlations-title">
              <h2 id="editor-correlations-title">Correlations</h2>
              <CorrelationEditor doc={doc} context={context} onEdit={edit} />
            </section>
            <FormulasSection
              doc={doc}
              context={context}
              problems={issues.fields}
              formulaIssues={issues.formulas}
              readOnly={readOnly}
              onEdit={edit}
            />
            <OutputsSection doc={doc} context={context} onEdit={edit} />
          </fieldset>
          <section
            className="panel editor-section"
            aria-labelledby="editor-problems-title"
            data-testid="editor-problems"
          >
            <h2 id="editor-problems-title">Problems</h2>
            {issues.all.length === 0 ? (
              <p className="muted" data-testid="editor-no-problems">
                None: the model is ready to save and run.
              </p>
            ) : (
              <ul>
                {issues.all.map((p, i) => (
                  <li key={i} className="field-problem">
                    {p}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {pending && (
        <DiscardDialog
          question={
            pending.kind === 'route'
              ? `Leave the editor and discard the unsaved changes to “${doc.name}”?`
              : `Discard the unsaved changes to “${doc.name}” and open ${describeTarget(pending.target)}?`
          }
          discardLabel={pending.kind === 'route' ? 'Discard and leave' : 'Discard and open'}
          onDiscard={() => resolve('discard')}
          onKeep={() => resolve('keep')}
        />
      )}
    </main>
  );
}
