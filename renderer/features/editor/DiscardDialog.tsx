import { useEffect, useRef } from 'react';

/**
 * Asks before unsaved edits are dropped (leaving the editor, opening another model). Focus starts
 * on "Keep editing", the safe answer; Escape means the same.
 */
export function DiscardDialog({
  question,
  discardLabel,
  onDiscard,
  onKeep,
}: {
  question: string;
  discardLabel: string;
  onDiscard(): void;
  onKeep(): void;
}) {
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <div className="editor-dialog__backdrop">
      <div
        className="editor-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="discard-title"
        aria-describedby="discard-question"
        data-testid="discard-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onKeep();
          } else if (e.key === 'Tab') {
            // The question is modal: Tab moves between its two answers only.
            const buttons = [...e.currentTarget.querySelectorAll('button')];
            const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
            e.preventDefault();
            buttons[(at + (e.shiftKey ? buttons.length - 1 : 1)) % buttons.length]?.focus();
          }
        }}
      >
        <h2 id="discard-title">Unsaved changes</h2>
        <p id="discard-question">{question}</p>
        <div className="editor-dialog__actions">
          <button type="button" className="button" ref={keep} onClick={onKeep} data-testid="discard-keep">
            Keep editing
          </button>
          <button type="button" className="button button--danger" onClick={onDiscard} data-testid="discard-confirm">
            {discardLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
