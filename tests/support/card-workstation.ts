import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { provisionPivFixture, type PivFixture, type PivUser, type PivVariant } from './fixtures/piv';
import { spawnBrowserHost, writeDataDirSiteConfig, type RunningHost } from './host-process';
import { loadWorkstationStoreBuilders } from './workstation-store-loader';

/**
 * A workstation set up for card login, for end-to-end tests: SoftHSM2 PIV tokens (./fixtures/piv),
 * a reader that holds one of them (its own SoftHSM token directory with a copy of that token only),
 * and a data directory with an encrypted store holding the test PKI's trust anchors and CRLs and
 * that card enrolled, with first-run setup recorded as finished, as an administrator would leave it
 * (docs/login.md). With `store: false` the data directory stays empty: a workstation before
 * first-run setup, with the card in the reader.
 */
export interface CardWorkstation {
  dataDir: string;
  fixture: PivFixture;
  /** The card in the reader. */
  card: PivUser;
  /** softhsm2.conf of the reader holding only that card. */
  readerConf: string;
  role: 'admin' | 'analyst' | 'viewer';
  /** The store's recovery secret (its scrypt is FAST_SCRYPT); null with `store: false`. */
  recoverySecret: string | null;
  /** Cards also in the reader but not enrolled (`alsoInReader`), in that order. */
  others: PivUser[];
  cleanup(): void;
}

export interface CardWorkstationOptions {
  variant?: 'valid-rsa' | 'valid-ecc';
  role?: 'admin' | 'analyst' | 'viewer';
  /** false: no store at all (before first-run setup). Default true. */
  store?: boolean;
  /** false: leave setup.completedAt unset, as if the app closed before setup's Finish. Default true. */
  setupComplete?: boolean;
  /** More cards in the same reader, not enrolled: the refusal variants (expired, revoked, …). */
  alsoInReader?: PivVariant[];
  /**
   * A fixture shared with other workstations (one PKI, so each trusts the others' signers): this
   * workstation gets its own reader and data directory, and its cleanup leaves the fixture alone.
   */
  fixture?: PivFixture;
}

/** SoftHSM keeps each token in a folder named by UUID; the token's label is in its token.object. */
export function tokenFolder(tokensDir: string, label: string): string {
  const found = readdirSync(tokensDir).filter((name) =>
    readFileSync(join(tokensDir, name, 'token.object')).includes(Buffer.from(label)),
  );
  if (found.length !== 1) throw new Error(`expected one SoftHSM token labelled ${label}, found ${found.length}`);
  return join(tokensDir, found[0]!);
}

export async function createCardWorkstation(options: CardWorkstationOptions = {}): Promise<CardWorkstation> {
  const variant = options.variant ?? 'valid-rsa';
  const role = options.role ?? 'analyst';
  const shared = options.fixture !== undefined;
  const fixture = options.fixture ?? (await provisionPivFixture());
  const dropFixture = () => {
    if (!shared) fixture.cleanup();
  };
  const card = fixture.users[variant];
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-card-'));
  try {
    // The reader: one token only, so the app sees one card, as with one CAC in one reader. With a
    // shared fixture each workstation has a reader of its own.
    const reader = shared ? mkdtempSync(join(fixture.dir, 'reader-')) : join(fixture.dir, 'reader');
    mkdirSync(join(reader, 'tokens'), { recursive: true, mode: 0o700 });
    const others = (options.alsoInReader ?? []).map((v) => fixture.users[v]);
    for (const inserted of [card, ...others]) {
      const token = tokenFolder(join(fixture.dir, 'tokens'), inserted.tokenLabel);
      cpSync(token, join(reader, 'tokens', token.split('/').pop()!), { recursive: true });
    }
    const readerConf = join(reader, 'softhsm2.conf');
    writeFileSync(
      readerConf,
      `directories.tokendir = ${join(reader, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
      { mode: 0o600 },
    );

    const cleanup = () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (shared) rmSync(reader, { recursive: true, force: true });
      dropFixture();
    };
    if (options.store === false)
      return { dataDir, fixture, card, readerConf, role, recoverySecret: null, others, cleanup };

    // The store, its trust material (an admin import) and the card enrolled by an administrator signed in with the recovery secret.
    const { recoverySecret } = await (
      await loadWorkstationStoreBuilders()
    ).createEnrolledStore({
      dataDir,
      fixture,
      modulePath: fixture.modulePath,
      role,
      ...(options.setupComplete === undefined ? {} : { setupComplete: options.setupComplete }),
      serialNumber: card.serialNumber,
    });
    return { dataDir, fixture, card, readerConf, role, recoverySecret, others, cleanup };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    dropFixture();
    throw error;
  }
}

const requireHere = createRequire(import.meta.url);

/**
 * Preloaded into the browser host process (NODE_OPTIONS=--require). On SIGUSR2 it "pulls the card"
 * as tests/integration/login-session.test.ts does: C_CloseAllSessions on the card's slot from a second
 * pkcs11js handle on the same SoftHSM library in the same process, so the service worker's poll gets
 * CKR_SESSION_HANDLE_INVALID. (A second process cannot do this: SoftHSM's PKCS#11 sessions are per
 * process, and taking the token's files away breaks the slot for good.) It answers with one JSON line
 * on stdout.
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
  /** Pulls the card (see cardPullHook); resolves with Date.now() in the host when its PKCS#11 sessions were closed. */
  pullCard(): Promise<number>;
}

/**
 * The real browser host over the workstation's data directory, with a site config naming SoftHSM2's
 * module (data-dir/site-config.json, which the host reads when ENCLAVE_SITE_CONFIG is unset; merged
 * into the one already there, if any) and SOFTHSM2_CONF in its environment (SoftHSM reads it with
 * getenv at C_Initialize; the service worker thread shares the process's C environment).
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
  const hook = join(dirname(workstation.readerConf), 'card-pull-hook.cjs');
  writeFileSync(hook, cardPullHook(requireHere.resolve('pkcs11js')));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SOFTHSM2_CONF: workstation.readerConf,
    ENCLAVE_E2E_CARD_MODULE: workstation.fixture.modulePath,
    ENCLAVE_E2E_CARD_SERIAL: workstation.card.serialNumber,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${hook}`.trim(),
  };
  delete env.ENCLAVE_SITE_CONFIG;
  const host = await spawnBrowserHost(workstation.dataDir, env);
  return {
    ...host,
    async pullCard() {
      const answer = host.nextLine();
      host.signal('SIGUSR2');
      const result = JSON.parse(await answer) as { pulled?: number; pullFailed?: string };
      if (result.pulled === undefined) throw new Error(`pulling the card failed: ${result.pullFailed}`);
      return result.pulled;
    },
  };
}
