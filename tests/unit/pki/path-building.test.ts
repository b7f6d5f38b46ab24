import { describe, expect, it } from 'vitest';
import { buildPaths } from '../../../electron/services/pki/path-building';
import { formatName } from '../../../electron/services/pki/x509';
import { PKITS_ANCHOR, pkitsCertificate } from '../../support/pkits';

// Path building on PKITS certificates: every chain of names to the anchor, best first; an edge whose
// signature fails is dropped and remembered.

const anchor = pkitsCertificate(PKITS_ANCHOR);
const subjects = (path: ReturnType<typeof pkitsCertificate>[]) =>
  path.map((c) => formatName(c.pkijs.subject).split(', ')[0]);

describe('path building', () => {
  it('builds the one path of a simple case, target first and anchor last (4.1.1)', () => {
    const built = buildPaths(
      pkitsCertificate('ValidCertificatePathTest1EE.crt'),
      [pkitsCertificate('GoodCACert.crt')],
      [anchor],
    );
    expect(built.paths.map(subjects)).toEqual([['CN=Valid EE Certificate Test1', 'CN=Good CA', 'CN=Trust Anchor']]);
    expect(built.badSignature).toBeNull();
  });

  it('drops an edge whose signature fails and says which (4.1.2, the CA certificate signed badly)', () => {
    const built = buildPaths(
      pkitsCertificate('InvalidCASignatureTest2EE.crt'),
      [pkitsCertificate('BadSignedCACert.crt')],
      [anchor],
    );
    expect(built.paths).toEqual([]);
    expect(formatName(built.badSignature!.child.pkijs.subject)).toContain('Bad Signed CA');
    expect(built.badSignature!.issuer).toBe(anchor);
  });

  it('finds no path when the names do not chain (4.3.1) and none through a certificate given twice', () => {
    const good = pkitsCertificate('GoodCACert.crt');
    const built = buildPaths(pkitsCertificate('InvalidNameChainingTest1EE.crt'), [good, good], [anchor]);
    expect(built).toEqual({ paths: [], badSignature: null });
  });

  it('goes through a self-issued certificate after a key rollover (4.5.1: old key certified by the new one)', () => {
    const built = buildPaths(
      pkitsCertificate('ValidBasicSelfIssuedOldWithNewTest1EE.crt'),
      [
        pkitsCertificate('BasicSelfIssuedNewKeyOldWithNewCACert.crt'),
        pkitsCertificate('BasicSelfIssuedNewKeyCACert.crt'),
      ],
      [anchor],
    );
    expect(built.paths).toHaveLength(1);
    expect(built.paths[0]).toHaveLength(4);
    expect(built.paths[0]![1]!.pkijs.subject.isEqual(built.paths[0]![1]!.pkijs.issuer)).toBe(true);
  });

  it('does not build a path for a target with no issuer among the certificates, even an anchor', () => {
    expect(buildPaths(anchor, [], [anchor]).paths).toEqual([]);
  });
});
