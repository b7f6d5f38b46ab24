import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { writeDataDirSiteConfig, type RunningHost } from './host';

/**
 * What tests/support/card-workstation.ts builds: SoftHSM2 PIV tokens, a reader holding one card,
 * and a data directory whose encrypted store trusts the test PKI and has that card enrolled (or,
 * with `store: false`, an empty data directory before first-run setup).
 */
export interface CardWorkstation {
  dataDir: string;
  /** The test PKI as DER: its root and intermediate CA certificates and their current CRLs. */
  fixture: {
    dir: string;
    modulePath: string;
    rootCa: Buffer;
    intermediateCa: Buffer;
    crl: Buffer;
    rootCrl: Buffer;
    untrustedRootCa: Buffer;
  };
  card: { tokenLabel: string; serialNumber: string; pin: string; commonName: string };
  readerConf: string;
  role: 'admin' | 'analyst' | 'viewer';
  /** The store's recovery secret; null before setup. */
  recoverySecret: string | null;
  /** Cards also in the reader, not enrolled (`alsoInReader`). */
  others: { variant: string; tokenLabel: string; serialNumber: string; pin: string }[];
  cleanup(): void;
}

export interface CardWorkstationOptions {
  variant?: 'valid-rsa' | 'valid-ecc';
  role?: 'admin' | 'analyst' | 'viewer';
  /** false: no store at all (before first-run setup). Default true. */
  store?: boolean;
  /** false: setup not recorded as finished. Default true. */
  setupComplete?: boolean;
  /** More cards in the reader, not enrolled. */
  alsoInReader?: ('valid-ecc' | 'expired' | 'revoked' | 'untrusted' | 'card-auth-only' | 'no-key-management')[];
}

// Loaded at run time so that this project's type check (DOM lib) does not reach into the services;
// tsconfig.node.json checks that module.
const SETUP_MODULE: string = '../../support/card-workstation';

export async function createCardWorkstation(options: CardWorkstationOptions = {}): Promise<CardWorkstation> {
  const setup = (await import(SETUP_MODULE)) as { createCardWorkstation(o: typeof options): Promise<CardWorkstation> };
  return setup.createCardWorkstation(options);
}

const hostBundle = resolve('dist', 'node', 'browser-host.cjs'); // Playwright runs from the repo root
const requireHere = createRequire(import.meta.url);

/**
 * Preloaded into the browser host process (NODE_OPTIONS=--require). On SIGUSR2 it "pulls the card"
 * as tests/integration/login-session.test.ts does: C_CloseAllSessions on the card's slot from a second
 * pkcs11js handle on the same SoftHSM library in the same process, so the service worker's poll gets
 * CKR_SESSION_HANDLE_INVALID. (A second process cannot do this: SoftHSM sessions are per process, and
 * taking the token's files away breaks the slot for good.) It answers with one JSON line on stdout.
 */
function cardPullHook(pkcs11jsPath: string): string {
  return `'use strict';
const { isMainThread } = require('node:worker_threads');
if (isMainThread) {
  let p = null;
  process.on('SIGUSR2', () => {
    let answer;
    try {
      const pkcs11js = require(${JSON.stringify(pkcs11jsPath)});
      if (!p) {
        p = new pkcs11js.PKCS11();
        p.load(process.env.ENCLAVE_E2E_CARD_MODULE);
        try { p.C_Initialize(); } catch (e) { if (!/ALREADY_INITIALIZED/.test(e.message)) throw e; }
      }
      const serial = process.env.ENCLAVE_E2E_CARD_SERIAL;
      const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).serialNumber.trim() === serial);
      if (!slot) throw new Error('no token with serial ' + serial);
      p.C_CloseAllSessions(slot);
      answer = { pulled: Date.now() };
    } catch (e) {
      answer = { pullFailed: String(e && e.message) };
    }
    process.stdout.write(JSON.stringify(answer) + '\\n');
  });
}
`;
}

export interface CardHost extends RunningHost {
  /** Pulls the card (see cardPullHook); resolves with Date.now() in the host when its sessions were closed. */
  pullCard(): Promise<number>;
}

/**
 * The real browser host over the workstation's data directory, with a site config naming SoftHSM2's
 * module (data-dir/site-config.json, which the host reads when ENCLAVE_SITE_CONFIG is unset; merged
 * into the one already there, if any) and SOFTHSM2_CONF in its environment (SoftHSM reads it with getenv at C_Initialize; the service worker
 * thread shares the process's C environment).
 */
export async function startCardHost(
  workstation: CardWorkstation,
  siteConfig: Record<string, unknown> = {},
): Promise<CardHost> {
  // A host started again over the same directory keeps what first-run setup wrote there (site name, system high).
  writeDataDirSiteConfig(
    workstation.dataDir,
    { siteName: 'Card Login Test Site' },
    { pkcs11Modules: [workstation.fixture.modulePath], ...siteConfig },
  );
  const hook = join(workstation.fixture.dir, 'card-pull-hook.cjs');
  writeFileSync(hook, cardPullHook(requireHere.resolve('pkcs11js')));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SOFTHSM2_CONF: workstation.readerConf,
    ENCLAVE_E2E_CARD_MODULE: workstation.fixture.modulePath,
    ENCLAVE_E2E_CARD_SERIAL: workstation.card.serialNumber,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${hook}`.trim(),
  };
  delete env.ENCLAVE_SITE_CONFIG;
  const child: ChildProcess = spawn(process.execPath, [hostBundle, '--data-dir', workstation.dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  const queued: string[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queued.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolveLine, reject) => {
      const line = queued.shift();
      if (line !== undefined) return resolveLine(line);
      waiting.push(resolveLine);
      child.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
    });
  const { appUrl, origin } = JSON.parse(await nextLine()) as { appUrl: string; origin: string };
  return {
    appUrl,
    origin,
    dataDir: workstation.dataDir,
    async pullCard() {
      const answer = nextLine();
      child.kill('SIGUSR2');
      const result = JSON.parse(await answer) as { pulled?: number; pullFailed?: string };
      if (result.pulled === undefined) throw new Error(`pulling the card failed: ${result.pullFailed}`);
      return result.pulled;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
