import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  completeName,
  highlightTokens,
  type Completion,
  type KnownNames,
} from '../../../common/engine/expression/complete';
import type { FormulaIssue } from '../../../common/engine/expression/graph';
import { describeFormulaIssue } from './formula-words';

/**
 * A formula's text with syntax highlighting: the coloured pieces sit in a layer behind a textarea
 * whose own text is transparent, so the caret, selection, undo keys and screen readers are the
 * textarea's. The piece where a problem lies is underlined; the problems are listed under the
 * field with their positions. Names complete from the model's inputs and formulas and the
 * expression language's functions: as a name is typed (or on Ctrl+Space), ↑/↓ choose, Enter or
 * Tab insert, Escape closes.
 */
export function FormulaEditor({
  name,
  value,
  names,
  issues,
  onChange,
  testId,
}: {
  name: string;
  value: string;
  names: KnownNames;
  issues: FormulaIssue[];
  onChange(text: string): void;
  testId: string;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const layer = useRef<HTMLPreElement>(null);
  const [completion, setCompletion] = useState<(Completion & { active: number }) | null>(null);
  const tokens = useMemo(() => highlightTokens(value, names), [value, names]);
  const marked = new Set(issues.filter((i) => i.position !== undefined).map((i) => i.position!));

  const suggest = (text: string, cursor: number, always: boolean) => {
    const found = completeName(text, cursor, names, name);
    const word = found ? text.slice(found.from, cursor) : '';
    setCompletion(found && (always || word.length > 0) ? { ...found, active: 0 } : null);
  };

  const accept = (choice: number) => {
    if (!completion) return;
    const candidate = completion.candidates[choice]!;
    const insert = candidate.kind === 'function' && value[completion.to] === '(' ? candidate.name : candidate.insert;
    const next = value.slice(0, completion.from) + insert + value.slice(completion.to);
    onChange(next);
    setCompletion(null);
    const caret = completion.from + insert.length;
    requestAnimationFrame(() => area.current?.setSelectionRange(caret, caret));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      suggest(value, e.currentTarget.selectionStart, true);
      return;
    }
    if (!completion) return;
    const count = completion.candidates.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setCompletion({ ...completion, active: (completion.active + step + count) % count });
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(completion.active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setCompletion(null);
    }
  };

  const listId = `${id}-names`;
  const problemId = `${id}-problems`;
  return (
    <div className="formula">
      <label htmlFor={id} className="editor-field__label">
        Expression of {name || 'this formula'}
      </label>
      <div className="formula__box">
        <pre className="formula__layer" ref={layer} aria-hidden="true" data-testid={`${testId}-highlight`}>
          {tokens.map((t) => (
            <span
              key={t.at}
              className={`tok tok--${t.kind}${marked.has(t.at) || [...marked].some((p) => p > t.at && p < t.at + t.text.length) ? ' tok--error' : ''}`}
              data-kind={t.kind}
            >
              {t.text}
            </span>
          ))}
          {/* A trailing newline keeps the layer as tall as the textarea's last line. */}
          {'\n'}
        </pre>
        <textarea
          id={id}
          ref={area}
          className="formula__input"
          value={value}
          rows={2}
          spellCheck={false}
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={completion !== null}
          aria-controls={listId}
          aria-activedescendant={completion ? `${listId}-${completion.active}` : undefined}
          aria-invalid={issues.length > 0 ? true : undefined}
          aria-describedby={issues.length > 0 ? problemId : undefined}
          data-testid={testId}
          onChange={(e) => {
            onChange(e.target.value);
            suggest(e.target.value, e.target.selectionStart, false);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setCompletion(null)}
          onScroll={(e) => {
            if (layer.current) layer.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
        <ul
          id={listId}
          role="listbox"
          className="formula__completion"
          hidden={!completion}
          data-testid={`${testId}-completion`}
        >
          {completion?.candidates.map((c, i) => (
            <li
              key={`${c.kind}:${c.name}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === completion.active}
              className={`formula__option${i === completion.active ? ' formula__option--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(i);
              }}
            >
              <span className={`tok tok--${c.kind}`}>{c.name}</span> <span className="muted">{c.kind}</span>
            </li>
          ))}
        </ul>
      </div>
      {issues.length > 0 && (
        <ul id={problemId} className="formula__problems" data-testid={`${testId}-problems`}>
          {issues.map((issue) => (
            <li key={`${issue.kind}:${issue.message}`} className="field-problem" data-kind={issue.kind}>
              {describeFormulaIssue(issue, names)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
