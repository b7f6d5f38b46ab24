/**
 * The raw samples of a run, iteration by iteration: what every analysis (comparison, scenarios,
 * tornado variants, spider, tail drivers, scatter, convergence, sample export) is computed from.
 * Index i of every array is the same iteration. A run may keep fewer iterations than it ran (the
 * user's cap): `iterations` is how many are here, and every array has exactly that length.
 */
export interface RunSamples {
  iterations: number;
  /** Each input's sampled values, by input name. */
  inputs: Record<string, Float64Array>;
  /** Each output's values, by output name (NaN where the formula had no finite value). */
  outputs: Record<string, Float64Array>;
}
