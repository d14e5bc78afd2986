//! Hyperbolic tangent, `(e^2x - 1) / (e^2x + 1)`.
//!
//! Vectors whose lanes all have `|x| <= 8` take the **fast path**; other
//! vectors (a lane with `|x| > 8` or NaN) take the **general path**;
//! x86-64 builds without FMA (the `Portable` level of a default build,
//! SSE2) take the **f64 route** below instead of both, since the paths'
//! exact products need Dekker's splitting there. The fast and general
//! paths give the same bits where both apply (the sweep's output hashes did
//! not change when the fast path was added), so a lane's bits never depend
//! on its neighbours; the fast path drops the clamp and the NaN select, and
//! forms `m + 2` without waiting for `m`. Firmware builds
//! (`lanes::COMPACT`) compile the general path only, for code size.
//!
//! Fast path, per lane (`|x| <= 8`: `n <= 23`):
//! - F1. `m = expm1(2z)`, `z = |x|`, as the pair `m_hi + m_lo` of step 2
//!   below.
//! - F2. `m + 2 = (2^n + 1) + 2^n q` as an exact pair: `2^n + 1` is exact
//!   for `n <= 23`, and Fast2Sum adds `2^n q_hi` (`|2^n q_hi| <= 0.42 2^n`),
//!   then `2^n q_lo` joins the low part; `m / (m + 2)` by
//!   [`div::div_dd`] as in step 3.
//! - F3. The sign of `x` as in step 4.
//!
//! General path, per lane:
//! 1. `z = min(|x|, 9.5)`. For `z > 13 ln 2 = 9.0109`, `1 - tanh z ≈ 2e^-2z`
//!    is below `2^-25`, half an ulp under 1, so tanh rounds to 1; the clamp
//!    changes no result.
//! 2. `m = expm1(2z) = (2^n - 1) + 2^n q` from [`exp::reduce`], kept as an
//!    exact pair `m_hi + m_lo`: `2^n - 1` is exact for `n <= 24`, `2^n q` is
//!    exact, and Fast2Sum adds them (`2^n - 1 >= |2^n q|` for `n >= 1`; for
//!    `n = 0` the pair is `(q, 0)`). No cancellation near 0.
//! 3. `tanh z = m / (m + 2)`, with `m + 2` as an exact pair (two-sum) and the
//!    pairs divided by [`div::div_dd`], so the only roundings are `q`'s and
//!    the final one. No `1 - 2/(e^2z + 1)`: nothing cancels for small `z`,
//!    and a subnormal `x` gives `m = 2z` and `tanh = x` exactly. For
//!    `z > 9.0109`, `2/m < 2^-25` and the quotient rounds to exactly 1.
//! 4. Copy the sign of `x` (so `tanh(-0.0) = -0.0` and the function is odd
//!    bit for bit); NaN lanes return the input NaN unchanged.
//!
//! f64 route, per lane (x86-64 without FMA, [`crate::lanes::F64_ROUTE`]):
//! - W1. `z = min(|x|, 9.5)` as in step 1.
//! - W2. `m = e^-2z - 1` in f64 ([`wide64::expm1`], in `[-1, 0]`): `-2z`
//!   is exact, and `m` is within `2^-31.9` of its value, relative.
//! - W3. `tanh z = -m / (2 + m)` in f64: `|m| <= 1 <= 2 + m`, so `m`'s
//!   error moves the quotient by at most twice as much, `2^-30.9`
//!   relative, and the two roundings add `2^-52`. Rounded to f32 once: at
//!   most `0.5 + 2^24 2^-30.9 = 0.509` ULP. Nothing cancels for small `z`
//!   (a subnormal `x` gives `m = -2z` and `z` exactly: `tanh x = x`). Near
//!   1 the error is absolute, about `2^-51` (three roundings of values
//!   near 1, and `m`'s error scaled by `2^n <= 2^-23`), far inside the
//!   distance (at least `2^-44`) from `tanh z` to the midpoint `1 - 2^-25`
//!   for every float `z` past `13 ln 2`: those give exactly 1.0, as the
//!   other paths do.
//! - W4. The sign of `x` as in step 4 (the quotient of `z = 0` is `-0.0`,
//!   whose sign is cleared first); NaN lanes return the input NaN
//!   unchanged.
//!
//! **[`tanh_fast`]**, the same function to [`crate::accuracy::TANH_FAST`]
//! ULP in about half the time (README, "Speed"), for callers who trade
//! the last ulps for speed. It rounds `m = expm1(2z)` and `m + 2` before
//! the one division, where the paths above keep both as exact pairs. One
//! path for every lane, with or without FMA (no test of a domain: this
//! formula for `|x| <= 8` beside the general path measured 0.51 ns per
//! element against this path's 0.31 on inputs in `[-10, 10]`, where most
//! vectors hold a lane past 8, and 0.26 against 0.27 on `[-7.9, 7.9]`):
//! 1. `z = min(|x|, 9.5)` as in step 1 above, and `m = expm1(2z) =
//!    (2^n - 1) + 2^n q`: `2z` exact, `q` from
//!    [`exp::reduce_rounded_single`] (for `n = 0`, `r = 2z` exactly and
//!    `q` is within the fit's `2^-26.1` and half an ulp of `expm1(2z)`;
//!    otherwise as in `sigmoid_fast`, `2^-24.3` of `1 + q`), then
//!    `m = fl(2^n q + (2^n - 1))` by one multiply-add (`2^n q` is exact
//!    without FMA too). `2^n - 1` is exact for `n <= 24` (`z <= 8.49`);
//!    above, `m > 2^24` and its rounding is far below the result's ulp. A
//!    subnormal `z` gives `m = 2z` exactly.
//! 2. `t = fl(m / fl(m + 2))`, then the sign of `x` as in step 4 (odd bit
//!    for bit, `±0 -> ±0`, subnormal `x -> x`). For `z >= 13 ln 2 =
//!    9.0109`, `m >= 2^26`, `m + 2` rounds to `m` (2 is under half its ulp)
//!    and `t` is exactly 1, as `tanh` rounds there.
//! 3. NaN lanes return the input NaN unchanged.
//!
//! Error: the largest terms are `q`'s rounding, `m + 2`'s rounding and the
//! division's, each up to about an ulp of the result for small `z` (`n =
//! 0`, where `m = q`), plus the fit's 0.2; for `n >= 1` the error of `q`
//! relative to `1 + q` is amplified in `m` by up to `e^2z / (e^2z - 1)`
//! (3.4 at `n = 1`) but shrunk by `2 / (m + 2)` in `t`. The sweep of all
//! 2^32 inputs, at every level and width, measures the maximum (README: the
//! measured maxima), and the accuracy table's bound is that sweep's. Not
//! monotone: adjacent inputs can give outputs an ulp or two out of order.

use crate::approx::{div, exp, wide64};
use crate::error::Error;
use crate::lanes::{checked_map, f64_or_f32, map_f64, map_in_place, Lanes, COMPACT};
use wide::f64x2;

/// The clamp of step 1 (any value past 9.0109 that keeps `2z/ln2 < 2^7`).
const Z_MAX: f32 = 9.5;

/// Hyperbolic tangent of every lane: the kernel the slice functions run. Its
/// algorithm is narrated step by step at the top of `src/tanh.rs`.
#[inline(always)]
pub fn tanh_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, widened, f32_route)
}

/// The fast and general paths (module docs): what every build runs but
/// x86-64 builds without FMA.
#[inline(always)]
pub(crate) fn f32_route<V: Lanes>(x: V) -> V {
    // The two paths give the same bits where both apply, so a vector with
    // any lane outside the fast path's domain takes the general path alone;
    // firmware builds (`COMPACT`) keep only the general path (code size).
    if COMPACT || V::any(x.abs().nle(V::splat(Z_FAST))) {
        // |x| > 8 or NaN somewhere.
        general(x)
    } else {
        fast(x)
    }
}

/// The fast path's domain, `|x| <= 8`: `n <= 23`, so `2^n + 1` is exact.
const Z_FAST: f32 = 8.0;

/// Step 2 (and F1) for `z <= 9.5`: `m = expm1(2z) = (2^n - 1) + 2^n q` as
/// the exact pair `(m_hi, m_lo)`, with `s = 2^n`, `sq = s q_hi` and `q_lo`
/// (the fast path forms `m + 2` from them). `2z` is exact.
#[inline(always)]
fn expm1_2z<V: Lanes>(z: V) -> (V, V, V, V, V) {
    let (n, q_hi, q_lo) = exp::reduce_single(z + z);
    let s = n.pow2i();
    let sq = s * q_hi;
    let (m_hi, m_lo) = div::fast_two_sum(s - V::splat(1.0), sq);
    (m_hi, s.mul_add(q_lo, m_lo), s, sq, q_lo)
}

/// The fast path (module docs, steps F1-F3), for `|x| <= 8`.
#[inline(always)]
fn fast<V: Lanes>(x: V) -> V {
    // Step F1.
    let (m_hi, m_lo, s, sq, q_lo) = expm1_2z(x.abs());
    // Step F2: m + 2 = (2^n + 1) + 2^n q.
    let (d_hi, d_lo) = div::fast_two_sum(s + V::splat(1.0), sq);
    let t = div::div_dd(m_hi, m_lo, d_hi, s.mul_add(q_lo, d_lo));
    // Step F3.
    t | x.sign()
}

/// Fast hyperbolic tangent of every lane: the kernel [`tanh_fast`] runs
/// (module docs, "tanh_fast", steps 1-3). One path for every input.
#[inline(always)]
pub fn tanh_fast_lanes<V: Lanes>(x: V) -> V {
    // Step 1.
    // (NaN lanes may come out of `min_fast` as anything; step 3 replaces them.)
    let z = x.abs().min_fast(V::splat(Z_MAX));
    let (b, q) = exp::reduce_rounded_single(z + z);
    let s = b.pow2i_biased();
    let m = s.mul_add(q, s - V::splat(1.0));
    // Step 2: m / (m + 2) >= 0, so OR-ing in the sign bit is copysign.
    let y = (m / (m + V::splat(2.0))) | x.sign();
    // Step 3.
    V::select(x.is_nan(), x, y)
}

/// The f64 route (module docs, steps W1-W4), for builds without FMA on
/// x86-64.
#[inline(always)]
fn widened<V: Lanes>(x: V) -> V {
    // Step W1.
    // (NaN lanes may come out of `min_fast` as anything; step W4 replaces them.)
    let z = x.abs().min_fast(V::splat(Z_MAX));
    // Steps W2-W3: -m / (2 + m), m = e^-2z - 1 in [-1, 0].
    let t = map_f64(
        z,
        #[inline(always)]
        |z| {
            let m = wide64::expm1(z * f64x2::splat(-2.0));
            -m / (f64x2::splat(2.0) + m)
        },
    );
    // Step W4: `t` is `+0.0` or positive but for `z = 0`, where `-m` is
    // `-0.0`; `abs` clears that sign before the sign of `x` goes in.
    let y = t.abs() | x.sign();
    V::select(x.is_nan(), x, y)
}

/// The general path (module docs, steps 1-4).
#[inline(always)]
fn general<V: Lanes>(x: V) -> V {
    // Step 1.
    // (NaN lanes may come out of `min_fast` as anything; step 4 replaces them.)
    let z = x.abs().min_fast(V::splat(Z_MAX));
    // Step 2.
    let (m_hi, m_lo, ..) = expm1_2z(z);
    // Step 3: m / (m + 2).
    let (d_hi, d_lo) = div::two_sum(m_hi, V::splat(2.0));
    let t = div::div_dd(m_hi, m_lo, d_hi, d_lo + m_lo);
    // Step 4: t >= 0, so OR-ing in the sign bit is copysign.
    let y = t | x.sign();
    V::select(x.is_nan(), x, y)
}

/// Hyperbolic tangent of every element of `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::TANH`] ULP from the correctly computed value
/// (see the [accuracy table](crate::accuracy)), verified over all 2^32 inputs.
///
/// # Special values
/// NaN → the same NaN; `±inf` → `±1.0`; `±0.0` → `±0.0`; subnormal `x` → `x`;
/// `tanh(-x) = -tanh(x)` bit for bit; `|tanh(x)| <= 1` always, and exactly 1
/// for `|x| >= 9.010914` (just above `13 ln 2 = 9.0109133`, where the exact
/// value comes within half an ulp of 1).
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::tanh(&[0.5, -0.5, 20.0], &mut y)?;
/// assert!((y[0] - 0.462_117_16).abs() < 1e-7);
/// assert_eq!(y[1], -y[0]);
/// assert_eq!(y[2], 1.0);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn tanh(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::tanh(input, output)
}

/// [`tanh`] in place. Same accuracy and special values; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [-0.0f32, f32::INFINITY, f32::NEG_INFINITY];
/// activations::tanh_in_place(&mut v);
/// assert_eq!(v, [-0.0, 1.0, -1.0]);
/// assert!(v[0].is_sign_negative());
/// ```
#[inline]
pub fn tanh_in_place(values: &mut [f32]) {
    crate::dispatch::root::tanh_in_place(values)
}

#[inline(always)]
pub(crate) fn slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| tanh_lanes(x),
    )
}

/// Hyperbolic tangent of every element of `input`, into `output`, to a few
/// ULP, faster than [`tanh`]: for inference, where the last ulps do not
/// matter but the time does.
///
/// # Accuracy
/// At most [`crate::accuracy::TANH_FAST`] ULP from the correctly computed
/// value (see the [accuracy table](crate::accuracy)), verified over all
/// 2^32 `f32` inputs; [`tanh`] is within 1 ULP. Not monotone: neighbouring
/// inputs can give outputs out of order by an ulp or two.
///
/// # Special values
/// As [`tanh`]'s: NaN → the same NaN; `±inf` → `±1.0`; `±0.0` → `±0.0`;
/// subnormal `x` → `x`; odd bit for bit; `|tanh_fast(x)| <= 1`, and exactly
/// 1 for `|x| >= 9.010914` (`13 ln 2`).
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let x = [0.5, -0.5, 20.0];
/// let (mut fast, mut exact) = ([0.0; 3], [0.0; 3]);
/// activations::tanh_fast(&x, &mut fast)?;
/// activations::tanh(&x, &mut exact)?;
/// assert_eq!(fast[1], -fast[0]);
/// assert_eq!(fast[2], 1.0);
/// assert!((fast[0] - exact[0]).abs() <= 4.0 * f32::EPSILON * exact[0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn tanh_fast(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::tanh_fast(input, output)
}

/// [`tanh_fast`] in place, to [`crate::accuracy::TANH_FAST`] ULP. Same
/// accuracy and special values; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [-0.0f32, f32::INFINITY, f32::NEG_INFINITY];
/// activations::tanh_fast_in_place(&mut v);
/// assert_eq!(v, [-0.0, 1.0, -1.0]);
/// assert!(v[0].is_sign_negative());
/// ```
#[inline]
pub fn tanh_fast_in_place(values: &mut [f32]) {
    crate::dispatch::root::tanh_fast_in_place(values)
}

#[inline(always)]
pub(crate) fn fast_slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| tanh_fast_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn fast_slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| tanh_fast_lanes(x),
    );
}

#[inline(always)]
pub(crate) fn slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| tanh_lanes(x),
    );
}
