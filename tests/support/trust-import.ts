import type { SessionUser } from '../../electron/services/identity/login-service';
import { importAnchors, importCrls } from '../../electron/services/trust/trust-admin';
import type { Store } from '../../electron/services/vault/store';
import type { PivFixture } from './fixtures/piv';

/** The recovery-secret administrator of first-run setup, who imports the first trust material. */
export const RECOVERY_ADMIN: SessionUser = {
  id: null,
  displayName: 'Recovery secret',
  role: 'admin',
  actor: 'recovery',
};

const file = (name: string, der: Buffer) => ({ name, base64: der.toString('base64') });

/** The test PKI's root and intermediate and their current CRLs, through the admin import (trust.importAnchors/importCrls). */
export async function importTestPki(store: Store, fixture: PivFixture): Promise<void> {
  importAnchors(store, RECOVERY_ADMIN, [
    file('root.cer', fixture.rootCa),
    file('intermediate.cer', fixture.intermediateCa),
  ]);
  await importCrls(store, RECOVERY_ADMIN, [file('intermediate.crl', fixture.crl), file('root.crl', fixture.rootCrl)]);
}
