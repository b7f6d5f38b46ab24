// Raw Philox blocks for given counters and keys: the known-answer check of the WGSL arithmetic.
// Appended to philox.wgsl.

override WORKGROUP_SIZE: u32 = 64u;

struct BlockParams {
  count: u32,
  rounds: u32,
}

@group(0) @binding(0) var<uniform> block_params: BlockParams;
@group(0) @binding(1) var<storage, read> block_counters: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> block_keys: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read_write> block_out: array<vec4<u32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn philox_blocks(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let index = gid.y * groups.x * WORKGROUP_SIZE + gid.x;
  if (index >= block_params.count) {
    return;
  }
  block_out[index] = philox4x32_rounds(block_counters[index], block_keys[index], block_params.rounds);
}
