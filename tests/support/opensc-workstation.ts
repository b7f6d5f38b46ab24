import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openscModulePath, startVirtualReader, type VirtualReader } from './fixtures/pcsc';
import { provisionPivFixture, type PivCardIdentity, type PivFixture } from './fixtures/piv';
import { spawnBrowserHost, writeDataDirSiteConfig, type RunningHost } from './host-process';
import { loadWorkstationStoreBuilders } from './workstation-store-loader';

/**
 * A workstation whose card reader is real PC/SC: pcscd with a vpcd reader and the PIV card
 * emulator (./fixtures/pcsc), read through OpenSC's opensc-pkcs11.so. The data directory holds
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
    const { recoverySecret, serialNumber } = await (
      await loadWorkstationStoreBuilders()
    ).createEnrolledStore({ dataDir, fixture, modulePath, role });
    await reader.removeCard();
    return { dataDir, modulePath, fixture, reader, cards, serialNumber, role, recoverySecret, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * The real browser host over the workstation's data directory, with a site config naming OpenSC's
 * module (data-dir/site-config.json, read when ENCLAVE_SITE_CONFIG is unset; merged into one
 * already there) and the reader's PCSCLITE_CSOCK_NAME and OPENSC_CONF in its environment
 * (libpcsclite and OpenSC read them with getenv; the service worker thread shares the process's C
 * environment). Unlike startCardHost (./card-workstation.ts) there is no pull hook: the card
 * really leaves the reader (workstation.reader.removeCard()).
 */
export async function startOpenscHost(
  workstation: OpenscWorkstation,
  siteConfig: Record<string, unknown> = {},
): Promise<RunningHost> {
  writeDataDirSiteConfig(
    workstation.dataDir,
    { siteName: 'OpenSC Login Test Site' },
    { pkcs11Modules: [workstation.modulePath], ...siteConfig },
  );
  const env: NodeJS.ProcessEnv = { ...process.env, ...workstation.reader.env };
  delete env.ENCLAVE_SITE_CONFIG;
  delete env.SOFTHSM2_CONF; // the fixture's SoftHSM tokens are not this workstation's reader
  return spawnBrowserHost(workstation.dataDir, env);
}
