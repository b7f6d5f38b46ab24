import { namesEqual } from './distinguished-name';
import { OID } from './oids';
import { spkiParametersMissing, verifyCertificateSignature, workingKey } from './signature';
import { extension, type ParsedCertificate } from './x509';

/**
 * Path building: every chain of names from the target up to a trust anchor through the certificates
 * given, best first (an issuer whose subjectKeyIdentifier matches the child's authorityKeyIdentifier
 * before one that does not; anchors before intermediates). An edge whose signature provably fails is
 * dropped and remembered, so "no path" and "a path with a bad signature" get different answers. The
 * validator (validate-path.ts) then runs RFC 5280 6.1 on each candidate until one is valid.
 */
export interface BuiltPaths {
  /** Candidate paths, target first, anchor last; at most MAX_PATHS. */
  paths: ParsedCertificate[][];
  /** The first edge dropped for a bad signature: the child that did not verify, and the issuer tried. */
  badSignature: { child: ParsedCertificate; issuer: ParsedCertificate } | null;
}

/** Deeper than any DoD or Federal PKI path (root → bridge → CA → sub-CA → card is 5). */
export const MAX_PATH_CERTIFICATES = 10;
/** Alternatives tried before giving up: key rollover and cross-certificates give a few, never dozens. */
export const MAX_PATHS = 8;

function keyIdentifier(certificate: ParsedCertificate, oid: string): string | null {
  const value = extension(certificate.pkijs, oid)?.parsedValue as
    | { keyIdentifier?: { valueBlock: { valueHexView: Uint8Array } }; valueBlock?: { valueHexView: Uint8Array } }
    | undefined;
  if (!value) return null;
  const bytes =
    oid === OID.authorityKeyIdentifier ? value.keyIdentifier?.valueBlock.valueHexView : value.valueBlock?.valueHexView;
  return bytes ? Buffer.from(bytes).toString('hex') : null;
}

/** 0: the key identifiers agree; 1: one is missing; 2: they disagree (still tried: identifiers are hints). */
function keyIdRank(issuer: ParsedCertificate, child: ParsedCertificate): number {
  const aki = keyIdentifier(child, OID.authorityKeyIdentifier);
  const ski = keyIdentifier(issuer, OID.subjectKeyIdentifier);
  if (aki === null || ski === null) return 1;
  return aki === ski ? 0 : 2;
}

const same = (a: ParsedCertificate, b: ParsedCertificate) => a.der.equals(b.der);

export function buildPaths(
  target: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: ParsedCertificate[],
): BuiltPaths {
  const found: ParsedCertificate[][] = [];
  let badSignature: BuiltPaths['badSignature'] = null;
  const isAnchor = (c: ParsedCertificate) => anchors.some((a) => same(a, c));

  function issuersOf(child: ParsedCertificate, path: ParsedCertificate[]): ParsedCertificate[] {
    const candidates = [...anchors, ...intermediates.filter((c) => !isAnchor(c))].filter(
      (c) => !path.some((p) => same(p, c)) && namesEqual(c.pkijs.subject, child.pkijs.issuer),
    );
    // Stable sort: anchors stay ahead of intermediates within one rank.
    return candidates
      .map((c, order) => ({ c, order, rank: keyIdRank(c, child) }))
      .sort((x, y) => x.rank - y.rank || x.order - y.order)
      .map((x) => x.c);
  }

  function extend(path: ParsedCertificate[]): void {
    if (found.length >= MAX_PATHS) return;
    const top = path[path.length - 1]!;
    if (path.length > 1 && isAnchor(top)) {
      found.push(path);
      return;
    }
    if (path.length >= MAX_PATH_CERTIFICATES) return;
    for (const issuer of issuersOf(top, path)) {
      // A key that inherits DSA parameters can only be checked in the 6.1 loop, with its issuer's key.
      if (!spkiParametersMissing(issuer.pkijs.subjectPublicKeyInfo)) {
        const verdict = verifyCertificateSignature(top.pkijs, workingKey(issuer.pkijs.subjectPublicKeyInfo, null));
        if (verdict === 'invalid') {
          badSignature ??= { child: top, issuer };
          continue;
        }
      }
      extend([...path, issuer]);
    }
  }

  // A target that is itself an anchor is not trusted for being one: it needs an issuer above it like any other.
  extend([target]);
  return { paths: found, badSignature };
}
