import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heldCrls } from '../../electron/db/queries/trust';
import { importAnchors, importCrls } from '../../electron/services/trust/trust-admin';
import { workspaceOf } from '../../electron/services/vault/vault-service';
import { createTempStore, type TempStore } from '../support/store';
import { RECOVERY_ADMIN } from '../support/trust-import';

// The admin's CRL import with partitioned and delta CRLs (PKITS 4.14 and 4.15 files): a delta or one
// distribution point's CRL is kept beside the issuer's complete CRL, never in place of it.

const pkits = (folder: 'certs' | 'crls', name: string) => ({
  name,
  bytes: readFileSync(join(__dirname, '..', 'data', 'pkits', folder, name)),
});

let temp: TempStore;
beforeEach(() => {
  temp = createTempStore();
});
afterEach(() => temp.cleanup());

describe('CRL import by scope', () => {
  it('keeps a delta CRL beside its complete CRL, and each replaces only its own kind', async () => {
    const workspace = workspaceOf(temp.store, RECOVERY_ADMIN);
    importAnchors(workspace, [pkits('certs', 'TrustAnchorRootCertificate.crt'), pkits('certs', 'deltaCRLCA1Cert.crt')]);
    const outcome = await importCrls(
      workspace,
      [pkits('crls', 'deltaCRLCA1CRL.crl'), pkits('crls', 'deltaCRLCA1deltaCRL.crl')],
      new Date('2011-06-01T00:00:00Z'),
    );
    expect(outcome.added).toHaveLength(2);
    expect(outcome.added[1]).toContain('delta CRL');
    expect(heldCrls(temp.store.db)).toHaveLength(2);

    // The same delta again is "already imported"; the complete CRL is untouched.
    const again = await importCrls(workspace, [pkits('crls', 'deltaCRLCA1deltaCRL.crl')]);
    expect(again).toMatchObject({ added: [], unchanged: [{ reason: 'already imported' }] });
    expect(heldCrls(temp.store.db)).toHaveLength(2);
  });

  it('keeps CRLs of different distribution points from one issuer side by side', async () => {
    const workspace = workspaceOf(temp.store, RECOVERY_ADMIN);
    importAnchors(workspace, [
      pkits('certs', 'TrustAnchorRootCertificate.crt'),
      pkits('certs', 'onlySomeReasonsCA1Cert.crt'),
    ]);
    const outcome = await importCrls(workspace, [
      pkits('crls', 'onlySomeReasonsCA1compromiseCRL.crl'),
      pkits('crls', 'onlySomeReasonsCA1otherreasonsCRL.crl'),
    ]);
    expect(outcome.added).toHaveLength(2);
    expect(outcome.added.every((label) => label.includes('one distribution point'))).toBe(true);
  });
});
