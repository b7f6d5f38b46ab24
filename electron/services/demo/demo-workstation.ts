import { randomInt } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { ServicePaths } from '../context';
import { ServiceError } from '../service-error';
import { prepareDataDir } from '../system/data-dir';
import { demoRefusal } from './demo-gate';
import {
  demoCaFrom,
  exportDemoKey,
  generateDemoKey,
  importDemoKey,
  issueDemoCa,
  issueDemoCard,
  issueDemoCrl,
  toPem,
} from './demo-pki';
import { demoPathsFor, readDemoFile, softhsmConfOf, writeDemoFile, type DemoCard } from './demo-paths';
import { createDemoStore, DEMO_SITE, refreshDemoCrl } from './demo-store';
import { writeDemoTokens, type DemoToken } from './demo-tokens';
import { findSofthsmModule, SOFTHSM_MISSING, writeSofthsmConfig } from './softhsm';

/**
 * Makes (or opens again) the demonstration workstation beside the real data directory: a demo CA,
 * two SoftHSM2 tokens as the administrator's and the analyst's cards, a store with both enrolled and
 * the example models in the analyst's library. Runs in the host's main thread, which owns the process
 * environment SoftHSM reads (SOFTHSM2_CONF); the host then starts the services on the returned paths.
 */
export interface DemoWorkstation {
  paths: ServicePaths;
  cards: DemoCard[];
  /** true: made now; false: the one made before, with a fresh CRL. */
  made: boolean;
}

const HOLDERS = [
  { role: 'admin', label: 'Demo administrator', commonName: 'DEMO.ADMINISTRATOR.A.1000000001', edipi: '1000000001' },
  { role: 'analyst', label: 'Demo analyst', commonName: 'DEMO.ANALYST.A.1000000002', edipi: '1000000002' },
] as const;

/** Eight random digits: each demo card its own, new for each demonstration workstation. */
const randomPin = () => String(randomInt(10_000_000, 100_000_000));

const derOfPem = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

/** SoftHSM reads SOFTHSM2_CONF with getenv at C_Initialize: only a main thread's assignment reaches it. */
function useSofthsmConf(conf: string): void {
  if (!isMainThread) throw new Error('The demonstration workstation is made from the process main thread.');
  process.env.SOFTHSM2_CONF = conf;
}

export async function openDemoWorkstation(real: ServicePaths): Promise<DemoWorkstation> {
  const refusal = demoRefusal(real, existsSync(join(real.dataDir, 'enclave.db')));
  if (refusal) throw new ServiceError('FAILED_PRECONDITION', refusal);
  const paths = demoPathsFor(real);
  const existing = readDemoFile(paths.dataDir);
  if (existing && existsSync(join(paths.dataDir, 'enclave.db'))) {
    useSofthsmConf(softhsmConfOf(paths.dataDir));
    const ca = await demoCaFrom(
      derOfPem(existing.ca.certificate),
      await importDemoKey(Buffer.from(existing.ca.key, 'base64')),
    );
    await refreshDemoCrl(paths, existing.recoverySecret, await issueDemoCrl(ca));
    return { paths, cards: existing.cards, made: false };
  }
  // Nothing, or a demo left half-made: made again from nothing.
  rmSync(paths.dataDir, { recursive: true, force: true });
  const previousConf = process.env.SOFTHSM2_CONF;
  try {
    return { paths, cards: await makeDemo(paths), made: true };
  } catch (error) {
    rmSync(paths.dataDir, { recursive: true, force: true });
    if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previousConf;
    throw error;
  }
}

async function makeDemo(paths: ServicePaths): Promise<DemoCard[]> {
  const modulePath = findSofthsmModule();
  if (!modulePath) throw new ServiceError('FAILED_PRECONDITION', SOFTHSM_MISSING);
  prepareDataDir(paths.dataDir);
  useSofthsmConf(writeSofthsmConfig(paths.dataDir));
  writeFileSync(paths.siteConfigPath, `${JSON.stringify({ ...DEMO_SITE, pkcs11Modules: [modulePath] }, null, 2)}\n`, {
    mode: 0o600,
  });

  // RSA generation dominates: every key at once, on the libuv pool.
  const [caKey, ...cardKeys] = await Promise.all(Array.from({ length: 1 + 2 * HOLDERS.length }, generateDemoKey));
  const ca = await issueDemoCa(caKey!);
  const issued = await Promise.all(
    HOLDERS.map((holder, i) =>
      issueDemoCard(ca, holder, { authentication: cardKeys[2 * i]!, keyManagement: cardKeys[2 * i + 1]! }),
    ),
  );
  const crl = await issueDemoCrl(ca);
  const tokens: DemoToken[] = HOLDERS.map((holder, i) => ({
    label: holder.label,
    pin: randomPin(),
    soPin: randomPin(),
    authentication: issued[i]!.authentication,
    keyManagement: issued[i]!.keyManagement,
  }));
  const serials = await writeDemoTokens(modulePath, tokens);
  const cards: DemoCard[] = HOLDERS.map((holder, i) => ({
    role: holder.role,
    holder: holder.commonName,
    label: holder.label,
    serialNumber: serials[i] ?? '',
    pin: tokens[i]!.pin,
  }));
  const recoverySecret = await createDemoStore(paths, { ca: ca.der, crl }, cards);
  writeDemoFile(paths.dataDir, {
    kind: 'enclave-demo-workstation/1',
    createdAt: new Date().toISOString(),
    modulePath,
    recoverySecret,
    cards,
    ca: { certificate: toPem(ca.der, 'CERTIFICATE'), key: (await exportDemoKey(caKey!)).toString('base64') },
  });
  return cards;
}
