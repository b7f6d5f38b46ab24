import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { takeUpdateLock } from '../../../electron/services/updates/update-lock';

// The update lock the app and the CLI share: held by a live process, it refuses; left by a dead one
// (an apply killed with SIGKILL), it is taken over.

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-update-lock-'));
  dirs.push(dir);
  return dir;
};

describe('the update lock', () => {
  it('is taken, names its holder, and is released', () => {
    const dir = fresh();
    const lock = takeUpdateLock(dir);
    expect('release' in lock).toBe(true);
    expect(readFileSync(join(dir, '.lock'), 'utf8')).toBe(String(process.pid));
    if ('release' in lock) lock.release();
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('refuses while another live process holds it, and takes it over once that process is gone', async () => {
    const dir = fresh();
    const other = spawn('sleep', ['30']);
    await new Promise((resolve) => other.once('spawn', resolve));
    writeFileSync(join(dir, '.lock'), String(other.pid));
    expect(takeUpdateLock(dir)).toEqual({ heldBy: other.pid });
    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    const lock = takeUpdateLock(dir);
    expect('release' in lock).toBe(true);
    if ('release' in lock) lock.release();
  });
});
