import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SENSITIVITY_ITERATIONS } from '../../../common/engine/summary';
import { TRACE_ITERATIONS } from '../../../common/engine/cpu/convergence-trace';
import { checkReportTargets, TargetExists, writeWhole } from '../../../hosts/cli/report-files';
import { cliReportRun } from '../../../hosts/cli/report-run';

// Where `enclave simulate --report` writes, and the run it reports; the CLI itself is run in
// tests/integration/cli-report.test.ts.
const dir = mkdtempSync(join(tmpdir(), 'enclave-report-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the report targets', () => {
  it('takes a new .pdf and .xlsx in folders that exist, and a CSV folder to make', () => {
    expect(
      checkReportTargets({ report: join(dir, 'r.pdf'), xlsx: join(dir, 'r.xlsx'), csvDir: join(dir, 'new-tables') }),
    ).toEqual({
      ok: true,
      targets: { pdf: join(dir, 'r.pdf'), xlsx: join(dir, 'r.xlsx'), csvDir: join(dir, 'new-tables'), force: false },
    });
    expect(checkReportTargets({})).toEqual({
      ok: true,
      targets: { pdf: null, xlsx: null, csvDir: null, force: false },
    });
  });

  it('refuses a file that is there unless --force, and what is not a file even with it', () => {
    const there = join(dir, 'there.pdf');
    writeFileSync(there, 'old');
    expect(checkReportTargets({ report: there })).toEqual({
      ok: false,
      message: `--report: ${there} exists; nothing was written (give --force to replace it)`,
    });
    expect(checkReportTargets({ report: there, force: true }).ok).toBe(true);
    const folder = join(dir, 'folder.pdf');
    mkdirSync(folder);
    expect(checkReportTargets({ report: folder, force: true })).toMatchObject({
      ok: false,
      message: /not a regular file/,
    });
    const link = join(dir, 'link.pdf');
    symlinkSync(there, link);
    expect(checkReportTargets({ report: link, force: true })).toMatchObject({
      ok: false,
      message: /not a regular file/,
    });
    expect(checkReportTargets({ report: join(dir, 'r.pdf'), csvDir: there })).toMatchObject({
      ok: false,
      message: /is there and is not a folder/,
    });
  });
});

describe('writing a report file', () => {
  it('writes it whole, owner-only, leaving no temporary file', () => {
    const path = join(dir, 'whole.pdf');
    writeWhole(path, new TextEncoder().encode('%PDF-1.7 whole'), false);
    expect(readFileSync(path, 'utf8')).toBe('%PDF-1.7 whole');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('never replaces a file that appeared after the check, without --force; replaces it with', () => {
    const path = join(dir, 'raced.pdf');
    writeFileSync(path, 'written meanwhile');
    expect(() => writeWhole(path, new TextEncoder().encode('new'), false)).toThrow(TargetExists);
    expect(readFileSync(path, 'utf8')).toBe('written meanwhile');
    writeWhole(path, new TextEncoder().encode('new'), true);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});

describe("the CLI's run in the report", () => {
  const n = SENSITIVITY_ITERATIONS + 10;
  const outputs = { cost: Float64Array.from({ length: n }, (_, i) => i) };
  const inputs = { a: Float64Array.from({ length: SENSITIVITY_ITERATIONS }, (_, i) => -i) };
  const base = {
    banner: 'UNCLASSIFIED',
    seed: 7,
    sampling: 'mc' as const,
    iterations: n,
    threads: 4,
    startedAt: new Date('2026-12-02T10:00:00Z'),
    finishedAt: new Date('2026-12-02T10:00:03Z'),
    autoStop: null,
    summary: { outputs: {}, sensitivity: {} },
    outputs,
  };

  it('is "this run" with its settings, and keeps the iterations whose inputs it kept', () => {
    const run = cliReportRun({ ...base, inputs });
    expect(run).toMatchObject({
      label: 'this run',
      seed: 7,
      engine: 'cpu',
      engineDescription: 'CPU worker threads (4), enclave simulate',
      iterations: n,
      startedAt: '2026-12-02T10:00:00.000Z',
      finishedAt: '2026-12-02T10:00:03.000Z',
    });
    expect(run.samples!.iterations).toBe(SENSITIVITY_ITERATIONS);
    expect(run.samples!.outputs.cost!.length).toBe(SENSITIVITY_ITERATIONS);
    expect(run.samples!.inputs.a![5]).toBe(-5);
    // The trace reads the first TRACE_ITERATIONS, as the app's engine does.
    expect(run.trace.cost!.n.at(-1)).toBe(Math.min(n, TRACE_ITERATIONS));
  });

  it('has no samples when the run kept no inputs', () => {
    expect(cliReportRun({ ...base, inputs: undefined }).samples).toBeNull();
  });
});
