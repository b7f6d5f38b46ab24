import { describe, expect, it } from 'vitest';
import { computeKeyId } from '../../../electron/services/updates/tuf/keys';
import { TufUpdater } from '../../../electron/services/updates/tuf/updater';
import { MemoryMetadataStore, TestRepository, newSigner, refusal } from '../../support/tuf-repository';

/** The client workflow over a repository built in memory: what a refresh trusts, fetches and stores. */
const NOW = new Date('2026-06-01T00:00:00Z');
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function client(repo: TestRepository, now = NOW, requests: string[] = []) {
  const store = new MemoryMetadataStore();
  store.write('root', repo.initialRoot);
  return { store, updater: new TufUpdater({ store, source: repo.source(requests), clock: { now: () => now } }) };
}

const versionOf = (store: MemoryMetadataStore, role: string) =>
  (JSON.parse(store.dump()[role]!) as { signed: { version: number } }).signed.version;

describe('TUF updater: the normal workflow', () => {
  it('refreshes the top-level roles, stores them, and downloads a verified target', async () => {
    const repo = await TestRepository.create();
    repo.addTarget('apps/enclave-0.2.0.tar', bytes('release'));
    await repo.publish();
    const requests: string[] = [];
    const { store, updater } = client(repo, NOW, requests);
    await updater.refresh();
    expect(requests).toEqual(['2.root.json', 'timestamp.json', 'snapshot.json', 'targets.json']);
    expect(Object.keys(store.dump()).sort()).toEqual(['root', 'snapshot', 'targets', 'time-floor', 'timestamp']);
    expect(versionOf(store, 'timestamp')).toBe(2);
    const info = await updater.getTargetInfo('apps/enclave-0.2.0.tar');
    expect(text(await updater.downloadTarget(info))).toBe('release');
  });

  it('consistent snapshots: versioned metadata names and a hash-prefixed target name', async () => {
    const repo = await TestRepository.create({ consistentSnapshot: true });
    repo.addTarget('a/b.txt', bytes('content'));
    await repo.publish();
    const requests: string[] = [];
    const { updater } = client(repo, NOW, requests);
    const info = await updater.getTargetInfo('a/b.txt');
    expect(text(await updater.downloadTarget(info))).toBe('content');
    expect(requests).toEqual([
      '2.root.json',
      'timestamp.json',
      '2.snapshot.json',
      '2.targets.json',
      `a/${info.file.hashes.sha256}.b.txt`,
    ]);
  });

  it('a second refresh loads nothing it already trusts again', async () => {
    const repo = await TestRepository.create();
    const requests: string[] = [];
    const { updater } = client(repo, NOW, requests);
    await updater.refresh();
    requests.length = 0;
    await updater.refresh();
    expect(requests).toEqual(['2.root.json', 'timestamp.json']);
  });
});

describe('TUF updater: root rotation', () => {
  it('follows 1→2→3→4, with new keys at 3 signed by the old and new thresholds, then threshold 2 at 4', async () => {
    const repo = await TestRepository.create();
    const { store, updater } = client(repo);
    await updater.refresh();
    await repo.rotateRoot();
    await repo.rotateRoot(() => repo.setRoleKeys('root', [newSigner('ecdsa-sha2-nistp384')]));
    await repo.rotateRoot(() => repo.setRoleKeys('root', [newSigner(), newSigner()], 2));
    await updater.refresh();
    expect(versionOf(store, 'root')).toBe(4);
  });

  it('stops after the configured number of root rotations in one refresh, and goes on at the next', async () => {
    const repo = await TestRepository.create();
    for (let i = 0; i < 4; i++) await repo.rotateRoot();
    const store = new MemoryMetadataStore();
    store.write('root', repo.initialRoot);
    const limited = new TufUpdater({
      store,
      source: repo.source(),
      clock: { now: () => NOW },
      limits: { maxRootRotations: 2 },
    });
    await limited.refresh();
    expect(versionOf(store, 'root')).toBe(3);
    await limited.refresh();
    expect(versionOf(store, 'root')).toBe(5);
  });

  it('refuses a new root signed only by its new keys, and keeps the trusted root', async () => {
    const repo = await TestRepository.create();
    const { store, updater } = client(repo);
    await updater.refresh();
    const fresh = newSigner('ecdsa-sha2-nistp384');
    await repo.rotateRoot(() => repo.setRoleKeys('root', [fresh]), [fresh]);
    const before = store.dump();
    const refused = await refusal(updater.refresh());
    expect(refused).toMatchObject({ code: 'threshold' });
    expect(refused.message).toMatch(/root version 2 \(by the keys of trusted root 1\) has 0 valid signatures/);
    expect(store.dump()).toEqual(before);
  });

  it('refuses a replayed root (version 1 offered as 2.root.json)', async () => {
    const repo = await TestRepository.create();
    const { store, updater } = client(repo);
    repo.metadata.set('2.root.json', repo.initialRoot);
    const before = store.dump();
    expect(await refusal(updater.refresh())).toEqual({
      code: 'rollback',
      message: 'root version 1 was offered where version 2 must come next',
    });
    expect(store.dump()).toEqual(before);
  });

  it('refuses a root that expired, after the rotations, naming the time', async () => {
    const repo = await TestRepository.create();
    await repo.rotateRoot((root) => (root.expires = '2026-01-01T00:00:00Z'));
    const { store, updater } = client(repo);
    const refused = await refusal(updater.refresh());
    expect(refused.code).toBe('expired');
    expect(refused.message).toBe(
      'root metadata version 2 expired at 2026-01-01T00:00:00.000Z; the clock reads 2026-06-01T00:00:00.000Z',
    );
    // The rotation itself was verified and kept (§5.3.8): only its use is refused.
    expect(versionOf(store, 'root')).toBe(2);
    expect(store.read('timestamp')).toBeNull();
  });

  it('fast-forward recovery: after the timestamp key rotates, a restarted timestamp version is accepted', async () => {
    const repo = await TestRepository.create();
    for (let i = 0; i < 4; i++) await repo.publishTimestamp();
    const { store, updater } = client(repo);
    await updater.refresh();
    expect(versionOf(store, 'timestamp')).toBe(5);
    await repo.rotateRoot(() => repo.setRoleKeys('timestamp', [newSigner()]));
    repo.timestamp.version = 0;
    await repo.publishTimestamp();
    await updater.refresh();
    expect(versionOf(store, 'timestamp')).toBe(1);
  });
});

describe('TUF updater: rollback, replay and mix-and-match', () => {
  it('refuses a replayed older timestamp', async () => {
    const repo = await TestRepository.create();
    const old = repo.metadata.get('timestamp.json')!;
    await repo.publishTimestamp();
    const { store, updater } = client(repo);
    await updater.refresh();
    repo.metadata.set('timestamp.json', old);
    const before = store.dump();
    expect(await refusal(updater.refresh())).toEqual({
      code: 'rollback',
      message: 'timestamp version 1 is older than the trusted version 2',
    });
    expect(store.dump()).toEqual(before);
  });

  it('keeps the trusted timestamp when the same version comes back with other content', async () => {
    const repo = await TestRepository.create();
    const { store, updater } = client(repo);
    await updater.refresh();
    const before = store.dump();
    repo.timestamp.version = 0; // published again as version 1
    repo.snapshot.version = 100;
    await repo.publishTimestamp();
    await updater.refresh();
    expect(store.dump()).toEqual(before);
  });

  it('refuses a timestamp naming an older snapshot than the trusted one', async () => {
    const repo = await TestRepository.create();
    await repo.publish();
    const { store, updater } = client(repo);
    await updater.refresh();
    repo.snapshot.version = 1;
    await repo.publishTimestamp();
    const before = store.dump();
    expect(await refusal(updater.refresh())).toMatchObject({
      code: 'rollback',
      message: 'timestamp version 3 names snapshot version 1, older than the trusted 2',
    });
    expect(store.dump()).toEqual(before);
  });

  it('refuses a replayed older snapshot the new timestamp does not name', async () => {
    const repo = await TestRepository.create();
    const { store, updater } = client(repo);
    await updater.refresh();
    const old = repo.metadata.get('snapshot.json')!;
    await repo.publish();
    repo.metadata.set('snapshot.json', old);
    const before = store.dump();
    const refused = await refusal(updater.refresh());
    expect(refused).toMatchObject({ code: 'rollback' });
    expect(refused.message).toMatch(/snapshot version 1 is not version 2, which timestamp version 2 names/);
    // The new timestamp verified and is kept; snapshot and targets are not touched.
    expect(store.dump().snapshot).toEqual(before.snapshot);
    expect(store.dump().targets).toEqual(before.targets);
  });

  it('refuses a snapshot in which a role goes back or disappears', async () => {
    const repo = await TestRepository.create();
    repo.delegate('targets', { name: 'models', paths: ['models/*'] });
    await repo.publish();
    const { store, updater } = client(repo);
    await updater.refresh();
    await repo.publish();
    const snapshot = repo.snapshot as { meta: Record<string, { version: number }> };
    snapshot.meta['targets.json'] = { version: 1 };
    repo.metadata.set('snapshot.json', await repo.sign('snapshot', repo.snapshot));
    await repo.publishTimestamp();
    const before = store.dump();
    expect(await refusal(updater.refresh())).toMatchObject({
      code: 'rollback',
      message: 'snapshot version 3 names targets.json version 1, older than the trusted 2',
    });
    expect(store.dump().snapshot).toEqual(before.snapshot);
    delete snapshot.meta['models.json'];
    snapshot.meta['targets.json'] = { version: 3 };
    repo.snapshot.version = 4;
    repo.metadata.set('snapshot.json', await repo.sign('snapshot', repo.snapshot));
    await repo.publishTimestamp();
    expect(await refusal(updater.refresh())).toMatchObject({
      code: 'rollback',
      message: 'snapshot version 4 no longer lists models.json, which trusted snapshot version 2 lists',
    });
    expect(store.dump().snapshot).toEqual(before.snapshot);
  });

  it('refuses replayed targets metadata of an older version than snapshot names', async () => {
    const repo = await TestRepository.create();
    const old = repo.metadata.get('targets.json')!;
    await repo.publish();
    repo.metadata.set('targets.json', old);
    const { store, updater } = client(repo);
    expect(await refusal(updater.refresh())).toMatchObject({
      code: 'rollback',
      message: 'targets version 1 is not version 2, which snapshot version 2 names',
    });
    expect(store.read('targets')).toBeNull();
  });

  it('mix-and-match: a snapshot of another repository state fails the timestamp hashes', async () => {
    const repo = await TestRepository.create();
    repo.metaHashes = true;
    repo.addTarget('a.txt', bytes('one'));
    await repo.publish();
    const other = repo.metadata.get('snapshot.json')!;
    repo.snapshot.version = 1;
    repo.addTarget('a.txt', bytes('two'));
    await repo.publish();
    // Same snapshot version 2, properly signed, but of another state than the timestamp names.
    repo.metadata.set('snapshot.json', other);
    const { store, updater } = client(repo);
    const refused = await refusal(updater.refresh());
    expect(refused.code).toBe('hash-mismatch');
    expect(refused.message).toMatch(/^snapshot version 2: its sha256 is [0-9a-f]{64}; the signed metadata says/);
    expect(store.read('snapshot')).toBeNull();
  });
});

describe('TUF updater: time', () => {
  it('refuses a timestamp that expired when the clock moves forward, naming the time', async () => {
    const repo = await TestRepository.create();
    await repo.publishTimestamp({ expires: '2026-06-02T00:00:00Z' });
    const { store, updater } = client(repo);
    await updater.refresh();
    const before = store.dump();
    const later = new TufUpdater({
      store,
      source: repo.source(),
      clock: { now: () => new Date('2026-06-03T00:00:00Z') },
    });
    expect(await refusal(later.refresh())).toEqual({
      code: 'expired',
      message:
        'timestamp metadata version 2 expired at 2026-06-02T00:00:00.000Z; the clock reads 2026-06-03T00:00:00.000Z',
    });
    expect(store.dump()).toEqual(before);
  });

  it('raises the time floor from x-enclave-signed-at and refuses a clock set back before it', async () => {
    const repo = await TestRepository.create();
    await repo.publishTimestamp({ timestampExtra: { 'x-enclave-signed-at': '2026-05-31T12:00:00Z' } });
    const { store, updater } = client(repo);
    await updater.refresh();
    expect(JSON.parse(store.dump()['time-floor']!)).toEqual({ timestampVersion: 2, signedAt: '2026-05-31T12:00:00Z' });
    const before = store.dump();
    const setBack = new TufUpdater({
      store,
      source: repo.source(),
      clock: { now: () => new Date('2026-05-01T00:00:00Z') },
    });
    expect(await refusal(setBack.refresh())).toEqual({
      code: 'clock-before-floor',
      message:
        'the clock reads 2026-05-01T00:00:00.000Z, before 2026-05-31T12:00:00Z, the latest time this workstation has verified; set the clock right',
    });
    expect(store.dump()).toEqual(before);
  });

  it('refuses to run on a damaged time floor rather than run without one', async () => {
    const repo = await TestRepository.create();
    const { store, updater } = client(repo);
    store.write('time-floor', bytes('{"timestampVersion":"x"}'));
    expect(await refusal(updater.refresh())).toEqual({
      code: 'bad-metadata',
      message: 'the stored time floor is damaged; re-initialise the trust',
    });
  });

  it('refuses a timestamp signed after the time the clock reads, and a malformed signing time', async () => {
    const repo = await TestRepository.create();
    await repo.publishTimestamp({ timestampExtra: { 'x-enclave-signed-at': '2026-07-01T00:00:00Z' } });
    const { store, updater } = client(repo);
    expect(await refusal(updater.refresh())).toMatchObject({
      code: 'clock-before-floor',
      message: expect.stringMatching(/was signed at 2026-07-01T00:00:00Z, after the clock's 2026-06-01/),
    });
    expect(store.read('timestamp')).toBeNull();
    expect(store.read('time-floor')).toBeNull();
    await repo.publishTimestamp({ timestampExtra: { 'x-enclave-signed-at': 'yesterday' } });
    expect(await refusal(updater.refresh())).toMatchObject({ code: 'bad-metadata' });
    expect(store.read('timestamp')).toBeNull();
  });
});

describe('TUF updater: signatures and thresholds', () => {
  it('a threshold of 2 is not met by one key listed under two keyids', async () => {
    const repo = await TestRepository.create();
    const { store, updater } = client(repo);
    await updater.refresh();
    const key = newSigner();
    await repo.rotateRoot(() =>
      repo.setRoleKeys('timestamp', [key, key], 2, [computeKeyId(key.key), 'alias-of-the-same-key']),
    );
    const envelope = JSON.parse(text(await repo.sign('timestamp', { ...repo.timestamp, version: 9 }))) as {
      signatures: { keyid: string; sig: string }[];
    };
    envelope.signatures = [
      envelope.signatures[0]!,
      { keyid: 'alias-of-the-same-key', sig: envelope.signatures[0]!.sig },
    ];
    repo.metadata.set('timestamp.json', bytes(JSON.stringify(envelope)));
    const before = store.dump();
    expect(await refusal(updater.refresh())).toEqual({
      code: 'threshold',
      message: 'timestamp version 9 has 1 valid signature from distinct keys; 2 required',
    });
    expect(store.dump().timestamp).toEqual(before.timestamp);
  });

  it('refuses metadata whose signed part was changed after signing', async () => {
    const repo = await TestRepository.create();
    const envelope = JSON.parse(text(repo.metadata.get('timestamp.json')!)) as { signed: { expires: string } };
    envelope.signed.expires = '2200-01-01T00:00:00Z';
    repo.metadata.set('timestamp.json', bytes(JSON.stringify(envelope)));
    const { store, updater } = client(repo);
    expect(await refusal(updater.refresh())).toMatchObject({ code: 'threshold' });
    expect(store.read('timestamp')).toBeNull();
  });

  it('keeps unknown signed fields in the stored timestamp (signatures cover them)', async () => {
    const repo = await TestRepository.create();
    await repo.publishTimestamp({ timestampExtra: { 'x-site-note': 'kept' } });
    const { store, updater } = client(repo);
    await updater.refresh();
    expect(store.dump().timestamp).toContain('"x-site-note":"kept"');
  });
});

describe('TUF updater: endless data and bad targets', () => {
  it('refuses an oversized timestamp (endless data) and stores nothing', async () => {
    const repo = await TestRepository.create();
    repo.metadata.set('timestamp.json', new Uint8Array(17 * 1024).fill(32));
    const { store, updater } = client(repo);
    expect(await refusal(updater.refresh())).toEqual({
      code: 'too-large',
      message: 'timestamp.json is over its 16384-byte limit',
    });
    expect(store.read('timestamp')).toBeNull();
  });

  it('refuses a snapshot longer than the timestamp says', async () => {
    const repo = await TestRepository.create();
    repo.metaHashes = true;
    await repo.publish();
    const snapshot = repo.metadata.get('snapshot.json')!;
    repo.metadata.set('snapshot.json', new Uint8Array([...snapshot, 32, 32]));
    const { store, updater } = client(repo);
    expect(await refusal(updater.refresh())).toMatchObject({ code: 'too-large' });
    expect(store.read('snapshot')).toBeNull();
  });

  it('refuses a target whose bytes do not match its hash, or its length', async () => {
    const repo = await TestRepository.create();
    repo.addTarget('t.bin', bytes('genuine'));
    await repo.publish();
    const { updater } = client(repo);
    const info = await updater.getTargetInfo('t.bin');
    repo.targetFiles.set('t.bin', bytes('forgery'));
    expect(await refusal(updater.downloadTarget(info))).toMatchObject({
      code: 'hash-mismatch',
      message: expect.stringMatching(/^target 't.bin': its sha256 is/),
    });
    repo.targetFiles.set('t.bin', bytes('short'));
    expect(await refusal(updater.downloadTarget(info))).toEqual({
      code: 'length',
      message: "target 't.bin' is 5 bytes; the signed metadata says 7",
    });
    repo.targetFiles.set('t.bin', bytes('genuine and then some'));
    expect(await refusal(updater.downloadTarget(info))).toMatchObject({ code: 'too-large' });
  });

  it('refuses a target no trusted metadata names', async () => {
    const repo = await TestRepository.create();
    const { updater } = client(repo);
    expect(await refusal(updater.getTargetInfo('nothing.txt'))).toEqual({
      code: 'not-found',
      message: "target 'nothing.txt' is in no targets metadata trusted for that path",
    });
  });
});
