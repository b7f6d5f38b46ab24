import { describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { verifyCertificateSignature, verifyCrlSignature, workingKey } from '../../../electron/services/pki/signature';
import { PKITS_ANCHOR, PKITS_ANCHOR_CRL, pkitsCertificate, pkitsCrl } from '../../support/pkits';

// Signatures through Node's OpenSSL, DSA included (PKITS 4.1.4-4.1.6), with a key that inherits its
// DSA parameters from its issuer completed first (RFC 5280 6.1.4 (e)-(f)).

const anchor = pkitsCertificate(PKITS_ANCHOR);
const anchorKey = workingKey(anchor.pkijs.subjectPublicKeyInfo, null);

describe('signatures', () => {
  it('verifies RSA certificates and CRLs with the issuer key, and refuses one altered bit', () => {
    const good = pkitsCertificate('GoodCACert.crt');
    expect(verifyCertificateSignature(good.pkijs, anchorKey)).toBe('valid');
    expect(verifyCrlSignature(pkitsCrl(PKITS_ANCHOR_CRL).pkijs, anchorKey)).toBe('valid');
    expect(verifyCertificateSignature(pkitsCertificate('BadSignedCACert.crt').pkijs, anchorKey)).toBe('invalid');
    expect(verifyCrlSignature(pkitsCrl('BadCRLSignatureCACRL.crl').pkijs, anchorKey)).toBe('invalid');
  });

  it('verifies DSA signatures, and a DSA key whose parameters are inherited from its issuer (4.1.4, 4.1.5)', () => {
    const dsaCa = pkitsCertificate('DSACACert.crt');
    const dsaKey = workingKey(dsaCa.pkijs.subjectPublicKeyInfo, anchorKey);
    expect(verifyCertificateSignature(dsaCa.pkijs, anchorKey)).toBe('valid');
    expect(verifyCertificateSignature(pkitsCertificate('ValidDSASignaturesTest4EE.crt').pkijs, dsaKey)).toBe('valid');

    const inherited = pkitsCertificate('DSAParametersInheritedCACert.crt');
    expect(verifyCertificateSignature(inherited.pkijs, dsaKey)).toBe('valid');
    const ee = pkitsCertificate('ValidDSAParameterInheritanceTest5EE.crt');
    // Without the inherited parameters the key cannot be used at all…
    expect(verifyCertificateSignature(ee.pkijs, workingKey(inherited.pkijs.subjectPublicKeyInfo, null))).toBe(
      'unsupported',
    );
    // …with them it verifies.
    expect(verifyCertificateSignature(ee.pkijs, workingKey(inherited.pkijs.subjectPublicKeyInfo, dsaKey))).toBe(
      'valid',
    );
  });

  it('refuses a bad DSA signature (4.1.6), and a signature made with another kind of key', () => {
    const dsaKey = workingKey(pkitsCertificate('DSACACert.crt').pkijs.subjectPublicKeyInfo, anchorKey);
    expect(verifyCertificateSignature(pkitsCertificate('InvalidDSASignatureTest6EE.crt').pkijs, dsaKey)).toBe(
      'invalid',
    );
    // An RSA-signed certificate against a DSA key.
    expect(verifyCertificateSignature(pkitsCertificate('GoodCACert.crt').pkijs, dsaKey)).toBe('invalid');
  });

  it('calls an unknown signature algorithm unsupported, not invalid', () => {
    const copy = pkijs.Certificate.fromBER(pkitsCertificate('GoodCACert.crt').der);
    copy.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.3.4.5' });
    expect(verifyCertificateSignature(copy, anchorKey)).toBe('unsupported');
  });
});
