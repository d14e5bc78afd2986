//! Logistic sigmoid, `1 / (1 + e^-x)`.
//!
//! Two paths compute the same function to the same bound. With fused
//! multiply-adds (the x86 levels, aarch64, FMA builds), vectors whose lanes
//! all have `|x| <= 64` take the **fast path**; other vectors also compute
//! the **general path** and take it for their lanes with `|x| > 64` or NaN.
//! Builds without FMA use the general path for every lane, except on
//! x86-64 (the `Portable` level of a default build, SSE2), where the
//! **f64 route** below replaces it: the general path's exact products
//! need Dekker's splitting there.
//!
//! Fast path, per lane (`|x| <= 64`, so `e^-|x| >= 2^-93`: every value below
//! is normal and every scaling exact):
//! 1. `E = e^-|x| = 2^n (a_hi + a_lo)` from [`exp::reduce_split`] (a
//!    normalised pair, `|a_lo| <= ulp(a_hi) / 2`), scaled exactly:
//!    `e_hi = 2^n a_hi`, `e_lo = 2^n a_lo`. Its error is `r`'s rounding
//!    (`2^-26`), the fit's (`2^-27.3`) and `a_lo`'s (`2^-29`).
//! 2. The numerator `N = n_hi + n_lo` is `1` for `x >= 0` and `E` for
//!    `x < 0` (the same `e^x / (1 + e^x)`, no `1 - ...` cancellation); the
//!    denominator is `D = 1 + e_hi + e_lo`. `rcp = 1 / (1 + e_hi)` rounded
//!    and `y0 = n_hi rcp` rounded are within `2^-22` of `1 / D` and `N / D`.
//!    Steps 2-4 are [`div::div_one_plus`], which SiLU and GELU-tanh share.
//! 3. The residual `t = N - y0 D = (n_hi - y0) - y0 e_hi + (n_lo - y0 e_lo)`:
//!    `n_hi - y0` is exact (Sterbenz: `1 + e_hi` is in `[1, 2]`, so `y0` is
//!    in `[n_hi / 2, n_hi]`), and each multiply-add rounds a value of a few
//!    `2^-24 N`, so `t` is within `2^-46 N` of the true residual, and
//!    `D` is never rounded before it is used.
//! 4. `y = y0 + t rcp` by one multiply-add: `t rcp` is within `2^-46 y` of
//!    `t / D`, so `y` is `N / D` rounded once, from a value within
//!    `2^-25.3 y` of `sigmoid(x)` (step 1's errors): at most
//!    `0.5 + 0.4` ULP (measured: see the accuracy table).
//!
//! General path, per lane:
//! 1. `z = min(|x|, 105)`. For `|x| > 103.98` the result rounds to `+0.0`
//!    (`x < 0`, below half the smallest subnormal `2^-150`) or `1.0` (`x > 0`),
//!    and 105 is past that, so the clamp changes no result; it keeps `n` in
//!    the range of [`exp::scale`].
//! 2. `E = e^-z = 2^n (1 + q)` from [`exp::reduce_single`], kept as an exact
//!    pair `E_hi + E_lo`: with `2^n = s1 * s2` ([`exp::scale_factors`]),
//!    [`exp::one_plus_q_pair`] gives `s1 + s1 q` rounded and its rounding
//!    error (by FMA, or Fast2Sum without); the pair is then scaled by `s2`
//!    (1 unless the result may be subnormal).
//! 3. `D = 1 + E` as an exact pair (Fast2Sum: `1 >= E`), and
//!    `sigmoid(x) = 1 / D` for `x >= 0` or `E / D` for `x < 0` (the same value
//!    `e^x / (1 + e^x)`, with no `1 - ...` cancellation), divided by
//!    [`div::div_dd`] so that neither `E` nor `D` is rounded before the one
//!    division: the result is within about half an ulp plus `q`'s error.
//!    For `x < -87.3`, `E` is subnormal and `D` rounds to 1: the result is `E`.
//! 4. NaN lanes return the input NaN unchanged (same bits on every target).
//!
//! f64 route, per lane (x86-64 without FMA, [`crate::lanes::F64_ROUTE`]):
//! 1. `z = -x` clamped to `[-105, 105]`: the results for `|x| > 103.98`
//!    round to `+0.0` or `1.0` (step 1 of the general path), and 105 is past
//!    that, so the clamp changes no result.
//! 2. `E = e^z` in f64 ([`wide64::exp`]): within `2^-28.27` relative
//!    (the f64 fit's `2^-28.28`, the reduction's `2^-46`, the roundings'
//!    `2^-51`). `z` widens to f64 exactly, and `e^105 < 2^152` and
//!    `e^-105 > 2^-152` are normal f64 numbers, so no lane needs a
//!    special case.
//! 3. `y = 1 / (1 + E)` in f64, each step rounded by `2^-53`: within
//!    `E / (1 + E) 2^-28.27 + 2^-52` relative of `sigmoid(x)`, and nothing
//!    cancels (for `x < 0`, `E = e^-x` is large and `y` small; f64 has the
//!    range). Rounded to f32 once: at most `0.5 + 2^24 2^-28.27 = 0.553`
//!    ULP for normal results, and for subnormal ones the absolute error
//!    (below `2^-28.27 2^-126`) is under 0.03 of their spacing `2^-149`.
//! 4. NaN lanes return the input NaN unchanged.
//!
//! **[`sigmoid_fast`]**, the same function to [`crate::accuracy::SIGMOID_FAST`]
//! ULP in about 60% of the time (README, "Speed"), for callers who trade
//! the last ulps for speed. It rounds `e^-|x|` and `1 + e^-|x|` before the one
//! division, where the paths above keep both as exact pairs. Per lane,
//! `|x| <= 64` (other lanes, NaN included, take the general path above,
//! so NaN, the infinities and the subnormal results are the same as
//! [`sigmoid`]'s), with or without FMA:
//! 1. `E = e^-|x| = 2^n (1 + q)`: `r = -|x| - n ln2` rounded once
//!    ([`exp::reduce_rounded_single`], `2^-26` absolute), `q = fl(r + r^2
//!    P(r))` (the fit's `2^-27.4` absolute, the evaluation's `2^-26.2` and
//!    the rounding's `2^-26`: `2^-24.3` relative to `1 + q >= 0.707`; without
//!    FMA `r^2 P` rounds once more, by `2^-27.8`: `2^-24.15`), then
//!    `E = fl(2^n + 2^n q)` by one multiply-add (`2^n >= 2^-93` is normal,
//!    so `2^n q` is exact without FMA too): within
//!    `eps = 2.04 * 2^-24` of `e^-|x|`, relative (`2.15 * 2^-24` without
//!    FMA).
//! 2. `D = fl(1 + E)` (`E <= 1`: off by at most `2^-24`), and
//!    `y = fl(N / D)` with `N = 1` for `x >= 0` and `E` for `x < 0`.
//! 3. Error, from steps 1-2: for `x >= 0`, `y` is in `[0.5, 1]` and off by
//!    `(E eps + 2^-24) / (1 + E)` relative, at most 1.005 ULP, plus the
//!    division's 0.5; for `x < 0` the error of `E` partly cancels between
//!    `N` and `D`: `(eps + 2^-24) / (1 + E)` relative, at most 3.04 ULP
//!    (3.15 without FMA), plus 0.5. That is 3.54 ULP (3.65) in the worst
//!    case the analysis allows; the sweep of all 2^32 inputs, at every
//!    level and width, measures 2.402 in both columns, and the accuracy
//!    table's bound is that sweep's (README: the measured maxima).
//! 4. The error is not monotone in `x`, unlike [`sigmoid`]'s: adjacent
//!    inputs can give outputs an ulp or two out of order.

use crate::approx::{div, exp, wide64};
use crate::error::Error;
use crate::lanes::{checked_map, f64_or_f32, fast_or_general, map_f64, map_in_place, Lanes};
use wide::f64x2;

/// The clamp of step 1: `sigmoid(-103.98)` is half the smallest subnormal.
const Z_MAX: f32 = 105.0;

/// Sigmoid of every lane: the kernel the slice functions run. Its algorithm
/// is narrated step by step at the top of `src/sigmoid.rs`.
#[inline(always)]
pub fn sigmoid_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, widened, f32_route)
}

/// sigmoid's f32 routes ([`crate::lanes::route`]): the fast path with FMA, its other lanes
/// through the general path; the general path alone without FMA.
#[inline(always)]
pub(crate) fn f32_route<V: Lanes>(x: V) -> V {
    if V::FUSED {
        // |x| > 64 or NaN: the general path.
        let other = x.abs().nle(V::splat(X_FAST));
        fast_or_general!(x, other, fused, general)
    } else {
        general(x)
    }
}

/// The fast path's domain, `|x| <= 64`: `e^-64 = 2^-92.3`, so `e_lo`
/// (about `2^-24` of it) stays far above the subnormal range, and `n`
/// inside [`Lanes::pow2i`]'s.
const X_FAST: f32 = 64.0;

/// The fast path (module docs, steps 1-4), for `|x| <= 64` with FMA.
#[inline(always)]
fn fused<V: Lanes>(x: V) -> V {
    // Step 1.
    let (s, a_hi, a_lo) = exp::reduce_split(-x.abs());
    let (e_hi, e_lo) = (s * a_hi, s * a_lo);
    // Step 2: the numerator.
    let neg = x.lt(V::splat(0.0));
    let n_hi = V::select(neg, e_hi, V::splat(1.0));
    let n_lo = neg & e_lo;
    // Steps 2-4: the quotient, refined by its residual.
    div::div_one_plus(n_hi, n_lo, e_hi, e_lo)
}

/// Fast sigmoid of every lane: the kernel [`sigmoid_fast`] runs (module
/// docs, "sigmoid_fast"). Lanes with `|x| > 64` or NaN take [`sigmoid_lanes`]'
/// general path.
#[inline(always)]
pub fn sigmoid_fast_lanes<V: Lanes>(x: V) -> V {
    let other = x.abs().nle(V::splat(X_FAST));
    fast_or_general!(x, other, rounded, general)
}

/// [`sigmoid_fast_lanes`] for `|x| <= 64` (module docs, steps 1-2 of
/// `sigmoid_fast`).
#[inline(always)]
fn rounded<V: Lanes>(x: V) -> V {
    // Step 1.
    let (b, q) = exp::reduce_rounded_single(-x.abs());
    let s = b.pow2i_biased();
    let e = s.mul_add(q, s);
    // Step 2.
    let n = V::select(x.lt(V::splat(0.0)), e, V::splat(1.0));
    n / (V::splat(1.0) + e)
}

/// The f64 route (module docs, steps 1-4 of the f64 route), for builds
/// without FMA on x86-64.
#[inline(always)]
fn widened<V: Lanes>(x: V) -> V {
    // Step 1: -x clamped to [-105, 105].
    // (NaN lanes may come out of the clamp as anything; step 4 replaces them.)
    let z = V::splat(-Z_MAX).max_of((-x).min_fast(V::splat(Z_MAX)));
    // Steps 2-3.
    let y = map_f64(
        z,
        #[inline(always)]
        |z| f64x2::ONE / (f64x2::ONE + wide64::exp(z)),
    );
    // Step 4.
    V::select(x.is_nan(), x, y)
}

/// The general path (module docs, steps 1-4 of the general path).
#[inline(always)]
fn general<V: Lanes>(x: V) -> V {
    // Step 1.
    // (NaN lanes may come out of `min_fast` as anything; step 4 replaces them.)
    let z = x.abs().min_fast(V::splat(Z_MAX));
    // Step 2: e^-z = (s1 + s1 q) s2, as the pair e_hi + e_lo.
    let (n, q_hi, q_lo) = exp::reduce_single(-z);
    let (e_hi, e_lo) = exp::scaled_pair(
        n,
        #[inline(always)]
        |s1| exp::one_plus_q_pair(s1, q_hi, q_lo),
    );
    // Step 3: D = 1 + E, numerator 1 or E.
    let (d_hi, d_lo) = div::fast_two_sum(V::splat(1.0), e_hi);
    let d_lo = d_lo + e_lo;
    let neg = x.lt(V::splat(0.0));
    let n_hi = V::select(neg, e_hi, V::splat(1.0));
    let n_lo = neg & e_lo;
    let y = div::div_dd(n_hi, n_lo, d_hi, d_lo);
    // Step 4.
    V::select(x.is_nan(), x, y)
}

/// Logistic sigmoid `σ(x) = 1 / (1 + e^-x)` of every element of `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::SIGMOID`] ULP from the correctly computed
/// value (see the [accuracy table](crate::accuracy)), verified over all 2^32
/// `f32` inputs, subnormal results included.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `1.0`; `-inf` → `+0.0`; `±0.0` → `0.5`;
/// every output lies in `[0, 1]`; results below `2^-126` are subnormal, not
/// flushed (they round to `+0.0` only for `x <= -103.97208`, i.e. below
/// `-150 ln 2`, where the exact value is under half the smallest subnormal);
/// `σ(x) = 1.0` exactly for `x >= 17.32868` (`25 ln 2`, where the exact value
/// is within half an ulp of 1).
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::sigmoid(&[0.0, 2.0, -2.0], &mut y)?;
/// assert_eq!(y[0], 0.5);
/// assert!((y[1] - 0.880_797_1).abs() < 1e-7);
/// assert!((y[1] + y[2] - 1.0).abs() < 1e-7);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn sigmoid(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::sigmoid(input, output)
}

/// [`sigmoid`] in place: every element `x` of `values` becomes `σ(x)`.
///
/// Same accuracy and special values as [`sigmoid`]; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [0.0f32, f32::INFINITY, f32::NEG_INFINITY];
/// activations::sigmoid_in_place(&mut v);
/// assert_eq!(v, [0.5, 1.0, 0.0]);
/// ```
#[inline]
pub fn sigmoid_in_place(values: &mut [f32]) {
    crate::dispatch::root::sigmoid_in_place(values)
}

/// Logistic sigmoid of every element of `input`, into `output`, to a few
/// ULP, faster than [`sigmoid`]: for inference, where the last ulps do not
/// matter but the time does.
///
/// # Accuracy
/// At most [`crate::accuracy::SIGMOID_FAST`] ULP from the correctly
/// computed value (see the [accuracy table](crate::accuracy)), verified over
/// all 2^32 `f32` inputs; [`sigmoid`] is within 1 ULP. Not monotone:
/// neighbouring inputs can give outputs out of order by an ulp or two.
///
/// # Special values
/// As [`sigmoid`]'s: NaN → the same NaN; `+inf` → `1.0`; `-inf` → `+0.0`;
/// `±0.0` → `0.5`; every output lies in `[0, 1]`, and subnormal results are
/// kept (for `|x| > 64` the two functions compute the same bits). The one
/// difference: `1.0` exactly already for `x >= 16.635532` (`24 ln 2`,
/// where `1 + e^-x` rounds to 1), an ulp early.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let x = [0.0, 2.0, -2.0];
/// let (mut fast, mut exact) = ([0.0; 3], [0.0; 3]);
/// activations::sigmoid_fast(&x, &mut fast)?;
/// activations::sigmoid(&x, &mut exact)?;
/// assert_eq!(fast[0], 0.5);
/// for (f, e) in fast.iter().zip(&exact) {
///     assert!((f - e).abs() <= 4.0 * f32::EPSILON * e.abs());
/// }
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn sigmoid_fast(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::sigmoid_fast(input, output)
}

/// [`sigmoid_fast`] in place: every element `x` of `values` becomes `σ(x)`,
/// to [`crate::accuracy::SIGMOID_FAST`] ULP.
///
/// Same accuracy and special values as [`sigmoid_fast`]; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [0.0f32, f32::INFINITY, f32::NEG_INFINITY];
/// activations::sigmoid_fast_in_place(&mut v);
/// assert_eq!(v, [0.5, 1.0, 0.0]);
/// ```
#[inline]
pub fn sigmoid_fast_in_place(values: &mut [f32]) {
    crate::dispatch::root::sigmoid_fast_in_place(values)
}

#[inline(always)]
pub(crate) fn fast_slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| sigmoid_fast_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn fast_slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| sigmoid_fast_lanes(x),
    );
}

#[inline(always)]
pub(crate) fn slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| sigmoid_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| sigmoid_lanes(x),
    );
}
