import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVTOOLS_FLAG } from '../../electron/main/shell-policy';
import { appRoot, defaultDataDir } from '../app-paths';
import { findChromium } from '../chromium';
import { findElectronBinary } from '../electron-binary';
import { startHostSession } from '../browser/host-session';
import { appWindowArgs, prepareAppWindow } from './app-window';
import { startXvfb, type VirtualDisplay } from './xvfb';

// `npm start`: Electron when its binary is present, else the browser host in a Chromium app
// window. Says which path it took and why. ENCLAVE_HOST=electron|browser forces one.
const say = (line: string) => process.stdout.write(`[enclave] ${line}\n`);

function runElectron(binary: string): void {
  say(`Starting Electron (${binary}).`);
  const child = spawn(binary, [appRoot(), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function runBrowserHost(reason: string): Promise<void> {
  say(`Electron is not available: ${reason}.`);
  const chromium = findChromium();
  if (!chromium) {
    say('No Chromium either: install Debian chromium (apt-get install chromium) or set ENCLAVE_CHROMIUM.');
    process.exit(1);
  }
  const dataDir = defaultDataDir();
  const session = await startHostSession({ dataDir });
  say(
    `Browser host on ${session.host.origin} (loopback only, one browser by a one-time launch page); data in ${dataDir}.`,
  );

  // Everything of this launch that another local account must not read, in one 0700 folder.
  const runtime = mkdtempSync(join(tmpdir(), 'enclave-run-'));
  const devtools = process.argv.includes(DEVTOOLS_FLAG);
  if (devtools) say(`${DEVTOOLS_FLAG}: DevTools are allowed in the app window.`);
  const files = prepareAppWindow(runtime, session.host.bootstrapUrl, { devtools });

  let display: VirtualDisplay | null = null;
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    display = await startXvfb(runtime);
    say(
      `No display found: started Xvfb on ${display.display} (X authority ${display.authFile}); the window is drawn there.`,
    );
  }
  const args = appWindowArgs(files);
  if (process.getuid?.() === 0) {
    args.push('--no-sandbox');
    say('Running as root: Chromium needs --no-sandbox here. Run as an ordinary user to keep its sandbox.');
  }
  say(`Opening ${chromium} as an app window (runtime folder ${runtime}).`);
  // Its own process group, so stopping reaches Chromium's helper processes too.
  const browser = spawn(chromium, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: {
      ...process.env,
      TMPDIR: files.tmp,
      ...(display ? { DISPLAY: display.display, XAUTHORITY: display.authFile } : {}),
    },
  });
  browser.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.ENCLAVE_VERBOSE) process.stderr.write(chunk);
  });

  const browserExited = new Promise<void>((resolve) => browser.once('exit', () => resolve()));
  const group = browser.pid === undefined ? undefined : -browser.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (group !== undefined) process.kill(group, signal);
    } catch {
      // the group is already gone
    }
  };
  const groupAlive = () => {
    try {
      if (group !== undefined) process.kill(group, 0);
      return group !== undefined;
    } catch {
      return false;
    }
  };
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Stop every Chromium process and wait until none is left before removing the profile.
    signalGroup('SIGTERM');
    const killer = setTimeout(() => signalGroup('SIGKILL'), 5000);
    await browserExited;
    for (let waited = 0; groupAlive() && waited < 5000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    signalGroup('SIGKILL');
    clearTimeout(killer);
    await session.close();
    display?.stop();
    try {
      rmSync(runtime, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (error) {
      say(`Could not remove the runtime folder ${runtime}: ${(error as Error).message}`);
    }
    process.exit(code);
  };
  browser.on('exit', (code) => {
    if (stopping) return;
    say(`Chromium closed (exit code ${code ?? 'signal'}); stopping.`);
    void stop(0);
  });
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
}

async function main() {
  // Everything this process and its services write is the owner's alone (the worker thread cannot set it).
  process.umask(0o077);
  const forced = process.env.ENCLAVE_HOST;
  const electron = findElectronBinary();
  if (forced === 'browser') return runBrowserHost('ENCLAVE_HOST=browser was set');
  if (electron.found) return runElectron(electron.path);
  if (forced === 'electron') {
    say(`ENCLAVE_HOST=electron, but ${electron.reason}.`);
    process.exit(1);
  }
  return runBrowserHost(electron.reason);
}

main().catch((error: unknown) => {
  say(`Could not start: ${(error as Error).message}`);
  process.exit(1);
});
