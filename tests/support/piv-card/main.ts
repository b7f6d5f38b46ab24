import { PivCard } from './piv-card';
import type { PivCardContents } from './piv-applet';
import type { CardState, EmulatorMessage, EmulatorRequest } from './protocol';
import { VpcdClient } from './vpcd-client';

/**
 * The card emulator as a process: `node piv-card.mjs <vpcd port>`, started next to pcscd by
 * tests/support/fixtures/pcsc and driven over the IPC channel (protocol.ts). It never logs APDUs.
 */
const port = Number(process.argv[2]);
const send = (message: EmulatorMessage) => process.send?.(message);
if (!process.send || !Number.isInteger(port)) {
  console.error('piv-card: start me with an IPC channel and the vpcd port');
  process.exit(2);
}

const client = new VpcdClient(port);
/** The last card inserted: `insert` without contents puts it back with its retry counter. */
let lastCard: PivCard | null = null;

/** IPC turns Buffers into Uint8Arrays. */
function revive(contents: PivCardContents): PivCardContents {
  const b = (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const slots: PivCardContents['slots'] = {};
  for (const [name, slot] of Object.entries(contents.slots) as [
    keyof PivCardContents['slots'],
    { privateKey: Uint8Array; certificate: Uint8Array | null },
  ][]) {
    if (slot)
      slots[name] = { privateKey: b(slot.privateKey), certificate: slot.certificate ? b(slot.certificate) : null };
  }
  return { ...contents, guid: b(contents.guid), fascn: b(contents.fascn), slots };
}

function state(): CardState | null {
  if (!lastCard) return null;
  const { applet } = lastCard;
  return {
    inserted: client.card !== null,
    powered: client.powered,
    triesLeft: applet.triesLeft,
    maxTries: applet.maxTries,
    verified: applet.verified,
    log: applet.log,
  };
}

process.on('message', (request: EmulatorRequest) => {
  void (async () => {
    try {
      if (request.type === 'insert') {
        const card = request.contents ? new PivCard(revive(request.contents)) : lastCard;
        if (!card) throw new Error('no card to insert again');
        lastCard = card;
        await client.insert(card);
      } else if (request.type === 'remove') {
        await client.remove();
      }
      send({ id: request.id, type: 'done', state: state() });
    } catch (error) {
      send({ id: request.id, type: 'failed', message: String((error as Error).message ?? error) });
    }
  })();
});
// The test went away: so does the card.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
