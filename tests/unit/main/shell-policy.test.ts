import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  devtoolsAllowed,
  isAllowedRequestUrl,
  isTrustedSenderUrl,
  remoteDebuggingRefusal,
} from '../../../electron/main/shell-policy';
import {
  contentSecurityPolicy,
  ENGINE_WORKER_POLICY,
  readStaticFile,
  resolveStaticPath,
} from '../../../electron/main/web-content';
import { ENGINE_WORKER_POLICY as RENDERER_WORKER_POLICY } from '../../../renderer/engine/cpu/trusted-types';

describe('Electron request filter', () => {
  it.each(['app://enclave/index.html', 'app://enclave/assets/index-abc.js'])('lets the app load %s', (url) => {
    expect(isAllowedRequestUrl(url, { devtools: false })).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'ws://127.0.0.1/',
    'app://other-host/index.html',
    'data:text/html,<script>1</script>',
    'blob:app://enclave/1234',
    'chrome-extension://abc/x.js',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
  ])('cancels %s', (url) => {
    expect(isAllowedRequestUrl(url, { devtools: false })).toBe(false);
  });

  it('allows devtools:// only when the developer flag is on', () => {
    expect(isAllowedRequestUrl('devtools://devtools/bundled/inspector.html', { devtools: true })).toBe(true);
    expect(isAllowedRequestUrl('https://example.com/', { devtools: true })).toBe(false);
  });

  it('honours the devtools flag only in unpackaged builds', () => {
    expect(devtoolsAllowed(['electron', '.', '--enclave-devtools'], false)).toBe(true);
    expect(devtoolsAllowed(['enclave', '--enclave-devtools'], true)).toBe(false);
    expect(devtoolsAllowed(['electron', '.'], false)).toBe(false);
  });

  it('answers IPC only from the app origin', () => {
    expect(isTrustedSenderUrl('app://enclave/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://enclave.evil/index.html')).toBe(false);
    expect(isTrustedSenderUrl('http://127.0.0.1/')).toBe(false);
    expect(isTrustedSenderUrl('about:blank')).toBe(false);
    expect(isTrustedSenderUrl('')).toBe(false);
  });
});

describe('renderer content policy', () => {
  it('has no unsafe sources (WebAssembly compilation aside) and allows nothing by default', () => {
    const csp = contentSecurityPolicy({ allowConnectSelf: false });
    expect(csp).toMatch(/^default-src 'none'; script-src 'self' 'wasm-unsafe-eval';/);
    // 'wasm-unsafe-eval' is the one exception: it compiles WebAssembly and evaluates no JavaScript.
    expect(csp.replace("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe|\*|http|data:|blob:/);
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('requires Trusted Types and allows exactly one policy, the engine worker URL policy the renderer creates', () => {
    const csp = contentSecurityPolicy({ allowConnectSelf: true });
    expect(csp).toContain("require-trusted-types-for 'script'");
    const directive = csp.split('; ').find((d) => d.startsWith('trusted-types '));
    expect(directive).toBe('trusted-types enclave-engine-worker');
    expect(ENGINE_WORKER_POLICY).toBe(RENDERER_WORKER_POLICY);
    // No 'allow-duplicates' and no wildcard: a second policy of that name, or any other, is refused.
    expect(directive).not.toMatch(/allow-duplicates|\*/);
    expect(csp).toContain("worker-src 'self'");
  });

  it('serves a built engine worker script with a JavaScript content type', async () => {
    const root = mkdtempSync(join(tmpdir(), 'enclave-web-content-'));
    try {
      mkdirSync(join(root, 'assets'));
      writeFileSync(join(root, 'assets', 'worker-8_raaGhp.js'), 'self.onmessage = () => {};');
      const file = await readStaticFile(root, '/assets/worker-8_raaGhp.js');
      expect(file?.contentType).toBe('text/javascript; charset=utf-8');
      expect(file?.body.toString()).toContain('onmessage');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('maps URL paths into the renderer folder only', () => {
    const root = '/srv/renderer';
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/a.js')).toBe(join(root, 'assets/a.js'));
    for (const bad of [
      '/../secret.js',
      '/%2e%2e/secret.js',
      '/assets/..%2f..%2fsecret.js',
      '/.env.js',
      '/a%00.js',
      '/a\\..\\b.js',
      '/%E0%A4%A.js',
      '/script.sh',
    ]) {
      expect(resolveStaticPath(root, bad)).toBeNull();
    }
  });
});

describe('remote debugging in a packaged build', () => {
  const app = '/opt/Enclave/enclave';

  it.each([
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-port', '9222'],
    ['--remote-debugging-port=0'],
    ['-remote-debugging-port=9222'],
    ['--REMOTE-DEBUGGING-PORT=9222'],
    ['--remote-debugging-pipe'],
    ['-remote-debugging-pipe'],
    ['--remote-debugging-pipe=cbor'],
    ['--remote-debugging-address=0.0.0.0', '--remote-debugging-port=1'],
    ['--remote-debugging-io-pipes=3,4'],
    ['--remote-allow-origins=*'],
    ['some-file.enclave', '--remote-debugging-port=9222'],
    ['--', '--remote-debugging-port=9222'],
  ])('refuses to start with %s', (...args) => {
    const refusal = remoteDebuggingRefusal([app, ...args], true, 'linux');
    expect(refusal).toMatch(/^Enclave does not start with --remote-\S+: remote debugging would let another program /);
  });

  it('refuses the Windows spelling with a slash on Windows', () => {
    expect(remoteDebuggingRefusal([app, '/remote-debugging-port=9222'], true, 'win32')).not.toBeNull();
    // On Linux and macOS a leading slash is a path, not a switch.
    expect(remoteDebuggingRefusal([app, '/remote-debugging-port'], true, 'linux')).toBeNull();
  });

  it('starts without those switches, and allows them in an unpackaged developer build', () => {
    expect(remoteDebuggingRefusal([app], true, 'linux')).toBeNull();
    expect(remoteDebuggingRefusal([app, '--enclave-devtools', '--lang=en-US'], true, 'linux')).toBeNull();
    expect(remoteDebuggingRefusal([app, '--remote-debugging-port=9222'], false, 'linux')).toBeNull();
  });
});
