import { buildModel, structuralErrors, type CompileResult, type ModelParts } from './build-model';
import { describeModelIssues, MAX_FORMULA_CHARACTERS, ModelSchema } from '../model/model';

export { buildModel, type CompiledModel, type CompileResult } from './build-model';

/**
 * Validates a model file's content and compiles it; every problem is reported at once, each
 * naming its input or formula: where the schema finds problems, the names, correlations,
 * formulas and outputs are still checked as far as they can be read, so fixing the first
 * problems does not reveal new ones.
 */
export function compileModel(raw: unknown, blockSize = 4096): CompileResult {
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = describeModelIssues(raw, parsed.error);
    for (const error of structuralErrors(readableParts(raw))) if (!errors.includes(error)) errors.push(error);
    return { ok: false, errors };
  }
  return buildModel(parsed.data, blockSize);
}

/**
 * The parts of a model that failed the schema that can still be checked: each entry whose names
 * are text, within the schema's limits (so a huge file costs no more here than a valid one).
 */
function readableParts(raw: unknown): ModelParts {
  const model = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const list = (value: unknown): Record<string, unknown>[] =>
    Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
  const text = (value: unknown): value is string => typeof value === 'string';
  let characters = 0;
  const withinLimit = (expr: string) => expr.length <= 10_000 && (characters += expr.length) <= MAX_FORMULA_CHARACTERS;
  return {
    inputs: list(model.inputs)
      .slice(0, 1000)
      .flatMap((i) => (text(i.name) ? [{ name: i.name }] : [])),
    correlations: list(model.correlations)
      .slice(0, 10_000)
      .flatMap((c) =>
        text(c.a) && text(c.b) ? [{ a: c.a, b: c.b, rank: typeof c.rank === 'number' ? c.rank : 0 }] : [],
      ),
    formulas: list(model.formulas)
      .slice(0, 1000)
      .flatMap((f) => (text(f.name) && text(f.expr) && withinLimit(f.expr) ? [{ name: f.name, expr: f.expr }] : [])),
    outputs: Array.isArray(model.outputs) ? model.outputs.slice(0, 100).filter(text) : [],
  };
}
