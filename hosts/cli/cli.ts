import { Command, CommanderError } from 'commander';
import { APP_NAME, APP_VERSION } from '../../common/version';
import { defaultDataDir, servicePaths } from '../app-paths';
import { addBundleCommands } from './bundle-verify-command';
import { addBundleStoreCommands } from './bundle-store-commands';
import { addDiodeCommands } from './diode-command';
import { runDoctor } from './doctor';
import { readElectronVersion } from '../electron-binary';
import { addMarkingCommands } from './marking-commands';
import { addPkiCommands } from './pki-command';
import { addReleaseCommands } from './release-commands';
import { addSimulateCommand } from './simulate-command';
import { addStoreCommands } from './store-commands';
import { terminalSafeLines } from './terminal-safe';
import { addTufClientCommand } from './tuf-client-command';
import { addUpdateAdminCommands } from './update-admin-commands';
import { addUpdateCommands } from './update-commands';
import { addUpdateReleaseCommands } from './update-release-commands';

/** Documented in docs/cli.md and `--help`; scripts depend on them. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, internal: 3 } as const;

// Every line the CLI prints is terminal-safe: store paths, service messages and file names may hold control characters.
const out = (text: string) => process.stdout.write(`${terminalSafeLines(text)}\n`);
const err = (text: string) => process.stderr.write(`${terminalSafeLines(text)}\n`);

function buildProgram(): Command {
  const program = new Command('enclave')
    .description(`${APP_NAME} ${APP_VERSION}: offline Monte Carlo risk analysis. Run as: npm run enclave -- <command>`)
    .option('--json', 'print one JSON object instead of text')
    .option('--data-dir <dir>', 'data directory (default: ENCLAVE_DATA_DIR or ~/.local/share/enclave)')
    .addHelpText(
      'after',
      `\nExit codes:\n  ${EXIT.ok}  success\n  ${EXIT.checkFailed}  a check failed (doctor), a marking is invalid, "dominates" is false, a certificate path is invalid (pki validate), a bundle is invalid (bundle verify), TUF metadata or a target is refused (tuf-client), an update is refused, a rollback was refused or the install has a problem (update), or the command could not do its work\n  ${EXIT.usage}  usage error: unknown command or option, bad argument\n  ${EXIT.internal}  unexpected internal error`,
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('version')
    .description('print the Enclave, Node and Electron versions')
    .action(() => {
      const versions = { enclave: APP_VERSION, node: process.versions.node, electron: readElectronVersion() };
      out(
        program.opts().json
          ? JSON.stringify(versions)
          : `${APP_NAME} ${versions.enclave} (Node ${versions.node}, Electron ${versions.electron})`,
      );
    });

  program
    .command('doctor')
    .description(
      'check this machine: Node, native modules, Chromium and WebGPU, PKCS#11 modules, data directory, site config',
    )
    .action(async () => {
      const opts = program.opts<{ json?: boolean; dataDir?: string }>();
      const checks = await runDoctor(servicePaths(opts.dataDir ?? defaultDataDir()));
      const ok = checks.every((check) => check.status !== 'fail');
      if (opts.json) out(JSON.stringify({ ok, checks }));
      else {
        for (const check of checks)
          out(`${check.status.toUpperCase().padEnd(4)}  ${check.name.padEnd(16)}  ${check.detail}`);
        out(ok ? 'All required checks passed.' : 'Some required checks failed.');
      }
      process.exitCode = ok ? EXIT.ok : EXIT.checkFailed;
    });
  addMarkingCommands(
    program,
    () => ({
      json: Boolean(program.opts().json),
      out,
      err,
      setExit: (code) => (process.exitCode = code),
    }),
    () => program.opts<{ dataDir?: string }>().dataDir,
  );
  addSimulateCommand(program, () => ({
    json: Boolean(program.opts().json),
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addPkiCommands(program, () => ({
    json: Boolean(program.opts().json),
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  const bundle = addBundleCommands(program, () => ({
    json: Boolean(program.opts().json),
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addBundleStoreCommands(bundle, () => ({
    json: Boolean(program.opts().json),
    dataDir: program.opts<{ dataDir?: string }>().dataDir,
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addDiodeCommands(program, () => ({
    json: Boolean(program.opts().json),
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  const update = addUpdateCommands(program, () => ({
    json: Boolean(program.opts().json),
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addUpdateAdminCommands(update, () => ({
    json: Boolean(program.opts().json),
    dataDir: program.opts<{ dataDir?: string }>().dataDir,
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addUpdateReleaseCommands(update, () => ({
    json: Boolean(program.opts().json),
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addReleaseCommands(program, () => ({
    json: Boolean(program.opts().json),
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addStoreCommands(program, () => ({
    json: Boolean(program.opts().json),
    dataDir: program.opts<{ dataDir?: string }>().dataDir,
    out,
    err,
    setExit: (code) => (process.exitCode = code),
  }));
  addTufClientCommand(program, () => ({ out, err, setExit: (code) => (process.exitCode = code) }));
  return program;
}

/**
 * Runs one command with the user's arguments and resolves to its exit code. `node dist/node/cli.cjs`
 * (what `npm run enclave` runs) calls it below; the packaged app's binary calls it in its CLI mode
 * (electron/main/cli-mode.ts), so the installed `enclave` uses the app's own Electron and native modules.
 */
export async function runCli(args: string[]): Promise<number> {
  // Everything the CLI and its services write is the owner's alone (the worker thread cannot set it).
  process.umask(0o077);
  // `enclave … | head` closes our stdout early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram();
  if (args.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    // --help and --version print and end with code 0; everything else is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    err(`enclave: ${(error as Error).message}`);
    if (process.env.ENCLAVE_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return EXIT.internal;
  }
}

if (require.main === module) void runCli(process.argv.slice(2)).then((code) => (process.exitCode = code));
