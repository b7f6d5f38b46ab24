import type { Command } from 'commander';
import { DEFAULT_PKCS11_MODULE } from '../../native/pkcs11';
import { RepositoryError } from '../../electron/services/updates/repository/errors';
import type { TokenKeyLocation } from '../../electron/services/updates/token-signer';
import { CliRefusal } from './cli-services';

/**
 * What the officers' commands (`enclave update …`, `enclave release …`) share: a key on a PKCS#11
 * token named by module, token label and key label, the PIN read as at sign-in (never from the
 * command line), and one way of reporting a refusal. Exit 0 done, 1 refused, 2 bad arguments.
 */
export interface Io {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

export interface TokenArgs {
  module: string;
  tokenLabel?: string;
  keyLabel?: string;
  pinFile?: string;
}

/** The token options, `keyWhat` naming the key in the help ("the role key", "the release key"). */
export function tokenOptions(command: Command, keyWhat: string): Command {
  return command
    .option(
      '--module <path>',
      `the PKCS#11 module of the token (default ${DEFAULT_PKCS11_MODULE})`,
      DEFAULT_PKCS11_MODULE,
    )
    .option('--token-label <label>', "the token's label")
    .option('--key-label <label>', `${keyWhat}'s label on the token`)
    .option(
      '--pin-file <file>',
      "read the token's PIN from this file (else ENCLAVE_PIN, standard input or the terminal)",
    );
}

export function tokenKeyLocation(args: TokenArgs): TokenKeyLocation {
  if (!args.tokenLabel) throw new RepositoryError('usage', '--token-label is required.');
  if (!args.keyLabel) throw new RepositoryError('usage', '--key-label is required.');
  return { modulePath: args.module, tokenLabel: args.tokenLabel, keyLabel: args.keyLabel };
}

/** Wraps an officer's action: a refusal is printed (and as JSON with --json) and sets the exit code. */
export function officerAction(io: () => Io) {
  return <A extends unknown[]>(action: (o: Io, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const o = io();
      try {
        await action(o, ...args);
      } catch (error) {
        const known = error instanceof RepositoryError || error instanceof CliRefusal;
        if (!known) throw error;
        const code =
          error instanceof RepositoryError ? error.code : error.error.code === 'INVALID_ARGUMENT' ? 'usage' : 'refused';
        if (o.json) o.out(JSON.stringify({ ok: false, code, message: error.message }));
        o.err(`enclave: ${error.message}`);
        o.setExit(code === 'usage' ? 2 : 1);
      }
    };
}
