// Scalar f32 special functions of the simulation kernel. A library: appended after philox.wgsl and
// uniforms.wgsl, before distributions.wgsl. Every uniform travels as a pair (u, c) with c = 1 - u,
// each rounded once from the exact value, so both tails keep full relative precision in f32.

// A float from its bits at run time: WGSL rejects NaN and infinities in constant expressions, and
// a call to a user function never is one.
fn f32_from_bits(bits: u32) -> f32 {
  return bitcast<f32>(bits);
}

fn nan_f32() -> f32 {
  return f32_from_bits(0x7fc00000u);
}

// Tested on the bits: WGSL lets compilers assume that float comparisons never see NaN.
fn is_nan(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

fn is_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn is_nan4(x: vec4<f32>) -> vec4<bool> {
  return (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u);
}

// ln((1 + y) / (1 - y)) = 2 atanh(y) for |y| <= 1/3, by its series (1e-9 relative). WGSL's log is
// only accurate to an absolute 2^-21 near 1, too coarse where the result itself is small.
fn log_ratio_series(y: f32) -> f32 {
  let y2 = y * y;
  var s = 1.0 / 17.0;
  s = s * y2 + 1.0 / 15.0;
  s = s * y2 + 1.0 / 13.0;
  s = s * y2 + 1.0 / 11.0;
  s = s * y2 + 1.0 / 9.0;
  s = s * y2 + 1.0 / 7.0;
  s = s * y2 + 1.0 / 5.0;
  s = s * y2 + 1.0 / 3.0;
  s = s * y2 + 1.0;
  return 2.0 * y * s;
}

// logit(u) = ln(u / c).
fn logit_pair(u: f32, c: f32) -> f32 {
  let y = u - c;
  if (abs(y) <= 1.0 / 3.0) {
    return log_ratio_series(y);
  }
  return log(u) - log(c);
}

// -ln(1 - u), what log1p(-u) gives the CPU: the series below 1/2, ln of the exact complement above.
fn neg_log1p_pair(u: f32, c: f32) -> f32 {
  if (u <= 0.5) {
    return log_ratio_series(u / (2.0 - u));
  }
  return -log(c);
}

// The standard normal quantile. In the tails (u or c below 0.02425) P. J. Acklam's rational
// approximation, the formula of common/engine/distributions/normal.ts, taking the upper tail from
// c. In between, Acklam's rational function cancels badly in f32 near the region's edges (errors
// up to 4e-4 in z), so the centre uses M. Giles' single-precision erfinv ("Approximating the
// erfinv function", GPU Computing Gems, 2011): z = sqrt(2) erfinv(u - c), within 5e-7 of Acklam.
const ACKLAM_P_LOW: f32 = 0.02425;

fn acklam_tail(q: f32) -> f32 {
  let num = ((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783;
  let den = (((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1.0;
  return num / den;
}

fn normal_quantile_pair(u: f32, c: f32) -> f32 {
  if (u < ACKLAM_P_LOW) {
    return acklam_tail(sqrt(-2.0 * log(u)));
  }
  if (c < ACKLAM_P_LOW) {
    return -acklam_tail(sqrt(-2.0 * log(c)));
  }
  // erfinv(x) for x = u - c = 2u - 1; (1 - x)(1 + x) = 4uc.
  let w = -log(4.0 * u * c) - 2.5;
  var p = 2.81022636e-08;
  p = 3.43273939e-07 + p * w;
  p = -3.5233877e-06 + p * w;
  p = -4.39150654e-06 + p * w;
  p = 0.00021858087 + p * w;
  p = -0.00125372503 + p * w;
  p = -0.00417768164 + p * w;
  p = 0.246640727 + p * w;
  p = 1.50140941 + p * w;
  return 1.41421356237309505 * p * (u - c);
}

// erfc(z) for z >= 0 (Numerical Recipes' erfcc, fractional error below 1.2e-7). z = zh + zl with
// zh on 12 bits, so zh * zh is exact and exp(-z^2) keeps its relative precision in the tail.
fn erfc_nonneg(z: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.5 * z);
  let poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let zh = bitcast<f32>(bitcast<u32>(z) & 0xfffff000u);
  return t * exp(-zh * zh) * exp((zh - z) * (zh + z) + poly);
}

// (Phi(y), 1 - Phi(y)): the smaller one straight from erfc, so it keeps full relative precision.
fn normal_cdf_pair(y: f32) -> vec2<f32> {
  let small = 0.5 * erfc_nonneg(abs(y) * 0.70710678118654752);
  if (y < 0.0) {
    return vec2<f32>(small, 1.0 - small);
  }
  return vec2<f32>(1.0 - small, small);
}
