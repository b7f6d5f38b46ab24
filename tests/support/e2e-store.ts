import { join } from 'node:path';
import { Store } from '../../electron/services/store/store';
import { FAST_SCRYPT } from './store';

// Used by tests/e2e/support/host.ts at run time (a dynamic import), so that the e2e project's type
// check (DOM lib) does not reach into the services; tsconfig.node.json checks this file.

/**
 * A data directory as first-run setup leaves it, without cards: an encrypted store (its recovery
 * slot on FAST_SCRYPT, so a recovery-secret sign-in through the UI costs milliseconds) and setup
 * recorded as finished. Specs that test something other than sign-in sign in with the secret.
 */
export function createSetUpStore(dataDir: string): { recoverySecret: string } {
  const { store, recoverySecret } = Store.create(join(dataDir, 'enclave.db'), { actor: 'e2e-setup', scrypt: FAST_SCRYPT });
  try {
    store.db.prepare("INSERT INTO settings (key, value) VALUES ('setup.completedAt', ?)").run(new Date().toISOString());
  } finally {
    store.close();
  }
  return { recoverySecret };
}
