import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { convergenceTraces } from '../../common/engine/cpu/convergence-trace';
import { resultsForSave } from '../../common/engine/saved-run-results';
import { sensitivity } from '../../common/engine/sensitivity';
import { summarize } from '../../common/engine/statistics';
import type { PivFixture, PivVariant } from './fixtures/piv';
import { acknowledgeConsent, handFile, startTestServices, type TestServices } from './services';

/**
 * A workstation for bundle tests, through the real service worker and store: set up with the test
 * PKI's anchors and CRLs, the given cards enrolled, the given site config (its `bundles` section).
 */
export interface BundleWorkstation {
  t: TestServices;
  recoverySecret: string;
  call(channel: string, request?: object): ReturnType<TestServices['dispatch']>;
  value<T>(channel: string, request?: object): Promise<T>;
  signIn(variant: PivVariant): Promise<void>;
  lock(): Promise<void>;
}

export async function bundleWorkstation(
  fixture: PivFixture,
  siteName: string,
  systemHigh: string,
  bundles: object,
  cards: Partial<Record<PivVariant, 'admin' | 'analyst' | 'viewer'>>,
): Promise<BundleWorkstation> {
  const t = await startTestServices({ pkcs11Modules: [fixture.modulePath], bundles });
  const call = (channel: string, request: object = {}) => t.dispatch(`enclave:${channel}`, request);
  const value = async <T>(channel: string, request: object = {}): Promise<T> => {
    const result = await call(channel, request);
    if (!result.ok)
      throw new Error(
        `${channel}: ${result.error.code}: ${result.error.message} ${JSON.stringify(result.error.issues ?? [])}`,
      );
    return result.value as T;
  };
  await acknowledgeConsent(t);
  const { recoverySecret } = await value<{ recoverySecret: string }>('setup.begin', { siteName, systemHigh });
  await value('setup.confirm', { recoverySecret });
  await value('trust.importAnchors', {
    files: [await handFile(t, 'root.cer', fixture.rootCa), await handFile(t, 'int.cer', fixture.intermediateCa)],
  });
  await value('trust.importCrls', {
    files: [await handFile(t, 'root.crl', fixture.rootCrl), await handFile(t, 'int.crl', fixture.crl)],
  });
  for (const [variant, role] of Object.entries(cards))
    await value('identity.enroll', { serialNumber: fixture.users[variant as PivVariant].serialNumber, role });
  await value('setup.finish');
  await value('identity.lock');
  return {
    t,
    recoverySecret,
    call,
    value,
    async signIn(variant) {
      await call('identity.lock');
      const user = fixture.users[variant];
      const outcome = await value<{ outcome: string }>('identity.login', {
        pin: user.pin,
        serialNumber: user.serialNumber,
      });
      expect(outcome).toMatchObject({ outcome: 'unlocked' });
    },
    async lock() {
      await value('identity.lock');
    },
  };
}

export const testModel = (name: string, marking: string, inputMarking = marking) => ({
  format: 'enclave-model/1',
  name,
  marking,
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 }, marking: inputMarking },
    { name: 'materials', dist: { type: 'uniform', min: 50, max: 90 } },
  ],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
});

/** A saved run's results as the run screen keeps them: values drawn here, statistics from the engine's code. */
export function testResults(n: number) {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const labour = Float64Array.from({ length: n }, () => 100 + 10 * (next() + next() + next() - 1.5));
  const materials = Float64Array.from({ length: n }, () => 50 + 40 * next());
  const total = labour.map((v, i) => v + materials[i]!);
  return resultsForSave(
    { outputs: { total: summarize(total) }, sensitivity: { total: sensitivity({ labour, materials }, total) } },
    convergenceTraces({ total: [total] }),
  );
}

export const runRequest = (model: { id: number; version: number }, name: string) => ({
  model,
  name,
  comment: 'baseline',
  seed: 42,
  sampling: 'mc',
  engine: 'cpu',
  engineDescription: 'CPU workers (2)',
  iterations: 1000,
  settings: { autoStop: null, engineChoice: 'auto' },
  results: testResults(1000),
  startedAt: '2026-12-02T10:00:00.000Z',
  finishedAt: '2026-12-02T10:00:05.000Z',
  samples: false,
});

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
