import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readBoundedFile } from '../../electron/services/updates/tuf/bounded-read';
import { DirectoryMetadataStore, writeFileAtomically } from '../../electron/services/updates/tuf/directory-store';
import { TufError } from '../../electron/services/updates/tuf/errors';
import { checkLengthAndHashes } from '../../electron/services/updates/tuf/hashes';
import { HttpSource } from '../../electron/services/updates/tuf/http-source';
import { encodeRoleName } from '../../electron/services/updates/tuf/role-names';
import { TrustedMetadata } from '../../electron/services/updates/tuf/trusted-metadata';
import { DEFAULT_TUF_LIMITS, TufUpdater, type TargetInfo } from '../../electron/services/updates/tuf/updater';

interface Io {
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

interface TufClientOptions {
  metadataDir?: string;
  metadataUrl?: string;
  targetName?: string[];
  targetBaseUrl?: string;
  targetDir?: string;
}

class TufUsageError extends Error {}

function required(value: string | undefined, option: string): string {
  if (!value) throw new TufUsageError(`${option} is required`);
  return value;
}

/** The clock of this machine: the CLI is the one place Enclave's TUF client reads it. */
const systemClock = { now: () => new Date() };

/**
 * `enclave tuf-client`: Enclave's TUF client behind the tuf-conformance client-under-test protocol
 * (CLIENT-CLI.md): `init`, `refresh`, `download`. Exit 0 when the step fully succeeded, 1 when any part
 * failed, 2 for bad arguments. Repositories are read over HTTP from this machine only (loopback).
 */
export function addTufClientCommand(program: Command, io: () => Io): void {
  const tuf = program
    .command('tuf-client')
    .description('TUF 1.0 client (conformance protocol): init, refresh, download over loopback HTTP')
    .option('--metadata-dir <dir>', 'where the client keeps the metadata it has verified')
    .option('--metadata-url <url>', 'the repository metadata URL (http:// on 127.0.0.1, ::1 or localhost)')
    .option(
      '--target-name <path>',
      'a target path to download (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--target-base-url <url>', 'the repository targets URL (loopback)')
    .option('--target-dir <dir>', 'where verified targets are written');

  const run = (step: (options: TufClientOptions, io: Io) => Promise<void>) => async () => {
    const output = io();
    try {
      await step(tuf.opts<TufClientOptions>(), output);
      output.setExit(0);
    } catch (error) {
      if (!(error instanceof TufError || error instanceof TufUsageError || isFileError(error))) throw error;
      output.err(`enclave tuf-client: ${(error as Error).message}`);
      output.setExit(error instanceof TufUsageError ? 2 : 1);
    }
  };

  tuf
    .command('init <root-file>')
    .description('trust the given root metadata (it must be signed by its own root keys); no request is made')
    .action((rootFile: string) =>
      run(async (options, out) => {
        const dir = required(options.metadataDir, '--metadata-dir');
        const bytes = readBoundedFile(rootFile, DEFAULT_TUF_LIMITS.rootMaxBytes, rootFile);
        const root = new TrustedMetadata(bytes, systemClock.now()).root.signed;
        new DirectoryMetadataStore(dir).write('root', bytes);
        out.out(`trusted root version ${root.version} in ${dir}`);
      })(),
    );

  tuf
    .command('refresh')
    .description('update root, timestamp, snapshot and targets following the TUF client workflow')
    .action(() =>
      run(async (options, out) => {
        await updater(options).refresh();
        out.out('metadata is up to date');
      })(),
    );

  tuf
    .command('download')
    .description('refresh, then download each --target-name into --target-dir, verified (kept if already there)')
    .action(() =>
      run(async (options, out) => {
        const targetDir = required(options.targetDir, '--target-dir');
        required(options.targetBaseUrl, '--target-base-url');
        if (!options.targetName?.length) throw new TufUsageError('--target-name is required');
        const client = updater(options);
        await client.refresh();
        mkdirSync(targetDir, { recursive: true, mode: 0o700 });
        for (const name of options.targetName) {
          const target = await client.getTargetInfo(name);
          // The protocol wants the same file name for the same target path: its quoted form, as python-tuf.
          const fileName = encodeRoleName(name);
          if (alreadyDownloaded(join(targetDir, fileName), target)) {
            out.out(`${name}: already downloaded and verified`);
            continue;
          }
          writeFileAtomically(targetDir, fileName, await client.downloadTarget(target));
          out.out(`${name}: downloaded and verified (${target.file.length} bytes)`);
        }
      })(),
    );
}

function updater(options: TufClientOptions): TufUpdater {
  const metadataDir = required(options.metadataDir, '--metadata-dir');
  const metadataUrl = required(options.metadataUrl, '--metadata-url');
  return new TufUpdater({
    store: new DirectoryMetadataStore(metadataDir),
    source: new HttpSource(metadataUrl, options.targetBaseUrl),
    clock: systemClock,
  });
}

function alreadyDownloaded(path: string, target: TargetInfo): boolean {
  try {
    // No link is followed: only a regular file this command wrote counts as already downloaded.
    checkLengthAndHashes(readBoundedFile(path, target.file.length, path), target.file, target.path);
    return true;
  } catch {
    return false;
  }
}

function isFileError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}
