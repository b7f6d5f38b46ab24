import { useState } from 'react';
import { formatBanner, parseMarking } from '../../../common/markings';
import type { MarkingContext } from '../../../common/markings/choices';
import { MarkingPicker } from '../../components/MarkingPicker';
import { portionText } from './model-banner';

/**
 * One item's portion mark: shown as "(S//NF)"; "Change" opens the marking picker (which offers only
 * markings valid under the site's policy and system high); "Use the model's marking" clears it, so
 * the item carries the model's own.
 */
export function PortionMarkField({
  what,
  marking,
  modelMarking,
  context,
  onChange,
  testId,
}: {
  what: string;
  marking: string | undefined;
  modelMarking: string;
  context: MarkingContext | null;
  onChange(next: string | undefined): void;
  testId: string;
}) {
  const [open, setOpen] = useState(false);
  if (!context) return <span className="muted">Loading the marking policy…</span>;
  const parsed = parseMarking(marking ?? modelMarking, context.policy);
  return (
    <div className="editor-portion" data-testid={testId}>
      <span className="editor-portion__label">
        Portion mark <code data-testid={`${testId}-text`}>{portionText(marking, modelMarking, context.policy)}</code>
        {marking === undefined && <span className="muted"> (the model’s)</span>}
      </span>
      <button
        type="button"
        className="button button--small"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid={`${testId}-change`}
      >
        {open ? 'Done' : 'Change'}
      </button>
      {marking !== undefined && (
        <button type="button" className="button button--small" onClick={() => onChange(undefined)}>
          Use the model’s marking
        </button>
      )}
      {open && parsed.ok && (
        <div
          className="editor-portion__picker"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <MarkingPicker
            value={parsed.marking}
            onChange={(next) => onChange(formatBanner(next))}
            context={context}
            label={`Portion mark of ${what}`}
          />
        </div>
      )}
    </div>
  );
}
