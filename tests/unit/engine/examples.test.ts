import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../common/engine/compile-model';
import { modelJsonSchema } from '../../../common/model/model-json-schema';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarize } from '../../../common/engine/statistics';
import { parseMarking } from '../../../common/markings';
import { repoRoot } from '../../support/services';

const dir = join(repoRoot, 'resources', 'models');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('example models', () => {
  it('include the project, revenue and availability models', () => {
    expect(files.sort()).toEqual(['project-cost-schedule.json', 'revenue-forecast.json', 'service-availability.json']);
  });

  it.each(files)('%s is valid, properly marked, and runs', (file) => {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { marking: string };
    expect(parseMarking(raw.marking).ok).toBe(true);
    const result = compileModel(raw);
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    for (const [name, values] of Object.entries(
      simulateCpu(result.compiled, { iterations: 20_000, seed: 11 }).outputs,
    )) {
      const s = summarize(values);
      expect(s.nonFinite, name).toBe(0);
      expect(s.sd, name).toBeGreaterThan(0);
    }
  });

  it('the documented JSON Schema is the one generated from the zod schema', () => {
    const committed = JSON.parse(
      readFileSync(join(repoRoot, 'docs', 'enclave-model-1.schema.json'), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(modelJsonSchema())));
  });
});
