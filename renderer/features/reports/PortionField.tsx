import { useState } from 'react';
import { formatBanner, formatPortion, parseMarking } from '../../../common/markings';
import type { MarkingContext } from '../../../common/markings/choices';
import { MarkingPicker } from '../../components/MarkingPicker';

/**
 * A portion mark of the report: typed ("(S//NF)", "SECRET") or built with the marking picker
 * ("Choose"). What is typed is sent as it is: the service's verdict names any portion it refuses.
 */
export function PortionField({
  what,
  value,
  context,
  onChange,
  testId,
}: {
  what: string;
  value: string;
  context: MarkingContext | null;
  onChange(next: string): void;
  testId: string;
}) {
  const [open, setOpen] = useState(false);
  const parsed = context ? parseMarking(value, context.policy) : null;
  return (
    <div className="report-portion-field" data-testid={testId}>
      <label className="report-portion-field__label">
        <span>Portion mark of {what}</span>
        <input
          className="field report-portion-field__input"
          value={value}
          maxLength={500}
          spellCheck={false}
          onChange={(e) => onChange(e.currentTarget.value)}
          aria-invalid={parsed !== null && !parsed.ok}
          data-testid={`${testId}-text`}
        />
      </label>
      {parsed?.ok && (
        <code className="report-portion-field__shown" data-testid={`${testId}-portion`}>
          {formatPortion(parsed.marking)}
        </code>
      )}
      {parsed && !parsed.ok && <span className="field-problem">Not a marking this site accepts.</span>}
      {context && (
        <button
          type="button"
          className="button button--small"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          data-testid={`${testId}-choose`}
        >
          {open ? 'Done' : 'Choose'}
        </button>
      )}
      {open && context && (
        <div
          className="report-portion-field__picker"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <MarkingPicker
            value={parsed?.ok ? parsed.marking : context.systemHigh}
            onChange={(next) => onChange(formatBanner(next))}
            context={context}
            label={`Portion mark of ${what}`}
          />
        </div>
      )}
    </div>
  );
}
