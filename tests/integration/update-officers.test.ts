import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs11Module } from '../../native/pkcs11';
import { DirectorySource } from '../../electron/services/updates/tuf/directory-source';
import { TufError } from '../../electron/services/updates/tuf/errors';
import type { TrustedMetadataStore } from '../../electron/services/updates/tuf/metadata-store';
import { TufUpdater } from '../../electron/services/updates/tuf/updater';
import { softhsmModulePath, writeSofthsmConfig, writeTokens } from '../support/fixtures/piv/softhsm';
import { repoRoot } from '../support/services';

/**
 * The update officers' side end to end through the built CLI (dist/node/cli.cjs): two officers'
 * tokens in one SoftHSM2, P-384 role keys generated on them, a repository whose root needs both,
 * a CRL added to the trust role, each officer signing in turn, the media built, and Enclave's TUF
 * client verifying it and downloading the CRL. And the refusals: a signature short, an app release
 * under trust (by the producer, and by the client when forced), a key in no role.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-update-officers-'));
const dataDir = join(work, 'no-data-dir');
const modulePath = softhsmModulePath();
const officers = {
  a: { token: 'officer-a', pin: '241771', soPin: '90817263' },
  b: { token: 'officer-b', pin: '880122', soPin: '19283746' },
};
let env: NodeJS.ProcessEnv;
const repo = join(work, 'R');
const crl = join(work, 'site-ca.crl');
const previousConf = process.env.SOFTHSM2_CONF;

beforeAll(async () => {
  const conf = writeSofthsmConfig(join(work, 'softhsm'));
  process.env.SOFTHSM2_CONF = conf;
  await writeTokens(
    modulePath,
    Object.values(officers).map((o) => ({ label: o.token, pin: o.pin, soPin: o.soPin, objects: [] })),
  );
  env = { ...process.env, SOFTHSM2_CONF: conf, ENCLAVE_DATA_DIR: dataDir };
  delete env.ENCLAVE_PIN;
  writeFileSync(crl, Buffer.from('3082 stands in for the site CA CRL', 'utf8'));
});

afterAll(() => {
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  rmSync(work, { recursive: true, force: true });
});

function enclave(args: string[], pin?: string) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
    encoding: 'utf8',
    env: pin === undefined ? env : { ...env, ENCLAVE_PIN: pin },
    input: '',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const token = (o: (typeof officers)['a'], keyLabel: string) => [
  '--module',
  modulePath,
  '--token-label',
  o.token,
  '--key-label',
  keyLabel,
];

const memoryStore = (root: Uint8Array): TrustedMetadataStore => {
  const records = new Map<string, Uint8Array>([['root', root]]);
  return { read: (role) => records.get(role) ?? null, write: (role, bytes) => void records.set(role, bytes) };
};

describe('enclave update: two officers, root threshold 2, a CRL for the trust role', () => {
  it("generates each officer's P-384 key on the token, sensitive and never extractable, and prints its TUF key", () => {
    for (const [name, o] of Object.entries(officers)) {
      const result = enclave(
        ['update', 'key', ...token(o, 'tuf-role-key'), '--generate', '--out', join(work, `${name}.json`)],
        o.pin,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^Generated ECDSA P-384 key "tuf-role-key" on token "officer-.".\nkeyid [0-9a-f]{64}\n/,
      );
      const key = JSON.parse(readFileSync(join(work, `${name}.json`), 'utf8'));
      expect(key).toMatchObject({ keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp384' });
      expect(result.stdout).toContain(JSON.stringify(key, null, 2));
      // The PIN never shows.
      expect(result.stdout + result.stderr).not.toContain(o.pin);
    }
    // The same label again is refused; the key is not replaced.
    const again = enclave(['update', 'key', ...token(officers.a, 'tuf-role-key'), '--generate'], officers.a.pin);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a key labelled "tuf-role-key"/);
    const wrongPin = enclave(['update', 'key', ...token(officers.a, 'tuf-role-key')], '000000');
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toMatch(/PIN is incorrect/);
    const noToken = enclave(['update', 'key', ...token({ ...officers.a, token: 'officer-z' }, 'tuf-role-key')], '1');
    expect(noToken.stderr).toMatch(/No token labelled "officer-z" is present \(present: "officer-a", "officer-b"\)/);

    // On the token: P-384, may sign, sensitive, not extractable, and its value cannot be read.
    const module = Pkcs11Module.load(modulePath);
    try {
      const slot = module.slots().find((s) => s.token?.label === officers.a.token)!;
      const session = module.openSession(slot.handle);
      session.login(officers.a.pin);
      const [id] = session.idsWithLabel('privateKey', 'tuf-role-key');
      const key = session.privateKey(id!)!;
      expect(key).toMatchObject({ type: 'ec', curve: 'P-384', canSign: true, canDecrypt: false, canDerive: false });
      const P = createRequire(import.meta.url)('pkcs11js') as typeof import('pkcs11js');
      expect(session.attribute(key.handle, P.CKA_SENSITIVE)?.[0]).toBe(1);
      expect(session.attribute(key.handle, P.CKA_EXTRACTABLE)?.[0]).toBe(0);
      expect(session.attribute(key.handle, P.CKA_VALUE)).toBeNull();
      session.logout();
      session.close();
    } finally {
      module.close();
    }
  });

  it('init-repo, add-target, sign by one officer after the other, build-bundle; the client verifies and downloads', async () => {
    const a = join(work, 'a.json');
    const b = join(work, 'b.json');
    const init = enclave(
      [
        'update',
        'init-repo',
        repo,
        '--root-key',
        a,
        b,
        '--root-threshold',
        '2',
        '--targets-key',
        a,
        '--snapshot-key',
        b,
        '--timestamp-key',
        a,
        '--role-key',
        'trust=b',
        '--role-key',
        `releases=${a}`,
      ].map((arg) => (arg === 'trust=b' ? `trust=${b}` : arg)),
    );
    expect(init.code).toBe(2);
    expect(init.stderr).toMatch(/The site role needs a key: --role-key site=FILE/);
    expect(existsSync(repo)).toBe(false);

    const created = enclave([
      'update',
      'init-repo',
      repo,
      '--root-key',
      a,
      b,
      '--root-threshold',
      '2',
      '--targets-key',
      a,
      '--snapshot-key',
      b,
      '--timestamp-key',
      a,
      '--role-key',
      `trust=${b}`,
      '--role-key',
      `releases=${a}`,
      '--role-key',
      `site=${a}`,
      '--role-key',
      `users=${a}`,
      '--role-key',
      `models=${a}`,
      '--expires',
      '400d',
    ]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^root +1 .* 0 of 2 signatures {2}needs 2 more$/m);

    const app = enclave([
      'update',
      'add-target',
      repo,
      '--role',
      'trust',
      '--name',
      'app/enclave-0.2.0.tar',
      '--file',
      crl,
      '--type',
      'app-release',
    ]);
    expect(app.code).toBe(1);
    expect(app.stderr).toMatch(/The trust role signs only targets under trust\/; "app\/enclave-0.2.0.tar" is not one/);

    const added = enclave([
      'update',
      'add-target',
      repo,
      '--role',
      'trust',
      '--name',
      'trust/site-ca.crl',
      '--file',
      crl,
      '--type',
      'crl',
      '--version',
      '2',
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/Staged unsigned: trust v2, snapshot v2, timestamp v2\./);

    const byA = enclave(['update', 'sign', repo, ...token(officers.a, 'tuf-role-key')], officers.a.pin);
    expect(byA.code).toBe(0);
    expect(byA.stdout).toMatch(/^signed +root +v1 {2}1 of 2 signatures$/m);
    expect(byA.stdout).toMatch(
      /Still short of their threshold: root \(1 of 2 signatures\), snapshot \(0 of 1 signature\), trust \(0 of 1 signature\)\./,
    );

    const short = enclave(['update', 'build-bundle', repo, '--out', join(work, 'media')]);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/Not every role is signed: root v1 has 1 of 2 signatures/);
    expect(existsSync(join(work, 'media'))).toBe(false);

    // Officer B signs from a PIN file (the PIN is never an argument).
    const pinFile = join(work, 'b.pin');
    writeFileSync(pinFile, `${officers.b.pin}\n`, { mode: 0o600 });
    const byB = enclave(['update', 'sign', repo, ...token(officers.b, 'tuf-role-key'), '--pin-file', pinFile]);
    expect(byB.code).toBe(0);
    expect(byB.stdout).toMatch(/^signed +root +v1 {2}2 of 2 signatures$/m);
    expect(byB.stdout).toMatch(/ready for build-bundle/);

    const status = enclave(['--json', 'update', 'status', repo]);
    const roles = JSON.parse(status.stdout).roles as { role: string; signatures: number; threshold: number }[];
    expect(roles.every((r) => r.signatures >= r.threshold)).toBe(true);

    const media = join(work, 'media');
    const built = enclave(['update', 'build-bundle', repo, '--out', media]);
    expect(built.stderr).toBe('');
    expect(built.stdout).toMatch(/Verified with the Enclave TUF client from the first root/);

    const updater = new TufUpdater({
      store: memoryStore(readFileSync(join(media, 'metadata', '1.root.json'))),
      source: new DirectorySource(media),
      clock: { now: () => new Date() },
    });
    const info = await updater.getTargetInfo('trust/site-ca.crl');
    expect(info.file.custom).toEqual({ enclave: { type: 'crl', version: '2' } });
    expect(Buffer.from(await updater.downloadTarget(info))).toEqual(readFileSync(crl));
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a key in no role, and the client refuses an app release forced into trust by editing its metadata', async () => {
    const stranger = enclave(['update', 'key', ...token(officers.a, 'stranger'), '--generate'], officers.a.pin);
    expect(stranger.code).toBe(0);
    const signed = enclave(['update', 'sign', repo, ...token(officers.a, 'stranger')], officers.a.pin);
    expect(signed.code).toBe(1);
    expect(signed.stderr).toMatch(/The key [0-9a-f]{64} is in no role of this repository; nothing was signed/);

    // Forged by hand: trust's metadata lists an app release, and officer B (trust) signs it.
    const release = Buffer.from('not a real release');
    const sha256 = createHash('sha256').update(release).digest('hex');
    const stagedTrust = join(repo, 'metadata', 'trust.json');
    const trust = JSON.parse(readFileSync(stagedTrust, 'utf8'));
    trust.signed.targets['app/enclave-9.9.9.tar'] = {
      length: release.length,
      hashes: { sha256 },
      custom: { enclave: { type: 'app-release' } },
    };
    writeFileSync(stagedTrust, JSON.stringify(trust));
    mkdirSync(join(repo, 'targets', 'app'), { recursive: true });
    writeFileSync(join(repo, 'targets', 'app', `${sha256}.enclave-9.9.9.tar`), release);
    const byB = enclave(['update', 'sign', repo, ...token(officers.b, 'tuf-role-key')], officers.b.pin);
    expect(byB.stdout).toMatch(/^signed +trust +v2 {2}1 of 1 signature$/m);

    const built = enclave(['update', 'build-bundle', repo, '--out', join(work, 'forged')]);
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(
      /would not verify on a workstation: target 'app\/enclave-9.9.9.tar' is in no targets metadata trusted for that path/,
    );
    expect(existsSync(join(work, 'forged'))).toBe(false);

    // The same forgery carried on media by hand: the client still finds no app release.
    const media = join(work, 'media');
    writeFileSync(join(media, 'metadata', '2.trust.json'), readFileSync(stagedTrust));
    mkdirSync(join(media, 'targets', 'app'), { recursive: true });
    writeFileSync(join(media, 'targets', 'app', `${sha256}.enclave-9.9.9.tar`), release);
    const updater = new TufUpdater({
      store: memoryStore(readFileSync(join(media, 'metadata', '1.root.json'))),
      source: new DirectorySource(media),
      clock: { now: () => new Date() },
    });
    const refusal = await updater.getTargetInfo('app/enclave-9.9.9.tar').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TufError);
    expect((refusal as TufError).message).toMatch(/is in no targets metadata trusted for that path/);
    // What trust may sign is still served.
    expect((await updater.getTargetInfo('trust/site-ca.crl')).file.length).toBe(readFileSync(crl).length);
  });
});
