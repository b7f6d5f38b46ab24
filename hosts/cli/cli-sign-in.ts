import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliRefusal, type CliServices } from './cli-services';

export interface SignInOptions {
  card?: boolean;
  pinFile?: string;
  recoverySecretFile?: string;
}

/** The sign-in options every store command takes. Secrets never come from the command line (shell history, ps). */
export function addSignInOptions(command: Command): Command {
  return command
    .option(
      '--recovery-secret-file <file>',
      'sign in with the recovery secret read from this file (else ENCLAVE_RECOVERY_SECRET, else standard input)',
    )
    .option('--card', 'sign in with the card in the reader instead (PIN from --pin-file, ENCLAVE_PIN or the terminal)')
    .option('--pin-file <file>', "read the card's PIN from this file");
}

const refusal = (message: string) => new CliRefusal({ code: 'UNAUTHENTICATED', message });

/** Reads one line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  let typed = '';
  try {
    return await new Promise<string>((done, cancel) => {
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') return finish(() => done(typed));
          if (char === '\u0003') return finish(() => cancel(refusal('Sign-in cancelled.')));
          if (char === '\u007f') typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      const finish = (then: () => void) => {
        stdin.off('data', onData);
        then();
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/** A secret from the named file, else the environment variable, else standard input, else a no-echo prompt. */
async function readSecret(file: string | undefined, env: string, prompt: string): Promise<string> {
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      throw new CliRefusal({ code: 'INVALID_ARGUMENT', message: `Cannot read ${file}.` });
    }
  }
  if (process.env[env]) return process.env[env];
  if (!process.stdin.isTTY) return readFileSync(0, 'utf8').trim();
  return promptHidden(prompt);
}

/** A card's or token's PIN: from --pin-file, else ENCLAVE_PIN, else standard input, else a no-echo prompt. */
export function readCardPin(pinFile: string | undefined, prompt = 'Card PIN: '): Promise<string> {
  return readSecret(pinFile, 'ENCLAVE_PIN', prompt);
}

/** The recovery secret: from a file, the environment, standard input, or the terminal. */
export function readRecoverySecret(options: SignInOptions): Promise<string> {
  return readSecret(options.recoverySecretFile, 'ENCLAVE_RECOVERY_SECRET', 'Recovery secret: ');
}

/**
 * Signs in through the services, as the app's login screen does: the same checks (card path,
 * revocation, enrolment, role), the same lock-outs and the same audit entries. Resolves to the card's
 * PIN when it signed in with a card (a bundle export signs with it again), else null.
 */
export async function signIn(services: CliServices, options: SignInOptions): Promise<string | null> {
  if (!options.card) {
    const recoverySecret = await readRecoverySecret(options);
    if (!recoverySecret)
      throw refusal(
        'Give the recovery secret with --recovery-secret-file, ENCLAVE_RECOVERY_SECRET, or on standard input.',
      );
    await services.call('identity', 'recover', { recoverySecret });
    return null;
  }
  const pin = await readCardPin(options.pinFile);
  if (!pin) throw refusal("Give the card's PIN with --pin-file, ENCLAVE_PIN, or at the prompt.");
  const result = await services.call('identity', 'login', { pin });
  if (result.outcome === 'refused') throw refusal(result.message);
  return pin;
}
