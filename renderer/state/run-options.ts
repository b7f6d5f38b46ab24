/** The run options as typed, and their checks (pure: the unit tests pin them). */
export interface OptionsText {
  iterations: string;
  seed: string;
  /** A new random seed for each run (shown in the seed field and kept with the run). */
  randomSeed: boolean;
  sampling: 'mc' | 'lhs';
  engine: 'auto' | 'webgpu' | 'cpu';
  /** Stop when converged: `iterations` is then the most it runs. */
  autoStop: boolean;
  /** Auto-stop's tolerance, in percent of the estimate. */
  tolerance: string;
  /** Save the run's samples with it (within the cap). */
  keepSamples: boolean;
}

export const MAX_ITERATIONS = 100_000_000;
export const MAX_SEED = 0xffff_ffff; // the Philox key word is 32 bits

export type Checked = { ok: true; value: number } | { ok: false; message: string };

/** A whole number typed with optional thousands separators (1,000,000 or 1 000 000 or 1_000_000) or as 1e6. */
function wholeNumber(text: string): number | null {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d+(\.\d+)?(e\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isSafeInteger(value) ? value : null;
}

export function checkIterations(text: string): Checked {
  const value = wholeNumber(text);
  if (value === null) return { ok: false, message: 'Iterations must be a whole number, such as 1,000,000.' };
  if (value < 1 || value > MAX_ITERATIONS)
    return { ok: false, message: `Iterations must be between 1 and ${MAX_ITERATIONS.toLocaleString('en-US')}.` };
  return { ok: true, value };
}

export function checkSeed(text: string): Checked {
  const value = wholeNumber(text);
  if (value === null || value > MAX_SEED)
    return { ok: false, message: `The seed must be a whole number from 0 to ${MAX_SEED.toLocaleString('en-US')}.` };
  return { ok: true, value };
}

/** Auto-stop's tolerance as a fraction, or null when auto-stop is off. */
export function checkAutoStop(
  options: Pick<OptionsText, 'autoStop' | 'tolerance' | 'sampling'>,
): { ok: true; value: number | null } | { ok: false; message: string } {
  if (!options.autoStop) return { ok: true, value: null };
  if (options.sampling === 'lhs')
    return {
      ok: false,
      message: 'Auto-stop works with Monte Carlo sampling (Latin Hypercube strata are fixed by the run size).',
    };
  const value = Number(options.tolerance.trim().replace(/%$/, ''));
  if (!Number.isFinite(value) || value <= 0 || value > 50)
    return { ok: false, message: 'The tolerance is a percentage above 0 and at most 50, such as 0.5.' };
  return { ok: true, value: value / 100 };
}

/** A seed from the platform's random source, within the seed's range. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/**
 * Memory a run needs at its peak, in bytes: every output twice in the workers (values and their
 * sorted copy), then in the statistics worker one output's joined values, sorted runs and merge
 * on top of that. Shown before a large run, so a run too big for this machine is not a surprise.
 */
export function peakMemoryBytes(iterations: number, outputs: number): number {
  return (2 * outputs + 3) * 8 * iterations;
}
