import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';

/**
 * Distinguished-name comparison per RFC 5280 7.1 (the RFC 4518 string preparation, simplified as
 * the RFC allows): attribute types must be equal; string values compare after trimming, folding
 * internal whitespace to one space and case-folding; other values compare by their DER. Multi-valued
 * RDNs compare as sets. Used for name chaining, CRL issuers and directoryName constraints.
 */

const STRING_TYPES = [
  asn1js.PrintableString,
  asn1js.Utf8String,
  asn1js.IA5String,
  asn1js.TeletexString,
  asn1js.BmpString,
  asn1js.UniversalString,
  asn1js.VisibleString,
  asn1js.NumericString,
];

function prepared(value: asn1js.AsnType): string | null {
  if (!STRING_TYPES.some((type) => value instanceof type)) return null;
  const text = (value as asn1js.BaseStringBlock).valueBlock.value;
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function derHex(value: asn1js.AsnType): string {
  return Buffer.from(value.toBER()).toString('hex');
}

/** One attribute value in a comparable form. */
function valueKey(value: asn1js.AsnType): string {
  const text = prepared(value);
  return text === null ? `der:${derHex(value)}` : `str:${text}`;
}

/** A name as a list of RDNs, each a sorted list of "type=value" keys. */
export function nameKeys(name: pkijs.RelativeDistinguishedNames): string[][] {
  // pkijs flattens RDNs into typesAndValues; the raw valueBeforeDecode keeps the SET boundaries.
  const rdnSets = rdnSequence(name);
  if (rdnSets) return rdnSets;
  return name.typesAndValues.map((tv) => [`${tv.type}=${valueKey(tv.value)}`]);
}

function rdnSequence(name: pkijs.RelativeDistinguishedNames): string[][] | null {
  const raw = name.valueBeforeDecode;
  if (!raw || raw.byteLength === 0) return null;
  const parsed = asn1js.fromBER(raw);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return null;
  const out: string[][] = [];
  for (const set of parsed.result.valueBlock.value) {
    if (!(set instanceof asn1js.Set)) return null;
    const keys = rdnKeys(set.valueBlock.value);
    if (!keys) return null;
    out.push(keys);
  }
  return out;
}

/** The sorted "type=value" keys of one RDN's AttributeTypeAndValue elements, or null when one is not that. */
export function rdnKeys(attributes: asn1js.AsnType[]): string[] | null {
  const keys: string[] = [];
  for (const atv of attributes) {
    if (!(atv instanceof asn1js.Sequence)) return null;
    const [type, value] = atv.valueBlock.value;
    if (!(type instanceof asn1js.ObjectIdentifier) || !value) return null;
    keys.push(`${type.valueBlock.toString()}=${valueKey(value)}`);
  }
  return keys.sort();
}

function rdnEqual(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** RFC 5280 7.1: the two names are the same name. */
export function namesEqual(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  const ka = nameKeys(a);
  const kb = nameKeys(b);
  return ka.length === kb.length && ka.every((rdn, i) => rdnEqual(rdn, kb[i]!));
}

/** `name` is within the directoryName subtree `base`: base's RDNs are the first RDNs of name (4.2.1.10). */
export function nameWithinSubtree(
  name: pkijs.RelativeDistinguishedNames,
  base: pkijs.RelativeDistinguishedNames,
): boolean {
  const kn = nameKeys(name);
  const kb = nameKeys(base);
  return kb.length <= kn.length && kb.every((rdn, i) => rdnEqual(rdn, kn[i]!));
}

/** The name has no RDNs (an empty subject, allowed when subjectAltName carries the identity). */
export function isEmptyName(name: pkijs.RelativeDistinguishedNames): boolean {
  return nameKeys(name).length === 0;
}
