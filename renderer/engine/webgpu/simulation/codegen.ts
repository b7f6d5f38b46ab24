/**
 * The WGSL compute kernel of one model: the library files (Philox, the f32 uniform conversion,
 * special functions, quantiles, helpers) and a generated entry point that, per invocation, draws
 * the four iterations' uniforms of every input, applies LHS and the Gaussian copula, samples,
 * evaluates the formulas in order and stores the outputs (and the kept inputs).
 */
import type { CompiledModel } from '../../../../common/engine/compile-model';
import philoxSource from '../philox.wgsl?raw';
import uniformsSource from '../uniforms.wgsl?raw';
import { defineProgram, type ComputeProgram } from '../program';
import distributionsSource from './distributions.wgsl?raw';
import { expressionToWgsl } from './expression';
import kernelSource from './kernel.wgsl?raw';
import { HEADER_WORDS, NOT_CORRELATED, type ModelLayout } from './layout';
import mathSource from './math.wgsl?raw';
import { TABLE_LAST, TABLE_SCALE, TABLE_ZERO } from './tables';

/** Four iterations per invocation: the four words of one Philox block. */
export const ITERATIONS_PER_INVOCATION = 4;
export const SIMULATION_WORKGROUP_SIZE = 64;

const tableConstants = [
  `const TABLE_SCALE: f32 = ${TABLE_SCALE}.0;`,
  `const TABLE_ZERO: u32 = ${TABLE_ZERO}u;`,
  `const TABLE_LAST: u32 = ${TABLE_LAST}u;`,
].join('\n');

/** Names in comments only; a formula's text never reaches the WGSL source. */
const comment = (text: string) => text.replace(/[^\x20-\x7e]/g, ' ');

/**
 * The entry point. Inputs are sampled in a loop over a private array of columns (samplers are
 * picked at run time from the header, so the kernel's size does not grow with the inputs); the
 * formulas are unrolled, one `let` per column, in evaluation order.
 */
export function simulationEntryPoint(compiled: CompiledModel, layout: ModelLayout, sampling: 'mc' | 'lhs'): string {
  const n = layout.inputs.length;
  const lines: string[] = [];
  const add = (line: string) => lines.push(`  ${line}`);
  const draw = (k: string) =>
    sampling === 'lhs' ? `lhs_unit(sim_unit(counter, ${k}), ${k}, first)` : `sim_unit(counter, ${k})`;
  add('let first = 4u * (gid.y * groups.x * WORKGROUP_SIZE + gid.x);');
  add('if (first >= sim.count) {');
  add('  return;');
  add('}');
  add('let counter = sim_counter(first / 4u);');
  add(`var cols: array<vec4<f32>, ${n}>;`);

  const copula = layout.copula;
  if (copula) {
    const m = copula.inputs.length;
    const chol = copula.offset + m;
    add(`// Gaussian copula over ${m} inputs (simulate-cpu.ts correlate): their normals, mixed by the`);
    add("// Cholesky factor from the last row up, in place in the inputs' own columns.");
    add(`for (var j = 0u; j < ${m}u; j++) {`);
    add(`  let k = model_data[${copula.offset}u + j];`);
    add(`  cols[k] = normal_quantile4(${draw('k')});`);
    add('}');
    add(`for (var row = ${m - 1}i; row >= 0i; row--) {`);
    add('  var y = vec4<f32>(0.0);');
    add('  for (var col = 0i; col <= row; col++) {');
    add(`    y = y + md_f(${chol}u + u32(row) * ${m}u + u32(col)) * cols[model_data[${copula.offset}u + u32(col)]];`);
    add('  }');
    add(`  cols[model_data[${copula.offset}u + u32(row)]] = y;`);
    add('}');
  }
  add(`for (var k = 0u; k < ${n}u; k++) {`);
  if (copula) {
    add('  var r: Unit4;');
    add(`  if (model_data[k * ${HEADER_WORDS}u + 14u] != ${NOT_CORRELATED}u) {`);
    add('    r = copula_unit(cols[k]);');
    add('  } else {');
    add(`    r = ${draw('k')};`);
    add('  }');
  } else {
    add(`  let r = ${draw('k')};`);
  }
  add('  cols[k] = sample_input(k, r);');
  add('}');

  const column = (name: string) => {
    const index = compiled.columns.get(name);
    if (index === undefined) throw new Error(`The formula refers to ${name}, which is not a column of the model.`);
    return index < n ? `cols[${index}]` : `col${index}`;
  };
  let temporaries = 0;
  const bind = (code: string) => {
    const name = `t${temporaries++}`;
    add(`let ${name} = ${code};`);
    return name;
  };
  compiled.formulas.forEach((formula, f) => {
    add(`// ${comment(formula.name)}`);
    const code = expressionToWgsl(formula.tree, column, bind);
    add(`let col${n + f} = ${code};`);
  });

  compiled.outputs.forEach((name, o) => add(`store_out(${o}u, first, ${column(name)}); // ${comment(name)}`));
  add('if (first < sim.keep_len) {');
  add(`  for (var k = 0u; k < ${n}u; k++) {`);
  add('    store_keep(k, first, cols[k]);');
  add('  }');
  add('}');

  return [
    '@compute @workgroup_size(WORKGROUP_SIZE)',
    'fn simulate(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {',
    ...lines,
    '}',
  ].join('\n');
}

/** The program of a model: cached by its source, so the same structure with other parameters reuses the pipeline. */
export function simulationProgram(
  compiled: CompiledModel,
  layout: ModelLayout,
  sampling: 'mc' | 'lhs',
): ComputeProgram {
  return defineProgram({
    label: `simulation kernel (${layout.inputs.length} inputs, ${compiled.formulas.length} formulas, ${sampling})`,
    sources: [
      philoxSource,
      uniformsSource,
      mathSource,
      tableConstants,
      distributionsSource,
      kernelSource,
      simulationEntryPoint(compiled, layout, sampling),
    ],
    entryPoint: 'simulate',
    workgroupSize: SIMULATION_WORKGROUP_SIZE,
  });
}
