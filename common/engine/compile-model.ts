import { buildModel, type CompileResult } from './build-model';
import { describeModelIssues, ModelSchema } from '../model/model';

export { buildModel, type CompiledModel, type CompileResult } from './build-model';

/** Validates a model file's content and compiles it; every problem is reported, each naming its input or formula. */
export function compileModel(raw: unknown, blockSize = 4096): CompileResult {
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: describeModelIssues(raw, parsed.error) };
  return buildModel(parsed.data, blockSize);
}
