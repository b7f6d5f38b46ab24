import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_AUTHENTICATION_POLICIES, IdentitySettingsSchema } from '../../../common/site/site-config';
import { loadSiteConfig } from '../../../electron/services/system/site-config';
import { ServiceError } from '../../../electron/services/service-error';
import { repoRoot } from '../../support/services';

let dir: string;
let overridePath: string;
const resourcesDir = join(repoRoot, 'resources');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'enclave-site-'));
  overridePath = join(dir, 'site-config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function loadError(): ServiceError {
  try {
    loadSiteConfig({ resourcesDir, overridePath });
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the site configuration to be refused');
}

describe('site configuration', () => {
  it('defaults to UNCLASSIFIED with the standard DoD notice and consent text', () => {
    const { config, consent } = loadSiteConfig({ resourcesDir, overridePath });
    expect(config.systemHigh).toBe('UNCLASSIFIED');
    expect(consent.text).toMatch(/^You are accessing a U\.S\. Government \(USG\) Information System/);
    expect(consent.text).toMatch(/See User Agreement for details\.$/);
  });

  it('refuses an override whose site name holds a direction override or a newline (fails closed)', () => {
    for (const siteName of ['Test \u202eRange', 'Test Range\nTOP SECRET']) {
      writeFileSync(overridePath, JSON.stringify({ siteName }));
      const error = loadError();
      expect(error.code).toBe('MISCONFIGURED');
      expect(error.message).toMatch(
        /^The site configuration is invalid\. The site name may not contain .*\(U\+(202E|000A) at/,
      );
    }
  });

  it('takes the site name, system high and consent text from the override file', () => {
    writeFileSync(
      overridePath,
      JSON.stringify({
        siteName: 'Test Range',
        systemHigh: 'SECRET//NOFORN',
        consent: { title: 'Site notice', text: 'Local text.' },
      }),
    );
    const { config, consent } = loadSiteConfig({ resourcesDir, overridePath });
    expect(config).toMatchObject({ siteName: 'Test Range', systemHigh: 'SECRET//NOFORN' });
    expect(consent).toEqual({ title: 'Site notice', text: 'Local text.' });
  });

  it('fails closed on a marking that is not a classification', () => {
    writeFileSync(overridePath, JSON.stringify({ systemHigh: 'SECERT' }));
    const error = loadError();
    expect(error.code).toBe('MISCONFIGURED');
    expect(error.issues?.[0]).toMatchObject({
      path: 'systemHigh',
      message: expect.stringMatching(/"SECERT" at 0: expected a classification/),
    });
  });

  it('refuses unknown keys, so a misspelt setting is not silently ignored', () => {
    writeFileSync(overridePath, JSON.stringify({ systemHihg: 'SECRET' }));
    expect(loadError().code).toBe('MISCONFIGURED');
  });

  it('takes the report authority defaults, and refuses an incomplete or misspelt block', () => {
    const authority = { classifiedBy: 'J. Smith, Analyst', derivedFrom: 'Programme SCG v3', declassifyOn: '20501231' };
    writeFileSync(overridePath, JSON.stringify({ reports: { authority } }));
    expect(loadSiteConfig({ resourcesDir, overridePath }).config.reports).toEqual({ authority });
    for (const reports of [
      { authority: { ...authority, declassifyOn: '' } },
      { authority: { classifiedBy: 'J. Smith', derivedFrom: 'SCG' } },
      { authority: { ...authority, declasifyOn: '20501231' } },
      { authorty: authority },
    ]) {
      writeFileSync(overridePath, JSON.stringify({ reports }));
      const error = loadError();
      expect(error.code, JSON.stringify(reports)).toBe('MISCONFIGURED');
      expect(error.issues?.[0]?.path, JSON.stringify(reports)).toMatch(/^reports/);
    }
  });

  it('refuses a file that is not JSON, naming the file', () => {
    writeFileSync(overridePath, '{ siteName: ');
    const error = loadError();
    expect(error.code).toBe('MISCONFIGURED');
    expect(error.message).toContain(overridePath);
  });

  it('ships identity defaults: FPKI and DoD PIV-Auth policies, CRLs at most 7 days old, fail closed', () => {
    const { config } = loadSiteConfig({ resourcesDir, overridePath });
    expect(config.identity).toEqual({
      authenticationPolicies: [...DEFAULT_AUTHENTICATION_POLICIES],
      maxCrlAgeDays: 7,
      revocationUnavailable: 'refuse',
    });
    expect(config.identity.authenticationPolicies).toContain('2.16.840.1.101.3.2.1.3.13');
    expect(config.identity.authenticationPolicies).toContain('2.16.840.1.101.2.1.11.42');
  });

  it('takes identity settings from the override, with defaults for the keys it leaves out', () => {
    writeFileSync(overridePath, JSON.stringify({ identity: { revocationUnavailable: 'warn', maxCrlAgeDays: 2 } }));
    expect(loadSiteConfig({ resourcesDir, overridePath }).config.identity).toEqual({
      authenticationPolicies: [...DEFAULT_AUTHENTICATION_POLICIES],
      maxCrlAgeDays: 2,
      revocationUnavailable: 'warn',
    });
    expect(IdentitySettingsSchema.parse({})).toEqual({
      authenticationPolicies: [...DEFAULT_AUTHENTICATION_POLICIES],
      maxCrlAgeDays: 7,
      revocationUnavailable: 'refuse',
    });
  });

  it.each([
    [
      'a card-authentication policy',
      { authenticationPolicies: ['2.16.840.1.101.3.2.1.3.17'] },
      'identity.authenticationPolicies',
    ],
    [
      'a policy that is not an OID',
      { authenticationPolicies: ['fpki-common-authentication'] },
      'identity.authenticationPolicies.0',
    ],
    ['no policy at all', { authenticationPolicies: [] }, 'identity.authenticationPolicies'],
    ['a CRL age of zero', { maxCrlAgeDays: 0 }, 'identity.maxCrlAgeDays'],
    ['an unknown revocation mode', { revocationUnavailable: 'ignore' }, 'identity.revocationUnavailable'],
    ['a misspelt key', { maxCrlAge: 7 }, 'identity'],
  ])('fails closed on identity settings with %s', (_name, identity, path) => {
    writeFileSync(overridePath, JSON.stringify({ identity }));
    const error = loadError();
    expect(error.code).toBe('MISCONFIGURED');
    expect(error.issues?.map((i) => i.path)).toContain(path);
  });
});
