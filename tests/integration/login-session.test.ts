import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySettingsSchema } from '../../common/site/site-config';
import { enrollCard, removeUserCards } from '../../electron/services/identity/login-enroll';
import { LoginRefusal } from '../../electron/services/identity/login-refusal';
import { LoginService, type LockReason } from '../../electron/services/identity/login-service';
import { VaultService } from '../../electron/services/vault/vault-service';
import { StoreFile } from '../../electron/services/vault/store-file';
import { Pkcs11Module } from '../../native/pkcs11';
import { provisionPivFixture, slotOf, type PivFixture, type PivVariant } from '../support/fixtures/piv';
import { defaultLoginConfig } from '../support/login-config';
import { createTempStore, type TempStore } from '../support/store';
import { importTestPki } from '../support/trust-import';

// The login session on real SoftHSM2 tokens and a real encrypted store: enrolment, PIN login that
// unlocks the store with the card's 9D key, every refusal reason, removal and idle locks, the audit.

let fixture: PivFixture;
let temp: TempStore;
let service: LoginService;
let probe: Pkcs11Module; // a second handle on the module, to "pull" a card with C_CloseAllSessions
let offset = 0; // the injected clock: real time plus what a test adds
const locks: { reason: LockReason; at: number }[] = [];

beforeAll(async () => {
  fixture = await provisionPivFixture();
  temp = createTempStore();
  // Trust material through the admin import, as first-run setup leaves it.
  await importTestPki(temp.store, fixture);
  temp.store.close();
  service = new LoginService({
    vault: new VaultService(temp.path),
    config: defaultLoginConfig([fixture.modulePath]),
    clock: {
      now: () => Date.now() + offset,
      every(ms, tick) {
        const timer = setInterval(tick, ms);
        return () => clearInterval(timer);
      },
    },
  });
  service.onLock(({ reason }) => locks.push({ reason, at: performance.now() }));
  probe = Pkcs11Module.load(fixture.modulePath);
});

afterAll(() => {
  service?.dispose();
  probe?.close();
  fixture?.cleanup();
  temp?.cleanup();
});

const user = (variant: PivVariant) => fixture.users[variant];
const login = (variant: PivVariant, pin = user(variant).pin) => service.login(pin, user(variant).serialNumber);

async function refusal(variant: PivVariant, pin?: string): Promise<LoginRefusal> {
  const error = await login(variant, pin).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoginRefusal);
  expect(service.vault.current()).toBeNull();
  return error as LoginRefusal;
}

async function enroll(variant: PivVariant, role: 'admin' | 'analyst' | 'viewer') {
  return enrollCard(
    service.vault.workspace(),
    service.readers,
    { serialNumber: user(variant).serialNumber, role },
    IdentitySettingsSchema.parse({}),
  );
}

describe('login session', () => {
  it('reports the inserted cards with their PIN flags', () => {
    const status = service.status();
    expect(status.setUp).toBe(true); // the store exists, so the app asks for a card
    expect(status.unlocked).toBe(false);
    expect(status.card.state).toBe('card-present');
    if (status.card.state !== 'card-present') return;
    expect(status.card.cards.map((c) => c.serialNumber)).toContain(user('valid-rsa').serialNumber);
    expect(status.card.cards[0]!.pin).toEqual({ countLow: false, finalTry: false, locked: false });
  });

  it('refuses a valid card that is not enrolled (no store slot) as not enrolled', async () => {
    service.unlockWithRecoverySecret(temp.secret); // writes the trust copy beside the database
    service.lock('manual');
    expect((await refusal('valid-ecc')).code).toBe('NOT_ENROLLED');
  });

  it('enrols cards as an administrator signed in with the recovery secret', async () => {
    service.unlockWithRecoverySecret(temp.secret);
    expect((await enroll('valid-rsa', 'admin')).created).toBe(true);
    expect((await enroll('valid-ecc', 'analyst')).created).toBe(true);
    await expect(enroll('expired', 'viewer')).rejects.toMatchObject({ code: 'EXPIRED' });
    await expect(enroll('no-key-management', 'viewer')).rejects.toMatchObject({ code: 'NO_KEY_MANAGEMENT' });
    expect(service.vault.workspace().keySlots.slots.filter((s) => s.type === 'card')).toHaveLength(2);
    service.lock('manual');
  });

  it.each([
    ['valid-rsa', 'admin'],
    ['valid-ecc', 'analyst'],
  ] as const)('%s logs in with the PIN and the card unlocks the store', async (variant, role) => {
    const result = await login(variant);
    expect(result.user).toMatchObject({ role, displayName: user(variant).commonName });
    expect(service.vault.current()?.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 2 });
    console.log(`PIN entry to unlocked (${variant}): ${result.unlockMs} ms`);
    expect(result.unlockMs).toBeLessThan(1500);
    service.lock('manual');
  });

  it('refuses a wrong PIN and says so, without echoing it', async () => {
    const error = await refusal('valid-ecc', '00000000');
    expect(error.code).toBe('WRONG_PIN');
    expect(error.message).toMatch(/^The PIN is incorrect\./);
    expect(error.message).not.toContain('00000000');
    expect(error.pin).toEqual({ finalTry: false, locked: false });
  });

  it.each([
    ['expired', 'EXPIRED', /expired on/],
    ['revoked', 'REVOKED', /was revoked on/],
    ['untrusted', 'UNTRUSTED_ISSUER', /does not chain to a trust anchor/],
    ['card-auth-only', 'WRONG_POLICY', /Card Authentication certificate/],
    ['no-key-management', 'NO_KEY_MANAGEMENT', /no key-management certificate/],
  ] as const)('refuses the %s card: %s', async (variant, code, message) => {
    const error = await refusal(variant);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('locks within 2 s when the card goes away (its sessions are closed under it)', async () => {
    await login('valid-rsa');
    const before = locks.length;
    const pulled = performance.now();
    probe.closeAllSessions(slotOf(probe, user('valid-rsa'))); // SoftHSM: the session handle becomes invalid
    while (locks.length === before && performance.now() - pulled < 3000) await new Promise((r) => setTimeout(r, 20));
    const lock = locks[before];
    expect(lock?.reason).toBe('removal');
    const ms = lock!.at - pulled;
    console.log(`card removal to locked: ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(2000);
    expect(service.vault.current()).toBeNull();
    expect(service.status().lastLock).toMatchObject({
      reason: 'removal',
      detail: expect.stringMatching(/CKR_SESSION_HANDLE_INVALID/),
    });
  });

  it('locks after the idle time (injected clock); unlocking needs the PIN again', async () => {
    await login('valid-ecc');
    service.touch();
    offset += 14 * 60_000;
    service.tick();
    expect(service.vault.current()).not.toBeNull();
    offset += 60_000;
    service.tick();
    expect(service.vault.current()).toBeNull();
    expect(service.status().lastLock?.reason).toBe('idle');
    const again = await login('valid-ecc');
    expect(again.user.role).toBe('analyst');
    service.lock('manual');
  });

  it('removing a user’s key slot stops their card from opening the store', async () => {
    service.unlockWithRecoverySecret(temp.secret);
    const ecc = service.vault
      .workspace()
      .db.prepare('SELECT id FROM users WHERE edipi = ?')
      .get(user('valid-ecc').edipi) as {
      id: number;
    };
    expect(removeUserCards(service.vault.workspace(), ecc.id).removed).toHaveLength(1);
    service.lock('manual');
    const error = await refusal('valid-ecc');
    expect(error.code).toBe('NOT_ENROLLED');
  });

  it('audits logins, failures (kept until the next unlock, without the PIN), locks, enrolments and slot removal in order', async () => {
    await login('valid-rsa'); // writes the pending failures first
    service.lock('manual');
    const store = StoreFile.open(temp.path, { recoverySecret: temp.secret });
    const entries = [...store.audit.entries()].map((e) => ({
      event: e.event,
      outcome: e.outcome,
      actor: e.actor,
      detail: JSON.parse(e.detail) as Record<string, unknown>,
    }));
    expect(store.verify().audit.ok).toBe(true);
    store.close();
    const summary = entries.map((e) =>
      e.event === 'lock'
        ? `lock:${String(e.detail.reason)}`
        : e.event === 'login.failure'
          ? `failure:${String(e.detail.reason)}`
          : e.event,
    );
    const expected = [
      'setup',
      'trust.anchor.add',
      'trust.anchor.add',
      'trust.crl.import',
      'trust.crl.import',
      'login',
      'lock:manual',
      'failure:NOT_ENROLLED',
      'unlock',
      'keyslot.add',
      'user.enroll',
      'keyslot.add',
      'user.enroll',
      'user.enroll',
      'user.enroll',
      'lock:manual',
      'unlock',
      'lock:manual',
      'unlock',
      'lock:manual',
      'failure:WRONG_PIN',
      'failure:EXPIRED',
      'failure:REVOKED',
      'failure:UNTRUSTED_ISSUER',
      'failure:WRONG_POLICY',
      'failure:NO_KEY_MANAGEMENT',
      'unlock',
      'lock:removal',
      'unlock',
      'lock:idle',
      'unlock',
      'lock:manual',
      'unlock',
      'keyslot.remove',
      'user.unenroll',
      'lock:manual',
      'failure:NOT_ENROLLED',
      'unlock',
      'lock:manual',
    ];
    expect(summary).toEqual(expected);
    const pins = Object.values(fixture.users).map((u) => u.pin);
    const text = JSON.stringify(entries);
    for (const pin of [...pins, '00000000']) expect(text).not.toContain(pin);
  });
});
