// A page with two MarkingPickers, each over its own value, as a model editor will have one per
// input. Bundled by ./marking-pickers.ts for tests/e2e/marking-pickers.spec.ts; type-checked with
// the renderer (tsconfig.renderer.json). zod runs jitless, as in the app, before any schema is built.
import '../../../renderer/app/zod-config';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createPolicy, formatBanner, parseMarkingOrThrow, UNCLASSIFIED, type Marking } from '../../../common/markings';
import type { MarkingContext } from '../../../common/markings/choices';
import { MarkingPicker } from '../../../renderer/components/MarkingPicker';
import { PortionMark } from '../../../renderer/components/PortionMark';

/** The system high the spec expects (TOP SECRET with SCI, NOFORN). */
const SYSTEM_HIGH = 'TOP SECRET//HCS-P/SI-G/TK//NOFORN';
const policy = createPolicy();
const systemHigh = parseMarkingOrThrow(SYSTEM_HIGH, policy);
const context: MarkingContext = { policy, systemHigh, systemHighText: formatBanner(systemHigh) };

function Input({ name }: { name: string }) {
  const [value, setValue] = useState<Marking>(UNCLASSIFIED);
  return (
    <section className="panel panel--wide" aria-label={name} data-testid={`input-${name}`}>
      <div className="panel__heading">
        <h2>{name}</h2>
        <span className="muted">
          portion mark <PortionMark marking={value} />
        </span>
      </div>
      <MarkingPicker value={value} onChange={setValue} context={context} label={`Marking of ${name}`} />
    </section>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main className="home">
      <div className="panels">
        <Input name="Cost" />
        <Input name="Schedule" />
      </div>
    </main>
  </StrictMode>,
);
