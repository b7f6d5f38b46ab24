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

const hostBundle = resolve('dist', 'node', 'browser-host.cjs'); // Playwright runs from the repo root

/** Starts the real browser host (built bundle) in a child process over a fresh data directory. */
export async function startHost(siteConfig?: object): Promise<RunningHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-'));
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
    async stop() {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
