// The one-way data-diode transport (docs/diode.md): no electron import, Node built-ins only.
export { DiodeReceiver } from './receiver';
export type { LostTransfer, ReceivedFile, ReceiverEvents, ReceiverOptions, ReceiverStats } from './receiver';
export { sendFile } from './sender';
export type { SendOptions, SendResult } from './sender';
export { acceptReceivedFile, REPORT_FILE, INCOMING } from './quarantine';
export { DiodeUsageError, parseBytes, parseInteger, parseRate, parseRedundancy, groupLayout } from './options';
