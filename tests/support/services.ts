import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDispatcher } from '../../electron/worker/dispatch';
import { ServiceHost } from '../../electron/worker/service-host';

export const repoRoot = resolve(__dirname, '..', '..');
export const workerBundle = join(repoRoot, 'dist', 'node', 'service-worker.cjs');

export interface TestServices {
  dataDir: string;
  services: ServiceHost;
  dispatch: ReturnType<typeof createDispatcher>;
  logs: string[];
  close(): Promise<void>;
}

/** The real service worker over a fresh data directory, optionally with a site config override. */
export async function startTestServices(
  siteConfig?: object,
  options: { installRoot?: string } = {},
): Promise<TestServices> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-test-'));
  const siteConfigPath = join(dataDir, 'site-config.json');
  if (siteConfig) writeFileSync(siteConfigPath, JSON.stringify(siteConfig));
  const logs: string[] = [];
  const services = new ServiceHost({
    workerPath: workerBundle,
    paths: { dataDir, resourcesDir: join(repoRoot, 'resources'), siteConfigPath, ...options },
    log: (line) => logs.push(line),
  });
  await services.start();
  return {
    dataDir,
    services,
    dispatch: createDispatcher(services, (line) => logs.push(line)),
    logs,
    async close() {
      await services.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Acknowledges the notice and consent banner, as the renderer does, so consent-gated channels answer. */
export async function acknowledgeConsent(t: TestServices): Promise<void> {
  const info = await t.dispatch('enclave:system.info', {});
  if (!info.ok) throw new Error(`system.info failed: ${info.error.message}`);
  const consentId = (info.value as { consent: { id: string } }).consent.id;
  const ack = await t.dispatch('enclave:system.acknowledgeConsent', { consentId });
  if (!ack.ok) throw new Error(`acknowledgeConsent failed: ${ack.error.message}`);
}

/**
 * Hands a file to the services the way a host does (Electron's dialog, the browser host's upload):
 * written to a file of the test's, registered with the service host, named by the handle returned.
 */
export async function handFile(t: TestServices, name: string, bytes: Buffer | string): Promise<string> {
  const dir = join(t.dataDir, 'handed');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, randomBytes(8).toString('hex'));
  const content = Buffer.from(bytes);
  writeFileSync(path, content, { mode: 0o600 });
  return (await t.services.registerFile({ path, name, size: content.length, temporary: true })).handle;
}

/**
 * First-run setup through the services, as the wizard drives it: the store is created (full scrypt
 * cost) and the session is signed in with the recovery secret, which is returned.
 */
export async function setUpStore(t: TestServices, siteName = 'Field Site 7'): Promise<string> {
  const begun = await t.dispatch('enclave:setup.begin', { siteName, systemHigh: 'SECRET' });
  if (!begun.ok) throw new Error(`setup.begin failed: ${begun.error.message}`);
  const secret = (begun.value as { recoverySecret: string }).recoverySecret;
  const confirmed = await t.dispatch('enclave:setup.confirm', { recoverySecret: secret });
  if (!confirmed.ok) throw new Error(`setup.confirm failed: ${confirmed.error.message}`);
  return secret;
}
