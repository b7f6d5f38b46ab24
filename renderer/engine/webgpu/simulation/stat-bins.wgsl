// Pass two of the GPU statistics: every finite value of every output counted in its linear bin
// and in its ulp bin (atomics, params.bins of each kind per output, kept across chunks), and per
// workgroup the sums of the first to fourth powers of its deviation from the moments pass's mean
// (two-pass), merged in f64 on the host.
override WORKGROUP_SIZE: u32 = 256u;
const BIN_ITEMS: u32 = 16u;

@group(0) @binding(0) var<uniform> bin_params: StatParams;
@group(0) @binding(1) var<storage, read> bin_values: array<f32>;
@group(0) @binding(2) var<storage, read> bin_plans: array<OutputPlan>;
@group(0) @binding(3) var<storage, read_write> bin_counts: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read_write> bin_powers: array<vec4<f32>>;

var<workgroup> bin_scratch: array<vec4<f32>, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn output_bins(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let output = wg.y;
  let plan = bin_plans[output];
  let base = wg.x * WORKGROUP_SIZE * BIN_ITEMS;
  var sums = vec4<f32>(0.0, 0.0, 0.0, 0.0);
  for (var i = 0u; i < BIN_ITEMS; i++) {
    let index = base + i * WORKGROUP_SIZE + lid;
    if (index < bin_params.count) {
      let x = bin_values[output * bin_params.stride + index];
      if (stat_is_finite(x)) {
        if (plan.in_use != 0u) {
          let bins = bin_params.bins;
          let base_bin = 2u * output * bins;
          atomicAdd(&bin_counts[base_bin + stat_linear_bin(x, plan, bins)], 1u);
          atomicAdd(&bin_counts[base_bin + bins + stat_ulp_bin(x, plan, bins)], 1u);
        }
        let d = x - plan.mean;
        let d2 = d * d;
        sums = sums + vec4<f32>(d, d2, d2 * d, d2 * d2);
      }
    }
  }
  bin_scratch[lid] = sums;
  workgroupBarrier();
  for (var half = WORKGROUP_SIZE / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      bin_scratch[lid] = bin_scratch[lid] + bin_scratch[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    bin_powers[output * bin_params.groups_per_output + wg.x] = bin_scratch[0];
  }
}
