import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';

/**
 * `enclave simulate` on outputs whose statistics are undefined — one with no finite value (0/0) and
 * one that never varies (no skewness, no sensitivity) — prints "—" and says why, as the run screen
 * does, instead of "NaN" or an empty sensitivity line; --json gives null for them.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-cli-undefined-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
writeFileSync(join(work, 'site-config.json'), JSON.stringify({ systemHigh: 'UNCLASSIFIED' }));
const modelPath = join(work, 'model.json');
writeFileSync(
  modelPath,
  JSON.stringify({
    format: 'enclave-model/1',
    name: 'Undefined statistics',
    marking: 'UNCLASSIFIED',
    inputs: [{ name: 'x', dist: { type: 'normal', mean: 10, sd: 1 } }],
    formulas: [
      { name: 'nothing', expr: '(x - x) / 0' },
      { name: 'constant', expr: 'x - x + 5' },
      { name: 'twice', expr: 'x * 2' },
    ],
    outputs: ['nothing', 'constant', 'twice'],
  }),
);

function simulate(...extra: string[]) {
  const env = { ...process.env };
  delete env.ENCLAVE_SITE_CONFIG;
  const result = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'dist', 'node', 'cli.cjs'),
      '--data-dir',
      work,
      'simulate',
      modelPath,
      '--iterations',
      '2000',
      ...extra,
    ],
    { encoding: 'utf8', env, timeout: 30_000 },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** The lines of one output's block in the text report. */
function block(text: string, name: string): string[] {
  const lines = text.split('\n').filter((line) => line !== '');
  const start = lines.indexOf(name);
  const end = lines.findIndex((line, i) => i > start && /^\S/.test(line));
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('enclave simulate: undefined statistics', () => {
  const text = simulate();

  it('prints no NaN anywhere', () => {
    expect(text).not.toMatch(/NaN/);
  });

  it('an output with no finite value: "—" for every statistic, and no sensitivity, with the reason', () => {
    const lines = block(text, 'nothing');
    expect(lines[1]).toBe('  mean —  (95% CI — to —)  sd —');
    expect(lines.join('\n')).toContain('2000 iterations gave no finite value');
    expect(lines.at(-1)).toBe('  sensitivity: none (no finite values)');
  });

  it('a constant output: its mean and percentiles, "—" for skewness and kurtosis, no sensitivity', () => {
    const lines = block(text, 'constant');
    expect(lines[1]).toBe('  mean 5.0000  (95% CI 5.0000 to 5.0000)  sd 0.0000');
    expect(lines[2]).toBe('  min 5.0000  max 5.0000  skewness —  excess kurtosis —');
    expect(lines.at(-1)).toBe('  sensitivity: none (the output does not vary)');
  });

  it('an ordinary output is unchanged', () => {
    const lines = block(text, 'twice');
    expect(lines.at(-1)).toMatch(/^ {2}sensitivity \(R² 1\.000\): x SRC 1\.000 rank ρ 1\.000 100\.0%$/);
  });

  it('--json gives null for undefined statistics', () => {
    const json = JSON.parse(simulate('--json')) as { outputs: Record<string, { mean: unknown; skewness: unknown }> };
    expect(json.outputs.nothing!.mean).toBeNull();
    expect(json.outputs.constant!.skewness).toBeNull();
    expect(json.outputs.constant!.mean).toBe(5);
  });
});
