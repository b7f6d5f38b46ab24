import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CardWorkstation } from './card-workstation';
import { toPem } from './fixtures/piv/pki';

/**
 * The test PKI as the files an administrator carries in, for setInputFiles: the root as PEM and
 * the intermediate as DER (.cer), the intermediate's CRL as DER and the root's as PEM, and a file
 * that is neither.
 */
export function writePkiFiles(workstation: CardWorkstation): {
  root: string;
  intermediate: string;
  intermediateCrl: string;
  rootCrl: string;
  garbage: string;
} {
  const dir = join(workstation.fixture.dir, 'uploads');
  mkdirSync(dir, { recursive: true });
  const files = {
    root: join(dir, 'enclave-test-root.pem'),
    intermediate: join(dir, 'enclave-test-id-ca-1.cer'),
    intermediateCrl: join(dir, 'enclave-test-id-ca-1.crl'),
    rootCrl: join(dir, 'enclave-test-root-crl.pem'),
    garbage: join(dir, 'meeting-notes.pem'),
  };
  writeFileSync(files.root, toPem(workstation.fixture.rootCa, 'CERTIFICATE'));
  writeFileSync(files.intermediate, workstation.fixture.intermediateCa);
  writeFileSync(files.intermediateCrl, workstation.fixture.crl);
  writeFileSync(files.rootCrl, toPem(workstation.fixture.rootCrl, 'X509 CRL'));
  writeFileSync(files.garbage, 'Agenda: trust anchors, CRLs, lunch.\n');
  return files;
}
