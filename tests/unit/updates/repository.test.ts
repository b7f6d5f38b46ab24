import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { addTarget } from '../../../electron/services/updates/repository/add-target';
import { buildBundle } from '../../../electron/services/updates/repository/build-bundle';
import { RepositoryError } from '../../../electron/services/updates/repository/errors';
import { DEFAULT_EXPIRY_DAYS, initRepository } from '../../../electron/services/updates/repository/init-repository';
import { loadRepository, saveStaged } from '../../../electron/services/updates/repository/repository';
import { renewRoles } from '../../../electron/services/updates/repository/renew';
import { repositoryStatus, signRepository } from '../../../electron/services/updates/repository/sign-repository';
import { DirectorySource } from '../../../electron/services/updates/tuf/directory-source';
import type { TrustedMetadataStore } from '../../../electron/services/updates/tuf/metadata-store';
import { TufUpdater } from '../../../electron/services/updates/tuf/updater';
import { initTestRepository, officers, p384Signer, type Officers } from './repository-support';

const work = mkdtempSync(join(tmpdir(), 'enclave-update-repo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NOW = new Date('2026-12-04T01:00:00Z');
let dir: string;
let o: Officers;
let counter = 0;
const crl = join(work, 'site-ca.crl');
writeFileSync(crl, Buffer.from('a CRL stands in here: 3082 …'));

beforeEach(() => {
  counter += 1;
  dir = join(work, `repo-${counter}`);
  o = officers();
  initTestRepository(dir, o, NOW);
});

const refusal = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(RepositoryError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

const everyone = (officers: Officers) => Object.values(officers);
async function signAll(by = everyone(o)) {
  for (const signer of by) await signRepository(dir, signer);
}
const versions = () => Object.fromEntries(repositoryStatus(dir, NOW).map((r) => [r.role, r.version]));
const memoryStore = (root: Uint8Array): TrustedMetadataStore => {
  const records = new Map<string, Uint8Array>([['root', root]]);
  return { read: (role) => records.get(role) ?? null, write: (role, bytes) => void records.set(role, bytes) };
};

describe('init-repo', () => {
  it('stages version 1 of every role unsigned, consistent snapshots, five terminating delegations, owner-only files', () => {
    const repo = loadRepository(dir);
    expect(repo.root.signed).toMatchObject({ version: 1, consistent_snapshot: true });
    expect(repo.root.signed.roles.root).toMatchObject({ threshold: 2 });
    expect(repo.targets.signed.delegations?.roles.map((r) => [r.name, r.paths, r.terminating])).toEqual([
      ['releases', ['app/*'], true],
      ['trust', ['trust/*'], true],
      ['site', ['site/*'], true],
      ['users', ['users/*'], true],
      ['models', ['models/*'], true],
    ]);
    expect(repo.timestamp.signed['x-enclave-signed-at']).toBe('2026-12-04T01:00:00Z');
    expect(repo.timestamp.signed.expires).toBe('2026-12-18T01:00:00Z');
    for (const status of repositoryStatus(dir, NOW)) expect(status.signatures).toBe(0);
    for (const name of readdirSync(join(dir, 'metadata')))
      if (name.endsWith('.json')) expect(statSync(join(dir, 'metadata', name)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'metadata')).mode & 0o777).toBe(0o700);
  });

  it('refuses a non-empty directory, a threshold above the keys, a role without keys and a malformed key', async () => {
    expect(await refusal(() => initTestRepository(dir, o, NOW))).toMatch(/is not empty/);
    expect(await refusal(() => initTestRepository(crl, o, NOW))).toMatch(/exists and is not a directory/);
    const base = {
      root: { keys: [o.alice.key], threshold: 1 },
      targets: { keys: [o.targets.key], threshold: 1 },
      snapshot: { keys: [o.snapshot.key], threshold: 1 },
      timestamp: { keys: [o.timestamp.key], threshold: 1 },
      releases: { keys: [o.payloads.key], threshold: 1 },
      trust: { keys: [o.trust.key], threshold: 1 },
      site: { keys: [o.payloads.key], threshold: 1 },
      users: { keys: [o.payloads.key], threshold: 1 },
      models: { keys: [o.payloads.key], threshold: 1 },
    };
    const init = (roles: object) =>
      initRepository(join(work, `fresh-${++counter}`), {
        roles: { ...base, ...roles },
        expiryDays: DEFAULT_EXPIRY_DAYS,
        now: NOW,
      });
    expect(await refusal(() => init({ root: { keys: [o.alice.key], threshold: 2 } }))).toMatch(
      /root role's threshold must be between 1 and its 1 key; it is 2/,
    );
    expect(await refusal(() => init({ trust: { keys: [], threshold: 1 } }))).toMatch(
      /trust role needs at least one key/,
    );
    expect(await refusal(() => init({ root: { keys: [o.alice.key, o.alice.key], threshold: 1 } }))).toMatch(
      /lists the same key twice/,
    );
    const broken = { ...o.targets.key, keyval: { public: 'not a PEM' } };
    expect(await refusal(() => init({ targets: { keys: [broken], threshold: 1 } }))).toMatch(
      /A targets key is unusable/,
    );
    expect(existsSync(join(work, `fresh-${counter}`, 'repository.json'))).toBe(false);
  });
});

describe('add-target', () => {
  it('copies the file under its hash, records length, hashes and type, and restages role, snapshot and timestamp', async () => {
    await signAll();
    const later = new Date('2026-12-05T09:30:00Z');
    const added = await addTarget(dir, {
      role: 'trust',
      name: 'trust/site-ca.crl',
      file: crl,
      type: 'crl',
      version: '42',
      now: later,
    });
    const bytes = readFileSync(crl);
    const stored = join(dir, 'targets', 'trust', `${added.sha256}.site-ca.crl`);
    expect(readFileSync(stored)).toEqual(bytes);
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    const repo = loadRepository(dir);
    const entry = repo.delegated.get('trust')!.signed.targets['trust/site-ca.crl']!;
    expect(entry).toMatchObject({ length: bytes.length, custom: { enclave: { type: 'crl', version: '42' } } });
    expect(Object.keys(entry.hashes)).toEqual(['sha256', 'sha512']);
    expect(versions()).toMatchObject({ root: 1, targets: 1, trust: 2, snapshot: 2, timestamp: 2, releases: 1 });
    expect(repo.snapshot.signed.meta['trust.json']).toEqual({ version: 2 });
    expect(repo.timestamp.signed.meta['snapshot.json']).toEqual({ version: 2 });
    expect(repo.timestamp.signed['x-enclave-signed-at']).toBe('2026-12-05T09:30:00Z');
    expect(repo.snapshot.signed.expires).toBe('2027-01-04T09:30:00Z');
    // What changed lost its signatures; root and targets keep theirs.
    const signatures = Object.fromEntries(repositoryStatus(dir, later).map((r) => [r.role, r.signatures]));
    expect(signatures).toMatchObject({ root: 2, targets: 1, trust: 0, snapshot: 0, timestamp: 0, releases: 1 });
  });

  it('refuses an app release under trust (by path and by type), unsafe names and unknown roles, changing nothing', async () => {
    const before = versions();
    const add = (options: Partial<Parameters<typeof addTarget>[1]>) =>
      addTarget(dir, { role: 'trust', name: 'trust/x.crl', file: crl, type: 'crl', now: NOW, ...options });
    expect(await refusal(() => add({ name: 'app/enclave-0.2.0.tar', type: 'app-release' }))).toMatch(
      /The trust role signs only targets under trust\/; "app\/enclave-0.2.0.tar" is not one/,
    );
    expect(await refusal(() => add({ name: 'trust/enclave-0.2.0.tar', type: 'app-release' }))).toMatch(
      /The trust role does not sign app-release payloads \(it signs trust-anchor, crl\)/,
    );
    for (const name of [
      'trust/../app/x.tar',
      '/trust/x.crl',
      'trust/..crl',
      'trust/.hidden',
      'trust/a/b.crl',
      'trust/x y.crl',
    ])
      expect(await refusal(() => add({ name }))).toMatch(/must be <directory>\/<file>/);
    expect(await refusal(() => add({ role: 'root' }))).toMatch(/"root" is not a role that signs targets/);
    expect(await refusal(() => add({ type: 'virus' }))).toMatch(/"virus" is not a payload type/);
    expect(await refusal(() => add({ file: join(work, 'missing.crl') }))).toMatch(/cannot be read \(ENOENT\)/);
    expect(await refusal(() => add({ file: work }))).toMatch(/is not a regular file/);
    expect(await refusal(() => add({ version: 'a b' }))).toMatch(/A version is 1 to 64/);
    expect(versions()).toEqual(before);
    expect(readdirSync(join(dir, 'targets'))).toEqual([]);
  });
});

describe('sign', () => {
  it('adds a key to every role listing it, reports signatures of threshold, and refuses a key in no role', async () => {
    expect(await refusal(() => signRepository(dir, p384Signer()))).toMatch(
      /is in no role of this repository; nothing was signed/,
    );
    const alice = await signRepository(dir, o.alice);
    expect(alice).toEqual([{ role: 'root', version: 1, signatures: 1, threshold: 2, outcome: 'signed' }]);
    expect(await signRepository(dir, o.alice)).toMatchObject([{ role: 'root', signatures: 1, outcome: 'already' }]);
    expect(await signRepository(dir, o.bob)).toMatchObject([{ role: 'root', signatures: 2, threshold: 2 }]);
    const payloads = await signRepository(dir, o.payloads);
    expect(payloads.map((r) => r.role)).toEqual(['releases', 'site', 'users', 'models']);
  });

  it('refuses to sign what changed after another officer signed it (the repository travels on media)', async () => {
    await signRepository(dir, o.alice);
    const repo = loadRepository(dir);
    (repo.root.signed as { expires: string }).expires = '2099-01-01T00:00:00Z';
    saveStaged(repo, 'root');
    expect(await refusal(() => signRepository(dir, o.bob))).toMatch(
      /root v1 carries a signature by .* that no longer verifies: its content changed after that officer signed\. Nothing was signed/,
    );
    expect(loadRepository(dir).root.signatures.map((sig) => sig.keyid)).toHaveLength(1);
  });

  it('refuses a signer whose signatures do not match the key it shows, keeping nothing', async () => {
    const impostor = { key: o.alice.key, sign: (message: Uint8Array) => p384Signer().sign(message) };
    expect(await refusal(() => signRepository(dir, impostor))).toMatch(
      /does not verify with the key the metadata lists/,
    );
    expect(loadRepository(dir).root.signatures).toEqual([]);
  });
});

describe('build-bundle', () => {
  it('refuses one signature short of a threshold and writes nothing', async () => {
    await signAll(everyone(o).filter((signer) => signer !== o.bob));
    const media = join(work, `media-${counter}`);
    expect(await refusal(() => buildBundle(dir, media, { now: NOW }))).toMatch(/root v1 has 1 of 2 signatures/);
    expect(existsSync(media)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes(`media-${counter}`))).toEqual([]);
  });

  it('writes media the client verifies from the first root and downloads the target from', async () => {
    await addTarget(dir, { role: 'trust', name: 'trust/site-ca.crl', file: crl, type: 'crl', now: NOW });
    await signAll();
    const media = join(work, `media-${counter}`);
    const built = await buildBundle(dir, media, { now: NOW });
    expect([...built.metadataFiles].sort()).toEqual(
      [
        '1.root.json',
        '1.targets.json',
        '2.snapshot.json',
        '1.releases.json',
        '2.trust.json',
        '1.site.json',
        '1.users.json',
        '1.models.json',
        'timestamp.json',
      ].sort(),
    );
    const firstRoot = readFileSync(join(media, 'metadata', '1.root.json'));
    const updater = new TufUpdater({
      store: memoryStore(firstRoot),
      source: new DirectorySource(media),
      clock: { now: () => NOW },
    });
    const info = await updater.getTargetInfo('trust/site-ca.crl');
    expect(Buffer.from(await updater.downloadTarget(info))).toEqual(readFileSync(crl));
    expect(info.file.custom).toEqual({ enclave: { type: 'crl' } });
    expect(statSync(media).mode & 0o777).toBe(0o700);
    // An existing directory is refused unless --force, which replaces it whole.
    expect(await refusal(() => buildBundle(dir, media, { now: NOW }))).toMatch(/already exists; .* --force/);
    writeFileSync(join(media, 'stray.txt'), 'left over');
    await buildBundle(dir, media, { now: NOW, force: true });
    expect(existsSync(join(media, 'stray.txt'))).toBe(false);
  });

  it('an app release forced into the trust role by editing its metadata is refused by the client', async () => {
    const release = join(work, 'enclave-0.2.0.tar');
    writeFileSync(release, 'not really a release');
    // What add-target refuses, done by hand: the file copied in and listed in trust's metadata.
    const { sha256 } = await addTarget(dir, {
      role: 'trust',
      name: 'trust/enclave-0.2.0.tar',
      file: release,
      type: 'trust-anchor',
      now: NOW,
    });
    const repo = loadRepository(dir);
    const trust = repo.delegated.get('trust')!;
    trust.signed.targets['app/enclave-0.2.0.tar'] = trust.signed.targets['trust/enclave-0.2.0.tar']!;
    delete trust.signed.targets['trust/enclave-0.2.0.tar'];
    saveStaged(repo, 'trust');
    mkdirSync(join(dir, 'targets', 'app'));
    writeFileSync(join(dir, 'targets', 'app', `${sha256}.enclave-0.2.0.tar`), readFileSync(release), { flag: 'w' });
    await signAll();
    const media = join(work, `media-${counter}`);
    expect(await refusal(() => buildBundle(dir, media, { now: NOW }))).toMatch(
      /would not verify on a workstation: target 'app\/enclave-0.2.0.tar' is in no targets metadata trusted for that path/,
    );
    expect(existsSync(media)).toBe(false);
  });

  it('refuses expired metadata', async () => {
    await signAll();
    const late = new Date(NOW.getTime() + 15 * 86_400_000);
    expect(await refusal(() => buildBundle(dir, join(work, `media-${counter}`), { now: late }))).toMatch(
      /Expired metadata: timestamp/,
    );
  });

  it('a second release round: the client that verified the first media takes the second', async () => {
    await addTarget(dir, { role: 'trust', name: 'trust/site-ca.crl', file: crl, type: 'crl', now: NOW });
    await signAll();
    const first = join(work, `media-${counter}-a`);
    await buildBundle(dir, first, { now: NOW });
    const store = memoryStore(readFileSync(join(first, 'metadata', '1.root.json')));
    await new TufUpdater({ store, source: new DirectorySource(first), clock: { now: () => NOW } }).refresh();
    const later = new Date(NOW.getTime() + 86_400_000);
    const next = join(work, 'site-ca-2.crl');
    writeFileSync(next, 'the next CRL');
    await addTarget(dir, { role: 'trust', name: 'trust/site-ca.crl', file: next, type: 'crl', now: later });
    await signAll([o.trust, o.snapshot, o.timestamp]);
    const second = join(work, `media-${counter}-b`);
    await buildBundle(dir, second, { now: later });
    const updater = new TufUpdater({ store, source: new DirectorySource(second), clock: { now: () => later } });
    const info = await updater.getTargetInfo('trust/site-ca.crl');
    expect(Buffer.from(await updater.downloadTarget(info)).toString()).toBe('the next CRL');
  });
});

describe('renew', () => {
  it('restages snapshot and timestamp with fresh expiry, so media can be built again after the old ones expire', async () => {
    await signAll();
    const later = new Date(NOW.getTime() + 20 * 86_400_000);
    expect(await refusal(() => buildBundle(dir, join(work, `media-${counter}`), { now: later }))).toMatch(
      /Expired metadata/,
    );
    const renewed = await renewRoles(dir, [], later);
    expect(renewed).toEqual([
      { role: 'snapshot', version: 2, expires: '2027-01-23T01:00:00Z' },
      { role: 'timestamp', version: 2, expires: '2027-01-07T01:00:00Z' },
    ]);
    await signAll([o.snapshot, o.timestamp]);
    await buildBundle(dir, join(work, `media-${counter}`), { now: later });
    expect(await refusal(() => renewRoles(dir, ['nobody'], later))).toMatch(/There is no role "nobody"/);
  });

  it('a renewed root keeps its signed predecessor for the media; the client steps from version 1 to 2', async () => {
    expect(await refusal(() => renewRoles(dir, ['root'], NOW))).toMatch(
      /Root v1 has 0 of 2 signatures; sign it before renewing/,
    );
    await signAll();
    await renewRoles(dir, ['root', 'trust'], NOW);
    expect(versions()).toMatchObject({ root: 2, trust: 2, snapshot: 2, timestamp: 2 });
    await signAll();
    const media = join(work, `media-${counter}`);
    const built = await buildBundle(dir, media, { now: NOW });
    expect(built.metadataFiles).toEqual(expect.arrayContaining(['1.root.json', '2.root.json', '2.trust.json']));
    const store = memoryStore(readFileSync(join(media, 'metadata', '1.root.json')));
    await new TufUpdater({ store, source: new DirectorySource(media), clock: { now: () => NOW } }).refresh();
    expect(JSON.parse(Buffer.from(store.read('root')!).toString()).signed.version).toBe(2);
  });
});
