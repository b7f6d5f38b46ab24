import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checkedPrint, makeBridge, type Transport } from '../../../common/ipc/bridge';
import { MAX_PRINT_REQUEST_BYTES } from '../../../common/report/report-document-schema';
import {
  captureRect,
  MAX_PRINTS_WAITING,
  planPrint,
  PNG_ZOOM,
  printFailure,
  printQueue,
  withTimeout,
} from '../../../electron/main/report-print-plan';
import { sampleReportDocument } from '../../support/report-document-sample';

// Electron's report printing (electron/main/report-print.ts) cannot run here: there is no Electron
// binary. Everything it decides is here, without it; the window itself is held to the shell's
// settings by the electronegativity gate, and its option names by the compiler (Electron's types).

describe('the print plan', () => {
  it('renders the checked request with a script whose only code is the call', () => {
    const document = sampleReportDocument();
    // A title that would end a string, or a script tag, stays text: the request is a JSON literal.
    document.title = '"); globalThis.pwned = true; ("</script><script>';
    const plan = planPrint(JSON.parse(JSON.stringify({ kind: 'pdf', document })));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const seen: unknown[] = [];
    const sandbox: Record<string, unknown> = {
      window: { enclavePrint: { render: (request: unknown) => seen.push(request) } },
    };
    runInNewContext(plan.value.renderScript, sandbox);
    expect(seen).toEqual([{ kind: 'pdf', document }]);
    expect(Object.keys(sandbox)).toEqual(['window']);
  });

  it('refuses a malformed request before any window opens, in plain words', () => {
    const plan = planPrint({ kind: 'pdf', document: { title: 'x' } });
    expect(plan).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    if (!plan.ok) expect(plan.error.message).toMatch(/^The report to print is invalid: .*\.$/);
  });

  it(`refuses a request of more than ${MAX_PRINT_REQUEST_BYTES / 1024 ** 2} MiB`, () => {
    const document = sampleReportDocument();
    const paragraph = document.blocks[1]!;
    // 2,000 paragraphs of 17,000 characters: within every count, over the size.
    document.blocks = Array.from({ length: 2_000 }, (_, i) => ({
      ...paragraph,
      id: `p${i}`,
      text: 'x'.repeat(17_000),
    }));
    const plan = planPrint({ kind: 'pdf', document });
    expect(plan).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/larger than 32 MiB/) },
    });
  });

  it('captures the whole CSS pixels inside the figure, at the PNG zoom (no white edge below the banner)', () => {
    expect(captureRect({ x: 10.4, y: 20.6, width: 300.2, height: 100.9 })).toEqual({
      x: 11 * PNG_ZOOM,
      y: 21 * PNG_ZOOM,
      width: 300 * PNG_ZOOM,
      height: 100 * PNG_ZOOM,
    });
    for (const nothing of [
      null,
      {},
      { x: 0, y: 0, width: 0.5, height: 10 },
      { x: 0, y: 0, width: Number.NaN, height: 1 },
    ])
      expect(captureRect(nothing)).toBeNull();
  });

  it('tells a failure in one plain line, never a stack', () => {
    const error = new Error('the print page drew no figure\n    at render (report-print.ts:80:11)');
    expect(printFailure(error)).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'The report could not be printed: the print page drew no figure.' },
    });
  });

  it('gives up a print that takes too long, and tidies up after it', async () => {
    let tidied = false;
    const result = await withTimeout(new Promise(() => {}), 20, () => (tidied = true));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/longer than 0.02 s/) },
    });
    expect(tidied).toBe(true);
    expect(await withTimeout(Promise.reject(new Error('crashed')), 1_000, () => {})).toMatchObject({
      ok: false,
      error: { message: 'The report could not be printed: crashed.' },
    });
  });

  it(`prints one at a time, and refuses more than ${MAX_PRINTS_WAITING} waiting`, async () => {
    const queue = printQueue();
    let running = 0;
    let most = 0;
    const work = () => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      return { ok: true as const, value: 1 };
    };
    const results = await Promise.all(Array.from({ length: MAX_PRINTS_WAITING + 2 }, () => queue(work())));
    expect(most).toBe(1);
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_PRINTS_WAITING);
    expect(results.filter((r) => !r.ok)[0]).toMatchObject({
      error: { message: expect.stringMatching(/Too many reports are printing/) },
    });
    // A thrown print is a refusal, and the next one still runs.
    expect(await queue(() => Promise.reject(new Error('gone')))).toMatchObject({ ok: false });
    expect(await queue(work())).toEqual({ ok: true, value: 1 });
  });
});

describe("the bridge's print", () => {
  const transport = (answer: unknown): Transport => ({
    call: () => Promise.resolve(null),
    cancel: () => {},
    subscribe: () => () => {},
    printReport: () => Promise.resolve(answer),
  });
  const request = { kind: 'pdf' as const, document: sampleReportDocument() };

  it('offers files.print only where the transport prints (Electron)', () => {
    const browser = transport(null);
    delete browser.printReport;
    expect(makeBridge(browser).files.print).toBeUndefined();
    expect(makeBridge(transport(null)).files.print).toBeTypeOf('function');
  });

  it('passes the printed bytes and a refusal; anything else is unreadable', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7');
    expect(await makeBridge(transport({ ok: true, value: pdf })).files.print!(request)).toEqual({
      ok: true,
      value: pdf,
    });
    const refusal = { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in before printing a report.' } };
    expect(await makeBridge(transport(refusal)).files.print!(request)).toEqual(refusal);
    for (const odd of [null, 'x', { ok: true, value: 'JVBERi0=' }, { ok: true, value: new Uint8Array(0) }])
      expect(checkedPrint(odd)).toMatchObject({
        ok: false,
        error: { message: 'The printer sent an unreadable answer.' },
      });
  });
});
