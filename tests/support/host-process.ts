import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadWorkstationStoreBuilders } from './workstation-store-loader';

// The real browser host (hosts/browser, built into dist/) in a child process, as the e2e specs
// drive it; ./card-workstation.ts and ./opensc-workstation.ts start it with a card reader.

export interface RunningHost {
  /** The host's one-time bootstrap URL: the first page to open it is the host's one client. */
  appUrl: string;
  origin: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** A host over a workstation that has been set up: its recovery secret signs in as administrator. */
export interface SetUpHost extends RunningHost {
  recoverySecret: string;
}

const hostBundle = resolve('dist', 'node', 'browser-host.cjs'); // Playwright runs from the repo root

/**
 * Starts the real browser host (built bundle) in a child process over a fresh data directory that
 * has been set up (an encrypted store, setup finished, no card: sign in with `recoverySecret`).
 * Nothing of the app shows before sign-in, so specs about something else sign in first
 * (tests/e2e/support/sign-in.ts). `{ setUp: false }` leaves the directory empty, for first-run setup.
 */
export async function startHost(siteConfig?: object): Promise<SetUpHost>;
export async function startHost(siteConfig: object | undefined, options: { setUp: false }): Promise<RunningHost>;
export async function startHost(
  siteConfig?: object,
  options: { setUp?: boolean } = {},
): Promise<RunningHost | SetUpHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-'));
  let recoverySecret: string | null = null;
  if (options.setUp !== false) {
    recoverySecret = (await loadWorkstationStoreBuilders()).createSetUpStore(dataDir).recoverySecret;
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ENCLAVE_SITE_CONFIG;
  if (siteConfig) {
    env.ENCLAVE_SITE_CONFIG = join(dataDir, 'site-config.json');
    writeFileSync(env.ENCLAVE_SITE_CONFIG, JSON.stringify(siteConfig));
  }
  const host = await spawnBrowserHost(dataDir, env);
  return {
    ...host,
    ...(recoverySecret === null ? {} : { recoverySecret }),
    async stop() {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser host process that spawnBrowserHost started. */
export interface HostProcess extends RunningHost {
  /** The next line the host writes on stdout (after the first, which gave appUrl); rejects if it exits. */
  nextLine(): Promise<string>;
  /** Sends the host process a signal. */
  signal(name: NodeJS.Signals): void;
}

/**
 * The built browser host as a child process over `dataDir`, with `env`: resolves with the URL it
 * prints first. `stop()` ends it (and leaves the directory to the caller).
 */
export async function spawnBrowserHost(dataDir: string, env: NodeJS.ProcessEnv): Promise<HostProcess> {
  const child: ChildProcess = spawn(process.execPath, [hostBundle, '--data-dir', dataDir], {
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
  const { bootstrapUrl, origin } = JSON.parse(await nextLine()) as { bootstrapUrl: string; origin: string };
  return {
    appUrl: bootstrapUrl,
    origin,
    dataDir,
    nextLine,
    signal: (name) => child.kill(name),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Writes data-dir/site-config.json (which the host reads when ENCLAVE_SITE_CONFIG is unset): what
 * is already there (a host started again keeps what setup wrote) over `defaults`, under `overrides`.
 */
export function writeDataDirSiteConfig(
  dataDir: string,
  defaults: Record<string, unknown>,
  overrides: Record<string, unknown>,
): void {
  const path = join(dataDir, 'site-config.json');
  const written = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(path, JSON.stringify({ ...defaults, ...written, ...overrides }));
}
