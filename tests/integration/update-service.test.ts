import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../common/ipc/result';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import { acknowledgeConsent, handFile, setUpStore, startTestServices, type TestServices } from '../support/services';
import { kitTar, sampleKit } from '../support/release-kit';
import { UpdateRepository } from '../support/update-repository';

// Update bundles through the real service worker (updates.*): the first root, inspect (changes
// nothing), apply (all of it, in one transaction), history, and refusals that change nothing.

const DAY = 86_400_000;
let fixture: PivFixture;
let t: TestServices;
let work: string;
let updates: UpdateRepository;
let installRoot: string;

async function call<T>(channel: string, request: object = {}): Promise<IpcResult<T>> {
  return (await t.dispatch(`enclave:${channel}`, request)) as IpcResult<T>;
}
async function value<T>(channel: string, request: object = {}): Promise<T> {
  const result = await call<T>(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}
const handTar = async (path: string) => handFile(t, 'enclave-update.tar', readFileSync(path));
const crlCount = async () => (await value<{ crls: { id: number }[] }>('trust.list')).crls.length;
const crlNumbers = async () =>
  (await value<{ crls: { thisUpdate: string }[] }>('trust.list')).crls.map((c) => c.thisUpdate);

beforeAll(async () => {
  fixture = await provisionPivFixture();
  work = mkdtempSync(join(tmpdir(), 'enclave-update-test-'));
  installRoot = join(work, 'install');
  mkdirSync(installRoot);
  t = await startTestServices(undefined, { installRoot });
  await acknowledgeConsent(t);
  await setUpStore(t);
  await value('trust.importAnchors', {
    files: [await handFile(t, 'root.cer', fixture.rootCa), await handFile(t, 'int.cer', fixture.intermediateCa)],
  });
  await value('trust.importCrls', { files: [await handFile(t, 'int.crl', fixture.crl)] });
  updates = await UpdateRepository.create();
}, 180_000);
afterAll(async () => {
  await t?.close();
  fixture?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('update bundles through the services', () => {
  it('refuses a bundle before an update root is trusted, then trusts the first root once', async () => {
    const tar = await updates.tar(work, 'empty.tar');
    expect(await call('updates.inspect', { file: await handTar(tar) })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('No update root is trusted yet') },
    });
    const rootFile = await handFile(t, 'root.json', updates.initialRoot);
    const { root } = await value<{ root: { version: number; sha256: string; roles: { role: string }[] } }>(
      'updates.trustRoot',
      { file: rootFile },
    );
    expect(root.version).toBe(1);
    expect(root.roles.map((r) => r.role).sort()).toEqual(['root', 'snapshot', 'targets', 'timestamp']);
    expect(
      await call('updates.trustRoot', { file: await handFile(t, 'root.json', updates.initialRoot) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('already trusts an update root') },
    });
  });

  it('inspects without changing anything, then applies a CRL and a site configuration in one go', async () => {
    const crl = await fixture.issueIntermediateCrl({
      revokedSerials: [],
      thisUpdate: new Date(Date.now() - 60_000),
      nextUpdate: new Date(Date.now() + 7 * DAY),
      number: 7,
    });
    updates.add('trust', 'trust/intermediate.crl', 'crl', crl);
    updates.add(
      'site',
      'site/site-config.json',
      'site-config',
      Buffer.from(JSON.stringify({ siteName: 'Field Site 9', systemHigh: 'SECRET' })),
      '2',
    );
    await updates.publish();
    const tar = await updates.tar(work, 'v2.tar');
    const before = await crlNumbers();

    const inspection = await value<{
      roles: { role: string; from: number | null; to: number; signedBy: string[]; threshold: number }[];
      targets: { name: string; result: string; detail: string; role: string }[];
      lockout: string | null;
      fileSha256: string;
    }>('updates.inspect', { file: await handTar(tar) });
    expect(inspection.fileSha256).toBe(createHash('sha256').update(readFileSync(tar)).digest('hex'));
    expect(inspection.roles.find((r) => r.role === 'timestamp')).toMatchObject({ from: null, to: 3, threshold: 1 });
    expect(inspection.roles.find((r) => r.role === 'trust')!.signedBy).toHaveLength(1);
    expect(inspection.targets).toMatchObject([
      {
        name: 'site/site-config.json',
        role: 'site',
        result: 'applied',
        detail: expect.stringContaining('site "Field Site 7" → "Field Site 9"'),
      },
      { name: 'trust/intermediate.crl', role: 'trust', result: 'applied' },
    ]);
    expect(inspection.lockout).toBeNull();
    expect(await crlNumbers()).toEqual(before);

    // Apply is held to the file reviewed: another file (here: the first, empty bundle) is refused unread.
    const other = await call('updates.apply', {
      file: await handTar(join(work, 'empty.tar')),
      confirmLockout: false,
      reviewedSha256: inspection.fileSha256,
    });
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('is not the file that was reviewed') },
    });
    const applied = await value<{ id: number }>('updates.apply', {
      file: await handTar(tar),
      confirmLockout: false,
      reviewedSha256: inspection.fileSha256,
    });
    expect(applied.id).toBeGreaterThan(0);
    expect(await crlNumbers()).not.toEqual(before);
    expect(JSON.parse(readFileSync(join(t.dataDir, 'site-config.json'), 'utf8'))).toMatchObject({
      siteName: 'Field Site 9',
    });
    const info = await value<{ site: { name: string } }>('system.info');
    expect(info.site.name).toBe('Field Site 9');

    const { updates: history } = await value<{
      updates: { id: number; state: string; targets: { name: string; sha256: string }[] }[];
    }>('updates.history');
    expect(history[0]).toMatchObject({ id: applied.id, state: 'applied' });
    expect(history[0]!.targets.map((x) => x.name)).toEqual(['site/site-config.json', 'trust/intermediate.crl']);
  });

  it('takes the same bundle again as a no-op, and refuses it with a byte changed, and a CRL replayed by a newer bundle', async () => {
    const old = join(work, 'v2.tar');
    const count = await crlCount();
    // The same bundle again: the same versions are not a rollback, and every payload is already there.
    const again = await value<{ inspection: { targets: { result: string }[] } }>('updates.apply', {
      file: await handTar(old),
      confirmLockout: false,
    });
    expect(again.inspection.targets.map((x) => x.result)).toEqual(['unchanged', 'unchanged']);

    const tampered = readFileSync(old);
    const at = tampered.indexOf(Buffer.from('Field Site 9'));
    tampered[at] = 'X'.charCodeAt(0);
    const file = join(work, 'tampered.tar');
    writeFileSync(file, tampered);
    const refused = await call('updates.apply', { file: await handTar(file), confirmLockout: false });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/refused: .*site\/site-config\.json/) },
    });

    // A newer bundle whose trust role carries the old CRL again: refused whole, nothing changes.
    updates.add('trust', 'trust/intermediate.crl', 'crl', fixture.crl);
    await updates.publish();
    const replay = await call('updates.apply', {
      file: await handTar(await updates.tar(work, 'v3.tar')),
      confirmLockout: false,
    });
    expect(replay).toMatchObject({ ok: false, error: { message: expect.stringContaining('older than the one held') } });
    expect(await crlCount()).toBe(count);
    const { updates: history } = await value<{ updates: { state: string }[] }>('updates.history');
    expect(history.map((h) => h.state)).toEqual(['applied', 'applied']);
  });

  it('applies a newer bundle, then refuses the older one (a rollback), and a target named outside its kind', async () => {
    updates.add(
      'trust',
      'trust/intermediate.crl',
      'crl',
      await fixture.issueIntermediateCrl({
        revokedSerials: [],
        thisUpdate: new Date(Date.now() - 30_000),
        nextUpdate: new Date(Date.now() + 7 * DAY),
        number: 8,
      }),
    );
    await updates.publish();
    await value('updates.apply', { file: await handTar(await updates.tar(work, 'v5.tar')), confirmLockout: false });
    const rollback = await call('updates.inspect', { file: await handTar(join(work, 'v2.tar')) });
    expect(rollback).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/refused: .*timestamp.*version 3.*5|refused: .*version.*3.*5/),
      },
    });

    updates.add('trust', 'trust/notes.json', 'model-template', Buffer.from('{}'));
    await updates.publish();
    const wrong = await call('updates.inspect', { file: await handTar(await updates.tar(work, 'v6.tar')) });
    expect(wrong).toMatchObject({ ok: false, error: { message: expect.stringContaining('trust/notes.json') } });
  });

  it('stages an app release into the install root and switches to it; the same bundle again leaves it; an older one is refused', async () => {
    updates.remove('trust', 'trust/notes.json');
    updates.add('releases', 'app/enclave-0.2.0.tar', 'app-release', kitTar(sampleKit('0.2.0')), '0.2.0');
    await updates.publish();
    const applied = await value<{ inspection: { targets: { name: string; result: string; detail: string }[] } }>(
      'updates.apply',
      { file: await handTar(await updates.tar(work, 'v7.tar')), confirmLockout: false },
    );
    expect(applied.inspection.targets.find((x) => x.name === 'app/enclave-0.2.0.tar')).toMatchObject({
      result: 'staged',
      detail: 'app (none) → 0.2.0, runs from the next start',
    });
    expect(readlinkSync(join(installRoot, 'current'))).toBe(join('versions', '0.2.0'));
    expect(readFileSync(join(installRoot, 'current', 'VERSION'), 'utf8')).toBe('0.2.0\n');

    const again = await value<{ inspection: { targets: { name: string; result: string }[] } }>('updates.apply', {
      file: await handTar(join(work, 'v7.tar')),
      confirmLockout: false,
    });
    expect(again.inspection.targets.find((x) => x.name === 'app/enclave-0.2.0.tar')!.result).toBe('unchanged');

    updates.remove('releases', 'app/enclave-0.2.0.tar');
    updates.add('releases', 'app/enclave-0.1.9.tar', 'app-release', kitTar(sampleKit('0.1.9')), '0.1.9');
    await updates.publish();
    const older = await call('updates.inspect', { file: await handTar(await updates.tar(work, 'v8.tar')) });
    expect(older).toMatchObject({
      ok: false,
      error: {
        message: expect.stringContaining('is older than the installed version 0.2.0; an update never goes back'),
      },
    });
    expect(readlinkSync(join(installRoot, 'current'))).toBe(join('versions', '0.2.0'));
  });

  it('checks one bundle at a time: a second call while one is in flight is refused, the first goes on', async () => {
    const tar = join(work, 'v7.tar');
    // A call refused before it starts (a handle that names no file) does not leave the service busy.
    expect(await call('updates.inspect', { file: `file-${'0'.repeat(32)}` })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    const handles = [await handTar(tar), await handTar(tar)];
    const [first, second] = await Promise.all(handles.map((file) => call('updates.inspect', { file })));
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'FAILED_PRECONDITION',
        message: expect.stringContaining('Another update bundle is being checked'),
      },
    });
  });
});
