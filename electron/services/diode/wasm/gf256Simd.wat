;; GF(2^8) linear combination for the diode's Reed-Solomon code (electron/services/diode/gf256.ts).
;; combine(tab, src, stride, count, dst, len):
;;   dst[0..len) = XOR over i < count of c_i * src_i, with src_i at src + i*stride.
;; A product by the constant c_i is two 16-entry table look-ups (i8x16.swizzle), one per nibble:
;; c*x = lo[x & 15] ^ hi[x >> 4]; tab holds, per source, 16 bytes lo then 16 bytes hi (32 bytes).
;; len and stride are multiples of 16; the caller pads blocks to that.
(module
  (memory (export "memory") 1)
  (func (export "combine")
    (param $tab i32) (param $src i32) (param $stride i32) (param $count i32) (param $dst i32) (param $len i32)
    (local $off i32) (local $i i32) (local $p i32) (local $t i32) (local $acc v128) (local $v v128) (local $mask v128)
    (local.set $mask (i8x16.splat (i32.const 15)))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $off) (local.get $len)))
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $i (i32.const 0))
        (local.set $p (i32.add (local.get $src) (local.get $off)))
        (local.set $t (local.get $tab))
        (block $sourcesDone
          (loop $sources
            (br_if $sourcesDone (i32.ge_u (local.get $i) (local.get $count)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc
              (v128.xor (local.get $acc)
                (v128.xor
                  (i8x16.swizzle (v128.load (local.get $t)) (v128.and (local.get $v) (local.get $mask)))
                  (i8x16.swizzle (v128.load offset=16 (local.get $t)) (i8x16.shr_u (local.get $v) (i32.const 4))))))
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $t (i32.add (local.get $t) (i32.const 32)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sources)))
        (v128.store (i32.add (local.get $dst) (local.get $off)) (local.get $acc))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $chunks))))
)
