// Writes docs/enclave-model-1.schema.json from the zod schema in common/model/model.ts, so the
// documented JSON Schema cannot drift from what the engine accepts (a unit test compares them).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const dir = mkdtempSync(join(tmpdir(), 'enclave-schema-'));
try {
  const outfile = join(dir, 'model.cjs');
  await build({
    entryPoints: ['common/model/model-json-schema.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  const { modelJsonSchema } = createRequire(import.meta.url)(outfile);
  writeFileSync('docs/enclave-model-1.schema.json', `${JSON.stringify(modelJsonSchema(), null, 2)}\n`);
  console.log('wrote docs/enclave-model-1.schema.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
