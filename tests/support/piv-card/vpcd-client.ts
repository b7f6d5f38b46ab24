import { connect, type Socket } from 'node:net';
import type { PivCard } from './piv-card';

/** vpcd control codes (vsmartcard vpcd.h): a one-byte message; only the ATR request is answered. */
const CTRL = { powerOff: 0, powerOn: 1, reset: 2, atr: 4 } as const;
const RETRY_MS = 20;

/**
 * The card's end of vpcd's socket. vpcd (in pcscd) listens; the card connects, and every message
 * is a 2-byte big-endian length and a payload: one byte is a control code, anything longer a
 * command APDU answered with a response APDU. Inserting the card is connecting. Removing it is
 * what a reader's card-presence switch does: pcscd's next presence poll (an ATR request, about
 * every 0.4 s) gets an empty answer, vpcd reports the slot empty and hangs up. Just hanging up
 * would make the next APDU fail while pcscd still shows a card, a path on which OpenSC 0.23 leaves
 * a mutex locked and hangs the caller's next call for good.
 */
export class VpcdClient {
  #socket: Socket | null = null;
  #card: PivCard | null = null;
  #powered = false;
  #poweredWaiters: (() => void)[] = [];
  #retry: NodeJS.Timeout | null = null;
  /** Set while being pulled: the next presence poll answers "no card". */
  #pulled = false;

  constructor(
    private readonly port: number,
    private readonly host = '127.0.0.1',
  ) {}

  get card(): PivCard | null {
    return this.#card;
  }

  get powered(): boolean {
    return this.#powered;
  }

  /** Connects with this card; resolves once pcscd has powered it (it has seen the insertion). */
  async insert(card: PivCard): Promise<void> {
    await this.remove();
    this.#card = card;
    const powered = new Promise<void>((resolve) => this.#poweredWaiters.push(resolve));
    this.#dial(card);
    await powered;
  }

  /** Pulls the card; resolves when vpcd has reported it gone (and closed the connection). */
  async remove(): Promise<void> {
    const socket = this.#socket;
    if (socket && !socket.destroyed && socket.readyState === 'open' && this.#powered) {
      const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      this.#pulled = true;
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    }
    this.#pulled = false;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#socket?.destroy();
    this.#socket = null;
    this.#card?.powerCycle();
    this.#card = null;
    this.#powered = false;
  }

  /** pcscd may still be starting: dial until vpcd's listener takes the connection. */
  #dial(card: PivCard): void {
    const socket = connect(this.port, this.host);
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const reply = this.#handle(card, buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        if (reply) socket.write(Buffer.concat([Buffer.from([reply.length >> 8, reply.length & 0xff]), reply]));
        // vpcd reads an empty answer's (empty) body until the connection ends: end it.
        if (reply?.length === 0) socket.end();
      }
    });
    // Refused (pcscd still starting) or dropped by vpcd while the card is meant to be in: the
    // card lost power; dial again.
    socket.on('close', () => {
      if (this.#socket !== socket || this.#card !== card || this.#pulled) return;
      card.powerCycle();
      this.#retry = setTimeout(() => this.#dial(card), RETRY_MS);
    });
  }

  #handle(card: PivCard, message: Buffer): Buffer | null {
    if (message.length !== 1) return card.transmit(message);
    switch (message[0]) {
      case CTRL.atr:
        // An empty ATR is vpcd's "no card": it reports the slot empty and closes its end.
        return this.#pulled ? Buffer.alloc(0) : card.atr;
      case CTRL.powerOn:
        card.powerCycle();
        this.#powered = true;
        for (const resolve of this.#poweredWaiters.splice(0)) resolve();
        return null;
      case CTRL.powerOff:
      case CTRL.reset:
        card.powerCycle();
        return null;
      default:
        return null;
    }
  }
}
