import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface VirtualDisplay {
  display: string;
  stop(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts Xvfb on the first free display number from :90 and waits for its socket. */
export async function startXvfb(): Promise<VirtualDisplay> {
  for (let number = 90; number < 110; number++) {
    if (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) continue;
    const child: ChildProcess = spawn('Xvfb', [`:${number}`, '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    child.once('error', () => (exited = true));
    for (let waited = 0; waited < 5000 && !exited; waited += 100) {
      if (existsSync(`/tmp/.X11-unix/X${number}`)) return { display: `:${number}`, stop: () => child.kill('SIGTERM') };
      await sleep(100);
    }
    child.kill('SIGKILL');
  }
  throw new Error('Xvfb did not start (is the xvfb package installed?)');
}
