import { randomBytes } from 'node:crypto';
import { CardError } from './errors';
import { pkcs11js } from './pkcs11js';
import type { Pkcs11Session } from './session';

/** The DER OID of secp384r1 (P-384), as CKA_EC_PARAMS names the curve. */
const P384_PARAMS = Buffer.from('06052b81040022', 'hex');

/**
 * Generates an ECDSA P-384 key pair on the token, as permanent objects labelled `label` and sharing a
 * fresh random CKA_ID. The private key is sensitive and non-extractable: it signs on the token and
 * can never be read out. The session must be read-write and logged in as the user. Refuses a label
 * the token already uses, so that an officer's existing key is never shadowed by a second one.
 */
export function generateP384SigningKey(session: Pkcs11Session, label: string): Buffer {
  const P = pkcs11js();
  if (label.length === 0 || Buffer.byteLength(label, 'utf8') > 128)
    throw new CardError('A key label is 1 to 128 bytes.', 'C_GenerateKeyPair');
  if (session.idsWithLabel('privateKey', label).length > 0 || session.idsWithLabel('publicKey', label).length > 0)
    throw new CardError(`The token already has a key labelled "${label}"; choose another label.`, 'C_GenerateKeyPair');
  const id = randomBytes(16);
  const common = [
    { type: P.CKA_TOKEN, value: true },
    { type: P.CKA_LABEL, value: Buffer.from(label, 'utf8') },
    { type: P.CKA_ID, value: id },
  ];
  const publicTemplate = [
    ...common,
    { type: P.CKA_EC_PARAMS, value: P384_PARAMS },
    { type: P.CKA_VERIFY, value: true },
  ];
  const privateTemplate = [
    ...common,
    { type: P.CKA_PRIVATE, value: true },
    { type: P.CKA_SENSITIVE, value: true },
    { type: P.CKA_EXTRACTABLE, value: false },
    { type: P.CKA_SIGN, value: true },
    { type: P.CKA_DECRYPT, value: false },
    { type: P.CKA_DERIVE, value: false },
  ];
  session.invoke('C_GenerateKeyPair', (p, s) =>
    p.C_GenerateKeyPair(s, { mechanism: P.CKM_EC_KEY_PAIR_GEN }, publicTemplate, privateTemplate),
  );
  return id;
}
