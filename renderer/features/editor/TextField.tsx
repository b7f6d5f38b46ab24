import { useId, useState } from 'react';

/**
 * A text field whose value is read into the model as it is typed: `read` says what the text means
 * or why it cannot be read; a readable value goes to `onValue` (one undoable edit per field and
 * second), an unreadable one stays in the field with its reason. The reason, or the model's own
 * problem with the value (`problem`, from the schema), shows next to the field, and the field is
 * marked aria-invalid.
 */
export function TextField<T>({
  label,
  value,
  format,
  read,
  onValue,
  problem,
  hint,
  testId,
  className,
  multiline,
  hideLabel,
}: {
  label: string;
  value: T;
  format(value: T): string;
  read(text: string): { ok: true; value: T } | { ok: false; problem: string };
  onValue(value: T): void;
  problem?: string | undefined;
  hint?: string | undefined;
  testId: string;
  className?: string;
  multiline?: boolean;
  hideLabel?: boolean;
}) {
  const id = useId();
  // What was typed belongs to the value it was typed against: an undo or another edit shows the new value.
  const [draft, setDraft] = useState<{ text: string; base: T; problem: string | null }>(() => ({
    text: format(value),
    base: value,
    problem: null,
  }));
  const shown = Object.is(draft.base, value) ? draft : { text: format(value), base: value, problem: null };
  const change = (text: string) => {
    const result = read(text);
    if (result.ok) {
      setDraft({ text, base: result.value, problem: null });
      onValue(result.value);
    } else setDraft({ text, base: value, problem: result.problem });
  };
  const message = shown.problem ?? problem;
  const props = {
    id,
    className: `field editor-field__input${className ? ` ${className}` : ''}`,
    value: shown.text,
    'aria-invalid': message ? true : undefined,
    'aria-describedby': message ? `${id}-problem` : hint ? `${id}-hint` : undefined,
    'data-testid': testId,
    spellCheck: false,
    autoComplete: 'off',
  } as const;
  return (
    <div className="editor-field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'editor-field__label'}>
        {label}
      </label>
      {multiline ? (
        <textarea {...props} rows={2} onChange={(e) => change(e.target.value)} />
      ) : (
        <input {...props} type="text" onChange={(e) => change(e.target.value)} />
      )}
      {hint && !message && (
        <span id={`${id}-hint`} className="editor-field__hint muted">
          {hint}
        </span>
      )}
      {message && (
        <span id={`${id}-problem`} className="field-problem" data-testid={`${testId}-problem`}>
          {message}
        </span>
      )}
    </div>
  );
}

export const asText = {
  format: (v: string) => v,
  read: (text: string) => ({ ok: true as const, value: text }),
};

/** Optional text: empty removes it. */
export const asOptionalText = {
  format: (v: string | undefined) => v ?? '',
  read: (text: string) => ({ ok: true as const, value: text.trim() === '' ? undefined : text }),
};

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export const asNumber = {
  format: (v: number) => String(v),
  read: (text: string): { ok: true; value: number } | { ok: false; problem: string } => {
    const t = text.trim();
    if (t === '') return { ok: false, problem: 'enter a number' };
    return NUMBER.test(t) ? { ok: true, value: Number(t) } : { ok: false, problem: `"${t}" is not a number` };
  },
};

export const asOptionalNumber = {
  format: (v: number | undefined) => (v === undefined ? '' : String(v)),
  read: (text: string): { ok: true; value: number | undefined } | { ok: false; problem: string } =>
    text.trim() === '' ? { ok: true, value: undefined } : asNumber.read(text),
};
