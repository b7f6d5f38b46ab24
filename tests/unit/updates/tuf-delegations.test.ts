import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pathMatches } from '../../../electron/services/updates/tuf/delegation-paths';
import { TufUpdater } from '../../../electron/services/updates/tuf/updater';
import { MemoryMetadataStore, TestRepository, refusal } from '../../support/tuf-repository';

/** The delegation search of §5.6.7: order, terminating roles, path patterns and hash prefixes. */
const NOW = new Date('2026-06-01T00:00:00Z');
const bytes = (text: string) => new TextEncoder().encode(text);

function client(repo: TestRepository, requests: string[] = [], maxDelegations?: number) {
  const store = new MemoryMetadataStore();
  store.write('root', repo.initialRoot);
  const updater = new TufUpdater({
    store,
    source: repo.source(requests),
    clock: { now: () => NOW },
    ...(maxDelegations !== undefined && { limits: { maxDelegations } }),
  });
  return { store, updater };
}

describe('TUF delegations', () => {
  it('path patterns match segment by segment: * does not cross a /', () => {
    expect(pathMatches('models/*', 'models/pump.json')).toBe(true);
    expect(pathMatches('models/*', 'models/sub/pump.json')).toBe(false);
    expect(pathMatches('*', 'a/b')).toBe(false);
    expect(pathMatches('*/*.json', 'a/b.json')).toBe(true);
    expect(pathMatches('file-?.[ab]in', 'file-1.bin')).toBe(true);
    expect(pathMatches('file-?.[!ab]in', 'file-1.bin')).toBe(false);
    expect(pathMatches('a.b', 'axb')).toBe(false);
  });

  it('finds a target in a delegated role and stores that role under its quoted name', async () => {
    const repo = await TestRepository.create();
    repo.delegate('targets', { name: 'site/models', paths: ['models/*'] });
    repo.addTarget('models/pump.json', bytes('{}'), 'site/models');
    await repo.publish();
    const requests: string[] = [];
    const { store, updater } = client(repo, requests);
    const info = await updater.getTargetInfo('models/pump.json');
    expect(new TextDecoder().decode(await updater.downloadTarget(info))).toBe('{}');
    expect(requests).toContain('site%2Fmodels.json');
    expect(store.read('site/models')).not.toBeNull();
  });

  it('a delegated role signing a target outside its paths is not trusted for it', async () => {
    const repo = await TestRepository.create();
    repo.delegate('targets', { name: 'models', paths: ['models/*'] });
    repo.addTarget('apps/enclave.tar', bytes('planted'), 'models');
    await repo.publish();
    const requests: string[] = [];
    const { updater } = client(repo, requests);
    expect(await refusal(updater.getTargetInfo('apps/enclave.tar'))).toMatchObject({ code: 'not-found' });
    // The role was never even consulted for a path it is not trusted for.
    expect(requests).not.toContain('models.json');
  });

  it('a terminating role ends the search; a non-terminating one lets it go on', async () => {
    for (const terminating of [true, false]) {
      const repo = await TestRepository.create();
      repo.delegate('targets', { name: 'first', paths: ['apps/*'], terminating });
      repo.delegate('targets', { name: 'second', paths: ['apps/*'] });
      repo.addTarget('apps/x.tar', bytes('from second'), 'second');
      await repo.publish();
      const { updater } = client(repo);
      if (terminating)
        expect(await refusal(updater.getTargetInfo('apps/x.tar'))).toEqual({
          code: 'not-found',
          message: "target 'apps/x.tar' is in no targets metadata trusted for that path",
        });
      else expect((await updater.getTargetInfo('apps/x.tar')).file.length).toBe(11);
    }
  });

  it('searches depth first in order: the first role that names the target wins', async () => {
    const repo = await TestRepository.create();
    repo.delegate('targets', { name: 'a', paths: ['*'] });
    repo.delegate('a', { name: 'a-child', paths: ['*'] });
    repo.delegate('targets', { name: 'b', paths: ['*'] });
    repo.addTarget('f', bytes('from a-child'), 'a-child');
    repo.addTarget('f', bytes('from b, later in order'), 'b');
    await repo.publish();
    const requests: string[] = [];
    const { updater } = client(repo, requests);
    expect((await updater.getTargetInfo('f')).file.length).toBe(12);
    expect(requests.slice(-3)).toEqual(['targets.json', 'a.json', 'a-child.json']);
  });

  it('path_hash_prefixes select the role by the SHA-256 of the target path', async () => {
    const repo = await TestRepository.create();
    const prefix = createHash('sha256').update('bins/x').digest('hex').slice(0, 2);
    const other = prefix === '00' ? '01' : '00';
    repo.delegate('targets', { name: 'wrong-bin', path_hash_prefixes: [other] });
    repo.delegate('targets', { name: 'right-bin', path_hash_prefixes: [prefix] });
    repo.addTarget('bins/x', bytes('x'), 'wrong-bin');
    repo.addTarget('bins/x', bytes('xx'), 'right-bin');
    await repo.publish();
    const { updater } = client(repo);
    expect((await updater.getTargetInfo('bins/x')).file.length).toBe(2);
  });

  it('refuses delegated metadata signed by a key its delegator did not give it', async () => {
    const repo = await TestRepository.create();
    repo.delegate('targets', { name: 'models', paths: ['models/*'] });
    repo.addTarget('models/m.json', bytes('m'), 'models');
    await repo.publish();
    repo.metadata.set(
      'models.json',
      await repo.sign('models', repo.targets.get('models')!, repo.signers.get('snapshot')),
    );
    const { store, updater } = client(repo);
    expect(await refusal(updater.getTargetInfo('models/m.json'))).toEqual({
      code: 'threshold',
      message: "delegated role 'models' version 1 has 0 valid signatures from distinct keys; 1 required",
    });
    expect(store.read('models')).toBeNull();
  });

  it('stops after the delegation limit instead of walking an endless graph', async () => {
    const repo = await TestRepository.create();
    let parent = 'targets';
    for (let i = 0; i < 5; i++) {
      repo.delegate(parent, { name: `level-${i}`, paths: ['*'] });
      parent = `level-${i}`;
    }
    await repo.publish();
    const { updater } = client(repo, [], 3);
    expect(await refusal(updater.getTargetInfo('deep'))).toEqual({
      code: 'delegation',
      message: "target 'deep': more than 3 roles would be searched",
    });
  });
});
