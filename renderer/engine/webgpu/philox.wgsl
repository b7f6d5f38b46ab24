// Philox4x32 (Salmon et al., SC 2011), the counter-based generator of ARCHITECTURE.md.
// This file is a library: kernels are appended to it (WGSL has no #include). It must produce,
// bit for bit, what common/engine/philox.ts produces for the same counter and key.

const PHILOX_M0: u32 = 0xd2511f53u;
const PHILOX_M1: u32 = 0xcd9e8d57u;
const PHILOX_W0: u32 = 0x9e3779b9u; // golden ratio
const PHILOX_W1: u32 = 0xbb67ae85u; // sqrt(3) - 1

// High 32 bits of the 64-bit product a * b. WGSL has no 64-bit integers, so the product is
// assembled from 16-bit halves, exactly like mulhi32 in common/engine/philox.ts. Every partial
// product of two 16-bit halves fits in a u32, and so does `mid` (three 16-bit terms), so nothing
// here wraps except where the true high word is being formed.
fn mulhi32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}

// One Philox4x32 block with `rounds` rounds (10 for Philox4x32-10; the Random123 known answers
// also pin 7). The low word of each product is plain u32 multiplication, which wraps mod 2^32.
fn philox4x32_rounds(counter: vec4<u32>, key: vec2<u32>, rounds: u32) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var round = 0u; round < rounds; round++) {
    if (round > 0u) {
      k = k + vec2<u32>(PHILOX_W0, PHILOX_W1);
    }
    let hi0 = mulhi32(PHILOX_M0, c.x);
    let lo0 = PHILOX_M0 * c.x;
    let hi1 = mulhi32(PHILOX_M1, c.z);
    let lo1 = PHILOX_M1 * c.z;
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}

// Philox4x32-10, the generator every simulation uses.
fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  return philox4x32_rounds(counter, key, 10u);
}
