import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { signDetached, verifyDetached } from '../bundles/cms-signature';
import { RepositoryError } from '../updates/repository/errors';
import { readBounded, writeFileAtomic } from '../updates/repository/files';
import type { SessionSigner } from '../updates/token-signer';
import { checkKitContents, type SumsEntry } from './kit-contents';
import { checkSignerCertificate } from './signer-certificate';

/** The kit's checksum list is small text; anything bigger is not a kit this tool made. */
export const MAX_SUMS_BYTES = 1024 * 1024;
export const SUMS_FILE = 'SHA256SUMS';
export const SIGNATURE_FILE = 'SHA256SUMS.cms';

export interface SignedKit {
  readonly signature: string;
  readonly signer: string;
  readonly sumsSha384: string;
  readonly listedFiles: number;
}

/**
 * Signs `<kit>/SHA256SUMS` with the release key on the token (docs/release.md, "Signing the kit and verifying it at the receiving site"): a detached
 * CMS SignedData, SHA-384, ECDSA P-384, signer certificate and chain embedded. The certificate is
 * checked against the token key first, the signature is verified before it is written, and the
 * write is atomic, so the kit holds either the old signature or a good new one.
 */
export function signReleaseKit(
  kit: string,
  signer: SessionSigner,
  certificate: Buffer,
  chain: readonly Buffer[],
  now: Date,
): SignedKit {
  const sums = readBounded(join(kit, SUMS_FILE), MAX_SUMS_BYTES, 'The checksum list');
  const entries = checkSumsText(sums);
  checkKitContents(kit, entries, [SUMS_FILE, SIGNATURE_FILE]);
  const listedFiles = entries.length;
  const cert = checkSignerCertificate(certificate, chain, signer.key.keyval.public, now);
  const der = signDetached(sums, { certificate, chain, sign: (data) => signer.signNow(data) }, now);
  const verdict = verifyDetached(der, sums);
  if (!verdict.ok || !verdict.signer.equals(certificate))
    throw new RepositoryError(
      'refused',
      `The signature the token made does not verify (${verdict.ok ? 'another signer' : verdict.message}); nothing was written.`,
    );
  const signature = join(kit, SIGNATURE_FILE);
  writeFileAtomic(signature, der);
  return {
    signature,
    signer: cert.subject.replace(/\n/g, ', '),
    sumsSha384: createHash('sha384').update(sums).digest('hex'),
    listedFiles,
  };
}

/**
 * Each line `<64 hex>  <relative path>`, each path once: what the receiving site's verifier accepts,
 * checked before signing.
 */
function checkSumsText(sums: Buffer): SumsEntry[] {
  const text = sums.toString('latin1');
  if (!text.endsWith('\n')) throw malformed('it does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const seen = new Set<string>();
  return lines.map((line, index) => {
    const match = /^[0-9a-f]{64} {2}([A-Za-z0-9._+@][A-Za-z0-9._+@/-]*)$/.exec(line);
    if (!match) throw malformed(`line ${index + 1} is not "<sha256 hex>  <relative path>"`);
    if (match[1] === SUMS_FILE || match[1] === SIGNATURE_FILE)
      throw malformed(`line ${index + 1} lists ${match[1]}, which cannot list itself`);
    const parts = match[1]!.split('/');
    if (parts.some((part) => part === '' || part === '.' || part === '..'))
      throw malformed(`line ${index + 1} names an unsafe path`);
    if (seen.has(match[1]!)) throw malformed(`line ${index + 1} lists ${match[1]} twice`);
    seen.add(match[1]!);
    return { sha256: line.slice(0, 64), path: match[1]! };
  });
}

const malformed = (why: string) =>
  new RepositoryError('refused', `${SUMS_FILE} is not a checksum list the receiving site can verify: ${why}. Nothing was signed.`);
