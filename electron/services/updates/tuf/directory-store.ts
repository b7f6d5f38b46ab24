import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TufError, TufNotFound } from './errors';
import type { TrustedMetadataStore } from './metadata-store';
import { readBoundedFile } from './bounded-read';
import { encodeRoleName } from './role-names';

const MAX_FILE_NAME = 250;
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Trusted metadata as files in one directory, as the conformance CLI protocol expects: `root.json`,
 * `timestamp.json`, `snapshot.json`, `targets.json`, `<quoted delegated name>.json`, `time-floor.json`.
 * A write is a 0600 temporary file, fsync, rename over the old one and fsync of the directory, so a
 * crash leaves the old record or the new one.
 */
export class DirectoryMetadataStore implements TrustedMetadataStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  read(role: string): Uint8Array | null {
    try {
      return readBoundedFile(this.pathOf(role), MAX_RECORD_BYTES, `stored ${role} metadata`);
    } catch (error) {
      if (error instanceof TufNotFound) return null;
      throw error;
    }
  }

  write(role: string, bytes: Uint8Array): void {
    const target = this.pathOf(role);
    const temp = join(this.dir, `.${randomBytes(8).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temp, { force: true });
      throw error;
    }
    closeSync(fd);
    renameSync(temp, target);
    syncDirectory(this.dir);
  }

  private pathOf(role: string): string {
    const name = `${encodeRoleName(role)}.json`;
    if (name.length > MAX_FILE_NAME)
      throw new TufError('bad-metadata', `the role name '${role.slice(0, 40)}…' is too long to store`);
    return join(this.dir, name);
  }
}

function syncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; there the rename is as durable as it gets.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
