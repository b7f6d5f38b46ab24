import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ResponseOf } from '../../../common/ipc/contract';
import { TargetCustomSchema, targetPlaceProblem, ROLE_OF_KIND } from '../../../common/update/update-payload';
import type { UpdateVersions } from '../../db/queries/updates';
import { ServiceError } from '../service-error';
import { TufError } from './tuf/errors';
import { validSigners } from './tuf/keys';
import { readTimeFloor } from './tuf/metadata-store';
import { parseMetadata, type Envelope, type MetadataKey, type RoleKeys, type Targets } from './tuf/metadata';
import { DirectorySource } from './tuf/directory-source';
import { TufUpdater } from './tuf/updater';
import type { VerifiedTarget } from './payloads/update-target';
import { StagedMetadataStore } from './store-metadata';

type UpdateRole = ResponseOf<'updates', 'inspect'>['roles'][number];

/** A bundle whose metadata and targets passed every TUF check, its trusted metadata staged, nothing applied. */
export interface VerifiedBundle {
  staged: StagedMetadataStore;
  roles: UpdateRole[];
  targets: VerifiedTarget[];
  versions: UpdateVersions;
  verifiedTime: string | null;
}

/** Enclave repositories are small: a bundle with more targets than this is refused unread. */
const MAX_TARGETS = 1000;

function held(db: Database, role: string, type: 'root' | 'timestamp' | 'snapshot' | 'targets'): number | null {
  const store = new StagedMetadataStore(db);
  const bytes = store.read(role);
  if (!bytes) return null;
  try {
    return parseMetadata(bytes, type, role).signed.version;
  } catch {
    return null;
  }
}

function roleOf<T>(
  role: string,
  from: number | null,
  envelope: Envelope<T & { version: number; expires: string }>,
  keys: RoleKeys,
  allKeys: Readonly<Record<string, MetadataKey>>,
): UpdateRole {
  return {
    role,
    from,
    to: envelope.signed.version,
    expires: envelope.signed.expires,
    threshold: keys.threshold,
    signedBy: validSigners(keys, allKeys, envelope.signedBytes, envelope.signatures).slice(0, 64),
  };
}

/** A TufError as the administrator reads it; anything else is not ours to word. */
export function refusalOf(error: unknown): never {
  if (error instanceof TufError)
    throw new ServiceError('INVALID_ARGUMENT', `The update bundle is refused: ${error.message}. Nothing was applied.`);
  throw error;
}

/**
 * Verifies the repository on the media (`dir`: `metadata/`, `targets/`) against the trusted metadata
 * in the store, with the workstation's clock above the time floor, and downloads every target it
 * lists, each checked against its signed length and hashes and against Enclave's rules (a kind in
 * its custom field, named under the prefix of the role that must sign it).
 */
export async function verifyUpdateBundle(db: Database, dir: string, now: Date): Promise<VerifiedBundle> {
  const staged = new StagedMetadataStore(db);
  const before = {
    root: held(db, 'root', 'root'),
    timestamp: held(db, 'timestamp', 'timestamp'),
    snapshot: held(db, 'snapshot', 'snapshot'),
    targets: held(db, 'targets', 'targets'),
  };
  if (before.root === null)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      'No update root is trusted yet: an administrator sets it first (the root.json from the update officers).',
    );
  const updater = new TufUpdater({ store: staged, source: new DirectorySource(dir), clock: { now: () => now } });
  try {
    await updater.refresh();
    const read = <T extends 'root' | 'timestamp' | 'snapshot' | 'targets'>(role: T) =>
      parseMetadata(staged.read(role)!, role, role);
    const root = read('root');
    const timestamp = read('timestamp');
    const snapshot = read('snapshot');
    const top = read('targets');
    const roles: UpdateRole[] = [
      roleOf('root', before.root, root, root.signed.roles.root!, root.signed.keys),
      roleOf('timestamp', before.timestamp, timestamp, root.signed.roles.timestamp!, root.signed.keys),
      roleOf('snapshot', before.snapshot, snapshot, root.signed.roles.snapshot!, root.signed.keys),
      roleOf('targets', before.targets, top, root.signed.roles.targets!, root.signed.keys),
    ];
    const names = new Set(Object.keys(top.signed.targets));
    for (const delegated of top.signed.delegations?.roles ?? []) {
      const previous = staged.read(delegated.name) ? held(db, delegated.name, 'targets') : null;
      const envelope: Envelope<Targets> = await updater.targetsOf(delegated.name, 'targets');
      roles.push(roleOf(delegated.name, previous, envelope, delegated, top.signed.delegations!.keys));
      for (const name of Object.keys(envelope.signed.targets)) names.add(name);
      if (names.size > MAX_TARGETS)
        throw new ServiceError('INVALID_ARGUMENT', `The update bundle lists more than ${MAX_TARGETS} targets.`);
    }
    const targets: VerifiedTarget[] = [];
    for (const name of [...names].sort()) {
      const info = await updater.getTargetInfo(name);
      const custom = TargetCustomSchema.safeParse(info.file.custom);
      if (!custom.success)
        throw new ServiceError('INVALID_ARGUMENT', `Target ${name} does not say what kind of payload it is.`);
      const { type: kind, version } = custom.data.enclave;
      const place = targetPlaceProblem(name, kind);
      if (place) throw new ServiceError('INVALID_ARGUMENT', `Target ${name}: ${place}`);
      if (info.role !== ROLE_OF_KIND[kind])
        throw new ServiceError(
          'INVALID_ARGUMENT',
          `Target ${name} is signed by the ${info.role} role; a ${kind} must be signed by the ${ROLE_OF_KIND[kind]} role.`,
        );
      const bytes = Buffer.from(await updater.downloadTarget(info));
      targets.push({
        name,
        kind,
        version: version ?? null,
        role: info.role,
        length: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes,
      });
    }
    return {
      staged,
      roles,
      targets,
      versions: {
        root: root.signed.version,
        timestamp: timestamp.signed.version,
        snapshot: snapshot.signed.version,
        targets: top.signed.version,
      },
      verifiedTime: readTimeFloor(staged)?.signedAt ?? null,
    };
  } catch (error) {
    return refusalOf(error);
  }
}
