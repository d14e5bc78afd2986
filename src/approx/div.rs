//! Quotient of two double-f32 values, `(n_hi + n_lo) / (d_hi + d_lo)`.
//!
//! The kernels form numerator and denominator as exact unevaluated sums
//! (Fast2Sum / two-sum), so that rounding `1 + e^-x` or `expm1(2x) + 2` to
//! f32 does not cost up to an ulp before the division even starts. This
//! divides such pairs with one hardware division:
//! 1. `r = 1 / d_hi` (rounded), `y0 = n_hi * r`: within ~1.5 ulp of the quotient.
//! 2. `t = n_hi - y0 * d_hi` by FMA (exact: `y0` is close enough to
//!    `n_hi / d_hi` that the residual is representable), then
//!    `t += n_lo - y0 * d_lo`: `t` is now the residual of the whole quotient
//!    `n - y0 * d` up to terms of relative size 2^-48.
//! 3. `y = y0 + t * r` by FMA, rounded once: within 0.5 ulp + 2^-20 ulp of
//!    the exact quotient of the pairs.
//!
//! Without FMA, step 2's `y0 * d_hi` is formed exactly by Dekker's product
//! (Veltkamp splitting, [`two_prod`]) instead, so builds without FMA get
//! the same near-correct rounding; a plain rounded product there costs up
//! to an ulp and makes the kernels non-monotone (measured: 591 420 adjacent
//! inversions of sigmoid over all 2^32 inputs before, none after).

use crate::lanes::Lanes;

/// `(n_hi + n_lo) / (d_hi + d_lo)`, nearly correctly rounded (see module docs).
/// Requires `|n_lo| <= ulp(n_hi)`, `|d_lo| <= ulp(d_hi)` and a normal `d_hi`.
#[inline(always)]
pub(crate) fn div_dd<V: Lanes>(n_hi: V, n_lo: V, d_hi: V, d_lo: V) -> V {
    let (y0, t, r) = residual(n_hi, n_lo, d_hi, d_lo);
    t.mul_add(r, y0)
}

/// `(n_hi + n_lo) / (1 + e_hi + e_lo)` with one division, for the
/// sigmoid fast paths (sigmoid, SiLU, GELU-tanh): `rcp = fl(1 / (1 + e_hi))`
/// and `y0 = fl(n_hi rcp)`, then the residual
/// `t = (n_hi - y0) - y0 e_hi + (n_lo - y0 e_lo)` and `y = y0 + t rcp` by
/// one multiply-add. Requires FMA, `e_hi` in `[0, 1]` (so `1 + e_hi` is in
/// `[1, 2]`, `y0` in `[n_hi / 2, n_hi]` and `n_hi - y0` exact by Sterbenz),
/// `|e_lo| <= ulp(e_hi)`, `|n_lo| <= ulp(n_hi)`, and no product near the
/// subnormal range. Each multiply-add of `t` rounds a value of a few
/// `2^-24 y`, so `t` is within `2^-46 y` of the true residual and `1 + e`
/// is never rounded before it is used: `y` is the quotient of the pairs
/// rounded once, up to `2^-22` of an ulp.
#[inline(always)]
pub(crate) fn div_one_plus<V: Lanes>(n_hi: V, n_lo: V, e_hi: V, e_lo: V) -> V {
    let rcp = V::splat(1.0) / (V::splat(1.0) + e_hi);
    let y0 = n_hi * rcp;
    let t = (-y0).mul_add(e_hi, n_hi - y0) + (-y0).mul_add(e_lo, n_lo);
    t.mul_add(rcp, y0)
}

/// [`div_dd`] as a pair `(y, e)`: `y` is `div_dd`'s result and `e` the
/// rest of the quotient, `y + e` within about `2^-45` relative of
/// `(n_hi + n_lo) / (d_hi + d_lo)` (`e = t r - (y - y0)`, with `y - y0`
/// exact by Sterbenz and `t r` within `2^-24` of `t / d`, itself about an
/// ulp of `y`). GELU's backward kernel multiplies the quotient by the
/// gradient and rounds once.
#[inline(always)]
pub(crate) fn div_dd_pair<V: Lanes>(n_hi: V, n_lo: V, d_hi: V, d_lo: V) -> (V, V) {
    let (y0, t, r) = residual(n_hi, n_lo, d_hi, d_lo);
    let y = t.mul_add(r, y0);
    (y, t.mul_add(r, y0 - y))
}

/// Steps 1 and 2 of [`div_dd`]: `(y0, t, r)`.
#[inline(always)]
fn residual<V: Lanes>(n_hi: V, n_lo: V, d_hi: V, d_lo: V) -> (V, V, V) {
    let r = V::splat(1.0) / d_hi;
    let y0 = n_hi * r;
    let t = if V::FUSED {
        (-y0).mul_add(d_hi, n_hi)
    } else {
        // n_hi - p is exact (Sterbenz: p is within a few ulps of n_hi).
        let (p, e) = two_prod(y0, d_hi);
        (n_hi - p) - e
    };
    (y0, (-y0).mul_add(d_lo, t + n_lo), r)
}

/// Dekker's exact product, for builds without FMA (with FMA, `div_dd` forms
/// its residual with one fused multiply-add instead): `(p, e)` with
/// `p = fl(a * b)` and `p + e == a * b` exactly, by Veltkamp-splitting each
/// factor into 12-bit halves whose products are exact. Valid for
/// `|a|, |b| < 2^115` with no underflow in `e` (the caller's `y0 <= 2`,
/// `d_hi < 2^28`).
#[inline(always)]
pub(crate) fn two_prod<V: Lanes>(a: V, b: V) -> (V, V) {
    let p = a * b;
    let (a_hi, a_lo) = split(a);
    let (b_hi, b_lo) = split(b);
    let e = (((a_hi * b_hi - p) + a_hi * b_lo) + a_lo * b_hi) + a_lo * b_lo;
    (p, e)
}

/// `a * b` as the exact pair `(p, e)`, `p + e == a * b`: one FMA where the
/// build has it, else Dekker's [`two_prod`] (with its range: the error term
/// underflows for products below about `2^-100`, the split overflows past
/// `2^115`).
#[inline(always)]
pub(crate) fn prod_pair<V: Lanes>(a: V, b: V) -> (V, V) {
    if V::FUSED {
        let p = a * b;
        (p, a.mul_add(b, -p))
    } else {
        two_prod(a, b)
    }
}

/// The safe operand range of Dekker's [`two_prod`], for the kernels that
/// scale into it: above `DEKKER_MAX` (2^100) its split, `a * 4097`, comes
/// close to overflowing (it does past `2^115`) ...
pub(crate) const DEKKER_MAX: f32 = f32::from_bits(0x7180_0000); // 2^100
/// ... and below `DEKKER_MIN` (2^-50), with the other factor at most in
/// `[2^-40, 2^100]`, the product may fall under `2^-100`, where the error
/// terms underflow.
pub(crate) const DEKKER_MIN: f32 = f32::from_bits(0x2680_0000); // 2^-50

/// Veltkamp split: `a = hi + lo` with `hi` holding the top 12 bits.
#[inline(always)]
fn split<V: Lanes>(a: V) -> (V, V) {
    let c = a * V::splat(4097.0); // 2^12 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// Fast2Sum (Dekker): `(s, e)` with `s + e == a + b` exactly and `s = fl(a + b)`,
/// valid when `a == 0` or `exponent(a) >= exponent(b)`.
#[inline(always)]
pub(crate) fn fast_two_sum<V: Lanes>(a: V, b: V) -> (V, V) {
    let s = a + b;
    (s, b - (s - a))
}

/// Two-sum of `a` and `b` whose exact sum is at most zero (softmax's
/// `x - max`, log-softmax's `(x - max) - ln S`): `(s, e)` with
/// `s + e == a + b` exactly and `s = fl(a + b)`, for finite `a`, `b`.
///
/// Fast2Sum with `min(a, b)` first. It is exact because for `a + b <= 0`
/// the minimum has the larger magnitude: when the larger operand is
/// `>= 0` the smaller is at most its negation, and when it is `< 0` both
/// are negative. `min` returns one of its operands (no NaN here), so
/// `a ^ b ^ min` is the other. One `min` and two bitwise xors take the
/// place of three of [`two_sum`]'s six additions (softmax's pass 2, bound
/// by its additions, measured 1.555 -> 1.43 µs at 4096 elements). An
/// infinite `s` gives a NaN or infinite `e`, as [`two_sum`] does.
#[inline(always)]
pub(crate) fn two_sum_nonpos<V: Lanes>(a: V, b: V) -> (V, V) {
    // `a + b`, not `big + small`: the same sum, and it does not wait for
    // the `min` (callers may have formed `a + b` already).
    let s = a + b;
    let big = a.min_fast(b);
    let small = (a ^ b) ^ big;
    (s, small - (s - big))
}

/// Two-sum (Knuth): `(s, e)` with `s + e == a + b` exactly, for any finite `a`, `b`.
#[inline(always)]
pub(crate) fn two_sum<V: Lanes>(a: V, b: V) -> (V, V) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}
