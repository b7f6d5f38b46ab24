import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { findChannel, MAX_REQUEST_BYTES, maxRequestBytesOf } from '../../common/ipc/contract';
import { fail, type IpcResult } from '../../common/ipc/result';
import type { Dispatch } from '../../electron/worker/dispatch';
import { contentSecurityPolicy, readStaticFile, securityHeaders } from '../../electron/main/web-content';

/**
 * Development and test host: serves the built renderer on 127.0.0.1 and carries the bridge over
 * HTTP. Never packaged. A request reaches the services only with the per-launch token, the exact
 * Host and Origin of this server, and a JSON body within the size limit.
 */
export interface BrowserHostOptions {
  rendererDir: string;
  dispatch: Dispatch;
  port?: number;
  log?: (line: string) => void;
}

export interface BrowserHost {
  origin: string;
  /** The app URL with the token in the fragment (never sent to the server, never logged by it). */
  appUrl: string;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-enclave-token';
export const RPC_PREFIX = '/rpc/';

function sameToken(given: string | undefined, expected: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const buffer = Buffer.from(given, 'utf8');
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

function sendJson(res: ServerResponse, status: number, body: IpcResult<unknown>, headers: Record<string, string>) {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token, 'utf8');
  const headers = securityHeaders(contentSecurityPolicy({ allowConnectSelf: true }));
  let origin = '';
  let expectedHost = '';

  async function handleRpc(req: IncomingMessage, res: ServerResponse, channel: string) {
    if (req.method !== 'POST') return sendJson(res, 405, fail('FORBIDDEN', 'Bridge calls use POST.'), headers);
    // Host defeats DNS rebinding; Origin and Sec-Fetch-Site defeat other pages; the token defeats
    // everything that cannot read this process's output or the app window's URL.
    if (req.headers.host !== expectedHost) return sendJson(res, 403, fail('FORBIDDEN', 'Wrong Host.'), headers);
    if (req.headers.origin !== origin) return sendJson(res, 403, fail('FORBIDDEN', 'Wrong Origin.'), headers);
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin')
      return sendJson(res, 403, fail('FORBIDDEN', 'Cross-site request.'), headers);
    const given = req.headers[TOKEN_HEADER];
    if (!sameToken(Array.isArray(given) ? undefined : given, tokenBytes)) {
      return sendJson(res, 401, fail('FORBIDDEN', 'Missing or wrong bridge token.'), headers);
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, fail('INVALID_ARGUMENT', 'Bridge calls carry application/json.'), headers);
    }
    // The channel's own limit (trust-file uploads are larger); an unknown channel gets the default and is refused later.
    const ref = findChannel(channel);
    const limit = ref ? maxRequestBytesOf(ref.spec) : MAX_REQUEST_BYTES;
    const body = await readBody(req, limit);
    if (body === 'too-large') {
      // Answer, then drop the connection rather than read the rest of an oversized body.
      res.on('finish', () => req.destroy());
      return sendJson(res, 413, fail('INVALID_ARGUMENT', `The request is larger than ${limit} bytes.`), {
        ...headers,
        Connection: 'close',
      });
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, fail('INVALID_ARGUMENT', 'The request body is not JSON.'), headers);
    }
    const result = await options.dispatch(channel, payload);
    sendJson(res, 200, result, headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith(RPC_PREFIX))
      return handleRpc(req, res, decodeURIComponent(url.pathname.slice(RPC_PREFIX.length)));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers);
      return res.end();
    }
    if (req.headers.host !== expectedHost) {
      res.writeHead(403, headers);
      return res.end();
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('Not found');
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': String(file.body.length) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`browser host: ${(error as Error).message}`);
      if (!res.headersSent) sendJson(res, 500, fail('INTERNAL', 'The browser host failed to answer.'), headers);
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  expectedHost = `127.0.0.1:${port}`;
  origin = `http://${expectedHost}`;

  return {
    origin,
    appUrl: `${origin}/#token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
