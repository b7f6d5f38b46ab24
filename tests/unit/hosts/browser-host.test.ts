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

/** The cookie a Set-Cookie header sets, as a browser would send it back ("name=value"). */
function cookieOf(reply: Reply): string {
  const set = reply.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  return (first ?? '').split(';')[0] ?? '';
}

let t: TestServices;
let host: BrowserHost;
let bootstrap: Reply;
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
  const hostHeader = new URL(host.origin).host;
  bootstrap = await send(host, { path: new URL(host.bootstrapUrl).pathname, headers: { host: hostHeader } });
  good = {
    host: hostHeader,
    origin: host.origin,
    'content-type': 'application/json',
    cookie: cookieOf(bootstrap),
  };
});
afterAll(async () => {
  await host.close();
  await t.close();
});

const rpc = (headers: Record<string, string>, body = '{}', path = '/rpc/enclave:system.info') =>
  send(host, { method: 'POST', path, headers, body });

describe('browser host: one client, by a one-time bootstrap and a cookie', () => {
  it('listens on 127.0.0.1 only and hands a one-time bootstrap URL', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.bootstrapUrl).toMatch(new RegExp(`^${host.origin}/bootstrap/[A-Za-z0-9_-]{43}$`));
  });

  it('exchanges the bootstrap for an HttpOnly, SameSite=Strict session cookie, then sends the page to the app', () => {
    expect(bootstrap.status).toBe(200);
    const set = String(bootstrap.headers['set-cookie']);
    expect(set).toMatch(/^enclave-session-\d+=[A-Za-z0-9_-]{43}; /);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\//);
    expect(bootstrap.body).toContain('<meta http-equiv="refresh" content="0; url=/">');
    const secret = host.bootstrapUrl.split('/').pop()!;
    expect(bootstrap.body).not.toContain(secret);
    expect(bootstrap.body).not.toContain(cookieOf(bootstrap).split('=')[1]);
  });

  it('hands out no second session: the bootstrap works once', async () => {
    const again = await send(host, { path: new URL(host.bootstrapUrl).pathname, headers: { host: good.host! } });
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(again.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const guessed = await send(host, { path: `/bootstrap/${'A'.repeat(43)}`, headers: { host: good.host! } });
    expect(guessed.status).toBe(403);
    expect(guessed.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['the app page', 'GET', '/'],
    ['a bridge call', 'POST', '/rpc/enclave:system.info'],
    ['the event stream', 'GET', '/events'],
    ['an upload', 'POST', '/upload?name=ca.pem'],
    ['a cancel', 'POST', '/cancel/call-12345678'],
  ])('refuses %s without the session cookie', async (_what, method, path) => {
    for (const cookie of [undefined, `${good.cookie!.split('=')[0]}=${'A'.repeat(43)}`]) {
      const headers: Record<string, string> = { ...good };
      if (cookie === undefined) delete headers.cookie;
      else headers.cookie = cookie;
      const reply = await send(host, { method, path, headers, body: method === 'POST' ? '{}' : undefined });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });
});

describe('browser host', () => {
  it('serves the app with the strict CSP to the client holding the cookie', async () => {
    const reply = await send(host, { path: '/', headers: { host: good.host!, cookie: good.cookie! } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toMatch(
      /^default-src 'none'; script-src 'self' 'wasm-unsafe-eval';/,
    );
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.body).toContain('<div id="root">');
  });

  it('answers a call with the right cookie, Host and Origin', async () => {
    const reply = await rpc(good);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { app: { name: 'Enclave' } } });
  });

  it('takes application/json with a charset parameter', async () => {
    expect((await rpc({ ...good, 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    expect((await rpc({ ...good, 'content-type': 'Application/JSON;charset="UTF-8"' })).status).toBe(200);
  });

  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }, 403],
    ['a rebinding Host', { host: 'evil.example:80' }, 403],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 403],
    ['a form post', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a JSON look-alike type', { 'content-type': 'application/jsonfoo' }, 415],
    ['a JSON type with another parameter', { 'content-type': 'application/json; boundary=x' }, 415],
    ['text/plain', { 'content-type': 'text/plain' }, 415],
  ] as [string, Record<string, string>, number][])('refuses %s', async (_what, change, status) => {
    const reply = await rpc({ ...good, ...change });
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

  it.each(['/rpc/enclave:system.info%E0%A4%A', '/rpc/%', '/assets/%zz.js'])(
    'answers a bad percent escape in %s with 400 and a plain message',
    async (path) => {
      const reply = await send(host, { method: path.startsWith('/rpc') ? 'POST' : 'GET', path, headers: good });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toEqual({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: 'The address has a bad % escape.' },
      });
    },
  );

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
    expect((await send(host, { path, headers: { host: good.host!, cookie: good.cookie! } })).status).toBe(404);
  });

  it('only allows GET and HEAD for files', async () => {
    expect((await send(host, { method: 'PUT', path: '/index.html', headers: good, body: 'x' })).status).toBe(405);
  });
});

/**
 * Starts an upload that declares `declared` bytes and sends only the first MiB, then waits for the
 * host's answer: a refusal that comes back now was given without reading (or waiting for) the body.
 */
function uploadHeadOnly(declared: number): Promise<{ status: number; body: string; sent: number }> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/upload?name=big.pem',
        headers: { ...good, 'content-type': 'application/octet-stream', 'content-length': String(declared) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sent });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after ${sent} of ${declared} bytes`));
    }, 10_000);
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    for (let i = 0; i < 16; i++) {
      req.write(chunk);
      sent += chunk.length;
    }
  });
}

describe('browser host uploads and events', () => {
  const upload = (name: string, body: string, headers: Record<string, string> = {}) =>
    send(host, {
      method: 'POST',
      path: `/upload?name=${encodeURIComponent(name)}`,
      headers: { ...good, 'content-type': 'application/octet-stream', ...headers },
      body,
    });

  it('refuses a 47 MiB upload before consent with 403, without waiting for its body', async () => {
    const reply = await uploadHeadOnly(47 * 1024 * 1024);
    expect(reply.status).toBe(403);
    expect(reply.sent).toBe(1024 * 1024);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'CONSENT_REQUIRED' } });
    expect(readdirSync(host.uploadDir)).toEqual([]);
    expect(statSync(host.uploadDir).mode & 0o777).toBe(0o700);
  });

  it('refuses a 47 MiB upload before sign-in with 401, without waiting for its body', async () => {
    const info = await t.dispatch('enclave:system.info', {});
    const consentId = info.ok ? (info.value as { consent: { id: string } }).consent.id : '';
    await t.dispatch('enclave:system.acknowledgeConsent', { consentId });
    const replies = await Promise.all(Array.from({ length: 8 }, () => uploadHeadOnly(47 * 1024 * 1024)));
    for (const reply of replies) {
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    expect(readdirSync(host.uploadDir)).toEqual([]);
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
