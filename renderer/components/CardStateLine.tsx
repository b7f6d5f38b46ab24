import type { ResponseOf } from '../../common/ipc/contract';

type CardStatus = ResponseOf<'identity', 'status'>['card'];

/**
 * The one line shown while no card can be used: still looking, no middleware, or an empty reader.
 * Null once a card is present (the caller shows the card).
 */
export function CardStateLine({
  card,
  testId,
  insertText,
}: {
  card: CardStatus | null;
  testId: string;
  insertText: string;
}) {
  if (!card)
    return (
      <p className="card-state" data-testid={testId} data-state="unknown">
        Looking for a card…
      </p>
    );
  if (card.state === 'no-module')
    return (
      <p className="card-state card-state--bad" data-testid={testId} data-state="no-module">
        {card.message}
      </p>
    );
  if (card.state === 'no-card')
    return (
      <p className="card-state" data-testid={testId} data-state="no-card">
        {insertText}
      </p>
    );
  return null;
}
