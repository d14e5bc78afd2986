//! The exponential behind sigmoid, tanh and softmax, in two halves.
//!
//! [`reduce`] splits `e^(hi + lo)` into `2^n * (1 + q)` with `n` an integer
//! and `q = expm1(r)` for a reduced argument `|r| <= ln2/2`: the kernels keep
//! `1 + q` unsummed, because `q` carries ~24 significant bits where `1 + q`
//! would keep only ~24 bits of the whole, and each kernel folds the `1` and
//! the scale in whatever order loses least (see sigmoid and tanh).
//! [`scale`] rebuilds `2^n * (1 + q)` for the whole exponent range, subnormal
//! results included, with one rounding in the normal range.
//!
//! Algorithm (the method of Cody & Waite, as in SLEEF, XNNPACK and musl):
//! 1. `n = round(hi * log2(e))`, rounded with the magic bias `1.5 * 2^23`
//!    added in the same multiply-add (one rounding with FMA).
//! 2. `r = (hi - n * LN2_HI) - n * LN2_LO + lo`. `LN2_HI` has 16 significant
//!    bits, so `n * LN2_HI` is exact for `|n| < 2^8` and the first
//!    subtraction is exact (Sterbenz: `hi` and `n * LN2_HI` are within a
//!    factor of two, or `n == 0`); only the last additions round, which costs
//!    at most `2^-25` absolute in `r`, i.e. `2^-25` relative in `e^r`.
//! 3. `q = r + r^2 * P(r)`, `P` of degree 4 (the minimax fit below),
//!    returned as the exact pair `q_hi + q_lo = r + fl(r^2 P(r))` (Fast2Sum,
//!    `|r| >= |r^2 P|`): the rounding of that last addition, up to half an
//!    ulp of `q`, is the largest error of the whole approximation, and the
//!    kernels that can use it (sigmoid, tanh) keep it.

use crate::lanes::{Lanes, COMPACT, POW2I_BIAS};

/// `log2(e)` rounded to f32 (0x1.715476p+0).
const LOG2E: f32 = f32::from_bits(0x3fb8_aa3b);
/// High part of `ln 2` with 16 significant bits (0x1.62e4p-1 = 0.693145751953125):
/// `n * LN2_HI` is exact for every `|n| < 256`.
const LN2_HI: f32 = f32::from_bits(0x3f31_7200);
/// `ln 2 - LN2_HI` rounded to f32 (0x1.7f7d1cp-20).
const LN2_LO: f32 = f32::from_bits(0x35bf_be8e);

// expm1(r) ~= r + r^2 * (C2 + r*(C3 + r*(C4 + r*(C5 + r*C6))))
// Domain [-ln2/2 - 2^-12, ln2/2 + 2^-12] (the margin covers n rounded from an
// inexact product): |q(r) / expm1(r) - 1| < 0x1.df8978p-27 (2^-26.09).
// Relative to e^r = 1 + q that is below 2^-27.3, about 0.006 ULP of 1 + q.
// Fitted by tools/fit_expm1.sollya (fpminimax, single coefficients,
// relative error, linear term fixed to r); regenerate with
// `sollya tools/fit_expm1.sollya`.
/// 0x1.fffffep-2
const C2: f32 = f32::from_bits(0x3eff_ffff);
/// 0x1.5554b0p-3
const C3: f32 = f32::from_bits(0x3e2a_aa58);
/// 0x1.555718p-5
const C4: f32 = f32::from_bits(0x3d2a_ab8c);
/// 0x1.1227acp-7
const C5: f32 = f32::from_bits(0x3c09_13d6);
/// 0x1.6b7158p-10
const C6: f32 = f32::from_bits(0x3ab5_b8ac);

// The polynomial of [`expm1_pair_precise`]:
// expm1(r) ~= r + r^2/2 + r^3 * (D3 + r*(D4 + r*(D5 + r*(D6 + r*D7))))
// Same domain as above: |q(r) / expm1(r) - 1| < 0x1.123a3cp-31 (2^-30.9).
// Fitted by tools/fit_expm1_precise.sollya (fpminimax, single coefficients,
// relative error, r + r^2/2 fixed); checked by tools/check_coefficients.sh.
/// 0x1.555556p-3
const D3: f32 = f32::from_bits(0x3e2a_aaab);
/// 0x1.5554f2p-5
const D4: f32 = f32::from_bits(0x3d2a_aa79);
/// 0x1.11000cp-7
const D5: f32 = f32::from_bits(0x3c08_8806);
/// 0x1.6d412ep-10
const D6: f32 = f32::from_bits(0x3ab6_a097);
/// 0x1.a22dbep-13
const D7: f32 = f32::from_bits(0x3951_16df);

/// The magic bias of step 1: adding `1.5 * 2^23` rounds to an integer.
const MAGIC: f32 = 12_582_912.0; // 0x1.8p23

/// Step 1 and the exact first half of step 2: `(n, hi - n * LN2_HI)`.
#[inline(always)]
fn split_n<V: Lanes>(hi: V) -> (V, V) {
    let (n, _, r_hi) = split_n_with(hi, MAGIC);
    (n, r_hi)
}

/// [`split_n`] with the magic bias `magic` (`1.5 * 2^23`, or that plus 127,
/// [`POW2I_BIAS`]): `(n, n + magic, hi - n * LN2_HI)`.
#[inline(always)]
fn split_n_with<V: Lanes>(hi: V, magic: f32) -> (V, V, V) {
    // n = round(hi / ln2). A product that rounds across a tie only moves
    // |r| a few ulps past ln2/2, inside the polynomial's domain.
    let magic = V::splat(magic);
    let biased = hi.mul_add(V::splat(LOG2E), magic);
    let n = biased - magic;
    // Exact (see the module docs).
    (n, biased, n.mul_add(V::splat(-LN2_HI), hi))
}

/// Steps 1-3: returns `(n, q_hi, q_lo)` with `e^(hi + lo) ~= 2^n * (1 + q_hi + q_lo)`.
///
/// `n` is an integral float. Preconditions: `|hi| < 2^22` (callers clamp
/// first; NaN lanes produce garbage that the callers replace), and
/// `|lo| <= ulp(hi)` (a two-sum's error term, or zero: then prefer
/// [`reduce_single`], one operation shorter and rounded once).
#[inline(always)]
pub(crate) fn reduce<V: Lanes>(hi: V, lo: V) -> (V, V, V) {
    let (n, r_hi) = split_n(hi);
    let r_lo = n.mul_add(V::splat(-LN2_LO), lo);
    let (q_hi, q_lo) = expm1_pair(r_hi + r_lo);
    (n, q_hi, q_lo)
}

/// [`reduce`] with `q` rounded to one f32, `fl(r + r^2 P(r))` by one
/// multiply-add, for softmax, which rounds `2^n (1 + q)` to f32 at once
/// ([`scale`]): returns `(n, b, q)` with `b = n + POW2I_BIAS`, so that
/// `2^n` is `b.pow2i_biased()` without [`Lanes::pow2i`]'s addition (the
/// magic-bias rounding adds [`POW2I_BIAS`], not `1.5 * 2^23`: the same `n`,
/// since `hi * LOG2E` rounded by one multiply-add is never a tie for
/// `|hi| < 2^22`; without FMA a rounded product `k + 1/2` may round the
/// other way, which is as valid). The same error as `q_hi + q_lo` of
/// [`reduce`] rounded (`q` to half an ulp, `2^-24.5` of `1 + q`, plus the
/// fit's `2^-27.3`), in two operations where the pair takes five.
///
/// `P` is evaluated by Horner's scheme with FMA and on bare-metal targets
/// (`COMPACT`: the fewest operations). Otherwise (without FMA each Horner
/// step is a multiplication and an addition in a row) the terms are
/// regrouped for a short chain, `q = r + (r^2 (C2 + C3 r) + r^4 ((C4 + C5
/// r) + r^2 C6))`: from `r` to `q` it is six dependent operations, where
/// Horner's `r + r^2 P` is ten and Estrin's `r + r^2 ((C2 + C3 r) + r^2
/// (...))` seven (README, "Speed": each step made softmax at the
/// `Portable` level, SSE2, a few per cent faster). Its roundings before the
/// last addition: `C2 + C3 r` by up to `2^-25`, which `r^2 <= 0.121`
/// shrinks to `2^-28`; the two products and their sum (at most 0.07) by
/// `2^-29` each; the `r^4` term's own by less than `2^-33`. About `2^-27`
/// in all, under `2^-26.5` of `1 + q >= 0.707` (Horner's: about
/// `2^-27.2`), inside the margin the softmax bounds leave (the accuracy
/// table's maxima are measured). The last addition rounds `q` once, as
/// with FMA.
#[inline(always)]
pub(crate) fn reduce_rounded<V: Lanes>(hi: V, lo: V) -> (V, V, V) {
    let (n, b, r_hi) = split_n_with(hi, POW2I_BIAS);
    let r = r_hi + n.mul_add(V::splat(-LN2_LO), lo);
    let rr = r * r;
    if V::FUSED || COMPACT {
        return (n, b, rr.mul_add(expm1_poly(r), r));
    }
    let p01 = V::splat(C3).mul_add(r, V::splat(C2));
    let p24 = rr.mul_add(V::splat(C6), V::splat(C5).mul_add(r, V::splat(C4)));
    (n, b, r + rr.mul_add(p01, (rr * rr) * p24))
}

/// [`reduce_rounded`] of a single f32 argument (`lo = 0`, for
/// [`crate::sigmoid_fast`] and [`crate::tanh_fast`]): `r = x - n ln2` with
/// `n * LN2_LO` folded into one multiply-add, so `r` is rounded once
/// (`2^-26` absolute, as in [`reduce_split`]), and `P` by Estrin's scheme
/// (the same operations as Horner's plus one; a shorter chain: measured 7%
/// faster without FMA, the same with). Returns `(b, q)`,
/// `2^n = b.pow2i_biased()`.
#[inline(always)]
pub(crate) fn reduce_rounded_single<V: Lanes>(x: V) -> (V, V) {
    let (n, b, r_hi) = split_n_with(x, POW2I_BIAS);
    let r = n.mul_add(V::splat(-LN2_LO), r_hi);
    let rr = r * r;
    (b, rr.mul_add(expm1_poly_estrin(r, rr), r))
}

/// `e^x = 2^n (hi + lo)` of a single f32 argument, for the quotients that
/// are refined by a residual (sigmoid): `n` and `r = x - n ln2` (rounded
/// once) as in [`reduce_single`] (returned as `2^n`, for `n` in
/// `[-126, 127]`: the magic-bias rounding adds [`POW2I_BIAS`], so that
/// `2^n` is [`Lanes::pow2i_biased`] of the sum, one shift where
/// [`Lanes::pow2i`] adds first; the same `n`, as for [`reduce_rounded`],
/// with FMA, which every caller has), then `1 + r = h + l` exactly (Fast2Sum:
/// `|r| < 1`), `l + r^2 P(r)` rounded once by a multiply-add (up to 0.065),
/// and the pair renormalised (Fast2Sum: `|lo| <= ulp(hi) / 2`, so `hi` is
/// `e^r` rounded, which the callers' estimates need). Errors, relative to
/// `e^x`: `r`'s rounding `2^-26`, the fit's `2^-27.3`, `lo`'s rounding
/// `2^-29`.
#[inline(always)]
pub(crate) fn reduce_split<V: Lanes>(x: V) -> (V, V, V) {
    let (n, b, r_hi) = split_n_with(x, POW2I_BIAS);
    split_one_plus(b, n.mul_add(V::splat(-LN2_LO), r_hi))
}

/// [`reduce_split`] of a pair argument `e^(hi + lo)`, `|lo| <= ulp(hi)`
/// (GELU's `-|u|`): `r = (hi - n LN2_HI) + (lo - n LN2_LO)`, the first
/// part exact, rounded once in the last addition (the same `2^-26` as
/// [`reduce_split`]'s `r`; `lo - n LN2_LO` rounds by at most `2^-37`).
#[inline(always)]
pub(crate) fn reduce_split_pair<V: Lanes>(hi: V, lo: V) -> (V, V, V) {
    let (n, b, r_hi) = split_n_with(hi, POW2I_BIAS);
    split_one_plus(b, r_hi + n.mul_add(V::splat(-LN2_LO), lo))
}

/// The rest of [`reduce_split`]: `(2^n, hi, lo)` with `hi + lo = e^r`,
/// given `b = n + POW2I_BIAS`.
#[inline(always)]
fn split_one_plus<V: Lanes>(b: V, r: V) -> (V, V, V) {
    let one = V::splat(1.0);
    let hi = one + r;
    let l = r - (hi - one);
    let rr = r * r;
    let (hi, lo) = super::div::fast_two_sum(hi, rr.mul_add(expm1_poly_estrin(r, rr), l));
    (b.pow2i_biased(), hi, lo)
}

/// [`reduce`] of a single f32 argument (`lo = 0`): `r = hi - n ln2` with
/// `n * LN2_LO` folded into one multiply-add.
#[inline(always)]
pub(crate) fn reduce_single<V: Lanes>(x: V) -> (V, V, V) {
    let (n, r_hi) = split_n(x);
    let (q_hi, q_lo) = expm1_pair(n.mul_add(V::splat(-LN2_LO), r_hi));
    (n, q_hi, q_lo)
}

/// [`reduce_single`] with the rounding of `r` carried: `r = x - n ln2` is
/// rounded once (its last multiply-add), and that rounding error `d` (up to
/// half an ulp of `r`, i.e. `2^-26` relative in `e^x`) is recovered exactly
/// and folded into `q_lo` as `d (1 + q_hi)` (`e^(r + d) ~= (1 + q)(1 + d)`).
/// For [`expm1_neg_pair`], where `e^x - 1` can be 2.4 times smaller than
/// `e^x`, that error would otherwise cost up to 0.35 ULP of the result.
///
/// `r_hi - r` is exact: `r` and `r_hi` differ by `n LN2_LO + (rounding)`,
/// `< 2^-14` for `|n| <= 26`, and both are multiples of `ulp(r)` (Sterbenz
/// when `|r_hi| >= 2 |n LN2_LO|`; otherwise both are below `2^-13` and on a
/// grid `2^-37` or finer, so their difference fits in 24 bits). Without
/// FMA, `-n * LN2_LO` rounds first, by at most `2^-39`.
#[inline(always)]
pub(crate) fn reduce_carried<V: Lanes>(x: V) -> (V, V, V) {
    let (n, r, d) = reduce_exact(x);
    let (q_hi, q_lo) = expm1_pair_precise(r);
    // Renormalised (Fast2Sum: |q_lo| is at most 1.7% of |q_hi|), so that
    // `|q_lo| <= ulp(q_hi)/2`: the callers' `e_lo` is then below `2^-23` of
    // `e_hi`, which their accumulations and fallbacks rely on.
    let (q_hi, q_lo) = super::div::fast_two_sum(q_hi, d.mul_add(q_hi, q_lo + d));
    (n, q_hi, q_lo)
}

/// [`reduce_precise`] renormalised, for the kernels that need
/// `e^(hi + lo)` to well below an f32 ulp (log-softmax's sum, whose error
/// reaches the result unrounded): `r = (hi - n LN2_HI) + (lo - n LN2_LO)`
/// is kept as the exact two-sum `r + d` (only `lo - n LN2_LO` rounds, by at
/// most `2^-37`, and `LN2_HI + LN2_LO` differs from `ln 2` by `2^-44`, so
/// `n` up to 190 costs `2^-36`), `expm1(r)` is the finer
/// [`expm1_pair_precise`] (`2^-29` of `q`), and `d` is folded into `q_lo`
/// as `d (1 + q_hi)`, and the pair renormalised. In all
/// `e^(hi + lo) = 2^n (1 + q_hi + q_lo)` within
/// about `2^-29` relative (`|q| <= 0.42`; `2^-29.1` measured at worst,
/// through `log_softmax_backward`, whose absolute error is this one).
///
/// Preconditions as for [`reduce`]: `|hi| < 2^22`, `|lo| <= ulp(hi)`;
/// `r` then stays inside the polynomial's domain (`|lo| <= 2^-17` adds to
/// the `2^-12` margin only for `|hi| >= 2^7`, which callers clamp away).
/// (This is [`reduce_precise`] followed by the Fast2Sum below.)
#[inline(always)]
pub(crate) fn reduce_precise_normalised<V: Lanes>(hi: V, lo: V) -> (V, V, V) {
    let (n, q_hi, q_lo) = reduce_precise(hi, lo);
    // Renormalised (Fast2Sum: |q_lo| is at most 1.7% of |q_hi|), so that
    // `|q_lo| <= ulp(q_hi)/2`: the callers' `e_lo` is then below `2^-23` of
    // `e_hi`, which their accumulations and fallbacks rely on.
    let (q_hi, q_lo) = super::div::fast_two_sum(q_hi, q_lo);
    (n, q_hi, q_lo)
}

/// [`reduce_carried`] of a pair argument `e^(hi + lo)`, `|lo| <= ulp(hi)`:
/// `lo` joins the carried rounding error `d`. GELU's `-t^2/2` (an exact
/// product pair, `hi` down to `-105`) needs it: there `hi` alone is only
/// known to `2^-18`, so `d` reaches `2^-18`, and the fold is
/// `(1 + q)(1 + d)` in full: `d q_lo` (`q_lo` is up to 2% of `q`) would be
/// `2^-26` (dropping it cost 0.38 ULP of GELU's tail, measured). `e^d ~= 1 + d`
/// leaves `d^2/2 < 2^-37`. For `26 < |n| < 256`, `r_hi - r` may round
/// (`n LN2_LO` reaches `2^-12`), by at most `2^-36`: `2^-36` relative in `e^x`.
#[inline(always)]
pub(crate) fn reduce_carried_pair<V: Lanes>(hi: V, lo: V) -> (V, V, V) {
    let (n, r, d) = reduce_exact(hi);
    let d = d + lo;
    let (q_hi, q_lo) = expm1_pair_precise(r);
    (n, q_hi, d.mul_add(q_hi + q_lo, q_lo + d))
}

/// `(n, r, d)` with `x - n ln2 = r + d`, `r` rounded (one multiply-add) and
/// `d` its rounding error (see [`reduce_carried`]).
#[inline(always)]
fn reduce_exact<V: Lanes>(x: V) -> (V, V, V) {
    let (n, r_hi) = split_n(x);
    let r = n.mul_add(V::splat(-LN2_LO), r_hi);
    (n, r, n.mul_add(V::splat(-LN2_LO), r_hi - r))
}

/// `e^(hi + lo) = 2^n (1 + q_hi + q_lo)` to about `2^-30` relative, over
/// the wide range `|hi| <= 350` (`|n| <= 505`), for the backward kernels
/// (`src/backward_exp.rs`), whose results `g f'(x)` stay representable far
/// past where `e^x` underflows (a gradient up to `2^128` times `e^-190`).
/// [`reduce_carried`] with a low part `lo` (`|lo| <= 2^-10`, or zero):
/// 1. `n` and `r_hi = hi - n LN2_HI` as in [`reduce`]: `LN2_HI` has 15
///    significant bits, so `n LN2_HI` is exact for `|n| < 512`, and both
///    terms are multiples of `2^-15`, so the difference (below `0.35`) is
///    exact.
/// 2. `m = lo - n LN2_LO` (rounded: `|m| < 2^-10.4`, error below `2^-35`),
///    `r + d = r_hi + m` exactly (two-sum).
/// 3. `q = expm1(r)` as a pair ([`expm1_pair_precise`], `2^-29` of `q`)
///    and `d` folded in as `d (1 + q)`. With `n (ln 2 - LN2_HI - LN2_LO)`
///    and `m`'s rounding each below `2^-35`, the total is below `2^-30`
///    of `e^(hi + lo)`.
#[inline(always)]
pub(crate) fn reduce_precise<V: Lanes>(hi: V, lo: V) -> (V, V, V) {
    let (n, r_hi) = split_n(hi);
    let m = n.mul_add(V::splat(-LN2_LO), lo);
    let (r, d) = super::div::two_sum(r_hi, m);
    let (q_hi, q_lo) = expm1_pair_precise(r);
    (n, q_hi, d.mul_add(q_hi, q_lo + d))
}

/// `expm1(r)` as a pair `(q_hi, q_lo)` to about `2^-29` relative, for the
/// kernels that return `e^x - 1` itself (ELU, SELU), where [`expm1_pair`]'s
/// rounding of `r^2 P(r)` (up to `2^-25` of `q`) would show:
/// 1. `r^2` as the exact pair `rr + rr_err` (FMA, or Dekker's product).
/// 2. `q_hi + t = r + rr/2` (Fast2Sum: `|r| >= r^2/2` for `|r| < 2`;
///    `rr/2` is exact).
/// 3. `q_lo = t + rr_err/2 + rr (r P(r))`, the last term (at most 1.7% of
///    `q`) rounded a few times: `2^-29` of `q` in all, beside the fit's
///    `2^-30.9`.
#[inline(always)]
fn expm1_pair_precise<V: Lanes>(r: V) -> (V, V) {
    // Step 1.
    let (rr, rr_err) = if V::FUSED {
        let rr = r * r;
        (rr, r.mul_add(r, -rr))
    } else {
        super::div::two_prod(r, r)
    };
    let p = V::splat(D7)
        .mul_add(r, V::splat(D6))
        .mul_add(r, V::splat(D5))
        .mul_add(r, V::splat(D4))
        .mul_add(r, V::splat(D3));
    let half = V::splat(0.5);
    // Step 2.
    let (q_hi, t) = super::div::fast_two_sum(r, rr * half);
    // Step 3.
    let c = rr * (r * p);
    (q_hi, t + rr_err.mul_add(half, c))
}

/// `e^x - 1` for `x` in `[-18, 0]` as an unevaluated pair `(h, l)`, `h + l`
/// within `2^-45` or so relative of [`reduce_carried`]'s `2^n (1 + q) - 1`
/// (whose own error is [`expm1_pair_precise`]'s, about `2^-29` of `q`):
/// 1. `s = 2^n`, `n` in `[-26, 0]` (normal, no scale split needed).
/// 2. `a = s - 1` with its rounding error `a_err` (Fast2Sum, `|-1| >= s`):
///    exact for `n >= -24`; for `n = -25, -26` (`x < -16.98`) `a` rounds to
///    `-1` and `a_err` keeps the `2^-25` or `2^-26` that decides the last bit.
/// 3. `h + t = a + s q_hi` (Fast2Sum: `a = 0` when `n = 0`, else
///    `|a| >= 1/2 > 0.21 >= |s q_hi|`; `s q_hi` is exact), `l = t + s q_lo + a_err`.
///
/// `x = -0.0` gives `(+0.0, +0.0)`: callers fix the sign of zero results.
#[inline(always)]
pub(crate) fn expm1_neg_pair<V: Lanes>(x: V) -> (V, V) {
    let (n, q_hi, q_lo) = reduce_carried(x);
    // Step 1.
    let s = n.pow2i();
    // Step 2.
    let one = V::splat(1.0);
    let a = s - one;
    let a_err = s - (a + one);
    // Step 3.
    let b = s * q_hi;
    let h = a + b;
    let t = b - (h - a);
    (h, t + s.mul_add(q_lo, a_err))
}

/// `P(r)` of step 3: `expm1(r) ~= r + r^2 P(r)`.
#[inline(always)]
fn expm1_poly<V: Lanes>(r: V) -> V {
    V::splat(C6)
        .mul_add(r, V::splat(C5))
        .mul_add(r, V::splat(C4))
        .mul_add(r, V::splat(C3))
        .mul_add(r, V::splat(C2))
}

/// [`expm1_poly`] by Estrin's scheme, given `rr = r^2`:
/// `(C2 + C3 r) + r^2 ((C4 + C5 r) + r^2 C6)`.
#[inline(always)]
fn expm1_poly_estrin<V: Lanes>(r: V, rr: V) -> V {
    let p01 = V::splat(C3).mul_add(r, V::splat(C2));
    let p23 = V::splat(C5).mul_add(r, V::splat(C4));
    rr.mul_add(rr.mul_add(V::splat(C6), p23), p01)
}

/// Step 3: `expm1(r)` as the exact pair `r + fl(r^2 P(r))`.
#[inline(always)]
fn expm1_pair<V: Lanes>(r: V) -> (V, V) {
    let w = (r * r) * expm1_poly(r);
    let q_hi = r + w;
    let q_lo = w - (q_hi - r);
    (q_hi, q_lo)
}

/// The scale `2^n` as two exact factors `(s1, s2)` with `2^n = s1 * s2`, for
/// integral `n` in `[-190, 127]`: `s1 = 2^n, s2 = 1` when `n >= -100`, else
/// `s1 = 2^(n + 64)` (normal) and `s2 = 2^-64`. Results below `2^-100` may be
/// subnormal; multiplying by `s1` first keeps every intermediate normal and
/// exact, so the final `* s2` is the only rounding onto the subnormal grid.
#[inline(always)]
pub(crate) fn scale_factors<V: Lanes>(n: V) -> (V, V) {
    let deep = n.lt(V::splat(-100.0));
    let borrow = deep & V::splat(-64.0);
    ((n - borrow).pow2i(), borrow.pow2i())
}

/// `s1 (1 + q_hi + q_lo)` as the pair `(e_hi, e_lo)`, for a power of two
/// `s1` and the `q` pair of [`reduce`]: `e_hi = fl(s1 + s1 q_hi)` and its
/// exact rounding error (with FMA: `s1 - e_hi` is exact by Sterbenz, since
/// `e_hi / s1 = 1 + q` is in `[0.7, 1.42]`; without: Fast2Sum, `s1 * q_hi`
/// being exact), plus `s1 q_lo`. Sigmoid and SiLU build `e^-z` with it.
#[inline(always)]
pub(crate) fn one_plus_q_pair<V: Lanes>(s1: V, q_hi: V, q_lo: V) -> (V, V) {
    let (e_hi, e_lo) = if V::FUSED {
        let e_hi = s1.mul_add(q_hi, s1);
        (e_hi, s1.mul_add(q_hi, s1 - e_hi))
    } else {
        super::div::fast_two_sum(s1, s1 * q_hi)
    };
    (e_hi, s1.mul_add(q_lo, e_lo))
}

/// `f(s1)` scaled by `s2`, for the factors of [`scale_factors`]: `f` builds
/// a pair (a value and its error term, or a value and zero) from the first
/// factor, and both parts are multiplied by the second. See [`with_scale`]
/// for the fast path.
#[inline(always)]
pub(crate) fn scaled_pair<V: Lanes>(n: V, f: impl Fn(V) -> (V, V)) -> (V, V) {
    with_scale(
        n,
        #[inline(always)]
        |s1, s2| {
            let (a, b) = f(s1);
            (a * s2, b * s2)
        },
    )
}

/// `f(s1, s2)` for the factors of [`scale_factors`] (`2^n = s1 * s2`). When
/// no lane has `n < -100` (no result below `2^-100`), `s2` is 1 in every
/// lane: `f` runs with the constant 1 (its multiplications by `s2` fold
/// away) and the split is skipped, which changes no bit and saves about six
/// operations per vector in the common case. SiLU uses it directly, to
/// apply `s2` after its multiplication by `x`.
#[inline(always)]
pub(crate) fn with_scale<V: Lanes, R>(n: V, f: impl Fn(V, V) -> R) -> R {
    if V::any(n.lt(V::splat(-100.0))) {
        let (s1, s2) = scale_factors(n);
        f(s1, s2)
    } else {
        f(n.pow2i(), V::splat(1.0))
    }
}

/// `2^n * (1 + q)` as a rounded f32, for integral `n` in `[-190, 127]` and
/// `|q| < 0.5`: `fma(s1, q, s1) * s2` with the factors of [`scale_factors`].
/// One rounding in the normal range; below `2^-126` the first rounding is
/// `2^-24` relative, far below the subnormal spacing the second meets, so the
/// result is within `0.5 + 2^-20` ULP of `2^n * (1 + q)`.
#[inline(always)]
pub(crate) fn scale<V: Lanes>(n: V, q: V) -> V {
    scaled_pair(
        n,
        #[inline(always)]
        |s1| (s1.mul_add(q, s1), V::splat(0.0)),
    )
    .0
}
