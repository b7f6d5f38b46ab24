import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '../../../electron/db/queries/users';
import type { ServiceContext } from '../../../electron/services/context';
import { createModelService } from '../../../electron/services/models/model-service';
import { workspaceOf } from '../../../electron/services/vault/vault-service';
import { repoRoot } from '../../support/services';
import { createTempStore, type TempStore } from '../../support/store';

// The trash over a real SQLCipher store (secure_delete ON): 30 days to restore, then the model, its
// versions and its grants are deleted, on record. The service's clock is injected to move the days.

const DAY = 86_400_000;
let t: TempStore;
let now: Date;
let models: ReturnType<typeof createModelService>;

const model = {
  format: 'enclave-model/1' as const,
  name: 'Trash me',
  marking: 'UNCLASSIFIED',
  description: 'kept until purged',
  inputs: [{ name: 'x', dist: { type: 'normal' as const, mean: 0, sd: 1 } }],
  correlations: [],
  formulas: [],
  outputs: ['x'],
};

beforeEach(() => {
  t = createTempStore();
  const id = insertUser(
    t.store.db,
    { edipi: '1234567890', upn: null, uuid: null, displayName: 'Ann Analyst' },
    'analyst',
    new Date().toISOString(),
  );
  const user = { id, displayName: 'Ann Analyst', role: 'analyst' as const, actor: `user:${id}` };
  // The store and its workspace are real; the context holds only what this service reads from it.
  const ctx = {
    paths: {
      dataDir: t.dir,
      resourcesDir: join(repoRoot, 'resources'),
      siteConfigPath: join(t.dir, 'site-config.json'),
    },
    vault: { workspace: () => workspaceOf(t.store, user), current: () => workspaceOf(t.store, user) },
  } as unknown as ServiceContext;
  now = new Date('2026-03-01T12:00:00.000Z');
  models = createModelService(ctx, () => now);
});
afterEach(() => {
  t.store.close();
  t.cleanup();
});

const rows = (table: string) => (t.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('the model trash', () => {
  it('keeps a deleted model restorable for 30 days', () => {
    const { id } = models.create({ model }).model;
    models.delete({ id });
    now = new Date(now.getTime() + 29 * DAY);
    expect(models.list({ trash: true }).models.map((m) => m.name)).toEqual(['Trash me']);
    expect(models.list({}).models).toEqual([]);
    models.restore({ id });
    expect(models.list({}).models.map((m) => [m.name, m.deletedAt])).toEqual([['Trash me', null]]);
  });

  it('after 30 days deletes the model with its versions and grants, and records it', () => {
    const { id } = models.create({ model }).model;
    models.save({ id, model: { ...model, description: 'second' } });
    models.share({ id, grants: [{ grantee: { role: 'viewer' }, access: 'read' }] });
    models.delete({ id });
    now = new Date(now.getTime() + 30 * DAY + 1000);
    expect(models.list({ trash: true }).models).toEqual([]);
    expect([rows('models'), rows('model_versions'), rows('model_shares')]).toEqual([0, 0, 0]);
    expect(() => models.restore({ id })).toThrow(/no model .* that you may see/);
    const purged = [...t.store.audit.entries()].filter((e) => e.event === 'model.purge');
    expect(purged).toHaveLength(1);
    expect(purged[0]).toMatchObject({ actor: 'system', object: `model:${id}` });
    expect(JSON.parse(purged[0]!.detail)).toEqual({ name: 'Trash me', days: 30 });
    expect(t.store.db.pragma('secure_delete', { simple: true })).toBe(1);
  });
});
