import { planCorrelation, type CorrelationAdjustment, type CorrelationPlan } from './correlation';
import { makeDistribution, withModifiers, type Continuous, type DistributionSpec } from './distributions/catalog';
import type { Node } from './expression/ast';
import { compileExpression, type BlockFn } from './expression/compile';
import { orderFormulas } from './expression/graph';
import type { Model } from '../model/model';

export interface CompiledModel {
  model: Model;
  inputs: { name: string; distribution: Continuous }[];
  /** Formulas in evaluation order, each compiled for blocks of `blockSize` iterations. */
  formulas: { name: string; tree: Node; evaluate: BlockFn }[];
  /** Column index of every name: inputs first, then formulas. */
  columns: Map<string, number>;
  outputs: string[];
  blockSize: number;
  /** The Gaussian copula for correlated inputs, or null when inputs are independent. */
  correlation: { plan: CorrelationPlan; columns: number[] } | null;
  /** Where the requested rank correlations were not a valid matrix: what was asked and what is used. */
  correlationAdjustments: CorrelationAdjustment[];
}

export type CompileResult = { ok: true; compiled: CompiledModel } | { ok: false; errors: string[] };

export interface ModelParts {
  inputs: readonly { name: string }[];
  correlations: readonly { a: string; b: string; rank: number }[];
  formulas: readonly { name: string; expr: string }[];
  outputs: readonly string[];
}

/** What a model's parts need of each other: unique input names, known names in correlations, formulas and outputs. */
export function structuralErrors(model: ModelParts): string[] {
  return checkStructure(model).errors;
}

function checkStructure(model: ModelParts) {
  const errors: string[] = [];
  const inputNames = model.inputs.map((i) => i.name);
  const seen = new Set<string>();
  for (const name of inputNames) {
    if (seen.has(name)) errors.push(`inputs.${name}: defined more than once`);
    seen.add(name);
  }
  const { plan, errors: correlationErrors } = planCorrelation(inputNames, model.correlations);
  errors.push(...correlationErrors);
  const { ordered, issues } = orderFormulas(inputNames, model.formulas);
  for (const issue of issues)
    errors.push(`formulas.${issue.message}${issue.position === undefined ? '' : ` (at character ${issue.position})`}`);
  const defined = new Set([...inputNames, ...model.formulas.map((f) => f.name)]);
  for (const output of model.outputs)
    if (!defined.has(output)) errors.push(`outputs: "${output}" is not an input or a formula`);
  return { errors, plan, ordered };
}

/**
 * Compiles a model that has already passed the schema (the engine workers get it from the page or
 * the CLI, which validated it): no zod here, so a worker's bundle stays small and starts quickly.
 */
export function buildModel(model: Model, blockSize = 4096): CompileResult {
  const { errors, plan, ordered } = checkStructure(model);
  if (errors.length > 0) return { ok: false, errors };
  const inputNames = model.inputs.map((i) => i.name);
  const columns = new Map<string, number>();
  inputNames.forEach((name, i) => columns.set(name, i));
  ordered.forEach((formula, i) => columns.set(formula.name, inputNames.length + i));
  return {
    ok: true,
    compiled: {
      model,
      inputs: model.inputs.map((input) => ({
        name: input.name,
        distribution: withModifiers(makeDistribution(input.dist as DistributionSpec), {
          ...(input.truncate ? { truncate: input.truncate } : {}),
          ...(input.shift === undefined ? {} : { shift: input.shift }),
        }),
      })),
      formulas: ordered.map((formula) => ({
        name: formula.name,
        tree: formula.tree,
        evaluate: compileExpression(formula.tree, columns, blockSize),
      })),
      columns,
      outputs: model.outputs,
      blockSize,
      correlation: plan ? { plan, columns: plan.names.map((name) => inputNames.indexOf(name)) } : null,
      correlationAdjustments: plan?.adjustments ?? [],
    },
  };
}
