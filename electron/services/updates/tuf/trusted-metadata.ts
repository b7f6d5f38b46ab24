import { TufError } from './errors';
import { checkLengthAndHashes } from './hashes';
import { countValidSignatures } from './keys';
import {
  expiresAt,
  parseMetadata,
  type Envelope,
  type MetadataKey,
  type RoleKeys,
  type Root,
  type Snapshot,
  type Targets,
  type Timestamp,
} from './metadata';

/**
 * The metadata this client has verified, in the order TUF 1.0 §5.3–5.6 allows: root (and its
 * rotations), then timestamp, snapshot, top-level targets and delegated targets. Every update either
 * passes every check of its step or throws a TufError and leaves the trusted state as it was — with one
 * deliberate exception the spec asks for: a timestamp or snapshot that verifies but is expired (or, for
 * a snapshot, not the version the timestamp names) is kept as the reference for rollback checks and still
 * refused. It does no I/O and never reads the clock: `now` is given.
 */
export class TrustedMetadata {
  private trustedRoot: Envelope<Root>;
  private trustedTimestamp: Envelope<Timestamp> | undefined;
  private trustedSnapshot: Envelope<Snapshot> | undefined;
  private readonly trustedTargets = new Map<string, Envelope<Targets>>();

  constructor(
    rootBytes: Uint8Array,
    private readonly now: Date,
  ) {
    const root = parseMetadata(rootBytes, 'root', 'trusted root');
    verifyThreshold(`root version ${root.signed.version}`, root.signed.roles.root!, root.signed.keys, root);
    this.trustedRoot = root;
  }

  get root(): Envelope<Root> {
    return this.trustedRoot;
  }
  get timestamp(): Envelope<Timestamp> | undefined {
    return this.trustedTimestamp;
  }
  get snapshot(): Envelope<Snapshot> | undefined {
    return this.trustedSnapshot;
  }
  targets(role: string): Envelope<Targets> | undefined {
    return this.trustedTargets.get(role);
  }

  /** §5.3: the next root, signed by a threshold of the trusted root's keys AND of its own, version N+1 exactly. */
  updateRoot(bytes: Uint8Array): Envelope<Root> {
    if (this.trustedTimestamp) throw new TufError('bad-metadata', 'root cannot change after timestamp was loaded');
    const current = this.trustedRoot.signed;
    const next = parseMetadata(bytes, 'root', `root version ${current.version + 1}`);
    const label = `root version ${next.signed.version}`;
    verifyThreshold(
      `${label} (by the keys of trusted root ${current.version})`,
      current.roles.root!,
      current.keys,
      next,
    );
    verifyThreshold(`${label} (by its own keys)`, next.signed.roles.root!, next.signed.keys, next);
    if (next.signed.version !== current.version + 1)
      throw new TufError(
        next.signed.version <= current.version ? 'rollback' : 'version',
        `root version ${next.signed.version} was offered where version ${current.version + 1} must come next`,
      );
    this.trustedRoot = next;
    return next;
  }

  /** §5.3.10: after the rotations, the root in force must not be expired. */
  checkFinalRoot(): void {
    checkNotExpired('root', this.trustedRoot.signed, this.now);
  }

  /**
   * §5.4: timestamp, signed by root's timestamp keys, no older than the trusted one, naming a snapshot
   * no older than the trusted one names. Returns 'unchanged' for the trusted version offered again.
   */
  updateTimestamp(bytes: Uint8Array): 'updated' | 'unchanged' {
    if (this.trustedSnapshot) throw new TufError('bad-metadata', 'timestamp cannot change after snapshot was loaded');
    this.checkFinalRoot();
    const root = this.trustedRoot.signed;
    const next = parseMetadata(bytes, 'timestamp', 'timestamp');
    verifyThreshold(`timestamp version ${next.signed.version}`, root.roles.timestamp!, root.keys, next);
    const trusted = this.trustedTimestamp?.signed;
    if (trusted) {
      if (next.signed.version < trusted.version)
        throw new TufError(
          'rollback',
          `timestamp version ${next.signed.version} is older than the trusted version ${trusted.version}`,
        );
      if (next.signed.version === trusted.version) {
        checkNotExpired('timestamp', trusted, this.now);
        return 'unchanged';
      }
      const [was, now] = [snapshotVersionIn(trusted), snapshotVersionIn(next.signed)];
      if (now < was)
        throw new TufError(
          'rollback',
          `timestamp version ${next.signed.version} names snapshot version ${now}, older than the trusted ${was}`,
        );
    }
    // Kept even if expired: it is what the next timestamp's rollback check compares with (§5.4.3).
    this.trustedTimestamp = next;
    checkNotExpired('timestamp', next.signed, this.now);
    return 'updated';
  }

  /**
   * §5.5: snapshot, matching the timestamp's length and hashes (unless `fromStore`: the store holds only
   * what was verified, and its hashes may be of an older timestamp), signed by root's snapshot keys, no
   * role it listed before missing or older. Final: not expired and the version the timestamp names.
   */
  updateSnapshot(bytes: Uint8Array, fromStore: boolean): void {
    const timestamp = this.trustedTimestamp?.signed;
    if (!timestamp) throw new TufError('bad-metadata', 'snapshot cannot be loaded before timestamp');
    if (this.trustedTargets.size > 0)
      throw new TufError('bad-metadata', 'snapshot cannot change after targets were loaded');
    checkNotExpired('timestamp', timestamp, this.now);
    const meta = timestamp.meta['snapshot.json']!;
    if (!fromStore) checkLengthAndHashes(bytes, meta, `snapshot version ${meta.version}`);
    const root = this.trustedRoot.signed;
    const next = parseMetadata(bytes, 'snapshot', 'snapshot');
    verifyThreshold(`snapshot version ${next.signed.version}`, root.roles.snapshot!, root.keys, next);
    const trusted = this.trustedSnapshot?.signed;
    if (trusted)
      for (const [file, old] of Object.entries(trusted.meta)) {
        const now = Object.hasOwn(next.signed.meta, file) ? next.signed.meta[file] : undefined;
        if (!now)
          throw new TufError(
            'rollback',
            `snapshot version ${next.signed.version} no longer lists ${file}, which trusted snapshot version ${trusted.version} lists`,
          );
        if (now.version < old.version)
          throw new TufError(
            'rollback',
            `snapshot version ${next.signed.version} names ${file} version ${now.version}, older than the trusted ${old.version}`,
          );
      }
    this.trustedSnapshot = next;
    checkNotExpired('snapshot', next.signed, this.now);
    if (next.signed.version !== meta.version)
      throw new TufError(
        next.signed.version < meta.version ? 'rollback' : 'version',
        `snapshot version ${next.signed.version} is not version ${meta.version}, which timestamp version ${timestamp.version} names`,
      );
  }

  /**
   * §5.6 and §5.7: top-level targets (delegator 'root') or a delegated role, signed by a threshold of the
   * keys its delegator gives it, matching the snapshot's version (and length and hashes when not
   * `fromStore`), not expired.
   */
  updateTargets(bytes: Uint8Array, role: string, delegator: string, fromStore: boolean): Envelope<Targets> {
    const snapshot = this.trustedSnapshot?.signed;
    const timestamp = this.trustedTimestamp?.signed;
    if (!snapshot || !timestamp) throw new TufError('bad-metadata', `${role} cannot be loaded before snapshot`);
    checkNotExpired('snapshot', snapshot, this.now);
    if (snapshot.version !== snapshotVersionIn(timestamp))
      throw new TufError('version', `snapshot version ${snapshot.version} is not the one timestamp names`);
    const label = role === 'targets' ? 'targets' : `delegated role '${role}'`;
    const { keys, roleKeys } = this.delegation(role, delegator);
    const file = `${role}.json`;
    const meta = Object.hasOwn(snapshot.meta, file) ? snapshot.meta[file] : undefined;
    if (!meta) throw new TufError('not-found', `snapshot version ${snapshot.version} does not list ${file}`);
    if (!fromStore) checkLengthAndHashes(bytes, meta, `${file} version ${meta.version}`);
    const next = parseMetadata(bytes, 'targets', label);
    verifyThreshold(`${label} version ${next.signed.version}`, roleKeys, keys, next);
    if (next.signed.version !== meta.version)
      throw new TufError(
        next.signed.version < meta.version ? 'rollback' : 'version',
        `${label} version ${next.signed.version} is not version ${meta.version}, which snapshot version ${snapshot.version} names`,
      );
    checkNotExpired(label, next.signed, this.now);
    this.trustedTargets.set(role, next);
    return next;
  }

  private delegation(role: string, delegator: string): { keys: Record<string, MetadataKey>; roleKeys: RoleKeys } {
    if (delegator === 'root') {
      if (role !== 'targets') throw new TufError('delegation', `root delegates only targets, not '${role}'`);
      return { keys: this.trustedRoot.signed.keys, roleKeys: this.trustedRoot.signed.roles.targets! };
    }
    const parent = this.trustedTargets.get(delegator)?.signed;
    if (!parent)
      throw new TufError('delegation', `'${delegator}' must be loaded before the role '${role}' it delegates`);
    const delegated = parent.delegations?.roles.find((candidate) => candidate.name === role);
    if (!parent.delegations || !delegated)
      throw new TufError('delegation', `'${delegator}' does not delegate to '${role}'`);
    return { keys: parent.delegations.keys, roleKeys: delegated };
  }
}

function snapshotVersionIn(timestamp: Timestamp): number {
  return timestamp.meta['snapshot.json']!.version;
}

function verifyThreshold(
  label: string,
  role: RoleKeys,
  keys: Readonly<Record<string, MetadataKey>>,
  envelope: Envelope<unknown>,
): void {
  const count = countValidSignatures(role, keys, envelope.signedBytes, envelope.signatures);
  if (count < role.threshold)
    throw new TufError(
      'threshold',
      `${label} has ${count} valid signature${count === 1 ? '' : 's'} from distinct keys; ${role.threshold} required`,
    );
}

function checkNotExpired(label: string, signed: { version: number; expires: string }, now: Date): void {
  const expires = expiresAt(signed);
  if (!(expires.getTime() > now.getTime()))
    throw new TufError(
      'expired',
      `${label} metadata version ${signed.version} expired at ${expires.toISOString()}; the clock reads ${now.toISOString()}`,
    );
}
