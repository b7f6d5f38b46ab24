import { createPublicKey, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { SessionSigner } from '../updates/token-signer';
import { distinguishedName } from './distinguished-name';

const ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';

/**
 * A PKCS#10 certification request (RFC 2986) for the token's release key, signed on the token: the
 * release CA sees the key is held by whoever asks. No requested extensions: the CA's profile sets
 * codeSigning, so a request cannot widen what the certificate allows.
 */
export function releaseKeyCsr(signer: SessionSigner, subject: string): string {
  const spki = createPublicKey(signer.key.keyval.public).export({ type: 'spki', format: 'der' });
  const info = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      distinguishedName(subject),
      asn1js.fromBER(new Uint8Array(spki)).result,
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [] }),
    ],
  });
  const infoDer = Buffer.from(info.toBER(false));
  const signature = signer.signNow(infoDer);
  // The token's own signature is checked here, so a request the CA would reject is never written.
  if (!verify('sha384', infoDer, createPublicKey(signer.key.keyval.public), signature))
    throw new Error('the token returned a signature that does not verify with its own public key');
  const request = new asn1js.Sequence({
    value: [
      asn1js.fromBER(new Uint8Array(infoDer)).result,
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: ECDSA_WITH_SHA384 })] }),
      new asn1js.BitString({ valueHex: signature }),
    ],
  });
  const der = Buffer.from(request.toBER(false));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}
