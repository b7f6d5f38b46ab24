import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import { updateHistory, updateTargets } from '../../db/queries/updates';
import { extractBundleTar, TarError } from '../bundles/tar';
import { MAX_TARGET_BYTES } from './repository/add-target';
import type { ServiceContext } from '../context';
import { readHandedFile } from '../handed-file';
import type { ServiceCall } from '../service-call';
import { ServiceError } from '../service-error';
import { loadSiteConfig } from '../system/site-config';
import { recoverInterruptedRelease } from './release';
import { applyUpdatePlan, planUpdate, reportInterrupted, type UpdatePlan } from './update-apply';
import { heldRoot, ROOT_MAX_BYTES, summarizeRoot, trustFirstRoot } from './update-root';
import { takeUpdateLock } from './update-lock';
import { verifyUpdateBundle } from './verify-bundle';

/** An update bundle's tar: metadata and targets, app releases included. */
const UPDATE_TAR_LIMITS = { maxEntries: 4096, maxEntryBytes: MAX_TARGET_BYTES, maxTotalBytes: 4 * 1024 ** 3 };

/**
 * Copies the handed file into the private folder while hashing it (at most `maxBytes`): what is
 * hashed is exactly what is then unpacked, whatever the media does between two reads, and no part
 * beside it on the media is read.
 */
async function copyAndHash(from: string, to: string, maxBytes: number): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        return done(new ServiceError('INVALID_ARGUMENT', `The file is larger than ${maxBytes} bytes.`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), count, createWriteStream(to, { flags: 'wx', mode: 0o600 }));
  return hash.digest('hex');
}

/** updates.*: the update root, inspection and apply of sneakernet update bundles (docs/updates.md). */
export function createUpdateService(
  ctx: ServiceContext,
  onSiteChanged: () => void,
  clock: () => Date = () => new Date(),
) {
  const ws = () => ctx.vault.workspace();
  const site = () =>
    loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config;
  const paths = {
    resourcesDir: ctx.paths.resourcesDir,
    siteConfigPath: ctx.paths.siteConfigPath,
    installRoot: ctx.paths.installRoot,
  };
  /** One inspection or apply at a time: an apply's 'started' row must not look interrupted to another call. */
  let busy = false;
  const mediaBase = join(ctx.paths.dataDir, 'updates');

  /**
   * What an interrupted apply left (a 'started' history row; an app release half staged or a pointer
   * half switched) is reported in the audit log at the first use after a start, and cleared.
   */
  function recoverInterrupted(w: ReturnType<typeof ws>): void {
    reportInterrupted(w);
    // Folders a killed inspection or apply unpacked into: nothing in them was trusted or applied.
    if (existsSync(mediaBase))
      for (const name of readdirSync(mediaBase))
        if (name.startsWith('media-') || name.startsWith('.media-'))
          rmSync(join(mediaBase, name), { recursive: true, force: true });
    if (!paths.installRoot) return;
    const { cleaned, problems } = recoverInterruptedRelease(paths.installRoot);
    for (const line of [...cleaned, ...problems])
      w.audit.append({
        actor: 'system',
        event: 'update.release.recovered',
        object: `install:${paths.installRoot}`.slice(0, 300),
        outcome: problems.includes(line) ? 'failure' : 'success',
        detail: { message: line.slice(0, 1000) },
      });
  }

  /** Unpacks the bundle into a private folder, plans it, and always removes the folder. */
  async function withPlan<T>(
    handle: string,
    call: ServiceCall,
    use: (plan: UpdatePlan) => T | Promise<T>,
    reviewedSha256?: string,
  ): Promise<T> {
    const w = ws();
    if (busy)
      throw new ServiceError(
        'FAILED_PRECONDITION',
        'Another update bundle is being checked or applied on this workstation; wait for it to finish.',
      );
    const file = call.file(handle);
    const lock = takeUpdateLock(mediaBase);
    if ('heldBy' in lock)
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `Another Enclave process${lock.heldBy > 0 ? ` (pid ${lock.heldBy})` : ''} is checking or applying an update bundle; wait for it to finish.`,
      );
    try {
      recoverInterrupted(w);
    } catch (error) {
      lock.release();
      throw error;
    }
    const dir = join(mediaBase, `media-${randomBytes(8).toString('hex')}`);
    const copy = `${dir}.tar`;
    let using = false;
    // Set only here, where the finally below always clears it.
    busy = true;
    try {
      mkdirSync(mediaBase, { recursive: true, mode: 0o700 });
      const fileSha256 = await copyAndHash(file.path, copy, UPDATE_TAR_LIMITS.maxTotalBytes + 64 * 1024 ** 2);
      if (reviewedSha256 !== undefined && reviewedSha256 !== fileSha256)
        throw new ServiceError(
          'FAILED_PRECONDITION',
          `${file.name} is not the file that was reviewed (SHA-256 ${fileSha256.slice(0, 16)}…, reviewed ${reviewedSha256.slice(0, 16)}…). Nothing was applied.`,
        );
      try {
        await extractBundleTar([copy], dir, UPDATE_TAR_LIMITS);
      } catch (error) {
        if (error instanceof TarError)
          throw new ServiceError('INVALID_ARGUMENT', `${file.name} is not an update bundle: ${error.message}`);
        throw error;
      }
      call.signal.throwIfAborted();
      const now = clock();
      const bundle = await verifyUpdateBundle(w.db, dir, now);
      const plan = await planUpdate(w, bundle, site(), paths, now, fileSha256);
      using = true;
      return await use(plan);
    } catch (error) {
      // A refusal before the apply began is audited here; one during the apply, by the apply.
      if (error instanceof ServiceError && !using)
        w.audit.append({
          actor: w.user.actor,
          event: 'update.refused',
          object: `file:${file.name}`.slice(0, 300),
          outcome: 'denied',
          detail: { code: error.code, reason: error.message.slice(0, 1000) },
        });
      throw error;
    } finally {
      busy = false;
      rmSync(dir, { recursive: true, force: true });
      rmSync(copy, { force: true });
      lock.release();
    }
  }

  return {
    root(): ResponseOf<'updates', 'root'> {
      const root = heldRoot(ws().db);
      return { root: root ? summarizeRoot(root) : null };
    },
    trustRoot(request: RequestOf<'updates', 'trustRoot'>, call: ServiceCall): ResponseOf<'updates', 'trustRoot'> {
      const { bytes } = readHandedFile(request.file, call, ROOT_MAX_BYTES);
      return { root: trustFirstRoot(ws(), bytes, clock()) };
    },
    async inspect(
      request: RequestOf<'updates', 'inspect'>,
      call: ServiceCall,
    ): Promise<ResponseOf<'updates', 'inspect'>> {
      return withPlan(request.file, call, (plan) => plan.inspection);
    },
    async apply(request: RequestOf<'updates', 'apply'>, call: ServiceCall): Promise<ResponseOf<'updates', 'apply'>> {
      return withPlan(
        request.file,
        call,
        async (plan) => {
          const applied = await applyUpdatePlan(ws(), plan, site(), {
            confirmLockout: request.confirmLockout,
            now: clock(),
          });
          if (plan.site?.outcome.result === 'applied') onSiteChanged();
          return applied;
        },
        request.reviewedSha256,
      );
    },
    history(): ResponseOf<'updates', 'history'> {
      const w = ws();
      // Recovery only when no inspection or apply runs here or in another process.
      const lock = busy ? null : takeUpdateLock(mediaBase);
      if (lock && 'release' in lock)
        try {
          recoverInterrupted(w);
        } finally {
          lock.release();
        }
      return {
        updates: updateHistory(w.db, 200).map((row) => ({
          id: row.id,
          state: row.state,
          actor: row.actor,
          startedAt: row.startedAt,
          endedAt: row.endedAt,
          versions: {
            root: row.rootVersion,
            timestamp: row.timestampVersion,
            snapshot: row.snapshotVersion,
            targets: row.targetsVersion,
          },
          reason: row.reason,
          targets: updateTargets(w.db, row.id),
        })),
      };
    },
  };
}
