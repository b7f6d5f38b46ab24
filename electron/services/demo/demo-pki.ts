import { randomBytes, randomUUID, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * The demonstration workstation's own small PKI (docs/demo.md): a demo root CA that issues each
 * demo card a PIV Authentication (9A) and a Key Management (9D) certificate, and a current CRL.
 * Built with pkijs over Node's WebCrypto; the certificates carry what a FPKI/DoD PIV certificate
 * carries, so the login validates them exactly as it validates a real card's.
 */
type CryptoKey = webcrypto.CryptoKey;
/** pkijs is typed against the DOM's CryptoKey; Node's is the same object at run time. */
type CryptoKeyLike = Parameters<pkijs.PublicKeyInfo['importKey']>[0];

export interface DemoKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export interface DemoIssued {
  certificate: pkijs.Certificate;
  der: Buffer;
  key: DemoKeyPair;
  keyIdentifier: Buffer;
}

export const DEMO_OID = {
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  upn: '1.3.6.1.4.1.311.20.2.3',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2',
  fpkiCommonAuthentication: '2.16.840.1.101.3.2.1.3.13',
  fpkiCommonHardware: '2.16.840.1.101.3.2.1.3.7',
} as const;

const engine = new pkijs.CryptoEngine({
  name: 'node',
  crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'],
});

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

export async function generateDemoKey(): Promise<DemoKeyPair> {
  const pair = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** The CA's key pair from its PKCS#8 (kept 0600 in the demo folder, to issue fresh CRLs). */
export async function importDemoKey(pkcs8: Buffer): Promise<DemoKeyPair> {
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, RSA, true, ['sign']);
  const jwk = await webcrypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await webcrypto.subtle.importKey('jwk', { kty: 'RSA', n: jwk.n, e: jwk.e }, RSA, true, ['verify']);
  return { privateKey, publicKey };
}

export async function exportDemoKey(key: DemoKeyPair): Promise<Buffer> {
  return Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key.privateKey));
}

/** A DN, most significant first, one attribute per RDN. */
export function demoName(commonName: string): pkijs.RelativeDistinguishedNames {
  const parts: [string, string][] = [
    [DEMO_OID.countryName, 'US'],
    [DEMO_OID.organizationName, 'Enclave Demonstration'],
    [DEMO_OID.organizationalUnitName, 'NOT FOR OPERATIONAL USE'],
    [DEMO_OID.commonName, commonName],
  ];
  const rdns = parts.map(([type, value]) => {
    const text =
      type === DEMO_OID.countryName ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    return new asn1js.Set({
      value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), text] })],
    });
  });
  return new pkijs.RelativeDistinguishedNames({
    schema: asn1js.fromBER(new asn1js.Sequence({ value: rdns }).toBER()).result,
  });
}

const KEY_USAGE_BITS = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;
type KeyUsage = keyof typeof KEY_USAGE_BITS;

function keyUsageValue(usages: KeyUsage[]): asn1js.BitString {
  const bits = usages.map((u) => KEY_USAGE_BITS[u]);
  const byte = bits.reduce<number>((acc, bit) => acc | (0x80 >> bit), 0);
  return new asn1js.BitString({ valueHex: new Uint8Array([byte]).buffer, unusedBits: 7 - Math.max(...bits) });
}

function extension(extnID: string, critical: boolean, value: { toBER(): ArrayBuffer }): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

/** A PIV SAN: the UPN (otherName) and the card UUID (URI). */
function subjectAltNames(upn: string, uuid: string): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [
          new asn1js.ObjectIdentifier({ value: DEMO_OID.upn }),
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: [new asn1js.Utf8String({ value: upn })],
          }),
        ],
      }),
      new asn1js.Primitive({
        idBlock: { tagClass: 3, tagNumber: 6 },
        valueHex: new Uint8Array(Buffer.from(`urn:uuid:${uuid}`, 'ascii')).buffer,
      }),
    ],
  });
}

function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x10; // positive, no leading zero byte
  return serial;
}

interface CertificateRequest {
  subject: pkijs.RelativeDistinguishedNames;
  key: DemoKeyPair;
  /** Null: self-signed (the demo root). */
  issuer: DemoIssued | null;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  keyUsage: KeyUsage[];
  extendedKeyUsage?: string[];
  policies?: string[];
  altNames?: { upn: string; uuid: string };
}

async function issueCertificate(request: CertificateRequest): Promise<DemoIssued> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: new Uint8Array(randomSerial()).buffer });
  certificate.subject = request.subject;
  certificate.issuer = request.issuer ? request.issuer.certificate.subject : request.subject;
  certificate.notBefore = new pkijs.Time({ type: 0, value: request.notBefore });
  certificate.notAfter = new pkijs.Time({ type: 0, value: request.notAfter });
  await certificate.subjectPublicKeyInfo.importKey(request.key.publicKey as unknown as CryptoKeyLike, engine);
  const keyIdentifier = Buffer.from(
    await webcrypto.subtle.digest('SHA-1', certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
  );
  const signer = request.issuer ?? { key: request.key, keyIdentifier };
  const extensions = [
    extension(DEMO_OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: request.ca }).toSchema()),
    extension(DEMO_OID.keyUsage, true, keyUsageValue(request.keyUsage)),
    extension(
      DEMO_OID.subjectKeyIdentifier,
      false,
      new asn1js.OctetString({ valueHex: new Uint8Array(keyIdentifier).buffer }),
    ),
    extension(
      DEMO_OID.authorityKeyIdentifier,
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: new Uint8Array(signer.keyIdentifier).buffer }),
      }).toSchema(),
    ),
  ];
  if (request.extendedKeyUsage)
    extensions.push(
      extension(
        DEMO_OID.extKeyUsage,
        false,
        new pkijs.ExtKeyUsage({ keyPurposes: request.extendedKeyUsage }).toSchema(),
      ),
    );
  if (request.policies) {
    const certificatePolicies = request.policies.map(
      (policyIdentifier) => new pkijs.PolicyInformation({ policyIdentifier }),
    );
    extensions.push(
      extension(DEMO_OID.certificatePolicies, false, new pkijs.CertificatePolicies({ certificatePolicies }).toSchema()),
    );
  }
  if (request.altNames)
    extensions.push(
      extension(DEMO_OID.subjectAltName, false, subjectAltNames(request.altNames.upn, request.altNames.uuid)),
    );
  certificate.extensions = extensions;
  await certificate.sign(signer.key.privateKey as unknown as CryptoKeyLike, 'SHA-256', engine);
  return { certificate, der: Buffer.from(certificate.toSchema(true).toBER()), key: request.key, keyIdentifier };
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** The demo root CA: self-signed, ten years. */
export function issueDemoCa(key: DemoKeyPair, now = new Date()): Promise<DemoIssued> {
  return issueCertificate({
    subject: demoName('Enclave Demonstration Root CA'),
    key,
    issuer: null,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 10 * YEAR),
    ca: true,
    keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
  });
}

/** The demo CA again, from its certificate and key (to sign a fresh CRL). */
export function demoCaFrom(der: Buffer, key: DemoKeyPair): Promise<DemoIssued> {
  const certificate = pkijs.Certificate.fromBER(der);
  return webcrypto.subtle
    .digest('SHA-1', certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .then((id) => ({ certificate, der, key, keyIdentifier: Buffer.from(id) }));
}

export interface DemoHolder {
  /** LAST.FIRST.MI.EDIPI, as on a CAC: the login takes the EDIPI from it. */
  commonName: string;
  edipi: string;
}

/** A holder's 9A (login: id-fpki-common-authentication) and 9D (key management) certificates, three years. */
export async function issueDemoCard(
  ca: DemoIssued,
  holder: DemoHolder,
  keys: { authentication: DemoKeyPair; keyManagement: DemoKeyPair },
  now = new Date(),
): Promise<{ authentication: DemoIssued; keyManagement: DemoIssued }> {
  const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3 * YEAR) };
  const altNames = { upn: `${holder.edipi}@mil`, uuid: randomUUID() };
  const [authentication, keyManagement] = await Promise.all([
    issueCertificate({
      subject: demoName(holder.commonName),
      key: keys.authentication,
      issuer: ca,
      ...validity,
      ca: false,
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: [DEMO_OID.clientAuth, DEMO_OID.smartcardLogon],
      policies: [DEMO_OID.fpkiCommonAuthentication],
      altNames,
    }),
    issueCertificate({
      subject: demoName(holder.commonName),
      key: keys.keyManagement,
      issuer: ca,
      ...validity,
      ca: false,
      keyUsage: ['keyEncipherment'],
      extendedKeyUsage: [DEMO_OID.emailProtection],
      policies: [DEMO_OID.fpkiCommonHardware],
      altNames,
    }),
  ]);
  return { authentication, keyManagement };
}

/** A current, empty CRL from the demo CA: issued an hour ago, next update in a week. */
export async function issueDemoCrl(ca: DemoIssued, now = new Date()): Promise<Buffer> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = ca.certificate.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: new Date(now.getTime() - 3_600_000) });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(now.getTime() + 7 * DAY) });
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      extension(
        DEMO_OID.authorityKeyIdentifier,
        false,
        new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({ valueHex: new Uint8Array(ca.keyIdentifier).buffer }),
        }).toSchema(),
      ),
      // The CRL number grows with time, so each fresh CRL replaces the last.
      extension(DEMO_OID.crlNumber, false, new asn1js.Integer({ value: Math.floor(now.getTime() / 1000) })),
    ],
  });
  await crl.sign(ca.key.privateKey as unknown as CryptoKeyLike, 'SHA-256', engine);
  return Buffer.from(crl.toSchema(true).toBER());
}

export function toPem(der: Buffer, label: 'CERTIFICATE' | 'X509 CRL'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
