import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/services';

const dataDir = mkdtempSync(join(tmpdir(), 'enclave-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function windowTitles(display: string): string {
  try {
    return execFileSync('xwininfo', ['-display', display, '-root', '-tree'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return '';
  }
}

// `npm start` without the Electron binary: the launcher must start the browser host, a virtual
// display when there is none, and Chromium as an app window showing the app; and clean up on exit.
describe('npm start fallback (browser host in a Chromium app window)', () => {
  it('opens the app in a real Chromium window under Xvfb, then stops cleanly', async () => {
    const siteConfig = join(dataDir, 'site-config.json');
    writeFileSync(siteConfig, JSON.stringify({ siteName: 'Start Test Site', systemHigh: 'SECRET' }));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ENCLAVE_DATA_DIR: dataDir,
      ENCLAVE_SITE_CONFIG: siteConfig,
      // Deterministic: behave as on a machine where the Electron download failed.
      ELECTRON_OVERRIDE_DIST_PATH: join(dataDir, 'no-electron-here'),
    };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    delete env.ENCLAVE_HOST;

    const launcher = spawn(process.execPath, [join(repoRoot, 'dist', 'node', 'start.cjs')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    createInterface({ input: launcher.stdout! }).on('line', (line) => output.push(line));
    createInterface({ input: launcher.stderr! }).on('line', (line) => output.push(`stderr: ${line}`));
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));

    try {
      let display = '';
      for (let waited = 0; waited < 30_000 && !display; waited += 200) {
        display = /started Xvfb on (:\d+)/.exec(output.join('\n'))?.[1] ?? '';
        await sleep(200);
      }
      expect(output.join('\n')).toMatch(
        /Electron is not available: ELECTRON_OVERRIDE_DIST_PATH is set but .* does not exist/,
      );
      expect(display).toMatch(/^:\d+$/);

      let titles = '';
      for (let waited = 0; waited < 45_000 && !titles.includes('Start Test Site — Enclave'); waited += 500) {
        await sleep(500);
        titles = windowTitles(display);
      }
      // The title is set by the app once the bridge has returned the site's configuration.
      expect(titles).toContain('Start Test Site — Enclave');
      expect(output.join('\n')).toMatch(
        /Browser host on http:\/\/127\.0\.0\.1:\d+ \(loopback only, per-launch token\)/,
      );
      expect(output.join('\n')).toMatch(/Opening .*chromium as an app window/);

      launcher.kill('SIGTERM');
      const code = await exited;
      expect(`${output.join('\n')}\nexit code ${code}`).toMatch(/exit code 143$/);
      expect(existsSync(`/tmp/.X11-unix/X${display.slice(1)}`)).toBe(false);
      const profile = /temporary profile (\S+)\)/.exec(output.join('\n'))?.[1] ?? '';
      expect(profile).toMatch(/enclave-chromium-/);
      expect(existsSync(profile)).toBe(false);
    } finally {
      launcher.kill('SIGKILL');
    }
  }, 120_000);
});
