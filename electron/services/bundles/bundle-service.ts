import { mkdirSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { basename, join } from 'node:path';
import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import { CardError } from '../../../native/pkcs11';
import * as q from '../../db/queries/bundles';
import type { ServiceContext } from '../context';
import type { ServiceCall } from '../service-call';
import { ServiceError } from '../service-error';
import { loadSiteConfig } from '../system/site-config';
import { releaseBundle, rejectBundle, receiveBundle, type QuarantineSummary } from './bundle-import';
import { exportBundle, previewExport } from './bundle-export';
import { cardSigner } from './card-signer';
import { partsInOrder } from './pack';
import { createSiteKey, sitePublicKey } from './site-key';

type Quarantined = ResponseOf<'bundles', 'receive'>;

/** An actor as people know it: `Name (user:<id>)` for a user, else the actor itself (recovery). */
function actorName(db: Database, actor: string | null): string | null {
  const id = actor ? /^user:([0-9]+)$/.exec(actor)?.[1] : undefined;
  if (!id) return actor;
  const name = q.userName.get(db, Number(id))?.name;
  return name ? `${name} (${actor})` : actor;
}

/** A quarantine row as its reviewer sees it. */
export function quarantinedOf(db: Database, row: q.QuarantineRow): Quarantined {
  const summary = JSON.parse(row.summary) as QuarantineSummary;
  const { info, signer } = summary;
  return {
    id: row.id,
    bundleId: row.bundleId,
    state: row.state,
    banner: row.marking,
    sourceSite: info.sourceSite,
    sourceNetwork: info.sourceNetwork,
    destination: info.destination,
    channel: info.channel,
    sequence: info.sequence,
    created: info.created,
    expires: info.expires,
    signer: { subject: signer.subject, name: signer.name, policies: signer.policies, signedAt: signer.signedAt },
    records: summary.records.map((r) => ({
      kind: r.kind,
      label: r.label,
      portionMark: r.portionMark,
      banner: r.banner,
      sha256: r.sha256,
      appliedBefore: r.appliedBefore,
    })),
    warnings: summary.warnings,
    bundleHash: row.bundleHash,
    fileSha256: row.fileSha256,
    receivedBy: actorName(db, row.receivedBy)!,
    receivedAt: row.receivedAt,
    reviewedBy: actorName(db, row.reviewedBy),
    reviewedAt: row.reviewedAt,
    reviewNote: row.reviewNote,
  };
}

/** bundles.*: export with the signed-in card, quarantine, review and release (docs/bundle-format.md). */
export function createBundleService(ctx: ServiceContext, clock: () => Date = () => new Date()) {
  const ws = () => ctx.vault.workspace();
  const site = () =>
    loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config;
  const outbox = () => {
    const dir = join(ctx.paths.dataDir, 'outbox');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  };
  /** Whether the card no longer counts its holder as signed in (the session locks at its next poll). */
  const cardSignedOut = () => {
    try {
      return !ctx.login.cardSession().loggedIn();
    } catch {
      return true;
    }
  };
  return {
    siteKey(): ResponseOf<'bundles', 'siteKey'> {
      return { key: sitePublicKey(ws()) };
    },
    createSiteKey(): ResponseOf<'bundles', 'createSiteKey'> {
      return { key: createSiteKey(ws()) };
    },
    destinations(): ResponseOf<'bundles', 'destinations'> {
      const settings = site().bundles;
      return { network: settings.network, destinations: settings.destinations };
    },
    preview(request: RequestOf<'bundles', 'preview'>): ResponseOf<'bundles', 'preview'> {
      const { preview } = previewExport(ws(), site(), request.picks, request.destination);
      return { ...preview, destination: preview.destination.name };
    },
    async export(request: RequestOf<'bundles', 'export'>): Promise<ResponseOf<'bundles', 'export'>> {
      const w = ws();
      try {
        const result = await exportBundle({
          ws: w,
          site: site(),
          picks: request.picks,
          destination: request.destination,
          signer: () => cardSigner(ctx.login.cardSession(), request.pin, []),
          outDir: outbox(),
          now: clock(),
          partBytes: request.partMiB ? request.partMiB * 1024 * 1024 : undefined,
        });
        return {
          bundleId: result.bundleId,
          fileName: basename(result.file),
          path: result.file,
          parts: result.parts,
          bytes: result.bytes,
          fileSha256: result.fileSha256,
          bundleHash: result.bundleHash,
          channel: result.channel,
          sequence: result.sequence,
          banner: result.banner,
          records: result.records,
        };
      } catch (error) {
        // A wrong PIN, a pulled card: the card's own sentence; nothing was written and no number was used.
        if (error instanceof CardError) {
          w.audit.append({
            actor: w.user.actor,
            event: 'bundle.export',
            outcome: 'failure',
            detail: { reason: error.name, message: error.message },
          });
          throw new ServiceError(
            'FAILED_PRECONDITION',
            `The bundle was not signed: ${error.message}${cardSignedOut() ? ' The card ended its sign-in (PIV cards do after a wrong PIN), so the workstation locks: sign in again to export.' : ''}`,
          );
        }
        throw error;
      }
    },
    async receive(request: RequestOf<'bundles', 'receive'>, call: ServiceCall): Promise<Quarantined> {
      const w = ws();
      const sources = partsInOrder(request.files.map((handle) => call.file(handle)));
      const { id } = await receiveBundle({ ws: w, site: site(), sources, dataDir: ctx.paths.dataDir, now: clock() });
      return quarantinedOf(w.db, q.quarantineById.get(w.db, id)!);
    },
    quarantine(): ResponseOf<'bundles', 'quarantine'> {
      const w = ws();
      const rows = q.quarantineList.all(w.db);
      const order = (state: string) => (state === 'verified' ? 0 : 1);
      return { bundles: rows.sort((a, b) => order(a.state) - order(b.state)).map((row) => quarantinedOf(w.db, row)) };
    },
    release(request: RequestOf<'bundles', 'release'>): Promise<ResponseOf<'bundles', 'release'>> {
      return releaseBundle({
        ws: ws(),
        site: site(),
        id: request.id,
        note: request.note,
        dataDir: ctx.paths.dataDir,
        now: clock(),
      });
    },
    reject(request: RequestOf<'bundles', 'reject'>): ResponseOf<'bundles', 'reject'> {
      return rejectBundle({ ws: ws(), id: request.id, note: request.note, dataDir: ctx.paths.dataDir, now: clock() });
    },
  };
}
