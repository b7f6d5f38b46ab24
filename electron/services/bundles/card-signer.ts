import { PIV_KEY_ID, type Pkcs11Session } from '../../../native/pkcs11';
import { ServiceError } from '../service-error';
import type { CmsSigner } from './cms-signature';

/**
 * The signer of an export bundle: the signed-in card's PIV Digital Signature key (slot 9C, CKA_ID 02),
 * whose certificate is the one on the card beside it. The key is "PIN always": each signature takes
 * the PIN again (C_SignInit, C_Login(CKU_CONTEXT_SPECIFIC), C_Sign with nothing in between), so the
 * PIN is an argument of this one signing and is not kept.
 */
export function cardSigner(session: Pkcs11Session, pin: string, chain: readonly Buffer[]): CmsSigner {
  const certificate = session.certificate(PIV_KEY_ID.signature);
  const key = session.privateKey(PIV_KEY_ID.signature);
  if (!certificate || !key)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      'This card has no PIV Digital Signature key and certificate (slot 9C), so it cannot sign a bundle.',
    );
  return {
    certificate: certificate.der,
    chain,
    sign: (data) => session.sign(key, data, { hash: 'sha384', pin }),
  };
}
