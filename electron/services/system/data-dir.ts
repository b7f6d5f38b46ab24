import { closeSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Proves the data directory exists (creating it owner-only) and takes a durable write. */
export function checkDataDirWritable(dataDir: string): { ok: boolean; detail: string } {
  const probe = join(dataDir, `.write-probe-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const fd = openSync(probe, 'wx', 0o600);
    try {
      writeSync(fd, 'probe');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    unlinkSync(probe);
    return { ok: true, detail: `${dataDir} is writable` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, detail: `${dataDir} is not writable (${code})` };
  }
}
