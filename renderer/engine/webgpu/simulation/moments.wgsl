// Per-chunk moments of every output, reduced on the GPU: each workgroup takes MOMENT_ITEMS values
// per thread of one output and writes (finite count, mean, sum of squared deviations, min, max).
// Welford per thread and Chan's pairwise merge in the tree keep f32 sums stable where a plain sum
// of squares would cancel; moments.ts merges the partials in f64.

override WORKGROUP_SIZE: u32 = 256u;
const MOMENT_ITEMS: u32 = 16u;

struct MomentParams {
  count: u32,
  stride: u32,
  groups_per_output: u32,
}

struct Moment {
  n: f32,
  mean: f32,
  m2: f32,
  lo: f32,
  hi: f32,
}

@group(0) @binding(0) var<uniform> moment_params: MomentParams;
@group(0) @binding(1) var<storage, read> moment_values: array<f32>;
@group(0) @binding(2) var<storage, read_write> moment_partials: array<Moment>;

var<workgroup> moment_scratch: array<Moment, WORKGROUP_SIZE>;

// Infinities from their bits at run time: WGSL rejects them in constant expressions.
fn moment_from_bits(bits: u32) -> f32 {
  return bitcast<f32>(bits);
}

fn moment_empty() -> Moment {
  return Moment(0.0, 0.0, 0.0, moment_from_bits(0x7f800000u), moment_from_bits(0xff800000u));
}

fn moment_merge(a: Moment, b: Moment) -> Moment {
  let n = a.n + b.n;
  if (b.n == 0.0) {
    return a;
  }
  if (a.n == 0.0) {
    return b;
  }
  let delta = b.mean - a.mean;
  let wb = b.n / n;
  return Moment(n, a.mean + delta * wb, a.m2 + b.m2 + delta * delta * a.n * wb, min(a.lo, b.lo), max(a.hi, b.hi));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn output_moments(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let output = wg.y;
  let base = wg.x * WORKGROUP_SIZE * MOMENT_ITEMS;
  var m = moment_empty();
  for (var i = 0u; i < MOMENT_ITEMS; i++) {
    let index = base + i * WORKGROUP_SIZE + lid;
    if (index < moment_params.count) {
      let x = moment_values[output * moment_params.stride + index];
      if ((bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u) {
        m.n = m.n + 1.0;
        let delta = x - m.mean;
        m.mean = m.mean + delta / m.n;
        m.m2 = m.m2 + delta * (x - m.mean);
        m.lo = min(m.lo, x);
        m.hi = max(m.hi, x);
      }
    }
  }
  moment_scratch[lid] = m;
  workgroupBarrier();
  for (var half = WORKGROUP_SIZE / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      moment_scratch[lid] = moment_merge(moment_scratch[lid], moment_scratch[lid + half]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    moment_partials[output * moment_params.groups_per_output + wg.x] = moment_scratch[0];
  }
}
