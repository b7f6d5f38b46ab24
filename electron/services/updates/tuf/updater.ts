import { TufError, TufNotFound } from './errors';
import { checkLengthAndHashes } from './hashes';
import { roleTrustedForPath } from './delegation-paths';
import { isoUtc, readTimeFloor, writeTimeFloor, type TimeFloor, type TrustedMetadataStore } from './metadata-store';
import type { Envelope, TargetFile, Targets } from './metadata';
import { encodeRoleName } from './role-names';
import type { TufClock, TufSource } from './source';
import { TrustedMetadata } from './trusted-metadata';

/**
 * Enclave's TUF 1.0 client: the refresh workflow of the specification (§5.2–5.7) and the verified
 * download of targets, over a TufSource (media or loopback HTTP) and a TrustedMetadataStore.
 *
 * Our own code rather than tuf-js, because tuf-js reads the clock itself (Enclave must check expiry
 * against a clock it controls and a persisted time floor), writes metadata non-atomically (a crash
 * could leave a half-written trusted root) and mishandles P-384 keys (Enclave's own repositories sign
 * with ecdsa-sha2-nistp384).
 *
 * Trusted metadata is loaded from the store at the start of each refresh (root is required) and is
 * never re-read from the source; only metadata that passed verification is written back. Fast-forward
 * recovery (§5.3.11) follows from that: stored timestamp or snapshot metadata is checked against the
 * newest root's keys, so after those keys rotate it no longer verifies and no longer blocks the
 * repository's restarted version numbers.
 */
export interface TufLimits {
  readonly rootMaxBytes: number;
  readonly timestampMaxBytes: number;
  readonly snapshotMaxBytes: number;
  readonly targetsMaxBytes: number;
  readonly maxRootRotations: number;
  readonly maxDelegations: number;
}

export const DEFAULT_TUF_LIMITS: TufLimits = {
  rootMaxBytes: 512 * 1024,
  timestampMaxBytes: 16 * 1024,
  snapshotMaxBytes: 2 * 1024 * 1024,
  targetsMaxBytes: 5 * 1024 * 1024,
  maxRootRotations: 256,
  maxDelegations: 32,
};

export interface TufUpdaterOptions {
  readonly store: TrustedMetadataStore;
  readonly source: TufSource;
  readonly clock: TufClock;
  readonly limits?: Partial<TufLimits>;
}

/** A target the signed metadata names: its path and the length and hashes it must have. */
export interface TargetInfo {
  readonly path: string;
  readonly file: TargetFile;
  /** The targets role whose metadata lists it (after delegation). */
  readonly role: string;
}

/** Enclave's timestamp metadata may carry the time it was signed, to raise the time floor. */
const SIGNED_AT_FIELD = 'x-enclave-signed-at';

export class TufUpdater {
  private readonly limits: TufLimits;
  private trusted: TrustedMetadata | undefined;

  constructor(private readonly options: TufUpdaterOptions) {
    this.limits = { ...DEFAULT_TUF_LIMITS, ...options.limits };
  }

  /** Brings root, timestamp, snapshot and top-level targets up to date, in the specification's order. */
  async refresh(): Promise<void> {
    this.trusted = undefined;
    const { store } = this.options;
    const now = this.options.clock.now();
    if (Number.isNaN(now.getTime())) throw new TufError('clock-before-floor', 'the clock gives no valid time');
    const floor = readTimeFloor(store);
    if (floor?.signedAt && now.getTime() < Date.parse(floor.signedAt))
      throw new TufError(
        'clock-before-floor',
        `the clock reads ${now.toISOString()}, before ${floor.signedAt}, the latest time this workstation has verified; set the clock right`,
      );
    const rootBytes = store.read('root');
    if (!rootBytes) throw new TufError('not-found', 'there is no trusted root: initialise the client with one first');
    const trusted = new TrustedMetadata(rootBytes, now);
    await this.loadRoot(trusted);
    await this.loadTimestamp(trusted, now, floor);
    await this.loadSnapshot(trusted);
    await this.loadTargets(trusted, 'targets', 'root');
    this.trusted = trusted;
  }

  /**
   * The signed length and hashes of `targetPath`, searching the delegation graph depth first in
   * order (§5.6.7), stopping at a terminating role, visiting at most `maxDelegations` roles.
   */
  async getTargetInfo(targetPath: string): Promise<TargetInfo> {
    if (!this.trusted) await this.refresh();
    const trusted = this.trusted!;
    const toVisit: { role: string; delegator: string }[] = [{ role: 'targets', delegator: 'root' }];
    const visited = new Set<string>();
    while (toVisit.length > 0) {
      if (visited.size >= this.limits.maxDelegations)
        throw new TufError(
          'delegation',
          `target '${targetPath}': more than ${this.limits.maxDelegations} roles would be searched`,
        );
      const { role, delegator } = toVisit.pop()!;
      if (visited.has(role)) continue;
      const targets = (await this.loadTargets(trusted, role, delegator)).signed;
      if (Object.hasOwn(targets.targets, targetPath))
        return { path: targetPath, file: targets.targets[targetPath]!, role };
      visited.add(role);
      const children: { role: string; delegator: string }[] = [];
      for (const child of targets.delegations?.roles ?? []) {
        if (!roleTrustedForPath(child, targetPath)) continue;
        children.push({ role: child.name, delegator: role });
        if (child.terminating) {
          toVisit.length = 0; // a terminating role ends the search of everything not yet visited
          break;
        }
      }
      toVisit.push(...children.reverse());
    }
    throw new TufError('not-found', `target '${targetPath}' is in no targets metadata trusted for that path`);
  }

  /** Downloads a target and checks its length and every hash against the signed metadata. */
  async downloadTarget(target: TargetInfo): Promise<Uint8Array> {
    if (!this.trusted) await this.refresh();
    let path = target.path;
    if (this.trusted!.root.signed.consistent_snapshot) {
      const slash = path.lastIndexOf('/');
      const hash = Object.values(target.file.hashes)[0]!;
      path = `${path.slice(0, slash + 1)}${hash}.${path.slice(slash + 1)}`;
    }
    const bytes = await this.fetch(`target '${target.path}'`, () =>
      this.options.source.fetchTarget(path, target.file.length),
    );
    if (bytes.length > target.file.length)
      throw new TufError('too-large', `target '${target.path}' is longer than its signed ${target.file.length} bytes`);
    checkLengthAndHashes(bytes, target.file, `target '${target.path}'`);
    return bytes;
  }

  private async loadRoot(trusted: TrustedMetadata): Promise<void> {
    for (let i = 0; i < this.limits.maxRootRotations; i++) {
      const fileName = `${trusted.root.signed.version + 1}.root.json`;
      let bytes: Uint8Array;
      try {
        bytes = await this.fetchMetadata(fileName, this.limits.rootMaxBytes);
      } catch (error) {
        if (error instanceof TufNotFound) break;
        throw error;
      }
      trusted.updateRoot(bytes);
      this.options.store.write('root', bytes);
    }
    trusted.checkFinalRoot();
  }

  private async loadTimestamp(trusted: TrustedMetadata, now: Date, floor: TimeFloor | null): Promise<void> {
    const stored = this.options.store.read('timestamp');
    if (stored) ignoreRefused(() => trusted.updateTimestamp(stored));
    const bytes = await this.fetchMetadata('timestamp.json', this.limits.timestampMaxBytes);
    const result = trusted.updateTimestamp(bytes);
    const timestamp = trusted.timestamp!.signed;
    const signedAt = signedAtOf(timestamp);
    if (signedAt && Date.parse(signedAt) > now.getTime())
      throw new TufError(
        'clock-before-floor',
        `timestamp version ${timestamp.version} was signed at ${signedAt}, after the clock's ${now.toISOString()}; set the clock right`,
      );
    if (result === 'updated') this.options.store.write('timestamp', bytes);
    const latest =
      floor?.signedAt && (!signedAt || Date.parse(floor.signedAt) >= Date.parse(signedAt)) ? floor.signedAt : signedAt;
    if (floor?.timestampVersion !== timestamp.version || floor.signedAt !== latest)
      writeTimeFloor(this.options.store, { timestampVersion: timestamp.version, signedAt: latest });
  }

  private async loadSnapshot(trusted: TrustedMetadata): Promise<void> {
    const stored = this.options.store.read('snapshot');
    if (stored && ignoreRefused(() => trusted.updateSnapshot(stored, true))) return;
    const meta = trusted.timestamp!.signed.meta['snapshot.json']!;
    const fileName = trusted.root.signed.consistent_snapshot ? `${meta.version}.snapshot.json` : 'snapshot.json';
    const bytes = await this.fetchMetadata(fileName, meta.length ?? this.limits.snapshotMaxBytes);
    trusted.updateSnapshot(bytes, false);
    this.options.store.write('snapshot', bytes);
  }

  /** A targets role's verified metadata (loaded as the search would: checked against its delegator and the snapshot). */
  async targetsOf(role: string, delegator: string): Promise<Envelope<Targets>> {
    if (!this.trusted) await this.refresh();
    return this.loadTargets(this.trusted!, role, delegator);
  }

  private async loadTargets(trusted: TrustedMetadata, role: string, delegator: string): Promise<Envelope<Targets>> {
    const loaded = trusted.targets(role);
    if (loaded) return loaded;
    const stored = this.options.store.read(role);
    if (stored) {
      let fromStore: Envelope<Targets> | undefined;
      ignoreRefused(() => (fromStore = trusted.updateTargets(stored, role, delegator, true)));
      if (fromStore) return fromStore;
    }
    const snapshot = trusted.snapshot!.signed;
    const meta = Object.hasOwn(snapshot.meta, `${role}.json`) ? snapshot.meta[`${role}.json`] : undefined;
    if (!meta) throw new TufError('not-found', `snapshot version ${snapshot.version} does not list ${role}.json`);
    const name = encodeRoleName(role);
    const fileName = trusted.root.signed.consistent_snapshot ? `${meta.version}.${name}.json` : `${name}.json`;
    const bytes = await this.fetchMetadata(fileName, meta.length ?? this.limits.targetsMaxBytes);
    const targets = trusted.updateTargets(bytes, role, delegator, false);
    this.options.store.write(role, bytes);
    return targets;
  }

  private fetchMetadata(fileName: string, maxBytes: number): Promise<Uint8Array> {
    return this.fetch(fileName, async () => {
      const bytes = await this.options.source.fetchMetadata(fileName, maxBytes);
      if (bytes.length > maxBytes) throw new TufError('too-large', `${fileName} is over its ${maxBytes}-byte limit`);
      return bytes;
    });
  }

  /** Source failures other than the client's own refusals become 'source' errors naming the file. */
  private async fetch(label: string, read: () => Promise<Uint8Array>): Promise<Uint8Array> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof TufError) throw error;
      throw new TufError('source', `${label} could not be read: ${(error as Error).message}`);
    }
  }
}

/** Stored metadata that no longer verifies (expired, keys rotated) is simply not used; true if it was. */
function ignoreRefused(load: () => unknown): boolean {
  try {
    load();
    return true;
  } catch (error) {
    if (error instanceof TufError) return false;
    throw error;
  }
}

function signedAtOf(timestamp: Record<string, unknown>): string | undefined {
  const value = timestamp[SIGNED_AT_FIELD];
  if (value === undefined) return undefined;
  if (!isoUtc.safeParse(value).success)
    throw new TufError('bad-metadata', `timestamp metadata's ${SIGNED_AT_FIELD} is not an ISO 8601 UTC time`);
  return value as string;
}
