import { useState } from 'react';

/**
 * A destructive action behind a second, explicit step: the first click asks, in words, what will
 * happen; only "Yes, …" does it. No window.confirm (a native dialog the page cannot style or test).
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  disabled,
  onConfirm,
  testId,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  disabled?: boolean;
  onConfirm(): void;
  testId: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="button button--small"
        disabled={disabled}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question} data-testid={`${testId}-confirm`}>
      <span className="confirm__question">{question}</span>
      <button
        type="button"
        className="button button--small button--danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button--small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
