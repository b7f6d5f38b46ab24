import { DEFAULT_AUTHENTICATION_POLICIES } from '../../common/site/site-config';
import { OID } from '../../electron/services/pki/oids';
import type { PathValidationInput, RevocationPolicy } from '../../electron/services/pki/types';
import { PkiUsageError, readCertificates, readCrls, readOneCertificate } from './pki-files';

/** The options of `enclave pki validate`, as commander hands them over. */
export interface PkiValidateOptions {
  cert?: string;
  intermediate?: string[];
  anchor?: string[];
  crl?: string[];
  at?: string;
  initialPolicy?: string[];
  explicitPolicy?: boolean;
  inhibitPolicyMapping?: boolean;
  inhibitAnyPolicy?: boolean;
  revocation?: string;
  piv?: boolean;
  pivPolicy?: string[];
}

export interface PkiValidateRequest {
  input: PathValidationInput;
  /** The PIV Authentication policies to accept with --piv; null without --piv. */
  pivPolicies: string[] | null;
}

// Dotted decimal, first arc 0-2, no leading zeros; at least two arcs (X.660).
const OID_SYNTAX = /^[0-2](\.(0|[1-9][0-9]*))+$/;

/** An object identifier as dotted decimal, or a usage error that names the option. */
export function parseOid(option: string, value: string): string {
  const arcs = value.split('.');
  // Under arcs 0 and 1 the second arc is at most 39 (X.690 8.19.4).
  if (!OID_SYNTAX.test(value) || (arcs[0] !== '2' && Number(arcs[1]) > 39) || value.length > 200)
    throw new PkiUsageError(
      `${option} takes an object identifier in dotted decimal, such as 2.16.840.1.101.3.2.1.48.1 (got "${value}")`,
    );
  return value;
}

// A date, or a date and time with seconds optional, fractions optional, and Z or an offset.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** --at: an ISO 8601 date (midnight UTC) or date-time with its zone; a time without a zone is ambiguous and refused. */
export function parseAt(value: string): Date {
  const at = ISO_TIME.test(value) ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : null;
  // Date accepts 2011-02-30 by rolling over; the round trip of the date part catches it.
  const dayOk = at && !Number.isNaN(at.getTime()) && isRealDay(value.slice(0, 10));
  if (!at || !dayOk)
    throw new PkiUsageError(
      `--at takes an ISO 8601 time with its zone, such as 2011-06-01 or 2011-06-01T12:00:00Z (got "${value}")`,
    );
  return at;
}

function isRealDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

const REVOCATION: readonly RevocationPolicy[] = ['require', 'warn', 'off'];

/**
 * Checks every argument and reads every file before anything is validated: the first problem is a
 * PkiUsageError (exit 2). Nothing is read from a store or data directory.
 */
export function buildRequest(options: PkiValidateOptions, now: Date = new Date()): PkiValidateRequest {
  if (!options.cert) throw new PkiUsageError('--cert FILE is required: the certificate to validate');
  if (!options.anchor?.length) throw new PkiUsageError('--anchor FILE is required (at least one trust anchor)');
  const revocation = (options.revocation ?? 'require') as RevocationPolicy;
  if (!REVOCATION.includes(revocation))
    throw new PkiUsageError(`--revocation takes require, warn or off (got "${options.revocation}")`);
  if (options.pivPolicy?.length && !options.piv) throw new PkiUsageError('--piv-policy applies only with --piv');

  const initialPolicySet = (options.initialPolicy ?? []).map((oid) => parseOid('--initial-policy', oid));
  const pivPolicies = options.piv
    ? options.pivPolicy?.length
      ? options.pivPolicy.map((oid) => parseOid('--piv-policy', oid))
      : [...DEFAULT_AUTHENTICATION_POLICIES]
    : null;
  const at = options.at === undefined ? now : parseAt(options.at);

  const target = readOneCertificate('--cert', options.cert);
  const intermediates = (options.intermediate ?? []).flatMap((file) => readCertificates('--intermediate', file));
  const anchors = options.anchor.flatMap((file) => readCertificates('--anchor', file));
  const crls = (options.crl ?? []).flatMap((file) => readCrls('--crl', file));

  return {
    input: {
      target,
      intermediates,
      anchors,
      crls,
      at,
      initialPolicySet: initialPolicySet.length ? [...new Set(initialPolicySet)] : [OID.anyPolicy],
      initialExplicitPolicy: options.explicitPolicy ?? false,
      initialPolicyMappingInhibit: options.inhibitPolicyMapping ?? false,
      initialAnyPolicyInhibit: options.inhibitAnyPolicy ?? false,
      revocation,
      maxCrlAgeDays: null,
    },
    pivPolicies,
  };
}
