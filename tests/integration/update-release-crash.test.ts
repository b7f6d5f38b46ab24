import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyAppRelease,
  readCurrent,
  readPrevious,
  recoverInterruptedRelease,
  rollbackRelease,
  type ReleaseStep,
} from '../../electron/services/updates/release';
import { checkReleaseKit } from '../../electron/services/updates/release/release-sums';
import { kitTar, releaseTarget, sampleKit } from '../support/release-kit';
import { repoRoot } from '../support/services';

/** SIGKILL mid-stage and mid-switch: `current` is always a complete old or new version, and a retry succeeds. */
const RANDOM_KILLS = 12;
const work = mkdtempSync(join(tmpdir(), 'enclave-release-crash-'));
const newTar = join(work, 'enclave-0.2.0.tar');
let child: string;
let n = 0;

beforeAll(async () => {
  child = join(work, 'release-crash-child.cjs');
  await build({
    entryPoints: [join(repoRoot, 'tests', 'support', 'release-crash-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3-multiple-ciphers'],
    define: { __ENCLAVE_VERSION__: '"test"', 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    nodePaths: [join(repoRoot, 'node_modules')],
    logLevel: 'warning',
  });
  // Large enough (150 files, ~1 MiB) that a random kill lands inside extraction, checking and syncing.
  writeFileSync(newTar, kitTar(sampleKit('0.2.0', 150, 8 * 1024)));
});
const roots: string[] = [];
// Each case's install is removed as it ends: thousands of small files are slow to delete at once.
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }), 60_000);

/** An install running 0.1.0, with 0.0.9 as previous: the switch to 0.2.0 then also deletes 0.0.9. */
async function installed(): Promise<string> {
  const root = mkdtempSync(join(work, `root-${++n}-`));
  roots.push(root);
  for (const v of ['0.0.9', '0.1.0']) await applyAppRelease(root, releaseTarget(v, kitTar(sampleKit(v, 4))));
  return root;
}

interface ChildRun {
  steps: ReleaseStep[];
  killed: boolean;
  /** From 'ready' to exit, when it ran to the end. */
  ms: number;
  stderr: string;
}

/** Runs the child; kills it with SIGKILL when it reaches `stopAt`, or `delayMs` after it is ready. */
function runChild(
  root: string,
  kill: { stopAt?: ReleaseStep; delayMs?: number } = {},
  mode = 'apply',
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, mode, root, newTar, '0.2.0', kill.stopAt ?? 'none'], {
      env: { ...process.env, NODE_PATH: join(repoRoot, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let started = 0;
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!started && out.startsWith('ready')) {
        started = Date.now();
        if (kill.delayMs !== undefined) setTimeout(() => proc.kill('SIGKILL'), kill.delayMs).unref();
      }
      if (kill.stopAt && out.includes(`step ${kill.stopAt}\n`)) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === null && code !== 0) return reject(new Error(`the child failed: ${stderr}`));
      resolve({
        steps: [...out.matchAll(/^step (\S+)$/gm)].map((m) => m[1] as ReleaseStep),
        killed: signal === 'SIGKILL',
        ms: Date.now() - started,
        stderr,
      });
    });
  });
}

const RECOVERY_LINES = [
  /^an app update to 0\.2\.0 was interrupted while staging; its partial files were removed; 0\.1\.0 is still the running version$/,
  /^an app update switch to 0\.2\.0 was interrupted before the pointer moved; its unused link was removed; 0\.1\.0 is still the running version$/,
  /^an app update switch to 0\.1\.0 was interrupted before the pointer moved; its unused link was removed; 0\.2\.0 is still the running version$/,
  /^deleting the old app version 0\.0\.9 was interrupted; its remaining files were removed$/,
  /^recording the version to roll back to was interrupted; the unfinished record was removed$/,
  /^an app update to 0\.2\.0 was interrupted after staging: versions\/0\.2\.0 is complete but was not switched to; its staging folder was removed; 0\.1\.0 is still the running version$/,
  /^the rollback record names the running version 0\.[12]\.0 \(a switch or rollback was interrupted next to the pointer change\); it was cleared: there is nothing to roll back to$/,
];

/** `current` names a complete version (its files check out against its SHA256SUMS) and which one it is. */
function completeCurrent(root: string): string {
  const current = readCurrent(root);
  expect(current?.present, 'current points at a present folder').toBe(true);
  const version = current!.version;
  expect(['0.1.0', '0.2.0']).toContain(version);
  expect(() => checkReleaseKit(join(root, 'current'))).not.toThrow();
  expect(readFileSync(join(root, 'current', 'VERSION'), 'utf8')).toBe(`${version}\n`);
  return version;
}

/** After a kill: the invariant, then recovery (returns its lines), then nothing of the apply is left. */
function checkAfterKill(root: string, run: ChildRun): { version: string; cleaned: string[] } {
  const version = completeCurrent(root);
  if (run.steps.includes('switch:pointer-moved')) expect(version).toBe('0.2.0');
  if (!run.steps.includes('switch:pointer-made')) expect(version).toBe('0.1.0');
  const report = recoverInterruptedRelease(root);
  expect(report.problems).toEqual([]);
  for (const line of report.cleaned)
    expect(
      RECOVERY_LINES.some((re) => re.test(line)),
      line,
    ).toBe(true);
  expect(readdirSync(root).filter((name) => !['current', 'previous', 'versions'].includes(name))).toEqual([]);
  expect(readdirSync(join(root, 'versions')).filter((name) => name.startsWith('.'))).toEqual([]);
  expect(completeCurrent(root)).toBe(version);
  return { version, cleaned: report.cleaned };
}

/** A retry moves to 0.2.0 (or is refused as already installed), and rollback returns to 0.1.0. */
async function retrySucceeds(root: string, version: string): Promise<void> {
  if (version === '0.1.0') {
    const again = await runChild(root);
    expect(again.killed).toBe(false);
  } else
    await expect(applyAppRelease(root, releaseTarget('0.2.0', readFileSync(newTar)))).rejects.toThrow(
      /is the version already installed/,
    );
  expect(completeCurrent(root)).toBe('0.2.0');
  expect(readPrevious(root)).toBe('0.1.0');
  expect(rollbackRelease(root).to).toBe('0.1.0');
  expect(completeCurrent(root)).toBe('0.1.0');
}

const APPLY_STEPS: ReleaseStep[] = [
  'stage:folder-made',
  'stage:tar-written',
  'stage:extracted',
  'stage:checked',
  'stage:synced',
  'stage:renamed',
  'switch:previous-recorded',
  'switch:pointer-made',
  'switch:pointer-moved',
  'switch:old-moved-aside',
  'switch:old-removed',
];

/** What recovery must say after a kill at each step (a subset of RECOVERY_LINES, by index). */
const EXPECTED_AT: Partial<Record<ReleaseStep, number[]>> = {
  'stage:folder-made': [0],
  'stage:tar-written': [0],
  'stage:extracted': [0],
  'stage:checked': [0],
  'stage:synced': [0],
  'stage:renamed': [5],
  'switch:previous-recorded': [6],
  'switch:pointer-made': [1, 6],
  'switch:pointer-moved': [],
  'switch:old-moved-aside': [3],
  'switch:old-removed': [],
};

describe('app release crash safety', () => {
  it.each(APPLY_STEPS)(
    'SIGKILL at %s: current is complete, recovery reports and cleans, a retry succeeds',
    async (stopAt) => {
      const root = await installed();
      const run = await runChild(root, { stopAt });
      expect(run.killed).toBe(true);
      expect(run.steps[run.steps.length - 1]).toBe(stopAt);
      const { version, cleaned } = checkAfterKill(root, run);
      expect(cleaned.map((line) => RECOVERY_LINES.findIndex((re) => re.test(line)))).toEqual(EXPECTED_AT[stopAt]);
      await retrySucceeds(root, version);
    },
  );

  it('SIGKILL after moving a complete earlier copy aside (a retry of a staged-only apply): recovery cleans, a retry succeeds', async () => {
    const root = await installed();
    expect((await runChild(root, { stopAt: 'stage:renamed' })).killed).toBe(true);
    expect(checkAfterKill(root, { steps: [], killed: true, ms: 0, stderr: '' }).cleaned).toEqual([
      'an app update to 0.2.0 was interrupted after staging: versions/0.2.0 is complete but was not switched to; its staging folder was removed; 0.1.0 is still the running version',
    ]);
    const run = await runChild(root, { stopAt: 'stage:old-moved-aside' });
    expect(run.steps).toContain('stage:old-moved-aside');
    expect(readdirSync(join(root, 'versions'))).not.toContain('0.2.0'); // only inside the staging folder now
    expect(checkAfterKill(root, run).cleaned).toEqual([
      'an app update to 0.2.0 was interrupted while staging; its partial files were removed; 0.1.0 is still the running version',
    ]);
    await retrySucceeds(root, '0.1.0');
  });

  it.each(['rollback:pointer-made', 'rollback:pointer-moved'] as ReleaseStep[])(
    'SIGKILL during a rollback at %s: current is 0.2.0 or 0.1.0, complete, and recovery cleans',
    async (stopAt) => {
      const root = await installed();
      expect((await runChild(root)).killed).toBe(false);
      const run = await runChild(root, { stopAt }, 'rollback');
      expect(run.killed).toBe(true);
      const version = completeCurrent(root);
      expect(version).toBe(stopAt === 'rollback:pointer-made' ? '0.2.0' : '0.1.0');
      const report = recoverInterruptedRelease(root);
      expect(report.problems).toEqual([]);
      expect(report.cleaned).toEqual([
        stopAt === 'rollback:pointer-made'
          ? 'an app update switch to 0.1.0 was interrupted before the pointer moved; its unused link was removed; 0.2.0 is still the running version'
          : 'the rollback record names the running version 0.1.0 (a switch or rollback was interrupted next to the pointer change); it was cleared: there is nothing to roll back to',
      ]);
      if (version === '0.2.0') expect(rollbackRelease(root).to).toBe('0.1.0');
      expect(completeCurrent(root)).toBe('0.1.0');
    },
  );

  it(`survives ${RANDOM_KILLS} SIGKILLs at random moments of an apply`, async () => {
    const timing = await installed();
    const full = await runChild(timing);
    expect(full.killed).toBe(false);
    const seen = new Set<string>();
    for (let i = 0; i < RANDOM_KILLS; i++) {
      const root = await installed();
      const run = await runChild(root, { delayMs: Math.floor(Math.random() * full.ms * 1.1) });
      const { version } = checkAfterKill(root, run);
      seen.add(run.killed ? (run.steps[run.steps.length - 1] ?? 'before any step') : 'finished');
      await retrySucceeds(root, version);
      rmSync(root, { recursive: true, force: true });
    }
    expect(seen.size, `kills landed after: ${[...seen].join(', ')}`).toBeGreaterThan(1);
  }, 240_000);
});
