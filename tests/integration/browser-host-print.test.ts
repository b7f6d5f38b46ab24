import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PRINT_REQUEST_BYTES } from '../../common/report/report-document-schema';
import { APP_VERSION } from '../../common/version';
import { startBrowserHost, type BrowserHost } from '../../hosts/browser/browser-host';
import { openReportPrinter } from '../../hosts/report-print/chromium-printer';
import { sampleReportDocument } from '../support/report-document-sample';
import { acknowledgeConsent, repoRoot, setUpStore, startTestServices, type TestServices } from '../support/services';

// POST /print of the browser host: the same checks as /rpc (session cookie, Host, Origin,
// Sec-Fetch-Site, JSON, a size limit), a signed-in session, the request's schema; then the real
// printer (headless Chromium over dist/renderer/print.html) answers with the PDF or PNG bytes.

interface Reply {
  status: number;
  type: string | undefined;
  body: Buffer;
}

let t: TestServices;
let host: BrowserHost;
let good: Record<string, string>;
const printers = { opened: 0, closed: 0 };
const scratch = mkdtempSync(join(tmpdir(), 'enclave-print-'));

function post(headers: Record<string, string>, body: string | Buffer, method = 'POST'): Promise<Reply> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path: '/print', headers, setHost: headers.host === undefined },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = (reply: Reply) =>
  JSON.parse(reply.body.toString('utf8')) as { ok: boolean; error?: { code: string; message: string } };
const pdfRequest = () => JSON.stringify({ kind: 'pdf', document: sampleReportDocument() });

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'renderer', 'print.html')))
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot });
  t = await startTestServices();
  host = await startBrowserHost({
    rendererDir: join(repoRoot, 'dist', 'renderer'),
    dispatch: t.dispatch,
    services: t.services,
    // The real printer, counted: a refusal must never start Chromium.
    openPrinter: async () => {
      printers.opened++;
      const printer = await openReportPrinter({
        rendererDir: join(repoRoot, 'dist', 'renderer'),
        appVersion: APP_VERSION,
      });
      return { ...printer, close: () => (printers.closed++, printer.close()) };
    },
  });
  const hostHeader = new URL(host.origin).host;
  const { port } = new URL(host.origin);
  const cookie = await new Promise<string>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: new URL(host.bootstrapUrl).pathname, headers: { host: hostHeader } },
      (res) => {
        res.resume();
        const set = res.headers['set-cookie']?.[0] ?? '';
        resolve(set.split(';')[0] ?? '');
      },
    );
    req.on('error', reject);
    req.end();
  });
  good = { host: hostHeader, origin: host.origin, 'content-type': 'application/json', cookie };
}, 120_000);
afterAll(async () => {
  await host.close();
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('browser host: POST /print', () => {
  it('refuses before consent and before sign-in', async () => {
    const beforeConsent = await post(good, pdfRequest());
    expect(beforeConsent.status).toBe(403);
    expect(json(beforeConsent).error?.code).toBe('CONSENT_REQUIRED');
    await acknowledgeConsent(t);
    const beforeSignIn = await post(good, pdfRequest());
    expect(beforeSignIn.status).toBe(401);
    expect(json(beforeSignIn).error).toEqual({ code: 'UNAUTHENTICATED', message: 'Sign in before printing a report.' });
    await setUpStore(t);
  }, 120_000);

  it.each([
    ['without the session cookie', { cookie: undefined }, 401],
    ['with a forged session cookie', { cookie: 'enclave-session-1=' + 'A'.repeat(43) }, 401],
    ['from another Origin', { origin: 'http://127.0.0.1:1' }, 403],
    ['without an Origin', { origin: undefined }, 403],
    ['from another site (Sec-Fetch-Site)', { 'sec-fetch-site': 'same-site' }, 403],
    ['to another Host (DNS rebinding)', { host: 'attacker.example:80' }, 403],
    ['that is not JSON by its type', { 'content-type': 'text/plain' }, 415],
  ])('refuses a print %s', async (_what, change, status) => {
    const headers: Record<string, string> = { ...good };
    for (const [name, value] of Object.entries(change))
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    const reply = await post(headers, pdfRequest());
    expect(reply.status).toBe(status);
    expect(reply.type).toBe('application/json');
    expect(json(reply).ok).toBe(false);
  });

  it('refuses GET', async () => {
    expect((await post(good, '', 'GET')).status).toBe(405);
  });

  it(`refuses a request of more than ${MAX_PRINT_REQUEST_BYTES / 1024 ** 2} MiB, declared or not`, async () => {
    const big = Buffer.alloc(MAX_PRINT_REQUEST_BYTES + 1, 0x20);
    const declared = await post({ ...good, 'content-length': String(big.length) }, big);
    expect(declared.status).toBe(413);
    expect(json(declared).error?.message).toBe('The report to print is larger than 32 MiB.');
    const chunked = await post({ ...good, 'transfer-encoding': 'chunked' }, big);
    expect(chunked.status).toBe(413);
  });

  it.each([
    ['a body that is not JSON', '{"kind": "pdf",', /^The report to print is not JSON\.$/],
    [
      'a document without blocks',
      JSON.stringify({ kind: 'pdf', document: { ...sampleReportDocument(), blocks: undefined } }),
      /^The report to print is invalid: .*blocks/,
    ],
    [
      'a script where a block goes',
      JSON.stringify({ kind: 'pdf', document: { ...sampleReportDocument(), blocks: ['<script>'] } }),
      /^The report to print is invalid: /,
    ],
    [
      'a figure the document does not have',
      JSON.stringify({ kind: 'png', document: sampleReportDocument(), figure: 'nope' }),
      /not in the document/,
    ],
  ])('refuses %s in one plain line', async (_what, body, message) => {
    const reply = await post(good, body);
    expect(reply.status).toBe(400);
    const error = json(reply).error!;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n|\.ts:\d+/);
  });

  it('started no printer for any refusal', () => {
    expect(printers.opened).toBe(0);
  });

  it('prints a valid report as a PDF with its banners and metadata', async () => {
    const reply = await post(good, pdfRequest());
    expect(reply.status).toBe(200);
    expect(reply.type).toBe('application/pdf');
    expect(reply.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(scratch, 'report.pdf');
    writeFileSync(file, reply.body);
    const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      .split('\f')
      .map((page) =>
        page
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      )
      .filter((lines) => lines.length > 0);
    expect(pages.length).toBeGreaterThan(0);
    for (const lines of pages) {
      expect(lines[0]).toBe('SECRET');
      expect(lines.at(-1)).toBe('SECRET');
    }
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/^Title:\s+Bridge cost, quarterly$/m);
  }, 120_000);

  it('prints a figure as a PNG', async () => {
    const reply = await post(
      good,
      JSON.stringify({ kind: 'png', document: sampleReportDocument(), figure: 'charts-cost-histogram' }),
    );
    expect(reply.status).toBe(200);
    expect(reply.type).toBe('image/png');
    expect([...reply.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: a figure of some hundreds of pixels, not the whole page.
    const width = reply.body.readUInt32BE(16);
    const height = reply.body.readUInt32BE(20);
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(200);
    expect(height).toBeLessThan(3000);
    expect(printers.opened).toBe(1);
  }, 120_000);

  it('closes the printer when the host closes', async () => {
    await host.close();
    expect(printers.closed).toBe(1);
  });
});
