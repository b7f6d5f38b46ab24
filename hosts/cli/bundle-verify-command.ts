import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkEnclaveProfile, validateBag } from '../../electron/services/bundles/bagit';
import { extractBundleTar, TarError } from '../../electron/services/bundles/tar';
import { offlineBundleChecks } from '../../electron/services/bundles/offline-check';
import { terminalSafe, terminalSafeOutput } from './terminal-safe';

interface Io {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

/** The root files a bundle may have besides the profile's four (docs/bundle-format.md). */
export const BUNDLE_SIGNATURE_FILES = ['signature.cms', 'signature-mldsa87.bin'];

export interface BundleVerifyOptions {
  /** RFC 8493 only, for any BagIt bag; otherwise the Enclave bundle checks too. */
  bagitOnly: boolean;
}

/** A BagProblem, a TarError, or (later) a signature or record check's finding: code, path, message. */
export interface BundleProblem {
  code: string;
  path?: string;
  message: string;
}

export interface BundleVerification {
  valid: boolean;
  problems: BundleProblem[];
  warnings: BundleProblem[];
}

/**
 * The checks `enclave bundle verify` runs on a bag already on disk: RFC 8493 alone (bagitOnly), or
 * the Enclave profile on top. The bundle's signature and record checks are added here, after the
 * profile, so the CLI and import run the same list.
 */
export async function verifyBundleDirectory(dir: string, options: BundleVerifyOptions): Promise<BundleVerification> {
  const report = options.bagitOnly
    ? await validateBag(dir)
    : await checkEnclaveProfile(dir, { extraTagFiles: BUNDLE_SIGNATURE_FILES });
  if (options.bagitOnly || !report.valid)
    return { valid: report.valid, problems: report.problems, warnings: report.warnings };
  // The bag is a well-formed Enclave bag: now what can be checked without a store.
  const offline = offlineBundleChecks(dir);
  return {
    valid: offline.problems.length === 0,
    problems: offline.problems,
    warnings: [...report.warnings, ...offline.warnings],
  };
}

export class BundleUsageError extends Error {}

/** Tar bounds for --bagit: the validator's own bounds rather than a bundle's. */
const GENERIC_BAG_TAR_LIMITS = { maxEntries: 200_000, maxPathBytes: 4096 };

/**
 * A directory is checked where it is; a tar (or the first of its parts) is extracted by the safe
 * tar reader into a fresh owner-only folder under the system temp dir, which is always removed.
 * A serialized bag with a single top-level folder (RFC 8493 section 4) is checked inside it.
 */
export async function verifyBundlePath(path: string, options: BundleVerifyOptions): Promise<BundleVerification> {
  const stat = await fs.stat(path).catch(() => null);
  if (!stat) throw new BundleUsageError(`${path} does not exist`);
  if (stat.isDirectory()) return verifyBundleDirectory(path, options);
  if (!stat.isFile()) throw new BundleUsageError(`${path} is neither a folder nor a tar file`);
  const scratch = await fs.mkdtemp(join(tmpdir(), 'enclave-bundle-verify-'));
  try {
    const bag = join(scratch, 'bag');
    try {
      // Any BagIt bag (--bagit) may be larger and have longer names than a bundle may.
      await extractBundleTar([path], bag, options.bagitOnly ? GENERIC_BAG_TAR_LIMITS : {});
    } catch (error) {
      if (!(error instanceof TarError)) throw error;
      const problem: BundleProblem = { code: error.code, message: error.message };
      if (error.path !== undefined) problem.path = error.path;
      return { valid: false, problems: [problem], warnings: [] };
    }
    // Awaited here: the scratch folder goes only after the checks are done.
    return await verifyBundleDirectory(await bagRoot(bag), options);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

async function bagRoot(dir: string): Promise<string> {
  const names = await fs.readdir(dir, { withFileTypes: true });
  const only = names[0];
  if (names.length === 1 && only?.isDirectory() && only.name !== 'data') return join(dir, only.name);
  return dir;
}

/** One line per problem, `CODE  path  message`; warnings `WARNING CODE  path  message`; a summary last. */
export function formatVerification(path: string, result: BundleVerification, options: BundleVerifyOptions): string {
  const line = (p: BundleProblem) => `${p.code}  ${terminalSafe(p.path ?? '-')}  ${terminalSafe(p.message)}`;
  const checks = options.bagitOnly ? 'BagIt (RFC 8493)' : 'BagIt (RFC 8493) and the Enclave bundle profile';
  return [
    ...result.problems.map(line),
    ...result.warnings.map((w) => `WARNING ${line(w)}`),
    result.valid
      ? `VALID  ${terminalSafe(path)}: ${checks}, ${result.warnings.length} warning(s)`
      : `INVALID  ${terminalSafe(path)}: ${result.problems.length} problem(s), ${result.warnings.length} warning(s)`,
  ].join('\n');
}

/** `enclave bundle verify PATH [--bagit] [--json]`: exit 0 valid, 1 invalid, 2 bad arguments (docs/cli.md). */
export function addBundleCommands(program: Command, io: () => Io): Command {
  const bundle = program
    .command('bundle')
    .description('export bundles: verify (BagIt bags, as a folder, a tar or split parts), export, import, review');
  bundle
    .command('verify')
    .description(
      'check a bundle (a folder, a .tar, or the first part of a split tar); exit 0 valid, 1 invalid, 2 bad arguments',
    )
    .argument('<path>', 'the bundle: a folder, a .tar, or NAME.part-0001-of-000N')
    .option('--bagit', 'check any BagIt bag by RFC 8493 alone, without the Enclave bundle profile')
    .action(async (path: string, flags: { bagit?: boolean }) => {
      const o = terminalSafeOutput(io());
      const options = { bagitOnly: Boolean(flags.bagit) };
      let result: BundleVerification;
      try {
        result = await verifyBundlePath(path, options);
      } catch (error) {
        if (!(error instanceof BundleUsageError)) throw error;
        if (o.json) o.out(JSON.stringify({ valid: false, usage: error.message }));
        o.err(`enclave: ${terminalSafe(error.message)}`);
        return o.setExit(2);
      }
      o.out(
        o.json
          ? JSON.stringify({ path, checks: options.bagitOnly ? 'bagit' : 'enclave', ...result })
          : formatVerification(path, result, options),
      );
      o.setExit(result.valid ? 0 : 1);
    });
  return bundle;
}
