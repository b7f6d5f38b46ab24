import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs openssl, throwing with its stderr when it fails. */
export function openssl(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync('openssl', args, { encoding: 'utf8', timeout: 30_000, ...options });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  return result.stdout;
}

const CONFIG = `[ca]
default_ca = this
[this]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha384
policy = anything
unique_subject = no
copy_extensions = none
default_crl_days = 30
[anything]
commonName = supplied
organizationName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[root]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[codeSigning]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[emailOnly]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[msCodeIndOnly]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = 1.3.6.1.4.1.311.2.1.21
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[caCodeSigning]
basicConstraints = critical,CA:true
keyUsage = critical,digitalSignature,keyCertSign,cRLSign
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/**
 * codeSigning: what a release signer gets. The others are what a verifier must refuse: emailOnly,
 * msCodeIndOnly (Microsoft Individual Code Signing, which openssl prints with "Code Signing" in it),
 * caCodeSigning (codeSigning on a CA certificate).
 */
export type Profile = 'codeSigning' | 'emailOnly' | 'msCodeIndOnly' | 'caCodeSigning';
export type Curve = 'P-384' | 'P-256';

/**
 * A certification authority run with `openssl ca` in its own folder (its database, serials, CRL
 * numbers), as a release CA would be: P-384 keys, SHA-384, certificates and CRLs in PEM.
 */
export class OpensslCa {
  readonly certificate: string;
  readonly key: string;

  private constructor(
    readonly dir: string,
    readonly subject: string,
  ) {
    this.certificate = join(dir, 'ca.pem');
    this.key = join(dir, 'ca.key');
  }

  private static prepare(dir: string, subject: string): OpensslCa {
    mkdirSync(join(dir, 'issued'), { recursive: true });
    writeFileSync(join(dir, 'openssl.cnf'), CONFIG);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    writeFileSync(join(dir, 'crlnumber'), '01\n');
    const ca = new OpensslCa(dir, subject);
    newKey(ca.key);
    return ca;
  }

  static root(dir: string, subject: string): OpensslCa {
    const ca = OpensslCa.prepare(dir, subject);
    ca.run([
      'req',
      '-new',
      '-x509',
      '-key',
      ca.key,
      '-subj',
      subject,
      '-days',
      '3650',
      '-extensions',
      'root',
      '-sha384',
      '-out',
      ca.certificate,
    ]);
    return ca;
  }

  intermediate(dir: string, subject: string): OpensslCa {
    const ca = OpensslCa.prepare(dir, subject);
    const csr = join(dir, 'ca.csr');
    ca.run(['req', '-new', '-key', ca.key, '-subj', subject, '-out', csr]);
    this.issue(csr, ca.certificate, 'intermediate');
    return ca;
  }

  /** Issues a certificate for the request at `csr` (the request's subject, this CA's profile). */
  issue(csr: string, out: string, profile: Profile | 'intermediate', days = 365): string {
    this.run([
      'ca',
      '-batch',
      '-notext',
      '-cert',
      this.certificate,
      '-keyfile',
      this.key,
      '-extensions',
      profile,
      '-days',
      String(days),
      '-in',
      csr,
      '-out',
      out,
    ]);
    return out;
  }

  /** A software key and a certificate for it (a signer whose key is not on the token). */
  issueSoftwareKey(
    dir: string,
    name: string,
    subject: string,
    profile: Profile,
    curve: Curve = 'P-384',
  ): { key: string; certificate: string } {
    const key = join(dir, `${name}.key`);
    const csr = join(dir, `${name}.csr`);
    newKey(key, curve);
    this.run(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    return { key, certificate: this.issue(csr, join(dir, `${name}.pem`), profile) };
  }

  revoke(certificate: string): void {
    this.run(['ca', '-cert', this.certificate, '-keyfile', this.key, '-revoke', certificate]);
  }

  /** This CA's CRL (PEM) of everything revoked so far; `expired` dates it in 2020. */
  crl(out: string, options: { expired?: boolean } = {}): string {
    const dates = options.expired ? ['-crl_lastupdate', '20200101000000Z', '-crl_nextupdate', '20200201000000Z'] : [];
    this.run(['ca', '-gencrl', '-cert', this.certificate, '-keyfile', this.key, ...dates, '-out', out]);
    return out;
  }

  private run(args: string[]): string {
    return openssl([...args.slice(0, 1), '-config', join(this.dir, 'openssl.cnf'), ...args.slice(1)], {
      cwd: this.dir,
    });
  }
}

function newKey(out: string, curve: Curve = 'P-384'): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', out]);
}
