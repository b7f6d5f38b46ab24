import * as asn1js from 'asn1js';

/**
 * ReasonFlags (RFC 5280 4.2.1.13) as a bit mask: bit k is flag k (1 keyCompromise … 8 aACompromise).
 * Read from the DER ourselves: pkijs reports IssuingDistributionPoint.onlySomeReasons as the count
 * of unused bits, not the flags.
 */
export type ReasonMask = number;

/** keyCompromise through aACompromise: what a CRL without onlySomeReasons covers. */
export const ALL_REASONS: ReasonMask = 0b1_1111_1110;

/** Flags from the contents of a BIT STRING (first byte: unused bits; then the bits, most significant first). */
export function reasonMaskFromContents(contents: Uint8Array): ReasonMask {
  let mask = 0;
  for (let k = 0; k < (contents.length - 1) * 8 && k <= 8; k++)
    if (((contents[1 + (k >> 3)] ?? 0) & (0x80 >> (k & 7))) !== 0) mask |= 1 << k;
  return mask & ALL_REASONS;
}

/** The contents of the implicitly tagged primitive [tag] among a SEQUENCE's elements, or null. */
export function taggedContents(elements: asn1js.AsnType[], tag: number): Uint8Array | null {
  const element = elements.find((e) => e.idBlock.tagClass === 3 && e.idBlock.tagNumber === tag);
  if (!element) return null;
  const view = (element as asn1js.Primitive).valueBlock?.valueHexView;
  return view ? new Uint8Array(view) : null;
}

/** The elements of a DER SEQUENCE, or null when the bytes are not one. */
export function sequenceElements(der: Uint8Array): asn1js.AsnType[] | null {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return null;
  return parsed.result.valueBlock.value;
}
