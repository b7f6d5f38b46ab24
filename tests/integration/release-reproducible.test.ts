import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  });
});
