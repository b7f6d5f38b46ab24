import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PAGE = 4096;
const RESERVE = 80; // SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of each page

/**
 * Decrypts every page of a SQLCipher 4 file that was keyed with a raw key, free pages included,
 * straight from the bytes on disk (AES-256-CBC, IV in each page's reserved tail). SQLite itself
 * never shows free pages, so this is how a test sees what a forensic examiner with the key would.
 */
export function decryptAllPages(path: string, rawKey: Buffer): Buffer {
  const file = readFileSync(path);
  const out: Buffer[] = [];
  for (let offset = 0; offset + PAGE <= file.length; offset += PAGE) {
    const page = file.subarray(offset, offset + PAGE);
    const start = offset === 0 ? 16 : 0; // page 1 starts with the salt, stored in clear
    const iv = page.subarray(PAGE - RESERVE, PAGE - RESERVE + 16);
    const decipher = createDecipheriv('aes-256-cbc', rawKey, iv).setAutoPadding(false);
    out.push(Buffer.concat([decipher.update(page.subarray(start, PAGE - RESERVE)), decipher.final()]));
  }
  return Buffer.concat(out);
}
