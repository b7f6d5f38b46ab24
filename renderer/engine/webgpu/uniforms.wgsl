// Uniforms for one stream (an input of the model), with exactly the mapping of fillUniforms in
// common/engine/rng.ts: iteration i takes word i % 4 of the Philox4x32-10 block at counter
// (floor(i / 4) mod 2^32, floor(i / 2^34), 0, 0) under key (seed, stream). Output slot k holds
// iteration first + k. Appended to philox.wgsl.
//
// One invocation computes one block and writes the (up to) four slots that come from it, so each
// block is computed once even when `first` is not a multiple of four.

override WORKGROUP_SIZE: u32 = 64u;

struct StreamParams {
  seed: u32,
  stream: u32,
  // The first iteration as a 64-bit integer (JavaScript numbers reach 2^53).
  first_lo: u32,
  first_hi: u32,
  count: u32,
}

@group(0) @binding(0) var<uniform> stream_params: StreamParams;
@group(0) @binding(1) var<storage, read_write> words_out: array<u32>;
@group(0) @binding(2) var<storage, read_write> floats_out: array<f32>;

// The block of invocation t: block index floor(first / 4) + t, as a 64-bit (lo, hi) counter.
fn stream_block(t: u32) -> vec4<u32> {
  let first_block_lo = (stream_params.first_lo >> 2u) | (stream_params.first_hi << 30u);
  let first_block_hi = stream_params.first_hi >> 2u;
  let block_lo = first_block_lo + t;
  let block_hi = first_block_hi + select(0u, 1u, block_lo < first_block_lo); // carry
  return philox4x32_10(vec4<u32>(block_lo, block_hi, 0u, 0u), vec2<u32>(stream_params.seed, stream_params.stream));
}

// Output slot of word j of invocation t's block, or 0xffffffff when that iteration is outside
// [first, first + count). Iteration 4 * (floor(first / 4) + t) + j sits at slot 4t + j - first % 4.
fn stream_slot(t: u32, j: u32) -> u32 {
  let phase = stream_params.first_lo & 3u;
  let offset = t * 4u + j;
  if (offset < phase) {
    return 0xffffffffu;
  }
  let slot = offset - phase;
  return select(0xffffffffu, slot, slot < stream_params.count);
}

fn stream_invocation(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.y * groups.x * WORKGROUP_SIZE + gid.x;
}

// The uniform in (0, 1) that toUnitInterval gives, (word + 0.5) * 2^-32, rounded once to f32: both
// terms are exact in f32 and their sum is rounded once. Words within 2^7 of 2^32 would round to
// exactly 1.0, which inverse CDFs cannot take, so the result is clamped to the largest f32 below 1.
fn unit_interval_f32(word: u32) -> f32 {
  let high = ldexp(f32(word >> 8u), -24);
  let low = ldexp(f32(word & 0xffu) + 0.5, -32);
  return min(high + low, bitcast<f32>(0x3f7fffffu));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn uniform_words(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = stream_invocation(gid, groups);
  let block = stream_block(t);
  for (var j = 0u; j < 4u; j++) {
    let slot = stream_slot(t, j);
    if (slot != 0xffffffffu) {
      words_out[slot] = block[j];
    }
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn uniform_floats(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = stream_invocation(gid, groups);
  let block = stream_block(t);
  for (var j = 0u; j < 4u; j++) {
    let slot = stream_slot(t, j);
    if (slot != 0xffffffffu) {
      floats_out[slot] = unit_interval_f32(block[j]);
    }
  }
}
