import type { Store } from '../vault/store';
import { ServiceError } from '../service-error';
import type { SessionUser } from '../identity/login-service';
import { storeTrustMaterial, writeTrustFile } from '../identity/login-trust';
import {
  parseCrlDer,
  parseCrls,
  parseTrustAnchors,
  type CrlInfo,
  type TrustAnchorInfo,
} from '../identity/trust-material';
import { cryptoEngine, formatName, keyUsage, MalformedInputError, parseCertificateDer } from '../identity/x509';

/**
 * The admin's trust material (docs/identity.md, "Trust anchors and CRLs"): CA certificates and CRLs
 * carried in as files. Every file of an import is read and checked before anything is written, and
 * the write is one transaction, so a bad file changes nothing. The untrusted copy beside the
 * database is rewritten after each change. Public data, so marked UNCLASSIFIED.
 */
export interface UploadedFile {
  name: string;
  base64: string;
}

export interface ImportOutcome {
  added: string[];
  unchanged: { what: string; reason: string }[];
}

const MARKING = 'UNCLASSIFIED';
const owner = (user: SessionUser) => user.id;

function decode(file: UploadedFile): Buffer {
  const bytes = Buffer.from(file.base64.replace(/\s+/g, ''), 'base64');
  if (bytes.length === 0) throw new ServiceError('INVALID_ARGUMENT', `${file.name}: the file is empty.`);
  return bytes;
}

/** Runs a parser over each file; the first bad file fails the import, with its name. */
function readAll<T>(files: UploadedFile[], parse: (bytes: Buffer) => T[]): { file: string; item: T }[] {
  return files.flatMap((file) => {
    try {
      return parse(decode(file)).map((item) => ({ file: file.name, item }));
    } catch (error) {
      if (error instanceof MalformedInputError)
        throw new ServiceError('INVALID_ARGUMENT', `${file.name}: ${error.message} Nothing was imported.`);
      throw error;
    }
  });
}

function refreshTrustCopy(store: Store): void {
  writeTrustFile(store.path, storeTrustMaterial(store.db));
}

export function listTrust(store: Store) {
  const anchors = store.db
    .prepare('SELECT id, der, added_at AS addedAt, added_by AS addedBy FROM trust_anchors ORDER BY id')
    .all() as { id: number; der: Buffer; addedAt: string; addedBy: string }[];
  const crls = store.db
    .prepare(
      'SELECT id, issuer, this_update AS thisUpdate, next_update AS nextUpdate, revoked_count AS revokedCount, imported_at AS importedAt, imported_by AS importedBy FROM crls ORDER BY id',
    )
    .all() as {
    id: number;
    issuer: string;
    thisUpdate: string;
    nextUpdate: string | null;
    revokedCount: number;
    importedAt: string;
    importedBy: string;
  }[];
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
export function importAnchors(store: Store, user: SessionUser, files: UploadedFile[], now = new Date()): ImportOutcome {
  const found = readAll<TrustAnchorInfo>(files, parseTrustAnchors);
  for (const { file, item } of found) {
    if (item.notAfter.getTime() < now.getTime())
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `${file}: "${item.subject}" expired on ${item.notAfter.toISOString().slice(0, 10)}. Nothing was imported.`,
      );
  }
  const outcome: ImportOutcome = { added: [], unchanged: [] };
  const exists = store.db.prepare('SELECT 1 FROM trust_anchors WHERE sha256 = ?');
  const insert = store.db.prepare(
    'INSERT INTO trust_anchors (owner_id, added_by, marking, subject, sha256, der, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  store.db.transaction(() => {
    for (const { item } of found) {
      if (exists.get(item.sha256) || outcome.added.includes(item.subject)) {
        outcome.unchanged.push({ what: item.subject, reason: 'already trusted' });
        continue;
      }
      insert.run(owner(user), user.actor, MARKING, item.subject, item.sha256, item.der, now.toISOString());
      outcome.added.push(item.subject);
      store.audit.append({
        actor: user.actor,
        event: 'trust.anchor.add',
        object: `sha256:${item.sha256}`,
        outcome: 'success',
        detail: { subject: item.subject, root: item.selfSigned, notAfter: item.notAfter.toISOString() },
      });
    }
  })();
  refreshTrustCopy(store);
  return outcome;
}

export function removeAnchor(store: Store, user: SessionUser, id: number): { removed: string } {
  const row = store.db.prepare('SELECT subject, sha256 FROM trust_anchors WHERE id = ?').get(id) as
    { subject: string; sha256: string } | undefined;
  if (!row) throw new ServiceError('INVALID_ARGUMENT', `There is no trust anchor ${id}.`);
  store.db.transaction(() => {
    store.db.prepare('DELETE FROM trust_anchors WHERE id = ?').run(id);
    store.audit.append({
      actor: user.actor,
      event: 'trust.anchor.remove',
      object: `sha256:${row.sha256}`,
      outcome: 'success',
      detail: { subject: row.subject },
    });
  })();
  refreshTrustCopy(store);
  return { removed: row.subject };
}

/** The trusted CA whose key signed this CRL (and may sign CRLs), or null. */
async function crlSigner(crl: CrlInfo, anchors: Buffer[]): Promise<string | null> {
  const parsed = parseCrlDer(crl.der);
  for (const der of anchors) {
    const ca = parseCertificateDer(der).pkijs;
    if (!ca.subject.isEqual(parsed.issuer)) continue;
    const usage = keyUsage(ca);
    if (usage && !usage.has('cRLSign')) continue;
    try {
      if (await parsed.verify({ issuerCertificate: ca }, cryptoEngine)) return formatName(ca.subject);
    } catch {
      // Wrong key type or a broken signature: not this CA.
    }
  }
  return null;
}

/** What the import compares a new CRL with: the columns kept for each CRL already held. */
interface HeldCrl {
  id: number;
  issuer: string;
  thisUpdate: string;
  crlNumber: string | null;
  sha256: string | null;
}

const newer = (a: CrlInfo, b: HeldCrl) =>
  a.crlNumber !== null && b.crlNumber !== null
    ? BigInt(a.crlNumber) > BigInt(b.crlNumber)
    : a.thisUpdate.getTime() > Date.parse(b.thisUpdate);

/**
 * Full CRLs, each verified against a trusted CA's key (an unverifiable CRL is refused, since it
 * could hide a revocation). A newer CRL replaces its issuer's older ones; an older one is left out.
 */
export async function importCrls(
  store: Store,
  user: SessionUser,
  files: UploadedFile[],
  now = new Date(),
): Promise<ImportOutcome> {
  const found = readAll<CrlInfo>(files, parseCrls);
  const anchors = storeTrustMaterial(store.db).certificates;
  for (const { file, item } of found) {
    if (!(await crlSigner(item, anchors)))
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `${file}: the CRL from "${item.issuer}" is not signed by any trusted CA. Import its CA first. Nothing was imported.`,
      );
  }
  const outcome: ImportOutcome = { added: [], unchanged: [] };
  let held = store.db
    .prepare('SELECT id, issuer, this_update AS thisUpdate, crl_number AS crlNumber, sha256 FROM crls')
    .all() as HeldCrl[];
  const insert = store.db.prepare(
    'INSERT INTO crls (owner_id, imported_by, marking, issuer, this_update, next_update, crl_number, revoked_count, sha256, der, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  store.db.transaction(() => {
    for (const { item } of found) {
      const sameIssuer = held.filter((h) => h.issuer === item.issuer);
      const label = `${item.issuer} (${item.thisUpdate.toISOString().slice(0, 10)})`;
      if (sameIssuer.some((h) => h.sha256 === item.sha256)) {
        outcome.unchanged.push({ what: label, reason: 'already imported' });
        continue;
      }
      if (sameIssuer.some((h) => !newer(item, h))) {
        outcome.unchanged.push({ what: label, reason: 'a newer CRL from this issuer is already imported' });
        continue;
      }
      for (const old of sameIssuer) store.db.prepare('DELETE FROM crls WHERE id = ?').run(old.id);
      const thisUpdate = item.thisUpdate.toISOString();
      const id = Number(
        insert.run(
          owner(user),
          user.actor,
          MARKING,
          item.issuer,
          thisUpdate,
          item.nextUpdate?.toISOString() ?? null,
          item.crlNumber,
          item.revokedCount,
          item.sha256,
          item.der,
          now.toISOString(),
        ).lastInsertRowid,
      );
      held = [
        ...held.filter((h) => h.issuer !== item.issuer),
        { id, issuer: item.issuer, thisUpdate, crlNumber: item.crlNumber, sha256: item.sha256 },
      ];
      outcome.added.push(label);
      store.audit.append({
        actor: user.actor,
        event: 'trust.crl.import',
        object: `sha256:${item.sha256}`,
        outcome: 'success',
        detail: {
          issuer: item.issuer,
          thisUpdate: item.thisUpdate.toISOString(),
          nextUpdate: item.nextUpdate?.toISOString() ?? null,
          revoked: item.revokedCount,
          replaced: sameIssuer.length,
        },
      });
    }
  })();
  refreshTrustCopy(store);
  return outcome;
}

export function removeCrl(store: Store, user: SessionUser, id: number): { removed: string } {
  const row = store.db.prepare('SELECT issuer, this_update AS thisUpdate FROM crls WHERE id = ?').get(id) as
    { issuer: string; thisUpdate: string } | undefined;
  if (!row) throw new ServiceError('INVALID_ARGUMENT', `There is no CRL ${id}.`);
  store.db.transaction(() => {
    store.db.prepare('DELETE FROM crls WHERE id = ?').run(id);
    store.audit.append({
      actor: user.actor,
      event: 'trust.crl.remove',
      object: `crl:${id}`,
      outcome: 'success',
      detail: { issuer: row.issuer, thisUpdate: row.thisUpdate },
    });
  })();
  refreshTrustCopy(store);
  return { removed: `${row.issuer} (${row.thisUpdate.slice(0, 10)})` };
}
