/**
 * A formula's expression tree as WGSL over vec4<f32> (four iterations per invocation), with the
 * semantics of the CPU evaluator (common/engine/expression/compile.ts): comparisons give 1 or 0,
 * if() takes a non-zero, non-NaN condition as true, min and max propagate NaN, ^ and pow follow
 * JavaScript's **, round is Excel's. The helpers (if4, min4, pow4, round4, ...) are in kernel.wgsl.
 */
import type { Node } from '../../../../common/engine/expression/ast';

const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/**
 * A number as f32 bits passed through lit4(): literals that overflow f32 become infinities at run
 * time (a WGSL constant expression that overflows is a compile error), and every value is exact.
 */
export function literal(value: number): string {
  asFloat[0] = value;
  return `lit4(0x${bits[0]!.toString(16).padStart(8, '0')}u)`;
}

const BUILTINS: Partial<Record<string, string>> = {
  abs: 'abs',
  exp: 'exp',
  sqrt: 'sqrt4',
  floor: 'floor',
  ceil: 'ceil',
  ln: 'ln4',
  log10: 'log10_4',
};
const COMPARISONS: Partial<Record<string, string>> = {
  '<': 'lt4',
  '<=': 'le4',
  '>': 'gt4',
  '>=': 'ge4',
  '==': 'eq4',
  '!=': 'ne4',
};

/**
 * Nesting depth at which a subexpression becomes its own `let`: Tint's parser stops at a fixed
 * recursion depth, and each parenthesised level costs several of its grammar levels, so a long
 * sum (a + b + c + ... parses left-deep) would not compile as one expression.
 */
const MAX_NESTING = 8;

interface Emitted {
  code: string;
  depth: number;
}

/**
 * `column(name)` gives the WGSL identifier of an input's or formula's column; `bind(code)` declares
 * a `let` for a deep subexpression and gives its name.
 */
export function expressionToWgsl(node: Node, column: (name: string) => string, bind: (code: string) => string): string {
  const flat = (code: string, depth: number): Emitted =>
    depth > MAX_NESTING ? { code: bind(code), depth: 0 } : { code, depth };
  const combine = (parts: Emitted[], make: (codes: string[]) => string): Emitted =>
    flat(make(parts.map((p) => p.code)), 1 + Math.max(0, ...parts.map((p) => p.depth)));
  const emit = (n: Node): Emitted => {
    switch (n.kind) {
      case 'number':
        return { code: literal(n.value), depth: 0 };
      case 'name':
        return { code: column(n.name), depth: 0 };
      case 'unary':
        return n.op === '+' ? emit(n.operand) : combine([emit(n.operand)], ([a]) => `(-${a})`);
      case 'binary': {
        const parts = [emit(n.left), emit(n.right)];
        const comparison = COMPARISONS[n.op];
        if (n.op === '^') return combine(parts, ([a, b]) => `pow4(${a}, ${b})`);
        if (comparison) return combine(parts, ([a, b]) => `${comparison}(${a}, ${b})`);
        return combine(parts, ([a, b]) => `(${a} ${n.op} ${b})`);
      }
      case 'call': {
        const args = n.args.map(emit);
        const builtin = BUILTINS[n.fn];
        if (builtin) return combine(args, ([a]) => `${builtin}(${a})`);
        switch (n.fn) {
          case 'if':
            return combine(args, ([c, t, f]) => `if4(${c}, ${t}, ${f})`);
          case 'min':
          case 'max':
            // Left to right, as the CPU folds Math.min / Math.max.
            return args
              .slice(1)
              .reduce((acc, arg) => combine([acc, arg], ([a, b]) => `${n.fn}4(${a}, ${b})`), args[0]!);
          case 'pow':
            return combine(args, ([a, b]) => `pow4(${a}, ${b})`);
          case 'round':
            return combine(
              args.length > 1 ? args : [...args, { code: literal(0), depth: 0 }],
              ([a, d]) => `round4(${a}, ${d})`,
            );
          default:
            throw new Error(`The GPU kernel has no translation for the function ${n.fn}.`);
        }
      }
    }
  };
  return emit(node).code;
}
