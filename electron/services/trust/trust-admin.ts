import {
  anchorExists,
  deleteAnchor,
  deleteCrl,
  findAnchor,
  findCrl,
  heldCrls,
  insertAnchor,
  insertCrl,
  listAnchors,
  listCrls,
  type HeldCrl,
} from '../../db/queries/trust';
import { ServiceError } from '../service-error';
import { storeTrustMaterial, writeTrustFile } from '../identity/login-trust';
import type { SessionUser, Workspace } from '../vault/vault-service';
import {
  parseCrlDer,
  parseCrls,
  parseTrustAnchors,
  type CrlInfo,
  type TrustAnchorInfo,
} from '../identity/trust-material';
import { crlScopeKey } from '../pki/crl';
import { namesEqual } from '../pki/distinguished-name';
import { verifyCrlSignature, workingKey } from '../pki/signature';
import { formatName, keyUsage, MalformedInputError, parseCertificateDer } from '../pki/x509';

/**
 * The admin's trust material (docs/identity.md, "Trust anchors and CRLs"): CA certificates and CRLs
 * carried in as files. Every file of an import is read and checked before anything is written, and
 * the write is one transaction, so a bad file changes nothing. The untrusted copy beside the
 * database is rewritten after each change. Public data, so marked UNCLASSIFIED.
 */
/** A file of an import: the name the admin knows it by, and its bytes. */
export interface TrustFile {
  name: string;
  bytes: Buffer;
}

export interface ImportOutcome {
  added: string[];
  unchanged: { what: string; reason: string }[];
}

const MARKING = 'UNCLASSIFIED';
const owner = (user: SessionUser) => user.id;

function contentOf(file: TrustFile): Buffer {
  if (file.bytes.length === 0)
    throw new ServiceError('INVALID_ARGUMENT', `${file.name}: the file is empty. Nothing was imported.`);
  return file.bytes;
}

/** Runs a parser over each file; the first bad file fails the import, with its name. */
function readAll<T>(files: TrustFile[], parse: (bytes: Buffer) => T[]): { file: string; item: T }[] {
  return files.flatMap((file) => {
    try {
      return parse(contentOf(file)).map((item) => ({ file: file.name, item }));
    } catch (error) {
      if (error instanceof MalformedInputError)
        throw new ServiceError('INVALID_ARGUMENT', `${file.name}: ${error.message} Nothing was imported.`);
      throw error;
    }
  });
}

export function refreshTrustCopy(workspace: Workspace): void {
  writeTrustFile(workspace.path, storeTrustMaterial(workspace.db));
}

export function listTrust(workspace: Workspace) {
  const anchors = listAnchors(workspace.db);
  const crls = listCrls(workspace.db);
  return {
    anchors: anchors.map((row) => {
      const [info] = parseTrustAnchors(row.der);
      return {
        id: row.id,
        subject: info!.subject,
        issuer: info!.issuer,
        sha256: info!.sha256,
        notBefore: info!.notBefore.toISOString(),
        notAfter: info!.notAfter.toISOString(),
        root: info!.selfSigned,
        addedAt: row.addedAt,
        addedBy: row.addedBy,
      };
    }),
    // From the columns kept at import: a CRL's DER can run to tens of megabytes.
    crls,
  };
}

/** CA certificates from PEM, DER or PKCS#7 files; an anchor already trusted is left as it is. */
export function importAnchors(workspace: Workspace, files: TrustFile[], now = new Date()): ImportOutcome {
  const outcome = addAnchors(workspace, files, now);
  refreshTrustCopy(workspace);
  return outcome;
}

/**
 * importAnchors without refreshing the copy beside the database: an update bundle calls it inside
 * its own transaction and refreshes the copy once that has committed.
 */
export function addAnchors(workspace: Workspace, files: TrustFile[], now: Date): ImportOutcome {
  const { db, audit, user } = workspace;
  const found = readAll<TrustAnchorInfo>(files, parseTrustAnchors);
  for (const { file, item } of found) {
    if (item.notAfter.getTime() < now.getTime())
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `${file}: "${item.subject}" expired on ${item.notAfter.toISOString().slice(0, 10)}. Nothing was imported.`,
      );
  }
  const outcome: ImportOutcome = { added: [], unchanged: [] };
  db.transaction(() => {
    for (const { item } of found) {
      if (anchorExists(db, item.sha256) || outcome.added.includes(item.subject)) {
        outcome.unchanged.push({ what: item.subject, reason: 'already trusted' });
        continue;
      }
      insertAnchor(db, {
        ownerId: owner(user),
        addedBy: user.actor,
        marking: MARKING,
        subject: item.subject,
        sha256: item.sha256,
        der: item.der,
        addedAt: now.toISOString(),
      });
      outcome.added.push(item.subject);
      audit.append({
        actor: user.actor,
        event: 'trust.anchor.add',
        object: `sha256:${item.sha256}`,
        outcome: 'success',
        detail: { subject: item.subject, root: item.selfSigned, notAfter: item.notAfter.toISOString() },
      });
    }
  })();
  return outcome;
}

export function removeAnchor(workspace: Workspace, id: number): { removed: string } {
  const { db, audit, user } = workspace;
  const row = findAnchor(db, id);
  if (!row) throw new ServiceError('INVALID_ARGUMENT', `There is no trust anchor ${id}.`);
  db.transaction(() => {
    deleteAnchor(db, id);
    audit.append({
      actor: user.actor,
      event: 'trust.anchor.remove',
      object: `sha256:${row.sha256}`,
      outcome: 'success',
      detail: { subject: row.subject },
    });
  })();
  refreshTrustCopy(workspace);
  return { removed: row.subject };
}

/** The trusted CA whose key signed this CRL (and may sign CRLs), or null. Its path is checked when the CRL is used. */
function crlSigner(crl: CrlInfo, anchors: Buffer[]): string | null {
  const parsed = parseCrlDer(crl.der);
  for (const der of anchors) {
    const ca = parseCertificateDer(der).pkijs;
    if (!namesEqual(ca.subject, parsed.issuer)) continue;
    const usage = keyUsage(ca);
    if (usage && !usage.has('cRLSign')) continue;
    if (verifyCrlSignature(parsed, workingKey(ca.subjectPublicKeyInfo, null)) === 'valid')
      return formatName(ca.subject);
  }
  return null;
}

/** A held CRL's scope; one that no longer parses is in a scope of its own (replaced by nothing, used by nothing). */
function heldScope(held: HeldCrl): string {
  try {
    return crlScopeKey(parseCrlDer(held.der));
  } catch {
    return `unreadable:${held.id}`;
  }
}

const thisUpdateWords = (c: CrlInfo) =>
  `${c.thisUpdate.toISOString()}${c.crlNumber !== null ? ` (CRL number ${c.crlNumber})` : ''}`;
const heldWords = (h: HeldCrl) => `${h.thisUpdate}${h.crlNumber !== null ? `, CRL number ${h.crlNumber}` : ''}`;

const newer = (a: CrlInfo, b: HeldCrl) =>
  a.crlNumber !== null && b.crlNumber !== null
    ? BigInt(a.crlNumber) > BigInt(b.crlNumber)
    : a.thisUpdate.getTime() > Date.parse(b.thisUpdate);

/**
 * Full CRLs, each verified against a trusted CA's key (an unverifiable CRL is refused, since it
 * could hide a revocation). A newer CRL replaces its issuer's older ones; an older one is left out.
 */
export async function importCrls(workspace: Workspace, files: TrustFile[], now = new Date()): Promise<ImportOutcome> {
  const outcome = addCrls(workspace, files, now, 'skip');
  refreshTrustCopy(workspace);
  return outcome;
}

/**
 * importCrls without refreshing the copy (see addAnchors). `older`: what a CRL older than the one
 * held for its issuer and scope does: left out with a note (the admin's page), or refused with the
 * whole import (an update bundle, where an old CRL is a replay that would un-revoke cards).
 */
export function addCrls(workspace: Workspace, files: TrustFile[], now: Date, older: 'skip' | 'refuse'): ImportOutcome {
  const { db, audit, user } = workspace;
  const found = readAll<CrlInfo>(files, parseCrls);
  const anchors = storeTrustMaterial(db).certificates;
  for (const { file, item } of found) {
    if (!crlSigner(item, anchors))
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `${file}: the CRL from "${item.issuer}" is not signed by any trusted CA. Import its CA first. Nothing was imported.`,
      );
  }
  const outcome: ImportOutcome = { added: [], unchanged: [] };
  // What the import compares a new CRL with: the columns kept for each CRL already held.
  let held = heldCrls(db).map((h) => ({ ...h, scope: heldScope(h) }));
  db.transaction(() => {
    for (const { item } of found) {
      // A delta or one distribution point's CRL replaces only CRLs of its own scope from the same issuer.
      const sameIssuer = held.filter((h) => h.issuer === item.issuer && h.scope === item.scope);
      const scopeNote =
        item.scope.startsWith('complete:') && item.scope.length === 'complete:'.length ? '' : `, ${item.scopeWords}`;
      const label = `${item.issuer} (${item.thisUpdate.toISOString().slice(0, 10)}${scopeNote})`;
      if (sameIssuer.some((h) => h.sha256 === item.sha256)) {
        outcome.unchanged.push({ what: label, reason: 'already imported' });
        continue;
      }
      const newerHeld = sameIssuer.find((h) => !newer(item, h));
      if (newerHeld && older === 'refuse')
        throw new ServiceError(
          'INVALID_ARGUMENT',
          `The CRL from "${item.issuer}" of ${thisUpdateWords(item)} is older than the one held (${heldWords(newerHeld)}): replaying an old CRL would un-revoke cards. Nothing was applied.`,
        );
      if (newerHeld) {
        outcome.unchanged.push({ what: label, reason: 'a newer CRL from this issuer is already imported' });
        continue;
      }
      for (const old of sameIssuer) deleteCrl(db, old.id);
      const thisUpdate = item.thisUpdate.toISOString();
      const id = insertCrl(db, {
        ownerId: owner(user),
        importedBy: user.actor,
        marking: MARKING,
        issuer: item.issuer,
        thisUpdate,
        nextUpdate: item.nextUpdate?.toISOString() ?? null,
        crlNumber: item.crlNumber,
        revokedCount: item.revokedCount,
        sha256: item.sha256,
        der: item.der,
        importedAt: now.toISOString(),
      });
      held = [
        ...held.filter((h) => !sameIssuer.includes(h)),
        {
          id,
          issuer: item.issuer,
          thisUpdate,
          crlNumber: item.crlNumber,
          sha256: item.sha256,
          der: item.der,
          scope: item.scope,
        },
      ];
      outcome.added.push(label);
      audit.append({
        actor: user.actor,
        event: 'trust.crl.import',
        object: `sha256:${item.sha256}`,
        outcome: 'success',
        detail: {
          issuer: item.issuer,
          thisUpdate: item.thisUpdate.toISOString(),
          nextUpdate: item.nextUpdate?.toISOString() ?? null,
          revoked: item.revokedCount,
          scope: item.scopeWords,
          replaced: sameIssuer.length,
        },
      });
    }
  })();
  return outcome;
}

export function removeCrl(workspace: Workspace, id: number): { removed: string } {
  const { db, audit, user } = workspace;
  const row = findCrl(db, id);
  if (!row) throw new ServiceError('INVALID_ARGUMENT', `There is no CRL ${id}.`);
  db.transaction(() => {
    deleteCrl(db, id);
    audit.append({
      actor: user.actor,
      event: 'trust.crl.remove',
      object: `crl:${id}`,
      outcome: 'success',
      detail: { issuer: row.issuer, thisUpdate: row.thisUpdate },
    });
  })();
  refreshTrustCopy(workspace);
  return { removed: `${row.issuer} (${row.thisUpdate.slice(0, 10)})` };
}
