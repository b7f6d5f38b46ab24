import { createHash, X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { IdentitySettingsSchema } from '../../common/site/site-config';
import type { UpdatePayloadKind } from '../../common/update/update-payload';
import { heldCrls } from '../../electron/db/queries/trust';
import { insertUser } from '../../electron/db/queries/users';
import * as models from '../../electron/db/queries/models';
import { recordCardCertificates } from '../../electron/services/identity/login-users';
import { storeTrustMaterial } from '../../electron/services/identity/login-trust';
import { loadSiteConfig } from '../../electron/services/system/site-config';
import { adminCertificates, adminReach, lockoutProblem } from '../../electron/services/updates/payloads/admin-lockout';
import {
  applyDatabasePayloads,
  previewDatabasePayloads,
} from '../../electron/services/updates/payloads/apply-payloads';
import { checkSiteTarget } from '../../electron/services/updates/payloads/site-payload';
import { checkReleaseTarget } from '../../electron/services/updates/payloads/release-payload';
import { checkUserLists, slotsToAdd } from '../../electron/services/updates/payloads/users-payload';
import { listUsers, slotOwner } from '../../electron/services/identity/login-users';
import type { VerifiedTarget } from '../../electron/services/updates/payloads/update-target';
import { workspaceOf, type SessionUser } from '../../electron/services/vault/vault-service';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import { generateKeyPair, issueCertificate, issueCrl } from '../support/fixtures/piv/pki';
import { labModel } from '../support/bundle-lab';
import { createTempStore, type TempStore } from '../support/store';
import { importTestPki } from '../support/trust-import';

// The payload appliers of update bundles (docs/updates.md), against a real store and the test PKI:
// each refusal changes nothing; a preview is the apply rolled back.

const RESOURCES = join(__dirname, '..', '..', 'resources');
const site = loadSiteConfig({ resourcesDir: RESOURCES, overridePath: '/nonexistent/site-config.json' }).config;
const settings = IdentitySettingsSchema.parse({});
const DAY = 86_400_000;

const target = (
  name: string,
  kind: UpdatePayloadKind,
  bytes: Buffer,
  version: string | null = null,
): VerifiedTarget => ({
  name,
  kind,
  version,
  role: name.split('/')[0] === 'trust' ? 'trust' : name.split('/')[0] === 'models' ? 'models' : 'site',
  length: bytes.length,
  sha256: createHash('sha256').update(bytes).digest('hex'),
  bytes,
});

const plan = (targets: VerifiedTarget[]) => ({ targets, users: [] });

let fixture: PivFixture;
let temp: TempStore;
let admin: SessionUser;

beforeAll(async () => {
  fixture = await provisionPivFixture();
}, 120_000);
afterAll(() => fixture?.cleanup());

beforeEach(async () => {
  temp = createTempStore();
  await importTestPki(temp.store, fixture);
  const id = insertUser(
    temp.store.db,
    { edipi: null, upn: 'ada.admin@test.example', uuid: null, displayName: 'Ada Admin' },
    'admin',
    new Date().toISOString(),
  );
  admin = { id, displayName: 'Ada Admin', role: 'admin', actor: `user:${id}` };
});
afterEach(() => temp.cleanup());

const workspace = () => workspaceOf(temp.store, admin);
const auditCount = () => temp.store.audit.count();
const now = () => new Date();

async function newerCrl(revoked: Buffer[] = [], number = 3) {
  return fixture.issueIntermediateCrl({
    revokedSerials: revoked,
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 7 * DAY),
    number,
  });
}

const serialOf = (der: Buffer) => Buffer.from(new X509Certificate(der).serialNumber, 'hex');

/** A CRL in the intermediate's name, signed by a key that is not the intermediate's: a forgery. */
async function forgedCrl() {
  const impostor = await issueCertificate({
    subject: pkijs.Certificate.fromBER(fixture.intermediateCa).subject,
    key: await generateKeyPair({ type: 'ec', curve: 'P-256' }),
    issuer: null,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  return issueCrl({
    issuer: impostor,
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 7 * DAY),
    number: 9,
    revoked: [],
  });
}

describe('trust payloads', () => {
  it('applies a newer CRL in place of the held one, and the same CRL again changes nothing', async () => {
    const crl = await newerCrl();
    const first = applyDatabasePayloads(workspace(), plan([target('trust/intermediate.crl', 'crl', crl)]), site, now());
    expect(first.outcomes).toMatchObject([{ name: 'trust/intermediate.crl', result: 'applied' }]);
    expect(heldCrls(temp.store.db).some((h) => h.crlNumber === '3')).toBe(true);
    const again = applyDatabasePayloads(workspace(), plan([target('trust/intermediate.crl', 'crl', crl)]), site, now());
    expect(again.outcomes[0]!.result).toBe('unchanged');
  });

  it('refuses an old CRL replayed over a newer one, naming both, and changes nothing', async () => {
    applyDatabasePayloads(workspace(), plan([target('trust/new.crl', 'crl', await newerCrl([], 5))]), site, now());
    const held = heldCrls(temp.store.db).map((h) => h.sha256);
    const audit = auditCount();
    const replay = () =>
      temp.store.db.transaction(() =>
        applyDatabasePayloads(workspace(), plan([target('trust/old.crl', 'crl', fixture.crl)]), site, now()),
      )();
    expect(replay).toThrow(/older than the one held .*CRL number 5.*un-revoke cards/);
    expect(heldCrls(temp.store.db).map((h) => h.sha256)).toEqual(held);
    expect(auditCount()).toBe(audit);
  });

  it('refuses a forged CRL (the intermediate’s name, another key), and a trust anchor that is not a certificate', async () => {
    const forged = await forgedCrl();
    const held = heldCrls(temp.store.db).map((h) => h.sha256);
    expect(() =>
      temp.store.db.transaction(() =>
        applyDatabasePayloads(workspace(), plan([target('trust/intermediate.crl', 'crl', forged)]), site, now()),
      )(),
    ).toThrow(/trust\/intermediate\.crl: the CRL from ".*" is not signed by any trusted CA/);
    expect(heldCrls(temp.store.db).map((h) => h.sha256)).toEqual(held);
    expect(() =>
      applyDatabasePayloads(
        workspace(),
        plan([target('trust/junk.pem', 'trust-anchor', Buffer.from('not a certificate'))]),
        site,
        now(),
      ),
    ).toThrow(/trust\/junk\.pem/);
  });

  it('adds an anchor from the bundle, and a preview shows it without keeping it', () => {
    const before = storeTrustMaterial(temp.store.db).certificates.length;
    const preview = previewDatabasePayloads(
      workspace(),
      plan([target('trust/other-root.cer', 'trust-anchor', fixture.untrustedRootCa)]),
      site,
      now(),
    );
    expect(preview.outcomes[0]!.result).toBe('applied');
    expect(preview.material.certificates).toHaveLength(before + 1);
    expect(storeTrustMaterial(temp.store.db).certificates).toHaveLength(before);
  });
});

describe('the administrators a trust update would lock out', () => {
  it('asks for confirmation when a CRL would revoke the only administrator card on record', async () => {
    const card = fixture.users['valid-ecc'].certificates.authentication;
    recordCardCertificates(temp.store.db, admin.id!, [{ kind: 'authentication', der: card }], now());
    const certificates = adminCertificates(temp.store.db);
    const before = await adminReach(certificates, storeTrustMaterial(temp.store.db), settings, now());
    expect(before).toEqual({ known: 1, admitted: ['Ada Admin'] });

    const revoking = previewDatabasePayloads(
      workspace(),
      plan([target('trust/intermediate.crl', 'crl', await newerCrl([serialOf(card)]))]),
      site,
      now(),
    );
    const after = await adminReach(certificates, revoking.material, settings, now());
    expect(after.admitted).toEqual([]);
    expect(lockoutProblem(before, after)).toMatch(
      /no enrolled administrator's card would sign in \(Ada Admin can now\)/,
    );

    const harmless = previewDatabasePayloads(
      workspace(),
      plan([target('trust/intermediate.crl', 'crl', await newerCrl([]))]),
      site,
      now(),
    );
    expect(lockoutProblem(before, await adminReach(certificates, harmless.material, settings, now()))).toBeNull();
  });
});

describe('model templates', () => {
  it('adds a template to the library, shared to read, and a changed body is its next version', () => {
    const body = Buffer.from(JSON.stringify(labModel('Bridge cost template', 'UNCLASSIFIED')));
    const first = applyDatabasePayloads(
      workspace(),
      plan([target('models/bridge.json', 'model-template', body)]),
      site,
      now(),
    );
    expect(first.outcomes).toMatchObject([
      { result: 'applied', detail: '"Bridge cost template" version 1, UNCLASSIFIED' },
    ]);
    const again = applyDatabasePayloads(
      workspace(),
      plan([target('models/bridge.json', 'model-template', body)]),
      site,
      now(),
    );
    expect(again.outcomes[0]!.result).toBe('unchanged');
    const changed = Buffer.from(
      JSON.stringify({
        ...labModel('Bridge cost template', 'UNCLASSIFIED'),
        outputs: ['total'],
        formulas: [{ name: 'total', expr: 'labour * 3' }],
      }),
    );
    const second = applyDatabasePayloads(
      workspace(),
      plan([target('models/bridge.json', 'model-template', changed)]),
      site,
      now(),
    );
    expect(second.outcomes[0]!.detail).toContain('version 2');
  });

  it('refuses a template above the system high, or not a model, and keeps nothing', () => {
    const secret = Buffer.from(JSON.stringify(labModel('Secret plan', 'SECRET')));
    const count = () => models.visibleModels.all(temp.store.db, 0, -1, 1, 'user:-1', 'role:admin', '%').length;
    const before = count();
    expect(() =>
      temp.store.db.transaction(() =>
        applyDatabasePayloads(
          workspace(),
          plan([
            target('models/ok.json', 'model-template', Buffer.from(JSON.stringify(labModel('Fine', 'UNCLASSIFIED')))),
            target('models/secret.json', 'model-template', secret),
          ]),
          site,
          now(),
        ),
      )(),
    ).toThrow(/above this system's high-water mark/);
    expect(count()).toBe(before);
    expect(() =>
      applyDatabasePayloads(
        workspace(),
        plan([target('models/x.json', 'model-template', Buffer.from('{"format":1}'))]),
        site,
        now(),
      ),
    ).toThrow(/models\/x\.json is not a valid enclave-model\/1 model/);
  });
});

describe('site configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'enclave-site-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checks it as at start-up, and writes it whole only when asked', () => {
    const siteConfigPath = join(dir, 'site-config.json');
    writeFileSync(siteConfigPath, JSON.stringify({ siteName: 'Old Site', pkcs11Modules: ['/opt/card/pkcs11.so'] }));
    // A bundle may not choose the native modules the app loads: leaving them out (back to the default) is refused.
    const dropsModules = Buffer.from(JSON.stringify({ siteName: 'Field Site 7' }));
    expect(() =>
      checkSiteTarget([target('site/site-config.json', 'site-config', dropsModules)], {
        resourcesDir: RESOURCES,
        siteConfigPath,
      }),
    ).toThrow(/changes pkcs11Modules .*set at the workstation by an administrator, never by an update bundle/);
    const body = Buffer.from(
      JSON.stringify({
        siteName: 'Field Site 7',
        systemHigh: 'SECRET',
        pkcs11Modules: ['/opt/card/pkcs11.so'],
        session: { idleLockMinutes: 5 },
      }),
    );
    const change = checkSiteTarget([target('site/site-config.json', 'site-config', body, '4')], {
      resourcesDir: RESOURCES,
      siteConfigPath,
    })!;
    expect(change.outcome).toMatchObject({
      result: 'applied',
      // The file replaces the override whole: every other setting it changes is named.
      detail:
        'site configuration 4: site "Old Site" → "Field Site 7"; system high UNCLASSIFIED → SECRET; also changes session',
    });
    expect(JSON.parse(readFileSync(siteConfigPath, 'utf8'))).toMatchObject({ siteName: 'Old Site' });
    change.write();
    expect(loadSiteConfig({ resourcesDir: RESOURCES, overridePath: siteConfigPath }).config.systemHigh).toBe('SECRET');
  });

  it('refuses, before anything changes, a site configuration that cannot be written', () => {
    // (A folder that is not there: tests run as root here, and root may write to any folder that is.)
    const body = Buffer.from(JSON.stringify({ siteName: 'Field Site 7' }));
    expect(() =>
      checkSiteTarget([target('site/site-config.json', 'site-config', body)], {
        resourcesDir: RESOURCES,
        siteConfigPath: join(dir, 'gone', 'site-config.json'),
      }),
    ).toThrow(/cannot be replaced: .*gone is not writable by Enclave\. Nothing was applied\./);
  });

  it('refuses one that would not start, and one bundle with two', () => {
    const paths = { resourcesDir: RESOURCES, siteConfigPath: join(dir, 'site-config.json') };
    const bad = Buffer.from(JSON.stringify({ systemHigh: 'NOT A MARKING' }));
    expect(() => checkSiteTarget([target('site/a.json', 'site-config', bad)], paths)).toThrow(
      /site configuration site\/a\.json is invalid|site configuration is invalid/,
    );
    const good = Buffer.from('{}');
    expect(() =>
      checkSiteTarget([target('site/a.json', 'site-config', good), target('site/b.json', 'site-config', good)], paths),
    ).toThrow(/holds 2 site configurations \(site\/a\.json, site\/b\.json\); it may hold one/);
  });
});

describe('user lists', () => {
  const pem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
  const active = (variant: 'valid-ecc' | 'valid-rsa' | 'expired', role: string) => {
    const user = fixture.users[variant];
    return {
      status: 'active',
      displayName: user.commonName,
      role,
      authenticationCertificate: pem(user.certificates.authentication),
      keyManagementCertificate: pem(user.certificates.keyManagement!),
    };
  };
  const list = (...users: unknown[]) =>
    target('users/users.json', 'users', Buffer.from(JSON.stringify({ format: 'enclave-users/1', users })));
  const material = () => storeTrustMaterial(temp.store.db);

  it('provisions users with their cards, no card needed, and a later list revokes one', async () => {
    const lists = await checkUserLists(
      [list(active('valid-ecc', 'analyst'), active('valid-rsa', 'admin'))],
      material(),
      settings,
      now(),
    );
    const adds = slotsToAdd(lists, temp.store.slots);
    expect(adds).toHaveLength(2);
    // The data key is wrapped to each key-management certificate's public key: the card is not needed.
    for (const add of adds) temp.store.addCardSlot(add.slotId, add.label, add.spki, admin.actor);
    const applied = temp.store.db.transaction(() =>
      applyDatabasePayloads(workspace(), { targets: [], users: lists }, site, now()),
    )();
    expect(applied.outcomes).toMatchObject([{ name: 'users/users.json', result: 'applied' }]);
    const ecc = listUsers(temp.store.db).find((u) => u.displayName === fixture.users['valid-ecc'].commonName)!;
    expect(ecc).toMatchObject({ role: 'analyst', edipi: fixture.users['valid-ecc'].edipi, disabledAt: null });
    expect(slotOwner(temp.store.db, adds[0]!.slotId)).toBe(ecc.id);

    const again = await checkUserLists(
      [list(active('valid-ecc', 'analyst'), active('valid-rsa', 'admin'))],
      material(),
      settings,
      now(),
    );
    expect(slotsToAdd(again, temp.store.slots)).toEqual([]);
    const unchanged = applyDatabasePayloads(workspace(), { targets: [], users: again }, site, now());
    expect(unchanged.outcomes[0]).toMatchObject({ result: 'unchanged' });

    const revoke = await checkUserLists(
      [list({ status: 'revoked', displayName: ecc.displayName, edipi: ecc.edipi })],
      material(),
      settings,
      now(),
    );
    const revoked = applyDatabasePayloads(workspace(), { targets: [], users: revoke }, site, now());
    expect(revoked.removeSlots).toEqual([adds[0]!.slotId]);
    expect(revoked.outcomes[0]!.detail).toBe(`${ecc.displayName} revoked`);
    expect(listUsers(temp.store.db).find((u) => u.id === ecc.id)).toMatchObject({ cardSlots: [] });
    expect(listUsers(temp.store.db).find((u) => u.id === ecc.id)!.disabledAt).not.toBeNull();

    // Listed as active again: enabled again, with the card bound.
    const back = await checkUserLists([list(active('valid-ecc', 'analyst'))], material(), settings, now());
    const enabled = applyDatabasePayloads(workspace(), { targets: [], users: back }, site, now());
    expect(enabled.outcomes[0]!.detail).toContain(`${ecc.displayName} enabled again`);
    expect(listUsers(temp.store.db).find((u) => u.id === ecc.id)).toMatchObject({ disabledAt: null });
  });

  it('refuses a card that would not sign in, or a list that is not one, naming the user', async () => {
    await expect(checkUserLists([list(active('expired', 'analyst'))], material(), settings, now())).rejects.toThrow(
      new RegExp(`users/users\\.json: ${fixture.users.expired.commonName}: .*expired`, 'i'),
    );
    await expect(
      checkUserLists([list({ status: 'revoked', displayName: 'Nobody' })], material(), settings, now()),
    ).rejects.toThrow(/not a valid enclave-users\/1 list: users\.0: a revoked user needs an EDIPI, UPN or card UUID/);
  });

  it('keeps an enabled administrator: a list may not revoke the last one', async () => {
    const lists = await checkUserLists([list(active('valid-rsa', 'admin'))], material(), settings, now());
    temp.store.db.transaction(() => applyDatabasePayloads(workspace(), { targets: [], users: lists }, site, now()))();
    const rsa = fixture.users['valid-rsa'];
    // Ada (the applying admin) is disabled first by hand, so the provisioned admin is the only enabled one.
    temp.store.db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(now().toISOString(), admin.id);
    const revoke = await checkUserLists(
      [list({ status: 'revoked', displayName: rsa.commonName, edipi: rsa.edipi })],
      material(),
      settings,
      now(),
    );
    expect(() => applyDatabasePayloads(workspace(), { targets: [], users: revoke }, site, now())).toThrow(
      /only enabled administrator and cannot be disabled/,
    );
  });
});

describe('app releases', () => {
  it('are refused on a development tree (no install root), naming the target, and one bundle may hold only one', () => {
    const release = (name: string) => target(name, 'app-release', Buffer.from('x'), '0.2.0');
    expect(() => checkReleaseTarget([release('app/enclave-0.2.0.tar')], undefined)).toThrow(
      /app\/enclave-0\.2\.0\.tar is an app release, and this Enclave has no install root/,
    );
    expect(() => checkReleaseTarget([release('app/a.tar'), release('app/b.tar')], '/opt/enclave')).toThrow(
      /holds 2 app releases \(app\/a\.tar, app\/b\.tar\); it may hold one/,
    );
    expect(checkReleaseTarget([], undefined)).toBeNull();
  });
});
