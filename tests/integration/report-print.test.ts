import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANNER_PALETTE } from '../../common/markings/levels';
import { readReportMetadata } from '../../common/report/pdf-metadata';
import type { ReportDocument } from '../../common/report/report-document';
import { openReportPrinter, type ReportPrinter } from '../../hosts/report-print/chromium-printer';
import { fiftyPageReportDocument, FIXTURE_TEXT, reportDocumentFixture } from '../support/report-document-fixture';
import { repoRoot } from '../support/services';

// The report printer for real: the built print page (dist/renderer/print.html) in Debian's Chromium
// through openReportPrinter, read back with poppler-utils as an accreditor would check a report.

const rendererDir = join(repoRoot, 'dist', 'renderer');
const dir = mkdtempSync(join(tmpdir(), 'enclave-report-print-'));
const doc = reportDocumentFixture();
const BANNER = doc.banner.banner;
const SECRET_RED = BANNER_PALETTE.SECRET.background;
let printer: ReportPrinter;
let pdfPath: string;
let pdfBytes: Uint8Array;
let pageCount: number;
let pages: string[][];

function tool(command: string, ...args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Each page's non-empty lines, whitespace runs made single spaces. */
function pageLines(path: string, count: number): string[][] {
  return Array.from({ length: count }, (_, i) =>
    tool('pdftotext', '-f', String(i + 1), '-l', String(i + 1), '-layout', path, '-')
      .split('\n')
      .map((line) => line.trim().replace(/\s+/g, ' '))
      .filter(Boolean),
  );
}

function pdfPageCount(path: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(tool('pdfinfo', path))![1]);
}

async function printTo(name: string, document: ReportDocument): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await printer.pdf(document));
  return path;
}

function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function near(a: ArrayLike<number>, b: ArrayLike<number>, tolerance = 12): boolean {
  return [0, 1, 2].every((i) => Math.abs(a[i]! - b[i]!) <= tolerance);
}

/** A binary PPM (pdftoppm's default output): width, height and RGB rows. */
function readPpm(bytes: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 50).toString('latin1'))!;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const offset = header[0].length;
  return {
    width,
    height,
    pixel: (x, y) => [...bytes.subarray(offset + (y * width + x) * 3, offset + (y * width + x) * 3 + 3)],
  };
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are). */
function readPng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const colorType = png[25]!;
  expect(png[24]).toBe(8);
  const channels = colorType === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      out[y * stride + x] = (value + predictor) & 255;
    }
  }
  return {
    width,
    height,
    pixel: (x, y) => [...out.subarray(y * stride + x * channels, y * stride + x * channels + 3)],
  };
}

beforeAll(async () => {
  if (!existsSync(join(rendererDir, 'print.html')))
    throw new Error('dist/renderer/print.html is missing: run `npm run -s build:renderer` before this test.');
  printer = await openReportPrinter({ rendererDir, appVersion: '9.8.7' });
  pdfBytes = await printer.pdf(doc);
  pdfPath = join(dir, 'fixture.pdf');
  writeFileSync(pdfPath, pdfBytes);
  pageCount = pdfPageCount(pdfPath);
  pages = pageLines(pdfPath, pageCount);
}, 120_000);

afterAll(async () => {
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a printed report (headless Chromium)', () => {
  it('starts and ends every page with the banner, and numbers every page "Page n of N"', () => {
    expect(pageCount).toBeGreaterThanOrEqual(5);
    pages.forEach((lines, i) => {
      expect(lines[0], `page ${i + 1}'s first line`).toBe(BANNER);
      expect(lines.at(-1), `page ${i + 1}'s last line`).toBe(BANNER);
      expect(lines, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pageCount}`);
    });
  });

  it('starts every heading, paragraph, table caption and figure caption with its portion mark', () => {
    const lines = pages.flat();
    let table = 0;
    let figure = 0;
    const expected: string[] = [];
    for (const block of doc.blocks) {
      if (block.type === 'heading') expected.push(`${block.marking.portion} ${block.text}`);
      if (block.type === 'paragraph') expected.push(`${block.marking.portion} ${block.text.slice(0, 40)}`);
      if (block.type === 'table') expected.push(`${block.marking.portion} Table ${++table}. ${block.caption}`);
      if (block.type === 'figure')
        expected.push(`${block.marking.portion} Figure ${++figure}. ${block.caption.slice(0, 40)}`);
    }
    expect(expected).toContain(`(S//NF) Table 1. ${FIXTURE_TEXT.longTableCaption}`);
    expect(expected).toContain(`(U) ${FIXTURE_TEXT.unclassifiedParagraph.slice(0, 40)}`);
    for (const start of expected)
      expect(
        lines.some((line) => line.startsWith(start)),
        start,
      ).toBe(true);
  });

  it('prints the classification authority block on page 1', () => {
    const authority = doc.authority!;
    expect(pages[0]).toContain(`Classified By: ${authority.classifiedBy}`);
    expect(pages[0]).toContain(`Derived From: ${authority.derivedFrom}`);
    expect(pages[0]).toContain(`Declassify On: ${authority.declassifyOn}`);
  });

  it('repeats a long table’s header row on every page it runs onto, and prints numbers as numbers', () => {
    const header = 'Output P5 P50 P95 Within budget';
    const rowPages = pages
      .map((lines, i) => ({ lines, i }))
      .filter(({ lines }) => lines.some((l) => /^Output \d\d: /.test(l)));
    expect(rowPages.length).toBeGreaterThanOrEqual(2);
    for (const { lines, i } of rowPages) {
      const firstRow = lines.findIndex((l) => /^Output \d\d: /.test(l));
      expect(lines.slice(0, firstRow), `page ${i + 1}`).toContain(header);
    }
    expect(pages.flat()).toContain('Output 01: cost element 1 1,000.0 1,078.1 1,300.0 7.4%');
  });

  it('embeds Noto Sans, the font shipped with the app, and nothing else', () => {
    const fonts = tool('pdffonts', pdfPath).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      expect(line).toMatch(/^[A-Z]{6}\+NotoSans-/);
      expect(line.split(/\s+/).at(-5), line).toBe('yes');
    }
  });

  it('carries the title, author and banner in its metadata, dated as the document', async () => {
    const info = tool('pdfinfo', pdfPath);
    expect(info).toMatch(new RegExp(`^Title:\\s+${doc.title}$`, 'm'));
    expect(info).toMatch(/^Author:\s+J\. Analyst$/m);
    expect(info).toMatch(/^Subject:\s+SECRET\/\/NOFORN$/m);
    expect(info).toMatch(/^Creator:\s+Enclave 9\.8\.7$/m);
    expect(info).toMatch(/^CreationDate:\s+Mon Jun\s+1 12:00:00 2026 UTC$/m);
    expect(await readReportMetadata(pdfBytes)).toEqual({ title: doc.title, author: 'J. Analyst', subject: BANNER });
  });

  it('prints the same text twice from the same document', async () => {
    const again = await printTo('again.pdf', doc);
    expect(tool('pdftotext', '-layout', again, '-')).toBe(tool('pdftotext', '-layout', pdfPath, '-'));
  });

  it('colours the banner bands of page 1 in the banner’s colour', () => {
    tool('pdftoppm', '-f', '1', '-l', '1', '-r', '50', pdfPath, join(dir, 'page'));
    const image = readPpm(execFileSync('cat', [join(dir, 'page-1.ppm')]));
    const red = rgbOf(SECRET_RED);
    // At 50 dpi: the bands are 0.3 in (15 px) tall, 0.25 in (12.5 px) in from the top and bottom edges,
    // across the text's width (0.75 in, 37.5 px, in from either side).
    for (const y of [15, 25, image.height - 26, image.height - 16])
      for (const x of [40, Math.floor(image.width / 4), image.width - 41])
        expect(near(image.pixel(x, y), red), `pixel ${x},${y}: ${image.pixel(x, y)}`).toBe(true);
    expect(near(image.pixel(Math.floor(image.width / 2), Math.floor(image.height / 2)), red)).toBe(false);
  });

  it('gives a figure’s PNG with the banner bar above and below it, at twice the page’s resolution', async () => {
    const png = Buffer.from(await printer.png(doc, 'tornado'));
    const image = readPng(png);
    expect(image.width).toBe(2 * 672);
    expect(image.height).toBeGreaterThan(600);
    const red = rgbOf(SECRET_RED);
    for (const y of [0, 4, image.height - 5, image.height - 1])
      for (const x of [0, image.width >> 1, image.width - 1])
        expect(near(image.pixel(x, y), red), `pixel ${x},${y}: ${image.pixel(x, y)}`).toBe(true);
  });
});

describe('one printer, many prints', () => {
  it('keeps nothing of one report in the next: an UNCLASSIFIED report after a SECRET one', async () => {
    const U = { banner: 'UNCLASSIFIED', portion: '(U)', level: 'UNCLASSIFIED' } as const;
    const small: ReportDocument = {
      ...doc,
      title: 'Public summary',
      banner: U,
      authority: null,
      blocks: [
        { id: 'h', type: 'heading', section: 'summary', level: 1, marking: U, text: 'Executive summary' },
        { id: 'p', type: 'paragraph', section: 'summary', marking: U, text: 'Nothing here is classified.' },
      ],
    };
    const [path, png] = await Promise.all([printTo('small.pdf', small), printer.png(doc, 'histogram')]);
    const text = tool('pdftotext', '-layout', path, '-');
    expect(text).not.toMatch(/SECRET|NOFORN|Classified By|Harbour/);
    expect(pageLines(path, pdfPageCount(path))).toEqual([
      ['UNCLASSIFIED', '(U) Executive summary', '(U) Nothing here is classified.', 'Page 1 of 1', 'UNCLASSIFIED'],
    ]);
    tool('pdftoppm', '-f', '1', '-l', '1', '-r', '50', path, join(dir, 'small'));
    const image = readPpm(execFileSync('cat', [join(dir, 'small-1.ppm')]));
    expect(near(image.pixel(image.width >> 1, 16), rgbOf(BANNER_PALETTE.UNCLASSIFIED.background))).toBe(true);
    expect(readPng(Buffer.from(png)).width).toBe(2 * 672);
  });
  it('prints a banner exactly as given, even one that looks like CSS (it cannot rewrite the page rules)', async () => {
    const hostile = 'SECRET//NOFORN" } @page { @top-center { content: "UNCLASSIFIED\\';
    const marking = { ...doc.banner, banner: hostile };
    const path = await printTo('hostile.pdf', {
      ...doc,
      banner: marking,
      blocks: [{ id: 'p', type: 'paragraph', section: 'summary', marking, text: 'One paragraph.' }],
    });
    const [lines] = pageLines(path, 1);
    expect(lines![0]).toBe(hostile.replace(/\s+/g, ' '));
    expect(lines!.at(-1)).toBe(hostile.replace(/\s+/g, ' '));
  });

  it('prints a fifty-page report with its banners and "Page n of N" on every page', async () => {
    const started = performance.now();
    const path = await printTo('fifty.pdf', fiftyPageReportDocument());
    const seconds = (performance.now() - started) / 1000;
    const count = pdfPageCount(path);
    // The figure for the report (the benchmark holds the 10 s budget; this machine may be shared).
    console.log(`report-print: ${count} pages in ${seconds.toFixed(2)} s`);
    expect(count).toBeGreaterThanOrEqual(50);
    pageLines(path, count).forEach((lines, i) => {
      expect(lines[0], `page ${i + 1}`).toBe(BANNER);
      expect(lines.at(-1), `page ${i + 1}`).toBe(BANNER);
      expect(lines, `page ${i + 1}`).toContain(`Page ${i + 1} of ${count}`);
    });
  }, 120_000);
});

describe('the printer refuses', () => {
  it('a document that would not render, naming what is wrong, and prints the next one', async () => {
    const broken = { ...doc, blocks: [doc.blocks[0]!, { ...doc.blocks[1]!, type: 'table', columns: 'none' }] };
    await expect(printer.pdf(broken as unknown as ReportDocument)).rejects.toThrow(
      /^The report to print is invalid: .+ \(at document\.blocks\.1\.\w+\)\.$/,
    );
    await expect(printer.pdf({ ...doc, createdAt: 'yesterday' })).rejects.toThrow(/\(at document\.createdAt\)/);
    await expect(printer.png(doc, 'no-such-figure')).rejects.toThrow('The report has no figure "no-such-figure".');
    await expect(printer.png(doc, 'stats-table')).rejects.toThrow('The report has no figure "stats-table".');
    expect((await printer.pdf(doc)).length).toBeGreaterThan(10_000);
  });

  it('a print that runs past its time, with a clear message', async () => {
    const hasty = await openReportPrinter({ rendererDir, appVersion: '9.8.7', timeoutMs: 1 });
    try {
      await expect(hasty.pdf(doc)).rejects.toThrow('Printing the report took longer than 0.001 s and was stopped.');
    } finally {
      await hasty.close();
    }
  });

  it('without a built print page', async () => {
    await expect(openReportPrinter({ rendererDir: dir, appVersion: '9.8.7' })).rejects.toThrow(
      /print page is not built/,
    );
  });
});
