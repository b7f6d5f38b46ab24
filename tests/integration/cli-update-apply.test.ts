import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labModel } from '../support/bundle-lab';
import { bundleWorkstation, type BundleWorkstation } from '../support/bundle-workstation';
import { tokenFolder } from '../support/card-workstation';
import { provisionPivFixture, type PivFixture, type PivVariant } from '../support/fixtures/piv';
import { repoRoot } from '../support/services';
import { UpdateRepository } from '../support/update-repository';

// `enclave update trust-root|root|inspect|apply|history` (docs/cli.md, "Applying updates"): an
// administrator signed in with a card applies a bundle of a CRL and a model template; the apply is
// held to the file inspected.

let fixture: PivFixture;
let w: BundleWorkstation;
let root: string;
let repo: UpdateRepository;

/** A SoftHSM2 reader holding one card. */
function reader(variant: PivVariant): string {
  const dir = join(root, `reader-${variant}`);
  const token = tokenFolder(join(fixture.dir, 'tokens'), fixture.users[variant].tokenLabel);
  mkdirSync(join(dir, 'tokens'), { recursive: true, mode: 0o700 });
  cpSync(token, join(dir, 'tokens', token.split('/').pop()!), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
    {
      mode: 0o600,
    },
  );
  return conf;
}

function enclave(args: string[], variant: PivVariant = 'valid-rsa') {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'node', 'cli.cjs'), '--data-dir', w.t.dataDir, ...args, '--card'],
    {
      encoding: 'utf8',
      env: { ...process.env, SOFTHSM2_CONF: reader(variant), ENCLAVE_PIN: fixture.users[variant].pin },
      timeout: 180_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  fixture = await provisionPivFixture();
  root = mkdtempSync(join(tmpdir(), 'enclave-cli-update-'));
  w = await bundleWorkstation(
    fixture,
    'Field Site 7',
    'SECRET',
    { network: 'SIPRNet-7' },
    {
      'valid-rsa': 'admin',
      'valid-ecc': 'analyst',
    },
  );
  await w.t.services.stop();
  repo = await UpdateRepository.create();
  writeFileSync(join(root, 'root.json'), repo.initialRoot);
  const crl = await fixture.issueIntermediateCrl({
    revokedSerials: [],
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 7 * 86_400_000),
    number: 11,
  });
  repo.add('trust', 'trust/intermediate.crl', 'crl', crl);
  repo.add(
    'models',
    'models/bridge.json',
    'model-template',
    Buffer.from(JSON.stringify(labModel('Bridge cost template', 'UNCLASSIFIED'))),
  );
  await repo.publish();
  await repo.tar(root, 'enclave-update.tar');
}, 300_000);

afterAll(() => {
  if (w) rmSync(w.t.dataDir, { recursive: true, force: true });
  if (root) rmSync(root, { recursive: true, force: true });
  fixture?.cleanup();
});

describe('enclave update (administrators)', () => {
  it('trusts the first root and prints its fingerprint; an analyst may not', () => {
    const analyst = enclave(['update', 'trust-root', join(root, 'root.json')], 'valid-ecc');
    expect(analyst.code).toBe(1);
    expect(analyst.stderr).toMatch(/administrator|permission|not allowed/i);
    const trusted = enclave(['update', 'trust-root', join(root, 'root.json')]);
    expect(trusted.code, trusted.stderr).toBe(0);
    const sha = createHash('sha256')
      .update(readFileSync(join(root, 'root.json')))
      .digest('hex');
    expect(trusted.stdout).toContain(`fingerprint (SHA-256 of root.json): ${sha}`);
  });

  it('inspects (changing nothing), refuses another file under --reviewed, then applies and lists the history', () => {
    const tar = join(root, 'enclave-update.tar');
    const inspected = enclave(['update', 'inspect', tar]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(
      /target +models\/bridge\.json \(model template, \d+ bytes, sha256 [0-9a-f]{64}, signed by models\): would be applied; "Bridge cost template" version 1/,
    );
    expect(inspected.stdout).toMatch(/target +trust\/intermediate\.crl \(CRL/);
    const fileSha = createHash('sha256').update(readFileSync(tar)).digest('hex');
    expect(inspected.stdout).toContain(`file     sha256 ${fileSha}`);
    expect(enclave(['update', 'history']).stdout).toContain('No update has been applied here.');

    const wrong = enclave(['update', 'apply', tar, '--reviewed', 'f'.repeat(64)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('is not the file that was reviewed');

    const applied = enclave(['update', 'apply', tar, '--reviewed', fileSha]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^Applied update #1\./m);
    const history = JSON.parse(enclave(['--json', 'update', 'history']).stdout) as {
      updates: { state: string; targets: { name: string; sha256: string }[] }[];
    };
    expect(history.updates[0]!.state).toBe('applied');
    expect(history.updates[0]!.targets.map((t) => t.name)).toEqual(['models/bridge.json', 'trust/intermediate.crl']);
  });
});
