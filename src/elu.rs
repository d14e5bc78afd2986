//! ELU, `x > 0 ? x : alpha (e^x - 1)`, and SELU, `scale * elu(x, alpha)`
//! with the constants of Klambauer et al. (2017).
//!
//! Algorithm, per lane (both kernels share steps 1-3):
//! 1. `xc = clamp(x, -18, 0)`. Below `-17.33`, `e^x < 2^-25`: `|alpha| e^x`
//!    is then less than half the spacing of f32 next to `|alpha|` (at least
//!    `2^-25 |alpha|` on either side), so `alpha (e^x - 1)` rounds to
//!    `-alpha` for every `alpha`, as it does at `-18`. `-18` keeps `n >= -26`
//!    in step 2, so `2^n` is a normal number.
//! 2. `e^xc - 1` as an unevaluated pair `(h, l)`
//!    ([`exp::expm1_neg_pair`]): the reduction's rounding is carried, and
//!    `2^n - 1` is formed exactly before `2^n q` is added, so the pair's
//!    relative error is the polynomial's (`< 2^-26` of `e^x`, at most
//!    `2^-24.7` of `e^x - 1` where `e^x - 1` is smallest relative to `e^x`).
//! 3. Multiply by the factor ([`mul_pair`]): ELU by `alpha`, SELU by
//!    `scale * alpha` split into `SA_HI + SA_LO` (the f32 truncation and its
//!    remainder). The leading product `c_hi * h` is exact (FMA, or Dekker's
//!    product without), the small terms are rounded, and one final rounding
//!    gives the result: within about 0.55 ULP (measured: see the accuracy
//!    table). Dekker's product (no FMA) needs its operands below `2^100`
//!    (its split overflows past `2^115`) and its product above `2^-100` (or
//!    its error terms underflow), and on any path the small terms of a
//!    result near the subnormal range would underflow. So SELU's operands
//!    outside `[2^-50, 2^100]` are scaled by powers of two first and the
//!    result back after ([`mul_pair_scaled`]), and ELU brings `alpha` into
//!    `[2^-40, 2^100]` once per call (and, without FMA, returns
//!    `alpha * x`, rounded once, for `|x| < 2^-50`, where
//!    `e^x - 1 = x (1 + x/2 + ...)` is `x` to `2^-51`). Scaling back is
//!    exact for normal results and a second rounding for subnormal ones: at
//!    most 0.75 ULP there, since a double rounding errs only where the first
//!    lands on a midpoint of the second's grid (half a subnormal ulp plus
//!    half an ulp of a grid at least one bit finer).
//! 4. Positive lanes: ELU returns `x`; SELU returns `scale * x` as
//!    `(S_HI + S_LO) x` by [`mul_pair`], the correctly rounded product (but
//!    for a `2^-48` relative residue). `±0.0`, `+inf` and NaN take this branch: ELU
//!    returns them unchanged, SELU `scale * ±0 = ±0`, `+inf` and the NaN
//!    unchanged.
//! 5. ELU's sign fix-up for negative lanes: the result's sign is that of
//!    `-alpha` (so an `alpha * (e^x - 1)` that underflows to zero keeps its
//!    IEEE sign without FMA too).
//!
//! Builds without FMA on x86-64 (the `Portable` level of a default build,
//! [`crate::lanes::F64_ROUTE`]) take an **f64 route** instead, where step
//! 3's exact products would need Dekker's splitting and the scalings
//! around it; per lane, in f64, where `x` and `alpha` widen exactly:
//! 1. `xc = clamp(x, -18, 0)`, as in step 1.
//! 2. `m = e^xc - 1` ([`wide64::expm1`], within `2^-31.9` relative).
//! 3. ELU: `alpha m`; SELU: `c m` with `c = scale * alpha` rounded to f64
//!    (`2^-53`). One f64 rounding each, then one to f32: at most
//!    `0.5 + 2^24 (2^-31.9 + 2^-52) = 0.505` ULP, subnormal results
//!    included (their absolute error is below `2^-31.9 2^-126`), and the
//!    sign of a product that underflows is the IEEE one, that of `-alpha`.
//! 4. Positive lanes, `±0.0`, `+inf` and NaN as in step 4: ELU returns `x`
//!    (the f32 lane itself); SELU returns `s x` with `s = scale` rounded to
//!    f64, rounded to f32 (within `0.5 + 2^-29` ULP: the f64 product's
//!    `2^-52` and `s`'s `2^-53`), and NaN lanes the input NaN.

use crate::approx::div::{DEKKER_MAX, DEKKER_MIN};
use crate::approx::{div, exp, wide64};
use crate::error::Error;
use crate::lanes::{checked_map, f64_or_f32, map_f64, map_in_place, Lanes};
use wide::f64x2;

/// Step 1: at and below this, `alpha (e^x - 1)` rounds to `-alpha` (module docs).
const X_MIN: f32 = -18.0;

/// SELU's `scale`, 1.0507009873554804934193349852946, as the f32 truncation
/// `S_HI` (0x1.0cfabcp+0) plus `S_LO` (0x1.6a9114p-24); residue `3.1e-15`.
pub(crate) const S_HI: f32 = f32::from_bits(0x3f86_7d5e);
pub(crate) const S_LO: f32 = f32::from_bits(0x33b5_488a);
/// SELU's `scale * alpha`, 1.7580993408473768599402175208123, as
/// `SA_HI` (0x1.c212ccp+0) plus `SA_LO` (0x1.903c0cp-26); residue `2.4e-16`.
/// (`alpha` = 1.6732632423543772848170429916717.)
pub(crate) const SA_HI: f32 = f32::from_bits(0x3fe1_0966);
pub(crate) const SA_LO: f32 = f32::from_bits(0x32c8_1e06);

/// ELU's `alpha` is scaled into `[2^-40, 2^100]` once per call.
pub(crate) const ALPHA_MIN: f32 = f32::from_bits(0x2b80_0000); // 2^-40
/// The scale factors `2^-64`, `2^64`, and `2^-128` (a subnormal).
pub(crate) const DOWN: f32 = f32::from_bits(0x1f80_0000);
pub(crate) const UP: f32 = f32::from_bits(0x5f80_0000);
pub(crate) const DOWN2: f32 = f32::from_bits(0x0020_0000);

/// Step 3: `(c_hi + c_lo)(h + l)` rounded once (up to the small terms'
/// roundings, `2^-48` relative or less), for `|c_hi|, |h| <= 2^100` and
/// `|c_lo| <= ulp(c_hi)`, `|l| <= ulp(h)`.
#[inline(always)]
fn mul_pair<V: Lanes>(c_hi: V, c_lo: V, h: V, l: V) -> V {
    let small = c_lo.mul_add(h, c_hi * l);
    if V::FUSED {
        c_hi.mul_add(h, small)
    } else {
        let (p, pe) = div::two_prod(c_hi, h);
        p + (pe + small)
    }
}

/// [`mul_pair`] for any finite `h` (and `c_hi` within Dekker's range):
/// lanes with `|h| > 2^100` or `|h| < 2^-50` are scaled by `2^-64` or
/// `2^64` and the product back: exactly for normal results; a subnormal one
/// is rounded twice (at most 0.75 ULP, see the module docs). With FMA too:
/// there the leading product needs no scaling, but unscaled the small terms
/// `c_lo h` of a subnormal result would underflow, and cost up to 0.5 ULP
/// more (measured: 1.0 ULP).
#[inline(always)]
fn mul_pair_scaled<V: Lanes>(c_hi: V, c_lo: V, h: V, l: V) -> V {
    let a = h.abs();
    let one = V::splat(1.0);
    let big = V::splat(DEKKER_MAX).lt(a);
    let tiny = a.lt(V::splat(DEKKER_MIN));
    let k = V::select(big, V::splat(DOWN), V::select(tiny, V::splat(UP), one));
    let back = V::select(big, V::splat(UP), V::select(tiny, V::splat(DOWN), one));
    mul_pair(c_hi, c_lo, h * k, l * k) * back
}

/// `alpha = a * back` with `|a|` in `[2^-40, 2^100]` (or zero), both
/// factors exact (`back` may be the subnormal `2^-128`).
#[inline(always)]
fn split_alpha(alpha: f32) -> (f32, f32) {
    let m = alpha.abs();
    if m > DEKKER_MAX {
        (alpha * DOWN, UP)
    } else if m == 0.0 || m >= ALPHA_MIN {
        (alpha, 1.0)
    } else if m * UP >= ALPHA_MIN {
        (alpha * UP, DOWN)
    } else {
        (alpha * UP * UP, DOWN2)
    }
}

/// Steps 1-2: `e^x - 1` of the clamped negative part of `x`, as a pair.
#[inline(always)]
fn expm1_clamped<V: Lanes>(x: V) -> (V, V) {
    // `max_of` sends NaN lanes to -18 and `min_fast` sees no NaN; those
    // lanes, and the positive ones, are replaced in step 4.
    let xc = x.max_of(V::splat(X_MIN)).min_fast(V::splat(0.0));
    exp::expm1_neg_pair(xc)
}

/// ELU of every lane: the kernel the slice functions run (narrated at the
/// top of `src/elu.rs`). `alpha` must be finite (the slice functions check);
/// everything derived from it is loop-invariant once inlined.
#[inline(always)]
pub fn elu_lanes<V: Lanes>(x: V, alpha: f32) -> V {
    f64_or_f32!(x, elu_widened, elu_f32_route, alpha)
}

/// `e^x - 1` in f64 of `x` clamped to `[-18, 0]` (the f64 route's steps 1-2).
#[inline(always)]
fn expm1_clamped_f64(x: f64x2) -> f64x2 {
    // NaN lanes come out as anything; the callers replace them.
    let xc = x.fast_max(f64x2::splat(f64::from(X_MIN)));
    wide64::expm1(xc.fast_min(f64x2::ZERO))
}

/// ELU's f64 route (module docs), for builds without FMA on x86-64.
#[inline(always)]
fn elu_widened<V: Lanes>(x: V, alpha: f32) -> V {
    let a = f64x2::splat(f64::from(alpha));
    let y = map_f64(
        x,
        #[inline(always)]
        |x| expm1_clamped_f64(x) * a,
    );
    V::select(x.lt(V::splat(0.0)), y, x)
}

/// SELU's `scale * alpha` and `scale` rounded to f64 (its f64 route).
const SA_F64: f64 = 1.758_099_340_847_376_8;
const S_F64: f64 = 1.050_700_987_355_480_5;

/// SELU's f64 route (module docs), for builds without FMA on x86-64.
#[inline(always)]
fn selu_widened<V: Lanes>(x: V) -> V {
    let y = map_f64(
        x,
        #[inline(always)]
        |x| {
            let neg = expm1_clamped_f64(x) * f64x2::splat(SA_F64);
            x.simd_lt(f64x2::ZERO)
                .bitselect(neg, x * f64x2::splat(S_F64))
        },
    );
    V::select(x.is_nan(), x, y)
}

/// ELU's f32 route (module docs, steps 1-5).
#[inline(always)]
pub(crate) fn elu_f32_route<V: Lanes>(x: V, alpha: f32) -> V {
    let neg_sign = if alpha.is_sign_negative() { 0.0 } else { -0.0 };
    let (h, l) = expm1_clamped(x);
    // Step 3.
    // `alpha` is brought into [2^-40, 2^100] first on every path: with FMA
    // too, `alpha * l` would underflow for a tiny alpha and move the result
    // (an artificial tie at `x = -17.3289`, `alpha = -7.1e-38` went to even,
    // found by the fuzzer).
    let (a, back) = split_alpha(alpha);
    let y = mul_pair(V::splat(a), V::splat(0.0), h, l) * V::splat(back);
    let y = if V::FUSED {
        y
    } else {
        let tiny = x.abs().lt(V::splat(DEKKER_MIN));
        V::select(tiny, V::splat(alpha) * x, y)
    };
    // Step 5.
    let y = y.abs() | V::splat(neg_sign);
    // Step 4.
    V::select(x.lt(V::splat(0.0)), y, x)
}

/// SELU of every lane: the kernel the slice functions run (narrated at
/// the top of `src/elu.rs`).
#[inline(always)]
pub fn selu_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, selu_widened, selu_f32_route)
}

/// SELU's f32 route (module docs, steps 1-4).
#[inline(always)]
pub(crate) fn selu_f32_route<V: Lanes>(x: V) -> V {
    let (h, l) = expm1_clamped(x);
    // Step 3.
    let y_neg = mul_pair_scaled(V::splat(SA_HI), V::splat(SA_LO), h, l);
    // Step 4.
    let zero = V::splat(0.0);
    // (`scale * -0.0` comes out `+0.0` from the pair's `+0.0` low part.)
    let y_pos = mul_pair_scaled(V::splat(S_HI), V::splat(S_LO), x, zero) | x.sign();
    // `+inf` (Dekker's product of it is NaN) and NaN lanes return `x`.
    let y_pos = V::select(x.lt(V::splat(f32::INFINITY)), y_pos, x);
    V::select(x.lt(zero), y_neg, y_pos)
}

/// `Ok` for a finite `alpha`.
#[inline]
pub(crate) fn check_alpha(alpha: f32) -> Result<(), Error> {
    if alpha.is_finite() {
        Ok(())
    } else {
        Err(Error::InvalidParameter { name: "alpha" })
    }
}

/// Exponential linear unit `x > 0 ? x : alpha * (e^x - 1)` of every element
/// of `input`, into `output` (`alpha = 1.0` is the common choice).
///
/// # Accuracy
/// At most [`crate::accuracy::ELU`] ULP from the correctly rounded
/// `alpha * (e^x - 1)` (see the [accuracy table](crate::accuracy)), verified
/// over all 2^32 inputs for `alpha` = 1 and 0.3 (and random `alpha` in the
/// tests); positive inputs are copied exactly.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `+inf`; `-inf` → `-alpha`; `±0.0` → `±0.0`
/// (for every `alpha`); `x <= -17.33` gives `-alpha` (`e^x` is below half
/// an ulp); negative subnormals give `alpha * x` correctly rounded (subnormal
/// results are not flushed). Results for `x < 0` have the sign of
/// `-alpha`, zero included.
///
/// # Errors
/// [`Error::InvalidParameter`] when `alpha` is NaN or infinite;
/// [`Error::LengthMismatch`] when `output.len() != input.len()`. Nothing is
/// written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::elu(&[2.0, -1.0, f32::NEG_INFINITY], &mut y, 1.0)?;
/// assert_eq!(y[0], 2.0);
/// assert!((y[1] - (-0.632_120_56)).abs() < 1e-7);
/// assert_eq!(y[2], -1.0);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn elu(input: &[f32], output: &mut [f32], alpha: f32) -> Result<(), Error> {
    crate::dispatch::root::elu(input, output, alpha)
}

/// [`elu`] in place.
///
/// # Errors
/// [`Error::InvalidParameter`] when `alpha` is NaN or infinite (nothing is
/// written then).
///
/// # Examples
/// ```
/// let mut v = [-0.0f32, 3.0, -30.0];
/// activations::elu_in_place(&mut v, 0.5)?;
/// assert_eq!(v[0].to_bits(), (-0.0f32).to_bits());
/// assert_eq!(&v[1..], &[3.0, -0.5]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn elu_in_place(values: &mut [f32], alpha: f32) -> Result<(), Error> {
    crate::dispatch::root::elu_in_place(values, alpha)
}

/// Scaled ELU `scale * (x > 0 ? x : alpha * (e^x - 1))` of every element of
/// `input`, into `output`, with the self-normalising constants
/// `alpha = 1.6732632423543772848170429916717` and
/// `scale = 1.0507009873554804934193349852946` (as PyTorch and TensorFlow).
///
/// # Accuracy
/// At most [`crate::accuracy::SELU`] ULP from the correctly rounded value
/// with the exact constants (see the [accuracy table](crate::accuracy)),
/// verified over all 2^32 inputs.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `+inf`; `-inf` → `-scale * alpha`
/// (`-1.7580993`); `±0.0` → `±0.0`; `x >= 3.2385e38` overflows to `+inf`
/// (the product is past `f32::MAX`).
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 2];
/// activations::selu(&[1.0, f32::NEG_INFINITY], &mut y)?;
/// assert_eq!(y, [1.050_701, -1.758_099_3]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn selu(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::selu(input, output)
}

/// [`selu`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [0.0f32, -0.0];
/// activations::selu_in_place(&mut v);
/// assert_eq!(v[1].to_bits(), (-0.0f32).to_bits());
/// ```
#[inline]
pub fn selu_in_place(values: &mut [f32]) {
    crate::dispatch::root::selu_in_place(values)
}

#[inline(always)]
pub(crate) fn elu_slice<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    alpha: f32,
) -> Result<(), Error> {
    check_alpha(alpha)?;
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| elu_lanes(x, alpha),
    )
}

#[inline(always)]
pub(crate) fn elu_slice_in_place<V: Lanes>(values: &mut [f32], alpha: f32) -> Result<(), Error> {
    check_alpha(alpha)?;
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| elu_lanes(x, alpha),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn selu_slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| selu_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn selu_slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| selu_lanes(x),
    );
}
