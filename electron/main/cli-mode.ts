/**
 * The packaged app's CLI mode. The installed `enclave` command (installer/cli/) runs the app's own
 * binary with `--enclave-cli` before the user's arguments: the runAsNode fuse is off, and the
 * native modules are built for this Electron, so the CLI cannot run on a separate Node.
 */
export const CLI_FLAG = '--enclave-cli';

/** The user's arguments after the CLI flag (Chromium's own switches come before it), or null for the app. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(CLI_FLAG);
  return at < 0 ? null : argv.slice(at + 1);
}

/** The CLI bundle's entry: hosts/cli/cli.ts. */
export interface CliBundle {
  runCli(args: string[]): Promise<number>;
}

/**
 * Runs the CLI bundle beside this one and ends the process with its exit code, once standard
 * output has been written out (a pipe may still hold it).
 */
export async function runCliMode(load: () => CliBundle, args: string[], exit: (code: number) => void): Promise<void> {
  let code: number;
  try {
    code = await load().runCli(args);
  } catch (error) {
    process.stderr.write(`enclave: ${(error as Error).message}\n`);
    code = 3;
  }
  process.stdout.write('', () => exit(code));
}
