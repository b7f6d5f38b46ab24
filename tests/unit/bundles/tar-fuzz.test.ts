import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEnclaveProfile } from '../../../electron/services/bundles/bagit';
import { extractBundleTar, TarError } from '../../../electron/services/bundles/tar';
import { makeEnclaveBag, tempDir } from '../../support/bag-fixture';
import { entriesFromBag, mutateBundleTar, mutateBagDirectory } from '../../support/bag-mutations';

/**
 * ~1,000 seeded mutations of one valid bundle tar through extractBundleTar and the Enclave profile:
 * no crash (every outcome is a TarError with a code, or a bag report whose every problem has a
 * code), nothing left in the destination's folder after a refusal. The seed is printed: rerun one
 * case with FUZZ_SEED=<seed> FUZZ_RUNS=1.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const work = tempDir('tar-fuzz');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tar and bag fuzz', () => {
  it(`${RUNS} seeded tar mutations: no crash, a coded refusal or a valid bag, nothing left behind`, async () => {
    const bag = await makeEnclaveBag(join(work, 'bag'));
    const base = entriesFromBag(bag);
    const outcomes = new Map<string, number>();
    const byMutation = new Map<string, Set<string>>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const landing = join(work, 'landing');
    for (let i = 0; i < RUNS; i++) {
      const seed = SEED + i;
      const { mutation, tar } = mutateBundleTar(base, seed, { manyEntries: 300 });
      const tarFile = join(work, 'bundle.tar');
      writeFileSync(tarFile, tar);
      rmSync(landing, { recursive: true, force: true });
      const dest = join(landing, 'bundle');
      (await import('node:fs')).mkdirSync(landing);
      let outcome: string;
      try {
        await extractBundleTar([tarFile], dest, { maxEntries: 100 });
        const report = await checkEnclaveProfile(dest);
        for (const problem of report.problems) expect(problem.code, `seed ${seed} (${mutation})`).toMatch(/^[A-Z_]+$/);
        outcome = report.valid ? 'valid' : `bag:${report.problems[0]?.code}`;
      } catch (error) {
        if (!(error instanceof TarError))
          throw new Error(`seed ${seed} (${mutation}) crashed: ${(error as Error).stack}`, { cause: error });
        expect(error.code).toMatch(/^TAR_[A-Z_]+$/);
        // A refusal leaves the landing folder exactly as it was: empty.
        expect(readdirSync(landing), `seed ${seed} (${mutation}) left files behind`).toEqual([]);
        outcome = error.code;
      }
      count(outcome);
      byMutation.set(mutation, (byMutation.get(mutation) ?? new Set()).add(outcome));
    }
    const summary = [...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}=${n}`)
      .join(' ');
    console.log(`tar fuzz: seed ${SEED}, ${RUNS} runs, ${byMutation.size} mutations: ${summary}`);
    // Only mutations that leave the bundle intact in substance may come out valid.
    for (const [mutation, results] of byMutation)
      if (!['zero-padding', 'bit-flip', 'truncate', 'header-garbage'].includes(mutation))
        expect([...results], mutation).not.toContain('valid');
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
  }, 600_000);

  it('200 seeded directory mutations of a bag: each refused by the profile with a code', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const dir = await makeEnclaveBag(join(work, `dir-${i}`));
      const mutation = await mutateBagDirectory(dir, SEED + i);
      const report = await checkEnclaveProfile(dir);
      expect(report.valid, `seed ${SEED + i} (${mutation})`).toBe(false);
      const code = report.problems[0]?.code ?? 'none';
      counts.set(code, (counts.get(code) ?? 0) + 1);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`bag directory fuzz: seed ${SEED}, 200 runs: ${[...counts].map(([k, n]) => `${k}=${n}`).join(' ')}`);
  }, 600_000);
});
