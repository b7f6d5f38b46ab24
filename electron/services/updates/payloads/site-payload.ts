import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ServiceError } from '../../service-error';
import { checkSiteConfig } from '../../system/site-config';
import { writeFileDurably } from '../../vault/keyslots';
import type { TargetOutcome, VerifiedTarget } from './update-target';

/** A checked site configuration, written only after the update's transaction has committed. */
export interface SiteConfigChange {
  outcome: TargetOutcome;
  /** Replaces the override file whole (temp file, fsync, rename): a crash leaves the old or the new one. */
  write(): void;
}

/**
 * The bundle's site configuration, checked exactly as at start-up (an override over the shipped
 * defaults; fails closed). Services read the file at each use, so the next call runs under it; the
 * windows are told to reload their banner (the service's `site.changed` event).
 */
export function checkSiteTarget(
  targets: VerifiedTarget[],
  paths: { resourcesDir: string; siteConfigPath: string },
): SiteConfigChange | null {
  const found = targets.filter((t) => t.kind === 'site-config');
  if (found.length === 0) return null;
  if (found.length > 1)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `The bundle holds ${found.length} site configurations (${found.map((t) => t.name).join(', ')}); it may hold one.`,
    );
  const target = found[0]!;
  let value: unknown;
  try {
    value = JSON.parse(target.bytes.toString('utf8'));
  } catch (error) {
    throw new ServiceError('INVALID_ARGUMENT', `${target.name} is not JSON (${(error as Error).message}).`);
  }
  try {
    accessSync(dirname(paths.siteConfigPath), constants.W_OK);
  } catch {
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `The site configuration cannot be replaced: ${dirname(paths.siteConfigPath)} is not writable by Enclave. Nothing was applied.`,
    );
  }
  const before = existsSync(paths.siteConfigPath)
    ? checkSiteConfig(paths.resourcesDir, {
        what: paths.siteConfigPath,
        value: JSON.parse(readFileSync(paths.siteConfigPath, 'utf8')),
      }).config
    : checkSiteConfig(paths.resourcesDir, null).config;
  const after = checkSiteConfig(paths.resourcesDir, { what: target.name, value }).config;
  // The PKCS#11 modules are native code the app loads: only an administrator at the workstation sets
  // them, never a bundle (the site role would otherwise choose code to run, past the releases role).
  if (JSON.stringify(before.pkcs11Modules) !== JSON.stringify(after.pkcs11Modules))
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `${target.name} changes pkcs11Modules (${JSON.stringify(before.pkcs11Modules)} → ${JSON.stringify(after.pkcs11Modules)}). The card modules the app loads are set at the workstation by an administrator, never by an update bundle: ship the site's current pkcs11Modules unchanged. Nothing was applied.`,
    );
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const same = existsSync(paths.siteConfigPath) && readFileSync(paths.siteConfigPath, 'utf8') === text;
  // The file replaces the override whole: a setting it leaves out goes back to the shipped default,
  // so every setting that changes is named (a dropped pkcs11Modules would stop card login).
  const others = Object.keys({ ...before, ...after })
    .filter((key) => key !== 'siteName' && key !== 'systemHigh')
    .filter(
      (key) => JSON.stringify(before[key as keyof typeof before]) !== JSON.stringify(after[key as keyof typeof after]),
    )
    .sort();
  const changes = [
    before.siteName !== after.siteName ? `site "${before.siteName}" → "${after.siteName}"` : null,
    before.systemHigh !== after.systemHigh ? `system high ${before.systemHigh} → ${after.systemHigh}` : null,
    others.length > 0 ? `also changes ${others.join(', ')}` : null,
  ].filter((c): c is string => c !== null);
  return {
    outcome: {
      name: target.name,
      kind: 'site-config',
      result: same ? 'unchanged' : 'applied',
      detail: same
        ? 'the site configuration is already this one'
        : `site configuration${target.version ? ` ${target.version}` : ''}${changes.length > 0 ? `: ${changes.join('; ')}` : ''}`,
    },
    write: () => {
      if (!same) writeFileDurably(paths.siteConfigPath, text);
    },
  };
}
