import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChannel, MAX_REQUEST_BYTES, maxRequestBytesOf } from '../../common/ipc/contract';
import { CallIdSchema } from '../../common/ipc/events';
import { fail, type IpcResult } from '../../common/ipc/result';
import { relayEvents, type Dispatch, type EventSource } from '../../electron/worker/dispatch';
import type { ServiceHost } from '../../electron/worker/service-host';
import { contentSecurityPolicy, readStaticFile, securityHeaders } from '../../electron/main/web-content';
import { BOOTSTRAP_PREFIX, createClientSession, type ClientSession } from './client-session';
import { isJsonContentType } from './content-type';
import { mayChooseFiles, receiveUpload, uploadPurpose } from './upload';
import { MAX_PRINT_REQUEST_BYTES } from '../../common/report/report-document-schema';
import { printEndpoint, PRINT_PATH } from './print-endpoint';
import type { ReportPrinter } from '../report-print/chromium-printer';

/**
 * Development and test host: serves the built renderer on 127.0.0.1 and carries the bridge over
 * HTTP. Never packaged. It lets one client in (./client-session.ts): a request reaches the services
 * only with that client's session cookie, the exact Host and Origin of this server, and a JSON
 * body within the size limit.
 */
export interface BrowserHostOptions {
  rendererDir: string;
  dispatch: Dispatch;
  /** Events to stream to the page, and where uploads are handed over. */
  services: EventSource & Pick<ServiceHost, 'registerFile'>;
  port?: number;
  log?: (line: string) => void;
  /** Starts the report printer (headless Chromium) on the first POST /print; without it /print is refused. */
  openPrinter?: () => Promise<ReportPrinter>;
}

export interface BrowserHost {
  origin: string;
  /**
   * Opens the app once: the first browser to load it gets the one session cookie; after that it
   * is spent. A secret: hand it over in a file only the user can read, never on a command line.
   */
  bootstrapUrl: string;
  /** Where uploads wait (0700) until the services are done with them. */
  uploadDir: string;
  close(): Promise<void>;
}

export const CALL_ID_HEADER = 'x-enclave-call-id';
export const RPC_PREFIX = '/rpc/';
export const CANCEL_PREFIX = '/cancel/';
export const EVENTS_PATH = '/events';
export const UPLOAD_PATH = '/upload';

function sendJson(res: ServerResponse, status: number, body: IpcResult<unknown>, headers: Record<string, string>) {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  req.setTimeout(30_000, () => req.destroy(new Error('stalled')));
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

/** A refused upload's answer: not signed in is 401; no consent or a role that may not is 403. */
function uploadStatus(result: IpcResult<unknown>): number {
  if (result.ok) return 200;
  if (result.error.code === 'UNAUTHENTICATED') return 401;
  return result.error.code === 'CONSENT_REQUIRED' || result.error.code === 'FORBIDDEN' ? 403 : 400;
}

/**
 * The bootstrap's answer: the cookie is set; the page then loads the app from this origin. Its icon
 * is the app's, or Chromium would ask for a /favicon.ico that is not there (a 404 in the console).
 */
const BOOTSTRAP_PAGE =
  '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/">' +
  '<link rel="icon" href="/favicon.svg" type="image/svg+xml"><title>Enclave</title>';

const NO_SESSION = 'This browser has no Enclave session. Start Enclave with npm start: each start lets one browser in.';

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const headers = securityHeaders(contentSecurityPolicy({ allowConnectSelf: true }));
  let origin = '';
  let expectedHost = '';
  let client: ClientSession | null = null;

  const running = new Map<string, AbortController>();
  const uploadDir = mkdtempSync(join(tmpdir(), 'enclave-uploads-'));
  const streams = new Set<ServerResponse>();
  const printer = printEndpoint({
    dispatch: options.dispatch,
    openPrinter: options.openPrinter ?? (() => Promise.reject(new Error('this host has no report printer'))),
  });

  /**
   * Refuses a request that is not from the app page: answers and returns false. Host defeats DNS
   * rebinding; the session cookie lets in only the one browser that redeemed the bootstrap; Origin
   * and Sec-Fetch-Site defeat other pages in that browser (another port of 127.0.0.1 is same-site).
   */
  function fromAppPage(req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST'): boolean {
    const refuse = (status: number, message: string) => (
      sendJson(res, status, fail('FORBIDDEN', message), headers),
      false
    );
    if (req.method !== method) return refuse(405, `This endpoint takes ${method}.`);
    if (req.headers.host !== expectedHost) return refuse(403, 'Wrong Host.');
    if (!client?.holdsCookie(req.headers))
      return (sendJson(res, 401, fail('UNAUTHENTICATED', NO_SESSION), headers), false);
    if (req.headers.origin !== origin && !(method === 'GET' && req.headers.origin === undefined))
      return refuse(403, 'Wrong Origin.');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return refuse(403, 'Cross-site request.');
    return true;
  }

  /** The one-time bootstrap: sets the session cookie for the first right secret, refuses everything else. */
  function handleBootstrap(req: IncomingMessage, res: ServerResponse, secret: string) {
    if (req.method !== 'GET') return sendJson(res, 405, fail('FORBIDDEN', 'This endpoint takes GET.'), headers);
    if (req.headers.host !== expectedHost) return sendJson(res, 403, fail('FORBIDDEN', 'Wrong Host.'), headers);
    const cookie = client?.redeem(secret) ?? null;
    if (!cookie)
      return sendJson(
        res,
        403,
        fail('FORBIDDEN', 'This launch link is not valid or was used already. Start Enclave again with npm start.'),
        headers,
      );
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': cookie });
    res.end(BOOTSTRAP_PAGE);
  }

  /** The page's event stream: one JSON event per line, and a blank line every 15 s to keep it open. */
  function handleEvents(req: IncomingMessage, res: ServerResponse) {
    if (!fromAppPage(req, res, 'GET')) return;
    res.writeHead(200, { ...headers, 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
    res.write('\n');
    streams.add(res);
    const keepAlive = setInterval(() => res.write('\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(res);
    });
  }

  function handleCancel(req: IncomingMessage, res: ServerResponse, callId: string) {
    if (!fromAppPage(req, res, 'POST')) return;
    running.get(callId)?.abort();
    sendJson(res, 200, { ok: true, value: null }, headers);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (!fromAppPage(req, res, 'POST')) return;
    const purpose = uploadPurpose(url.searchParams.get('purpose'));
    if (!purpose) {
      res.on('finish', () => req.destroy());
      return sendJson(res, 400, fail('INVALID_ARGUMENT', 'The upload names a purpose Enclave does not know.'), {
        ...headers,
        Connection: 'close',
      });
    }
    const result = await receiveUpload(req, url.searchParams.get('name'), {
      dir: uploadDir,
      // Consent, a signed-in session and a role that may hand this kind of file over, before a byte of the body is read.
      mayUpload: () => mayChooseFiles(options.dispatch, purpose),
      register: (file) => options.services.registerFile(file),
    });
    // A refusal answers at once and drops the connection: the rest of the body is never read.
    if (!result.ok) res.on('finish', () => req.destroy());
    sendJson(res, uploadStatus(result), result, result.ok ? headers : { ...headers, Connection: 'close' });
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, channel: string) {
    if (!fromAppPage(req, res, 'POST')) return;
    if (!isJsonContentType(req.headers['content-type'])) {
      return sendJson(res, 415, fail('INVALID_ARGUMENT', 'Bridge calls carry application/json.'), headers);
    }
    // The channel's own limit; an unknown channel gets the default and is refused later.
    const ref = findChannel(channel);
    const limit = ref ? maxRequestBytesOf(ref.spec) : MAX_REQUEST_BYTES;
    const declared = Number(req.headers['content-length'] ?? 0);
    const body = declared > limit ? 'too-large' : await readBody(req, limit);
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
    const callId = CallIdSchema.safeParse(req.headers[CALL_ID_HEADER]);
    if (!callId.success) return sendJson(res, 200, await options.dispatch(channel, payload), headers);
    // A named call can be cancelled, by /cancel/<id> or by the page going away mid-call.
    const controller = new AbortController();
    running.set(callId.data, controller);
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const result = await options.dispatch(channel, payload, { signal: controller.signal, callId: callId.data });
      sendJson(res, 200, result, headers);
    } finally {
      running.delete(callId.data);
    }
  }

  async function handlePrint(req: IncomingMessage, res: ServerResponse) {
    if (!fromAppPage(req, res, 'POST')) return;
    await printer.handle(req, () => readBody(req, MAX_PRINT_REQUEST_BYTES), {
      refuse(status, result, close) {
        if (close) res.on('finish', () => req.destroy());
        sendJson(res, status, result, close ? { ...headers, Connection: 'close' } : headers);
      },
      bytes(type, body) {
        res.writeHead(200, {
          ...headers,
          'Content-Type': type,
          'Content-Length': String(body.byteLength),
          'Content-Disposition': 'attachment',
        });
        res.end(body);
      },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return sendJson(res, 400, fail('INVALID_ARGUMENT', 'The address has a bad % escape.'), headers);
    }
    if (url.pathname.startsWith(BOOTSTRAP_PREFIX))
      return handleBootstrap(req, res, url.pathname.slice(BOOTSTRAP_PREFIX.length));
    if (url.pathname.startsWith(RPC_PREFIX)) return handleRpc(req, res, path.slice(RPC_PREFIX.length));
    if (url.pathname.startsWith(CANCEL_PREFIX)) return handleCancel(req, res, url.pathname.slice(CANCEL_PREFIX.length));
    if (url.pathname === EVENTS_PATH) return handleEvents(req, res);
    if (url.pathname === UPLOAD_PATH) return handleUpload(req, res, url);
    if (url.pathname === PRINT_PATH) return handlePrint(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers);
      return res.end();
    }
    if (req.headers.host !== expectedHost) {
      res.writeHead(403, headers);
      return res.end();
    }
    if (!client?.holdsCookie(req.headers)) return sendJson(res, 401, fail('UNAUTHENTICATED', NO_SESSION), headers);
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
  // No limit on a whole request (an upload may run to gigabytes); each body read has an idle limit instead.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const stopRelay = relayEvents(options.services, (event) => {
    const line = `${JSON.stringify(event)}\n`;
    for (const stream of streams) stream.write(line);
  });
  expectedHost = `127.0.0.1:${port}`;
  origin = `http://${expectedHost}`;
  client = createClientSession(port);

  return {
    origin,
    bootstrapUrl: `${origin}${client.bootstrapPath}`,
    uploadDir,
    close: () =>
      new Promise<void>((resolve) => {
        const printerClosed = printer.close();
        stopRelay();
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        server.close(() => {
          rmSync(uploadDir, { recursive: true, force: true });
          void printerClosed.then(resolve);
        });
      }),
  };
}
