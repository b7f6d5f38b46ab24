import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SoftHSM2, the software token that stands in for the demo's cards. Its module is a PKCS#11 library
 * like a card's middleware, so the demo signs in through the same code as a real card.
 */
export const SOFTHSM_MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so', // Debian, Ubuntu
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so', // Fedora, RHEL
  '/usr/local/lib/softhsm/libsofthsm2.so', // built from source
];

/** Said on the first screen when SoftHSM2 is not there: what to install, in plain words. */
export const SOFTHSM_MISSING =
  'The demonstration needs SoftHSM2, the software token that stands in for the smart cards, and it is not installed. ' +
  'On Debian or Ubuntu: sudo apt-get install softhsm2 (Fedora: sudo dnf install softhsm). Then start Enclave again.';

/**
 * The module's path, or null when SoftHSM2 is not installed. SOFTHSM2_MODULE names it where it is
 * installed elsewhere (then only that path counts).
 */
export function findSofthsmModule(
  candidates: readonly string[] = SOFTHSM_MODULE_CANDIDATES,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const named = env.SOFTHSM2_MODULE ? [env.SOFTHSM2_MODULE] : candidates;
  return named.find((path) => existsSync(path)) ?? null;
}

/**
 * <dir>/softhsm2.conf with its tokens under <dir>/tokens (both the owner's alone). SoftHSM reads the
 * file named by SOFTHSM2_CONF at C_Initialize.
 */
export function writeSofthsmConfig(dir: string): string {
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens, { recursive: true, mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    { mode: 0o600 },
  );
  return conf;
}
