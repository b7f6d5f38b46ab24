import type { Node } from './ast';

/**
 * Compiles an expression tree into closures that evaluate a whole block of iterations at once
 * over Float64Arrays. No eval or new Function: the app's CSP forbids both, and closures over
 * typed arrays are fast enough that the loop, not the dispatch, dominates.
 */
export type BlockFn = (columns: readonly Float64Array[], length: number) => Float64Array;

/**
 * Excel's ROUND: half away from zero, to `digits` decimal places (negative digits round left of
 * the point). Trimming the scaled value to 15 significant digits first removes binary noise, so
 * round(1.005, 2) is 1.01 as an analyst expects, not 1.00.
 */
export function roundHalfAway(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const factor = 10 ** Math.trunc(digits);
  const scaled = Number((Math.abs(x) * factor).toPrecision(15));
  return (Math.sign(x) * Math.round(scaled)) / factor;
}

const UNARY_FUNCTIONS: Record<string, (x: number) => number> = {
  abs: Math.abs,
  exp: Math.exp,
  ln: Math.log,
  log10: Math.log10,
  sqrt: Math.sqrt,
  floor: Math.floor,
  ceil: Math.ceil,
};

type Loop = (a: Float64Array, b: Float64Array, out: Float64Array, length: number) => void;

/**
 * One loop per operator, each its own function, so every loop is monomorphic and V8 compiles it
 * to a tight machine loop (a shared loop switching on the operator, or calling Math.max through
 * a variable, measured several times slower).
 */
const BINARY_LOOPS: Record<string, Loop> = {
  '+': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! + b[i]!;
  },
  '-': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! - b[i]!;
  },
  '*': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! * b[i]!;
  },
  '/': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! / b[i]!;
  },
  '^': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! ** b[i]!;
  },
  '<': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! < b[i]! ? 1 : 0;
  },
  '<=': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! <= b[i]! ? 1 : 0;
  },
  '>': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! > b[i]! ? 1 : 0;
  },
  '>=': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! >= b[i]! ? 1 : 0;
  },
  '==': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! === b[i]! ? 1 : 0;
  },
  '!=': (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = a[i]! !== b[i]! ? 1 : 0;
  },
  min: (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = Math.min(a[i]!, b[i]!);
  },
  max: (a, b, out, length) => {
    for (let i = 0; i < length; i++) out[i] = Math.max(a[i]!, b[i]!);
  },
};

/** `slots` maps each name to its column index in the `columns` passed at run time. */
export function compileExpression(node: Node, slots: ReadonlyMap<string, number>, blockSize: number): BlockFn {
  const build = (n: Node): BlockFn => {
    // Each node's block is allocated on its first evaluation, not here: a model compiled only to be
    // checked (the CLI's and the page's main thread) or refused as too big costs no blocks at all.
    let block: Float64Array | undefined;
    const output = () => (block ??= new Float64Array(blockSize));
    switch (n.kind) {
      case 'number': {
        const value = n.value;
        return () => block ?? output().fill(value);
      }
      case 'name': {
        const slot = slots.get(n.name);
        if (slot === undefined) throw new Error(`no column for ${n.name}`);
        return (columns) => columns[slot]!;
      }
      case 'unary': {
        const operand = build(n.operand);
        if (n.op === '+') return operand;
        return (columns, length) => {
          const a = operand(columns, length);
          const out = output();
          for (let i = 0; i < length; i++) out[i] = -a[i]!;
          return out;
        };
      }
      case 'binary': {
        const left = build(n.left);
        const right = build(n.right);
        const loop = BINARY_LOOPS[n.op]!;
        return (columns, length) => {
          const out = output();
          loop(left(columns, length), right(columns, length), out, length);
          return out;
        };
      }
      case 'call': {
        const args = n.args.map(build);
        const unary = UNARY_FUNCTIONS[n.fn];
        if (unary) {
          const [arg] = args;
          return (columns, length) => {
            const a = arg!(columns, length);
            const out = output();
            for (let i = 0; i < length; i++) out[i] = unary(a[i]!);
            return out;
          };
        }
        switch (n.fn) {
          case 'if':
            return (columns, length) => {
              const [c, t, f] = args.map((arg) => arg(columns, length)) as [Float64Array, Float64Array, Float64Array];
              const out = output();
              for (let i = 0; i < length; i++) out[i] = c[i] !== 0 && !Number.isNaN(c[i]) ? t[i]! : f[i]!;
              return out;
            };
          case 'min':
          case 'max': {
            const loop = BINARY_LOOPS[n.fn]!;
            return (columns, length) => {
              const out = output();
              out.set(args[0]!(columns, length).subarray(0, length));
              for (let k = 1; k < args.length; k++) loop(out, args[k]!(columns, length), out, length);
              return out;
            };
          }
          case 'pow':
            return (columns, length) => {
              const a = args[0]!(columns, length);
              const b = args[1]!(columns, length);
              const out = output();
              for (let i = 0; i < length; i++) out[i] = a[i]! ** b[i]!;
              return out;
            };
          case 'round':
            return (columns, length) => {
              const a = args[0]!(columns, length);
              const d = args[1]?.(columns, length);
              const out = output();
              for (let i = 0; i < length; i++) out[i] = roundHalfAway(a[i]!, d ? d[i]! : 0);
              return out;
            };
          default:
            throw new Error(`unhandled function ${n.fn}`);
        }
      }
    }
  };
  return build(node);
}
