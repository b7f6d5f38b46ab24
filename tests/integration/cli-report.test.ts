import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/services';

// `enclave simulate --report/--xlsx/--csv-dir`: the built CLI (dist/node/cli.cjs), the built print
// page (dist/renderer/print.html) and Debian's Chromium, read back with pdftotext and exceljs.
const root = mkdtempSync(join(tmpdir(), 'enclave-cli-report-'));
const dataDir = join(root, 'data');
const secretModel = join(root, 'secret-model.json');
/** The roll-up of the model's portions, "(S)": a classified roll-up without REL TO is NOFORN (docs/markings.md). */
const BANNER = 'SECRET//NOFORN';
const AUTHORITY = { classifiedBy: 'A. Analyst, J2', derivedFrom: 'Multiple Sources', declassifyOn: '20511231' };

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist', 'renderer', 'print.html')))
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot });
  mkdirSync(dataDir, { mode: 0o700 });
  // A SECRET site with authority-block defaults, and an example model marked SECRET.
  writeFileSync(
    join(dataDir, 'site-config.json'),
    JSON.stringify({ systemHigh: 'SECRET', reports: { authority: AUTHORITY } }),
  );
  const model = JSON.parse(
    readFileSync(join(repoRoot, 'resources', 'models', 'project-cost-schedule.json'), 'utf8'),
  ) as Record<string, unknown>;
  writeFileSync(secretModel, JSON.stringify({ ...model, marking: 'SECRET' }));
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function enclave(args: string[], env: Record<string, string> = {}, cwd = root) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, ENCLAVE_DATA_DIR: dataDir, ...env },
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Each page's non-empty lines, as pdftotext reads them (pages end with a form feed). */
function pdfPages(path: string): string[][] {
  const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  return text
    .split('\f')
    .map((page) =>
      page
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    )
    .filter((lines) => lines.length > 0);
}

const fresh = (name: string) => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
};

describe('enclave simulate --report', () => {
  it('writes the standard report of the run as a PDF, a workbook and CSV files, each marked', async () => {
    const out = fresh('full');
    const { code, stdout, stderr } = enclave([
      'simulate',
      secretModel,
      '--iterations',
      '20000',
      '--seed',
      '7',
      '--report',
      join(out, 'report.pdf'),
      '--xlsx',
      join(out, 'report.xlsx'),
      '--csv-dir',
      join(out, 'tables'),
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { marking: string; report: { pdf: string; pages: number; csv: string[] } };
    expect(result.marking).toBe('SECRET');

    // The PDF: the banner is the first and the last line of every page, and every page is numbered.
    const pages = pdfPages(join(out, 'report.pdf'));
    expect(pages.length).toBe(result.report.pages);
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((lines, i) => {
      expect(lines[0], `page ${i + 1}'s first line`).toBe(BANNER);
      expect(lines.at(-1), `page ${i + 1}'s last line`).toBe(BANNER);
      expect(lines, `page ${i + 1}'s number`).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    // Page 1 of a classified report: the site's authority block.
    expect(pages[0]!.join('\n')).toContain(`Classified By: ${AUTHORITY.classifiedBy}`);
    const info = execFileSync('pdfinfo', [join(out, 'report.pdf')], { encoding: 'utf8' });
    expect(info).toContain(`Subject:         ${BANNER}\n`);
    expect(info).toMatch(/^Title:\s+Project cost and schedule risk$/m);

    // The workbook opens, and every sheet carries the banner in its first row, header and footer.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(join(out, 'report.xlsx')) as unknown as ArrayBuffer);
    expect(workbook.worksheets.length).toBeGreaterThan(1);
    for (const sheet of workbook.worksheets) {
      expect(String(sheet.getRow(1).getCell(1).value), sheet.name).toContain(BANNER);
      expect(sheet.headerFooter.oddHeader ?? '', sheet.name).toContain(BANNER);
      expect(sheet.headerFooter.oddFooter ?? '', sheet.name).toContain(BANNER);
    }
    const numbers = workbook.worksheets.flatMap((sheet) =>
      sheet.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.filter((v) => typeof v === 'number') : [])),
    );
    expect(numbers.length).toBeGreaterThan(100);

    // One CSV per table, each with the marking alone on its first line.
    const csv = readdirSync(join(out, 'tables')).sort();
    expect(csv).toEqual([...result.report.csv].sort());
    expect(csv.length).toBeGreaterThan(3);
    for (const name of csv) expect(readFileSync(join(out, 'tables', name), 'utf8').split('\r\n')[0], name).toBe(BANNER);
    // Owner-only files, and no temporary file left beside them.
    for (const name of ['report.pdf', 'report.xlsx']) expect(statSync(join(out, name)).mode & 0o777).toBe(0o600);
    expect(readdirSync(out).sort()).toEqual(['report.pdf', 'report.xlsx', 'tables']);
  }, 240_000);

  it('refuses a model marked above the system high, and writes nothing', () => {
    const out = fresh('above');
    const { code, stderr } = enclave(
      [
        'simulate',
        secretModel,
        '--iterations',
        '1000',
        '--report',
        join(out, 'report.pdf'),
        '--xlsx',
        join(out, 'report.xlsx'),
        '--csv-dir',
        join(out, 'tables'),
      ],
      // The shipped default: an UNCLASSIFIED system.
      { ENCLAVE_SITE_CONFIG: join(root, 'no-site-config.json') },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/marked SECRET, above this system's high \(UNCLASSIFIED\)/);
    expect(readdirSync(out)).toEqual([]);
  }, 240_000);

  it('does not replace a file that is there, unless --force', () => {
    const out = fresh('existing');
    const target = join(out, 'report.pdf');
    writeFileSync(target, 'an older report');
    const refused = enclave(['simulate', secretModel, '--iterations', '1000', '--report', target]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${target} exists; nothing was written (give --force to replace it)`);
    expect(refused.stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toBe('an older report');

    const forced = enclave(['simulate', secretModel, '--iterations', '1000', '--report', target, '--force']);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(readFileSync(target).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readdirSync(out)).toEqual(['report.pdf']);
  }, 240_000);

  it('exits 1 with a plain error, writing nothing, when Chromium cannot print', () => {
    const out = fresh('no-chromium');
    const { code, stderr } = enclave(
      ['simulate', secretModel, '--iterations', '1000', '--report', join(out, 'r.pdf'), '--csv-dir', join(out, 't')],
      // Something that is there but is not Chromium: the launch fails.
      { ENCLAVE_CHROMIUM: '/bin/false' },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/the report could not be made: /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(out)).toEqual([]);
  }, 240_000);

  it('refuses report options that cannot work before running anything', () => {
    const out = fresh('usage');
    for (const [args, message] of [
      [['--xlsx', join(out, 'a.xlsx')], /--xlsx and --csv-dir go with --report/],
      [['--report', join(out, 'a.txt')], /--report takes a file name ending in \.pdf/],
      [['--report', join(out, 'missing', 'a.pdf')], /the folder of .* does not exist/],
      [['--report', join(out, 'a.pdf'), '--classified-by', 'X'], /go together: give all three/],
    ] as const) {
      const { code, stderr, stdout } = enclave(['simulate', secretModel, '--iterations', '1000', ...args]);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
      expect(stdout).toBe('');
    }
    expect(readdirSync(out)).toEqual([]);
  }, 240_000);

  it('refuses a classified report without an authority block, naming it, before the run', () => {
    const out = fresh('no-authority');
    const site = join(root, 'secret-site.json');
    writeFileSync(site, JSON.stringify({ systemHigh: 'SECRET' }));
    const { code, stdout, stderr } = enclave(
      ['simulate', secretModel, '--iterations', '1000', '--report', join(out, 'r.pdf')],
      { ENCLAVE_SITE_CONFIG: site },
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/: the report's markings do not check; nothing was written:$/);
    expect(lines[1]).toMatch(
      /^ {2}the authority block SECRET\/\/NOFORN: a classified report needs a classification authority block/,
    );
    expect(lines[2]).toBe('  (here: give --classified-by, --derived-from and --declassify-on)');
    expect(readdirSync(out)).toEqual([]);
  }, 240_000);
});
