import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { nameKeys, namesEqual, rdnKeys } from '../distinguished-name';
import { OID } from '../oids';
import { basicConstraints, extension } from '../x509';
import { ALL_REASONS, reasonMaskFromContents, sequenceElements, taggedContents, type ReasonMask } from './reason-flags';

/**
 * CRL scope (RFC 5280 6.3.3 (b) and (d)): which of a certificate's distribution points a CRL
 * serves, for which reasons. Names of distribution points are compared as strings: directory names
 * by their RFC 5280 7.1 keys (a nameRelativeToCRLIssuer is the CRL issuer's name plus that RDN),
 * other forms by their text.
 */
export interface DistributionPoint {
  /** The distribution point's names, or null when its distributionPoint field is absent. */
  names: string[] | null;
  reasons: ReasonMask;
  /** cRLIssuer directory names, or null when absent (the certificate's issuer issues the CRL). */
  crlIssuers: pkijs.RelativeDistinguishedNames[] | null;
}

export interface IssuingDistributionPoint {
  names: string[] | null;
  onlyUser: boolean;
  onlyCa: boolean;
  onlyAttribute: boolean;
  indirect: boolean;
  reasons: ReasonMask;
}

export class MalformedScopeError extends Error {}

function generalNameKey(name: pkijs.GeneralName): string {
  if (name.type === 4 && name.value instanceof pkijs.RelativeDistinguishedNames)
    return `dn:${JSON.stringify(nameKeys(name.value))}`;
  if (typeof name.value === 'string') return `${name.type}:${name.value.toLowerCase()}`;
  return `${name.type}:${Buffer.from((name.value as { toBER(): ArrayBuffer }).toBER()).toString('hex')}`;
}

const contextTag = (element: asn1js.AsnType | undefined, tag: number) =>
  element !== undefined && element.idBlock.tagClass === 3 && element.idBlock.tagNumber === tag;

/** The children of a constructed element (an implicitly tagged SEQUENCE or SET). */
function children(element: asn1js.AsnType): asn1js.AsnType[] {
  const value = (element as asn1js.Constructed).valueBlock?.value;
  if (!Array.isArray(value)) throw new MalformedScopeError('a distribution point');
  return value;
}

function generalNames(element: asn1js.AsnType): pkijs.GeneralName[] {
  return children(element).map((child) => {
    try {
      return new pkijs.GeneralName({ schema: child });
    } catch {
      throw new MalformedScopeError('a name in a distribution point');
    }
  });
}

/**
 * A DistributionPointName ([0] of DistributionPoint or IssuingDistributionPoint), read from the DER
 * (pkijs cannot read nameRelativeToCRLIssuer): its names as comparable strings.
 */
function pointNames(
  element: asn1js.AsnType | undefined,
  relativeTo: pkijs.RelativeDistinguishedNames,
): string[] | null {
  if (!element) return null;
  const [choice] = children(element);
  if (contextTag(choice, 0)) return generalNames(choice!).map(generalNameKey);
  if (contextTag(choice, 1)) {
    // nameRelativeToCRLIssuer: one RDN appended to the issuer's name.
    const rdn = rdnKeys(children(choice!));
    if (!rdn) throw new MalformedScopeError('a relative distribution point name');
    return [`dn:${JSON.stringify([...nameKeys(relativeTo), rdn])}`];
  }
  throw new MalformedScopeError('a distribution point name');
}

/** The certificate's CRL distribution points; one default point (any CRL of its issuer, all reasons) when it has none. */
export function distributionPoints(certificate: pkijs.Certificate): DistributionPoint[] {
  const ext = extension(certificate, OID.crlDistributionPoints);
  if (!ext) return [{ names: null, reasons: ALL_REASONS, crlIssuers: null }];
  const raw = sequenceElements(ext.extnValue.valueBlock.valueHexView);
  if (!raw || raw.length === 0) throw new MalformedScopeError('its CRL distribution points extension cannot be read');
  return raw.map((point) => {
    if (!(point instanceof asn1js.Sequence))
      throw new MalformedScopeError('its CRL distribution points extension cannot be read');
    const elements = point.valueBlock.value;
    const reasons = taggedContents(elements, 1);
    const issuerElement = elements.find((e) => contextTag(e, 2));
    const crlIssuers = issuerElement
      ? generalNames(issuerElement).flatMap((n) =>
          n.type === 4 && n.value instanceof pkijs.RelativeDistinguishedNames ? [n.value] : [],
        )
      : null;
    // A nameRelativeToCRLIssuer is relative to the cRLIssuer when there is one, else to the certificate's issuer.
    const relativeTo = crlIssuers?.[0] ?? certificate.issuer;
    return {
      names: pointNames(
        elements.find((e) => contextTag(e, 0)),
        relativeTo,
      ),
      reasons: reasons ? reasonMaskFromContents(reasons) : ALL_REASONS,
      crlIssuers,
    };
  });
}

export function issuingDistributionPoint(crl: pkijs.CertificateRevocationList): IssuingDistributionPoint | null {
  const ext = crl.crlExtensions?.extensions.find((e) => e.extnID === OID.issuingDistributionPoint);
  if (!ext) return null;
  const raw = sequenceElements(ext.extnValue.valueBlock.valueHexView);
  if (!raw) throw new MalformedScopeError('its issuingDistributionPoint extension cannot be read');
  const flag = (tag: number) => {
    const contents = taggedContents(raw, tag);
    return contents !== null && contents.length === 1 && contents[0] !== 0;
  };
  const reasons = taggedContents(raw, 3);
  return {
    names: pointNames(
      raw.find((e) => contextTag(e, 0)),
      crl.issuer,
    ),
    onlyUser: flag(1),
    onlyCa: flag(2),
    onlyAttribute: flag(5),
    indirect: flag(4),
    reasons: reasons ? reasonMaskFromContents(reasons) : ALL_REASONS,
  };
}

/**
 * 6.3.3 (b) and (d): whether the CRL serves this certificate through this distribution point, and
 * for which reasons (the interim reasons mask); null when it does not.
 */
export function crlScope(
  certificate: pkijs.Certificate,
  point: DistributionPoint,
  crl: pkijs.CertificateRevocationList,
  idp: IssuingDistributionPoint | null,
): ReasonMask | null {
  // (b)(1): the CRL's issuer
  if (point.crlIssuers) {
    if (!point.crlIssuers.some((name) => namesEqual(name, crl.issuer)) || !idp?.indirect) return null;
  } else if (!namesEqual(crl.issuer, certificate.issuer)) return null;
  if (idp) {
    // (b)(2)(i): the distribution point's name
    if (idp.names) {
      const theirs = point.names ?? point.crlIssuers?.map((n) => `dn:${JSON.stringify(nameKeys(n))}`) ?? [];
      if (!idp.names.some((n) => theirs.includes(n))) return null;
    }
    const ca = basicConstraints(certificate).ca;
    if (idp.onlyUser && ca) return null; // (ii)
    if (idp.onlyCa && !ca) return null; // (iii)
    if (idp.onlyAttribute) return null; // (iv)
  }
  return (idp?.reasons ?? ALL_REASONS) & point.reasons;
}
