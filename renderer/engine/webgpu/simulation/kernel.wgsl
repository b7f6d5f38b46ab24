// Bindings and helpers of the simulation kernel. codegen.ts appends the model's own entry point.
// One invocation runs four consecutive iterations, the four words of one Philox block per input,
// so every column of the model is a vec4<f32> (lane j = iteration first + j).

struct SimParams {
  seed: u32,
  // Iterations in this chunk; the chunk starts on a multiple of four.
  count: u32,
  // Philox block of the chunk's first iteration (iteration / 4), as a 64-bit counter.
  block_lo: u32,
  block_hi: u32,
  // Slots per column in sim_out and lhs_perm.
  stride: u32,
  // Iterations of this chunk whose inputs are kept, and slots per input in sim_keep.
  keep_len: u32,
  keep_stride: u32,
  // Latin Hypercube: iterations in the whole run, as u32 and as f32.
  total: u32,
  total_f: f32,
}

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<storage, read> model_data: array<u32>;
@group(0) @binding(2) var<storage, read_write> sim_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> sim_keep: array<f32>;
// The chunk's slice of each input's LHS permutation (bound only by LHS kernels).
@group(0) @binding(4) var<storage, read> lhs_perm: array<u32>;

// Four uniform pairs: u and c = 1 - u per lane.
struct Unit4 {
  u: vec4<f32>,
  c: vec4<f32>,
}

fn sim_counter(t: u32) -> vec4<u32> {
  let lo = sim.block_lo + t;
  return vec4<u32>(lo, sim.block_hi + select(0u, 1u, lo < sim.block_lo), 0u, 0u);
}

// fillUniforms' mapping (common/engine/rng.ts): key (seed, stream). 1 - toUnitInterval(w) is
// toUnitInterval(~w), so the complement is rounded once from its exact value too.
fn sim_unit(counter: vec4<u32>, stream: u32) -> Unit4 {
  let w = philox4x32_10(counter, vec2<u32>(sim.seed, stream));
  let u = vec4<f32>(unit_interval_f32(w.x), unit_interval_f32(w.y), unit_interval_f32(w.z), unit_interval_f32(w.w));
  let c = vec4<f32>(unit_interval_f32(~w.x), unit_interval_f32(~w.y), unit_interval_f32(~w.z), unit_interval_f32(~w.w));
  return Unit4(u, c);
}

// fillLhsUniforms: u = (perm + u) / total, taken as perm / total + u / total so the lowest and
// highest strata keep u's relative precision; c from the strata above.
fn lhs_unit(r: Unit4, stream: u32, first: u32) -> Unit4 {
  let last = sim.count - 1u;
  let base = stream * sim.stride;
  let p = vec4<u32>(lhs_perm[base + min(first, last)], lhs_perm[base + min(first + 1u, last)], lhs_perm[base + min(first + 2u, last)], lhs_perm[base + min(first + 3u, last)]);
  let below = vec4<f32>(p);
  let above = vec4<f32>(vec4<u32>(sim.total - 1u) - p);
  return Unit4(below / sim.total_f + r.u / sim.total_f, above / sim.total_f + r.c / sim.total_f);
}

fn normal_quantile4(r: Unit4) -> vec4<f32> {
  var z: vec4<f32>;
  for (var j = 0u; j < 4u; j++) {
    z[j] = normal_quantile_pair(r.u[j], r.c[j]);
  }
  return z;
}

// The copula's way back (simulate-cpu.ts correlate): Phi(y), clamped into [2^-53, 1 - 2^-53].
fn copula_unit(y: vec4<f32>) -> Unit4 {
  var r: Unit4;
  for (var j = 0u; j < 4u; j++) {
    let p = max(normal_cdf_pair(y[j]), vec2<f32>(1.1102230246251565e-16));
    r.u[j] = p.x;
    r.c[j] = p.y;
  }
  return r;
}

// Truncation (withModifiers): u -> F(lo) + u (F(hi) - F(lo)), c -> (1 - F(hi)) + c (F(hi) - F(lo)).
fn truncate4(r: Unit4, h: u32) -> Unit4 {
  let span = md_f(h + 10u);
  return Unit4(md_f(h + 9u) + r.u * span, md_f(h + 11u) + r.c * span);
}

// Header word 15: the sampler (layout.ts SAMPLER_CODES) in bits 8 and up, truncation in bit 0.
fn sample_one(kind: u32, u: f32, c: f32, h: u32) -> f32 {
  switch kind {
    case 0u: { return q_normal(u, c, h); }
    case 1u: { return q_lognormal(u, c, h); }
    case 2u: { return q_uniform(u, c, h); }
    case 3u: { return q_triangular(u, c, h); }
    case 4u: { return q_exponential(u, c, h); }
    case 5u: { return q_weibull(u, c, h); }
    case 6u: { return q_tabulated(u, c, h); }
    case 7u: { return q_step(u, c, h); }
    default: { return q_cumulative(u, c, h); }
  }
}

// One input's four samples from its uniform pairs: truncation, inverse CDF, clamp, shift. A loop
// over inputs calling this keeps the kernel's size independent of the model's (SwiftShader
// inlines every call, and compile time grows with the code).
fn sample_input(k: u32, r: Unit4) -> vec4<f32> {
  let h = k * 16u;
  let flags = model_data[h + 15u];
  let truncated = (flags & 1u) != 0u;
  var p = r;
  if (truncated) {
    p = truncate4(r, h);
  }
  var x: vec4<f32>;
  for (var j = 0u; j < 4u; j++) {
    x[j] = sample_one(flags >> 8u, p.u[j], p.c[j], h);
  }
  if (truncated) {
    x = clamp(x, vec4<f32>(md_f(h + 12u)), vec4<f32>(md_f(h + 13u)));
  }
  return x + md_f(h + 8u);
}

// A zero is stored as +0, whatever arithmetic made it (0 * -5 is -0), as the CPU engine stores
// it: -0 and +0 compare equal but sort apart, and no report should show a -0.
fn store_out(column: u32, first: u32, v: vec4<f32>) {
  for (var j = 0u; j < 4u; j++) {
    if (first + j < sim.count) {
      sim_out[column * sim.stride + first + j] = select(v[j], 0.0, v[j] == 0.0);
    }
  }
}

fn store_keep(input: u32, first: u32, v: vec4<f32>) {
  for (var j = 0u; j < 4u; j++) {
    if (first + j < sim.keep_len) {
      sim_keep[input * sim.keep_stride + first + j] = v[j];
    }
  }
}

// Formula helpers, with the CPU evaluator's semantics (common/engine/expression/compile.ts).

fn lit4(bits: u32) -> vec4<f32> {
  return vec4<f32>(f32_from_bits(bits));
}

fn bool4(b: vec4<bool>) -> vec4<f32> {
  return select(vec4<f32>(0.0), vec4<f32>(1.0), b);
}

// Comparisons give 1 or 0, and any comparison with NaN is false except !=, as in JavaScript.
// WGSL lets compilers assume floats are never NaN (SwiftShader's NaN == NaN is true), so the NaN
// case is masked by the bit test.
fn ordered4(a: vec4<f32>, b: vec4<f32>) -> vec4<bool> {
  return !(is_nan4(a) | is_nan4(b));
}

fn lt4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return bool4((a < b) & ordered4(a, b));
}

fn le4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return bool4((a <= b) & ordered4(a, b));
}

fn gt4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return bool4((a > b) & ordered4(a, b));
}

fn ge4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return bool4((a >= b) & ordered4(a, b));
}

fn eq4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return bool4((a == b) & ordered4(a, b));
}

fn ne4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return bool4((a != b) | !ordered4(a, b));
}

// if(): the condition holds when it is non-zero and not NaN.
fn if4(cond: vec4<f32>, yes: vec4<f32>, no: vec4<f32>) -> vec4<f32> {
  return select(no, yes, (cond != vec4<f32>(0.0)) & !is_nan4(cond));
}

// Math.min / Math.max: NaN if either is NaN (WGSL's min and max may return the other operand).
fn min4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return select(min(a, b), vec4<f32>(nan_f32()), is_nan4(a) | is_nan4(b));
}

fn max4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return select(max(a, b), vec4<f32>(nan_f32()), is_nan4(a) | is_nan4(b));
}

// Outside their domains WGSL leaves log and sqrt undefined (SwiftShader's log of a negative number
// is finite), so NaN and -Infinity are set explicitly, as Math.log and Math.sqrt give them.
fn ln4(x: vec4<f32>) -> vec4<f32> {
  let y = select(log(x), vec4<f32>(-f32_from_bits(0x7f800000u)), x == vec4<f32>(0.0));
  return select(y, vec4<f32>(nan_f32()), (x < vec4<f32>(0.0)) | is_nan4(x));
}

fn log10_4(x: vec4<f32>) -> vec4<f32> {
  return ln4(x) * 0.43429448190325182;
}

fn sqrt4(x: vec4<f32>) -> vec4<f32> {
  return select(sqrt(x), vec4<f32>(nan_f32()), (x < vec4<f32>(0.0)) | is_nan4(x));
}

// JavaScript's a ** b: x ** 0 is 1, negative bases take whole exponents, whole exponents up to 64
// are multiplied out (WGSL's pow is exp2(b log2 a), undefined for a < 0 and less exact).
fn pow_js(a: f32, b: f32) -> f32 {
  if (b == 0.0) {
    return 1.0;
  }
  if (is_nan(a) || is_nan(b)) {
    return nan_f32();
  }
  let whole = floor(b) == b && is_finite(b);
  if (whole && abs(b) <= 64.0) {
    var base = a;
    var n = u32(abs(b));
    var result = 1.0;
    while (n > 0u) {
      if ((n & 1u) == 1u) { result = result * base; }
      base = base * base;
      n = n >> 1u;
    }
    return select(result, 1.0 / result, b < 0.0);
  }
  if (a < 0.0) {
    if (!whole) {
      return nan_f32();
    }
    // Whole exponents beyond 2^24 are even in f32; below, odd ones keep the sign.
    let odd = abs(b) < 16777216.0 && (u32(abs(b)) & 1u) == 1u;
    let m = pow(-a, b);
    return select(m, -m, odd);
  }
  if (a == 0.0) {
    return select(0.0, f32_from_bits(0x7f800000u), b < 0.0);
  }
  return pow(a, b);
}

fn pow4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  var x: vec4<f32>;
  for (var j = 0u; j < 4u; j++) {
    x[j] = pow_js(a[j], b[j]);
  }
  return x;
}

// Excel's ROUND, half away from zero, to `digits` places (negative: left of the point). Powers of
// ten up to 10^10 are exact in f32; f32 keeps no digits at 10^38 and beyond.
fn round_js(x: f32, digits: f32) -> f32 {
  if (!is_finite(x)) {
    return x;
  }
  if (is_nan(digits)) {
    return nan_f32();
  }
  let d = trunc(digits);
  if (d >= 38.0) {
    return x;
  }
  if (d <= -39.0) {
    return x * 0.0;
  }
  let p = pow(10.0, abs(d));
  let scaled = select(abs(x) / p, abs(x) * p, d >= 0.0);
  var r = floor(scaled);
  if (scaled - r >= 0.5) {
    r = r + 1.0;
  }
  return sign(x) * select(r * p, r / p, d >= 0.0);
}

fn round4(x: vec4<f32>, digits: vec4<f32>) -> vec4<f32> {
  var y: vec4<f32>;
  for (var j = 0u; j < 4u; j++) {
    y[j] = round_js(x[j], digits[j]);
  }
  return y;
}
