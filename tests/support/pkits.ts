import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrl } from '../../electron/services/pki/crl';
import type { ParsedCrl } from '../../electron/services/pki/types';
import { parseCertificateDer, type ParsedCertificate } from '../../electron/services/pki/x509';

/** NIST PKITS 1.0.1 (tests/data/pkits, its README names the source): files and cases by name. */
export const PKITS_DIR = join(__dirname, '..', 'data', 'pkits');
/** Inside every PKITS certificate's validity. */
export const PKITS_TIME = new Date('2011-06-01T00:00:00Z');
export const PKITS_ANCHOR = 'TrustAnchorRootCertificate.crt';
export const PKITS_ANCHOR_CRL = 'TrustAnchorRootCRL.crl';

export interface PkitsCase {
  id: string;
  section: string;
  name: string;
  expect: 'valid' | 'invalid';
  leaf: string;
  intermediates: string[];
  crls: string[];
  pathLength: number;
  initialPolicySet: string[];
  initialExplicitPolicy: boolean;
  initialPolicyMappingInhibit: boolean;
  initialAnyPolicyInhibit: boolean;
}

export const pkitsCases = (): PkitsCase[] =>
  JSON.parse(readFileSync(join(PKITS_DIR, 'cases.json'), 'utf8')) as PkitsCase[];

export const pkitsCertificate = (name: string): ParsedCertificate =>
  parseCertificateDer(readFileSync(join(PKITS_DIR, 'certs', name)), name);

export const pkitsCrl = (name: string): ParsedCrl => parseCrl(readFileSync(join(PKITS_DIR, 'crls', name)), name);

/** "4.13.3" from the id 41303. */
export function pkitsNumber(id: string): string {
  return `${id[0]}.${Number(id.slice(1, 3))}.${Number(id.slice(3))}`;
}
