import { Pkcs11Module, type SlotDescription, type TokenDescription } from '../../native/pkcs11';
import { provisionPivFixture, type PivFixture } from './fixtures/piv';
import { openscModulePath, startVirtualReader, type VirtualReader } from './fixtures/pcsc';

/**
 * What an OpenSC integration test needs: the fixture PKI and card holders, a virtual reader with
 * the card emulator, and OpenSC's real opensc-pkcs11.so loaded through the wrapper (after the
 * reader, whose environment it reads at C_Initialize).
 */
export interface OpenscCardRig {
  fixture: PivFixture;
  reader: VirtualReader;
  module: Pkcs11Module;
  /** The reader's slot (OpenSC keeps one per reader; its id can change when a card comes back). */
  slot(): SlotDescription;
  /** The token in the reader's slot; throws when there is none. */
  token(): SlotDescription & { token: TokenDescription };
  close(): Promise<void>;
}

/** `openscDebug` (by hand only): OpenSC's log in the reader's dir; at 3 and above it holds the PIN. */
export async function startOpenscCardRig(
  options: { openscDebug?: number; pcscdDebug?: boolean } = {},
): Promise<OpenscCardRig> {
  const [fixture, reader] = await Promise.all([provisionPivFixture(), startVirtualReader(options)]);
  let module: Pkcs11Module;
  try {
    module = Pkcs11Module.load(openscModulePath());
  } catch (error) {
    await reader.stop();
    fixture.cleanup();
    throw error;
  }
  const slot = () => {
    const found = module.slots().find((s) => s.description === reader.readerName);
    if (!found) throw new Error(`OpenSC shows no slot for ${reader.readerName}`);
    return found;
  };
  return {
    fixture,
    reader,
    module,
    slot,
    token() {
      const found = slot();
      if (!found.token) throw new Error(`no token in ${reader.readerName}`);
      return found as SlotDescription & { token: TokenDescription };
    },
    async close() {
      module.close();
      await reader.stop();
      fixture.cleanup();
    },
  };
}

/** Polls `condition` (synchronous, e.g. a PKCS#11 call) until it holds; returns the milliseconds it took. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}
