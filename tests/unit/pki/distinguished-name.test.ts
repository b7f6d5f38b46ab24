import { describe, expect, it } from 'vitest';
import { namesEqual, nameWithinSubtree } from '../../../electron/services/pki/distinguished-name';
import { pkitsCertificate } from '../../support/pkits';

// RFC 5280 7.1 name matching on PKITS names: whitespace and case folded, UTF8String and
// PrintableString alike, RDN order significant.

const issuerOf = (file: string) => pkitsCertificate(file).pkijs.issuer;
const subjectOf = (file: string) => pkitsCertificate(file).pkijs.subject;

describe('distinguished names', () => {
  it('matches names that differ only in whitespace or case (4.3.3-4.3.5, 4.3.11)', () => {
    for (const ee of [
      'ValidNameChainingWhitespaceTest3EE.crt',
      'ValidNameChainingWhitespaceTest4EE.crt',
      'ValidNameChainingCapitalizationTest5EE.crt',
    ])
      expect(namesEqual(issuerOf(ee), subjectOf('GoodCACert.crt'))).toBe(true);
    expect(
      namesEqual(
        issuerOf('ValidUTF8StringCaseInsensitiveMatchTest11EE.crt'),
        subjectOf('UTF8StringCaseInsensitiveMatchCACert.crt'),
      ),
    ).toBe(true);
  });

  it('matches a PrintableString name with its UTF8String rollover (4.3.10)', () => {
    expect(
      namesEqual(
        issuerOf('ValidRolloverfromPrintableStringtoUTF8StringTest10EE.crt'),
        subjectOf('RolloverfromPrintableStringtoUTF8StringCACert.crt'),
      ),
    ).toBe(true);
  });

  it('does not match another name, or the same RDNs in another order (4.3.1, 4.3.2)', () => {
    expect(namesEqual(issuerOf('InvalidNameChainingTest1EE.crt'), subjectOf('GoodCACert.crt'))).toBe(false);
    expect(namesEqual(issuerOf('InvalidNameChainingOrderTest2EE.crt'), subjectOf('NameOrderingCACert.crt'))).toBe(
      false,
    );
  });

  it('puts a name within the subtree of its leading RDNs only', () => {
    const ca = subjectOf('GoodCACert.crt'); // C=US, O=Test Certificates 2011, CN=Good CA
    const ee = subjectOf('ValidCertificatePathTest1EE.crt'); // C=US, O=Test Certificates 2011, CN=Valid EE …
    const anchor = subjectOf('TrustAnchorRootCertificate.crt'); // C=US, O=Test Certificates 2011, CN=Trust Anchor
    expect(nameWithinSubtree(ca, ca)).toBe(true);
    expect(nameWithinSubtree(ee, ca)).toBe(false);
    expect(nameWithinSubtree(anchor, ee)).toBe(false);
  });
});
