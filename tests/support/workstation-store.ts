import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IdentitySettingsSchema } from '../../common/site/site-config';
import { enrollCard } from '../../electron/services/identity/login-enroll';
import { LoginService } from '../../electron/services/identity/login-service';
import { StoreFile } from '../../electron/services/vault/store-file';
import { VaultService } from '../../electron/services/vault/vault-service';
import { defaultLoginConfig } from './login-config';
import { FAST_SCRYPT } from './store';
import { importTestPki } from './trust-import';
import type { EnrolledStoreOptions, WorkstationStoreBuilders } from './workstation-store-loader';

// The encrypted stores the workstations of the end-to-end tests start from (./host-process.ts,
// ./card-workstation.ts, ./opensc-workstation.ts). Loaded at run time through
// ./workstation-store-loader.ts, so that the e2e project's type check (DOM lib) does not reach into
// the services; tsconfig.node.json checks this file.

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

/** Polls (the module is synchronous) until the module shows one card; returns its serial number. */
async function presentSerial(service: LoginService, timeoutMs = 5_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = service.readers.status();
    if (status.state === 'card-present' && status.cards.length === 1) return status.cards[0]!.serialNumber;
    if (status.state === 'no-module' || performance.now() > deadline)
      throw new Error(`the module shows no card in the reader: ${JSON.stringify(status)}`);
    await sleep(50);
  }
}

/**
 * A store as an administrator leaves it: the test PKI imported, setup finished (unless
 * `setupComplete: false`), and the card `serialNumber` (default: the one card in the reader)
 * enrolled with `role` by an administrator signed in with the recovery secret, through the module at `modulePath`.
 */
export async function createEnrolledStore(
  options: EnrolledStoreOptions,
): Promise<{ recoverySecret: string; serialNumber: string }> {
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
    config: defaultLoginConfig([options.modulePath]),
  });
  try {
    const serialNumber = options.serialNumber ?? (await presentSerial(service));
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

/** Checked here against the interface the loader declares. */
export const workstationStoreBuilders: WorkstationStoreBuilders = { createSetUpStore, createEnrolledStore };
