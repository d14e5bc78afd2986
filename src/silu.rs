//! SiLU (swish), `x * sigmoid(x) = x / (1 + e^-x)`.
//!
//! Two paths, as in `src/sigmoid.rs`: with fused multiply-adds, vectors
//! whose lanes all have `2^-60 <= |x| <= 20` take the **fast path**; other
//! vectors also compute the **general path** and take it for their other
//! lanes (NaN, infinities, `|x| > 20`, tiny `x`). Builds without FMA use
//! the general path for every lane, except on x86-64 (the `Portable`
//! level of a default build), where the **f64 route** replaces it, as in
//! `src/sigmoid.rs`.
//!
//! Fast path, per lane (sigmoid's fast path with the factor `x` in the
//! numerator):
//! - F1. `E = e^-|x| = e_hi + e_lo` from [`exp::reduce_split`], scaled
//!   exactly (`E >= e^-20`: every value below is normal).
//! - F2. The numerator `N` is `x` for `x >= 0` and `x E` for `x < 0`, the
//!   latter as the pair `fl(x e_hi)` plus its exact error (FMA) plus
//!   `x e_lo` (normal: `|x| >= 2^-60`). `rcp = 1 / (1 + e_hi)` and
//!   `y0 = n_hi rcp` rounded.
//! - F3. The residual `t = (n_hi - y0) - y0 e_hi + (n_lo - y0 e_lo)`
//!   (`n_hi - y0` exact by Sterbenz, `1 + e_hi` being in `[1, 2]`) and
//!   `y = y0 + t rcp` by one multiply-add: `N / (1 + E)` rounded once
//!   from within about `2^-25.3` relative (the exponential's error). The
//!   result has the sign of `x`, and for `x` up to 20 it is `x` rounded
//!   where the exact value is within a few `2^-28` of `x`.
//!
//! General path, per lane (the sigmoid pipeline of `src/sigmoid.rs` with the
//! factor `x` folded into the numerator before the one division):
//! 1. `z = min(|x|, 110)`. For `x < -110`, `|silu(x)| < 110 e^-110 < 2^-151`
//!    rounds to `-0.0`; the numerator's `x` is clamped to `-110` too, so such
//!    lanes (and `-inf`) come out as `-110 e^-110 / 1`, which rounds to `-0.0`.
//!    (110 is past the `-103.97` of sigmoid because `|x|` scales the tail up.)
//! 2. `E = e^-z` as the exact pair `(e_hi + e_lo) * s2` ([`exp::reduce_single`],
//!    [`exp::with_scale`]): `s2` is 1 unless some lane's result may be
//!    subnormal, and is applied last.
//! 3. `D = 1 + E` as an exact pair (Fast2Sum). The numerator is `x` for
//!    `x >= 0` and `x * E` for `x < 0` (so that `e^x / (1 + e^x)` never
//!    meets `1 - ...`), the latter as an exact pair: the product `x * e_hi`
//!    with its error (one FMA, or Dekker's product without FMA) plus
//!    `x * e_lo`.
//! 4. One division of the pairs ([`div::div_dd`]), then `* s2` for negative
//!    lanes: below `2^-100` the quotient is still normal and only that last
//!    product rounds onto the subnormal grid.
//! 5. The sign bit of `x` is OR-ed in (`silu(-0.0) = -0.0`; every other
//!    result already has the sign of `x`). Lanes with `!(x <= 20)` — `x > 20` (where `e^-x < 2^-28` and the result
//!    rounds to `x`), `+inf` and NaN — return `x` unchanged.
//!
//! f64 route, per lane (x86-64 without FMA, [`crate::lanes::F64_ROUTE`]):
//! 1. `v = max(x, -110)` (step 1's clamp of the numerator: for `x < -110`
//!    the result rounds to `-0.0`) and `z = -min(v, 110)` (for `x > 110`,
//!    `e^-110` leaves `x / (1 + e^-110)` rounding to `x`, as it does for
//!    `x > 20`), in f64, where `x` widens exactly.
//! 2. `E = e^z` ([`wide64::exp`], within `2^-28.27` relative; `e^110` is a
//!    normal f64).
//! 3. `y = v / (1 + E)` in f64: within `E / (1 + E) 2^-28.27 + 2^-52`
//!    relative, nothing cancels, and `-0.0 / 2 = -0.0` keeps the sign.
//!    Rounded to f32 once: at most 0.553 ULP (`src/sigmoid.rs`, f64 route,
//!    step 3), subnormal results included.
//! 4. NaN lanes return the input NaN unchanged.

use crate::approx::{div, exp, wide64};
use crate::error::Error;
use crate::lanes::{checked_map, f64_or_f32, fast_or_general, map_f64, map_in_place, Lanes};
use wide::f64x2;

/// The clamp of step 1.
const Z_MAX: f32 = 110.0;
/// Step 5: above this `silu(x)` rounds to `x` (`x e^-x < 2^-26 x`).
const X_IDENTITY: f32 = 20.0;

/// SiLU of every lane: the kernel the slice functions run. Its algorithm is
/// narrated step by step at the top of `src/silu.rs`.
#[inline(always)]
pub fn silu_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, widened, f32_route)
}

/// SiLU's f32 routes ([`crate::lanes::route`]): the fast path with FMA, its other lanes
/// through the general path; the general path alone without FMA.
#[inline(always)]
pub(crate) fn f32_route<V: Lanes>(x: V) -> V {
    if V::FUSED {
        let z = x.abs();
        let other = z.nle(V::splat(X_IDENTITY)) | z.lt(V::splat(X_TINY)); // or NaN
        fast_or_general!(x, other, fused, general)
    } else {
        general(x)
    }
}

/// The f64 route (module docs, steps 1-4 of the f64 route), for builds
/// without FMA on x86-64.
#[inline(always)]
fn widened<V: Lanes>(x: V) -> V {
    let y = map_f64(
        x,
        #[inline(always)]
        |x| {
            // Step 1 (NaN lanes come out as anything; step 4 replaces them).
            let v = x.fast_max(f64x2::splat(-f64::from(Z_MAX)));
            let z = -(v.fast_min(f64x2::splat(f64::from(Z_MAX))));
            // Steps 2-3.
            v / (f64x2::ONE + wide64::exp(z))
        },
    );
    // Step 4.
    V::select(x.is_nan(), x, y)
}

/// The fast path's lower end: below `2^-60` products with `x` could come
/// near the subnormal range, and `silu(x) ~= x / 2` is rounded there by the
/// general path's last step.
const X_TINY: f32 = f32::from_bits(0x2180_0000); // 2^-60

/// The fast path (module docs, steps F1-F3), for `2^-60 <= |x| <= 20`.
#[inline(always)]
fn fused<V: Lanes>(x: V) -> V {
    // Step F1.
    let (s, a_hi, a_lo) = exp::reduce_split(-x.abs());
    fast_times_sigmoid(x, x.lt(V::splat(0.0)), s, a_hi, a_lo)
}

/// Steps F1 (the scaling) to F3 for any `v * σ(u)` with `v` of the sign of
/// `u` (`neg`: `u < 0`), given `e^-|u| = s (a_hi + a_lo)` (`s = 2^n`) from
/// [`exp::reduce_split`] or [`exp::reduce_split_pair`]: `e^-|u|` must be
/// at least about `2^-96` (so that `2^n a_lo` is normal), and `|v|` in
/// `[2^-60, 2^60]`. SiLU and the tanh form of GELU share it.
#[inline(always)]
pub(crate) fn fast_times_sigmoid<V: Lanes>(v: V, neg: V, s: V, a_hi: V, a_lo: V) -> V {
    let (e_hi, e_lo) = (s * a_hi, s * a_lo);
    // Step F2.
    let (p_hi, p_err) = div::prod_pair(v, e_hi);
    let n_hi = V::select(neg, p_hi, v);
    let n_lo = neg & v.mul_add(e_lo, p_err);
    // Step F3.
    div::div_one_plus(n_hi, n_lo, e_hi, e_lo)
}

/// The general path (module docs, steps 1-5).
#[inline(always)]
fn general<V: Lanes>(x: V) -> V {
    // Step 1 (NaN lanes may come out of `min_fast` as anything; step 5
    // replaces them).
    let z = x.abs().min_fast(V::splat(Z_MAX));
    let xn = x.max_of(V::splat(-Z_MAX));
    let neg = x.lt(V::splat(0.0));
    // Step 2.
    let (n, q_hi, q_lo) = exp::reduce_single(-z);
    let y = times_sigmoid(x, xn, neg, n, q_hi, q_lo);
    // The quotient of `-0.0 / 2` by `div_dd` is `+0.0`; the result always
    // has the sign of `x`, so OR it in.
    let y = y | x.sign();
    // Step 5.
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// Steps 2-4 for any `v * σ(u)` with `v` of the sign of `u`: with
/// `e^-|u| ~= 2^n (1 + q_hi + q_lo)` (from [`exp::reduce`] or
/// [`exp::reduce_single`]), returns `v / (1 + E)` for `u >= 0` and
/// `vn E / (1 + E)` for `u < 0` (`neg`), `E = e^-|u|`, divided once as pairs.
/// `vn` is the numerator factor of negative lanes (clamped so that
/// `vn E` cannot overflow). SiLU (`u = v = x`) and the tanh form of GELU
/// (`u = 2 sqrt(2/pi) (x + 0.044715 x^3)`, `v = x`) share it.
#[inline(always)]
pub(crate) fn times_sigmoid<V: Lanes>(v: V, vn: V, neg: V, n: V, q_hi: V, q_lo: V) -> V {
    exp::with_scale(
        n,
        #[inline(always)]
        |s1, s2| {
            let (e_hi, e_lo) = exp::one_plus_q_pair(s1, q_hi, q_lo);
            // Step 3: D = 1 + E (E scaled by s2; for the lanes where s2 != 1,
            // E < 2^-36 and D's low part only needs to be small).
            let (d_hi, d_lo) = div::fast_two_sum(V::splat(1.0), e_hi * s2);
            let d_lo = e_lo.mul_add(s2, d_lo);
            // Numerator vn * E for u < 0, as an exact pair.
            let (p_hi, p_err) = div::prod_pair(vn, e_hi);
            let p_lo = vn.mul_add(e_lo, p_err);
            let n_hi = V::select(neg, p_hi, v);
            let n_lo = neg & p_lo;
            // Step 4.
            let q = div::div_dd(n_hi, n_lo, d_hi, d_lo);
            q * V::select(neg, s2, V::splat(1.0))
        },
    )
}

/// SiLU (also called swish) `x * σ(x) = x / (1 + e^-x)` of every element of
/// `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::SILU`] ULP from the correctly computed value
/// (see the [accuracy table](crate::accuracy)), verified over all 2^32
/// inputs, subnormal results included.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `+inf`; `-inf` → `-0.0`; `±0.0` → `±0.0`;
/// `silu(x) = x` exactly for `x > 20`; negative results are never below the
/// minimum `-0.27846454` (at `x = -1.2784645`); results below `2^-126` in
/// magnitude are subnormal, not flushed, and round to `-0.0` only where the
/// exact value is under half the smallest subnormal.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::silu(&[0.0, 1.0, -30.0], &mut y)?;
/// assert_eq!(y[0], 0.0);
/// assert!((y[1] - 0.731_058_6).abs() < 1e-7);
/// assert!(y[2] < 0.0 && y[2] > -3e-12);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn silu(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::silu(input, output)
}

/// [`silu`] in place: every element `x` of `values` becomes `x * σ(x)`.
///
/// Same accuracy and special values as [`silu`]; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [f32::INFINITY, f32::NEG_INFINITY, -0.0];
/// activations::silu_in_place(&mut v);
/// assert_eq!(v[0], f32::INFINITY);
/// assert_eq!(v[1].to_bits(), (-0.0f32).to_bits());
/// assert_eq!(v[2].to_bits(), (-0.0f32).to_bits());
/// ```
#[inline]
pub fn silu_in_place(values: &mut [f32]) {
    crate::dispatch::root::silu_in_place(values)
}

#[inline(always)]
pub(crate) fn slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| silu_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| silu_lanes(x),
    );
}
