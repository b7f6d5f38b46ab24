import { z } from 'zod';
import {
  DEFAULT_EXPIRY_DAYS,
  type InitOptions,
  type RoleSetup,
} from '../../electron/services/updates/repository/init-repository';
import { RepositoryError } from '../../electron/services/updates/repository/errors';
import { readJsonFile } from '../../electron/services/updates/repository/files';
import { DELEGATED_ROLES } from '../../electron/services/updates/repository/roles';
import type { TufPublicKey } from '../../electron/services/updates/tuf/signer';

/** The options of `enclave update init-repo` as commander hands them over. */
export interface InitRepoArgs {
  rootKey?: string[];
  rootThreshold?: string;
  targetsKey?: string[];
  targetsThreshold?: string;
  snapshotKey?: string[];
  snapshotThreshold?: string;
  timestampKey?: string[];
  timestampThreshold?: string;
  roleKey?: string[];
  roleThreshold?: string[];
  expires?: string;
  roleExpires?: string[];
}

const usage = (message: string) => new RepositoryError('usage', message);

const keySchema = z.strictObject({
  keytype: z.enum(['ecdsa', 'ed25519', 'rsa']),
  scheme: z.enum(['ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp256', 'ed25519', 'rsassa-pss-sha256']),
  keyval: z.strictObject({ public: z.string().min(1).max(16384) }),
});

/** A public key file as `enclave update key --out` writes it (at most 64 KiB). */
export function readKeyFile(path: string): TufPublicKey {
  const parsed = keySchema.safeParse(readJsonFile(path, 64 * 1024, 'The key file'));
  if (!parsed.success)
    throw usage(
      `The key file ${path} is not a TUF public key (${parsed.error.issues[0]?.path.join('.') || 'top'}: ${parsed.error.issues[0]?.message}).`,
    );
  return parsed.data;
}

export function parseCount(text: string, what: string, max: number): number {
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > max)
    throw usage(`${what} must be a whole number from 1 to ${max}; "${text}" is not.`);
  return Number(text);
}

/** "90" or "90d": a number of days, 1 to 3650. */
export function parseDays(text: string, what: string): number {
  const match = /^(\d{1,4})d?$/.exec(text);
  if (!match) throw usage(`${what} is a number of days such as 365d; "${text}" is not.`);
  return parseCount(match[1]!, what, 3650);
}

/** `role=value` pairs; each role named once, and only roles in `allowed`. */
function pairs(
  items: readonly string[] | undefined,
  option: string,
  allowed: readonly string[],
): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    const role = item.slice(0, eq);
    if (eq < 1 || eq === item.length - 1) throw usage(`${option} takes ROLE=VALUE; "${item}" is not.`);
    if (!allowed.includes(role)) throw usage(`${option}: "${role}" is not one of ${allowed.join(', ')}.`);
    map.set(role, [...(map.get(role) ?? []), item.slice(eq + 1)]);
  }
  return map;
}

/** The InitOptions the arguments describe; key files are read and checked here. */
export function initOptions(args: InitRepoArgs, now: Date): InitOptions {
  const delegated = DELEGATED_ROLES.map((role) => role.name);
  const roleKeys = pairs(args.roleKey, '--role-key', delegated);
  const roleThresholds = pairs(args.roleThreshold, '--role-threshold', delegated);
  const setup = (role: string, files: readonly string[] | undefined, threshold: string | undefined): RoleSetup => {
    if (!files || files.length === 0)
      throw usage(
        delegated.includes(role)
          ? `The ${role} role needs a key: --role-key ${role}=FILE.`
          : `The ${role} role needs a key: --${role}-key FILE.`,
      );
    return {
      keys: files.map(readKeyFile),
      threshold: threshold === undefined ? 1 : parseCount(threshold, `The ${role} threshold`, 1024),
    };
  };
  const roles: Record<string, RoleSetup> = {
    root: setup('root', args.rootKey, args.rootThreshold),
    targets: setup('targets', args.targetsKey, args.targetsThreshold),
    snapshot: setup('snapshot', args.snapshotKey, args.snapshotThreshold),
    timestamp: setup('timestamp', args.timestampKey, args.timestampThreshold),
  };
  for (const role of delegated) {
    const thresholds = roleThresholds.get(role);
    if (thresholds && thresholds.length > 1) throw usage(`--role-threshold names ${role} twice.`);
    roles[role] = setup(role, roleKeys.get(role), thresholds?.[0]);
  }
  const expiryRoles = ['targets', 'delegated', 'snapshot', 'timestamp'] as const;
  const expiry = pairs(args.roleExpires, '--role-expires', expiryRoles);
  const expiryDays = { ...DEFAULT_EXPIRY_DAYS };
  if (args.expires !== undefined) expiryDays.root = parseDays(args.expires, '--expires');
  for (const role of expiryRoles) {
    const value = expiry.get(role);
    if (value) expiryDays[role] = parseDays(value.at(-1)!, `--role-expires ${role}`);
  }
  return { roles, expiryDays, now };
}
