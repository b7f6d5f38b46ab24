import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids';
import { commonName, extension } from '../pki/x509';

/**
 * Who the card holder is, from the PIV Authentication certificate: the EDIPI (the CN's last
 * dot-separated part, 10 digits), the UPN otherName and the card UUID URI in the SAN. A user is found
 * by these, never by the name part of the CN: names repeat and change; these identifiers do not.
 */
export interface CardIdentity {
  /** DoD EDIPI, 10 digits, or null when the CN does not end in one. */
  edipi: string | null;
  /** Microsoft UPN otherName (1.3.6.1.4.1.311.20.2.3), e.g. 1234567890@mil. */
  upn: string | null;
  /** The card UUID from the SAN's urn:uuid: URI (FIPS 201), lower case, without the prefix. */
  uuid: string | null;
  /** The CN, for display only (never for matching). */
  displayName: string;
}

const EDIPI = /^[0-9]{10}$/;
const UUID_URN = /^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function edipiFromCommonName(cn: string): string | null {
  const last = cn.split('.').pop() ?? '';
  return EDIPI.test(last) ? last : null;
}

/** otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }; pkijs leaves it as raw ASN.1. */
function otherNameUpn(name: pkijs.GeneralName): string | null {
  const value = name.value as asn1js.Sequence | asn1js.Constructed | undefined;
  const parts = value?.valueBlock?.value as asn1js.AsnType[] | undefined;
  if (!parts || parts.length < 2) return null;
  const [typeId, wrapped] = parts;
  if (!(typeId instanceof asn1js.ObjectIdentifier) || typeId.valueBlock.toString() !== OID.upn) return null;
  const inner = (wrapped as asn1js.Constructed).valueBlock?.value?.[0];
  return inner instanceof asn1js.Utf8String ||
    inner instanceof asn1js.IA5String ||
    inner instanceof asn1js.PrintableString
    ? inner.valueBlock.value
    : null;
}

export function cardIdentity(certificate: pkijs.Certificate): CardIdentity {
  const cn = commonName(certificate);
  let upn: string | null = null;
  let uuid: string | null = null;
  const san = extension(certificate, OID.subjectAltName)?.parsedValue as pkijs.AltName | undefined;
  for (const name of san?.altNames ?? []) {
    if (name.type === 0) upn ??= otherNameUpn(name);
    if (name.type === 6 && typeof name.value === 'string') {
      const match = UUID_URN.exec(name.value);
      if (match?.[1]) uuid ??= match[1].toLowerCase();
    }
  }
  return { edipi: edipiFromCommonName(cn), upn, uuid, displayName: cn };
}

export function hasIdentifier(identity: CardIdentity): boolean {
  return identity.edipi !== null || identity.upn !== null || identity.uuid !== null;
}
