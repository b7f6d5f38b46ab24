import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/services/updates/tuf/canonical-json';
import { TufError } from '../../../electron/services/updates/tuf/errors';

const text = (value: unknown) => new TextDecoder().decode(canonicalJson(value));

describe('canonical JSON (securesystemslib encoding)', () => {
  it('sorts keys, drops whitespace and escapes only backslash and quote', () => {
    expect(text({ b: [1, true, null], a: { d: 'x"y\\z', c: false } })).toBe(
      '{"a":{"c":false,"d":"x\\"y\\\\z"},"b":[1,true,null]}',
    );
    // Control characters and non-ASCII stay as they are (UTF-8), as securesystemslib writes them.
    expect(text({ s: 'line\nbreak é' })).toBe('{"s":"line\nbreak é"}');
  });

  it('sorts keys by code point as Python does, not by UTF-16 unit', () => {
    expect(text({ '\u{1F600}': 1, '\uFF5E': 2 })).toBe('{"\uFF5E":2,"\u{1F600}":1}');
  });

  it('refuses floats, unsafe integers and lone surrogates with a reason', () => {
    expect(() => canonicalJson({ n: 1.5 })).toThrow(/only integers; 1.5 is not one/);
    expect(() => canonicalJson({ n: 2 ** 60 })).toThrow(TufError);
    expect(() => canonicalJson({ s: '\uD800' })).toThrow(/not valid Unicode/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot hold a function/);
  });
});
