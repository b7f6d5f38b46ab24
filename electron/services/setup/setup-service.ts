import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import { createPolicy, formatBanner, parseMarking } from '../../../common/markings';
import { insertLocalSite, recordSetupCompleted, setupCompletedAt } from '../../db/queries/setup';
import { countAnchors } from '../../db/queries/trust';
import type { ServiceContext } from '../context';
import { listUsers } from '../identity/login-users';
import type { ServiceCall } from '../service-call';
import { ServiceError } from '../service-error';
import { prepareDataDir } from '../system/data-dir';
import { loadSiteConfig } from '../system/site-config';
import { siteNameProblem } from '../system/site-name';
import { generateRecoverySecret, normalizeRecoverySecret } from '../vault/recovery-secret';
import { restoreStore } from '../vault/vault-admin';
import { demoRefusal } from '../demo/demo-gate';
import { demoPathsFor, isDemoWorkstation, readDemoFile } from '../demo/demo-paths';

/**
 * First-run setup (docs/admin-guide.md, "First run"): site name and system high, the recovery
 * secret shown once and typed back, then, signed in with that secret, trust anchors and the first
 * administrator's card; `finish` ends the recovery session so that card signs in. Nothing is
 * written before the secret is confirmed: a setup abandoned before then leaves no trace.
 */
export function createSetupService(ctx: ServiceContext) {
  let pending: { siteName: string; systemHigh: string; secret: string } | null = null;
  const site = () =>
    loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config;
  const refuseIfSetUp = () => {
    if (ctx.vault.exists)
      throw new ServiceError(
        'FAILED_PRECONDITION',
        'This workstation is already set up. Sign in with your card, or with the recovery secret.',
      );
  };

  function progress(): ResponseOf<'setup', 'progress'> {
    const { db } = ctx.vault.workspace();
    const config = site();
    return {
      siteName: config.siteName,
      systemHigh: formatBanner(parseMarkingOrFail(config.systemHigh, config)),
      trustAnchors: countAnchors(db),
      adminCards: listUsers(db).filter((u) => u.role === 'admin' && !u.disabledAt && u.cardSlots.length > 0).length,
      completedAt: setupCompletedAt(db),
    };
  }

  return {
    begin(request: RequestOf<'setup', 'begin'>): ResponseOf<'setup', 'begin'> {
      refuseIfSetUp();
      const problem = siteNameProblem(request.siteName);
      if (problem)
        throw new ServiceError('INVALID_ARGUMENT', `${problem} Type it again as plain text.`, [
          { path: 'siteName', message: problem },
        ]);
      const systemHigh = formatBanner(parseMarkingOrFail(request.systemHigh, site()));
      pending = { siteName: request.siteName, systemHigh, secret: generateRecoverySecret() };
      return { recoverySecret: pending.secret, systemHigh };
    },

    confirm(request: RequestOf<'setup', 'confirm'>): ResponseOf<'setup', 'confirm'> {
      refuseIfSetUp();
      if (!pending)
        throw new ServiceError('FAILED_PRECONDITION', 'Start setup first: enter the site name and system high.');
      if (!sameSecret(request.recoverySecret, pending.secret)) {
        throw new ServiceError(
          'FAILED_PRECONDITION',
          'That is not the recovery secret shown. Check each group of four against what you wrote down, and type it again.',
        );
      }
      const chosen = pending;
      makeDataDir(ctx.paths.dataDir);
      const restore = writeSiteIdentity(ctx.paths.siteConfigPath, chosen.siteName, chosen.systemHigh);
      try {
        site(); // the merged configuration must still be valid before anything else is written
        ctx.vault.create({ actor: 'recovery', recoverySecret: chosen.secret }, (store) => {
          insertLocalSite(store.db, chosen.siteName, chosen.systemHigh, new Date().toISOString());
          store.audit.append({
            actor: 'recovery',
            event: 'setup.site',
            outcome: 'success',
            detail: { siteName: chosen.siteName, systemHigh: chosen.systemHigh },
          });
        });
      } catch (error) {
        restore();
        throw error;
      }
      pending = null;
      const user = ctx.login.unlockWithRecoverySecret(chosen.secret);
      return { user: { id: user.id, displayName: user.displayName, role: user.role } };
    },

    restore(request: RequestOf<'setup', 'restore'>, call: ServiceCall): ResponseOf<'setup', 'restore'> {
      refuseIfSetUp();
      const backup = call.file(request.backup);
      restoreStore(backup.path, backup.name, ctx.vault.dbPath, request.recoverySecret, 'recovery');
      return { path: ctx.vault.dbPath };
    },

    demoStatus(): ResponseOf<'setup', 'demoStatus'> {
      const reason = demoRefusal(ctx.paths, ctx.vault.exists);
      return { available: reason === null, reason };
    },

    /** The services' half of startDemo: the gate. The host makes the demo and answers with its cards (electron/main/demo-switch.ts). */
    startDemo(): ResponseOf<'setup', 'startDemo'> {
      const reason = demoRefusal(ctx.paths, ctx.vault.exists);
      if (reason) throw new ServiceError('FAILED_PRECONDITION', reason);
      return { dataDir: demoPathsFor(ctx.paths).dataDir, made: false, cards: [] };
    },

    demoCards(): ResponseOf<'setup', 'demoCards'> {
      const demo = isDemoWorkstation(ctx.paths) ? readDemoFile(ctx.paths.dataDir) : null;
      if (!demo) throw new ServiceError('FAILED_PRECONDITION', 'This is not the demonstration workstation.');
      return { cards: demo.cards.map(({ role, holder, label, pin }) => ({ role, holder, label, pin })) };
    },

    progress,

    finish(): ResponseOf<'setup', 'finish'> {
      const now = progress();
      if (now.trustAnchors === 0)
        throw new ServiceError(
          'FAILED_PRECONDITION',
          'Import the trust anchors (your PKI root and intermediate CA certificates) first.',
        );
      if (now.adminCards === 0)
        throw new ServiceError(
          'FAILED_PRECONDITION',
          'Enroll an administrator’s card first: without one, only the recovery secret could sign in.',
        );
      const { db, audit, user } = ctx.vault.workspace();
      const at = now.completedAt ?? new Date().toISOString();
      recordSetupCompleted(db, at);
      audit.append({
        actor: user.actor,
        event: 'setup.complete',
        outcome: 'success',
        detail: { trustAnchors: now.trustAnchors, adminCards: now.adminCards },
      });
      ctx.login.lock('manual', 'setup finished: sign in with your card');
      return { ...now, completedAt: at };
    },
  };
}

function parseMarkingOrFail(text: string, config: ReturnType<typeof loadSiteConfig>['config']) {
  const parsed = parseMarking(text, createPolicy(config.markings));
  if (!parsed.ok) {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `"${text.slice(0, 120)}" is not a valid system-high marking.`,
      parsed.issues.map((issue) => ({
        path: 'systemHigh',
        message: issue.token ? `"${issue.token}" at ${issue.position}: ${issue.message}` : issue.message,
      })),
    );
  }
  return parsed.marking;
}

/** The data directory, created owner-only if this is a new workstation; a plain error if it cannot be. */
function makeDataDir(dataDir: string): void {
  try {
    prepareDataDir(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `The data directory ${dataDir} cannot be created or closed to other users (${code}). Ask the workstation's administrator.`,
    );
  }
}

/** Compares what was typed with the secret shown, after the same normalisation the unlock uses. */
function sameSecret(typed: string, shown: string): boolean {
  let a: Buffer;
  try {
    a = Buffer.from(normalizeRecoverySecret(typed));
  } catch {
    return false;
  }
  const b = Buffer.from(normalizeRecoverySecret(shown));
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Writes siteName and systemHigh into the admin's override file (keeping its other keys), by temp
 * file and rename. Returns how to put the old file back if setup fails after this.
 */
function writeSiteIdentity(path: string, siteName: string, systemHigh: string): () => void {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : null;
  let current: Record<string, unknown> = {};
  if (before !== null) {
    try {
      current = JSON.parse(before) as Record<string, unknown>;
    } catch {
      throw new ServiceError(
        'MISCONFIGURED',
        `The site configuration ${path} is not valid JSON; fix or remove it before setup.`,
      );
    }
  }
  const temp = `${path}.tmp`;
  rmSync(temp, { force: true }); // a left-over temp file would keep its own mode
  writeFileSync(temp, `${JSON.stringify({ ...current, siteName, systemHigh }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
  return () => {
    if (before === null) rmSync(path, { force: true });
    else writeFileSync(path, before, { mode: 0o600 });
  };
}
