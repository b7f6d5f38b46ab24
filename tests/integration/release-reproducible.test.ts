import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Reproducible releases (issue 19): the same commit, built twice from scratch in two different
 * folders with the same SOURCE_DATE_EPOCH, gives byte-identical app.asar, SBOM and checksums.
 * Each build is a whole `npm run release` (renderer, Node bundles, payload, SBOM, kit, tar).
 */
const root = process.cwd();
const EPOCH = '1764806400';
let work: string;
const kits: string[] = [];

/** A clone of this repository at HEAD, with the working tree's uncommitted files laid over it. */
function checkout(dir: string): void {
  execFileSync('git', ['clone', '-q', '--shared', root, dir]);
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  execFileSync('cp', ['-al', join(root, 'node_modules'), join(dir, 'node_modules')]);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'enclave-repro-'));
  for (const name of ['first', 'second-build']) {
    const dir = join(work, name);
    checkout(dir);
    execFileSync(process.execPath, ['scripts/release.mjs', '--out', 'out'], {
      cwd: dir,
      env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
      stdio: 'pipe',
      timeout: 600_000,
    });
    kits.push(join(dir, 'out'));
  }
}, 1_200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('two release builds of one commit', () => {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
  const same = (path: string) => {
    const [a, b] = kits.map((kit) => readFileSync(join(kit, path)));
    expect(a!.length, path).toBeGreaterThan(0);
    expect(a!.equals(b!), `${path} differs between the two builds`).toBe(true);
  };

  it('give the same app.asar and unpacked natives', () => {
    same(`${version}/app/app.asar`);
    const sums = readFileSync(join(kits[0]!, version, 'SHA256SUMS'), 'utf8');
    for (const line of sums.split('\n').filter((l) => l.includes('.node'))) same(`${version}/${line.slice(66)}`);
  });

  it('give the same SBOM and licence file', () => {
    same(`${version}/sbom.cdx.json`);
    same(`${version}/THIRD-PARTY-LICENSES.txt`);
  });

  it('give the same checksums, manifest and kit tar', () => {
    same(`${version}/SHA256SUMS`);
    same(`${version}/SHA384SUMS`);
    same(`${version}/release.json`);
    same(`enclave-${version}.tar`);
    const manifest = JSON.parse(readFileSync(join(kits[0]!, version, 'release.json'), 'utf8')) as {
      sourceDateEpoch: number;
    };
    expect(manifest.sourceDateEpoch).toBe(Number(EPOCH));
    expect(manifest).toMatchObject({ build: 'npm run build' });
  });
});

describe('the release build, from a clone', () => {
  it('keeps the token PIN out of the build: only the signing step may see ENCLAVE_PIN', () => {
    const clone = join(work, 'first');
    const shims = join(work, 'env-dump');
    mkdirSync(shims);
    const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    writeFileSync(join(shims, 'npm'), `#!/bin/sh\nenv > "${join(shims, 'build.env')}"\nexec "${npm}" "$@"\n`, {
      mode: 0o755,
    });
    execFileSync(process.execPath, ['scripts/release.mjs', '--out', 'out-pin'], {
      cwd: clone,
      env: {
        ...process.env,
        SOURCE_DATE_EPOCH: EPOCH,
        ENCLAVE_PIN: '918273',
        PATH: `${shims}:${process.env.PATH ?? ''}`,
      },
      stdio: 'pipe',
      timeout: 600_000,
    });
    const seen = readFileSync(join(shims, 'build.env'), 'utf8');
    expect(seen).toContain('NODE_ENV=production');
    expect(seen).not.toContain('918273');
    expect(seen).not.toMatch(/^ENCLAVE_PIN=/m);
  });

  it('refuses a file under resources/ that git does not track, building nothing', () => {
    const clone = join(work, 'first');
    writeFileSync(join(clone, 'resources', 'stray.json'), '{}');
    try {
      execFileSync(process.execPath, ['scripts/release.mjs', '--no-build', '--out', 'out-stray'], {
        cwd: clone,
        stdio: 'pipe',
        encoding: 'utf8',
      });
      expect.unreachable('the release should have been refused');
    } catch (error) {
      expect(String((error as { stderr?: string }).stderr)).toContain(
        'resources/stray.json is not tracked by git: a release ships only committed resources',
      );
    }
    expect(existsSync(join(clone, 'out-stray'))).toBe(false);
  });
});
