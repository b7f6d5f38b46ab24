/** A PIV card emulator for OpenSC behind pcscd + vpcd: see tests/support/fixtures/pcsc and docs/pkcs11.md. */
export { PivCard, PIV_CARD_ATR } from './piv-card';
export { PivApplet, PIV_KEY_REF, type ApduLogEntry, type PivCardContents, type PivSlotName } from './piv-applet';
export { fascn, PIV_AID } from './piv-objects';
export { VpcdClient } from './vpcd-client';
export type { CardState, EmulatorMessage, EmulatorRequest } from './protocol';
