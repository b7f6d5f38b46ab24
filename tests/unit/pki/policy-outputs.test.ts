import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { OID } from '../../../electron/services/pki/oids';
import { MAX_POLICY_NODES, PolicyProcessor } from '../../../electron/services/pki/policy-processing';
import { validateCertificatePath } from '../../../electron/services/pki/validate-path';
import { PKITS_ANCHOR, PKITS_ANCHOR_CRL, PKITS_TIME, pkitsCertificate, pkitsCrl } from '../../support/pkits';

// What the policy processing gives an application (RFC 5280 6.1.6): the policies in the trust
// anchor's domain through a mapping, the user-constrained set, and a refusal, not exhaustion, for a
// mapping bomb.

const TESTPOL = (k: number) => `2.16.840.1.101.3.2.1.48.${k}`;

describe('policy outputs', () => {
  it('names the anchor-domain policy of a mapped path (PKITS 4.10.1: the CA maps testpol1 to testpol2, the EE asserts testpol2)', async () => {
    const result = await validateCertificatePath({
      target: pkitsCertificate('ValidPolicyMappingTest1EE.crt'),
      intermediates: [pkitsCertificate('Mapping1to2CACert.crt')],
      anchors: [pkitsCertificate(PKITS_ANCHOR)],
      crls: [pkitsCrl('Mapping1to2CACRL.crl'), pkitsCrl(PKITS_ANCHOR_CRL)],
      at: PKITS_TIME,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.authoritiesConstrainedPolicies).toEqual([TESTPOL(1)]);
    expect(result.userConstrainedPolicies).toEqual([TESTPOL(1)]);
    expect(result.targetAssertedPolicies).toEqual([TESTPOL(1)]);
    // The tree: anyPolicy at the anchor, testpol1 for the CA expecting testpol2, testpol2 for the EE.
    const ca = result.policyTree!.children[0]!;
    expect(ca).toMatchObject({ validPolicy: TESTPOL(1), expectedPolicySet: [TESTPOL(2)], depth: 1 });
    expect(ca.children.map((c) => c.validPolicy)).toEqual([TESTPOL(2)]);
  });

  it('intersects with the user-initial-policy-set, and anyPolicy all the way down stands for each user policy', async () => {
    const result = await validateCertificatePath({
      target: pkitsCertificate('AllCertificatesanyPolicyTest11EE.crt'),
      intermediates: [pkitsCertificate('anyPolicyCACert.crt')],
      anchors: [pkitsCertificate(PKITS_ANCHOR)],
      crls: [pkitsCrl('anyPolicyCACRL.crl'), pkitsCrl(PKITS_ANCHOR_CRL)],
      at: PKITS_TIME,
      initialPolicySet: [TESTPOL(1)],
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.authoritiesConstrainedPolicies).toEqual([OID.anyPolicy]);
    expect(result.userConstrainedPolicies).toEqual([TESTPOL(1)]);
    // The EE asserted only anyPolicy: no named policy of its own.
    expect(result.targetAssertedPolicies).toEqual([]);
  });

  it(`refuses a mapping bomb once the tree passes ${MAX_POLICY_NODES} nodes, instead of growing it`, () => {
    const width = 101; // 101 policies, each mapped to 101 others: 10,201 nodes at the next level
    const policies = (ids: string[]) =>
      new pkijs.CertificatePolicies({
        certificatePolicies: ids.map((id) => new pkijs.PolicyInformation({ policyIdentifier: id })),
      });
    const ext = (extnID: string, value: { toSchema(): asn1js.AsnType }) =>
      new pkijs.Extension({ extnID, critical: false, extnValue: value.toSchema().toBER(false), parsedValue: value });
    const issuerPolicies = Array.from({ length: width }, (_, i) => `1.2.3.1.${i}`);
    const subjectPolicies = Array.from({ length: width }, (_, i) => `1.2.3.2.${i}`);
    const ca = new pkijs.Certificate();
    ca.extensions = [
      ext(OID.certificatePolicies, policies(issuerPolicies)),
      ext(
        OID.policyMappings,
        new pkijs.PolicyMappings({
          mappings: issuerPolicies.flatMap((issuerDomainPolicy) =>
            subjectPolicies.map(
              (subjectDomainPolicy) => new pkijs.PolicyMapping({ issuerDomainPolicy, subjectDomainPolicy }),
            ),
          ),
        }),
      ),
    ];
    const ee = new pkijs.Certificate();
    ee.extensions = [ext(OID.certificatePolicies, policies(subjectPolicies))];

    const processor = new PolicyProcessor(2, {
      initialExplicitPolicy: false,
      initialPolicyMappingInhibit: false,
      initialAnyPolicyInhibit: false,
    });
    expect(processor.processCertificate(ca, 1, false)).toBeNull();
    expect(processor.prepareNext(ca, 1, false)).toBeNull();
    expect(processor.processCertificate(ee, 2, false)).toEqual({
      ok: false,
      message: expect.stringContaining(`more than ${MAX_POLICY_NODES} policy-tree nodes`),
    });
  });
});
