import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VirtualDisplay {
  display: string;
  /** The X authority file (0600, in the caller's 0700 folder): XAUTHORITY for the display's clients. */
  authFile: string;
  stop(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** X authority file family that matches any host: the client libraries then match on the display number. */
const FAMILY_WILD = 0xffff;

function counted(value: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(value.length);
  return Buffer.concat([length, value]);
}

/**
 * Writes an X authority file (the format xauth writes) with one MIT-MAGIC-COOKIE-1 entry for
 * display `number`. Written here rather than by `xauth add`, which would put the cookie on a
 * command line that every local user can read.
 */
export function writeXauthority(path: string, number: number, cookie: Buffer): void {
  const family = Buffer.alloc(2);
  family.writeUInt16BE(FAMILY_WILD);
  const entry = Buffer.concat([
    family,
    counted(Buffer.alloc(0)),
    counted(Buffer.from(String(number))),
    counted(Buffer.from('MIT-MAGIC-COOKIE-1')),
    counted(cookie),
  ]);
  writeFileSync(path, entry, { mode: 0o600, flag: 'wx' });
}

/**
 * Starts Xvfb on the first free display number from :90 and waits for its socket. `-auth` turns on
 * access control: only a client holding the cookie in `authFile` (inside `runtimeDir`, which must be
 * the caller's 0700 folder) may connect; the socket in /tmp/.X11-unix is open to all, the display is not.
 */
export async function startXvfb(runtimeDir: string): Promise<VirtualDisplay> {
  for (let number = 90; number < 110; number++) {
    if (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) continue;
    const authFile = join(runtimeDir, `xauthority-${number}`);
    writeXauthority(authFile, number, randomBytes(16));
    const child: ChildProcess = spawn(
      'Xvfb',
      [`:${number}`, '-auth', authFile, '-screen', '0', '1440x900x24', '-nolisten', 'tcp'],
      { stdio: 'ignore' },
    );
    let exited = false;
    child.once('exit', () => (exited = true));
    child.once('error', () => (exited = true));
    for (let waited = 0; waited < 5000 && !exited; waited += 100) {
      if (existsSync(`/tmp/.X11-unix/X${number}`))
        return { display: `:${number}`, authFile, stop: () => child.kill('SIGTERM') };
      await sleep(100);
    }
    child.kill('SIGKILL');
  }
  throw new Error('Xvfb did not start (is the xvfb package installed?)');
}
