import type { ReactNode } from 'react';
import type { Marking } from '../../common/markings';
import type { Option } from '../../common/markings/choices';

interface Props {
  type: 'checkbox' | 'radio';
  /** Radio group name. */
  name?: string;
  checked: boolean;
  option: Option;
  onChoose(next: Marking): void;
  children: ReactNode;
  /** Shown as a tooltip while the choice is enabled. */
  hint?: string;
  testId?: string;
  value?: string;
}

/**
 * One menu entry: a checkbox or radio button that is enabled only when choosing it keeps the
 * marking valid; when disabled, the reason is its tooltip and its accessible description.
 */
export function Choice({ type, name, checked, option, onChoose, children, hint, testId, value }: Props) {
  // The chosen radio button is the current state, not an option: it never looks disabled.
  const disabled = !option.enabled && !(type === 'radio' && checked);
  const reason = disabled ? option.reason : undefined;
  return (
    <label
      className={`choice${disabled ? ' choice--disabled' : ''}${checked ? ' choice--on' : ''}`}
      title={reason ?? hint}
    >
      <input
        type={type}
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        title={reason}
        aria-description={reason}
        data-testid={testId}
        data-reason={reason}
        onChange={() => onChoose(option.next)}
      />
      <span className="choice__label">{children}</span>
    </label>
  );
}
