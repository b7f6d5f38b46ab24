// Pass three of the GPU statistics: the finite values that fall in a wanted fine bin (one that
// holds a rank the percentiles and the CDF read), appended to their output's slots in any order.
// The host sorts these few and picks the ranks: exactly the values a full sort would give.
override WORKGROUP_SIZE: u32 = 256u;

@group(0) @binding(0) var<uniform> collect_params: StatParams;
@group(0) @binding(1) var<storage, read> collect_values: array<f32>;
@group(0) @binding(2) var<storage, read> collect_plans: array<OutputPlan>;
@group(0) @binding(3) var<storage, read> collect_wanted: array<u32>;
@group(0) @binding(4) var<storage, read_write> collect_cursor: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> collect_out: array<f32>;

const COLLECT_ITEMS: u32 = 16u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn output_collect(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let output = wg.y;
  let plan = collect_plans[output];
  if (plan.in_use == 0u) {
    return;
  }
  let base = wg.x * WORKGROUP_SIZE * COLLECT_ITEMS;
  for (var i = 0u; i < COLLECT_ITEMS; i++) {
    let index = base + i * WORKGROUP_SIZE + lid;
    if (index < collect_params.count) {
      let x = collect_values[output * collect_params.stride + index];
      if (!stat_is_finite(x)) {
        continue;
      }
      let bins = collect_params.bins;
      var bin = stat_linear_bin(x, plan, bins);
      if ((plan.shift_mode & 0x100u) != 0u) {
        bin = stat_ulp_bin(x, plan, bins);
      }
      if (collect_wanted[output * bins + bin] != 0u) {
        let slot = atomicAdd(&collect_cursor[output], 1u);
        // The bin counts bound the slots; the guard only keeps a miscount from writing past them.
        if (slot < plan.capacity) {
          collect_out[plan.offset + slot] = x;
        }
      }
    }
  }
}
