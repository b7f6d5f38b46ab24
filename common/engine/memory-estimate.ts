import type { CompiledModel } from './build-model';
import { BLOCK_ITERATIONS } from './cpu/partition';
import type { Node } from './expression/ast';
import { FINE_BINS } from './order-statistics';

/** The process that runs it, before the run: Node or the page, the bundles, the compiled model (the CLI: ~65 MB measured). */
const PROCESS_BASE_BYTES = 64 * 1024 * 1024;
/** A worker's own memory before it holds any of the run (its isolate and the engine bundle: ~9.4 MB measured idle). */
const WORKER_BASE_BYTES = 16 * 1024 * 1024;

export interface RunShape {
  iterations: number;
  /** Iterations of every input kept for the sensitivity analysis. */
  keepInputs: number;
  sampling: 'mc' | 'lhs';
  /** Workers the run is spread over. */
  workers: number;
  /** Auto-stop joins each round onto the last: every value twice at the end. */
  autoStop?: boolean;
}

/** Nodes of a formula's tree, counted without recursion. */
export function countNodes(tree: Node): number {
  let count = 0;
  const stack: Node[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    count++;
    if (node.kind === 'unary') stack.push(node.operand);
    else if (node.kind === 'binary') stack.push(node.left, node.right);
    else if (node.kind === 'call') stack.push(...node.args);
  }
  return count;
}

/**
 * The memory a CPU engine run needs at its peak, in bytes, reckoned before it starts:
 * - the process itself;
 * - every output's values, 8 bytes each (twice with auto-stop, which joins its rounds);
 * - the kept inputs five times over: the run's copy, each worker's (until it ends), their ranks and
 *   the standardized copy the sensitivity analysis makes, and what the collector has not yet freed
 *   (300 inputs kept for 200,000 iterations peaked at 2.4 GB, 5.2 copies' worth with the rest);
 * - each worker: its own start-up, one block of every input, uniform, formula and formula node,
 *   its fine-bin counts of every output, and with Latin Hypercube a permutation of the whole run
 *   per input;
 * - the counts of every worker gathered for the exact percentiles.
 * It is there to refuse a run this machine cannot hold before the run has taken the memory, not to
 * be exact: 100 outputs × 1,000,000 iterations on 2 workers is reckoned 1.07 GB and peaked at
 * 1.08 GB (maximum resident set of `enclave simulate`).
 */
export function estimateRunMemory(compiled: CompiledModel, run: RunShape): number {
  const outputs = compiled.outputs.length;
  const inputs = compiled.inputs.length;
  const formulas = compiled.formulas.length;
  const nodes = compiled.formulas.reduce((sum, formula) => sum + countNodes(formula.tree), 0);
  const workers = Math.max(1, Math.min(run.workers, run.iterations));
  const values = outputs * run.iterations * 8 * (run.autoStop ? 2 : 1);
  const kept = inputs * Math.min(run.keepInputs, run.iterations) * 8 * 5;
  const counts = outputs * FINE_BINS * 4;
  const perWorker =
    WORKER_BASE_BYTES +
    BLOCK_ITERATIONS * 8 * (2 * inputs + formulas + nodes) +
    counts +
    (run.sampling === 'lhs' ? inputs * run.iterations * 4 : 0);
  return PROCESS_BASE_BYTES + values + kept + workers * perWorker + (workers + 1) * counts;
}

/** Bytes in words, in decimal units as `free` and file managers show them: "2.4 GB", "512.0 MB". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Why a run will not fit, in words, or null when it does. */
export function memoryRefusal(needed: number, limit: number, lower: string): string | null {
  if (needed <= limit) return null;
  return `this run needs about ${describeBytes(needed)} of memory; the limit is ${describeBytes(limit)}: ${lower}`;
}
