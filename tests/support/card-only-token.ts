import { webcrypto, X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { CardWorkstation } from './card-workstation';
import type { CardKeyMaterial, PivCardIdentity } from './fixtures/piv';
import { PIV_LABELS } from './fixtures/piv';
import { writeTokens, type TokenObject } from './fixtures/piv/softhsm';

/** A card put into the reader after the fact: what a test needs to choose it and sign in with it. */
export interface InsertedCard {
  serialNumber: string;
  pin: string;
  commonName: string;
  certificates: { authentication: Buffer; keyManagement: Buffer | null };
}

async function tokenObject(
  id: 0x01 | 0x02 | 0x03,
  material: CardKeyMaterial,
  usage: TokenObject['usage'],
): Promise<TokenObject> {
  if (material.spec.type !== 'ec') throw new Error('only EC card-only holders are supported');
  const algorithm = { name: usage === 'keyManagement' ? 'ECDH' : 'ECDSA', namedCurve: material.spec.curve };
  const privateUsages: webcrypto.KeyUsage[] = usage === 'keyManagement' ? ['deriveBits'] : ['sign'];
  const x509 = new X509Certificate(material.certificate);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  const parsed = pkijs.Certificate.fromBER(new Uint8Array(material.certificate));
  return {
    id,
    labels: PIV_LABELS[id],
    key: {
      spec: material.spec,
      privateKey: await webcrypto.subtle.importKey('pkcs8', material.pkcs8, algorithm, true, privateUsages),
      publicKey: await webcrypto.subtle.importKey(
        'spki',
        spki,
        algorithm,
        true,
        usage === 'keyManagement' ? [] : ['verify'],
      ),
    },
    certificate: {
      der: material.certificate,
      subject: Buffer.from(parsed.subject.toSchema().toBER()),
      issuer: Buffer.from(parsed.issuer.toSchema().toBER()),
      serialNumber: Buffer.from(x509.serialNumber, 'hex'),
    },
    usage,
    alwaysAuthenticate: usage === 'signature',
  };
}

/**
 * Writes a card-only holder of the fixture (one that is otherwise only an emulated PIV card, issued by
 * the same intermediate) as a SoftHSM2 token into the workstation's reader, so a test has a third
 * card that validates. Call it before the host starts.
 */
export async function insertCardOnlyToken(
  workstation: CardWorkstation,
  identity: PivCardIdentity,
): Promise<InsertedCard> {
  const objects = [
    await tokenObject(0x01, identity.keys.authentication, 'authentication'),
    await tokenObject(0x02, identity.keys.signature, 'signature'),
  ];
  if (identity.keys.keyManagement) objects.push(await tokenObject(0x03, identity.keys.keyManagement, 'keyManagement'));
  const previous = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = workstation.readerConf;
  try {
    const [serialNumber] = await writeTokens(workstation.fixture.modulePath, [
      { label: identity.commonName, pin: identity.pin, soPin: '73519462', objects },
    ]);
    return {
      serialNumber: serialNumber!,
      pin: identity.pin,
      commonName: identity.commonName,
      certificates: {
        authentication: identity.keys.authentication.certificate,
        keyManagement: identity.keys.keyManagement?.certificate ?? null,
      },
    };
  } finally {
    if (previous === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previous;
  }
}
