//! The x86-64 backend: [`Lanes`] on `core::arch` intrinsics, for the
//! run-time dispatch of [`crate::Level`].
//!
//! `wide` picks its instruction set when the crate is compiled, so a build
//! for the baseline x86-64 target runs its `f32x8`/`f32x16` on SSE2. The two
//! types here hold the machine registers themselves:
//!
//! | type | register | instructions used | level |
//! |---|---|---|---|
//! | [`Avx2`] | `__m256` (8 lanes) | AVX, AVX2 (integer shift), FMA | [`Level::Avx2Fma`](crate::Level::Avx2Fma) |
//! | [`Avx512`] | `__m512` (16 lanes) | AVX-512F | [`Level::Avx512`](crate::Level::Avx512) |
//!
//! Every method is `#[inline(always)]`. The kernels are instantiated for
//! these types only inside the `#[target_feature]` functions of
//! `crate::dispatch`, so the whole kernel, these methods and the intrinsics
//! they call are compiled with the feature enabled and inline into one loop.
//!
//! # Safety
//! Executing an AVX2 or AVX-512 instruction on a CPU without it is undefined
//! behaviour. The invariant that makes every `unsafe` block below sound is:
//! **a value of [`Avx2`] or [`Avx512`] exists only inside a call that
//! `crate::dispatch` made after checking that the CPU has the level's
//! features** (by CPUID/XGETBV, or because the build enables them
//! statically). The AVX-512 level's functions enable AVX2 and FMA as well
//! (and the detection requires them for it), so `Avx2` values may exist
//! inside them too: their short calls and softmax's short rows run on 8
//! lanes. The types are crate-private, so no code outside this crate
//! can create one, and inside the crate they are named only by the
//! `#[target_feature]` functions of `crate::dispatch`, each called only for
//! a supported level. The blocks below cite this invariant as "(backend
//! invariant)". Memory accesses are bounds-checked separately: each load or
//! store touches only lanes inside the slice (full-width accesses only when
//! the slice holds a whole vector; otherwise masked loads, which do not
//! touch masked-off lanes, and stores of 4, 2 and 1 lanes inside the
//! slice).
//!
//! Each operation is the IEEE-754 single operation (or the same bit
//! operation) that `wide` performs for the same [`Lanes`] method, so a
//! kernel gives the same bits here as with `wide` in a build that enables
//! the same features (checked by `tests/dispatch.rs` and by the exhaustive
//! sweep's output hashes).
#![allow(unsafe_code)]

use core::arch::x86_64::*;
use core::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Neg, Sub};

use crate::lanes::{sealed, Lanes};

/// Eight `f32` lanes in an AVX register, with FMA.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Avx2(__m256);

/// Sixteen `f32` lanes in an AVX-512 register.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Avx512(__m512);

/// Binary operator impls: `$op` is the intrinsic taking two registers.
macro_rules! binop {
    ($t:ident, $trait:ident, $method:ident, $op:expr) => {
        impl $trait for $t {
            type Output = $t;
            #[inline(always)]
            fn $method(self, rhs: $t) -> $t {
                // SAFETY: register-only operation (backend invariant).
                $t(unsafe { $op(self.0, rhs.0) })
            }
        }
    };
}

// ---------------------------------------------------------------- AVX2 + FMA

binop!(Avx2, Add, add, _mm256_add_ps);
binop!(Avx2, Sub, sub, _mm256_sub_ps);
binop!(Avx2, Mul, mul, _mm256_mul_ps);
binop!(Avx2, Div, div, _mm256_div_ps);
binop!(Avx2, BitAnd, bitand, _mm256_and_ps);
binop!(Avx2, BitOr, bitor, _mm256_or_ps);
binop!(Avx2, BitXor, bitxor, _mm256_xor_ps);

impl Neg for Avx2 {
    type Output = Avx2;
    #[inline(always)]
    fn neg(self) -> Avx2 {
        self ^ Avx2::splat(-0.0)
    }
}

impl Avx2 {
    /// Lanes `i < len` all-ones, the others zero (`len <= 8`).
    #[inline(always)]
    fn prefix_mask(len: usize) -> __m256i {
        // SAFETY: register-only operations (backend invariant).
        unsafe {
            let idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            _mm256_cmpgt_epi32(_mm256_set1_epi32(len as i32), idx)
        }
    }
}

/// The partial store of [`Avx2`] (and so of [`Avx512`], which stores its
/// halves through [`Avx2`]'s store): the first `dst.len() < 8` lanes of
/// `lo:hi` (four lanes each) into `dst`, by plain stores of 4, 2 and 1
/// lanes, not a masked store. On Zen 4 a load that overlaps a masked
/// store's whole vector while that store is in flight waits for it to
/// complete, about 20 ns, even where the bytes it reads were not written:
/// every row loop whose next row follows in memory paid it once per row
/// (softmax rows of 20 in place took 57 ns per row, against 37 out of
/// place; 37.5 with these stores). Plain stores cover only the bytes they
/// write, so a later load that does not read those bytes has nothing to
/// wait for. (The 2-lane store compiles to one `vmovlps`.)
#[inline(always)]
fn store_tail4(dst: &mut [f32], lo: __m128, hi: __m128) {
    let (dst, v) = if dst.len() >= 4 {
        let (head, rest) = dst.split_at_mut(4);
        // SAFETY: writes head[0..4], the whole of `head` (backend invariant
        // for the instruction).
        unsafe { _mm_storeu_ps(head.as_mut_ptr(), lo) };
        (rest, hi)
    } else {
        (dst, lo)
    };
    let (dst, v) = if dst.len() >= 2 {
        let (head, rest) = dst.split_at_mut(2);
        // SAFETY: register-only operations (backend invariant).
        let (bits, v) = unsafe {
            (
                _mm_cvtsi128_si64(_mm_castps_si128(v)) as u64,
                _mm_movehl_ps(v, v),
            )
        };
        if let [a, b] = head {
            (*a, *b) = (
                f32::from_bits(bits as u32),
                f32::from_bits((bits >> 32) as u32),
            );
        }
        (rest, v)
    } else {
        (dst, v)
    };
    if let Some(d) = dst.first_mut() {
        // SAFETY: register-only operation (backend invariant).
        *d = unsafe { _mm_cvtss_f32(v) };
    }
}

impl sealed::Sealed for Avx2 {
    type Half = Avx2;
}
impl Lanes for Avx2 {
    const LANES: usize = 8;
    const FUSED: bool = true;

    #[inline(always)]
    fn splat(v: f32) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_set1_ps(v) })
    }
    #[inline(always)]
    fn load_or(src: &[f32], pad: f32) -> Self {
        if src.len() >= 8 {
            // SAFETY: reads src[0..8], inside the slice; unaligned load
            // (backend invariant for the instruction).
            Avx2(unsafe { _mm256_loadu_ps(src.as_ptr()) })
        } else {
            let mask = Self::prefix_mask(src.len());
            // SAFETY: `vmaskmovps` reads only the lanes whose mask bit is
            // set, src[0..len], and does not fault on the others (Intel SDM,
            // VMASKMOV); register operations otherwise (backend invariant).
            Avx2(unsafe {
                let v = _mm256_maskload_ps(src.as_ptr(), mask);
                _mm256_blendv_ps(_mm256_set1_ps(pad), v, _mm256_castsi256_ps(mask))
            })
        }
    }
    #[inline(always)]
    fn store(self, dst: &mut [f32]) {
        if dst.len() >= 8 {
            // SAFETY: writes dst[0..8], inside the slice (backend invariant
            // for the instruction).
            unsafe { _mm256_storeu_ps(dst.as_mut_ptr(), self.0) }
        } else {
            // SAFETY: register-only operations (backend invariant).
            let (lo, hi) = unsafe {
                (
                    _mm256_castps256_ps128(self.0),
                    _mm256_extractf128_ps::<1>(self.0),
                )
            };
            store_tail4(dst, lo, hi);
        }
    }
    #[inline(always)]
    fn to_lanes(self, out: &mut [f32; 16]) {
        // SAFETY: writes out[0..8] of a 16-element array (backend invariant).
        unsafe { _mm256_storeu_ps(out.as_mut_ptr(), self.0) }
    }
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        // SAFETY: register-only operation (backend invariant: FMA present).
        Avx2(unsafe { _mm256_fmadd_ps(self.0, a.0, b.0) })
    }
    #[inline(always)]
    fn lt(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_cmp_ps::<_CMP_LT_OQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn le(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_cmp_ps::<_CMP_LE_OQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn eq(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_cmp_ps::<_CMP_EQ_OQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn nle(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_cmp_ps::<_CMP_NLE_UQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn select(mask: Self, if_true: Self, if_false: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_blendv_ps(if_false.0, if_true.0, mask.0) })
    }
    #[inline(always)]
    fn any(mask: Self) -> bool {
        // SAFETY: register-only operation (backend invariant).
        unsafe { _mm256_movemask_ps(mask.0) != 0 }
    }
    #[inline(always)]
    fn min_fast(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_min_ps(self.0, rhs.0) })
    }
    /// One `vmaxps`: `self > rhs ? self : rhs`, `rhs` when either is NaN,
    /// and `rhs` for `±0` against `∓0`: the provided method's select,
    /// bit for bit.
    #[inline(always)]
    fn max_of(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx2(unsafe { _mm256_max_ps(self.0, rhs.0) })
    }
    /// The provided method's tree (its first level, against the `-inf`
    /// lanes past 8, is the identity: `a < -inf` is false) as halvings:
    /// `vmaxps(hi, lo)` is `lo < hi ? hi : lo`, the tree's `f`, bit for
    /// bit, NaN included.
    #[inline(always)]
    fn reduce_max(self) -> f32 {
        // SAFETY: register-only operations (backend invariant).
        unsafe {
            let c = _mm_max_ps(
                _mm256_extractf128_ps::<1>(self.0),
                _mm256_castps256_ps128(self.0),
            );
            let d = _mm_max_ps(_mm_movehl_ps(c, c), c);
            _mm_cvtss_f32(_mm_max_ss(_mm_movehdup_ps(d), d))
        }
    }
    /// The provided method's tree as halvings in f64. Its first level adds
    /// the `+0.0` of the lanes past 8, which turns a `-0.0` into `+0.0`: kept,
    /// so the bits are the provided method's for every input.
    #[inline(always)]
    fn reduce_sum_f64(self, rhs: Self) -> f64 {
        // SAFETY: register-only operations (backend invariant).
        unsafe {
            let (a, b) = (self.0, rhs.0);
            let zero = _mm256_setzero_pd();
            let t_lo = _mm256_add_pd(
                _mm256_cvtps_pd(_mm256_castps256_ps128(a)),
                _mm256_cvtps_pd(_mm256_castps256_ps128(b)),
            );
            let t_hi = _mm256_add_pd(
                _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(a)),
                _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(b)),
            );
            let c = _mm256_add_pd(_mm256_add_pd(t_lo, zero), _mm256_add_pd(t_hi, zero));
            let d = _mm_add_pd(_mm256_castpd256_pd128(c), _mm256_extractf128_pd::<1>(c));
            _mm_cvtsd_f64(_mm_add_sd(d, _mm_unpackhi_pd(d, d)))
        }
    }
    #[inline(always)]
    fn pow2i_biased(self) -> Self {
        // The same construction as the `wide` impls (see `lanes.rs`).
        // SAFETY: register-only operations (backend invariant).
        Avx2(unsafe { _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_castps_si256(self.0))) })
    }
}

// ------------------------------------------------------------------ AVX-512F

/// Bitwise binary operator through the integer domain: the `_ps` forms of
/// `and`/`or`/`xor` need AVX-512DQ, the `_si512` forms only AVX-512F.
macro_rules! bitop512 {
    ($trait:ident, $method:ident, $op:ident) => {
        impl $trait for Avx512 {
            type Output = Avx512;
            #[inline(always)]
            fn $method(self, rhs: Avx512) -> Avx512 {
                // SAFETY: register-only operations (backend invariant).
                Avx512(unsafe {
                    _mm512_castsi512_ps($op(
                        _mm512_castps_si512(self.0),
                        _mm512_castps_si512(rhs.0),
                    ))
                })
            }
        }
    };
}

binop!(Avx512, Add, add, _mm512_add_ps);
binop!(Avx512, Sub, sub, _mm512_sub_ps);
binop!(Avx512, Mul, mul, _mm512_mul_ps);
binop!(Avx512, Div, div, _mm512_div_ps);
bitop512!(BitAnd, bitand, _mm512_and_si512);
bitop512!(BitOr, bitor, _mm512_or_si512);
bitop512!(BitXor, bitxor, _mm512_xor_si512);

impl Neg for Avx512 {
    type Output = Avx512;
    #[inline(always)]
    fn neg(self) -> Avx512 {
        self ^ Avx512::splat(-0.0)
    }
}

impl Avx512 {
    /// The mask register `k` as a vector mask (all-ones lanes where set).
    #[inline(always)]
    fn from_kmask(k: __mmask16) -> Self {
        // SAFETY: register-only operations (backend invariant).
        Avx512(unsafe { _mm512_castsi512_ps(_mm512_maskz_mov_epi32(k, _mm512_set1_epi32(-1))) })
    }
    /// Bits `i < len` set (`len < 16`).
    #[inline(always)]
    fn prefix_kmask(len: usize) -> __mmask16 {
        ((1u32 << len) - 1) as __mmask16
    }
    /// Lanes 8 to 15 of `v`.
    #[inline(always)]
    fn high(v: __m512) -> __m256 {
        // SAFETY: register-only operations (backend invariant).
        unsafe { _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(v))) }
    }
}

impl sealed::Sealed for Avx512 {
    /// The AVX-512 level enables AVX2 and FMA too, so `Avx2` values are
    /// valid inside its functions (backend invariant).
    type Half = Avx2;
}
impl Lanes for Avx512 {
    const LANES: usize = 16;
    const FUSED: bool = true;

    #[inline(always)]
    fn splat(v: f32) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx512(unsafe { _mm512_set1_ps(v) })
    }
    #[inline(always)]
    fn load_or(src: &[f32], pad: f32) -> Self {
        if src.len() >= 16 {
            // SAFETY: reads src[0..16], inside the slice (backend invariant
            // for the instruction).
            Avx512(unsafe { _mm512_loadu_ps(src.as_ptr()) })
        } else {
            let k = Self::prefix_kmask(src.len());
            // SAFETY: a masked load reads only the lanes whose mask bit is
            // set, src[0..len], with fault suppression on the others (Intel
            // SDM, VMOVUPS with a writemask); the others take `pad`
            // (backend invariant for the instruction).
            Avx512(unsafe { _mm512_mask_loadu_ps(_mm512_set1_ps(pad), k, src.as_ptr()) })
        }
    }
    #[inline(always)]
    fn store(self, dst: &mut [f32]) {
        if dst.len() >= 16 {
            // SAFETY: writes dst[0..16], inside the slice (backend invariant
            // for the instruction).
            unsafe { _mm512_storeu_ps(dst.as_mut_ptr(), self.0) }
        } else {
            // Each half by the AVX2 backend's store, which writes the first
            // `min(8, len)` lanes: the same plain stores, no masked store.
            // SAFETY: register-only operations; the AVX-512 level enables
            // AVX2 and FMA too, so `Avx2` values are valid here (backend
            // invariant).
            let lo = unsafe { _mm512_castps512_ps256(self.0) };
            let hi = Self::high(self.0);
            Avx2(lo).store(dst);
            if let Some(rest) = dst.get_mut(8..) {
                Avx2(hi).store(rest);
            }
        }
    }
    #[inline(always)]
    fn to_lanes(self, out: &mut [f32; 16]) {
        // SAFETY: writes out[0..16] (backend invariant for the instruction).
        unsafe { _mm512_storeu_ps(out.as_mut_ptr(), self.0) }
    }
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx512(unsafe { _mm512_fmadd_ps(self.0, a.0, b.0) })
    }
    #[inline(always)]
    fn lt(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Self::from_kmask(unsafe { _mm512_cmp_ps_mask::<_CMP_LT_OQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn le(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Self::from_kmask(unsafe { _mm512_cmp_ps_mask::<_CMP_LE_OQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn eq(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Self::from_kmask(unsafe { _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn nle(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Self::from_kmask(unsafe { _mm512_cmp_ps_mask::<_CMP_NLE_UQ>(self.0, rhs.0) })
    }
    #[inline(always)]
    fn select(mask: Self, if_true: Self, if_false: Self) -> Self {
        // Bitwise, as the trait defines it; the compiler turns a mask that
        // came from a comparison back into a masked blend.
        (mask & if_true) | (mask.mask_not() & if_false)
    }
    #[inline(always)]
    fn any(mask: Self) -> bool {
        // SAFETY: register-only operations (backend invariant).
        unsafe {
            let m = _mm512_castps_si512(mask.0);
            _mm512_test_epi32_mask(m, m) != 0
        }
    }
    #[inline(always)]
    fn min_fast(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx512(unsafe { _mm512_min_ps(self.0, rhs.0) })
    }
    /// One `vmaxps`: `self > rhs ? self : rhs`, `rhs` when either is NaN,
    /// and `rhs` for `±0` against `∓0`: the provided method's select,
    /// bit for bit.
    #[inline(always)]
    fn max_of(self, rhs: Self) -> Self {
        // SAFETY: register-only operation (backend invariant).
        Avx512(unsafe { _mm512_max_ps(self.0, rhs.0) })
    }
    /// The provided method's tree as halvings: `vmaxps(hi, lo)` is
    /// `lo < hi ? hi : lo`, the tree's `f`, bit for bit, NaN included.
    #[inline(always)]
    fn reduce_max(self) -> f32 {
        // SAFETY: register-only operations; the AVX-512 level enables AVX2
        // too (backend invariant).
        let b = unsafe { _mm256_max_ps(Self::high(self.0), _mm512_castps512_ps256(self.0)) };
        Avx2(b).reduce_max()
    }
    /// The provided method's tree as halvings in f64.
    #[inline(always)]
    fn reduce_sum_f64(self, rhs: Self) -> f64 {
        // SAFETY: register-only operations (backend invariant).
        unsafe {
            let (a, b) = (self.0, rhs.0);
            let t_lo = _mm512_add_pd(
                _mm512_cvtps_pd(_mm512_castps512_ps256(a)),
                _mm512_cvtps_pd(_mm512_castps512_ps256(b)),
            );
            let t_hi = _mm512_add_pd(
                _mm512_cvtps_pd(Self::high(a)),
                _mm512_cvtps_pd(Self::high(b)),
            );
            let u = _mm512_add_pd(t_lo, t_hi);
            let c = _mm256_add_pd(_mm512_castpd512_pd256(u), _mm512_extractf64x4_pd::<1>(u));
            let d = _mm_add_pd(_mm256_castpd256_pd128(c), _mm256_extractf128_pd::<1>(c));
            _mm_cvtsd_f64(_mm_add_sd(d, _mm_unpackhi_pd(d, d)))
        }
    }
    #[inline(always)]
    fn pow2i_biased(self) -> Self {
        // The same construction as the `wide` impls (see `lanes.rs`).
        // SAFETY: register-only operations (backend invariant).
        Avx512(unsafe { _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_castps_si512(self.0))) })
    }
}

#[cfg(test)]
mod tests {
    use super::{Avx2, Avx512};
    use crate::tests::{max_of_is_the_select, partial_store_and_load, reductions_are_the_tree};
    use crate::Level;

    #[target_feature(enable = "avx2,fma")]
    fn avx2() {
        max_of_is_the_select::<Avx2>();
        partial_store_and_load::<Avx2>();
        reductions_are_the_tree::<Avx2>();
    }

    #[target_feature(enable = "avx512f")]
    fn avx512() {
        max_of_is_the_select::<Avx512>();
        partial_store_and_load::<Avx512>();
        reductions_are_the_tree::<Avx512>();
    }

    /// The backends' `max_of` (one `vmaxps`) is the trait's select; their
    /// partial stores and loads touch exactly the slice; their reductions
    /// are the provided methods' trees.
    #[test]
    fn every_backend() {
        if Level::Avx2Fma.is_supported() {
            // SAFETY: the CPU has AVX2 and FMA (checked above).
            unsafe { avx2() }
        }
        if Level::Avx512.is_supported() {
            // SAFETY: the CPU has AVX-512F (checked above).
            unsafe { avx512() }
        }
    }
}
