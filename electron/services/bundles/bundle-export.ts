import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NO_PREVIOUS_BUNDLE } from '../../../common/bundle/bundle-format';
import type { BundleInfo } from '../../../common/bundle/bundle-info';
import { destinationRefusals, type DestinationProfile } from '../../../common/bundle/destination';
import { formatBanner, rollup } from '../../../common/markings';
import { siteMarkings, type SiteConfig } from '../../../common/site/site-config';
import * as q from '../../db/queries/bundles';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';
import { writeBag } from './bag-writer';
import { signDetached, type CmsSigner } from './cms-signature';
import { collectRecords, type ExportPick, type ExportRecord } from './export-records';
import { checkSigner } from './signer-check';
import { signMlDsa, siteKeyPair } from './site-key';
import { packBundle, type PackedBundle } from './pack';

export interface ExportPreview {
  destination: DestinationProfile;
  records: (Pick<ExportRecord, 'label' | 'banner' | 'picked' | 'sha256'> & {
    kind: ExportRecord['record']['kind'];
    portionMark: string;
    refusals: string[];
  })[];
  /** The roll-up of every record's marking: the bundle's banner. */
  banner: string;
  /** Whether every record may go. */
  ok: boolean;
}

export function destinationNamed(site: SiteConfig, name: string): DestinationProfile {
  const destination = site.bundles.destinations.find((d) => d.name === name);
  if (!destination)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `There is no destination profile "${name}" in this site's configuration (bundles.destinations).`,
    );
  return destination;
}

/** The records a pick brings, each with its marking and every reason it may not go to the destination. */
export function previewExport(ws: Workspace, site: SiteConfig, picks: readonly ExportPick[], destinationName: string) {
  const destination = destinationNamed(site, destinationName);
  const { policy } = siteMarkings(site);
  const records = collectRecords(ws, picks, policy);
  if (records.length === 0)
    throw new ServiceError('INVALID_ARGUMENT', 'Pick at least one model version, run or report.');
  if (records.length > site.bundles.maxRecords)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `A bundle holds at most ${site.bundles.maxRecords} records; this pick brings ${records.length}.`,
    );
  const rows = records.map((r) => ({
    kind: r.record.kind,
    label: r.label,
    banner: r.banner,
    portionMark: r.record.portionMark,
    picked: r.picked,
    sha256: r.sha256,
    refusals: destinationRefusals(r.marking, destination, policy).map((refusal) => refusal.message),
  }));
  const preview: ExportPreview = {
    destination,
    records: rows,
    banner: formatBanner(
      rollup(
        records.map((r) => r.marking),
        policy,
      ),
    ),
    ok: rows.every((r) => r.refusals.length === 0),
  };
  return { preview, records };
}

export interface ExportResult {
  bundleId: string;
  file: string;
  parts: number;
  bytes: number;
  fileSha256: string;
  bundleHash: string;
  channel: string;
  sequence: number;
  banner: string;
  records: number;
}

/**
 * Makes, signs and writes a bundle (docs/bundle-format.md): refuses it whole when any record may not
 * go to the destination (each named with its reason), checks the signer's own certificate path first
 * (a bundle nobody can accept is not made), takes the channel's next sequence number, and writes the
 * tar beside `outFile` under a temporary name, renamed into place only when complete. The channel
 * advances and the ledger and audit record the bundle in one transaction after the file is there.
 */
export async function exportBundle(options: {
  ws: Workspace;
  site: SiteConfig;
  picks: readonly ExportPick[];
  destination: string;
  signer: () => CmsSigner;
  /** The folder the bundle is written into (the outbox), as enclave-<channel>-<sequence>.tar. */
  outDir: string;
  now: Date;
  partBytes?: number;
}): Promise<ExportResult> {
  const { ws, site, now } = options;
  const { preview, records } = previewExport(ws, site, options.picks, options.destination);
  if (!preview.ok) {
    const issues = preview.records.flatMap((r) => r.refusals.map((message) => ({ path: r.label, message })));
    ws.audit.append({
      actor: ws.user.actor,
      event: 'bundle.export',
      object: `destination:${preview.destination.name}`,
      outcome: 'denied',
      detail: {
        records: records.length,
        refused: issues.length,
        reasons: issues
          .map((i) => `${i.path}: ${i.message}`)
          .join('; ')
          .slice(0, 2000),
      },
    });
    const refused = preview.records.filter((r) => r.refusals.length > 0).length;
    throw new ServiceError(
      'FORBIDDEN',
      `${refused === 1 ? 'A record' : `${refused} records`} may not go to ${preview.destination.name}.`,
      issues,
    );
  }
  const signer = options.signer();
  const signerCheck = await checkSigner(ws.db, site, signer.certificate, signer.chain, now);
  if (!signerCheck.ok)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `${signerCheck.message} A bundle signed with it would be refused on import.`,
    );
  const destination = preview.destination;
  const channel = q.outChannel.get(ws.db, destination.channel);
  const info: BundleInfo = {
    bundleId: randomUUID(),
    format: 'enclave-bundle/1',
    sourceSite: site.siteName,
    sourceNetwork: site.bundles.network,
    destination: destination.name,
    channel: destination.channel,
    sequence: (channel?.lastSequence ?? 0) + 1,
    previousHash: channel?.lastHash ?? NO_PREVIOUS_BUNDLE,
    created: now.toISOString(),
    expires: new Date(now.getTime() + site.bundles.expiryDays * 86_400_000).toISOString(),
    banner: preview.banner,
    recordCount: records.length,
    signer: signerCheck.subject.slice(0, 300),
  };
  const carried = { ...signer, chain: signerCheck.path };
  const siteKey = site.bundles.mlDsa87.sign ? siteKeyPair(ws) : null;
  if (site.bundles.mlDsa87.sign && !siteKey)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      'This site signs bundles with ML-DSA-87 (bundles.mlDsa87.sign) but has no key yet: an administrator makes it first (enclave bundle site-key --create).',
    );
  const outFile = join(options.outDir, `enclave-${destination.channel}-${String(info.sequence).padStart(6, '0')}.tar`);
  const work = mkdtempSync(join(options.outDir, '.enclave-export-'));
  let bundleHash: string;
  let file: PackedBundle;
  try {
    const bag = join(work, 'bag');
    ({ bundleHash } = writeBag(
      bag,
      info,
      records.map((r) => ({ kind: r.record.kind, sha256: r.sha256, bytes: r.bytes })),
      (tagManifest) => signDetached(tagManifest, carried, now),
      siteKey ? (tagManifest) => signMlDsa(tagManifest, siteKey.secretKey) : undefined,
    ));
    file = await packBundle(bag, outFile, options.partBytes);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const at = now.toISOString();
  const record = ws.db.transaction(() => {
    q.setOutChannel.run(ws.db, destination.channel, destination.name, info.sequence, bundleHash, at);
    q.insertLedger.run(
      ws.db,
      'export',
      info.bundleId,
      bundleHash,
      file.sha256,
      info.banner,
      info.sourceSite,
      info.channel,
      info.sequence,
      records.length,
      ws.user.actor,
      at,
    );
    ws.audit.append({
      actor: ws.user.actor,
      event: 'bundle.export',
      object: `bundle:${info.bundleId}`,
      outcome: 'success',
      detail: {
        destination: destination.name,
        channel: destination.channel,
        sequence: info.sequence,
        banner: info.banner,
        bundleHash,
        fileSha256: file.sha256,
        signer: info.signer,
        records: records
          .map((r) => `${r.record.kind}:${r.sha256}`)
          .join(' ')
          .slice(0, 8000),
        recordCount: records.length,
      },
    });
  });
  try {
    record();
  } catch (error) {
    for (const part of file.parts) rmSync(part, { force: true });
    throw error;
  }
  return {
    bundleId: info.bundleId,
    file: file.path,
    parts: file.parts.length,
    bytes: file.bytes,
    fileSha256: file.sha256,
    bundleHash,
    channel: destination.channel,
    sequence: info.sequence,
    banner: info.banner,
    records: records.length,
  };
}
