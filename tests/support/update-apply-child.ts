import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { extractBundleTar } from '../../electron/services/bundles/tar';
import { loadSiteConfig } from '../../electron/services/system/site-config';
import { applyUpdatePlan, planUpdate } from '../../electron/services/updates/update-apply';
import { verifyUpdateBundle } from '../../electron/services/updates/verify-bundle';
import { workspaceOf } from '../../electron/services/vault/vault-service';
import { StoreFile } from '../../electron/services/vault/store-file';

// Child process for the update crash test: verifies and plans an update bundle against a store,
// says "planned" on stdout, then applies it (the transaction the parent kills at random) and says
// "applied". The same functions as the update service, without the worker around them.
async function main() {
  const [storePath, tarPath, resourcesDir, userId] = process.argv.slice(2) as [string, string, string, string];
  const store = StoreFile.open(storePath, { recoverySecret: process.env.ENCLAVE_TEST_SECRET! });
  const workspace = workspaceOf(store, {
    id: Number(userId),
    displayName: 'Ada Admin',
    role: 'admin',
    actor: `user:${userId}`,
  });
  const siteConfigPath = join(storePath, '..', 'site-config.json');
  const site = loadSiteConfig({ resourcesDir, overridePath: siteConfigPath }).config;
  const media = join(storePath, '..', 'media');
  await extractBundleTar([tarPath], media);
  const now = new Date();
  const bundle = await verifyUpdateBundle(store.db, media, now);
  const plan = await planUpdate(workspace, bundle, site, { resourcesDir, siteConfigPath }, now, '0'.repeat(64));
  writeSync(1, 'planned\n');
  const started = performance.now();
  await applyUpdatePlan(workspace, plan, site, { confirmLockout: false, now });
  writeSync(1, `applied ${Math.round(performance.now() - started)}\n`);
}

main().catch((error: Error) => {
  writeSync(2, `${error.message}\n`);
  process.exit(3);
});
