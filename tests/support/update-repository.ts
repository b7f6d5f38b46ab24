import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UPDATE_ROLES, type UpdatePayloadKind, type UpdateRole } from '../../common/update/update-payload';
import { writeBundleTar } from '../../electron/services/bundles/tar';
import { TestRepository } from './tuf-repository';

/**
 * An Enclave update repository for tests: consistent snapshots, one terminating delegated role per
 * payload kind with its path pattern (common/update/update-payload.ts), targets carrying their kind,
 * and the carried form, one tar of `metadata/` and `targets/`.
 */
export class UpdateRepository {
  private constructor(readonly repo: TestRepository) {}

  static async create(): Promise<UpdateRepository> {
    const repo = await TestRepository.create({ consistentSnapshot: true });
    for (const [name, path] of Object.entries(UPDATE_ROLES))
      repo.delegate('targets', { name, paths: [path], terminating: true });
    await repo.publish({ timestampExtra: { 'x-enclave-signed-at': new Date().toISOString().replace(/\.\d+Z$/, 'Z') } });
    return new UpdateRepository(repo);
  }

  get initialRoot(): Buffer {
    return Buffer.from(this.repo.initialRoot);
  }

  /** Adds (or replaces) a target under `role`, its kind in the custom field. */
  add(role: UpdateRole | 'targets', name: string, kind: UpdatePayloadKind, bytes: Buffer, version?: string): void {
    this.repo.addTarget(name, bytes, role);
    const entry = (this.repo.targets.get(role)!.targets as Record<string, Record<string, unknown>>)[name]!;
    entry.custom = { enclave: { type: kind, ...(version ? { version } : {}) } };
  }

  /** Takes a target out of a role's metadata (its file stays on the media, listed by nothing). */
  remove(role: UpdateRole | 'targets', name: string): void {
    delete (this.repo.targets.get(role)!.targets as Record<string, unknown>)[name];
  }

  /** Signs and publishes every role one version up, with the signing time Enclave's timestamp carries. */
  async publish(options: { expires?: string; signedAt?: Date } = {}): Promise<void> {
    const signedAt = (options.signedAt ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
    await this.repo.publish({
      ...(options.expires ? { expires: options.expires } : {}),
      timestampExtra: { 'x-enclave-signed-at': signedAt },
    });
  }

  /** The carried form of the repository as it stands now: one tar in `dir`. */
  async tar(dir: string, name = 'enclave-update.tar'): Promise<string> {
    const media = mkdtempSync(join(tmpdir(), 'enclave-update-media-'));
    try {
      this.repo.writeTo(media);
      const out = join(dir, name);
      await writeBundleTar(media, out);
      return out;
    } finally {
      rmSync(media, { recursive: true, force: true });
    }
  }
}
