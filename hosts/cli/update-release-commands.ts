import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ServiceError } from '../../electron/services/service-error';
import { releaseState, rollbackRelease } from '../../electron/services/updates/release';

interface Io {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

const INSTALL_ROOT_HELP = 'the install root: the folder holding versions/ and the current link';

/** The install root as given, made absolute; null (with the reason printed, exit 2) when it is not a folder. */
function installRoot(o: Io, dir: string): string | null {
  const root = resolve(dir);
  if (!lstatSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    o.err(`enclave: --install-root ${root} is not a folder.`);
    o.setExit(2);
    return null;
  }
  return root;
}

/**
 * `enclave update release-status` and `enclave update rollback` (docs/updates.md, "App releases"):
 * the install layout of app releases, read or switched back, with no store and no sign-in: the
 * install root's file permissions are what guard it. Exit 0 done, 1 refused or a problem found,
 * 2 bad arguments.
 */
export function addUpdateReleaseCommands(update: Command, io: () => Io): Command {
  update
    .command('release-status')
    .description('the running, previous and installed app versions, and anything an interrupted update left')
    .requiredOption('--install-root <dir>', INSTALL_ROOT_HELP)
    .action((args: { installRoot: string }) => {
      const o = io();
      const root = installRoot(o, args.installRoot);
      if (root === null) return;
      const state = releaseState(root);
      o.setExit(state.problems.length > 0 ? 1 : 0);
      if (o.json)
        return o.out(
          JSON.stringify({
            installRoot: root,
            current: state.current?.version ?? null,
            currentPresent: state.current?.present ?? null,
            previous: state.previous,
            installed: state.installed,
            interrupted: state.interrupted,
            problems: state.problems,
          }),
        );
      o.out(`Install root: ${root}`);
      o.out(
        `Running:      ${state.current?.version ?? 'none'}${state.current && !state.current.present ? ' (its folder is missing)' : ''}`,
      );
      o.out(`Previous:     ${state.previous ? `${state.previous} (enclave update rollback returns to it)` : 'none'}`);
      o.out(`Installed:    ${state.installed.join(', ') || 'none'}`);
      for (const line of state.interrupted) o.out(`Interrupted:  ${line}`);
      for (const line of state.problems) o.out(`PROBLEM:      ${line}`);
    });

  update
    .command('rollback')
    .description('run the previous app version again from the next start; the newer one stays installed')
    .requiredOption('--install-root <dir>', INSTALL_ROOT_HELP)
    .action((args: { installRoot: string }) => {
      const o = io();
      const root = installRoot(o, args.installRoot);
      if (root === null) return;
      try {
        const moved = rollbackRelease(root);
        o.setExit(0);
        if (o.json) return o.out(JSON.stringify({ from: moved.from, to: moved.to }));
        o.out(
          `Rolled back from ${moved.from ?? 'none'} to ${moved.to}; ${moved.from ?? 'the newer version'} stays installed. Enclave runs ${moved.to} from its next start.`,
        );
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        o.err(`enclave: ${error.message}`);
        o.setExit(1);
      }
    });
  return update;
}
