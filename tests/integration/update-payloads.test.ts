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
  refuseUnsupported,
} from '../../electron/services/updates/payloads/apply-payloads';
import { checkSiteTarget } from '../../electron/services/updates/payloads/site-payload';
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
    { edipi: '1234567890', upn: null, uuid: null, displayName: 'Ada Admin' },
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
    const first = applyDatabasePayloads(workspace(), [target('trust/intermediate.crl', 'crl', crl)], site, now());
    expect(first.outcomes).toMatchObject([{ name: 'trust/intermediate.crl', result: 'applied' }]);
    expect(heldCrls(temp.store.db).some((h) => h.crlNumber === '3')).toBe(true);
    const again = applyDatabasePayloads(workspace(), [target('trust/intermediate.crl', 'crl', crl)], site, now());
    expect(again.outcomes[0]!.result).toBe('unchanged');
  });

  it('refuses an old CRL replayed over a newer one, naming both, and changes nothing', async () => {
    applyDatabasePayloads(workspace(), [target('trust/new.crl', 'crl', await newerCrl([], 5))], site, now());
    const held = heldCrls(temp.store.db).map((h) => h.sha256);
    const audit = auditCount();
    const replay = () =>
      temp.store.db.transaction(() =>
        applyDatabasePayloads(workspace(), [target('trust/old.crl', 'crl', fixture.crl)], site, now()),
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
        applyDatabasePayloads(workspace(), [target('trust/intermediate.crl', 'crl', forged)], site, now()),
      )(),
    ).toThrow(/trust\/intermediate\.crl: the CRL from ".*" is not signed by any trusted CA/);
    expect(heldCrls(temp.store.db).map((h) => h.sha256)).toEqual(held);
    expect(() =>
      applyDatabasePayloads(
        workspace(),
        [target('trust/junk.pem', 'trust-anchor', Buffer.from('not a certificate'))],
        site,
        now(),
      ),
    ).toThrow(/trust\/junk\.pem/);
  });

  it('adds an anchor from the bundle, and a preview shows it without keeping it', () => {
    const before = storeTrustMaterial(temp.store.db).certificates.length;
    const preview = previewDatabasePayloads(
      workspace(),
      [target('trust/other-root.cer', 'trust-anchor', fixture.untrustedRootCa)],
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
      [target('trust/intermediate.crl', 'crl', await newerCrl([serialOf(card)]))],
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
      [target('trust/intermediate.crl', 'crl', await newerCrl([]))],
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
      [target('models/bridge.json', 'model-template', body)],
      site,
      now(),
    );
    expect(first.outcomes).toMatchObject([
      { result: 'applied', detail: '"Bridge cost template" version 1, UNCLASSIFIED' },
    ]);
    const again = applyDatabasePayloads(
      workspace(),
      [target('models/bridge.json', 'model-template', body)],
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
      [target('models/bridge.json', 'model-template', changed)],
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
          [
            target('models/ok.json', 'model-template', Buffer.from(JSON.stringify(labModel('Fine', 'UNCLASSIFIED')))),
            target('models/secret.json', 'model-template', secret),
          ],
          site,
          now(),
        ),
      )(),
    ).toThrow(/above this system's high-water mark/);
    expect(count()).toBe(before);
    expect(() =>
      applyDatabasePayloads(
        workspace(),
        [target('models/x.json', 'model-template', Buffer.from('{"format":1}'))],
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
    writeFileSync(siteConfigPath, JSON.stringify({ siteName: 'Old Site' }));
    const body = Buffer.from(JSON.stringify({ siteName: 'Field Site 7', systemHigh: 'SECRET' }));
    const change = checkSiteTarget([target('site/site-config.json', 'site-config', body, '4')], {
      resourcesDir: RESOURCES,
      siteConfigPath,
    })!;
    expect(change.outcome).toMatchObject({
      result: 'applied',
      detail: 'site configuration 4: site "Old Site" → "Field Site 7"; system high UNCLASSIFIED → SECRET',
    });
    expect(JSON.parse(readFileSync(siteConfigPath, 'utf8'))).toEqual({ siteName: 'Old Site' });
    change.write();
    expect(loadSiteConfig({ resourcesDir: RESOURCES, overridePath: siteConfigPath }).config.systemHigh).toBe('SECRET');
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

describe('kinds this version does not apply', () => {
  it('refuses the whole bundle before anything is tried', () => {
    expect(() => refuseUnsupported([target('users/users.json', 'users', Buffer.from('{}'))])).toThrow(
      /cannot apply users\/users\.json \(user list\)\. Nothing was applied\./,
    );
  });
});
