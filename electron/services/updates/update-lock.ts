import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this id is alive (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The one update at a time across processes: the app and the CLI share the data directory, the store
 * and the install root, so an inspection or apply in one must not see another's started row as
 * interrupted or remove its folders. A lock file created exclusively holds the owner's pid; a lock
 * whose process is gone (killed mid-apply) is taken over. Returns the release, or the pid that holds it.
 */
export function takeUpdateLock(dir: string): { release: () => void } | { heldBy: number } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return { heldBy: pid };
      rmSync(path, { force: true });
    }
  }
  return { heldBy: -1 };
}
