import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/bag-fixture';
import { repoRoot } from '../support/services';
import { TestRepository } from '../support/tuf-repository';

/**
 * `enclave tuf-client` end to end as the tuf-conformance suite drives it: the built CLI against a
 * repository on disk served by node:http on 127.0.0.1 (a random port).
 */
const work = tempDir('cli-tuf');
const served = join(work, 'repository');
const requests: string[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = normalize(join(served, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    requests.push(req.url ?? '');
    if (!path.startsWith(served) || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

// spawn, not spawnSync: the server answering the CLI runs in this process's event loop.
function enclave(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
      env: { ...process.env, ENCLAVE_DATA_DIR: join(work, 'no-data-dir') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('enclave tuf-client (built CLI, conformance protocol)', () => {
  it('init, refresh, download, download again (cached), then a refused forged target (exit 1)', async () => {
    const repo = await TestRepository.create({ consistentSnapshot: true });
    repo.addTarget('apps/enclave 0.2.0.tar', new TextEncoder().encode('release bytes'));
    await repo.publish();
    repo.writeTo(served);
    const rootFile = join(work, 'initial-root.json');
    writeFileSync(rootFile, repo.initialRoot);
    const metadataDir = join(work, 'metadata');
    const targetDir = join(work, 'targets');
    const common = ['tuf-client', '--metadata-dir', metadataDir];
    const urls = ['--metadata-url', `${base}/metadata`];

    expect(await enclave([...common, 'init', rootFile])).toMatchObject({ code: 0 });
    expect(readdirSync(metadataDir)).toEqual(['root.json']);
    expect(requests).toEqual([]);

    expect(await enclave([...common, ...urls, 'refresh'])).toMatchObject({ code: 0 });
    expect(readdirSync(metadataDir).sort()).toEqual([
      'root.json',
      'snapshot.json',
      'targets.json',
      'time-floor',
      'timestamp.json',
    ]);
    expect(statSync(join(metadataDir, 'timestamp.json')).mode & 0o777).toBe(0o600);
    expect(requests).toEqual([
      '/metadata/2.root.json',
      '/metadata/timestamp.json',
      '/metadata/2.snapshot.json',
      '/metadata/2.targets.json',
    ]);

    const download = [
      ...common,
      ...urls,
      '--target-name',
      'apps/enclave 0.2.0.tar',
      '--target-base-url',
      `${base}/targets`,
      '--target-dir',
      targetDir,
      'download',
    ];
    expect(await enclave(download)).toMatchObject({ code: 0 });
    expect(readFileSync(join(targetDir, 'apps%2Fenclave%200.2.0.tar'), 'utf8')).toBe('release bytes');
    requests.length = 0;
    expect(await enclave(download)).toMatchObject({ code: 0, stdout: expect.stringContaining('already downloaded') });
    expect(requests.some((url) => url.startsWith('/targets/'))).toBe(false);

    // A forged target on the server: refused, and the verified copy stays as it was.
    rmSync(join(targetDir, 'apps%2Fenclave%200.2.0.tar'));
    const hashed = [...repo.targetFiles.keys()][0]!;
    writeFileSync(join(served, 'targets', ...hashed.split('/')), 'forged bytes!');
    const refused = await enclave(download);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /target 'apps\/enclave 0.2.0.tar': its sha256 is [0-9a-f]+; the signed metadata says/,
    );
    expect(readdirSync(targetDir)).toEqual([]);
  });

  it('refuses a replayed timestamp with exit 1 and leaves the metadata directory as it was', async () => {
    const repo = await TestRepository.create();
    const old = repo.metadata.get('timestamp.json')!;
    await repo.publishTimestamp();
    rmSync(served, { recursive: true, force: true });
    repo.writeTo(served);
    const rootFile = join(work, 'root-2.json');
    writeFileSync(rootFile, repo.initialRoot);
    const metadataDir = join(work, 'metadata-2');
    const args = ['tuf-client', '--metadata-dir', metadataDir, '--metadata-url', `${base}/metadata`];
    expect((await enclave(['tuf-client', '--metadata-dir', metadataDir, 'init', rootFile])).code).toBe(0);
    expect((await enclave([...args, 'refresh'])).code).toBe(0);
    const before = readFileSync(join(metadataDir, 'timestamp.json'));
    writeFileSync(join(served, 'metadata', 'timestamp.json'), old);
    const refused = await enclave([...args, 'refresh']);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toContain('timestamp version 1 is older than the trusted version 2');
    expect(readFileSync(join(metadataDir, 'timestamp.json'))).toEqual(before);
  });

  it('refuses a repository that is not on this machine, and a root not signed by itself', async () => {
    const metadataDir = join(work, 'metadata-3');
    const remote = await enclave([
      'tuf-client',
      '--metadata-dir',
      metadataDir,
      '--metadata-url',
      'http://192.0.2.1/metadata',
      'refresh',
    ]);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(/"192.0.2.1" is not this machine/);
    const repo = await TestRepository.create();
    const forged = JSON.parse(new TextDecoder().decode(repo.initialRoot)) as { signed: { version: number } };
    forged.signed.version = 7;
    const rootFile = join(work, 'forged-root.json');
    writeFileSync(rootFile, JSON.stringify(forged));
    const init = await enclave(['tuf-client', '--metadata-dir', metadataDir, 'init', rootFile]);
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/root version 7 has 0 valid signatures/);
    expect(statSync(join(metadataDir, 'root.json'), { throwIfNoEntry: false })).toBeUndefined();
  });
});
