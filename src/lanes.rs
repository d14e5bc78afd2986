//! The lane trait every kernel is written against, its implementations for
//! `wide`'s `f32x4`, `f32x8` and `f32x16`, and the slice drivers.
//!
//! A kernel is an `#[inline(always)]` function `fn(V) -> V` generic over
//! [`Lanes`]. The drivers below run it over a slice: whole vectors straight
//! from the slice, then the tail (fewer than `V::LANES` elements) through a
//! padded load (a copy for `wide`'s types, a masked load on the x86
//! backend) and the *same* kernel. There is no scalar second
//! implementation, so an output's bits never depend on its index or on the
//! slice length.
//!
//! The trait is deliberately small: the arithmetic every IEEE-754 target
//! does the same way (add, sub, mul, div, comparisons, bit selects) plus
//! `mul_add` (fused where the build has FMA, see [`Lanes::FUSED`]) and
//! [`Lanes::pow2i`], the one integer trick the exponentials need.

use core::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Neg, Sub};

use crate::error::{check_lengths, Error};

pub(crate) mod sealed {
    /// The crate-private part of [`Lanes`](super::Lanes).
    pub trait Sealed {
        /// Eight lanes of the same backend for a 16-lane type, `Self`
        /// otherwise: softmax and log-softmax run rows of at most 8
        /// elements on it (the same bits, half the work per instruction).
        type Half: super::Lanes;
    }
}

/// A vector of `f32` lanes: what every kernel of this crate is generic over.
///
/// Implemented for [`wide::f32x4`], [`wide::f32x8`] and [`wide::f32x16`]
/// (re-exported at the crate root), and inside the crate for the x86-64
/// backend's `__m256` and `__m512` registers that [`Level`](crate::Level)
/// dispatches to. The trait is sealed: the kernels' error bounds were
/// verified for these implementations only.
///
/// Masks are vectors of the same type whose lanes are all-ones (true) or
/// all-zeros (false), as the comparison methods return them.
pub trait Lanes:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + BitXor<Output = Self>
    + sealed::Sealed
{
    /// Number of `f32` lanes.
    const LANES: usize;
    /// Whether [`Lanes::mul_add`] rounds once (a fused multiply-add) in this build.
    const FUSED: bool;

    /// All lanes set to `v`.
    fn splat(v: f32) -> Self;
    /// Loads the first `LANES` elements of `src`; lanes past `src.len()` are `pad`.
    fn load_or(src: &[f32], pad: f32) -> Self;
    /// Stores the first `min(LANES, dst.len())` lanes into `dst`.
    fn store(self, dst: &mut [f32]);
    /// The lanes as an array, in order (at most 16 lanes).
    fn to_lanes(self, out: &mut [f32; 16]);

    /// `self * a + b`, with one rounding when [`Lanes::FUSED`], else two.
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// Lane-wise `self < rhs` as a mask (false when either is NaN).
    fn lt(self, rhs: Self) -> Self;
    /// Lane-wise `self <= rhs` as a mask (false when either is NaN).
    fn le(self, rhs: Self) -> Self;
    /// Lane-wise `self == rhs` as a mask (false when either is NaN).
    fn eq(self, rhs: Self) -> Self;
    /// Lane-wise `!(self <= rhs)` as a mask: `self > rhs`, or either is NaN.
    /// (One instruction on the x86 backend; `le` and a bitwise not elsewhere.)
    #[inline(always)]
    fn nle(self, rhs: Self) -> Self {
        self.le(rhs).mask_not()
    }
    /// `mask ? if_true : if_false`, lane by lane (bitwise on all-ones/all-zeros masks).
    fn select(mask: Self, if_true: Self, if_false: Self) -> Self;
    /// True when any lane of the mask is set.
    fn any(mask: Self) -> bool;

    /// `min(self, rhs)` by the instruction set's own `min` (one instruction):
    /// for lanes where either operand is NaN the result is unspecified (it
    /// differs between targets), so kernels use it only where NaN lanes are
    /// replaced afterwards.
    fn min_fast(self, rhs: Self) -> Self;

    /// `2^self` for lanes holding an integer in `[-126, 127]`, built by shifting
    /// the integer into the exponent field (no rounding, no table).
    #[inline(always)]
    fn pow2i(self) -> Self {
        (self + Self::splat(POW2I_BIAS)).pow2i_biased()
    }
    /// `2^n` for lanes holding `n + 0x1.8000FEp23` (`1.5 * 2^23 + 127`), `n` an
    /// integer in `[-126, 127]`: such a value holds `127 + n` in its low
    /// mantissa bits, and shifting the bits left by 23 moves it into the
    /// exponent field and drops the rest. (An exponential whose magic-bias
    /// rounding adds this bias gets `2^n` without the addition.)
    fn pow2i_biased(self) -> Self;

    /// Lane-wise NaN test as a mask.
    #[inline(always)]
    fn is_nan(self) -> Self {
        self.eq(self).mask_not()
    }
    /// Bitwise not (of a mask).
    #[inline(always)]
    fn mask_not(self) -> Self {
        self ^ Self::splat(f32::from_bits(u32::MAX))
    }
    /// `|self|` (clears the sign bit; NaN stays NaN).
    #[inline(always)]
    fn abs(self) -> Self {
        self & Self::splat(f32::from_bits(0x7fff_ffff))
    }
    /// The sign bit of `self` alone (`-0.0` where negative, `+0.0` else).
    #[inline(always)]
    fn sign(self) -> Self {
        self & Self::splat(-0.0)
    }
    /// `rhs < self ? self : rhs`: returns `rhs` when either is NaN. Defined by
    /// this select, not by the instruction set's `max`, so it is the same on
    /// every target, with one exception: `max_of(+0.0, -0.0)` may be either
    /// zero off x86 (on aarch64 the compiler turns the select into `fmaxnm`,
    /// which gives `+0.0`); no kernel depends on that sign (softmax's
    /// running maximum only feeds `x - max`, and the clamps' bounds are
    /// nonzero or `+0.0`, where both forms agree). x86's `maxps` computes
    /// exactly the select (`rhs` on NaN and on `±0` against `∓0`), so the
    /// x86 implementations use that one instruction;
    /// `tests::max_of_is_the_select` checks every backend.
    #[inline(always)]
    fn max_of(self, rhs: Self) -> Self {
        Self::select(rhs.lt(self), self, rhs)
    }
    /// The largest lane, by a tree of depth 4 over 16 lanes (lanes `i` and
    /// `i + 8`, then `i` and `i + 4`, `i` and `i + 2`, and the last two)
    /// with `f(a, b) = a < b ? b : a` (lanes past `LANES` count as `-inf`):
    /// softmax's horizontal maximum. The x86 backend computes the same tree
    /// with vector halvings (one `vmaxps` per level), bit for bit.
    #[inline(always)]
    fn reduce_max(self) -> f32 {
        let mut a = [f32::NEG_INFINITY; 16];
        self.to_lanes(&mut a);
        pairwise(a, |a, b| if a < b { b } else { a })
    }
    /// `Σ_i (f64(self_i) + f64(rhs_i))`, by the same tree as
    /// [`Lanes::reduce_max`] (lanes past `LANES` count as `+0.0`): the f64
    /// total of a lane-wise sum and
    /// its compensation. The x86 backend computes the same tree with
    /// vector halvings in f64, bit for bit.
    #[inline(always)]
    fn reduce_sum_f64(self, rhs: Self) -> f64 {
        let (mut a, mut b) = ([0.0f32; 16], [0.0f32; 16]);
        self.to_lanes(&mut a);
        rhs.to_lanes(&mut b);
        let mut t = [0.0f64; 16];
        for ((t, &a), &b) in t.iter_mut().zip(&a).zip(&b) {
            *t = f64::from(a) + f64::from(b);
        }
        pairwise(t, |a, b| a + b)
    }
    /// Round to the nearest integer, ties to even, for `|self| < 2^22`,
    /// by adding and subtracting `1.5 * 2^23` (the "magic bias").
    #[inline(always)]
    fn round_small(self) -> Self {
        let magic = Self::splat(12_582_912.0); // 0x1.8p23
        (self + magic) - magic
    }
}

macro_rules! impl_lanes {
    ($t:ty, $n:literal, $fused:expr, $half:ty) => {
        impl sealed::Sealed for $t {
            type Half = $half;
        }
        impl Lanes for $t {
            const LANES: usize = $n;
            const FUSED: bool = $fused;

            #[inline(always)]
            fn splat(v: f32) -> Self {
                <$t>::splat(v)
            }
            #[inline(always)]
            fn load_or(src: &[f32], pad: f32) -> Self {
                match <&[f32; $n]>::try_from(src.get(..$n).unwrap_or(&[])) {
                    Ok(a) => <$t>::new(*a),
                    Err(_) => {
                        let mut a = [pad; $n];
                        for (d, s) in a.iter_mut().zip(src) {
                            *d = *s;
                        }
                        <$t>::new(a)
                    }
                }
            }
            #[inline(always)]
            fn store(self, dst: &mut [f32]) {
                let a = self.to_array();
                match dst.get_mut(..$n).map(<&mut [f32; $n]>::try_from) {
                    Some(Ok(d)) => *d = a,
                    _ => {
                        for (d, s) in dst.iter_mut().zip(a.iter()) {
                            *d = *s;
                        }
                    }
                }
            }
            #[inline(always)]
            fn to_lanes(self, out: &mut [f32; 16]) {
                for (d, s) in out.iter_mut().zip(self.to_array().iter()) {
                    *d = *s;
                }
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                <$t>::mul_add(self, a, b)
            }
            #[inline(always)]
            fn lt(self, rhs: Self) -> Self {
                self.simd_lt(rhs)
            }
            #[inline(always)]
            fn le(self, rhs: Self) -> Self {
                self.simd_le(rhs)
            }
            #[inline(always)]
            fn eq(self, rhs: Self) -> Self {
                self.simd_eq(rhs)
            }
            #[inline(always)]
            fn select(mask: Self, if_true: Self, if_false: Self) -> Self {
                mask.select(if_true, if_false)
            }
            #[inline(always)]
            fn any(mask: Self) -> bool {
                mask.any()
            }
            #[inline(always)]
            fn min_fast(self, rhs: Self) -> Self {
                self.fast_min(rhs)
            }
            /// With SSE, `wide`'s `fast_max` is `maxps(self, rhs)` at every
            /// width (`self > rhs ? self : rhs`, `rhs` when either is NaN
            /// and for `±0` against `∓0`): the provided select, bit for bit,
            /// in one instruction. (NEON's and wasm's `max` treat NaN
            /// differently, so other targets keep the select.)
            #[cfg(target_feature = "sse")]
            #[inline(always)]
            fn max_of(self, rhs: Self) -> Self {
                self.fast_max(rhs)
            }
            #[inline(always)]
            fn pow2i_biased(self) -> Self {
                <$t>::from_bits(self.to_bits() << 23)
            }
        }
    };
}

/// `1.5 * 2^23 + 127` (0x1.8000FEp23): an integer `n` in `[-126, 127]`
/// plus this holds `127 + n`, the biased exponent of `2^n`, in its low
/// mantissa bits (exactly: the sum stays in `[2^23, 2^24)`, where the f32
/// spacing is 1). See [`Lanes::pow2i_biased`].
pub(crate) const POW2I_BIAS: f32 = 12_583_039.0;

/// Whether this build's `mul_add` is fused for all three widths: x86 with
/// FMA, or aarch64 (NEON always has `vfmaq_f32`).
pub const FMA_BUILD: bool = cfg!(any(
    target_feature = "fma",
    all(target_arch = "aarch64", target_feature = "neon")
));

impl_lanes!(wide::f32x4, 4, FMA_BUILD, wide::f32x4);
impl_lanes!(wide::f32x8, 8, FMA_BUILD, wide::f32x8);
impl_lanes!(wide::f32x16, 16, FMA_BUILD, wide::f32x8);

/// The widest vector type native to the build target: `f32x16` with
/// AVX-512F, `f32x8` with AVX, `f32x4` otherwise (SSE2, NEON, and the
/// scalar fallback of targets without SIMD).
#[cfg(target_feature = "avx512f")]
pub type Native = wide::f32x16;
/// The widest vector type native to the build target: `f32x16` with
/// AVX-512F, `f32x8` with AVX, `f32x4` otherwise (SSE2, NEON, and the
/// scalar fallback of targets without SIMD).
#[cfg(all(target_feature = "avx", not(target_feature = "avx512f")))]
pub type Native = wide::f32x8;
/// The widest vector type native to the build target: `f32x16` with
/// AVX-512F, `f32x8` with AVX, `f32x4` otherwise (SSE2, NEON, and the
/// scalar fallback of targets without SIMD).
#[cfg(not(any(target_feature = "avx", target_feature = "avx512f")))]
pub type Native = wide::f32x4;

/// Whether kernels without FMA ([`Lanes::FUSED`] false) take their f64
/// routes ([`crate::approx::wide64`]): on x86-64, where SSE2 computes two
/// f64 lanes per instruction, and not on bare-metal targets (`COMPACT`;
/// a Cortex-M4F has no f64 hardware). Elsewhere (wasm32 without
/// relaxed-simd, Arm without NEON) the f32 routes run.
pub(crate) const F64_ROUTE: bool = cfg!(all(target_arch = "x86_64", not(target_os = "none")));

/// `f64_route(x)` where the kernels take their f64 routes (no FMA, and
/// [`F64_ROUTE`]), `f32_route(x)` everywhere else: the choice every kernel
/// with an f64 route makes. The f32 routes are what every build runs but
/// x86-64 builds without FMA; the hidden `generic::*_f32_route` functions
/// keep them reachable there, for the exhaustive sweep.
#[inline(always)]
pub(crate) fn route<V: Lanes>(
    x: V,
    f64_route: impl FnOnce(V) -> V,
    f32_route: impl FnOnce(V) -> V,
) -> V {
    if !V::FUSED && F64_ROUTE {
        f64_route(x)
    } else {
        f32_route(x)
    }
}

/// [`route()`] with the two routes named as functions (and any further
/// arguments they share, such as ELU's `alpha`), wrapped in
/// `#[inline(always)]` closures as [`fast_or_general!`] does: the body of
/// every kernel with an f64 route.
macro_rules! f64_or_f32 {
    ($x:expr, $f64_route:path, $f32_route:path $(, $arg:expr)*) => {
        $crate::lanes::route(
            $x,
            #[inline(always)]
            |v| $f64_route(v $(, $arg)*),
            #[inline(always)]
            |v| $f32_route(v $(, $arg)*),
        )
    };
}
pub(crate) use f64_or_f32;

/// `f` applied to the lanes of `x` widened to f64 (exactly), two at a
/// time, each result rounded to f32 (round to nearest): the driver of the
/// f64 routes. The lanes go through arrays, which the compiler turns into
/// `cvtps2pd` / `cvtpd2ps` and shuffles.
#[inline(always)]
pub(crate) fn map_f64<V: Lanes>(x: V, f: impl Fn(wide::f64x2) -> wide::f64x2) -> V {
    let (mut a, mut y) = ([0f32; 16], [0f32; 16]);
    x.to_lanes(&mut a);
    let pairs = y.chunks_exact_mut(2).zip(a.chunks_exact(2));
    for (y, a) in pairs.take(V::LANES / 2) {
        let r = f(wide::f64x2::new([f64::from(a[0]), f64::from(a[1])])).to_array();
        (y[0], y[1]) = (r[0] as f32, r[1] as f32);
    }
    V::load_or(&y, 0.0)
}

/// Whether the drivers favour code size over speed: on bare-metal targets
/// (`target_os = "none"`: microcontroller firmware) each kernel is inlined
/// once, elsewhere twice (the loop over whole vectors and the tail), which
/// keeps the per-vector loop free of tail checks (ReLU at n = 4096 is 1.5-3x
/// faster that way, measured on x86-64). Both give the same bits.
pub(crate) const COMPACT: bool = cfg!(target_os = "none");

/// Runs `f` over `input`, writing `output`. The caller has checked that the
/// lengths are equal. Whole vectors, then the tail padded with `pad` (`0.0`
/// for the element-wise kernels, `-inf` for softmax): `f` sees the padded
/// lanes but only the real ones are stored.
#[inline(always)]
pub(crate) fn map<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    pad: f32,
    mut f: impl FnMut(V) -> V,
) {
    if COMPACT {
        // One call site of `f`; `load_or` and `store` tell whole vectors
        // from the tail. Not `zip`: at opt-level "s"/"z" its length helper
        // is not inlined and keeps a division with a panic path
        // (ci/run-embedded.sh checks for panic paths).
        let mut out = output.chunks_mut(V::LANES);
        for s in input.chunks(V::LANES) {
            if let Some(d) = out.next() {
                f(V::load_or(s, pad)).store(d);
            }
        }
    } else {
        let mut src = input.chunks_exact(V::LANES);
        let mut dst = output.chunks_exact_mut(V::LANES);
        for (s, d) in (&mut src).zip(&mut dst) {
            f(V::load_or(s, pad)).store(d);
        }
        let (s, d) = (src.remainder(), dst.into_remainder());
        if !s.is_empty() {
            f(V::load_or(s, pad)).store(d);
        }
    }
}

/// `fast(x)` with the lanes of the mask `other` (those outside the fast
/// path's domain, NaN included) replaced by `general(x)`; `general` runs
/// only for vectors that have such a lane. For the kernels whose two paths
/// differ in their last bits, so that every lane always takes its own
/// path's result, whatever its neighbours (sigmoid, SiLU, GELU-tanh).
#[inline(always)]
pub(crate) fn fast_or<V: Lanes>(
    x: V,
    other: V,
    fast: impl FnOnce(V) -> V,
    general: impl FnOnce(V) -> V,
) -> V {
    let y = fast(x);
    if V::any(other) {
        V::select(other, general(x), y)
    } else {
        y
    }
}

/// [`fast_or`] with the two paths named as functions, wrapped in
/// `#[inline(always)]` closures: passing the fn items themselves leaves
/// their `FnOnce` shims out of line, compiled without the entry point's
/// target features (sigmoid ran 60x slower so; `tools/check_inlining.py`).
macro_rules! fast_or_general {
    ($x:expr, $other:expr, $fast:ident, $general:ident) => {
        $crate::lanes::fast_or(
            $x,
            $other,
            #[inline(always)]
            |v| $fast(v),
            #[inline(always)]
            |v| $general(v),
        )
    };
}
pub(crate) use fast_or_general;

/// `f` over 16 values as a tree of depth 4, not a chain of 15: `f(a_i,
/// a_(i+8))`, then `f(b_i, b_(i+4))`, `f(c_i, c_(i+2))` and `f(d_0, d_1)`
/// (the halvings a vector reduction does). A short row is latency-bound,
/// and these horizontal steps are on its critical path.
#[inline(always)]
pub(crate) fn pairwise<T: Copy>(a: [T; 16], f: impl Fn(T, T) -> T) -> T {
    // Destructured, not indexed: at opt-level "s"/"z" `from_fn` with
    // `a[i + 8]` kept a bounds check (ci/run-embedded.sh found it).
    let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = a;
    let (b0, b1, b2, b3) = (f(a0, a8), f(a1, a9), f(a2, a10), f(a3, a11));
    let (b4, b5, b6, b7) = (f(a4, a12), f(a5, a13), f(a6, a14), f(a7, a15));
    let (c0, c1, c2, c3) = (f(b0, b4), f(b1, b5), f(b2, b6), f(b3, b7));
    f(f(c0, c2), f(c1, c3))
}

/// [`map`] with the tail padded with `0.0`, after checking that the
/// lengths are equal: the body of the element-wise slice functions.
#[inline(always)]
pub(crate) fn checked_map<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    f: impl FnMut(V) -> V,
) -> Result<(), Error> {
    check_lengths(input.len(), output.len())?;
    map::<V>(input, output, 0.0, f);
    Ok(())
}

/// Runs `f` over `values` in place, with the same vectors as [`map`].
#[inline(always)]
pub(crate) fn map_in_place<V: Lanes>(values: &mut [f32], pad: f32, mut f: impl FnMut(V) -> V) {
    if COMPACT {
        for c in values.chunks_mut(V::LANES) {
            f(V::load_or(c, pad)).store(c);
        }
    } else {
        let mut chunks = values.chunks_exact_mut(V::LANES);
        for c in &mut chunks {
            f(V::load_or(c, pad)).store(c);
        }
        let tail = chunks.into_remainder();
        if !tail.is_empty() {
            f(V::load_or(tail, pad)).store(tail);
        }
    }
}

/// Runs the binary kernel `f` over `a` and `b`, writing `output`: the
/// backward kernels' driver (`a` is the forward tensor, `b` the incoming
/// gradient). The caller has checked that the three lengths are equal. The
/// same vectors as [`map`]: whole vectors, then the tail with both operands
/// padded with `pad` through the same `f`.
#[inline(always)]
pub(crate) fn map2<V: Lanes>(
    a: &[f32],
    b: &[f32],
    output: &mut [f32],
    pad: f32,
    mut f: impl FnMut(V, V) -> V,
) {
    if COMPACT {
        // One call site of `f`, no `zip` (see `map`).
        let mut bs = b.chunks(V::LANES);
        let mut out = output.chunks_mut(V::LANES);
        for sa in a.chunks(V::LANES) {
            if let (Some(sb), Some(d)) = (bs.next(), out.next()) {
                f(V::load_or(sa, pad), V::load_or(sb, pad)).store(d);
            }
        }
    } else {
        let mut sa = a.chunks_exact(V::LANES);
        let mut sb = b.chunks_exact(V::LANES);
        let mut dst = output.chunks_exact_mut(V::LANES);
        for ((x, y), d) in (&mut sa).zip(&mut sb).zip(&mut dst) {
            f(V::load_or(x, pad), V::load_or(y, pad)).store(d);
        }
        let (x, y, d) = (sa.remainder(), sb.remainder(), dst.into_remainder());
        if !x.is_empty() {
            f(V::load_or(x, pad), V::load_or(y, pad)).store(d);
        }
    }
}

/// [`map2`] with the result written over `b` (the gradient, in place).
#[inline(always)]
pub(crate) fn map2_in_place<V: Lanes>(
    a: &[f32],
    b: &mut [f32],
    pad: f32,
    mut f: impl FnMut(V, V) -> V,
) {
    if COMPACT {
        let mut bs = b.chunks_mut(V::LANES);
        for sa in a.chunks(V::LANES) {
            if let Some(sb) = bs.next() {
                f(V::load_or(sa, pad), V::load_or(sb, pad)).store(sb);
            }
        }
    } else {
        let mut sa = a.chunks_exact(V::LANES);
        let mut sb = b.chunks_exact_mut(V::LANES);
        for (x, y) in (&mut sa).zip(&mut sb) {
            f(V::load_or(x, pad), V::load_or(y, pad)).store(y);
        }
        let (x, y) = (sa.remainder(), sb.into_remainder());
        if !x.is_empty() {
            f(V::load_or(x, pad), V::load_or(y, pad)).store(y);
        }
    }
}
