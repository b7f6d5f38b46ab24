import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/services';

const dataDir = mkdtempSync(join(tmpdir(), 'enclave-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isRoot = process.getuid?.() === 0;

function windowTitles(display: string, authFile: string): string {
  try {
    return execFileSync('xwininfo', ['-display', display, '-root', '-tree'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, XAUTHORITY: authFile },
    });
  } catch {
    return '';
  }
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

interface Probe {
  uid: number;
  found: string[];
  harvested: number;
  filesRead: number;
  attempts: Record<string, number | string>;
  xdpyinfo: { status: number | null; stderr: string };
  xwininfo: { status: number | null; sawTheApp: boolean };
}

/** Runs tests/support/other-user-probe.mjs as `user`, with the secrets it must not find on stdin. */
function probeAs(user: string, args: string[], input: object): Probe {
  const script = readFileSync(join(repoRoot, 'tests', 'support', 'other-user-probe.mjs'), 'utf8');
  const result = spawnSync(
    'runuser',
    ['-u', user, '--', '/usr/bin/node', '--input-type=module', '-e', script, '--', ...args],
    {
      input: JSON.stringify(input),
      encoding: 'utf8',
      cwd: '/',
      timeout: 60_000,
    },
  );
  if (result.status !== 0) throw new Error(`probe failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Probe;
}

// `npm start` without the Electron binary: the launcher must start the browser host, a virtual
// display when there is none, and Chromium as an app window showing the app; and clean up on exit.
// A second local account, knowing the port and the display, must get none of it.
describe('npm start fallback (browser host in a Chromium app window)', () => {
  const otherUser = `enclave-probe-${randomBytes(3).toString('hex')}`;
  afterAll(() => {
    if (isRoot) spawnSync('userdel', [otherUser]);
  });

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
    delete env.XAUTHORITY;

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
      const authFile = /X authority (\S+)\)/.exec(output.join('\n'))?.[1] ?? '';
      const runtime = /runtime folder (\S+)\)/.exec(output.join('\n'))?.[1] ?? '';

      let titles = '';
      for (let waited = 0; waited < 45_000 && !titles.includes('Start Test Site — Enclave'); waited += 500) {
        await sleep(500);
        titles = windowTitles(display, authFile);
      }
      // The title is set by the app once the bridge has returned the site's configuration.
      expect(titles).toContain('Start Test Site — Enclave');
      const port = /Browser host on http:\/\/127\.0\.0\.1:(\d+) \(loopback only/.exec(output.join('\n'))?.[1] ?? '';
      expect(port).toMatch(/^\d+$/);
      expect(output.join('\n')).toMatch(/Opening .*chromium as an app window/);

      if (isRoot) {
        // The secrets a second account must not find: the launch page's bootstrap and the X cookie.
        const launchPage = join(runtime, 'launch.html');
        const bootstrap = existsSync(launchPage)
          ? /\/bootstrap\/([A-Za-z0-9_-]+)/.exec(readFileSync(launchPage, 'utf8'))?.[1]
          : undefined;
        const xCookie = existsSync(authFile) ? readFileSync(authFile).subarray(-16) : Buffer.alloc(0);
        execFileSync('useradd', ['-M', '-N', '-s', '/usr/sbin/nologin', otherUser]);
        const probe = probeAs(otherUser, [port, display, '/tmp', '/dev/shm', '/run', '/var/tmp', dataDir], {
          secrets: [
            { name: 'the bootstrap secret', base64: Buffer.from(bootstrap ?? '').toString('base64') },
            { name: 'the X cookie', base64: xCookie.toString('base64') },
            { name: 'the X cookie in hex', base64: Buffer.from(xCookie.toString('hex')).toString('base64') },
          ].filter((secret) => secret.base64 !== ''),
          bootstraps: bootstrap ? [bootstrap] : [],
        });
        expect(probe.uid).not.toBe(0);
        expect(probe.filesRead).toBeGreaterThan(0);
        // Nothing found, nothing harvested from a command line; knowing the port is not enough (no
        // cookie, no call; the spent bootstrap opens nothing); the display refuses a client without
        // the X cookie: no xdpyinfo, no list of its windows.
        expect({
          found: probe.found,
          harvested: probe.harvested,
          attempts: probe.attempts,
          xdpyinfoRefused: probe.xdpyinfo.status !== 0 && /unable to open display/.test(probe.xdpyinfo.stderr),
          xwininfo: probe.xwininfo,
        }).toEqual({
          found: [],
          harvested: 0,
          attempts: { rpc: 401, 'the spent bootstrap': 403 },
          xdpyinfoRefused: true,
          xwininfo: { status: 1, sawTheApp: false },
        });
        expect(bootstrap).toMatch(/^[A-Za-z0-9_-]{43}$/);
        // The control: with the cookie, the same display answers.
        const control = spawnSync('xdpyinfo', ['-display', display], {
          env: { PATH: process.env.PATH, XAUTHORITY: authFile },
        });
        expect(control.status).toBe(0);
      } else {
        console.warn('Skipped the second-account checks: creating a Unix user (useradd, runuser) needs root.');
      }

      // Everything of the launch is the launcher's own: 0700 folders, 0600 files.
      expect(runtime).toMatch(/enclave-run-/);
      expect(authFile.startsWith(`${runtime}/`)).toBe(true);
      expect([runtime, join(runtime, 'profile'), join(runtime, 'tmp')].map(modeOf)).toEqual([0o700, 0o700, 0o700]);
      expect([authFile, join(runtime, 'launch.html')].map(modeOf)).toEqual([0o600, 0o600]);

      launcher.kill('SIGTERM');
      const code = await exited;
      expect(`${output.join('\n')}\nexit code ${code}`).toMatch(/exit code 143$/);
      expect(existsSync(`/tmp/.X11-unix/X${display.slice(1)}`)).toBe(false);
      expect(existsSync(runtime)).toBe(false);
    } finally {
      // A failed check still stops the launcher the orderly way, so Chromium and Xvfb go with it.
      if (launcher.exitCode === null && launcher.signalCode === null) {
        launcher.kill('SIGTERM');
        await Promise.race([exited, sleep(15_000)]);
        launcher.kill('SIGKILL');
      }
    }
  }, 180_000);
});
