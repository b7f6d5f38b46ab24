import { ApduTransport } from './apdu';
import { PivApplet, type PivCardContents } from './piv-applet';

/** ATR: T=1, historical bytes 80 (compact-TLV) 5A "EnclavePIV" (issuer data); TCK last. */
function buildAtr(): Buffer {
  const historical = Buffer.concat([Buffer.from([0x80, 0x5a]), Buffer.from('EnclavePIV', 'ascii')]);
  const body = Buffer.concat([Buffer.from([0x80 | historical.length, 0x80, 0x01]), historical]);
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Buffer.concat([Buffer.from([0x3b]), body, Buffer.from([tck])]);
}

export const PIV_CARD_ATR = buildAtr();

/**
 * A contact PIV card: ATR, power states, the transport layer and the PIV applet. The applet's
 * retry counter survives removal; its security status does not.
 */
export class PivCard {
  readonly atr = PIV_CARD_ATR;
  readonly applet: PivApplet;
  readonly #transport: ApduTransport;

  constructor(contents: PivCardContents) {
    this.applet = new PivApplet(contents);
    this.#transport = new ApduTransport((command) => this.applet.process(command));
  }

  /** Power on, off and reset all clear the card's security status (a verified PIN): what a card does without power. */
  powerCycle(): void {
    this.#transport.reset();
    this.applet.reset();
  }

  transmit(apdu: Buffer): Buffer {
    return this.#transport.transmit(apdu);
  }
}
