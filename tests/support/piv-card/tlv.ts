/**
 * BER-TLV as PIV uses it (SP 800-73-4 Part 1 §3, ISO 7816-4 §5.2): tags of one to three bytes
 * written as a number (0x53, 0x7f61, 0x5fc105), definite lengths in one to three bytes.
 */
export interface Tlv {
  tag: number;
  value: Buffer;
}

function tagBytes(tag: number): Buffer {
  if (tag <= 0xff) return Buffer.from([tag]);
  if (tag <= 0xffff) return Buffer.from([tag >> 8, tag & 0xff]);
  return Buffer.from([tag >> 16, (tag >> 8) & 0xff, tag & 0xff]);
}

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length <= 0xff) return Buffer.from([0x81, length]);
  if (length <= 0xffff) return Buffer.from([0x82, length >> 8, length & 0xff]);
  throw new RangeError(`TLV value of ${length} bytes is too long for PIV`);
}

export function tlv(tag: number, ...values: Buffer[]): Buffer {
  const value = Buffer.concat(values);
  return Buffer.concat([tagBytes(tag), encodeLength(value.length), value]);
}

/** Every TLV at the top level of `data`; throws on truncation (the applet answers 6A80 then). */
export function parseTlvs(data: Buffer): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < data.length) {
    let tag = data[i++]!;
    // Multi-byte tag: low five bits all set, then more bytes while bit 8 is set.
    if ((tag & 0x1f) === 0x1f) {
      do {
        if (i >= data.length) throw new RangeError('truncated tag');
        tag = (tag << 8) | data[i]!;
      } while ((data[i++]! & 0x80) !== 0);
    }
    if (i >= data.length) throw new RangeError('missing length');
    let length = data[i++]!;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3 || i + count > data.length) throw new RangeError('bad length');
      length = 0;
      for (let k = 0; k < count; k += 1) length = (length << 8) | data[i++]!;
    }
    if (i + length > data.length) throw new RangeError('truncated value');
    out.push({ tag, value: data.subarray(i, i + length) });
    i += length;
  }
  return out;
}

export function findTlv(items: readonly Tlv[], tag: number): Buffer | undefined {
  return items.find((item) => item.tag === tag)?.value;
}
