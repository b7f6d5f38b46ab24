import { useConsentState } from '../../state/consent-state';
import { useSystemState } from '../../state/system-state';

/** The notice-and-consent banner. Nothing else of the app renders until it is acknowledged. */
export function ConsentScreen() {
  const info = useSystemState((s) => s.info);
  const acknowledging = useConsentState((s) => s.acknowledging);
  const acknowledge = useConsentState((s) => s.acknowledge);
  if (!info) return null;
  return (
    <section className="consent" role="dialog" aria-modal="true" aria-labelledby="consent-title">
      <h1 id="consent-title">{info.consent.title}</h1>
      <div className="consent__text" data-testid="consent-text" tabIndex={0}>
        {info.consent.text}
      </div>
      <button
        type="button"
        className="button button--primary"
        onClick={() => void acknowledge()}
        disabled={acknowledging}
        autoFocus
      >
        I have read and consent to these terms
      </button>
    </section>
  );
}
