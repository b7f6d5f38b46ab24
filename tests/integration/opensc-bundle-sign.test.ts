import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySettingsSchema, SiteConfigSchema } from '../../common/site/site-config';
import { exportBundle } from '../../electron/services/bundles/bundle-export';
import { verifyBundle } from '../../electron/services/bundles/bundle-verify';
import { cardSigner } from '../../electron/services/bundles/card-signer';
import { signDetached, verifyDetached } from '../../electron/services/bundles/cms-signature';
import { unpackBundle } from '../../electron/services/bundles/pack';
import { enrollCard } from '../../electron/services/identity/login-enroll';
import { LoginService } from '../../electron/services/identity/login-service';
import { newModel } from '../../electron/services/models/model-library';
import { VaultService } from '../../electron/services/vault/vault-service';
import { PinIncorrectError } from '../../native/pkcs11';
import { openscModulePath, startVirtualReader, type VirtualReader } from '../support/fixtures/pcsc';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import { toPem } from '../support/fixtures/piv/pki';
import { labModel } from '../support/bundle-lab';
import { defaultLoginConfig } from '../support/login-config';
import { createTempStore, type TempStore } from '../support/store';
import { importTestPki } from '../support/trust-import';

// A bundle signed through OpenSC's PIV driver on the emulated card (the 9C key, PIN always: the
// context-specific login), checked by our verifier and, independently, by `openssl cms -verify`.

let fixture: PivFixture;
let reader: VirtualReader;
let temp: TempStore;
let service: LoginService;
let work: string;
const site = SiteConfigSchema.parse({
  siteName: 'Field Site 7',
  systemHigh: 'SECRET',
  pkcs11Modules: [],
  bundles: { destinations: [{ name: 'site9', channel: 'fs7-to-fs9', highest: 'S', noforn: true }] },
});

beforeAll(async () => {
  [fixture, reader] = await Promise.all([provisionPivFixture(), startVirtualReader()]);
  temp = createTempStore();
  await importTestPki(temp.store, fixture);
  temp.store.close();
  service = new LoginService({ vault: new VaultService(temp.path), config: defaultLoginConfig([openscModulePath()]) });
  await reader.insertCard(fixture.cards['valid-ecc']);
  service.unlockWithRecoverySecret(temp.secret);
  await enrollCard(
    service.vault.workspace(),
    service.readers,
    { serialNumber: service.readers.pick().slot.token.serialNumber, role: 'analyst' },
    IdentitySettingsSchema.parse({}),
  );
  service.lock('manual');
  await service.login(fixture.cards['valid-ecc'].pin);
  work = mkdtempSync(join(tmpdir(), 'enclave-opensc-bundle-'));
}, 180_000);

afterAll(async () => {
  service?.dispose();
  await reader?.stop();
  temp?.cleanup();
  fixture?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('signing a bundle with the card through OpenSC', () => {
  const content = Buffer.from('a tag manifest\n');

  it('signs with the 9C key after the context login; our verifier and openssl both accept it', () => {
    const signer = cardSigner(service.cardSession(), fixture.cards['valid-ecc'].pin, [fixture.intermediateCa]);
    expect(signer.certificate.equals(fixture.cards['valid-ecc'].keys.signature.certificate)).toBe(true);
    const cms = signDetached(content, signer, new Date());
    expect(verifyDetached(cms, content)).toMatchObject({ ok: true });
    expect(verifyDetached(cms, Buffer.from('another tag manifest\n'))).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
    });
    writeFileSync(join(work, 'content'), content);
    writeFileSync(join(work, 'sig.cms'), cms);
    writeFileSync(join(work, 'root.pem'), toPem(fixture.rootCa, 'CERTIFICATE'));
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(work, 'sig.cms'),
        '-content',
        join(work, 'content'),
        '-CAfile',
        join(work, 'root.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toBe('');
  });

  it('a wrong PIN at the context login signs nothing; the card ends its sign-in, so the session locks (fail closed)', async () => {
    const pin = fixture.cards['valid-ecc'].pin;
    const wrong = String((Number(pin) + 1) % 100_000_000).padStart(8, '0');
    const signer = cardSigner(service.cardSession(), wrong, []);
    expect(() => signDetached(content, signer, new Date())).toThrow(PinIncorrectError);
    // A PIV card resets its PIN verification on a failed VERIFY: OpenSC no longer counts the user as
    // signed in, and the next poll locks the workstation. Signing in again works as before.
    expect(service.cardSession().loggedIn()).toBe(false);
    service.tick();
    expect(service.status()).toMatchObject({
      unlocked: false,
      lastLock: { reason: 'removal', detail: 'the card’s login ended' },
    });
    await service.login(pin);
  });

  it('exports a whole bundle through the card that the import verifies', async () => {
    const ws = service.vault.workspace();
    const { id } = newModel(ws, labModel('Bridge cost', 'UNCLASSIFIED'), 'UNCLASSIFIED', 'first', new Date());
    const outDir = join(work, 'outbox');
    mkdirSync(outDir);
    const exported = await exportBundle({
      ws,
      site,
      picks: [{ kind: 'model-version', model: id, version: 1 }],
      destination: 'site9',
      signer: () => cardSigner(service.cardSession(), fixture.cards['valid-ecc'].pin, []),
      outDir,
      now: new Date(),
    });
    expect(exported).toMatchObject({ sequence: 1, records: 1, banner: 'UNCLASSIFIED' });
    const dir = join(work, 'unpacked');
    expect(await unpackBundle([exported.file], dir, site.bundles)).toEqual({ ok: true });
    const verdict = await verifyBundle(ws.db, site, dir, new Date());
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    expect(readFileSync(join(dir, 'bag-info.txt'), 'utf8')).toMatch(/^Enclave-Signer: .*ROE\.JANE\.A/m);
  });
});
