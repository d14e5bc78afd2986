//! Softplus, `ln(1 + e^x)`, written as `max(x, 0) + log1p(e^-|x|)` so that
//! it is `x` for large `x` and `e^x` for very negative `x` with no overflow
//! and no cancellation.
//!
//! x86-64 builds without FMA (the `Portable` level of a default build,
//! SSE2) take the **f64 route** below; every other build takes the f32
//! route, whose exact pairs need Dekker's products without FMA.
//!
//! f32 route, per lane:
//! 1. `z = min(|x|, 104)`: below `-104`, `e^x < 2^-150` and the result
//!    rounds to `+0.0` (as it does at the clamp). Above `16`, `e^-x` is less
//!    than half an ulp of `x` and the result is `x` (step 5).
//! 2. `G = e^-z` as the exact pair `(e_hi + e_lo) * s2`
//!    ([`exp::reduce_single`], [`exp::with_scale`], [`exp::one_plus_q_pair`];
//!    `s2` is 1 unless `G < 2^-100`).
//! 3. `log1p(G) = 2 atanh(s)` with `s = G / (2 + G)` in `[0, 1/3]`:
//!    `D = 2 + G` exactly (Fast2Sum), `s_hi = G_hi * (1/D_hi)`, and the
//!    remainder `G - s_hi D` formed exactly (FMA, or Dekker's product)
//!    gives `s_lo`; then `log1p(G) = 2 s_hi + (2 s_lo + 2 s^3 R(s^2))`
//!    with `R` the fit below. The polynomial term is at most 3.9% of the
//!    result, so its few roundings and the fit's `2^-25` cost under
//!    `2^-29` of it.
//! 4. `x > 0`: `x + log1p(G)` as a two-sum plus the low part, rounded once;
//!    `x <= 0`: the pair rounded. Lanes with `s2 != 1` (`x < -69`) return
//!    `G` itself (`log1p(G) = G (1 - G/2 ...)` to `2^-100`), rounded onto
//!    the subnormal grid by the final `* s2`.
//! 5. Lanes with `!(x <= 16)` (`x > 16`, `+inf`, NaN) return `x`.
//!
//! f64 route, per lane (x86-64 without FMA, [`crate::lanes::F64_ROUTE`]),
//! the same formula with plain f64 operations:
//! - W1. `z = min(|x|, 104)` as in step 1, in f64.
//! - W2. `G = e^-z` by [`wide64::exp`]: within `2^-28.27` relative, and a
//!   normal f64 down to `e^-104`.
//! - W3. `s = G / (2 + G)`, `w = s^2` and `log1p(G) = 2 (s + s w R(w))`
//!   with the f32 route's coefficients `R0..R4` (exact in f64; Estrin's
//!   scheme), evaluated as `u + u v S(v)` with `u = 2s = 2G / (2 + G)`,
//!   `v = u^2` and `S(v) = R(v / 4) / 4` (coefficients `Rk / 4^(k+1)`,
//!   exact): every product and sum is a power of two times the one of
//!   `2 (s + s w R(w))`, so the bits are the same, with the final doubling
//!   off the chain (`G + G` beside `2 + G`; 2.8% faster at the `Portable`
//!   level, README "Speed"). `G`'s error moves `log1p(G)` by at most as
//!   much, relative (`G / ((1 + G) log1p(G)) <= 1`), the fit's `2^-25` of
//!   the polynomial term (at most 3.9% of the result) adds `2^-29.7`, and
//!   the f64 roundings about `2^-51`: within `2^-27.8` of `log1p(G)`.
//! - W4. `max(x, 0) + log1p(G)`, rounded once to f32: for `x > 0` both
//!   terms are positive and the error relative to the sum is at most that
//!   of `log1p(G)`, so at most `0.5 + 2^24 2^-27.8 = 0.572` ULP; for `x <=
//!   0` the result is `log1p(G)` itself (subnormal results: an absolute
//!   error far under their spacing `2^-149`; below `-104` it rounds to
//!   `+0.0`, as at the clamp). Then step 5 (`x > 16`, `+inf`, NaN return
//!   `x`).

use crate::approx::{div, exp, wide64};
use crate::error::Error;
use crate::lanes::{checked_map, f64_or_f32, map_f64, map_in_place, Lanes};
use wide::f64x2;

/// Step 1: at and below `-104` the result rounds to `+0.0`
/// (`e^-104 = 6.8e-46 < 2^-150`).
const Z_MAX: f32 = 104.0;
/// Step 5: above this, `log1p(e^-x) < e^-16 = 1.13e-7`, below half an ulp
/// of `x` (`2^-20`), and the result is `x`.
const X_IDENTITY: f32 = 16.0;

// log1p(G) = 2s + 2s^3 R(s^2), R(w) ~= R0 + w*(R1 + w*(R2 + w*(R3 + w*R4)))
// Domain w in [0, 1/9]: |R_fit(w) / R(w) - 1| < 2^-25.
// Fitted by tools/fit_log1p.sollya (fpminimax, single coefficients,
// relative error); checked by tools/check_coefficients.sh.
/// 0x1.555556p-2
const R0: f32 = f32::from_bits(0x3eaa_aaab);
/// 0x1.999866p-3
const R1: f32 = f32::from_bits(0x3e4c_cc33);
/// 0x1.24d764p-3
const R2: f32 = f32::from_bits(0x3e12_6bb2);
/// 0x1.bb3304p-4
const R3: f32 = f32::from_bits(0x3ddd_9982);
/// 0x1.e116a4p-4
const R4: f32 = f32::from_bits(0x3df0_8b52);

// The f64 route's `S(v) = R(v/4)/4`, `Sk = Rk / 4^(k+1)` (exact).
const S0: f64 = R0 as f64 / 4.0;
const S1: f64 = R1 as f64 / 16.0;
const S2: f64 = R2 as f64 / 64.0;
const S3: f64 = R3 as f64 / 256.0;
const S4: f64 = R4 as f64 / 1024.0;

/// Softplus of every lane: the kernel the slice functions run (narrated at
/// the top of `src/softplus.rs`).
#[inline(always)]
pub fn softplus_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, widened, f32_route)
}

/// The f64 route (module docs, steps W1-W4), for builds without FMA on
/// x86-64.
#[inline(always)]
fn widened<V: Lanes>(x: V) -> V {
    let y = map_f64(
        x,
        #[inline(always)]
        |x| {
            // Step W1 (NaN lanes: replaced in step W4, so the plain
            // `minpd` and `maxpd` do).
            let z = x.abs().fast_min(f64x2::splat(f64::from(Z_MAX)));
            // Step W2.
            let g = wide64::exp(-z);
            // Step W3: log1p(G) = 2 (s + s w R(w)), s = G / (2 + G), w = s^2,
            // as u + u v S(v) with u = 2s, v = 4w, S(v) = R(v/4)/4.
            let u = (g + g) / (f64x2::splat(2.0) + g);
            let v = u * u;
            let vv = v * v;
            let s01 = v * S1 + S0;
            let s23 = v * S3 + S2;
            let s = (vv * S4 + s23) * vv + s01;
            let l = (u * v) * s + u;
            // Step W4: max(x, 0) + log1p(G).
            x.fast_max(f64x2::ZERO) + l
        },
    );
    // Step W4 (step 5).
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// The f32 route (module docs, steps 1-5): what every build runs but x86-64
/// builds without FMA.
#[inline(always)]
pub(crate) fn f32_route<V: Lanes>(x: V) -> V {
    // Step 1 (NaN lanes: replaced in step 5).
    let z = x.abs().min_fast(V::splat(Z_MAX));
    let pos = V::splat(0.0).lt(x);
    // Step 2.
    let (n, q_hi, q_lo) = exp::reduce_single(-z);
    let y = exp::with_scale(
        n,
        #[inline(always)]
        |s1, s2| {
            let two = V::splat(2.0);
            let (e_hi, e_lo) = exp::one_plus_q_pair(s1, q_hi, q_lo);
            // Step 3.
            let (d_hi, d_lo) = div::fast_two_sum(two, e_hi);
            let d_lo = d_lo + e_lo;
            let inv = V::splat(1.0) / d_hi;
            let s_hi = e_hi * inv;
            let (p, p_err) = div::prod_pair(s_hi, d_hi);
            let rem = ((e_hi - p) - p_err) + (e_lo - s_hi * d_lo);
            let s_lo = rem * inv;
            let w = s_hi * s_hi;
            let r = V::splat(R4)
                .mul_add(w, V::splat(R3))
                .mul_add(w, V::splat(R2))
                .mul_add(w, V::splat(R1))
                .mul_add(w, V::splat(R0));
            let l_hi = two * s_hi;
            let l_lo = two.mul_add(s_lo, (l_hi * w) * r);
            // Step 4.
            let (t_hi, t_err) = div::two_sum(x, l_hi);
            let y_pos = t_hi + (t_err + l_lo);
            let y_neg = V::select(s2.eq(V::splat(1.0)), l_hi + l_lo, e_hi + e_lo) * s2;
            V::select(pos, y_pos, y_neg)
        },
    );
    // Step 5.
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// Softplus `ln(1 + e^x)` of every element of `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::SOFTPLUS`] ULP from the correctly rounded
/// value (see the [accuracy table](crate::accuracy)), verified over all
/// 2^32 inputs: no cancellation for large `x` (it is `x + log1p(e^-x)`) and
/// full relative accuracy in the tail, where it is `e^x`.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `+inf`; `-inf` → `+0.0`; `±0.0` →
/// `ln 2 = 0.6931472`; `x` exactly for `x > 16`; `+0.0` for `x <= -104`
/// (and wherever `e^x` is under half the smallest subnormal); results below
/// `2^-126` are subnormal, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::softplus(&[0.0, 20.0, -30.0], &mut y)?;
/// assert_eq!(y[0], core::f32::consts::LN_2);
/// assert_eq!(y[1], 20.0);
/// assert!((y[2] / 9.357_623e-14 - 1.0).abs() < 1e-6);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn softplus(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::softplus(input, output)
}

/// [`softplus`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [f32::INFINITY, f32::NEG_INFINITY];
/// activations::softplus_in_place(&mut v);
/// assert_eq!(v, [f32::INFINITY, 0.0]);
/// ```
#[inline]
pub fn softplus_in_place(values: &mut [f32]) {
    crate::dispatch::root::softplus_in_place(values)
}

#[inline(always)]
pub(crate) fn slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| softplus_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| softplus_lanes(x),
    );
}
