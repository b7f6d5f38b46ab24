import { importAnchors, importCrls } from '../../electron/services/trust/trust-admin';
import type { StoreFile } from '../../electron/services/vault/store-file';
import { workspaceOf, type SessionUser } from '../../electron/services/vault/vault-service';
import type { PivFixture } from './fixtures/piv';

/** The recovery-secret administrator of first-run setup, who imports the first trust material. */
export const RECOVERY_ADMIN: SessionUser = {
  id: null,
  displayName: 'Recovery secret',
  role: 'admin',
  actor: 'recovery',
};

const file = (name: string, der: Buffer) => ({ name, bytes: der });

/** The test PKI's root and intermediate and their current CRLs, through the admin import (trust.importAnchors/importCrls). */
export async function importTestPki(store: StoreFile, fixture: PivFixture): Promise<void> {
  const workspace = workspaceOf(store, RECOVERY_ADMIN);
  importAnchors(workspace, [file('root.cer', fixture.rootCa), file('intermediate.cer', fixture.intermediateCa)]);
  await importCrls(workspace, [file('intermediate.crl', fixture.crl), file('root.crl', fixture.rootCrl)]);
}
