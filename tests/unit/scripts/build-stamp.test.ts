import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build scripts, without type declarations.
import { isUpToDate, writeStamp } from '../../../scripts/build-stamp.mjs';

// `npm run enclave` runs the build with --if-changed: it must skip a build only when nothing changed.
describe('build stamp', () => {
  let dir: string;
  let stamp: string;
  let input: string;
  let output: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'enclave-stamp-'));
    stamp = join(dir, 'stamp.json');
    input = join(dir, 'cli.ts');
    output = join(dir, 'cli.cjs');
    writeFileSync(input, 'export const a = 1;\n');
    writeFileSync(output, 'bundle');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is up to date after a build when nothing changed', () => {
    writeStamp(stamp, [input]);
    expect(isUpToDate(stamp, [output])).toBe(true);
  });

  it('needs a build when an input changed, even to content of the same length', () => {
    writeStamp(stamp, [input]);
    writeFileSync(input, 'export const a = 2;\n');
    expect(isUpToDate(stamp, [output])).toBe(false);
  });

  it('needs a build when an input or an output is gone, or there is no stamp', () => {
    expect(isUpToDate(stamp, [output])).toBe(false);
    writeStamp(stamp, [input]);
    rmSync(output);
    expect(isUpToDate(stamp, [output])).toBe(false);
    writeFileSync(output, 'bundle');
    rmSync(input);
    expect(isUpToDate(stamp, [output])).toBe(false);
  });

  it('needs a build when the stamp is damaged', () => {
    writeFileSync(stamp, '{"inputs":');
    expect(isUpToDate(stamp, [output])).toBe(false);
  });
});
