/**
 * A role name as one safe file name, the way python-tuf quotes it (`quote(name, '')`): every byte
 * outside A–Z a–z 0–9 `_ . - ~` percent-encoded, so "a/b" is "a%2Fb"; "." and ".." are encoded too.
 */
export function encodeRoleName(name: string): string {
  const encoded = Array.from(new TextEncoder().encode(name), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9_.~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}
