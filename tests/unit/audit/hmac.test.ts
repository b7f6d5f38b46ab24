import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../../electron/services/audit/hmac';

describe('HMAC-SHA256', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(hmacSha256(Buffer.from('Jefe'))(Buffer.from('what do ya want for nothing?')).toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('matches OpenSSL for random keys (short, block-sized, long) and messages', () => {
    for (const keyLength of [16, 32, 64, 100]) {
      const key = randomBytes(keyLength);
      const mac = hmacSha256(key);
      for (let i = 0; i < 20; i++) {
        const message = randomBytes(i * 7);
        expect(mac(message).equals(createHmac('sha256', key).update(message).digest())).toBe(true);
      }
    }
  });
});
