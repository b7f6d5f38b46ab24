// Inverse CDFs of the sixteen distributions, in f32, reading their parameters from the model data
// that layout.ts packs: each input has a 16-word header at `h` (dist parameters in words 0-7, then
// shift, F(lo), F(hi) - F(lo), 1 - F(hi), lo, hi, copula position, sampler and truncation flag)
// and, for tabulated ones, a table elsewhere in the same buffer. Every quantile takes the uniform pair (u, c = 1 - u). A library: appended
// after math.wgsl; kernel.wgsl declares model_data.

fn md_f(i: u32) -> f32 {
  return bitcast<f32>(model_data[i]);
}

fn q_normal(u: f32, c: f32, h: u32) -> f32 {
  return md_f(h) + md_f(h + 1u) * normal_quantile_pair(u, c);
}

// exp(mu + sigma z) as e^mu * exp(sigma z) where e^mu fits in f32 (word 2 > 0): WGSL's exp loses
// 2 ulp per unit of its argument, so the large, constant part is taken on the CPU in f64.
fn q_lognormal(u: f32, c: f32, h: u32) -> f32 {
  let z = normal_quantile_pair(u, c);
  let median = md_f(h + 2u);
  if (median > 0.0) {
    return median * exp(md_f(h + 1u) * z);
  }
  return exp(md_f(h) + md_f(h + 1u) * z);
}

fn q_uniform(u: f32, c: f32, h: u32) -> f32 {
  return md_f(h) + md_f(h + 1u) * u;
}

// min a, max b, F(mode) in word 2, (b - a)(mode - a) and (b - a)(b - mode) in words 3 and 4.
fn q_triangular(u: f32, c: f32, h: u32) -> f32 {
  if (u < md_f(h + 2u)) {
    return md_f(h) + sqrt(u * md_f(h + 3u));
  }
  return md_f(h + 1u) - sqrt(c * md_f(h + 4u));
}

fn q_exponential(u: f32, c: f32, h: u32) -> f32 {
  return md_f(h) * neg_log1p_pair(u, c);
}

// scale in word 0, 1 / shape in word 1.
fn q_weibull(u: f32, c: f32, h: u32) -> f32 {
  return md_f(h) * pow(neg_log1p_pair(u, c), md_f(h + 1u));
}

// Beta, PERT, gamma, Student t: cubic Hermite through (x, dx/dk) at knots t = k / TABLE_SCALE in
// logit(u), k = -TABLE_ZERO ..= TABLE_LAST - TABLE_ZERO (codegen.ts defines the three constants).
// The grid contains t = 0 and its step is a power of two, so the knot index and the fraction are
// exact in f32. Beyond the end knots the end value is kept.
fn q_tabulated(u: f32, c: f32, h: u32) -> f32 {
  let s = clamp(logit_pair(u, c) * TABLE_SCALE, -f32(TABLE_ZERO), f32(TABLE_LAST - TABLE_ZERO));
  let k = min(u32(i32(floor(s)) + i32(TABLE_ZERO)), TABLE_LAST - 1u);
  let f = s - f32(i32(k) - i32(TABLE_ZERO));
  let at = model_data[h] + 2u * k;
  let f2 = f * f;
  let f3 = f2 * f;
  return (2.0 * f3 - 3.0 * f2 + 1.0) * md_f(at) + (f3 - 2.0 * f2 + f) * md_f(at + 1u) + (3.0 * f2 - 2.0 * f3) * md_f(at + 2u) + (f3 - f2) * md_f(at + 3u);
}

// Bernoulli, discrete, Poisson, binomial: the smallest support point whose CDF reaches u, as the
// CPU's search does. Table at word 0 with n = word 1 entries: CDF[n], 1 - CDF[n], value[n]. The
// upper half searches the complement with c, where the CDF itself would round to 1 in f32.
fn q_step(u: f32, c: f32, h: u32) -> f32 {
  let at = model_data[h];
  let n = model_data[h + 1u];
  var lo = 0u;
  var hi = n - 1u;
  if (u <= 0.5) {
    while (lo < hi) {
      let mid = (lo + hi) / 2u;
      if (md_f(at + mid) >= u) { hi = mid; } else { lo = mid + 1u; }
    }
  } else {
    while (lo < hi) {
      let mid = (lo + hi) / 2u;
      if (md_f(at + n + mid) <= c) { hi = mid; } else { lo = mid + 1u; }
    }
  }
  return md_f(at + 2u * n + lo);
}

// Cumulative: linear between points. Table at word 0 with n = word 1 points: probability[n], value[n].
fn q_cumulative(u: f32, c: f32, h: u32) -> f32 {
  let at = model_data[h];
  let n = model_data[h + 1u];
  var lo = 1u;
  var hi = n - 1u;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (md_f(at + mid) >= u) { hi = mid; } else { lo = mid + 1u; }
  }
  let p0 = md_f(at + lo - 1u);
  let p1 = md_f(at + lo);
  let x0 = md_f(at + n + lo - 1u);
  let x1 = md_f(at + n + lo);
  if (p1 == p0) {
    return x1;
  }
  return x0 + ((u - p0) / (p1 - p0)) * (x1 - x0);
}
