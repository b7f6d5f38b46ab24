import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeConsent, startTestServices, type TestServices } from '../../support/services';

let t: TestServices;
beforeAll(async () => {
  t = await startTestServices({
    siteName: 'Guard test',
    systemHigh: 'S//NF',
    markings: {
      controlsInUse: ['NOFORN', 'REL TO', 'ORCON', 'SCI', 'FGI'],
      tetragraphs: { FVEY: ['AUS', 'CAN', 'GBR', 'NZL', 'USA'] },
    },
  });
  await acknowledgeConsent(t);
});
afterAll(async () => t.close());

const check = (marking: string) => t.dispatch('enclave:markings.check', { marking });

describe('markings service (the gate every stored object passes)', () => {
  it('shows the system high in canonical form, on the banner and in the policy', async () => {
    expect(await t.dispatch('enclave:system.info', {})).toMatchObject({
      ok: true,
      value: { site: { systemHigh: 'SECRET//NOFORN', bannerLevel: 'SECRET' } },
    });
    const policy = await t.dispatch('enclave:markings.policy', {});
    expect(policy).toMatchObject({
      ok: true,
      value: { systemHigh: 'SECRET//NOFORN', settings: { controlsInUse: ['NOFORN', 'REL TO', 'ORCON', 'SCI', 'FGI'] } },
    });
  });

  it('accepts a marking at or under system high and returns its canonical forms', async () => {
    expect(await check('(S//REL TO USA, GBR, AUS)')).toEqual({
      ok: true,
      value: { banner: 'SECRET//REL TO USA, AUS, GBR', portion: '(S//REL TO USA, AUS, GBR)', bannerLevel: 'SECRET' },
    });
    expect(await check('C//OC/NF')).toMatchObject({ ok: true, value: { banner: 'CONFIDENTIAL//ORCON/NOFORN' } });
  });

  it('refuses to store anything above system high, with a clear error', async () => {
    expect(await check('TOP SECRET//NOFORN')).toEqual({
      ok: false,
      error: {
        code: 'ABOVE_SYSTEM_HIGH',
        message:
          "TOP SECRET//NOFORN is above this system's high-water mark (SECRET//NOFORN): it cannot be stored or handled here.",
      },
    });
    expect(await check('SECRET//SI//NOFORN')).toMatchObject({
      ok: false,
      error: { code: 'ABOVE_SYSTEM_HIGH', message: expect.stringMatching(/^SECRET\/\/SI\/\/NOFORN is above/) },
    });
  });

  it('refuses an invalid marking, naming the token and its position', async () => {
    expect(await check('SECRET//REL TO GBR, USA')).toEqual({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: '"SECRET//REL TO GBR, USA" is not a valid marking.',
        issues: [{ path: 'marking', message: '"GBR" at 15: REL TO needs USA first' }],
      },
    });
  });

  it("enforces the site's controls in use", async () => {
    expect(await check('SECRET//IMCON/NOFORN')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', issues: [{ message: '"IMCON" at 8: IMCON is not in use at this site' }] },
    });
    expect(await check('SECRET//REL TO USA, NATO')).toMatchObject({
      ok: false,
      error: {
        issues: [
          { message: expect.stringMatching(/NATO is not an ISO 3166 trigraph or a tetragraph known to this site/) },
        ],
      },
    });
  });

  it('refuses a site configuration whose system high uses a control the site switched off', async () => {
    const bad = await startTestServices({
      systemHigh: 'SECRET//ORCON/NOFORN',
      markings: { controlsInUse: ['NOFORN'] },
    });
    try {
      expect(await bad.dispatch('enclave:system.info', {})).toMatchObject({
        ok: false,
        error: {
          code: 'MISCONFIGURED',
          issues: [{ path: 'systemHigh', message: '"ORCON" at 8: ORCON is not in use at this site' }],
        },
      });
    } finally {
      await bad.close();
    }
  });
});
