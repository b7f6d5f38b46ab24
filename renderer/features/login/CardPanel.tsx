import { CardStateLine } from '../../components/CardStateLine';
import { useLoginState } from '../../state/login-state';

/** What is in the reader: no middleware, no card, or the card(s) with their PIN state. */
export function CardPanel() {
  const card = useLoginState((s) => s.status?.card ?? null);
  const selected = useLoginState((s) => s.selectedSerial);
  const selectCard = useLoginState((s) => s.selectCard);
  if (!card || card.state !== 'card-present')
    return <CardStateLine card={card} testId="card-state" insertText="Insert your card." />;
  const current = card.cards.find((c) => c.serialNumber === selected) ?? card.cards[0];
  return (
    <div className="card-state" data-testid="card-state" data-state="card-present">
      {card.cards.length === 1 && current && (
        <p>
          Card: <strong data-testid="card-label">{current.label}</strong>
        </p>
      )}
      {card.cards.length > 1 && (
        <label className="field-label">
          <span>Several cards are inserted: sign in with</span>
          <select value={selected ?? ''} onChange={(e) => selectCard(e.target.value)} data-testid="card-select">
            {card.cards.map((c) => (
              <option key={c.serialNumber} value={c.serialNumber}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {current?.pin.locked && (
        <p className="card-state--bad">This card’s PIN is locked: it must be unblocked at a card office.</p>
      )}
      {!current?.pin.locked && current?.pin.finalTry && (
        <p className="card-state--bad">One PIN try is left on this card.</p>
      )}
      {!current?.pin.locked && !current?.pin.finalTry && current?.pin.countLow && (
        <p className="muted">A wrong PIN was entered on this card before.</p>
      )}
    </div>
  );
}
