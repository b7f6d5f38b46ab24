;; Philox4x32-10 uniforms, the arithmetic of common/engine/philox.ts with WebAssembly's 64-bit
;; multiply (JavaScript has none, which makes the JS version four 16-bit products per multiply).
;; uniforms(seed, stream, blockLo, blockHi, blocks, out): for `blocks` consecutive Philox blocks
;; from counter (blockHi:blockLo, 0, 0) under key (seed, stream), stores the four words of each as
;; f64 uniforms (word + 0.5) * 2^-32 at `out`, 32 bytes per block: exactly fillUniforms' values.
(module
  (memory (export "memory") 1)
  (func (export "uniforms")
    (param $seed i32) (param $stream i32) (param $blockLo i32) (param $blockHi i32) (param $blocks i32) (param $out i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $k0 i32) (local $k1 i32) (local $round i32) (local $p0 i64) (local $p1 i64) (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $blocks) (i32.const 32))))
    (block $done
      (br_if $done (i32.eqz (local.get $blocks)))
      (loop $next
        (local.set $c0 (local.get $blockLo))
        (local.set $c1 (local.get $blockHi))
        (local.set $c2 (i32.const 0))
        (local.set $c3 (i32.const 0))
        (local.set $k0 (local.get $seed))
        (local.set $k1 (local.get $stream))
        (local.set $round (i32.const 10))
        (loop $rounds
          (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $c0)) (i64.const 0xd2511f53)))
          (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $c2)) (i64.const 0xcd9e8d57)))
          (local.set $c0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32))) (local.get $c1)) (local.get $k0)))
          (local.set $c1 (i32.wrap_i64 (local.get $p1)))
          (local.set $c2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32))) (local.get $c3)) (local.get $k1)))
          (local.set $c3 (i32.wrap_i64 (local.get $p0)))
          (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9e3779b9)))
          (local.set $k1 (i32.add (local.get $k1) (i32.const 0xbb67ae85)))
          (br_if $rounds (local.tee $round (i32.sub (local.get $round) (i32.const 1)))))
        (f64.store offset=0 (local.get $out) (f64.mul (f64.add (f64.convert_i32_u (local.get $c0)) (f64.const 0.5)) (f64.const 0x1p-32)))
        (f64.store offset=8 (local.get $out) (f64.mul (f64.add (f64.convert_i32_u (local.get $c1)) (f64.const 0.5)) (f64.const 0x1p-32)))
        (f64.store offset=16 (local.get $out) (f64.mul (f64.add (f64.convert_i32_u (local.get $c2)) (f64.const 0.5)) (f64.const 0x1p-32)))
        (f64.store offset=24 (local.get $out) (f64.mul (f64.add (f64.convert_i32_u (local.get $c3)) (f64.const 0.5)) (f64.const 0x1p-32)))
        ;; The next counter, carrying into the high word.
        (local.set $blockLo (i32.add (local.get $blockLo) (i32.const 1)))
        (if (i32.eqz (local.get $blockLo)) (then (local.set $blockHi (i32.add (local.get $blockHi) (i32.const 1)))))
        (br_if $next (i32.ne (local.tee $out (i32.add (local.get $out) (i32.const 32))) (local.get $end)))))))
