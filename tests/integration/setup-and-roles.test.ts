import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreFile } from '../../electron/services/vault/store-file';
import { provisionPivFixture, type PivFixture, type PivVariant } from '../support/fixtures/piv';
import { toPem } from '../support/fixtures/piv/pki';
import { acknowledgeConsent, handFile, startTestServices, type TestServices } from '../support/services';

// First-run setup, trust material and the role matrix through the real service worker and the
// dispatcher, with SoftHSM2 cards: what the setup wizard and the admin page drive.

let fixture: PivFixture;
let t: TestServices;
let recoverySecret = '';

/** A file handed to the services as the browser host or Electron's dialog would: a handle for one call. */
const file = (name: string, bytes: Buffer | string) => handFile(t, name, bytes);
const call = (channel: string, request: object = {}) => t.dispatch(`enclave:${channel}`, request);
const value = <T>(result: Awaited<ReturnType<typeof call>>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};
const cardLogin = async (variant: PivVariant) => {
  const user = fixture.users[variant];
  return value<{ outcome: string; user?: { role: string }; reason?: string }>(
    await call('identity.login', { pin: user.pin, serialNumber: user.serialNumber }),
  );
};
const dbPath = () => join(t.dataDir, 'enclave.db');

beforeAll(async () => {
  fixture = await provisionPivFixture(); // sets SOFTHSM2_CONF, which the worker inherits
  t = await startTestServices({ pkcs11Modules: [fixture.modulePath] });
  await acknowledgeConsent(t);
});
afterAll(async () => {
  await t?.close();
  fixture?.cleanup();
});

describe('first-run setup', () => {
  it('refuses an invalid system high with the marking issue, and writes nothing', async () => {
    const result = await call('setup.begin', {
      siteName: 'Field Site 7',
      systemHigh: 'SECRET//NOFORN/REL TO USA, GBR',
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        issues: [{ path: 'systemHigh', message: expect.stringMatching(/NOFORN and REL TO/) }],
      },
    });
    expect(existsSync(dbPath())).toBe(false);
  });

  it('shows a recovery secret once; a wrong one typed back creates nothing', async () => {
    const begun = value<{ recoverySecret: string; systemHigh: string }>(
      await call('setup.begin', { siteName: 'Field Site 7', systemHigh: 'SECRET//NF' }),
    );
    expect(begun.systemHigh).toBe('SECRET//NOFORN');
    expect(begun.recoverySecret).toMatch(/^([0-9A-Z]{4}-){12}[0-9A-Z]{4}$/);
    recoverySecret = begun.recoverySecret;
    const wrong = recoverySecret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await call('setup.confirm', { recoverySecret: wrong })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/not the recovery secret shown/) },
    });
    expect(existsSync(dbPath())).toBe(false);
    expect(
      existsSync(join(t.dataDir, 'site-config.json')) &&
        JSON.parse(readFileSync(join(t.dataDir, 'site-config.json'), 'utf8')).siteName,
    ).toBeFalsy();
    expect(t.logs.join('\n')).not.toContain(recoverySecret);
  });

  it('typed back (in lower case, without dashes) it creates the store, sets the site and signs in as the recovery administrator', async () => {
    const confirmed = value<{ user: { role: string; id: number | null } }>(
      await call('setup.confirm', { recoverySecret: recoverySecret.replace(/-/g, '').toLowerCase() }),
    );
    expect(confirmed.user).toEqual({ id: null, displayName: 'Recovery secret', role: 'admin' });
    expect(existsSync(dbPath())).toBe(true);
    expect(value<{ site: object }>(await call('system.info')).site).toEqual({
      name: 'Field Site 7',
      systemHigh: 'SECRET//NOFORN',
      bannerLevel: 'SECRET',
    });
    expect(await call('setup.begin', { siteName: 'Again', systemHigh: 'SECRET' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/already set up/) },
    });
    expect(value(await call('setup.progress'))).toEqual({
      siteName: 'Field Site 7',
      systemHigh: 'SECRET//NOFORN',
      trustAnchors: 0,
      adminCards: 0,
      completedAt: null,
    });
    expect(await call('setup.finish')).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/Import the trust anchors/) },
    });
  });
});

describe('trust material', () => {
  it('a bad file fails the whole import and changes nothing', async () => {
    const result = await call('trust.importAnchors', {
      files: [await file('root.cer', fixture.rootCa), await file('notes.txt', 'hello')],
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/^notes\.txt: The file is not a certificate.*Nothing was imported\.$/),
      },
    });
    expect(value<{ anchors: unknown[] }>(await call('trust.list')).anchors).toEqual([]);
  });

  it('imports a PEM root and a DER intermediate; the same again changes nothing', async () => {
    // A handle serves one call: each import hands the files again.
    const files = async () => [
      await file('root.pem', toPem(fixture.rootCa, 'CERTIFICATE')),
      await file('intermediate.cer', fixture.intermediateCa),
    ];
    const first = value<{ added: string[]; unchanged: unknown[] }>(
      await call('trust.importAnchors', { files: await files() }),
    );
    expect(first.added).toHaveLength(2);
    expect(
      value<{ added: string[]; unchanged: { reason: string }[] }>(
        await call('trust.importAnchors', { files: await files() }),
      ),
    ).toMatchObject({ added: [], unchanged: [{ reason: 'already trusted' }, { reason: 'already trusted' }] });
    const list = value<{ anchors: { root: boolean; addedBy: string }[] }>(await call('trust.list'));
    expect(list.anchors.map((a) => [a.root, a.addedBy])).toEqual([
      [true, 'recovery'],
      [false, 'recovery'],
    ]);
  });

  it('refuses a CRL whose signature does not verify; a newer CRL replaces an older one, never the reverse', async () => {
    const forged = Buffer.from(fixture.crl);
    forged[forged.length - 5] = forged[forged.length - 5]! ^ 0xff; // inside the signature
    expect(await call('trust.importCrls', { files: [await file('forged.crl', forged)] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not signed by any trusted CA/) },
    });
    expect(
      value<{ added: string[] }>(
        await call('trust.importCrls', {
          files: [await file('stale.crl', fixture.staleCrl), await file('root.crl', fixture.rootCrl)],
        }),
      ).added,
    ).toHaveLength(2);
    expect(
      value<{ added: string[] }>(await call('trust.importCrls', { files: [await file('current.crl', fixture.crl)] }))
        .added,
    ).toHaveLength(1);
    expect(value(await call('trust.importCrls', { files: [await file('stale.crl', fixture.staleCrl)] }))).toMatchObject(
      {
        added: [],
        unchanged: [{ reason: 'a newer CRL from this issuer is already imported' }],
      },
    );
    const crls = value<{ crls: { thisUpdate: string; revokedCount: number }[] }>(await call('trust.list')).crls;
    expect(crls).toHaveLength(2);
    expect(crls.map((c) => c.revokedCount).sort()).toEqual([0, 1]);
  });

  it('enrolling the first card as administrator lets setup finish, which locks for that card', async () => {
    expect(
      value(await call('identity.enroll', { serialNumber: fixture.users['valid-rsa'].serialNumber, role: 'admin' })),
    ).toMatchObject({ created: true });
    const finished = value<{ completedAt: string | null; adminCards: number }>(await call('setup.finish'));
    expect(finished).toMatchObject({ adminCards: 1, trustAnchors: 2, completedAt: expect.any(String) });
    expect(value(await call('identity.status'))).toMatchObject({
      unlocked: false,
      lastLock: { reason: 'manual', detail: 'setup finished: sign in with your card' },
    });
    expect(await cardLogin('valid-rsa')).toMatchObject({ outcome: 'unlocked', user: { role: 'admin' } });
  });
});

describe('roles, enforced by the service on every call', () => {
  let eccId = 0;
  it('an administrator enrolls a viewer and changes roles; the last administrator keeps the role', async () => {
    eccId = value<{ userId: number }>(
      await call('identity.enroll', { serialNumber: fixture.users['valid-ecc'].serialNumber, role: 'viewer' }),
    ).userId;
    const admin = value<{ users: { id: number; role: string }[] }>(await call('identity.users')).users.find(
      (u) => u.role === 'admin',
    )!;
    expect(await call('identity.setRole', { userId: admin.id, role: 'analyst' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/only enabled administrator/) },
    });
    expect(await call('identity.removeCard', { userId: admin.id })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/only administrator whose card signs in/) },
    });
    expect(await call('identity.setDisabled', { userId: admin.id, disabled: true })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
    // Re-enrolling one's own card with another role (the enrol form's default is analyst) is a role change too.
    const ownCard = fixture.users['valid-rsa'].serialNumber;
    expect(await call('identity.enroll', { serialNumber: ownCard, role: 'analyst' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/only enabled administrator/) },
    });
    expect(await call('identity.enroll', { serialNumber: ownCard, role: 'viewer' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
    const users = value<{ users: { id: number; role: string }[] }>(await call('identity.users')).users;
    expect(users.find((u) => u.id === admin.id)).toMatchObject({ role: 'admin' });
    expect(value(await call('identity.status'))).toMatchObject({ user: { role: 'admin' } });
    // The same card again as administrator changes nothing and is allowed.
    expect(value(await call('identity.enroll', { serialNumber: ownCard, role: 'admin' }))).toMatchObject({
      created: false,
    });
    expect(value(await call('identity.setRole', { userId: eccId, role: 'analyst' }))).toMatchObject({
      user: { id: eccId, role: 'analyst' },
    });
    expect(value(await call('identity.setRole', { userId: eccId, role: 'viewer' }))).toMatchObject({
      user: { role: 'viewer' },
    });
    value(await call('identity.lock'));
  });

  it('a viewer is refused every administration channel, with the role it needs', async () => {
    expect(await cardLogin('valid-ecc')).toMatchObject({ outcome: 'unlocked', user: { role: 'viewer' } });
    for (const [channel, request] of [
      ['identity.users', {}],
      ['identity.setRole', { userId: eccId, role: 'admin' }],
      ['identity.enroll', { serialNumber: fixture.users['valid-ecc'].serialNumber, role: 'admin' }],
      ['trust.list', {}],
      ['trust.importAnchors', { files: [await file('root.cer', fixture.rootCa)] }],
      ['setup.progress', {}],
      ['audit.list', { limit: 10 }],
      ['audit.export', { format: 'jsonl', limit: 10 }],
      ['vault.status', {}],
      ['vault.verify', {}],
      ['vault.backup', { destination: '/tmp/never-written.db', ownSecret: false }],
      ['vault.rotateKey', { recoverySecret: 'x' }],
      // Malformed too: the role is checked before the request's shape, so this is a denial on record.
      ['trust.removeAnchor', { id: 'not-a-number', isAdmin: true }],
    ] as const) {
      expect(await call(channel, request), channel).toMatchObject({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `Only an administrator may do this (${channel}); you are signed in as a viewer.`,
        },
      });
    }
    // Running is an analyst's: the service refuses a viewer's run before the engine starts.
    expect(
      await call('runs.authorize', { model: 'Cost', marking: 'UNCLASSIFIED', iterations: 10, seed: 1, sampling: 'mc' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'Only an analyst may do this (runs.authorize); you are signed in as a viewer.',
      },
    });
    expect(value(await call('markings.check', { marking: 'SECRET' }))).toMatchObject({ banner: 'SECRET' });
    value(await call('identity.lock'));
  });

  it('nobody signed in is refused as unauthenticated', async () => {
    expect(await call('trust.list')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await call('trust.removeCrl', { id: -1, extra: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('a disabled user is refused at sign-in', async () => {
    expect(await cardLogin('valid-rsa')).toMatchObject({ outcome: 'unlocked' });
    value(await call('identity.setDisabled', { userId: eccId, disabled: true }));
    value(await call('identity.lock'));
    expect(await cardLogin('valid-ecc')).toMatchObject({ outcome: 'refused', reason: 'USER_DISABLED' });
  });

  it('an administrator (an analyst too) may run: the run is on record; a model above the system high is refused', async () => {
    expect(await cardLogin('valid-rsa')).toMatchObject({ outcome: 'unlocked' });
    const run = { model: 'Cost', iterations: 10_000, seed: 7, sampling: 'lhs' } as const;
    expect(value(await call('runs.authorize', { ...run, marking: 'UNCLASSIFIED' }))).toMatchObject({
      banner: 'UNCLASSIFIED',
    });
    expect(await call('runs.authorize', { ...run, marking: 'TOP SECRET' })).toMatchObject({
      ok: false,
      error: { code: 'ABOVE_SYSTEM_HIGH' },
    });
    type Page = { entries: { event: string; object: string; detail: string }[] };
    const recorded = value<Page>(await call('audit.list', { limit: 5 })).entries.filter((e) => e.event === 'run.start');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ object: 'Cost' });
    expect(JSON.parse(recorded[0]!.detail)).toEqual({
      by: expect.stringMatching(/\S/),
      marking: 'UNCLASSIFIED',
      iterations: 10_000,
      seed: 7,
      sampling: 'lhs',
    });
    value(await call('identity.lock'));
  });

  it('an administrator pages through the audit log, newest first, and verifies its chain', async () => {
    const signedIn = await cardLogin('valid-rsa');
    expect(signedIn, JSON.stringify(signedIn)).toMatchObject({ outcome: 'unlocked' });
    type Page = { entries: { seq: number; event: string; detail: string }[]; total: number };
    const first = value<Page>(await call('audit.list', { limit: 5 }));
    expect(first.entries).toHaveLength(5);
    expect(first.entries[0]!.event).toBe('unlock'); // this sign-in, after earlier locks
    const seqs = first.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(first.total).toBe(seqs[0]);
    const next = value<Page>(await call('audit.list', { beforeSeq: seqs.at(-1)!, limit: 500 }));
    expect(next.entries.map((e) => e.seq)).toEqual(
      Array.from({ length: seqs.at(-1)! - 1 }, (_, i) => seqs.at(-1)! - 1 - i),
    );
    expect(next.entries.at(-1)).toMatchObject({ seq: 1, event: 'setup' });
    expect(JSON.parse(next.entries.find((e) => e.event === 'role.change')!.detail)).toEqual({
      from: 'analyst',
      to: 'viewer',
    }); // the newer of the two
    expect(value(await call('audit.verify'))).toMatchObject({
      ok: true,
      entries: first.total,
      message: expect.stringMatching(/intact/),
    });
    value(await call('identity.lock'));
  });

  it('the audit log holds the setup, the imports, the role changes and every denial, in order', async () => {
    await t.services.stop(); // the data directory stays until afterAll
    const store = StoreFile.open(dbPath(), { recoverySecret });
    try {
      const entries = [...store.audit.entries()];
      const events = entries.map((e) => e.event);
      for (const event of [
        'setup',
        'setup.site',
        'trust.anchor.add',
        'trust.crl.import',
        'user.enroll',
        'setup.complete',
        'role.change',
        'user.disable',
      ])
        expect(events, event).toContain(event);
      const denied = entries
        .filter((e) => e.event === 'access.denied')
        .map((e) => [e.actor.startsWith('user:') ? 'user' : e.actor, e.object, e.outcome]);
      expect(denied).toEqual([
        ['user', 'identity.users', 'denied'],
        ['user', 'identity.setRole', 'denied'],
        ['user', 'identity.enroll', 'denied'],
        ['user', 'trust.list', 'denied'],
        ['user', 'trust.importAnchors', 'denied'],
        ['user', 'setup.progress', 'denied'],
        ['user', 'audit.list', 'denied'],
        ['user', 'audit.export', 'denied'],
        ['user', 'vault.status', 'denied'],
        ['user', 'vault.verify', 'denied'],
        ['user', 'vault.backup', 'denied'],
        ['user', 'vault.rotateKey', 'denied'],
        ['user', 'trust.removeAnchor', 'denied'],
        ['user', 'runs.authorize', 'denied'],
        ['anonymous', 'trust.list', 'denied'],
        ['anonymous', 'trust.removeCrl', 'denied'],
      ]);
      const roleChanges = entries
        .filter((e) => e.event === 'role.change')
        .map((e) => JSON.parse(e.detail) as { from: string; to: string })
        .map((d) => [d.from, d.to]);
      expect(roleChanges).toEqual([
        ['viewer', 'analyst'],
        ['analyst', 'viewer'],
      ]);
      expect(store.audit.verify()).toMatchObject({ ok: true });
    } finally {
      store.close();
    }
  });
});
