import { join } from 'node:path';
import { IdentitySettingsSchema, SessionSettingsSchema } from '../../common/site/site-config';
import { enrollCard } from '../../electron/services/identity/login-enroll';
import { LoginService } from '../../electron/services/identity/login-service';
import { StoreFile } from '../../electron/services/vault/store-file';
import { VaultService } from '../../electron/services/vault/vault-service';
import type { PivFixture } from '../fixtures/piv';
import { FAST_SCRYPT } from './store';
import { importTestPki } from './trust-import';

// The stores the end-to-end tests start from. Used by tests/e2e/support at run time (a dynamic
// import) and by the card workstations here, so that the e2e project's type check (DOM lib) does
// not reach into the services; tsconfig.node.json checks this file.

/** What setup.finish records (electron/services/setup/setup-service.ts): without it an administrator's sign-in resumes the wizard. */
function markSetupFinished(store: StoreFile): void {
  store.db.prepare("INSERT INTO settings (key, value) VALUES ('setup.completedAt', ?)").run(new Date().toISOString());
}

/**
 * A data directory as first-run setup leaves it, without cards: an encrypted store (its recovery
 * slot on FAST_SCRYPT, so a recovery-secret sign-in through the UI costs milliseconds) and setup
 * recorded as finished. Specs that test something other than sign-in sign in with the secret.
 */
export function createSetUpStore(dataDir: string): { recoverySecret: string } {
  const { store, recoverySecret } = StoreFile.create(join(dataDir, 'enclave.db'), {
    actor: 'e2e-setup',
    scrypt: FAST_SCRYPT,
  });
  try {
    markSetupFinished(store);
  } finally {
    store.close();
  }
  return { recoverySecret };
}

/**
 * A store as an administrator leaves it: the test PKI imported, setup finished (unless
 * `setupComplete: false`), and the card in the reader enrolled with `role` from a recovery-secret
 * session through the module at `modulePath` (whose environment must already be set).
 * `serialOf` picks the card once the module is loaded.
 */
export async function createEnrolledStore(options: {
  dataDir: string;
  fixture: PivFixture;
  modulePath: string;
  role: 'admin' | 'analyst' | 'viewer';
  setupComplete?: boolean;
  serialOf: (service: LoginService) => string | Promise<string>;
}): Promise<{ recoverySecret: string; serialNumber: string }> {
  const dbPath = join(options.dataDir, 'enclave.db');
  const { store, recoverySecret } = StoreFile.create(dbPath, { actor: 'e2e-admin', scrypt: FAST_SCRYPT });
  try {
    await importTestPki(store, options.fixture);
    if (options.setupComplete !== false) markSetupFinished(store);
  } finally {
    store.close();
  }
  const service = new LoginService({
    vault: new VaultService(dbPath),
    config: () => ({
      pkcs11Modules: [options.modulePath],
      identity: IdentitySettingsSchema.parse({}),
      session: SessionSettingsSchema.parse({}),
    }),
  });
  try {
    const serialNumber = await options.serialOf(service);
    service.unlockWithRecoverySecret(recoverySecret); // also writes the trust copy beside the database
    await enrollCard(
      service.vault.workspace(),
      service.readers,
      { serialNumber, role: options.role },
      IdentitySettingsSchema.parse({}),
    );
    return { recoverySecret, serialNumber };
  } finally {
    service.dispose();
  }
}
