import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { NameConstraints } from '../../../electron/services/pki/name-constraints';
import { OID } from '../../../electron/services/pki/oids';

// Name forms PKITS does not exercise: IP addresses (v4 and v6 with masks) and a constrained form the
// validator does not process (registeredID), which must fail closed.

const ext = (extnID: string, value: { toSchema(): asn1js.AsnType }) =>
  new pkijs.Extension({ extnID, critical: true, extnValue: value.toSchema().toBER(false), parsedValue: value });
const ip = (...bytes: number[]) =>
  new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: new Uint8Array(bytes).buffer }) });
const registeredId = (oid: string) => new pkijs.GeneralName({ type: 8, value: oid });

function ca(permitted: pkijs.GeneralName[], excluded: pkijs.GeneralName[] = []): pkijs.Certificate {
  const certificate = new pkijs.Certificate();
  certificate.extensions = [
    ext(
      OID.nameConstraints,
      new pkijs.NameConstraints({
        ...(permitted.length ? { permittedSubtrees: permitted.map((base) => new pkijs.GeneralSubtree({ base })) } : {}),
        ...(excluded.length ? { excludedSubtrees: excluded.map((base) => new pkijs.GeneralSubtree({ base })) } : {}),
      }),
    ),
  ];
  return certificate;
}

function holder(...names: pkijs.GeneralName[]): pkijs.Certificate {
  const certificate = new pkijs.Certificate();
  certificate.extensions = [ext(OID.subjectAltName, new pkijs.AltName({ altNames: names }))];
  return certificate;
}

describe('name constraints on other forms', () => {
  it('permits an IPv4 address inside 10.1.0.0/16 and refuses one outside, and a v6 address under a v4 constraint', () => {
    const constraints = new NameConstraints();
    constraints.add(ca([ip(10, 1, 0, 0, 255, 255, 0, 0)]));
    expect(constraints.violation(holder(ip(10, 1, 200, 7)))).toBeNull();
    expect(constraints.violation(holder(ip(10, 2, 0, 1)))).toEqual({
      name: 'iPAddress 10.2.0.1',
      reason: 'not-permitted',
    });
    expect(constraints.violation(holder(ip(...new Array<number>(15).fill(0), 1)))).toMatchObject({
      reason: 'not-permitted',
    });
  });

  it('intersects two CAs’ address ranges: a name must be inside both', () => {
    const constraints = new NameConstraints();
    constraints.add(ca([ip(10, 0, 0, 0, 255, 0, 0, 0)])); // 10.0.0.0/8
    constraints.add(ca([ip(192, 168, 0, 0, 255, 255, 0, 0)])); // disjoint: nothing is in both
    expect(constraints.violation(holder(ip(10, 1, 1, 1)))).toMatchObject({ reason: 'not-permitted' });
    expect(constraints.violation(holder(ip(192, 168, 1, 1)))).toMatchObject({ reason: 'not-permitted' });
  });

  it('refuses an excluded IPv6 prefix', () => {
    const prefix = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(12).fill(0)];
    const mask = [...new Array<number>(4).fill(0xff), ...new Array<number>(12).fill(0)];
    const constraints = new NameConstraints();
    constraints.add(ca([], [ip(...prefix, ...mask)]));
    expect(constraints.violation(holder(ip(0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 5)))).toEqual({
      name: 'iPAddress 2001:db8:0:0:0:0:0:5',
      reason: 'excluded',
    });
    expect(constraints.violation(holder(ip(0x20, 0x01, 0x0d, 0xb9, ...new Array<number>(12).fill(0))))).toBeNull();
  });

  it('fails closed on a constrained form it does not process (registeredID), and ignores that form when unconstrained', () => {
    const constrained = new NameConstraints();
    constrained.add(ca([registeredId('1.2.3.4')]));
    expect(constrained.violation(holder(registeredId('1.2.3.4')))).toMatchObject({ reason: 'not-permitted' });
    const unconstrained = new NameConstraints();
    unconstrained.add(ca([ip(10, 0, 0, 0, 255, 0, 0, 0)]));
    expect(unconstrained.violation(holder(registeredId('1.2.3.4')))).toBeNull();
  });
});
