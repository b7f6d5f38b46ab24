import { createHash, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RECORD_MAX_BYTES } from '../../../common/bundle/bundle-record';
import { siteMarkings, type SiteConfig } from '../../../common/site/site-config';
import * as q from '../../db/queries/bundles';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';
import { readBounded } from './bag-files';
import { ApplyError, applyRecord } from './bundle-apply';
import { verifyBundle, type BundleProblem, type VerifiedBundle } from './bundle-verify';
import { unpackBundle } from './pack';

/** What the quarantine keeps of a verified bundle for its review (bundle_quarantine.summary). */
export type QuarantineSummary = Omit<VerifiedBundle, 'bundleHash'>;

const KIND_ORDER = { 'model-version': 0, run: 1, report: 2 } as const;

export const quarantineRoot = (dataDir: string) => join(dataDir, 'quarantine');

function refusal(
  ws: Workspace,
  object: string,
  step: string,
  problems: readonly BundleProblem[],
  fileSha256: string | null,
): ServiceError {
  ws.audit.append({
    actor: ws.user.actor,
    event: 'bundle.import',
    object,
    outcome: 'denied',
    detail: {
      step,
      reasons: problems
        .map((p) => p.code)
        .join(' ')
        .slice(0, 1000),
      message: problems[0]?.message.slice(0, 1000) ?? null,
      fileSha256,
    },
  });
  const first = problems[0]?.message ?? 'The bundle was refused.';
  return new ServiceError(
    'FAILED_PRECONDITION',
    problems.length > 1 ? `${first} (${problems.length - 1} more problem(s) found.)` : first,
    problems.slice(0, 100).map((p) => ({ path: `${p.step}${p.path ? `: ${p.path}` : ''}`, message: p.message })),
  );
}

function sha256Files(files: readonly string[]): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
  return hash.digest('hex');
}

/** Quarantine folders no waiting bundle owns (an import cut short): removed before the next lands. */
function sweep(ws: Workspace, root: string): void {
  const kept = new Set(
    q.quarantineList
      .all(ws.db)
      .filter((r) => r.state === 'verified')
      .map((r) => r.folder),
  );
  for (const name of readdirSync(root)) if (!kept.has(name)) rmSync(join(root, name), { recursive: true, force: true });
}

/**
 * A bundle file (a tar, or its parts in order) into quarantine (docs/bundle-format.md, "Import"):
 * its size first, then unpacked with the tar's limits into a fresh folder, then verified in order.
 * A refused bundle leaves nothing behind and is audited with its reason; a verified one waits for
 * an administrator's review, audited with its id and hashes.
 */
export async function receiveBundle(o: {
  ws: Workspace;
  site: SiteConfig;
  sources: readonly string[];
  dataDir: string;
  now: Date;
}): Promise<{ id: number; bundle: VerifiedBundle }> {
  const { ws, site } = o;
  const root = quarantineRoot(o.dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  sweep(ws, root);
  const object = `file:${o.sources[0]?.split('/').pop() ?? ''}`.slice(0, 200);
  const size = o.sources.reduce((n, f) => n + statSync(f).size, 0);
  if (size > site.bundles.maxBundleBytes)
    throw refusal(
      ws,
      object,
      'structure',
      [
        {
          step: 'structure',
          code: 'BUNDLE_TOO_LARGE',
          message: `The bundle is ${size} bytes; this site accepts at most ${site.bundles.maxBundleBytes}.`,
        },
      ],
      null,
    );
  const fileSha256 = sha256Files(o.sources);
  const folder = randomUUID();
  const dir = join(root, folder);
  const unpacked = await unpackBundle(o.sources, dir, site.bundles);
  if (!unpacked.ok) throw refusal(ws, object, 'structure', unpacked.problems, fileSha256);
  try {
    const verdict = await verifyBundle(ws.db, site, dir, o.now);
    if (!verdict.ok) throw refusal(ws, object, verdict.step, verdict.problems, fileSha256);
    const { bundleHash, ...summary } = verdict.bundle;
    const info = verdict.bundle.info;
    const id = Number(
      q.insertQuarantine.run(
        ws.db,
        info.bundleId,
        bundleHash,
        fileSha256,
        folder,
        info.banner,
        JSON.stringify(summary),
        ws.user.actor,
        o.now.toISOString(),
      ).lastInsertRowid,
    );
    ws.audit.append({
      actor: ws.user.actor,
      event: 'bundle.receive',
      object: `bundle:${info.bundleId}`,
      outcome: 'success',
      detail: {
        quarantine: id,
        sourceSite: info.sourceSite,
        channel: info.channel,
        sequence: info.sequence,
        banner: info.banner,
        signer: verdict.bundle.signer.subject.slice(0, 300),
        bundleHash,
        fileSha256,
        records: verdict.bundle.records
          .map((r) => `${r.kind}:${r.sha256}`)
          .join(' ')
          .slice(0, 8000),
        gap: verdict.bundle.sequence.gap,
      },
    });
    return { id, bundle: verdict.bundle };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function waiting(ws: Workspace, id: number): q.QuarantineRow {
  const row = q.quarantineById.get(ws.db, id);
  if (!row) throw new ServiceError('INVALID_ARGUMENT', `There is no bundle ${id} in quarantine.`);
  if (row.state !== 'verified')
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `Bundle ${row.bundleId} was ${row.state} on ${row.reviewedAt} by ${row.reviewedBy}.`,
    );
  return row;
}

/**
 * Releases a reviewed bundle: verified again (the quarantine folder is on disk, and time has passed),
 * then every record applied in one transaction with the channel, the ledger, the review and the
 * audit. A record applied before is skipped; anything that cannot be applied rolls it all back.
 */
export async function releaseBundle(o: {
  ws: Workspace;
  site: SiteConfig;
  id: number;
  note: string;
  dataDir: string;
  now: Date;
}) {
  const { ws, site, now } = o;
  if (ws.user.id === null)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      'Release needs a signed-in administrator with a card: released records are owned by the one who releases them.',
    );
  const ownerId = ws.user.id;
  const row = waiting(ws, o.id);
  const dir = join(quarantineRoot(o.dataDir), row.folder);
  const verdict = await verifyBundle(ws.db, site, dir, now, true);
  if (!verdict.ok) throw refusal(ws, `bundle:${row.bundleId}`, verdict.step, verdict.problems, row.fileSha256);
  if (verdict.bundle.bundleHash !== row.bundleHash)
    throw refusal(
      ws,
      `bundle:${row.bundleId}`,
      'payload',
      [
        {
          step: 'payload',
          code: 'CHANGED_IN_QUARANTINE',
          message: 'The bundle changed in quarantine since it was verified; reject it and import it again.',
        },
      ],
      row.fileSha256,
    );
  const { info, records } = verdict.bundle;
  const { policy } = siteMarkings(site);
  const at = now.toISOString();
  const counts = { applied: 0, already: 0 };
  const ordered = [...records].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  try {
    ws.db.transaction(() => {
      for (const record of ordered)
        counts[applyRecord({ ws, ownerId, info, policy, at }, readBounded(dir, record.path, RECORD_MAX_BYTES))] += 1;
      q.setInChannel.run(ws.db, info.sourceSite, info.channel, info.sequence, row.bundleHash, at);
      q.insertLedger.run(
        ws.db,
        'import',
        info.bundleId,
        row.bundleHash,
        row.fileSha256,
        info.banner,
        info.sourceSite,
        info.channel,
        info.sequence,
        records.length,
        ws.user.actor,
        at,
      );
      if (q.setReviewed.run(ws.db, 'released', ws.user.actor, at, o.note, row.id).changes !== 1)
        throw new ApplyError('the bundle was reviewed by someone else meanwhile');
      ws.audit.append({
        actor: ws.user.actor,
        event: 'bundle.release',
        object: `bundle:${info.bundleId}`,
        outcome: 'success',
        detail: {
          quarantine: row.id,
          sourceSite: info.sourceSite,
          channel: info.channel,
          sequence: info.sequence,
          banner: info.banner,
          bundleHash: row.bundleHash,
          applied: counts.applied,
          already: counts.already,
          note: o.note.slice(0, 500),
        },
      });
    })();
  } catch (error) {
    if (!(error instanceof ApplyError)) throw error;
    ws.audit.append({
      actor: ws.user.actor,
      event: 'bundle.release',
      object: `bundle:${info.bundleId}`,
      outcome: 'failure',
      detail: { quarantine: row.id, reason: error.message.slice(0, 1000) },
    });
    throw new ServiceError('FAILED_PRECONDITION', `Nothing was imported: ${error.message}`);
  }
  rmSync(dir, { recursive: true, force: true });
  return { bundleId: info.bundleId, ...counts };
}

/** Rejects a bundle in quarantine: nothing of it is imported; its folder is removed. */
export function rejectBundle(o: { ws: Workspace; id: number; note: string; dataDir: string; now: Date }) {
  const { ws } = o;
  const row = waiting(ws, o.id);
  const at = o.now.toISOString();
  ws.db.transaction(() => {
    q.setReviewed.run(ws.db, 'rejected', ws.user.actor, at, o.note, row.id);
    ws.audit.append({
      actor: ws.user.actor,
      event: 'bundle.reject',
      object: `bundle:${row.bundleId}`,
      outcome: 'success',
      detail: { quarantine: row.id, bundleHash: row.bundleHash, note: o.note.slice(0, 500) },
    });
  })();
  rmSync(join(quarantineRoot(o.dataDir), row.folder), { recursive: true, force: true });
  return { bundleId: row.bundleId };
}
