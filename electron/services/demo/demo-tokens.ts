import { webcrypto } from 'node:crypto';
import type { Attribute } from 'pkcs11js';
import { pkcs11js } from '../../../native/pkcs11/pkcs11js';
import { PIV_KEY_ID } from '../../../native/pkcs11/piv';
import type { DemoIssued } from './demo-pki';

/**
 * Writes the demo cards onto SoftHSM2 tokens through PKCS#11 (C_InitToken, C_InitPIN,
 * C_CreateObject), laid out as OpenSC shows a PIV card: each key, its public key and its certificate
 * share one CKA_ID (01 for 9A, 03 for 9D), which is how the login finds them. The app's wrapper
 * (native/pkcs11) never writes to a card, so this uses pkcs11js directly. PINs go straight to the
 * module, never to a command line or a log. SOFTHSM2_CONF must already name the demo's config, set
 * by the process's main thread (a worker thread's environment is its own copy).
 */
export interface DemoToken {
  label: string;
  pin: string;
  soPin: string;
  authentication: DemoIssued;
  keyManagement: DemoIssued;
}

const CKF_TOKEN_INITIALIZED = 0x400;

function derInteger(unsigned: Buffer): Buffer {
  const body = (unsigned[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), unsigned]) : unsigned;
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

async function objectsOf(id: number, issued: DemoIssued, usage: 'authentication' | 'keyManagement') {
  const P = pkcs11js();
  const jwk = await webcrypto.subtle.exportKey('jwk', issued.key.privateKey);
  const b = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');
  const subject = Buffer.from(issued.certificate.subject.toSchema().toBER());
  const common = (cls: number): Attribute[] => [
    { type: P.CKA_CLASS, value: cls },
    { type: P.CKA_KEY_TYPE, value: P.CKK_RSA },
    { type: P.CKA_TOKEN, value: true },
    { type: P.CKA_ID, value: Buffer.from([id]) },
    { type: P.CKA_SUBJECT, value: subject },
  ];
  const management = usage === 'keyManagement';
  const privateKey: Attribute[] = [
    ...common(P.CKO_PRIVATE_KEY),
    { type: P.CKA_LABEL, value: management ? 'KEY MAN key' : 'PIV AUTH key' },
    { type: P.CKA_PRIVATE, value: true },
    { type: P.CKA_SENSITIVE, value: true },
    { type: P.CKA_EXTRACTABLE, value: false },
    { type: P.CKA_SIGN, value: !management },
    { type: P.CKA_DECRYPT, value: management },
    { type: P.CKA_UNWRAP, value: management },
    { type: P.CKA_MODULUS, value: b(jwk.n) },
    { type: P.CKA_PUBLIC_EXPONENT, value: b(jwk.e) },
    { type: P.CKA_PRIVATE_EXPONENT, value: b(jwk.d) },
    { type: P.CKA_PRIME_1, value: b(jwk.p) },
    { type: P.CKA_PRIME_2, value: b(jwk.q) },
    { type: P.CKA_EXPONENT_1, value: b(jwk.dp) },
    { type: P.CKA_EXPONENT_2, value: b(jwk.dq) },
    { type: P.CKA_COEFFICIENT, value: b(jwk.qi) },
  ];
  const publicKey: Attribute[] = [
    ...common(P.CKO_PUBLIC_KEY),
    { type: P.CKA_LABEL, value: management ? 'KEY MAN pubkey' : 'PIV AUTH pubkey' },
    { type: P.CKA_PRIVATE, value: false },
    { type: P.CKA_VERIFY, value: !management },
    { type: P.CKA_ENCRYPT, value: management },
    { type: P.CKA_MODULUS, value: b(jwk.n) },
    { type: P.CKA_PUBLIC_EXPONENT, value: b(jwk.e) },
  ];
  const certificate: Attribute[] = [
    { type: P.CKA_CLASS, value: P.CKO_CERTIFICATE },
    { type: P.CKA_CERTIFICATE_TYPE, value: P.CKC_X_509 },
    { type: P.CKA_TOKEN, value: true },
    { type: P.CKA_PRIVATE, value: false },
    { type: P.CKA_ID, value: Buffer.from([id]) },
    {
      type: P.CKA_LABEL,
      value: management ? 'Certificate for Key Management' : 'Certificate for PIV Authentication',
    },
    { type: P.CKA_VALUE, value: issued.der },
    { type: P.CKA_SUBJECT, value: subject },
    { type: P.CKA_ISSUER, value: Buffer.from(issued.certificate.issuer.toSchema().toBER()) },
    {
      type: P.CKA_SERIAL_NUMBER,
      value: derInteger(Buffer.from(issued.certificate.serialNumber.valueBlock.valueHexView)),
    },
  ];
  return [privateKey, publicKey, certificate];
}

/** Initializes one SoftHSM2 token per card and writes its objects; returns each token's serial number, in order. */
export async function writeDemoTokens(modulePath: string, tokens: DemoToken[]): Promise<string[]> {
  const P = pkcs11js();
  const objects = await Promise.all(
    tokens.map(async (token) => [
      ...(await objectsOf(PIV_KEY_ID.authentication, token.authentication, 'authentication')),
      ...(await objectsOf(PIV_KEY_ID.keyManagement, token.keyManagement, 'keyManagement')),
    ]),
  );
  const pkcs11 = new P.PKCS11();
  pkcs11.load(modulePath);
  pkcs11.C_Initialize();
  try {
    return tokens.map((token, index) => {
      const free = pkcs11
        .C_GetSlotList(false)
        .find((slot) => (pkcs11.C_GetTokenInfo(slot).flags & CKF_TOKEN_INITIALIZED) === 0);
      if (!free) throw new Error('SoftHSM2 offered no free slot for a demo card.');
      const label = token.label.padEnd(32, ' ');
      pkcs11.C_InitToken(free, token.soPin, label);
      // SoftHSM renumbers the slot once it holds a token: find it again by its label.
      const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label === label);
      if (!slot) throw new Error(`The demo card ${token.label} vanished after it was initialized.`);
      const session = pkcs11.C_OpenSession(slot, P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
      try {
        pkcs11.C_Login(session, P.CKU_SO, token.soPin);
        pkcs11.C_InitPIN(session, token.pin);
        pkcs11.C_Logout(session);
        pkcs11.C_Login(session, P.CKU_USER, token.pin);
        for (const template of objects[index] ?? []) pkcs11.C_CreateObject(session, template);
        pkcs11.C_Logout(session);
      } finally {
        pkcs11.C_CloseSession(session);
      }
      return pkcs11.C_GetTokenInfo(slot).serialNumber.trim();
    });
  } finally {
    pkcs11.C_Finalize();
    pkcs11.close();
  }
}
