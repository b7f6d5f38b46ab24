import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TufError, TufNotFound } from '../../electron/services/updates/tuf/errors';
import { computeKeyId, memorySigner, signMetadata } from '../../electron/services/updates/tuf/keys';
import type { TrustedMetadataStore } from '../../electron/services/updates/tuf/metadata-store';
import { encodeRoleName } from '../../electron/services/updates/tuf/role-names';
import type { TufScheme, TufSigner } from '../../electron/services/updates/tuf/signer';
import type { TufSource } from '../../electron/services/updates/tuf/source';

/**
 * A TUF repository the tests build in memory with real keys and signatures (memorySigner), in the
 * spirit of python-tuf's RepositorySimulator: it keeps the `signed` objects of every role, publishes
 * them as signed files, and lets a test replace any published file to stage an attack.
 */

export const FAR_FUTURE = '2100-01-01T00:00:00Z';
type Json = Record<string, unknown>;

export function newSigner(scheme: TufScheme = 'ed25519'): TufSigner {
  if (scheme === 'ed25519') return memorySigner(generateKeyPairSync('ed25519').privateKey, scheme);
  if (scheme === 'rsassa-pss-sha256')
    return memorySigner(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, scheme);
  const namedCurve = scheme === 'ecdsa-sha2-nistp384' ? 'secp384r1' : 'prime256v1';
  return memorySigner(generateKeyPairSync('ec', { namedCurve }).privateKey, scheme);
}

const keyEntry = (signer: TufSigner) => ({ ...signer.key, keyval: { ...signer.key.keyval } });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

export interface DelegationSpec {
  name: string;
  terminating?: boolean;
  paths?: string[];
  path_hash_prefixes?: string[];
  signers?: TufSigner[];
}

export class TestRepository {
  /** The published files: metadata by file name, targets by (possibly hash-prefixed) path. */
  readonly metadata = new Map<string, Uint8Array>();
  readonly targetFiles = new Map<string, Uint8Array>();
  readonly signers = new Map<string, TufSigner[]>();
  root: Json;
  timestamp: Json;
  snapshot: Json;
  readonly targets = new Map<string, Json>();
  /** Whether timestamp and snapshot give lengths and hashes of the files they name. */
  metaHashes = false;

  private constructor(readonly consistentSnapshot: boolean) {
    for (const role of ['root', 'timestamp', 'snapshot', 'targets'])
      this.signers.set(role, [newSigner(role === 'root' ? 'ecdsa-sha2-nistp384' : 'ed25519')]);
    const keys: Json = {};
    const roles: Json = {};
    for (const [role, signers] of this.signers) {
      for (const signer of signers) keys[computeKeyId(signer.key)] = keyEntry(signer);
      roles[role] = { keyids: signers.map((s) => computeKeyId(s.key)), threshold: 1 };
    }
    this.root = {
      _type: 'root',
      spec_version: '1.0.31',
      version: 1,
      expires: FAR_FUTURE,
      consistent_snapshot: consistentSnapshot,
      keys,
      roles,
    };
    this.timestamp = { _type: 'timestamp', spec_version: '1.0.31', version: 0, expires: FAR_FUTURE, meta: {} };
    this.snapshot = { _type: 'snapshot', spec_version: '1.0.31', version: 0, expires: FAR_FUTURE, meta: {} };
    this.targets.set('targets', {
      _type: 'targets',
      spec_version: '1.0.31',
      version: 0,
      expires: FAR_FUTURE,
      targets: {},
    });
  }

  /** A repository with root version 1 published, and targets, snapshot and timestamp version 1. */
  static async create(options: { consistentSnapshot?: boolean } = {}): Promise<TestRepository> {
    const repo = new TestRepository(options.consistentSnapshot ?? false);
    repo.metadata.set('1.root.json', await repo.sign('root', repo.root));
    await repo.publish();
    return repo;
  }

  /** The bytes of root version 1, what a client is initialised with. */
  get initialRoot(): Uint8Array {
    return this.metadata.get('1.root.json')!;
  }

  async sign(role: string, signed: Json, signers = this.signers.get(role) ?? []): Promise<Uint8Array> {
    return encode(await signMetadata(signed, signers));
  }

  /**
   * Publishes root version N+1 after `change` (e.g. new keys), signed by the old root keys and the new
   * ones (`signWith` overrides that, to stage a badly signed root).
   */
  async rotateRoot(change: (root: Json) => void = () => {}, signWith?: TufSigner[]): Promise<Uint8Array> {
    const oldSigners = this.signers.get('root')!;
    change(this.root);
    this.root.version = (this.root.version as number) + 1;
    const newSigners = this.signers.get('root')!;
    const signers = signWith ?? [...new Set([...oldSigners, ...newSigners])];
    const bytes = await this.sign('root', this.root, signers);
    this.metadata.set(`${this.root.version as number}.root.json`, bytes);
    return bytes;
  }

  /** Replaces a role's keys (in memory and in root) with `signers`, threshold `threshold`. */
  setRoleKeys(role: string, signers: TufSigner[], threshold = 1, keyids = signers.map((s) => computeKeyId(s.key))) {
    this.signers.set(role, signers);
    const keys = this.root.keys as Json;
    signers.forEach((signer, i) => (keys[keyids[i]!] = keyEntry(signer)));
    (this.root.roles as Json)[role] = { keyids, threshold };
  }

  addTarget(path: string, content: Uint8Array, role = 'targets'): void {
    const targets = this.targets.get(role)!.targets as Json;
    targets[path] = { length: content.length, hashes: { sha256: sha256(content) } };
    const hashed = path.replace(/[^/]*$/, (base) => `${sha256(content)}.${base}`);
    this.targetFiles.set(this.consistentSnapshot ? hashed : path, content);
  }

  delegate(parent: string, spec: DelegationSpec): void {
    const signers = spec.signers ?? [newSigner()];
    this.signers.set(spec.name, signers);
    const parentTargets = this.targets.get(parent)!;
    const delegations = (parentTargets.delegations ??= { keys: {}, roles: [] }) as { keys: Json; roles: Json[] };
    for (const signer of signers) delegations.keys[computeKeyId(signer.key)] = keyEntry(signer);
    delegations.roles.push({
      name: spec.name,
      keyids: signers.map((s) => computeKeyId(s.key)),
      threshold: 1,
      terminating: spec.terminating ?? false,
      ...(spec.paths && { paths: spec.paths }),
      ...(spec.path_hash_prefixes && { path_hash_prefixes: spec.path_hash_prefixes }),
    });
    this.targets.set(spec.name, {
      _type: 'targets',
      spec_version: '1.0.31',
      version: 0,
      expires: FAR_FUTURE,
      targets: {},
    });
  }

  /**
   * Publishes every targets role, then snapshot, then timestamp, each one version up.
   * `timestampExtra` adds signed fields to the timestamp (Enclave's x-enclave-signed-at).
   */
  async publish(options: { expires?: string; timestampExtra?: Json } = {}): Promise<void> {
    const snapshotMeta: Json = {};
    for (const [role, signed] of this.targets) {
      signed.version = (signed.version as number) + 1;
      const bytes = await this.sign(role, signed);
      const name = encodeRoleName(role);
      this.metadata.set(this.consistentSnapshot ? `${signed.version as number}.${name}.json` : `${name}.json`, bytes);
      snapshotMeta[`${role}.json`] = this.metaEntry(signed.version as number, bytes);
    }
    this.snapshot.version = (this.snapshot.version as number) + 1;
    this.snapshot.meta = snapshotMeta;
    const snapshotBytes = await this.sign('snapshot', this.snapshot);
    this.metadata.set(
      this.consistentSnapshot ? `${this.snapshot.version as number}.snapshot.json` : 'snapshot.json',
      snapshotBytes,
    );
    await this.publishTimestamp({ ...options, snapshotBytes });
  }

  /** Publishes only a new timestamp (same snapshot), e.g. to renew its expiry. */
  async publishTimestamp(
    options: { expires?: string; timestampExtra?: Json; snapshotBytes?: Uint8Array } = {},
  ): Promise<void> {
    const snapshotBytes =
      options.snapshotBytes ??
      this.metadata.get(
        this.consistentSnapshot ? `${this.snapshot.version as number}.snapshot.json` : 'snapshot.json',
      )!;
    for (const key of Object.keys(this.timestamp)) if (key.startsWith('x-')) delete this.timestamp[key];
    Object.assign(this.timestamp, options.timestampExtra ?? {});
    this.timestamp.version = (this.timestamp.version as number) + 1;
    this.timestamp.expires = options.expires ?? FAR_FUTURE;
    this.timestamp.meta = { 'snapshot.json': this.metaEntry(this.snapshot.version as number, snapshotBytes) };
    this.metadata.set('timestamp.json', await this.sign('timestamp', this.timestamp));
  }

  private metaEntry(version: number, bytes: Uint8Array): Json {
    return this.metaHashes ? { version, length: bytes.length, hashes: { sha256: sha256(bytes) } } : { version };
  }

  /** The repository as a TufSource; `requests` records every file asked for. */
  source(requests: string[] = []): TufSource {
    const read = (files: Map<string, Uint8Array>, name: string) => {
      requests.push(name);
      const bytes = files.get(name);
      if (!bytes) throw new TufNotFound(name);
      return bytes;
    };
    return {
      fetchMetadata: async (fileName) => read(this.metadata, fileName),
      fetchTarget: async (path) => read(this.targetFiles, path),
    };
  }

  /** Writes the repository as `<dir>/metadata/…` and `<dir>/targets/…` (media layout, HTTP server root). */
  writeTo(dir: string): void {
    for (const [name, bytes] of this.metadata) write(join(dir, 'metadata', name), bytes);
    for (const [path, bytes] of this.targetFiles) write(join(dir, 'targets', ...path.split('/')), bytes);
  }
}

function write(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** A TrustedMetadataStore in memory, for tests that look at every record the client keeps. */
export class MemoryMetadataStore implements TrustedMetadataStore {
  readonly records = new Map<string, Uint8Array>();
  read(role: string): Uint8Array | null {
    return this.records.get(role) ?? null;
  }
  write(role: string, bytes: Uint8Array): void {
    this.records.set(role, new Uint8Array(bytes));
  }
  /** Every record as text, to compare before and after a refused update. */
  dump(): Record<string, string> {
    return Object.fromEntries([...this.records].map(([role, bytes]) => [role, new TextDecoder().decode(bytes)]));
  }
}

/** The code of the TufError `promise` rejects with, and its message. */
export async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TufError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a TufError, but it succeeded');
}
