import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** Where `simulate --report/--xlsx/--csv-dir` write, checked before the run starts. */
export interface ReportTargets {
  pdf: string | null;
  xlsx: string | null;
  csvDir: string | null;
  /** Replace files that are there already. */
  force: boolean;
}

export type TargetCheck = { ok: true; targets: ReportTargets } | { ok: false; message: string };

function kindOf(path: string): 'missing' | 'file' | 'directory' | 'other' {
  try {
    const stat = lstatSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A file target: its extension, a folder that exists, and no file there unless --force. */
function checkFile(option: string, path: string, extension: string, force: boolean): string | null {
  if (extname(path).toLowerCase() !== extension) return `${option} takes a file name ending in ${extension} (${path})`;
  if (!isDirectory(dirname(resolve(path)))) return `${option}: the folder of ${path} does not exist`;
  const kind = kindOf(path);
  if (kind === 'missing') return null;
  if (kind !== 'file') return `${option}: ${path} is there and is not a regular file; nothing was written`;
  return force ? null : `${option}: ${path} exists; nothing was written (give --force to replace it)`;
}

/**
 * The report's outputs, checked before anything runs: a run is not wasted on a target that cannot
 * be written, and an existing file is replaced only with --force.
 */
export function checkReportTargets(options: {
  report?: string;
  xlsx?: string;
  csvDir?: string;
  force?: boolean;
}): TargetCheck {
  const force = options.force === true;
  if (options.report === undefined && (options.xlsx !== undefined || options.csvDir !== undefined))
    return { ok: false, message: '--xlsx and --csv-dir go with --report (the report they are exports of)' };
  const problems = [
    options.report === undefined ? null : checkFile('--report', options.report, '.pdf', force),
    options.xlsx === undefined ? null : checkFile('--xlsx', options.xlsx, '.xlsx', force),
  ];
  if (options.csvDir !== undefined) {
    const kind = kindOf(options.csvDir);
    if (kind !== 'missing' && !isDirectory(options.csvDir))
      problems.push(`--csv-dir: ${options.csvDir} is there and is not a folder`);
    else if (kind === 'missing' && !isDirectory(dirname(resolve(options.csvDir))))
      problems.push(`--csv-dir: the folder that would hold ${options.csvDir} does not exist`);
  }
  const first = problems.find((problem) => problem !== null);
  if (first) return { ok: false, message: first };
  return {
    ok: true,
    targets: {
      pdf: options.report ?? null,
      xlsx: options.xlsx ?? null,
      csvDir: options.csvDir ?? null,
      force,
    },
  };
}

/** The CSV folder, made owner-only if it is not there. */
export function makeCsvDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

/** Thrown for a target that exists when it may not be replaced; its message names the file. */
export class TargetExists extends Error {}

/**
 * Writes `bytes` to `path` whole or not at all: into a new owner-only file beside it, flushed, then
 * moved into place in one step. Without `force` the move is a hard link, which fails if a file of
 * that name appeared meanwhile (never replacing it); with `force`, a rename over it.
 */
export function writeWhole(path: string, bytes: Uint8Array, force: boolean): void {
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  const fd = openSync(partial, 'wx', 0o600);
  try {
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    fsyncSync(fd);
    closeSync(fd);
    if (force) renameSync(partial, path);
    else {
      try {
        linkSync(partial, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw new TargetExists(`${path} exists; it was not replaced (give --force to replace it)`);
        throw error;
      }
    }
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    throw error;
  } finally {
    rmSync(partial, { force: true });
  }
}
