import { spawnBrowserHost, writeDataDirSiteConfig, type RunningHost } from './host';

/** A card holder as tests/support/fixtures/piv gives them; the keys and certificates are not shown here. */
export interface OpenscCard {
  name: string;
  commonName: string;
  edipi: string;
  pin: string;
}

/** The emulated card's own view (tests/support/piv-card): its retry counter and security status. */
export interface OpenscCardState {
  inserted: boolean;
  powered: boolean;
  triesLeft: number;
  maxTries: number;
  verified: boolean;
  /** Every APDU the card answered: instruction, parameters, data length (never the data) and status word. */
  log: { ins: number; p1: number; p2: number; dataLength: number; sw: number; at: number }[];
}

/** The virtual reader (tests/support/fixtures/pcsc): pcscd with a vpcd reader and the PIV card emulator. */
export interface OpenscReader {
  readerName: string;
  env: { PCSCLITE_CSOCK_NAME: string; OPENSC_CONF: string };
  /**
   * Inserts a new card for `card` (one of OpenscWorkstation.cards: the emulator needs its keys); with
   * no card, the last card again with its PIN retry counter as it was. Resolves when pcscd powered it.
   */
  insertCard(card?: OpenscCard, options?: { pinTries?: number }): Promise<OpenscCardState>;
  /** Pulls the card; pcscd notices at its next poll. */
  removeCard(): Promise<OpenscCardState | null>;
  cardState(): Promise<OpenscCardState | null>;
  /** pcscd's and the emulator's output (never APDUs). */
  log(): string;
}

/**
 * What tests/support/opensc-workstation.ts builds: a data directory with an encrypted store that
 * trusts the test PKI and has the `enrolled` holder's card enrolled through OpenSC, and an empty
 * virtual reader whose environment is set in this process.
 */
export interface OpenscWorkstation {
  dataDir: string;
  /** opensc-pkcs11.so */
  modulePath: string;
  reader: OpenscReader;
  cards: { enrolled: OpenscCard; unenrolled: OpenscCard };
  /** The enrolled card's token serial as OpenSC reports it. */
  serialNumber: string;
  role: 'admin' | 'analyst' | 'viewer';
  recoverySecret: string;
  cleanup(): Promise<void>;
}

// Loaded at run time so that this project's type check (DOM lib) does not reach into the services;
// tsconfig.node.json checks that module.
const SETUP_MODULE: string = '../../support/opensc-workstation';

/** Builds the workstation; must run in the Playwright worker's main thread (test code does), once per worker. */
export async function createOpenscWorkstation(
  options: { role?: 'admin' | 'analyst' | 'viewer' } = {},
): Promise<OpenscWorkstation> {
  const setup = (await import(SETUP_MODULE)) as {
    createOpenscWorkstation(o: typeof options): Promise<OpenscWorkstation>;
  };
  return setup.createOpenscWorkstation(options);
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
