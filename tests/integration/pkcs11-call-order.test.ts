import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIV_KEY_ID, Pkcs11Module } from '../../native/pkcs11';
import { provisionPivFixture, slotOf, type PivFixture } from '../support/fixtures/piv';

// The exact PKCS#11 calls the wrapper makes, seen through OpenSC's pkcs11-spy between the wrapper
// and SoftHSM2: for an always-authenticate key, C_SignInit → C_Login(CKU_CONTEXT_SPECIFIC) →
// C_Sign with nothing in between (real cards drop the context login at any other command).

const SPY_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so',
  '/usr/lib/aarch64-linux-gnu/pkcs11/pkcs11-spy.so',
  '/usr/lib/pkcs11/pkcs11-spy.so',
  '/usr/lib64/pkcs11/pkcs11-spy.so',
];
const spyPath = SPY_CANDIDATES.find(existsSync);

let fixture: PivFixture;
let module: Pkcs11Module;
let spyLog: string;

beforeAll(async () => {
  if (!spyPath)
    throw new Error(
      `OpenSC's pkcs11-spy.so is missing (looked in ${SPY_CANDIDATES.join(', ')}): apt-get install opensc`,
    );
  fixture = await provisionPivFixture();
  spyLog = join(fixture.dir, 'spy.log');
  // The spy reads these when it is loaded; vitest runs each file in its own process.
  process.env.PKCS11SPY = fixture.modulePath;
  process.env.PKCS11SPY_OUTPUT = spyLog;
  module = Pkcs11Module.load(spyPath);
});

afterAll(() => {
  module?.close();
  delete process.env.PKCS11SPY;
  delete process.env.PKCS11SPY_OUTPUT;
  fixture?.cleanup();
});

interface SpiedCall {
  name: string;
  userType?: string;
}

/** The calls in the spy's log: "N: C_Name" headers, with C_Login's userType. */
function spiedCalls(): SpiedCall[] {
  const calls: SpiedCall[] = [];
  for (const line of readFileSync(spyLog, 'utf8').split('\n')) {
    const header = /^\d+: (C_\w+)/.exec(line);
    if (header?.[1]) calls.push({ name: header[1] });
    const userType = /^\[in\] userType = (\w+)/.exec(line);
    const last = calls.at(-1);
    if (userType?.[1] && last) last.userType = userType[1];
  }
  return calls;
}

/** The calls one wrapper call made. */
function callsDuring(action: () => void): SpiedCall[] {
  const before = spiedCalls().length;
  action();
  return spiedCalls().slice(before);
}

describe('PKCS#11 call order, observed with pkcs11-spy', () => {
  it('signs with the always-authenticate 9C key as C_SignInit, C_Login(CKU_CONTEXT_SPECIFIC), C_Sign and nothing else', () => {
    const user = fixture.users['valid-rsa'];
    const session = module.openSession(slotOf(module, user));
    expect(callsDuring(() => session.login(user.pin))).toEqual([{ name: 'C_Login', userType: 'CKU_USER' }]);
    const key = session.privateKey(PIV_KEY_ID.signature);
    if (!key) throw new Error('no 9C key');
    const data = randomBytes(48);
    let signature: Buffer = Buffer.alloc(0);
    const calls = callsDuring(() => {
      signature = session.sign(key, data, { pin: user.pin });
    });
    expect(calls).toEqual([
      { name: 'C_SignInit' },
      { name: 'C_Login', userType: 'CKU_CONTEXT_SPECIFIC' },
      { name: 'C_Sign' },
    ]);
    expect(verify('sha256', data, new X509Certificate(user.certificates.signature).publicKey, signature)).toBe(true);
    session.close();
  });

  it('signs with the 9A key (no always-authenticate) as C_SignInit, C_Sign', () => {
    const user = fixture.users['valid-ecc'];
    const session = module.openSession(slotOf(module, user));
    session.login(user.pin);
    const key = session.privateKey(PIV_KEY_ID.authentication);
    if (!key) throw new Error('no 9A key');
    expect(callsDuring(() => session.sign(key, randomBytes(32))).map((c) => c.name)).toEqual(['C_SignInit', 'C_Sign']);
    session.close();
  });

  it('after a wrong context PIN, ends the pending operation before returning', () => {
    const user = fixture.users['valid-ecc'];
    const session = module.openSession(slotOf(module, user));
    session.login(user.pin);
    const key = session.privateKey(PIV_KEY_ID.signature);
    if (!key) throw new Error('no 9C key');
    const calls = callsDuring(() =>
      expect(() => session.sign(key, randomBytes(32), { pin: '11111111' })).toThrow(/PIN is incorrect/),
    );
    // Init, the failed context login, the token-info read for the tries-left message, and the
    // C_Sign that ends the operation (it fails, as it must without the context login).
    expect(calls.map((c) => c.name)).toEqual(['C_SignInit', 'C_Login', 'C_GetTokenInfo', 'C_Sign']);
    session.close();
  });
});
