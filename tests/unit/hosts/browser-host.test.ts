import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../../hosts/browser/browser-host';
import { join } from 'node:path';
import { repoRoot, startTestServices, type TestServices } from '../../support/services';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  host: BrowserHost,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        setHost: options.headers?.host === undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let t: TestServices;
let host: BrowserHost;
let good: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'renderer', 'index.html')))
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot });
  t = await startTestServices();
  host = await startBrowserHost({
    rendererDir: join(repoRoot, 'dist', 'renderer'),
    dispatch: t.dispatch,
    services: t.services,
  });
  good = {
    host: new URL(host.origin).host,
    origin: host.origin,
    'content-type': 'application/json',
    'x-enclave-token': host.token,
  };
});
afterAll(async () => {
  await host.close();
  await t.close();
});

const rpc = (headers: Record<string, string>, body = '{}', path = '/rpc/enclave:system.info') =>
  send(host, { method: 'POST', path, headers, body });

describe('browser host', () => {
  it('listens on 127.0.0.1 only and hands the token in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.appUrl).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(43);
  });

  it('serves the app with the strict CSP, and never the token', async () => {
    const reply = await send(host, { path: '/', headers: { host: good.host! } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toMatch(
      /^default-src 'none'; script-src 'self' 'wasm-unsafe-eval';/,
    );
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.body).toContain('<div id="root">');
    expect(reply.body).not.toContain(host.token);
  });

  it('answers a call with the right token, Host and Origin', async () => {
    const reply = await rpc(good);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { app: { name: 'Enclave' } } });
  });

  it.each([
    ['no token', { 'x-enclave-token': '' }, 401],
    ['a wrong token', { 'x-enclave-token': 'A'.repeat(43) }, 401],
    ['a foreign Origin', { origin: 'http://evil.example' }, 403],
    ['a rebinding Host', { host: 'evil.example:80' }, 403],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 403],
    ['a form post', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
  ] as [string, Record<string, string>, number][])('refuses %s', async (_what, change, status) => {
    const headers: Record<string, string> = { ...good, ...change };
    if (change['x-enclave-token'] === '') delete headers['x-enclave-token'];
    const reply = await rpc(headers);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: false,
      error: { code: expect.stringMatching(/FORBIDDEN|INVALID_ARGUMENT/) },
    });
  });

  it('refuses a call without an Origin header', async () => {
    const headers: Record<string, string> = { ...good };
    delete headers.origin;
    expect((await rpc(headers)).status).toBe(403);
  });

  it('refuses bodies over the limit and bodies that are not JSON', async () => {
    expect((await rpc(good, JSON.stringify({ pad: 'x'.repeat(70_000) }))).status).toBe(413);
    const notJson = await rpc(good, '{"consentId":');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('validates arguments the same way as Electron IPC', async () => {
    const reply = await rpc(good, JSON.stringify({ consentId: 42 }), '/rpc/enclave:system.acknowledgeConsent');
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'consentId' }] },
    });
    const unknown = await rpc(good, '{}', '/rpc/enclave:system.exec');
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/assets/../../resources/site-config.default.json',
    '/.vite/manifest.json',
    '/nothing.html',
  ])('serves nothing outside the built renderer: %s', async (path) => {
    expect((await send(host, { path, headers: { host: good.host! } })).status).toBe(404);
  });

  it('only allows GET and HEAD for files', async () => {
    expect(
      (await send(host, { method: 'PUT', path: '/index.html', headers: { host: good.host! }, body: 'x' })).status,
    ).toBe(405);
  });
});

describe('browser host uploads and events', () => {
  const upload = (name: string, body: string, headers: Record<string, string> = {}) =>
    send(host, {
      method: 'POST',
      path: `/upload?name=${encodeURIComponent(name)}`,
      headers: { ...good, 'content-type': 'application/octet-stream', ...headers },
      body,
    });

  it('refuses the event stream, uploads and cancels without the token', async () => {
    const noToken = { ...good, 'x-enclave-token': 'A'.repeat(43) };
    expect((await send(host, { path: '/events', headers: noToken })).status).toBe(401);
    expect((await upload('ca.pem', 'x', { 'x-enclave-token': 'A'.repeat(43) })).status).toBe(401);
    expect((await send(host, { method: 'POST', path: '/cancel/call-12345678', headers: noToken })).status).toBe(401);
  });

  it('refuses an upload before sign-in without writing anything', async () => {
    const reply = await upload('ca.pem', 'x'.repeat(100_000));
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: false,
      error: { code: expect.stringMatching(/CONSENT_REQUIRED|UNAUTHENTICATED/) },
    });
    expect(readdirSync(host.uploadDir)).toEqual([]);
    expect(statSync(host.uploadDir).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['a path', '../etc/passwd'],
    ['a control character', 'ca\n.pem'],
    ['a bidirectional override', 'ca\u202egnp.pem'],
    ['no name', ''],
  ])('refuses a file name with %s', async (_what, name) => {
    const reply = await upload(name, 'x');
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('after sign-in, streams an upload to a 0600 file and answers with a handle', async () => {
    const info = await t.dispatch('enclave:system.info', {});
    const consentId = info.ok ? (info.value as { consent: { id: string } }).consent.id : '';
    await t.dispatch('enclave:system.acknowledgeConsent', { consentId });
    const begun = await t.dispatch('enclave:setup.begin', { siteName: 'Upload Site', systemHigh: 'SECRET' });
    const recoverySecret = begun.ok ? (begun.value as { recoverySecret: string }).recoverySecret : '';
    expect(await t.dispatch('enclave:setup.confirm', { recoverySecret })).toMatchObject({ ok: true });

    const content = 'y'.repeat(3 * 1024 * 1024);
    const reply = await upload('ca bundle.pem', content);
    expect(reply.status).toBe(200);
    const answer = JSON.parse(reply.body) as { ok: true; value: { handle: string; name: string; size: number } };
    expect(answer.value).toMatchObject({ name: 'ca bundle.pem', size: content.length });
    expect(answer.value.handle).toMatch(/^file-[0-9a-f]{32}$/);
    const kept = readdirSync(host.uploadDir);
    expect(kept).toHaveLength(1);
    expect(statSync(join(host.uploadDir, kept[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(join(host.uploadDir, kept[0]!)).size).toBe(content.length);
  });

  it('opens the event stream for the page', async () => {
    const { port } = new URL(host.origin);
    const reply = await new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/events', headers: good }, (res) => {
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] });
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    expect(reply).toEqual({ status: 200, type: 'application/x-ndjson' });
  });
});
