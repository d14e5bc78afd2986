//! Mish (Misra, 2019), `x * tanh(softplus(x)) = x * tanh(ln(1 + e^x))`.
//!
//! With `G = e^-|x|` the hyperbolic tangent of a logarithm is rational:
//! `tanh(ln(1 + e^x)) = ((1 + e^x)^2 - 1) / ((1 + e^x)^2 + 1)`, which is
//! `(1 + 2G) / (1 + 2G + 2G^2)` for `x >= 0` and
//! `(G^2 + 2G) / (G^2 + 2G + 2)` for `x < 0` (numerator and denominator
//! multiplied by `G^2`). Neither form cancels: every term is positive.
//!
//! Algorithm, per lane:
//! 1. `z = min(|x|, 110)`, `xn = max(x, -110)`: below `-110`,
//!    `|mish(x)| < 110 e^-110 < 2^-151` rounds to `-0.0`, as SiLU's tail.
//! 2. `G = e^-z` as the exact pair `(e_hi + e_lo) * s2`
//!    ([`exp::reduce_single`], [`exp::with_scale`], [`exp::one_plus_q_pair`];
//!    `s2` is 1 unless some lane's result may be subnormal).
//! 3. Numerator and denominator as pairs: `G^2` from the exact square of
//!    `e_hi` plus `2 e_hi e_lo`; for `x < 0` with `s2 != 1`, `G < 2^-100`
//!    and `G^2` is scaled by `s2` once more (negligible beside `2G`), and the
//!    common factor `s2` of the numerator is applied after the division, so
//!    a subnormal result is rounded once. The sums are two-sums (Fast2Sum
//!    where the exponents are ordered: `2G >= G^2`, and `2` against a
//!    numerator below 4).
//! 4. The numerator times `xn` as an exact pair ([`div::prod_pair`]), one
//!    division of the pairs ([`div::div_dd`]).
//! 5. The sign of `x` is OR-ed in (`mish(-0.0) = -0.0`); lanes with
//!    `!(x <= 9.1)` — `x > 9.1` (where `2G^2 < 2^-25` and the result rounds to
//!    `x`), `+inf` and NaN — return `x`.
//!
//! Builds without FMA on x86-64 (the `Portable` level of a default build,
//! [`crate::lanes::F64_ROUTE`]) take an **f64 route** instead, where
//! steps 2-4's exact products would need Dekker's splitting; per lane, in
//! f64, where `x` widens exactly:
//! 1. `v = max(x, -110)` (step 1's clamp of the tail) and `t = min(v, 20)`
//!    (for `x > 20`, `1 - tanh(softplus(x)) < 2^-56` and the result rounds
//!    to `x`, as for `x > 9.1` above).
//! 2. `E = e^t` ([`wide64::exp`], within `eps = 2^-28.27` relative).
//! 3. `N = E (E + 2)` and `y = v N / (N + 2)`: `N` is within
//!    `eps (2E + 2) / (E + 2)` relative, and `N / (N + 2)` shrinks that
//!    by `2 / (N + 2)`: at most `eps` in all (the product of the two
//!    factors is largest as `E -> 0`), plus the f64 roundings (`2^-51`).
//!    Nothing cancels; rounded to f32 once: at most `0.5 + 2^24 eps =
//!    0.553` ULP, subnormal results included (`src/sigmoid.rs`, f64 route,
//!    step 3), and `-0.0 N / (N + 2) = -0.0`.
//! 4. NaN lanes return the input NaN unchanged.

use crate::approx::{div, exp, wide64};
use crate::error::Error;
use crate::lanes::{checked_map, f64_or_f32, map_f64, map_in_place, Lanes};
use wide::f64x2;

/// Step 1: the clamp of the negative tail.
const Z_MAX: f32 = 110.0;
/// Step 5: above this `mish(x)` rounds to `x`: `1 - tanh(softplus(x))` is
/// `2G^2 / (1 + 2G + 2G^2) < 2 e^-18.2 < 2^-25`.
const X_IDENTITY: f32 = 9.1;

/// Mish of every lane: the kernel the slice functions run (narrated at the
/// top of `src/mish.rs`).
#[inline(always)]
pub fn mish_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, widened, f32_route)
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
            let t = v.fast_min(f64x2::splat(20.0));
            // Step 2.
            let e = wide64::exp(t);
            // Step 3.
            let n = e * (e + 2.0);
            v * n / (n + 2.0)
        },
    );
    // Step 4.
    V::select(x.is_nan(), x, y)
}

/// The f32 route (module docs, steps 1-5).
#[inline(always)]
pub(crate) fn f32_route<V: Lanes>(x: V) -> V {
    // Step 1 (NaN lanes: replaced in step 5).
    let z = x.abs().min_fast(V::splat(Z_MAX));
    let xn = x.max_of(V::splat(-Z_MAX));
    let neg = x.lt(V::splat(0.0));
    // Step 2.
    let (n, q_hi, q_lo) = exp::reduce_single(-z);
    let y = exp::with_scale(
        n,
        #[inline(always)]
        |s1, s2| {
            let (one, two) = (V::splat(1.0), V::splat(2.0));
            let (e_hi, e_lo) = exp::one_plus_q_pair(s1, q_hi, q_lo);
            // Step 3: G'^2 = (e_hi + e_lo)^2 (times s2: G^2 / s2).
            let (g2_hi, g2_err) = div::prod_pair(e_hi, e_hi);
            let g2_lo = (e_hi + e_hi).mul_add(e_lo, g2_err);
            let (g2_hi, g2_lo) = (g2_hi * s2, g2_lo * s2);
            // x < 0: numerator 2G' + G'^2 s2, denominator 2 + s2 * numerator.
            let (a_hi, a_lo) = div::fast_two_sum(two * e_hi, g2_hi);
            let a_lo = a_lo + two.mul_add(e_lo, g2_lo);
            let (b_hi, b_lo) = div::fast_two_sum(two, a_hi * s2);
            let b_lo = a_lo.mul_add(s2, b_lo);
            // x >= 0 (s2 = 1): numerator 1 + 2G, denominator that + 2G^2.
            let (c_hi, c_lo) = div::two_sum(one, two * e_hi);
            let c_lo = two.mul_add(e_lo, c_lo);
            let (d_hi, d_lo) = div::two_sum(c_hi, two * g2_hi);
            let d_lo = d_lo + two.mul_add(g2_lo, c_lo);
            let (num_hi, num_lo) = (V::select(neg, a_hi, c_hi), V::select(neg, a_lo, c_lo));
            let (den_hi, den_lo) = (V::select(neg, b_hi, d_hi), V::select(neg, b_lo, d_lo));
            // Step 4.
            let (m_hi, m_err) = div::prod_pair(xn, num_hi);
            let m_lo = xn.mul_add(num_lo, m_err);
            let q = div::div_dd(m_hi, m_lo, den_hi, den_lo);
            q * V::select(neg, s2, one)
        },
    );
    // Step 5.
    let y = y | x.sign();
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// Mish `x * tanh(softplus(x)) = x * tanh(ln(1 + e^x))` of every element of
/// `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::MISH`] ULP from the correctly rounded value
/// (see the [accuracy table](crate::accuracy)), verified over all 2^32
/// inputs, subnormal results included.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `+inf`; `-inf` → `-0.0`; `±0.0` → `±0.0`;
/// `x` exactly for `x > 9.1`; `-0.0` for `x <= -110` (and wherever the
/// exact value is under half the smallest subnormal); the minimum is about
/// `-0.30884` (at `x = -1.1924`); subnormal results are kept, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::mish(&[1.0, 10.0, -200.0], &mut y)?;
/// assert!((y[0] - 0.865_098_4).abs() < 1e-6);
/// assert_eq!(y[1], 10.0);
/// assert_eq!(y[2].to_bits(), (-0.0f32).to_bits());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn mish(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::mish(input, output)
}

/// [`mish`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [f32::INFINITY, -0.0];
/// activations::mish_in_place(&mut v);
/// assert_eq!(v[0], f32::INFINITY);
/// assert_eq!(v[1].to_bits(), (-0.0f32).to_bits());
/// ```
#[inline]
pub fn mish_in_place(values: &mut [f32]) {
    crate::dispatch::root::mish_in_place(values)
}

#[inline(always)]
pub(crate) fn slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| mish_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| mish_lanes(x),
    );
}
