import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginService } from '../../electron/services/identity/login-service';
import { openscModulePath, startVirtualReader, type VirtualReader } from './fixtures/pcsc';
import { provisionPivFixture, type PivCardIdentity, type PivFixture } from './fixtures/piv';
import { createEnrolledStore } from './e2e-store';

// Used by the e2e specs (through tests/e2e/support/opensc-workstation.ts). It lives here,
// type-checked with the Node side (tsconfig.node.json), because it reaches into the services, whose
// WebCrypto types do not check under the e2e project's DOM lib.

/**
 * A workstation whose card reader is real PC/SC: pcscd with a vpcd reader and the PIV card
 * emulator (tests/support/fixtures/pcsc), read through OpenSC's opensc-pkcs11.so. The data directory holds
 * an encrypted store with the test PKI's trust anchors and CRLs and the `valid-rsa` holder's card
 * enrolled (by an administrator with the recovery secret: certificates read from the card through
 * OpenSC, no PIN), with first-run setup recorded as finished. The reader is left empty.
 *
 * The reader's environment (PCSCLITE_CSOCK_NAME, OPENSC_CONF) is set in this process, so call this
 * from a process main thread (a Playwright worker's test code is), once per process.
 */
export interface OpenscWorkstation {
  dataDir: string;
  /** opensc-pkcs11.so, for the site configuration's pkcs11Modules. */
  modulePath: string;
  fixture: PivFixture;
  reader: VirtualReader;
  /** `enrolled`: the valid-rsa holder, enrolled; `unenrolled`: a valid holder never enrolled. Pass these to reader.insertCard. */
  cards: { enrolled: PivCardIdentity; unenrolled: PivCardIdentity };
  /** The enrolled card's token serial as OpenSC reports it (from the card's CHUID). */
  serialNumber: string;
  role: 'admin' | 'analyst' | 'viewer';
  /** The store's recovery secret (its scrypt is FAST_SCRYPT). */
  recoverySecret: string;
  /** Stops the reader (pcscd and the emulator) and removes the data directory and the fixture. */
  cleanup(): Promise<void>;
}

export interface OpenscWorkstationOptions {
  role?: 'admin' | 'analyst' | 'viewer';
}

/** Polls (the module is synchronous) until OpenSC shows a token in the reader. */
async function presentSerial(service: LoginService, timeoutMs = 5_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = service.readers.status();
    if (status.state === 'card-present' && status.cards.length === 1) return status.cards[0]!.serialNumber;
    if (status.state === 'no-module' || performance.now() > deadline)
      throw new Error(`OpenSC shows no card in the reader: ${JSON.stringify(status)}`);
    await sleep(50);
  }
}

export async function createOpenscWorkstation(options: OpenscWorkstationOptions = {}): Promise<OpenscWorkstation> {
  const role = options.role ?? 'analyst';
  const modulePath = openscModulePath();
  const [fixture, reader] = await Promise.all([provisionPivFixture(), startVirtualReader()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-opensc-'));
  const cleanup = async () => {
    try {
      await reader.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      fixture.cleanup();
    }
  };
  try {
    const cards = { enrolled: fixture.cards['valid-rsa'], unenrolled: fixture.cards.unenrolled };
    // Enrolment through OpenSC, in this process (it loads opensc-pkcs11.so after the reader set its
    // environment), then the module is finalized and the card taken out again.
    await reader.insertCard(cards.enrolled);
    const { recoverySecret, serialNumber } = await createEnrolledStore({
      dataDir,
      fixture,
      modulePath,
      role,
      serialOf: (service) => presentSerial(service),
    });
    await reader.removeCard();
    return { dataDir, modulePath, fixture, reader, cards, serialNumber, role, recoverySecret, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
