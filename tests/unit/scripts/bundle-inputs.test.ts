import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBundleInputs } from '../../../scripts/bundle-inputs.mjs';

// dist/meta/*-inputs.json: what the SBOM reads to learn which packages a bundle was made from.
describe('bundle input records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-bundle-inputs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps project-relative file paths only, sorted and once each, whatever order the bundler gave', () => {
    const project = '/work/project';
    const file = join(dir, 'meta', 'renderer-inputs.json');
    writeBundleInputs(
      file,
      'renderer',
      {
        'dist/renderer/b.js': [
          `${project}/node_modules/zod/index.js`,
          '\0vite/modulepreload-polyfill',
          `${project}/renderer/app.tsx?worker&url`,
          `${project}/node_modules/zod/index.js`,
        ],
        'dist/renderer/a.js': ['(disabled):node_modules/x/fs.js', 'common/a.ts'],
      },
      project,
    );
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual({
      format: 'enclave-bundle-inputs/1',
      bundle: 'renderer',
      outputs: {
        'dist/renderer/a.js': ['common/a.ts'],
        'dist/renderer/b.js': ['node_modules/zod/index.js', 'renderer/app.tsx'],
      },
    });
    expect(text).not.toContain(project);
  });
});
