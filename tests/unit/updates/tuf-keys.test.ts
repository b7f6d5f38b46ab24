import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/services/updates/tuf/canonical-json';
import {
  computeKeyId,
  countValidSignatures,
  memorySigner,
  publicKeyObject,
  signMetadata,
  verifySignature,
} from '../../../electron/services/updates/tuf/keys';
import type { MetadataKey } from '../../../electron/services/updates/tuf/metadata';
import type { TufScheme } from '../../../electron/services/updates/tuf/signer';

function newSigner(scheme: TufScheme) {
  if (scheme === 'ed25519') return memorySigner(generateKeyPairSync('ed25519').privateKey, scheme);
  if (scheme === 'rsassa-pss-sha256')
    return memorySigner(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, scheme);
  const namedCurve = scheme === 'ecdsa-sha2-nistp384' ? 'secp384r1' : 'prime256v1';
  return memorySigner(generateKeyPairSync('ec', { namedCurve }).privateKey, scheme);
}

const SCHEMES: TufScheme[] = ['ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp256', 'ed25519', 'rsassa-pss-sha256'];
const asKey = (key: object) => key as MetadataKey;

describe('TUF keys and signatures', () => {
  it.each(SCHEMES)('%s: a signature verifies; a tampered message or another key does not', async (scheme) => {
    const signer = newSigner(scheme);
    const other = newSigner(scheme);
    const envelope = await signMetadata({ _type: 'test', version: 1 }, [signer]);
    const message = canonicalJson(envelope.signed);
    const sig = envelope.signatures[0]!;
    expect(sig.keyid).toBe(computeKeyId(signer.key));
    expect(verifySignature(signer.key, message, sig.sig)).toBe(true);
    expect(verifySignature(signer.key, canonicalJson({ _type: 'test', version: 2 }), sig.sig)).toBe(false);
    expect(verifySignature(other.key, message, sig.sig)).toBe(false);
  });

  it('a key under the wrong scheme or keytype is refused and verifies nothing', async () => {
    const p384 = newSigner('ecdsa-sha2-nistp384');
    const envelope = await signMetadata({ x: 1 }, [p384]);
    const message = canonicalJson(envelope.signed);
    const asP256 = { ...p384.key, scheme: 'ecdsa-sha2-nistp256' };
    expect(() => publicKeyObject(asP256)).toThrow(/not a ecdsa-sha2-nistp256 key/);
    expect(verifySignature(asP256, message, envelope.signatures[0]!.sig)).toBe(false);
    expect(() => publicKeyObject({ ...p384.key, keytype: 'rsa' })).toThrow(/keytype "rsa" does not go with scheme/);
    expect(() => publicKeyObject({ ...p384.key, scheme: 'ecdsa-sha2-nistp521' })).toThrow(/not supported/);
    expect(() => memorySigner(generateKeyPairSync('ed25519').privateKey, 'ecdsa-sha2-nistp384')).toThrow();
  });

  it('one key listed under two keyids, or one keyid signing twice, counts once toward a threshold', async () => {
    const signer = newSigner('ed25519');
    const second = newSigner('ed25519');
    const envelope = await signMetadata({ x: 1 }, [signer]);
    const message = canonicalJson(envelope.signed);
    const id = computeKeyId(signer.key);
    const keys = {
      [id]: asKey(signer.key),
      alias: asKey({ ...signer.key, keyval: { public: signer.key.keyval.public } }),
    };
    const sig = envelope.signatures[0]!.sig;
    const twice = [
      { keyid: id, sig },
      { keyid: 'alias', sig },
    ];
    expect(countValidSignatures({ keyids: [id, 'alias'], threshold: 2 }, keys, message, twice)).toBe(1);
    expect(countValidSignatures({ keyids: [id, id], threshold: 2 }, keys, message, [twice[0]!, twice[0]!])).toBe(1);
    const both = await signMetadata({ x: 1 }, [signer, second]);
    const secondId = computeKeyId(second.key);
    expect(
      countValidSignatures(
        { keyids: [id, secondId], threshold: 2 },
        { ...keys, [secondId]: asKey(second.key) },
        message,
        both.signatures,
      ),
    ).toBe(2);
    // A signature by a key the role does not list counts for nothing.
    expect(countValidSignatures({ keyids: [secondId], threshold: 1 }, keys, message, envelope.signatures)).toBe(0);
  });
});
