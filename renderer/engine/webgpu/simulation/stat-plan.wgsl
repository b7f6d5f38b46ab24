// What the order-statistics passes know of one output after the moments pass, and the two ways
// they bin its finite values into the run's fine bins (a multiple of the histogram's 50), both monotone in the value (each step rounds
// or shifts monotonically), which is all exactness needs since the same function places values
// in both passes:
// - linear: equal-width bins from min to max (the histogram is built from these);
// - ulp: the value's order-preserving 32-bit key minus min's, shifted right until max's fits:
//   bins of equal relative width, which keep a heavy tail's body in many bins where equal-width
//   ones would crowd it into a few.
struct StatParams {
  // Values of this chunk per output, and slots per output in the outputs buffer.
  count: u32,
  stride: u32,
  groups_per_output: u32,
  // Fine bins per output, of each kind.
  bins: u32,
}

struct OutputPlan {
  lo: f32,
  scale: f32,
  mean: f32,
  // 0: every finite value is equal (or there is none): nothing to bin.
  in_use: u32,
  // First slot and slots of this output in the collected values.
  offset: u32,
  capacity: u32,
  key_lo: u32,
  // Bits 0-7: the ulp bins' shift; bit 8: pass three collects by ulp bins, not linear ones;
  // bit 9: the range pass bounds this output's ulp bins.
  shift_mode: u32,
}

fn stat_is_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn stat_linear_bin(x: f32, plan: OutputPlan, bins: u32) -> u32 {
  return min(u32(floor((x - plan.lo) * plan.scale)), bins - 1u);
}

// Negative floats' bits run backwards: flip them all; positive ones go above every negative one.
fn stat_key(x: f32) -> u32 {
  let bits = bitcast<u32>(x);
  if ((bits & 0x80000000u) != 0u) {
    return ~bits;
  }
  return bits | 0x80000000u;
}

fn stat_ulp_bin(x: f32, plan: OutputPlan, bins: u32) -> u32 {
  return min((stat_key(x) - plan.key_lo) >> (plan.shift_mode & 0xffu), bins - 1u);
}
