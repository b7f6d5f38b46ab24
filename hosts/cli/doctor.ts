import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { checkPkcs11Module } from '../../native/pkcs11/module-check';
import { checkSqlCipherEngine } from '../../native/sqlite/engine-check';
import { checkDataDirWritable } from '../../electron/services/system/data-dir';
import { loadSiteConfig } from '../../electron/services/system/site-config';
import type { ServicePaths } from '../../electron/services/context';
import { findChromium } from '../chromium';
import { checkWebGpuInChromium } from './webgpu-check';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
}

const requireNative = createRequire(import.meta.url);
const MIN_NODE = [20, 19] as const;

function nodeCheck(): DoctorCheck {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const good = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    name: 'node',
    status: good ? 'ok' : 'fail',
    detail: `Node ${process.versions.node}${good ? '' : `; ${MIN_NODE.join('.')} or later is needed`}`,
  };
}

function pkcs11jsCheck(): DoctorCheck {
  try {
    requireNative('pkcs11js');
    return { name: 'native:pkcs11js', status: 'ok', detail: 'pkcs11js loaded' };
  } catch (error) {
    return { name: 'native:pkcs11js', status: 'fail', detail: `pkcs11js did not load: ${(error as Error).message}` };
  }
}

async function chromiumChecks(): Promise<DoctorCheck[]> {
  const path = findChromium();
  if (!path)
    return [
      { name: 'chromium', status: 'fail', detail: 'not found (apt-get install chromium, or set ENCLAVE_CHROMIUM)' },
    ];
  let version: string;
  try {
    version = execFileSync(path, ['--version'], {
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    return [{ name: 'chromium', status: 'fail', detail: `${path} did not run: ${(error as Error).message}` }];
  }
  const checks: DoctorCheck[] = [{ name: 'chromium', status: 'ok', detail: `${version} (${path})` }];
  try {
    const webgpu = await checkWebGpuInChromium(path);
    checks.push({
      name: 'webgpu',
      status: webgpu.ok ? 'ok' : 'warn',
      detail: webgpu.ok ? webgpu.detail : `${webgpu.detail}; simulations will use CPU workers`,
    });
  } catch (error) {
    checks.push({
      name: 'webgpu',
      status: 'warn',
      detail: `could not start headless Chromium: ${(error as Error).message.split('\n')[0]}`,
    });
  }
  return checks;
}

/** Everything an admin needs to know before the first login, one line each. */
export async function runDoctor(paths: ServicePaths): Promise<DoctorCheck[]> {
  const engine = checkSqlCipherEngine();
  const checks: DoctorCheck[] = [
    nodeCheck(),
    { name: 'native:sqlcipher', status: engine.ok ? 'ok' : 'fail', detail: engine.detail },
    pkcs11jsCheck(),
  ];

  const dataDir = checkDataDirWritable(paths.dataDir);
  checks.push({ name: 'data-directory', status: dataDir.ok ? 'ok' : 'fail', detail: dataDir.detail });

  try {
    const { config } = loadSiteConfig({ resourcesDir: paths.resourcesDir, overridePath: paths.siteConfigPath });
    checks.push({ name: 'site-config', status: 'ok', detail: `${config.siteName}, system high ${config.systemHigh}` });
    if (config.pkcs11Modules.length === 0)
      checks.push({ name: 'pkcs11', status: 'fail', detail: 'no PKCS#11 module is configured (pkcs11Modules)' });
    for (const module of config.pkcs11Modules) {
      const report = checkPkcs11Module(module);
      checks.push({ name: 'pkcs11', status: report.ok ? 'ok' : 'fail', detail: `${module}: ${report.detail}` });
    }
  } catch (error) {
    checks.push({ name: 'site-config', status: 'fail', detail: (error as Error).message });
  }

  checks.push(...(await chromiumChecks()));
  return checks;
}
