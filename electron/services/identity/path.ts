import * as pkijs from 'pkijs';
import { OID } from './oids';
import { cryptoEngine, extension, formatName, type ParsedCertificate } from '../pki/x509';

/**
 * Path building: from the card's certificate up to a trust anchor through the intermediates given
 * (from the card, or imported), by name and key identifier, each link's signature checked. Our own
 * code rather than pkijs's sort() so that "no issuer known" and "issuer known, signature wrong" get
 * different answers (UNTRUSTED_ISSUER vs BAD_SIGNATURE).
 */
export type PathResult =
  { ok: true; path: ParsedCertificate[] } | { ok: false; code: 'UNTRUSTED_ISSUER' | 'BAD_SIGNATURE'; message: string };

/** Deeper than any DoD or FPKI path (root → bridge → CA → card is 4). */
const MAX_DEPTH = 6;

function keyIdentifier(certificate: pkijs.Certificate, oid: string): string | null {
  const value = extension(certificate, oid)?.parsedValue as
    | { keyIdentifier?: { valueBlock: { valueHexView: Uint8Array } }; valueBlock?: { valueHexView: Uint8Array } }
    | undefined;
  if (!value) return null;
  const bytes =
    oid === OID.authorityKeyIdentifier ? value.keyIdentifier?.valueBlock.valueHexView : value.valueBlock?.valueHexView;
  return bytes ? Buffer.from(bytes).toString('hex') : null;
}

/** A candidate issuer: the subject matches the issuer name, and the key identifiers, when both exist, agree. */
function couldIssue(candidate: pkijs.Certificate, child: pkijs.Certificate): boolean {
  if (!candidate.subject.isEqual(child.issuer)) return false;
  const aki = keyIdentifier(child, OID.authorityKeyIdentifier);
  const ski = keyIdentifier(candidate, OID.subjectKeyIdentifier);
  return aki === null || ski === null || aki === ski;
}

async function signedBy(child: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  try {
    return await child.verify(issuer, cryptoEngine);
  } catch {
    return false; // an unsupported algorithm or a bad key proves nothing either way: not signed by this issuer
  }
}

const same = (a: ParsedCertificate, b: ParsedCertificate) => a.der.equals(b.der);

export async function buildPath(
  leaf: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: ParsedCertificate[],
): Promise<PathResult> {
  let badSignature: string | null = null;

  async function extend(path: ParsedCertificate[]): Promise<ParsedCertificate[] | null> {
    const top = path[path.length - 1]!;
    if (anchors.some((a) => same(a, top))) return path;
    if (path.length > MAX_DEPTH) return null;
    // Anchors first: the shortest path to something trusted wins.
    for (const candidate of [...anchors, ...intermediates]) {
      if (path.some((p) => same(p, candidate)) || !couldIssue(candidate.pkijs, top.pkijs)) continue;
      if (!(await signedBy(top.pkijs, candidate.pkijs))) {
        badSignature ??= `The signature on "${formatName(top.pkijs.subject)}" does not verify with the key of its issuer "${formatName(candidate.pkijs.subject)}". The certificate has been altered or was not issued by that CA.`;
        continue;
      }
      const found = await extend([...path, candidate]);
      if (found) return found;
    }
    return null;
  }

  const path = await extend([leaf]);
  if (path) return { ok: true, path };
  if (badSignature) return { ok: false, code: 'BAD_SIGNATURE', message: badSignature };
  return {
    ok: false,
    code: 'UNTRUSTED_ISSUER',
    message: `The card's certificate was issued by "${formatName(leaf.pkijs.issuer)}", which does not chain to a trust anchor on this workstation. An administrator must import that PKI's root (and intermediate) certificates if it is to be trusted.`,
  };
}
