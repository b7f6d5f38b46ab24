import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkstation, runRequest, testModel, type BundleWorkstation } from '../support/bundle-workstation';
import { tokenFolder } from '../support/card-workstation';
import { provisionPivFixture, type PivFixture, type PivVariant } from '../support/fixtures/piv';
import { repoRoot } from '../support/services';

// `enclave bundle export|import|quarantine|release|reject` on two data directories set up through the
// services (docs/cli.md, "Bundles"): the analyst exports with her card, the administrator imports,
// reviews and releases with his; each through a reader holding only that card.

let fixture: PivFixture;
let a: BundleWorkstation;
let b: BundleWorkstation;
let root: string;
let run = 0;

/** A SoftHSM2 reader holding one card, as one CAC in one reader. */
function reader(variant: PivVariant): string {
  const dir = join(root, `reader-${variant}`);
  const token = tokenFolder(join(fixture.dir, 'tokens'), fixture.users[variant].tokenLabel);
  mkdirSync(join(dir, 'tokens'), { recursive: true, mode: 0o700 });
  cpSync(token, join(dir, 'tokens', token.split('/').pop()!), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
    { mode: 0o600 },
  );
  return conf;
}

function enclave(dataDir: string, variant: PivVariant, args: string[], pin = fixture.users[variant].pin) {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'node', 'cli.cjs'), '--data-dir', dataDir, ...args, '--card'],
    {
      encoding: 'utf8',
      env: { ...process.env, SOFTHSM2_CONF: reader(variant), ENCLAVE_PIN: pin },
      timeout: 180_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  fixture = await provisionPivFixture();
  root = mkdtempSync(join(tmpdir(), 'enclave-cli-bundle-'));
  const destinations = [
    { name: 'site9', channel: 'fs7-to-fs9', highest: 'S', noforn: true },
    { name: 'low-side', channel: 'fs7-to-low', highest: 'U' },
  ];
  a = await bundleWorkstation(
    fixture,
    'Field Site 7',
    'SECRET',
    { network: 'SIPRNet-7', destinations },
    { 'valid-ecc': 'analyst', 'valid-rsa': 'admin' },
  );
  b = await bundleWorkstation(fixture, 'Field Site 9', 'SECRET', { network: 'SIPRNet-9' }, { 'valid-rsa': 'admin' });
  await a.signIn('valid-ecc');
  const model = (
    await a.value<{ model: { id: number } }>('models.create', {
      model: testModel('Bridge cost', 'SECRET//NOFORN', 'S//NF'),
    })
  ).model.id;
  run = (await a.value<{ run: { id: number } }>('runs.save', runRequest({ id: model, version: 1 }, 'Baseline'))).run.id;
  await a.lock();
  // The CLI opens the stores itself: the test's service workers stop (their data directories stay).
  await a.t.services.stop();
  await b.t.services.stop();
}, 300_000);

afterAll(async () => {
  for (const w of [a, b]) if (w) rmSync(w.t.dataDir, { recursive: true, force: true });
  if (root) rmSync(root, { recursive: true, force: true });
  fixture?.cleanup();
});

describe('enclave bundle', () => {
  const out = () => join(root, 'media');

  it('export: a refused record is named with its reason, exit 1, nothing written', () => {
    const refused = enclave(a.t.dataDir, 'valid-ecc', [
      'bundle',
      'export',
      '--destination',
      'low-side',
      '--run',
      String(run),
    ]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(
      /REFUSED \(S\/\/NF\) model "Bridge cost" version 1 \(brought along\)\n\s+SECRET is above destination low-side's highest level, UNCLASSIFIED/,
    );
    expect(refused.stderr).toMatch(/2 records may not go to low-side/);
  });

  it('export: bad arguments are exit 2', () => {
    expect(enclave(a.t.dataDir, 'valid-ecc', ['bundle', 'export', '--destination', 'site9', '--model', 'x']).code).toBe(
      2,
    );
    expect(enclave(a.t.dataDir, 'valid-ecc', ['bundle', 'export', '--destination', 'site9']).code).toBe(2);
  });

  it('export with the card writes the bundle and a copy on the media, import puts it in quarantine, release applies it', () => {
    const exported = enclave(a.t.dataDir, 'valid-ecc', [
      'bundle',
      'export',
      '--destination',
      'site9',
      '--run',
      String(run),
      '--out',
      out(),
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/SECRET\/\/NOFORN, 2 record\(s\), sequence 1 on channel fs7-to-fs9/);
    const [file] = readdirSync(out());
    expect(file).toBe('enclave-fs7-to-fs9-000001.tar');

    const checked = spawnSync(
      process.execPath,
      [join(repoRoot, 'dist', 'node', 'cli.cjs'), 'bundle', 'verify', join(out(), file!)],
      { encoding: 'utf8' },
    );
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^WARNING SIGNER_NOT_VALIDATED .*Signed by .*ROE\.JANE\.A/m);

    const imported = enclave(b.t.dataDir, 'valid-rsa', ['bundle', 'import', join(out(), file!)]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/from:\s+Field Site 7 \(SIPRNet-7\), channel fs7-to-fs9, sequence 1/);
    expect(imported.stdout).toMatch(/signer:\s+ROE\.JANE\.A/);
    expect(imported.stdout).toMatch(/record:\s+\(S\/\/NF\) run "Baseline"/);
    const id = /quarantine #([0-9]+)/.exec(imported.stdout)![1]!;

    const listed = enclave(b.t.dataDir, 'valid-rsa', ['--json', 'bundle', 'quarantine']);
    expect(JSON.parse(listed.stdout).bundles).toMatchObject([{ id: Number(id), state: 'verified' }]);
    const released = enclave(b.t.dataDir, 'valid-rsa', ['bundle', 'release', id, '--note', 'checked by the ISSO']);
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toMatch(/2 record\(s\) applied, 0 imported before/);

    const replay = enclave(b.t.dataDir, 'valid-rsa', ['bundle', 'import', join(out(), file!)]);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toMatch(/imported here before/);
  });

  it('an analyst may not import (bundles.manage is an administrator’s)', () => {
    const refused = enclave(a.t.dataDir, 'valid-ecc', ['bundle', 'quarantine']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /enclave: Only an administrator may do this \(bundles\.quarantine\); you are signed in as an analyst/,
    );
  });
});
