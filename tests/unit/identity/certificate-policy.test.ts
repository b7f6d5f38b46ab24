import { describe, expect, it } from 'vitest';
import { CARD_AUTHENTICATION_POLICIES, DEFAULT_AUTHENTICATION_POLICIES } from '../../../common/site/site-config';
import { decidePolicy, edipiFromCommonName } from '../../../electron/services/identity';

const AUTH = '2.16.840.1.101.3.2.1.3.13';
const CARD_AUTH = '2.16.840.1.101.3.2.1.3.17';
const HARDWARE = '2.16.840.1.101.3.2.1.3.7';
const DOD_MH_112 = '2.16.840.1.101.2.1.11.42';
const ANY = '2.5.29.32.0';
const accepted = [...DEFAULT_AUTHENTICATION_POLICIES];

describe('certificate policy decision', () => {
  it('accepts a path valid for id-fpki-common-authentication, or for the DoD PIV-Auth policy a CAC asserts', () => {
    expect(decidePolicy({ validPolicies: [AUTH], leafPolicies: [AUTH], leafEkus: null, accepted })).toEqual({
      ok: true,
      policies: [AUTH],
    });
    expect(
      decidePolicy({ validPolicies: [DOD_MH_112, AUTH], leafPolicies: [DOD_MH_112, AUTH], leafEkus: null, accepted }),
    ).toEqual({ ok: true, policies: [DOD_MH_112, AUTH] });
  });

  it('refuses card-authentication policies with their own message, whatever else the path allows', () => {
    const decision = decidePolicy({ validPolicies: [CARD_AUTH], leafPolicies: [CARD_AUTH], leafEkus: null, accepted });
    expect(decision).toMatchObject({ ok: false, reason: 'card-authentication', policies: [CARD_AUTH] });
    // The id-PIV-cardAuth EKU marks a 9E certificate even with an accepted policy.
    expect(
      decidePolicy({ validPolicies: [AUTH], leafPolicies: [AUTH], leafEkus: ['2.16.840.1.101.3.6.8'], accepted }),
    ).toMatchObject({ ok: false, reason: 'card-authentication' });
  });

  it('refuses a policy the CAs above do not allow, even when the card asserts it', () => {
    const decision = decidePolicy({ validPolicies: [], leafPolicies: [AUTH], leafEkus: null, accepted });
    expect(decision).toMatchObject({ ok: false, reason: 'not-accepted' });
    if (!decision.ok) expect(decision.message).toContain('its issuing CAs do not allow that policy');
  });

  it('refuses a certificate of another kind (hardware signature policy) and one with no policy', () => {
    expect(
      decidePolicy({ validPolicies: [HARDWARE], leafPolicies: [HARDWARE], leafEkus: null, accepted }),
    ).toMatchObject({ ok: false, reason: 'not-accepted', message: expect.stringContaining(`it asserts ${HARDWARE}`) });
    expect(decidePolicy({ validPolicies: [], leafPolicies: [], leafEkus: null, accepted })).toMatchObject({
      ok: false,
      reason: 'not-accepted',
      message: expect.stringContaining('it asserts none'),
    });
  });

  it('never takes anyPolicy in the card’s certificate for an accepted policy', () => {
    expect(decidePolicy({ validPolicies: [ANY], leafPolicies: [ANY], leafEkus: null, accepted })).toMatchObject({
      ok: false,
      reason: 'not-accepted',
    });
  });

  it('follows the site’s list: a policy the site does not list is refused', () => {
    expect(
      decidePolicy({ validPolicies: [AUTH], leafPolicies: [AUTH], leafEkus: null, accepted: [DOD_MH_112] }),
    ).toMatchObject({ ok: false, reason: 'not-accepted' });
  });

  it('keeps the card-authentication list out of the accepted defaults', () => {
    expect(
      DEFAULT_AUTHENTICATION_POLICIES.filter((p) => (CARD_AUTHENTICATION_POLICIES as readonly string[]).includes(p)),
    ).toEqual([]);
  });
});

describe('EDIPI from the CN', () => {
  it.each([
    ['DOE.JOHN.Q.1234567890', '1234567890'],
    ['DOE.JOHN.1234567890', '1234567890'],
    ['DEL GROSSO.AMANDA.1291272521', '1291272521'],
    ['DOE.JOHN.Q.123456789', null],
    ['DOE.JOHN.Q.12345678901', null],
    ['DOE.JOHN.Q.12345ABCDE', null],
    ['1234567890.DOE', null],
    ['Enclave Test ID CA-1', null],
  ])('%s → %s', (cn, edipi) => {
    expect(edipiFromCommonName(cn)).toBe(edipi);
  });
});
