import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPivFixture, type PivFixture, type PivVariant } from '../support/fixtures/piv';
import { acknowledgeConsent, handFile, startTestServices, type TestServices } from '../support/services';

// The model library through the real service worker and the real SQLCipher store, with SoftHSM2
// cards: Ann (valid-ecc) is an analyst, Bob (valid-rsa) the administrator; the recovery-secret
// session is a third administrator with no grant. A model not shared with the caller is refused as
// FORBIDDEN whether or not it exists (docs/models.md).

let fixture: PivFixture;
let t: TestServices;
let recoverySecret = '';
let annId = 0;
let bobId = 0;
let modelId = 0;
let bobModelId = 0;

const call = (channel: string, request: object = {}) => t.dispatch(`enclave:${channel}`, request);
const value = <T>(result: Awaited<ReturnType<typeof call>>): T => {
  if (!result.ok)
    throw new Error(
      `${result.error.code}: ${result.error.message} ${JSON.stringify(result.error.issues)} ${t.logs.slice(-2).join('\n')}`,
    );
  return result.value as T;
};
const signIn = async (variant: PivVariant) => {
  const user = fixture.users[variant];
  await call('identity.lock'); // a failed test before this one may have left a session open
  const outcome = value<{ outcome: string }>(
    await call('identity.login', { pin: user.pin, serialNumber: user.serialNumber }),
  );
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ outcome: 'unlocked' });
};
const lock = async () => value(await call('identity.lock'));

const v1 = {
  format: 'enclave-model/1',
  name: 'Project cost',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 } },
    { name: 'materials', dist: { type: 'triangular', min: 50, mode: 60, max: 90 } },
  ],
  correlations: [{ a: 'labour', b: 'materials', rank: 0.3 }],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
};
const v2 = {
  ...v1,
  marking: 'SECRET',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 15 } },
    v1.inputs[1],
    { name: 'risk', dist: { type: 'uniform', min: 0, max: 20 }, marking: 'UNCLASSIFIED' },
  ],
  correlations: [{ a: 'materials', b: 'labour', rank: 0.5 }],
  formulas: [{ name: 'total', expr: 'labour + materials + risk', marking: 'SECRET' }],
  outputs: ['total', 'labour'],
};

type Summary = { id: number; name: string; banner: string; versions: number; access: string; owner: { name: string } };
type Version = { version: number; author: string; comment: string; banner: string; sha256: string };

beforeAll(async () => {
  fixture = await provisionPivFixture();
  t = await startTestServices({ pkcs11Modules: [fixture.modulePath] });
  await acknowledgeConsent(t);
  recoverySecret = value<{ recoverySecret: string }>(
    await call('setup.begin', { siteName: 'Field Site 7', systemHigh: 'SECRET' }),
  ).recoverySecret;
  value(await call('setup.confirm', { recoverySecret }));
  const anchors = [await handFile(t, 'root.cer', fixture.rootCa), await handFile(t, 'int.cer', fixture.intermediateCa)];
  value(await call('trust.importAnchors', { files: anchors }));
  const crls = [await handFile(t, 'root.crl', fixture.rootCrl), await handFile(t, 'int.crl', fixture.crl)];
  value(await call('trust.importCrls', { files: crls }));
  bobId = value<{ userId: number }>(
    await call('identity.enroll', { serialNumber: fixture.users['valid-rsa'].serialNumber, role: 'admin' }),
  ).userId;
  annId = value<{ userId: number }>(
    await call('identity.enroll', { serialNumber: fixture.users['valid-ecc'].serialNumber, role: 'analyst' }),
  ).userId;
  value(await call('setup.finish'));
});
afterAll(async () => {
  await t?.close();
  fixture?.cleanup();
});

describe('an analyst keeps a model in versions', () => {
  it('creates, saves, lists the versions with author, comment and hash, and diffs them by path', async () => {
    await signIn('valid-ecc');
    const created = value<{ model: Summary }>(await call('models.create', { model: v1, comment: 'first cut' })).model;
    modelId = created.id;
    expect(created).toMatchObject({ name: 'Project cost', banner: 'UNCLASSIFIED', versions: 1, access: 'owner' });
    const saved = value<{ model: Summary; version: Version }>(
      await call('models.save', { id: modelId, model: v2, comment: 'risk added' }),
    );
    // A classified model with no release marking rolls up NOFORN.
    expect(saved.model).toMatchObject({ banner: 'SECRET//NOFORN', versions: 2 });
    const versions = value<{ versions: Version[] }>(await call('models.versions', { id: modelId })).versions;
    expect(versions.map((v) => [v.version, v.comment, v.banner])).toEqual([
      [2, 'risk added', 'SECRET//NOFORN'],
      [1, 'first cut', 'UNCLASSIFIED'],
    ]);
    expect(versions[0]!.author).toBe(versions[1]!.author);
    expect(versions[0]!.author).toMatch(/\S/);
    expect(versions[0]!.sha256).not.toBe(versions[1]!.sha256);
    const changes = value<{ changes: { path: string; kind: string; before?: string; after?: string }[] }>(
      await call('models.diff', { id: modelId, from: 1, to: 2 }),
    ).changes;
    expect(changes).toEqual([
      { path: 'marking', kind: 'changed', before: 'UNCLASSIFIED', after: 'SECRET' },
      { path: 'inputs.labour.dist.sd', kind: 'changed', before: '10', after: '15' },
      {
        path: 'inputs.risk',
        kind: 'added',
        after: '{"dist":{"type":"uniform","min":0,"max":20},"marking":"UNCLASSIFIED"}',
      },
      { path: 'correlations.labour~materials.rank', kind: 'changed', before: '0.3', after: '0.5' },
      {
        path: 'formulas.total.expr',
        kind: 'changed',
        before: 'labour + materials',
        after: 'labour + materials + risk',
      },
      { path: 'formulas.total.marking', kind: 'added', after: 'SECRET' },
      { path: 'outputs.labour', kind: 'added', after: '{}' },
    ]);
  });

  it('restores version 1 as version 3, with version 1’s content and hash', async () => {
    const restored = value<{ version: Version }>(await call('models.restoreVersion', { id: modelId, version: 1 }));
    expect(restored.version).toMatchObject({ version: 3, comment: 'Restored version 1', banner: 'UNCLASSIFIED' });
    const versions = value<{ versions: Version[] }>(await call('models.versions', { id: modelId })).versions;
    expect(restored.version.sha256).toBe(versions.find((v) => v.version === 1)!.sha256);
    const opened = value<{ model: unknown; version: Version }>(await call('models.open', { id: modelId }));
    expect(opened.version.version).toBe(3);
    expect(opened.model).toEqual(v1);
    expect(value<{ changes: unknown[] }>(await call('models.diff', { id: modelId, from: 1, to: 3 })).changes).toEqual(
      [],
    );
  });

  it('a version above a system high lowered since it was saved is neither shown, compared nor exported', async () => {
    const configPath = join(t.dataDir, 'site-config.json');
    const original = readFileSync(configPath, 'utf8');
    writeFileSync(configPath, JSON.stringify({ ...JSON.parse(original), systemHigh: 'CONFIDENTIAL' }));
    try {
      for (const [channel, request] of [
        ['models.open', { id: modelId, version: 2 }],
        ['models.diff', { id: modelId, from: 1, to: 2 }],
        ['models.exportFile', { id: modelId, version: 2 }],
      ] as const)
        expect(await call(channel, request), channel).toMatchObject({
          ok: false,
          error: { code: 'ABOVE_SYSTEM_HIGH' },
        });
      expect(value<{ version: Version }>(await call('models.open', { id: modelId, version: 1 })).version.version).toBe(
        1,
      );
    } finally {
      writeFileSync(configPath, original);
    }
  });

  it('refuses a model with a part above the system high, and a banner below its parts, keeping nothing', async () => {
    const above = { ...v1, inputs: [{ ...v1.inputs[0], marking: 'TOP SECRET' }, v1.inputs[1]] };
    expect(await call('models.save', { id: modelId, model: above })).toMatchObject({
      ok: false,
      error: { code: 'ABOVE_SYSTEM_HIGH', issues: [{ path: 'inputs.labour.marking' }] },
    });
    expect(await call('models.create', { model: { ...v1, marking: 'TOP SECRET' } })).toMatchObject({
      ok: false,
      error: { code: 'ABOVE_SYSTEM_HIGH' },
    });
    const lowered = { ...v1, formulas: [{ name: 'total', expr: 'labour + materials', marking: 'SECRET' }] };
    expect(await call('models.save', { id: modelId, model: lowered })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(
          /banner UNCLASSIFIED is below what the model's parts add up to \(SECRET\/\/NOFORN\)/,
        ),
      },
    });
    expect(value<{ versions: unknown[] }>(await call('models.versions', { id: modelId })).versions).toHaveLength(3);
    expect(value<{ models: unknown[] }>(await call('models.list')).models).toHaveLength(1);
  });

  it('import names every problem at once, with its path; a good file imports and exports again with its banner', async () => {
    const bad = {
      format: 'enclave-model/1',
      name: '',
      marking: 'UNCLASSIFIED',
      inputs: [
        { name: 'cost', dist: { type: 'normal', mean: 1, sd: -1 }, marking: 'SECRET//BOGUS' },
        { name: 'time', dist: { type: 'uniform', min: 5, max: 1 }, marking: 'TOP SECRET' },
      ],
      outputs: [],
    };
    const refused = await call('models.importFile', { file: await handFile(t, 'bad.json', JSON.stringify(bad)) });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^bad\.json is not a valid .*6 problems/) },
    });
    if (refused.ok) return;
    expect(refused.error.issues!.map((i) => i.path).sort()).toEqual(
      [
        'name',
        'inputs.cost.dist.sd',
        'inputs.time.dist',
        'outputs',
        'inputs.cost.marking',
        'inputs.time.marking',
      ].sort(),
    );
    expect(refused.error.issues!.find((i) => i.path === 'inputs.time.marking')!.message).toMatch(
      /TOP SECRET is above this system's high-water mark/,
    );
    expect(refused.error.issues!.find((i) => i.path === 'inputs.cost.dist.sd')!.message).toBe('must be greater than 0');
    const notJson = await call('models.importFile', { file: await handFile(t, 'notes.txt', 'hello') });
    expect(notJson).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^notes\.txt is not JSON/) },
    });
    expect(value<{ models: unknown[] }>(await call('models.list')).models).toHaveLength(1);

    const imported = value<{ model: Summary }>(
      await call('models.importFile', { file: await handFile(t, 'cost.json', JSON.stringify(v2)) }),
    ).model;
    expect(imported).toMatchObject({ name: 'Project cost', banner: 'SECRET//NOFORN', versions: 1 });
    const exported = value<{ fileName: string; banner: string; text: string }>(
      await call('models.exportFile', { id: imported.id }),
    );
    expect(exported).toMatchObject({ fileName: 'Project cost.enclave-model.json', banner: 'SECRET//NOFORN' });
    expect(JSON.parse(exported.text)).toEqual(v2);
  });

  it('renames, duplicates, trashes and restores; the search finds by name', async () => {
    value(await call('models.rename', { id: modelId, name: 'Bridge cost' }));
    const copy = value<{ model: Summary }>(await call('models.duplicate', { id: modelId })).model;
    expect(copy).toMatchObject({ name: 'Bridge cost (copy)', versions: 1, access: 'owner' });
    const names = async (request: object = {}) =>
      value<{ models: Summary[] }>(await call('models.list', request))
        .models.map((m) => m.name)
        .sort();
    expect(await names({ search: 'bridge' })).toEqual(['Bridge cost', 'Bridge cost (copy)']);
    value(await call('models.delete', { id: copy.id }));
    expect(await names({ search: 'bridge' })).toEqual(['Bridge cost']);
    expect(await names({ trash: true })).toEqual(['Bridge cost (copy)']);
    expect(await call('models.open', { id: copy.id })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/in the trash/) },
    });
    value(await call('models.restore', { id: copy.id }));
    expect(await names({ trash: true })).toEqual([]);
    await lock();
  });
});

describe('sharing and roles, checked by the service', () => {
  it('an administrator lists and manages a model not shared with them, but cannot read it', async () => {
    await signIn('valid-rsa');
    const listed = value<{ models: Summary[] }>(await call('models.list')).models.find((m) => m.id === modelId);
    expect(listed).toMatchObject({ name: 'Bridge cost', access: 'manage' });
    for (const [channel, request] of [
      ['models.open', { id: modelId }],
      ['models.versions', { id: modelId }],
      ['models.exportFile', { id: modelId }],
      ['models.save', { id: modelId, model: v1 }],
    ] as const)
      expect(await call(channel, request), channel).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringMatching(/not shared with you/) },
      });
    expect(
      await call('models.share', { id: modelId, grants: [{ grantee: { user: bobId }, access: 'edit' }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/Only the owner may share/) },
    });
    // A model that does not exist reads the same as one not shared.
    expect(await call('models.open', { id: 999_999 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await lock();
  });

  it('shared with one user to read: that user opens it and cannot change it; the third still cannot open it', async () => {
    await signIn('valid-ecc');
    expect(
      value(await call('models.share', { id: modelId, grants: [{ grantee: { user: bobId }, access: 'read' }] })),
    ).toEqual({ grants: [{ grantee: { user: bobId }, access: 'read' }] });
    expect(value<{ grants: unknown }>(await call('models.open', { id: modelId })).grants).toEqual([
      { grantee: { user: bobId }, access: 'read' },
    ]);
    await lock();

    await signIn('valid-rsa');
    expect(value<{ model: unknown; grants: unknown }>(await call('models.open', { id: modelId }))).toMatchObject({
      model: { name: 'Bridge cost' },
      grants: null, // only the owner sees whom it is shared with
    });
    expect(await call('models.save', { id: modelId, model: v1 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/shared with you to read, not to change/) },
    });
    bobModelId = value<{ model: Summary }>(await call('models.create', { model: { ...v1, name: 'Bob plan' } })).model
      .id;
    await lock();

    value(await call('identity.recover', { recoverySecret }));
    expect(await call('models.open', { id: modelId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('models.create', { model: v1 })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/Sign in with your card/) },
    });
    value(await call('identity.setRole', { userId: annId, role: 'viewer' }));
    await lock();
  });

  it('a viewer reads their own model and cannot save, import or delete', async () => {
    await signIn('valid-ecc');
    expect(value<{ version: Version }>(await call('models.open', { id: modelId })).version.version).toBe(3);
    for (const [channel, request] of [
      ['models.save', { id: modelId, model: v1 }],
      ['models.delete', { id: modelId }],
      ['models.create', { model: v1 }],
      ['models.exportFile', { id: modelId }],
    ] as const)
      expect(await call(channel, request), channel).toMatchObject({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `Only an analyst may do this (${channel}); you are signed in as a viewer.`,
        },
      });
    // Bob's model is not shared: not listed, and not opened.
    const names = async () =>
      value<{ models: Summary[] }>(await call('models.list')).models.map((m) => [m.name, m.access]);
    expect((await names()).map(([name]) => name)).not.toContain('Bob plan');
    expect(await call('models.open', { id: bobModelId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: `There is no model ${bobModelId} that you may see.` },
    });
    await lock();
  });

  it('shared with the viewer role, a viewer lists and reads it', async () => {
    await signIn('valid-rsa');
    value(await call('models.share', { id: bobModelId, grants: [{ grantee: { role: 'viewer' }, access: 'read' }] }));
    await lock();
    await signIn('valid-ecc');
    const listed = value<{ models: Summary[] }>(await call('models.list')).models.find((m) => m.id === bobModelId);
    expect(listed).toMatchObject({ name: 'Bob plan', access: 'read', owner: { name: expect.stringMatching(/\S/) } });
    expect(value<{ model: { name: string } }>(await call('models.open', { id: bobModelId })).model.name).toBe(
      'Bob plan',
    );
    await lock();
  });
});

describe('the audit log', () => {
  it('records each create, save, restore, share, import, export, delete and restore with the user’s name', async () => {
    await signIn('valid-rsa');
    type Entry = { event: string; object: string; actor: string; outcome: string; detail: string };
    const all = value<{ entries: Entry[] }>(await call('audit.list', { limit: 500 })).entries.reverse();
    const entries = all
      .filter((e) => e.event.startsWith('model.') && e.outcome === 'success' && e.actor === `user:${annId}`)
      .reverse();
    expect(entries.map((e) => e.event).reverse()).toEqual([
      'model.create',
      'model.save',
      'model.restore-version',
      'model.import',
      'model.export',
      'model.rename',
      'model.duplicate',
      'model.delete',
      'model.restore',
      'model.share',
    ]);
    const users = value<{ users: { id: number; displayName: string }[] }>(await call('identity.users')).users;
    const ann = users.find((u) => u.id === annId)!.displayName;
    for (const entry of entries) {
      expect(entry.actor).toBe(`user:${annId}`);
      expect(JSON.parse(entry.detail)).toMatchObject({ by: ann });
    }
    expect(JSON.parse(entries.find((e) => e.event === 'model.share')!.detail)).toMatchObject({
      grants: `user:${bobId}=read`,
    });
    const bobs = all.filter(
      (e) => e.actor === `user:${bobId}` && e.outcome === 'success' && e.event.startsWith('model.'),
    );
    expect(bobs.map((e) => [e.event, e.object])).toEqual([
      ['model.create', `model:${bobModelId}`],
      ['model.share', `model:${bobModelId}`],
    ]);
    expect(JSON.parse(bobs[1]!.detail)).toMatchObject({ grants: 'role:viewer=read' });
    await lock();
  });

  it('records the service’s refusals: a model not shared with the caller, and markings above the system high', async () => {
    await signIn('valid-rsa');
    type Entry = { event: string; object: string; actor: string; outcome: string; detail: string };
    const all = value<{ entries: Entry[] }>(await call('audit.list', { limit: 500 })).entries.reverse();
    const refused = all.filter((e) => e.object.startsWith('models.') && e.outcome === 'denied');
    const shown = refused.map((e) => [e.actor, e.event, e.object, (JSON.parse(e.detail) as { code?: string }).code]);
    // In order: Ann's reads of a version above a lowered system high, her above-system-high save and create, Bob's reads of a model not shared with him,
    // his share, an unknown model, his save of a read-only share, the recovery session's open, then
    // the viewer's refusals by role (the router's, with no code).
    expect(shown).toEqual([
      [`user:${annId}`, 'model.refused', 'models.open', 'ABOVE_SYSTEM_HIGH'],
      [`user:${annId}`, 'model.refused', 'models.diff', 'ABOVE_SYSTEM_HIGH'],
      [`user:${annId}`, 'model.refused', 'models.exportFile', 'ABOVE_SYSTEM_HIGH'],
      [`user:${annId}`, 'model.refused', 'models.save', 'ABOVE_SYSTEM_HIGH'],
      [`user:${annId}`, 'model.refused', 'models.create', 'ABOVE_SYSTEM_HIGH'],
      [`user:${bobId}`, 'access.denied', 'models.open', 'FORBIDDEN'],
      [`user:${bobId}`, 'access.denied', 'models.versions', 'FORBIDDEN'],
      [`user:${bobId}`, 'access.denied', 'models.exportFile', 'FORBIDDEN'],
      [`user:${bobId}`, 'access.denied', 'models.save', 'FORBIDDEN'],
      [`user:${bobId}`, 'access.denied', 'models.share', 'FORBIDDEN'],
      [`user:${bobId}`, 'access.denied', 'models.open', 'FORBIDDEN'],
      [`user:${bobId}`, 'access.denied', 'models.save', 'FORBIDDEN'],
      ['recovery', 'access.denied', 'models.open', 'FORBIDDEN'],
      [`user:${annId}`, 'access.denied', 'models.save', undefined],
      [`user:${annId}`, 'access.denied', 'models.delete', undefined],
      [`user:${annId}`, 'access.denied', 'models.create', undefined],
      [`user:${annId}`, 'access.denied', 'models.exportFile', undefined],
      [`user:${annId}`, 'access.denied', 'models.open', 'FORBIDDEN'],
    ]);
    expect(JSON.parse(refused[5]!.detail)).toMatchObject({ model: modelId, by: expect.stringMatching(/\S/) });
    await lock();
  });
});

describe('who a model may be shared with', () => {
  it('an owner is offered the enabled users (name, id, role; not themselves) and the roles; a viewer is refused', async () => {
    await signIn('valid-rsa');
    type Targets = { users: { id: number; name: string; role: string }[]; roles: string[] };
    const targets = value<Targets>(await call('models.shareTargets'));
    // Only what a share form needs: no card, certificate or identifier fields.
    expect(targets.users).toEqual([{ id: annId, name: expect.stringMatching(/ROE\.JANE/), role: 'viewer' }]);
    expect(targets.roles).toEqual(['viewer', 'analyst', 'admin']);

    // A disabled user is no longer offered.
    value(await call('identity.setDisabled', { userId: annId, disabled: true }));
    expect(value<Targets>(await call('models.shareTargets')).users).toEqual([]);
    value(await call('identity.setDisabled', { userId: annId, disabled: false }));
    await lock();

    // Ann is a viewer here: sharing is not hers, and neither is the list of users.
    await signIn('valid-ecc');
    expect(await call('models.shareTargets')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await lock();
  });
});
