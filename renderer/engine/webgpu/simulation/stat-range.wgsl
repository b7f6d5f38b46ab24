// The range pass of the GPU statistics, run only when some output's wanted bins were crowded
// (a discrete output: its few values fill the bins that hold the ranks). For each output marked
// in its plan (bit 9 of shift_mode; its `offset` then numbers it among the marked ones), per bin
// of both kinds: the largest inverted key (so the smallest key) and the largest key of the finite
// values in it. Per marked output, 4 × bins words, zero-initialised: linear bins' inverted
// smallest keys, their largest keys, then the same for the ulp bins. A bin whose two agree
// holds one value only, which the host then knows without collecting it.
override WORKGROUP_SIZE: u32 = 256u;
const RANGE_ITEMS: u32 = 16u;

@group(0) @binding(0) var<uniform> range_params: StatParams;
@group(0) @binding(1) var<storage, read> range_values: array<f32>;
@group(0) @binding(2) var<storage, read> range_plans: array<OutputPlan>;
@group(0) @binding(3) var<storage, read_write> range_keys: array<atomic<u32>>;

// Unconditional, with the old value unused, as pass two's counts are: the GPU need not wait for
// an answer. (On an H100, reading each bound first to skip writes that change nothing gave this
// pass 0.45 s for 10^8 iterations of the every-distribution model; gathering a workgroup's bins
// in shared memory first was no quicker.)
@compute @workgroup_size(WORKGROUP_SIZE)
fn output_range(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let output = wg.y;
  let plan = range_plans[output];
  if (plan.in_use == 0u || (plan.shift_mode & 0x200u) == 0u) {
    return;
  }
  let bins = range_params.bins;
  let first = 4u * plan.offset * bins;
  let base = wg.x * WORKGROUP_SIZE * RANGE_ITEMS;
  for (var i = 0u; i < RANGE_ITEMS; i++) {
    let index = base + i * WORKGROUP_SIZE + lid;
    if (index < range_params.count) {
      let x = range_values[output * range_params.stride + index];
      if (stat_is_finite(x)) {
        let key = stat_key(x);
        let linear = first + stat_linear_bin(x, plan, bins);
        let ulp = first + 2u * bins + stat_ulp_bin(x, plan, bins);
        atomicMax(&range_keys[linear], ~key);
        atomicMax(&range_keys[linear + bins], key);
        atomicMax(&range_keys[ulp], ~key);
        atomicMax(&range_keys[ulp + bins], key);
      }
    }
  }
}
