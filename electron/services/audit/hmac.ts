import { hash } from 'node:crypto';

export const sha256 = (data: Buffer): Buffer => hash('sha256', data, 'buffer');

/**
 * HMAC-SHA256 (RFC 2104) with the key pads computed once. Verifying a million audit entries
 * needs a million MACs; a new crypto.createHmac object per entry costs twice as much.
 */
export function hmacSha256(key: Buffer): (...parts: Buffer[]) => Buffer {
  const block = Buffer.alloc(64);
  (key.length > 64 ? sha256(key) : key).copy(block);
  const inner = Buffer.from(block.map((b) => b ^ 0x36));
  const outer = Buffer.from(block.map((b) => b ^ 0x5c));
  return (...parts) => sha256(Buffer.concat([outer, sha256(Buffer.concat([inner, ...parts]))]));
}
