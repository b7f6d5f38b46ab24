import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';

/**
 * `enclave simulate` given bad input, through the real CLI bundle: files that are not model files,
 * formulas and runs too big to take, markings above the site's system high, and text that would
 * drive the terminal. Each is refused promptly with a plain error (exit 1) and nothing else printed.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-cli-simulate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A data directory whose site configuration has this system high. */
function siteAt(systemHigh: string): string {
  const dir = join(work, `site-${systemHigh.replace(/\W+/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'site-config.json'), JSON.stringify({ systemHigh }));
  return dir;
}
const unclassified = siteAt('UNCLASSIFIED');
// The site configuration comes from the data directory's site-config.json, not from the environment.
const env = { ...process.env };
delete env.ENCLAVE_SITE_CONFIG;

function enclave(args: string[], dataDir = unclassified) {
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'node', 'cli.cjs'), '--data-dir', dataDir, ...args],
    {
      encoding: 'utf8',
      env,
      timeout: 30_000,
    },
  );
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    seconds: (Date.now() - started) / 1000,
  };
}

function model(name: string, fields: Record<string, unknown> = {}): string {
  const path = join(
    work,
    `${name.replace(/\W+/g, '-').slice(0, 40) || 'model'}-${Math.random().toString(36).slice(2)}.json`,
  );
  writeFileSync(
    path,
    JSON.stringify({
      format: 'enclave-model/1',
      name,
      marking: 'UNCLASSIFIED',
      inputs: [{ name: 'x', dist: { type: 'normal', mean: 10, sd: 1 } }],
      formulas: [{ name: 'y', expr: 'x * 2' }],
      outputs: ['y'],
      ...fields,
    }),
  );
  return path;
}

// Control characters a terminal acts on: C0 (ESC among them), DEL, C1 (CSI U+009B among them), bidi overrides.
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('enclave simulate: the model file', () => {
  it('refuses a device such as /dev/zero at once instead of reading it forever', () => {
    const result = enclave(['simulate', '/dev/zero']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('/dev/zero: not a regular file (a character device); give a model file\n');
    expect(result.seconds).toBeLessThan(5);
  });

  it('refuses a FIFO nobody writes to, promptly, without waiting for a writer', () => {
    const fifo = join(work, 'model.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = enclave(['simulate', fifo]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`${fifo}: not a regular file (a FIFO); give a model file\n`);
    expect(result.seconds).toBeLessThan(5);
  });

  it('refuses a directory and a file that is not there, naming each', () => {
    expect(enclave(['simulate', work])).toMatchObject({
      code: 1,
      stderr: `${work}: not a regular file (a directory); give a model file\n`,
    });
    expect(enclave(['simulate', join(work, 'missing.json')])).toMatchObject({
      code: 1,
      stderr: `${join(work, 'missing.json')}: no such file\n`,
    });
  });

  it('refuses a file over the 16 MiB cap before reading it', () => {
    const big = join(work, 'big.json');
    writeFileSync(big, Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const result = enclave(['simulate', big]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`${big}: the file is larger than 16 MiB, the most a model file may be\n`);
    expect(result.seconds).toBeLessThan(5);
  });
});

describe('enclave simulate: formulas and runs too big to take', () => {
  it('refuses a formula nested thousands deep with its position, not a stack overflow', () => {
    const result = enclave([
      'simulate',
      model('deep', { formulas: [{ name: 'y', expr: `${'('.repeat(4999)}x${')'.repeat(4999)}` }] }),
    ]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/: formulas\.y: nesting deeper than 64 levels \(at character 64\)\n$/);
    expect(result.stderr).not.toContain('stack');
  });

  it('refuses formulas too long in all before parsing them, at once', () => {
    // 1,000 formulas of 10,000 characters each: within each formula's limit, minutes of parsing in all.
    const formulas = Array.from({ length: 1000 }, (_, i) => ({ name: `f${i}`, expr: Array(5000).fill('x').join('+') }));
    const result = enclave(['simulate', model('long', { formulas, outputs: ['f0'] })]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(
      /: formulas: the formulas hold 9,999,000 characters in all; a model's formulas hold at most 1,000,000\n$/,
    );
    expect(result.seconds).toBeLessThan(5);
  });

  it('refuses a run that needs more memory than the limit, at once and with the figures', () => {
    const wide = model('wide', {
      formulas: Array.from({ length: 100 }, (_, i) => ({ name: `o${i}`, expr: `x + ${i}` })),
      outputs: Array.from({ length: 100 }, (_, i) => `o${i}`),
    });
    const result = enclave(['simulate', wide, '--iterations', '3000000', '--memory-limit', '1G']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(
      /^.*wide.*: this run needs about 2\.\d GB of memory; the limit is 1\.0 GB: lower --iterations or the number of outputs, or raise --memory-limit\n$/,
    );
    expect(result.seconds).toBeLessThan(2);
    // Without --memory-limit the limit is half this machine's memory: 100 outputs × 100,000,000 iterations is 80 GB.
    const huge = enclave(['simulate', wide, '--iterations', '100000000']);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain(`the limit is ${(totalmem() / 2 / 1e9).toFixed(1)} GB`);
    expect(huge.seconds).toBeLessThan(2);
    expect(enclave(['simulate', wide, '--memory-limit', 'lots']).code).toBe(2);
  });
});

describe('enclave simulate: markings and text from the file', () => {
  it("refuses a model marked above the site's system high, and runs it on a site that may hold it", () => {
    const secret = model('secret plan', { marking: 'TOP SECRET//SI//NOFORN' });
    const refused = enclave(['simulate', secret, '--iterations', '1000']);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(
      `${secret}: the model is marked TOP SECRET//SI//NOFORN, above this system's high (UNCLASSIFIED): it cannot be handled here\n`,
    );
    const ran = enclave(['simulate', secret, '--iterations', '1000'], siteAt('TOP SECRET//SI//NOFORN'));
    expect(ran.code).toBe(0);
    expect(ran.stdout.split('\n')[0]).toBe('TOP SECRET//SI//NOFORN');
  });

  it('prints the canonical marking, not the text the file gave', () => {
    const portion = enclave(['simulate', model('portion', { marking: 'U' }), '--iterations', '1000']);
    expect(portion.code).toBe(0);
    expect(portion.stdout.split('\n')[0]).toBe('UNCLASSIFIED');
  });

  it('refuses a marking that holds escape codes, and prints no escape byte', () => {
    const result = enclave([
      'simulate',
      model('fake banner', { marking: '\u001b[42m\u001b[30mUNCLASSIFIED\u001b[0m' }),
      '--iterations',
      '1000',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/is not a valid marking/);
    expect(result.stderr).not.toMatch(TERMINAL_CONTROLS);
  });

  it('shows control characters in a model name as escapes, as text and in JSON', () => {
    const name = 'plan\u001b[42m GREEN \u001b[0m\u009b31m\u202eemanlave\nUNCLASSIFIED//FAKE';
    const path = model(name);
    const text = enclave(['simulate', path, '--iterations', '1000']);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(TERMINAL_CONTROLS);
    expect(text.stdout).toContain(
      'plan\\u001b[42m GREEN \\u001b[0m\\u009b31m\\u202eemanlave\\u000aUNCLASSIFIED//FAKE: 1000 iterations',
    );
    const json = enclave(['simulate', path, '--iterations', '1000', '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(TERMINAL_CONTROLS);
    expect((JSON.parse(json.stdout) as { model: string }).model).toBe(name);
  });

  it('prints no control character from a file that is not JSON', () => {
    const path = join(work, 'not-json.json');
    // Outside a string, so JSON.parse's message quotes the text around it.
    writeFileSync(path, '{"name": "plan", "inputs": [1, \u001b[2J\u001b[42m cleared \u009b2J \u202e]}');
    const result = enclave(['simulate', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a readable JSON model/);
    expect(result.stderr).not.toMatch(TERMINAL_CONTROLS);
  });
});
