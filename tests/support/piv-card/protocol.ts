import type { ApduLogEntry, PivCardContents } from './piv-applet';

/**
 * Messages between a test and the card emulator process (main.ts) over Node's IPC channel with
 * advanced serialization (Buffers arrive as Uint8Array). The emulator runs in its own process
 * because pkcs11js calls block the test's thread while OpenSC waits for the card's answer.
 */
export type EmulatorRequest =
  | { id: number; type: 'insert'; contents: PivCardContents | null }
  | { id: number; type: 'remove' }
  | { id: number; type: 'state' };

export interface CardState {
  inserted: boolean;
  /** Whether pcscd has powered the card since it was inserted. */
  powered: boolean;
  triesLeft: number;
  maxTries: number;
  verified: boolean;
  log: ApduLogEntry[];
}

export type EmulatorMessage =
  | { type: 'ready' }
  | { id: number; type: 'done'; state: CardState | null }
  | { id: number; type: 'failed'; message: string };
