// Inverse of the standard normal CDF: P. J. Acklam's rational approximation (relative error
// below 1.2e-9 over the open unit interval), far below Monte Carlo sampling error, and cheap
// enough for the GPU kernel to use the same formula. The coefficients are written inline (not
// read from arrays) so the function stays small enough for V8 to inline into sampling loops.
const P_LOW = 0.02425;

/** The lower tail (p < P_LOW); the upper tail is its mirror image. */
function tail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return (
    (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q +
      4.374664141464968) *
      q +
      2.938163982698783) /
    ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1)
  );
}

export function standardNormalQuantile(p: number): number {
  if (p >= P_LOW && p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r -
        3.066479806614716e1) *
        r +
        2.506628277459239) *
        q) /
      (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r -
        1.328068155288572e1) *
        r +
        1)
    );
  }
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : Number.NaN;
  return p < P_LOW ? tail(p) : -tail(1 - p);
}
