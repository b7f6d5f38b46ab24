import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../common/ipc/contract';
import { getBridge } from '../ipc/bridge';

type DemoCard = ResponseOf<'setup', 'demoCards'>['cards'][number];

const ROLE_NAMES: Record<DemoCard['role'], string> = { admin: 'Administrator', analyst: 'Analyst' };

/** The demo cards and their PINs: demo PINs are shown on screen by design (docs/demo.md). */
export function DemoCardList({ cards }: { cards: readonly DemoCard[] }) {
  return (
    <table className="demo-cards" data-testid="demo-cards">
      <thead>
        <tr>
          <th scope="col">Card</th>
          <th scope="col">Role</th>
          <th scope="col">Holder</th>
          <th scope="col">PIN</th>
        </tr>
      </thead>
      <tbody>
        {cards.map((card) => (
          <tr key={card.label} data-testid={`demo-card-${card.role}`}>
            <td>{card.label}</td>
            <td>{ROLE_NAMES[card.role]}</td>
            <td className="demo-cards__mono">{card.holder}</td>
            <td className="demo-cards__mono" data-testid={`demo-pin-${card.role}`}>
              {card.pin}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The strip of the demonstration workstation, under the top banner on every screen (the banners
 * stay as they are). While nobody is signed in it also shows the demo cards and their PINs, which
 * the person needs at the sign-in screen; after that, one click away.
 */
export function DemoStrip({ demo, consented, signedIn }: { demo: boolean; consented: boolean; signedIn: boolean }) {
  const [cards, setCards] = useState<readonly DemoCard[] | null>(null);
  const [open, setOpen] = useState<boolean | null>(null);
  useEffect(() => {
    if (!demo || !consented) return;
    let live = true;
    void getBridge()
      .setup.demoCards()
      .then((result) => {
        if (live && result.ok) setCards(result.value.cards);
      });
    return () => {
      live = false;
    };
  }, [demo, consented]);
  if (!demo) return null;
  const shown = open ?? !signedIn;
  return (
    <div className="demo-strip" role="note" aria-label="Demonstration workstation" data-testid="demo-strip">
      <div className="demo-strip__line">
        <strong>DEMONSTRATION — NOT FOR OPERATIONAL USE</strong>
        <span className="demo-strip__detail">Software cards and a demo CA; nothing here is real or protected.</span>
        {cards && (
          <button
            type="button"
            className="link-button demo-strip__toggle"
            aria-expanded={shown}
            onClick={() => setOpen(!shown)}
            data-testid="demo-strip-toggle"
          >
            {shown ? 'Hide the demo cards and PINs' : 'Demo cards and PINs'}
          </button>
        )}
      </div>
      {cards && shown && <DemoCardList cards={cards} />}
    </div>
  );
}
