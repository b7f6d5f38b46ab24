import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningHost {
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

// Loaded at run time so that this project's type check (DOM lib) does not reach into the services;
// tsconfig.node.json checks that module.
const STORE_MODULE: string = '../../support/e2e-store';

/**
 * Starts the real browser host (built bundle) in a child process over a fresh data directory that
 * has been set up (an encrypted store, setup finished, no card: sign in with `recoverySecret`).
 * Nothing of the app shows before sign-in, so specs about something else sign in first
 * (./sign-in.ts). `{ setUp: false }` leaves the directory empty, for first-run setup.
 */
export async function startHost(siteConfig?: object): Promise<SetUpHost>;
export async function startHost(siteConfig: object | undefined, options: { setUp: false }): Promise<RunningHost>;
export async function startHost(siteConfig?: object, options: { setUp?: boolean } = {}): Promise<RunningHost | SetUpHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-'));
  let recoverySecret: string | null = null;
  if (options.setUp !== false) {
    const setup = (await import(STORE_MODULE)) as { createSetUpStore(dataDir: string): { recoverySecret: string } };
    recoverySecret = setup.createSetUpStore(dataDir).recoverySecret;
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ENCLAVE_SITE_CONFIG;
  if (siteConfig) {
    env.ENCLAVE_SITE_CONFIG = join(dataDir, 'site-config.json');
    writeFileSync(env.ENCLAVE_SITE_CONFIG, JSON.stringify(siteConfig));
  }
  const child: ChildProcess = spawn(process.execPath, [hostBundle, '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = await new Promise<string>((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
  });
  const { appUrl, origin } = JSON.parse(firstLine) as { appUrl: string; origin: string };
  return {
    appUrl,
    origin,
    dataDir,
    ...(recoverySecret === null ? {} : { recoverySecret }),
    async stop() {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
