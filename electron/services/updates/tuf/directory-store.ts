import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TufError, TufNotFound } from './errors';
import { TIME_FLOOR_ROLE, type TrustedMetadataStore } from './metadata-store';
import { readBoundedFile } from './bounded-read';
import { encodeRoleName } from './role-names';

const MAX_FILE_NAME = 250;
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Trusted metadata as files in one directory, as the conformance CLI protocol expects: `root.json`,
 * `timestamp.json`, `snapshot.json`, `targets.json`, `<quoted delegated name>.json`, and `time-floor` (no .json: it is no TUF metadata).
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
    writeFileAtomically(this.dir, this.fileNameOf(role), bytes);
  }

  private pathOf(role: string): string {
    return join(this.dir, this.fileNameOf(role));
  }

  private fileNameOf(role: string): string {
    // Not a .json file: the conformance suite reads every *.json here as TUF metadata.
    if (role === TIME_FLOOR_ROLE) return 'time-floor';
    const name = `${encodeRoleName(role)}.json`;
    if (name.length > MAX_FILE_NAME)
      throw new TufError('bad-metadata', `the role name '${role.slice(0, 40)}…' is too long to store`);
    return name;
  }
}

/**
 * Replaces `dir/fileName` atomically: a 0600 temporary file in the same directory, fsync, rename over
 * the old file, fsync of the directory. A crash leaves the old file or the new one, never half of one.
 */
export function writeFileAtomically(dir: string, fileName: string, bytes: Uint8Array): void {
  const temp = join(dir, `.${randomBytes(8).toString('hex')}.tmp`);
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
  try {
    renameSync(temp, join(dir, fileName));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dir);
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
