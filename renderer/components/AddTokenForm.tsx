import { useId, useState } from 'react';
import type { Marking } from '../../common/markings';
import type { Option } from '../../common/markings/choices';

/**
 * A typed token the picker adds to a marking (a SAP program, a CUI category): the field, the add
 * button, disabled with the reason while the token is empty or would not be allowed.
 */
export function AddTokenForm(props: {
  /** The token as typed → what would be added (uppercase, prefix stripped). */
  tokenOf: (draft: string) => string;
  /** What adding that token would do to the marking. */
  consider: (token: string) => Option;
  emptyReason: string;
  /** Shown before the field (e.g. SAR-), as its label. */
  prefix?: string;
  ariaLabel: string;
  placeholder: string;
  testId: string;
  buttonText: string;
  onChoose: (next: Marking) => void;
}) {
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const token = props.tokenOf(draft);
  const add = props.consider(token);
  const blocked = token === '' || !add.enabled;
  const reason = token === '' ? props.emptyReason : add.reason;
  return (
    <>
      <form
        className="inline-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) {
            props.onChoose(add.next);
            setDraft('');
          }
        }}
      >
        {props.prefix && <label htmlFor={inputId}>{props.prefix}</label>}
        <input
          id={inputId}
          type="text"
          aria-label={props.ariaLabel}
          placeholder={props.placeholder}
          value={draft}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value.toUpperCase())}
          data-testid={props.testId}
        />
        <button
          type="submit"
          className="button button--small"
          disabled={blocked}
          title={blocked ? reason : undefined}
          aria-description={blocked ? reason : undefined}
        >
          {props.buttonText}
        </button>
      </form>
      {token !== '' && !add.enabled && <p className="field-problem">{reason}</p>}
    </>
  );
}
