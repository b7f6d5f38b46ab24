import { once } from 'node:events';
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryMetadataStore } from '../../../electron/services/updates/tuf/directory-store';
import { DirectorySource } from '../../../electron/services/updates/tuf/directory-source';
import { HttpSource } from '../../../electron/services/updates/tuf/http-source';
import { TufUpdater } from '../../../electron/services/updates/tuf/updater';
import { tempDir } from '../../support/bag-fixture';
import { TestRepository, refusal } from '../../support/tuf-repository';

/** Where trusted metadata is kept and where repositories are read from: files, media and loopback HTTP. */
const work = tempDir('tuf-storage');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bytes = (text: string) => new TextEncoder().encode(text);

describe('DirectoryMetadataStore', () => {
  it('writes each role as an owner-only file with a quoted name and leaves no temporary file', () => {
    const dir = join(work, 'store');
    const store = new DirectoryMetadataStore(dir);
    store.write('root', bytes('one'));
    store.write('root', bytes('two'));
    store.write('a/../b', bytes('delegated'));
    expect(readdirSync(dir).sort()).toEqual(['a%2F..%2Fb.json', 'root.json']);
    expect(statSync(join(dir, 'root.json')).mode & 0o777).toBe(0o600);
    expect(new TextDecoder().decode(store.read('root')!)).toBe('two');
    expect(store.read('a/../b')).not.toBeNull();
    expect(store.read('timestamp')).toBeNull();
  });

  it('refuses a stored record that is a symbolic link', () => {
    const dir = join(work, 'store-link');
    const store = new DirectoryMetadataStore(dir);
    writeFileSync(join(work, 'elsewhere.json'), 'x');
    symlinkSync(join(work, 'elsewhere.json'), join(dir, 'timestamp.json'));
    expect(() => store.read('timestamp')).toThrow(/stored timestamp metadata is a symbolic link/);
  });
});

describe('DirectorySource (media)', () => {
  const media = join(work, 'media');
  mkdirSync(join(media, 'metadata'), { recursive: true });
  mkdirSync(join(media, 'targets'), { recursive: true });

  it('refreshes and downloads from a repository written on media', async () => {
    const repo = await TestRepository.create();
    repo.addTarget('apps/a.tar', bytes('app'));
    await repo.publish();
    repo.writeTo(media);
    const store = new DirectoryMetadataStore(join(work, 'media-client'));
    store.write('root', repo.initialRoot);
    const updater = new TufUpdater({ store, source: new DirectorySource(media), clock: { now: () => new Date() } });
    const info = await updater.getTargetInfo('apps/a.tar');
    expect(new TextDecoder().decode(await updater.downloadTarget(info))).toBe('app');
  });

  it('refuses paths that climb out, symbolic links, and files over the cap', async () => {
    const source = new DirectorySource(media);
    await expect(source.fetchTarget('../metadata/root.json', 100)).rejects.toThrow(/not a safe relative path/);
    await expect(source.fetchMetadata('../x', 100)).rejects.toThrow(/has a '\/'/);
    symlinkSync(join(work, 'elsewhere.json'), join(media, 'targets', 'link.bin'));
    await expect(source.fetchTarget('link.bin', 100)).rejects.toThrow(/symbolic link, which is not followed/);
    writeFileSync(join(media, 'targets', 'big.bin'), new Uint8Array(101));
    expect(await refusal(source.fetchTarget('big.bin', 100))).toEqual({
      code: 'too-large',
      message: "target 'big.bin' is 101 bytes, over its 100-byte limit",
    });
    expect(await refusal(source.fetchMetadata('missing.json', 100))).toMatchObject({ code: 'not-found' });
  });
});

describe('HttpSource (conformance CLI only)', () => {
  it('refuses any host but this machine, other schemes and credentials', () => {
    expect(() => new HttpSource('http://example.org/metadata')).toThrow(/"example.org" is not this machine/);
    expect(() => new HttpSource('https://127.0.0.1/metadata')).toThrow(/https: URLs are not used/);
    expect(() => new HttpSource('http://u:p@127.0.0.1/')).toThrow(/credentials/);
    expect(() => new HttpSource('http://[::1]:8080/m')).not.toThrow();
  });

  it('cuts off an endless response at the cap, maps 404 to not-found, and times out a silent server', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/m/endless.json') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 32);
        const pump = () => {
          while (res.write(chunk));
          res.once('drain', pump);
        };
        pump();
        res.on('close', () => res.removeAllListeners('drain'));
      } else if (req.url === '/m/silent.json') {
        // never answers
      } else res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const source = new HttpSource(`http://127.0.0.1:${port}/m`, undefined, 500);
      expect(await refusal(source.fetchMetadata('endless.json', 16 * 1024))).toEqual({
        code: 'too-large',
        message: 'endless.json is over its 16384-byte limit',
      });
      expect(await refusal(source.fetchMetadata('missing.json', 100))).toMatchObject({ code: 'not-found' });
      expect(await refusal(source.fetchMetadata('silent.json', 100))).toMatchObject({
        code: 'source',
        message: expect.stringMatching(/no answer within 0.5 s/),
      });
      expect(await refusal(source.fetchTarget('x', 1))).toEqual({
        code: 'source',
        message: 'no target base URL was given',
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
