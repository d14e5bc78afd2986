//! GELU with the exact normal CDF, `gelu(x) = x Φ(x)`,
//! `Φ(x) = (1 + erf(x / sqrt(2))) / 2` (Hendrycks & Gimpel; PyTorch's
//! default `gelu`, `approximate="none"`).
//!
//! Written with `1 + erf`, the negative tail cancels (`gelu(-10)` is about
//! `-7.6e-23`, far below the rounding of `1 + erf`). Instead, with
//! `t = |x|` and the upper tail `Q(t) = Φ(-t) = erfc(t / sqrt(2)) / 2`:
//! `gelu(x) = x Q(t)` for `x < 0` and `x (1 - Q(t))` for `x >= 0`, and
//! `Q(t) = e^(-t²/2) / D(t)` with `D` smooth and known without
//! cancellation: `D(0) = 2`, `D(t) ~ sqrt(2 pi) (t + 1/t)` for large `t`
//! (`1 / D` is the Mills ratio over `sqrt(2 pi)`). Then, over one division,
//! `gelu(x) = x E / D` (`x < 0`) or `x (D - E) / D` (`x >= 0`), `E = e^(-t²/2)`;
//! `D - E >= 1` cancels nothing (`D >= 2`, `E <= 1`).
//!
//! Algorithm, per lane:
//! 1. `xc = clamp(x, -14.5, 6)`, `t = |xc|`. At `x = -14.5`,
//!    `|gelu(x)| < 9e-47`, under half the smallest subnormal (`7e-46`): from
//!    there down the result rounds to `-0.0`, and the clamped lanes give it
//!    (`-14.5 E / D` rounds to `-0.0`). Above `6`, `Q < 2^-29` and
//!    `x (1 - Q)` rounds to `x` (step 6).
//! 2. `E = e^(-t²/2) = 2^n (1 + q)`: `t²` as an exact pair
//!    ([`div::prod_pair`]), halved exactly, and reduced with the pair
//!    argument ([`exp::reduce_carried_pair`]): `q` as a pair to about
//!    `2^-29` relative. (`t²/2` reaches 105, where a rounded f32 argument
//!    alone would be `2^-18` off: 100 ULP of `E`.)
//! 3. `D(t)` from one of four polynomials of `s = t - c` (the interval's
//!    center), whose coefficients are selected per lane by comparing `t`
//!    with 1.5, 4 and 8: `D = A0 + s (A1 + s P(s))`, `P` of degree 6
//!    in f32 by Horner, the last two steps as pairs ([`div::prod_pair`],
//!    [`div::two_sum`]; `A0`, `A1` are two floats each), so that `D` comes
//!    out as a pair `(d_hi, d_lo)`. `s` is exact (`c = 0` on `[0, 1.5]`; on
//!    the others `t / c` is in `[1/2, 2]`, Sterbenz). Fit errors (relative,
//!    `tools/fit_gelu.sollya`): `2^-31.8`, `2^-30.1`, `2^-31.0`, `2^-31.9`
//!    on `[0, 1.5]`, `[1.5, 4]`, `[4, 8]`, `[8, 14.5]`. `s² P(s)` is at most
//!    `0.096` of `D` (first interval), so `P`'s own rounding reaches `D` at
//!    about `2^-26.5`; the pair steps add about `2^-45`.
//! 4. The numerator pair `M`: `E` for `x < 0`, `D - E` for `x >= 0`
//!    (Fast2Sum, `d_hi >= 2 > E`), then `N = xc M` as an exact product pair
//!    plus `xc m_lo`. For results that may be subnormal (`n < -100`), `E`
//!    carries the factor `s1` of [`exp::scale_factors`] and the quotient
//!    is multiplied by `s2` last ([`exp::with_scale`]), so every
//!    intermediate is normal.
//! 5. One division of the pairs ([`div::div_dd`]): `N / D`, rounded once
//!    (twice for subnormal results: the quotient, then `* s2`).
//! 6. The sign of `x` is OR-ed in (`gelu(-0.0) = -0.0`; every result has
//!    the sign of `x`); lanes with `!(x <= 6)` (`x > 6`, `+inf`, NaN) return
//!    `x`.
//!
//! Error: `E` within about `2^-29`, `D` within about `2^-26.5` (which
//! reaches `1 - Q` only multiplied by `Q / (1 - Q) <= 1`), the division
//! `0.5 + 2^-20` ULP: under `0.5 + 2^-26 * 2^24 = 0.75` ULP by this count;
//! the measured maxima are in README.md and the bound in [`crate::accuracy`].
//!
//! These steps are the **f32 route**. x86-64 builds without FMA (the
//! `Portable` level of a default build, SSE2) take the **f64 route**
//! instead ([`crate::lanes::F64_ROUTE`]): there the exact products of
//! steps 2-5 need Dekker's splitting, while SSE2 computes two f64 lanes
//! per instruction. Per lane, in f64:
//! - W1. `xc = clamp(x, -14.5, 6)` and `t = |xc|`, as in step 1 (exact).
//! - W2. `E = e^(-t²/2)` by [`wide64::exp`]: `t²` is exact in f64 (two
//!   24-bit significands) and so is its half, and `e^-105.125` is a normal
//!   f64, so `E` is within `2^-28.27` relative with no pair and no scaling.
//! - W3. `D(t)` from the same four polynomials as step 3 (the same
//!   coefficients, `A0` and `A1` summed exactly into one f64 each, in
//!   [`G64`]): each lane's interval is found by three scalar comparisons
//!   and its row loaded, and the degree-8 polynomial in `s = t - c`
//!   (exact) is evaluated by Estrin's scheme, whose chain of dependent
//!   operations is 6 steps where Horner's is 16 without FMA (measured on
//!   4096 elements: 6.14 -> 5.70 ns per element, README "Speed").
//!   Error: the fits' `2^-30.13` at most; the f64 roundings add about
//!   `2^-50` (no partial sum is much larger than `D`).
//! - W4. `M = E` (`x < 0`) or `D - E` (`x >= 0`; `D >= 2 >= 2E`, no
//!   cancellation), then `y = xc M / D`, three f64 roundings, and one
//!   rounding to f32 (also for subnormal results: `y` is a normal f64,
//!   so they are rounded once, not twice as in step 5). The errors of
//!   `E` and `D` each reach `y` at most once: `E / D` for `x < 0`, and for
//!   `x >= 0` `(D - E) / D = 1 - E / D`, whose relative error is
//!   `E / (D - E) <= 1` times theirs. So `y` is within `2^-28.27 +
//!   2^-30.13 = 2^-27.9` relative (the f64 roundings add about `2^-51`)
//!   before the last rounding: at most `0.5 + 2^24 2^-27.9 = 0.57` ULP.
//! - W5. Step 6 (the sign of `x`; `x`, `+inf` and NaN above 6).
//!
//! # Backward: `g gelu'(x)`, `gelu'(x) = Φ(x) + x φ(x)`
//!
//! With `φ(x) = E / sqrt(2 pi)` and `K = x D / sqrt(2 pi)`:
//! `gelu'(x) = E (1 + K) / D` for `x < 0` and `(D + E (K - 1)) / D` for
//! `x >= 0` (one numerator over the forward's `D`, no `1 - Q`).
//! Per lane, from the forward input `x` and the gradient `g`:
//! 1. `xc = clamp(x, -9, 6.5)`, `t = |xc|`; `E` and `D` as in the
//!    forward kernel (steps 2-3).
//! 2. `K = xc D C` as a pair (`C = 1/sqrt(2 pi)` as two floats, exact
//!    products), `B = K ± 1` (two-sum), `P = E B` as a pair, and
//!    `N = P` (`x < 0`) or `P + D` (`x >= 0`, two-sum).
//! 3. `gelu'(x) = N / D` as a pair ([`div::div_dd_pair`]). Near its zero
//!    `x0 = -0.7517916` (`|x - x0| <= 0.2`), `1 + K` cancels: there the errors
//!    of `E` and `D` (about `2^-27` of `K`) would be absolute, up to
//!    `2^-30.9 |g|` measured, however small the result. So those lanes use
//!    the series at the zero instead (3b): `t = x - x0` as an exact pair
//!    (`x0` in three floats), `gelu'(x0 + t) = t S(t)`, `S` of degree 7
//!    (`tools/fit_gelu.sollya`, relative error `2^-34.7`; its last two
//!    Horner steps as pairs), and `t S` as a pair: relative accuracy through
//!    the zero. Then `g * (f_hi + f_lo)` rounded once (one FMA, or Dekker's
//!    product). Here `|g|` is in `[2^-40, 2^64)` and `|gelu'|` in
//!    `[2^-57, 1.13]` (or `t S` with `|t| >= 2^-26`): the product is above
//!    `2^-97`, normal, and no error term of Dekker's product underflows.
//! 4. Lanes outside that range (finite `x < -9`, where `gelu'(x)` falls
//!    below `2^-57` and on towards `2^-280`, or a finite nonzero `g` outside
//!    `[2^-40, 2^64)`) are rare and need exponent ranges f32 pairs do not
//!    have: when a vector holds one, those lanes alone are recomputed in
//!    f64 with `libm` (`erfc`, `exp`), `g (Φ(x) + x φ(x))` rounded once to
//!    f32, which is the reference formula itself. Every other lane keeps
//!    its vector result, so no lane depends on its neighbours. (Not on
//!    `lanes::COMPACT` targets either way: the f64 lanes run there too.)
//! 5. Fix-ups: `x > 6.5` (`gelu'(x) - 1 < 2^-28`) and `x = +inf` return `g`;
//!    `x = -inf` gives `g * +0.0` (`gelu'(-inf)` taken as `+0`, as by the
//!    other backward kernels); a zero
//!    result or an infinite `g` is recomputed as `g * f_hi` (the IEEE sign
//!    of `g × gelu'(x)`); a NaN the arithmetic makes becomes `f32::NAN`;
//!    then a NaN `g` is returned as it is, and a NaN `x` as it is (`x` first).
//!
//! Error: the pair quotient and the series are within about `2^-26` relative
//! of `gelu'` (the forward kernel's count for `E` and `D`), the last product
//! rounds once: the bound of [`crate::accuracy::GELU_BACKWARD`] holds with
//! the measured maxima in README.md.

use crate::approx::{div, exp, wide64};
use crate::error::{check_lengths, check_lengths3, Error};
use crate::lanes::{checked_map, f64_or_f32, map2, map2_in_place, map_f64, map_in_place, Lanes};
use wide::f64x2;

/// Step 1: from here down the result rounds to `-0.0`.
const T_MAX: f32 = 14.5;
/// Steps 1 and 6: above this the result rounds to `x` (`Q(6) < 2^-29`).
const X_IDENTITY: f32 = 6.0;
/// Backward step 1: below `-T_BACKWARD`, `gelu'(x)` is under `2^-57`
/// (`gelu'(-9) = -9.2e-18`) and the lane goes to the f64 path (step 4).
const T_BACKWARD: f32 = 9.0;
/// Backward step 5: above this `gelu'(x) = 1 + x φ(x) - Q(x)` is within
/// `2^-28` of 1 (`6.5 φ(6.5) < 2^-28`), and `g * gelu'(x)` rounds to `g`.
const X_ONE: f32 = 6.5;
/// `1/sqrt(2 pi)` = 0.3989422804014327 as `C_HI` (0x1.988454p-2) plus `C_LO`
/// (-0x1.857936p-27); residue `3.1e-17`. (A quarter of `src/gelu.rs`'s `A`.)
const C_HI: f32 = f32::from_bits(0x3ecc_422a);
const C_LO: f32 = f32::from_bits(0xb242_bc9b);
/// Backward step 3b: the zero of `gelu'`, `x0 = -0.75179152469356445745...`,
/// as three floats (`-0x1.80ead2p-1 + 0x1.a03fd4p-27 - 0x1.eec18cp-52`,
/// residue `1.0e-23`).
const X0_HI: f32 = f32::from_bits(0xbf40_7569);
const X0_MID: f32 = f32::from_bits(0x3250_1fea);
const X0_LO: f32 = f32::from_bits(0xa5f7_60c6);
/// Backward step 3b: the series' half-width around `x0`.
const T_SERIES: f32 = 0.2;
/// Backward step 3b: `gelu'(x0 + t) ~= t (B1 + t (B2 + t (B3 + ... + t B8)))`
/// on `|t| <= 0.2`, as f32 bits `B1hi, B1lo, B2hi, B2lo, B3, ..., B8`;
/// relative error `2^-34.7` (`tools/fit_gelu.sollya`, checked by
/// `tools/check_coefficients.sh`).
const B: [u32; 10] = [
    0x3edc_ecc8,
    0xb1b4_4120,
    0x3ec6_cd4a,
    0x30db_d270,
    0xbc95_1783,
    0xbde9_7d22,
    0xbc71_fe28,
    0x3c9f_1699,
    0x3b92_d03b,
    0xbb10_8864,
];
// Backward step 3: the gradients the vector path takes, `[2^-40, 2^64)`:
// the range in which `src/backward.rs` leaves `g` unscaled.
use crate::backward::{SMALL as G_MIN, TWO_POW_64 as G_MAX};

/// Step 3: the lower ends of the second, third and fourth intervals.
const SPLIT: [f32; 3] = [1.5, 4.0, 8.0];
/// Step 3: the centers `c` of the four intervals.
const CENTER: [f32; 4] = [0.0, 2.75, 6.0, 11.25];

/// Step 3: `D(c + s) ~= A0 + s (A1 + s (A2 + ... + s A8))` per interval, as
/// f32 bits in the order `A0hi, A0lo, A1hi, A1lo, A2, ..., A8`
/// (`A0 = A0hi + A0lo` exactly, 48 bits). Fitted by `tools/fit_gelu.sollya`
/// (fpminimax, relative error); checked bit for bit by
/// `tools/check_coefficients.sh`. "tail" is `max |s² P(s)| / D`.
#[rustfmt::skip]
const G: [[u32; 11]; 4] = [
    // [0, 1.5], c = 0: fit error 2^-31.84, tail 0.096
    [
        0x4000_0000, 0xb00e_6a00, 0x3fcc_422a, 0x32bd_5570,
        0x3e8b_e5de, 0xbd44_58f7, 0xba05_c71b, 0x3b58_2308, 0xba8c_4e2e, 0x3932_af89, 0xb73e_0a8b,
    ],
    // [1.5, 4], c = 2.75: fit error 2^-30.13, tail 0.020
    [
        0x40f4_ca07, 0x346a_9a32, 0x4013_bde5, 0xb252_6780,
        0x3d3c_2e53, 0xbc1b_3e0a, 0x3ae2_1c5b, 0xb98d_d989, 0x380e_10d7, 0xb5dd_7b23, 0xb513_7a59,
    ],
    // [4, 8], c = 6: fit error 2^-30.98, tail 0.0045
    [
        0x4176_fe10, 0xb4bb_3996, 0x401c_9376, 0xb3b9_02c2,
        0x3c0e_c918, 0xba9e_c49e, 0x3929_515d, 0xb7ac_211b, 0x3627_2fb5, 0xb4ac_465f, 0x331b_11a0,
    ],
    // [8, 14.5], c = 11.25: fit error 2^-31.94, tail 0.0011
    [
        0x41e3_5a17, 0x356a_509e, 0x401f_368d, 0x332a_7714,
        0x3ad2_d208, 0xb90d_53e9, 0x373a_d7f1, 0xb571_512a, 0x3399_541d, 0xb1e3_fa13, 0x3017_5d75,
    ],
];

/// [`G`] by columns: `GT[j][k]` is coefficient `j` of interval `k`.
const GT: [[u32; 4]; 11] = {
    let mut t = [[0u32; 4]; 11];
    let mut j = 0;
    while j < 11 {
        let mut k = 0;
        while k < 4 {
            t[j][k] = G[k][j];
            k += 1;
        }
        j += 1;
    }
    t
};

/// The coefficient of each lane's interval from one column (`col[k]` is
/// interval `k`'s): `m[k]` marks the lanes at or past the start of interval
/// `k + 1`, and later masks win. (Constant indices only: no bounds check
/// survives on any target, `opt-level = "z"` included.)
#[inline(always)]
fn coefficient<V: Lanes>(m: &[V; 3], col: [f32; 4]) -> V {
    let v = V::select(m[0], V::splat(col[1]), V::splat(col[0]));
    let v = V::select(m[1], V::splat(col[2]), v);
    V::select(m[2], V::splat(col[3]), v)
}

/// Step 3: `D(t)` as a pair, for `t` in `[0, 14.5]`.
#[inline(always)]
fn mills_denominator<V: Lanes>(t: V) -> (V, V) {
    let masks = [
        V::splat(SPLIT[0]).le(t),
        V::splat(SPLIT[1]).le(t),
        V::splat(SPLIT[2]).le(t),
    ];
    let a = |col: [u32; 4]| {
        let f = f32::from_bits;
        coefficient(&masks, [f(col[0]), f(col[1]), f(col[2]), f(col[3])])
    };
    let s = t - coefficient(&masks, CENTER);
    // P(s) = A2 + s (A3 + ... + s A8), f32 Horner.
    let p = a(GT[10])
        .mul_add(s, a(GT[9]))
        .mul_add(s, a(GT[8]))
        .mul_add(s, a(GT[7]))
        .mul_add(s, a(GT[6]))
        .mul_add(s, a(GT[5]))
        .mul_add(s, a(GT[4]));
    last_two_steps(s, [a(GT[0]), a(GT[1]), a(GT[2]), a(GT[3])], p)
}

/// `A0 + s (A1 + s P)` as a pair, for `A0`, `A1` given as two floats each
/// (`[A0hi, A0lo, A1hi, A1lo]`) and the inner polynomial's value `P`: the
/// two steps of Horner's scheme whose roundings would show, done with
/// exact products and two-sums.
#[inline(always)]
fn last_two_steps<V: Lanes>(s: V, a: [V; 4], p: V) -> (V, V) {
    // T = A1 + s P as a pair.
    let (sp, sp_err) = div::prod_pair(s, p);
    let (t_hi, t_err) = div::two_sum(a[2], sp);
    let t_lo = t_err + (sp_err + a[3]);
    // A0 + s T as a pair.
    let (st, st_err) = div::prod_pair(s, t_hi);
    let (d_hi, d_err) = div::two_sum(a[0], st);
    (d_hi, d_err + (s.mul_add(t_lo, st_err) + a[1]))
}

/// Step 2: `e^(-t²/2) = 2^n (1 + q_hi + q_lo)` as `(n, q_hi, q_lo)`.
#[inline(always)]
fn gauss<V: Lanes>(t: V) -> (V, V, V) {
    let (tt, tt_err) = div::prod_pair(t, t);
    let minus_half = V::splat(-0.5);
    exp::reduce_carried_pair(tt * minus_half, tt_err * minus_half)
}

/// GELU (exact, with the normal CDF) of every lane: the kernel the slice
/// functions run (narrated at the top of `src/gelu_erf.rs`).
#[inline(always)]
pub fn gelu_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, widened, f32_route)
}

/// [`G`] and [`CENTER`] widened to f64, one row per interval: `[c, A0, A1,
/// A2, ..., A8]` with `A0 = A0hi + A0lo` and `A1 = A1hi + A1lo` (exact: 48
/// bits each), for the f64 route's step W3.
const G64: [[f64; 10]; 4] = {
    let mut t = [[0.0; 10]; 4];
    let mut k = 0;
    while k < 4 {
        t[k][0] = CENTER[k] as f64;
        t[k][1] = widen(G[k][0]) + widen(G[k][1]);
        t[k][2] = widen(G[k][2]) + widen(G[k][3]);
        let mut j = 4;
        while j < 11 {
            t[k][j - 1] = widen(G[k][j]);
            j += 1;
        }
        k += 1;
    }
    t
};

/// The f32 of `bits`, widened to f64 (exactly).
const fn widen(bits: u32) -> f64 {
    f32::from_bits(bits) as f64
}

/// Step W3: `D(t)` in f64 for one pair of lanes, each lane's coefficients
/// loaded from its interval's row of [`G64`].
#[inline(always)]
fn mills_denominator_f64(t: f64x2) -> f64x2 {
    let interval = |t: f64| {
        usize::from(f64::from(SPLIT[0]) <= t)
            + usize::from(f64::from(SPLIT[1]) <= t)
            + usize::from(f64::from(SPLIT[2]) <= t)
    };
    let [t0, t1] = t.to_array();
    // `& 3`: the sum of three flags is at most 3 anyway; the mask lets the
    // compiler drop the bounds checks.
    let (r0, r1) = (&G64[interval(t0) & 3], &G64[interval(t1) & 3]);
    let a = |j: usize| f64x2::new([r0[j], r1[j]]);
    let s = t - a(0);
    // Estrin's scheme: `A0 + A1 s + ... + A8 s^8` as
    // `(A0 + A1 s) + s² (A2 + A3 s) + s⁴ ((A4 + A5 s) + s² (A6 + A7 s) + s⁴ A8)`.
    let (s2, pair) = (s * s, |j: usize| a(j) + a(j + 1) * s);
    let s4 = s2 * s2;
    let low = pair(1) + s2 * pair(3);
    let high = pair(5) + s2 * pair(7) + s4 * a(9);
    low + s4 * high
}

/// The f64 route (module docs, steps W1-W5), for builds without FMA on
/// x86-64.
#[inline(always)]
fn widened<V: Lanes>(x: V) -> V {
    let y = map_f64(
        x,
        #[inline(always)]
        |x| {
            // Step W1 (NaN lanes come out as anything; step W5 replaces
            // them).
            let xc = x
                .fast_max(f64x2::splat(f64::from(-T_MAX)))
                .fast_min(f64x2::splat(f64::from(X_IDENTITY)));
            let t = xc.abs();
            // Step W2.
            let e = wide64::exp(t * t * f64x2::splat(-0.5));
            // Step W3.
            let d = mills_denominator_f64(t);
            // Step W4.
            let m = xc.simd_lt(f64x2::ZERO).bitselect(e, d - e);
            (xc * m) / d
        },
    );
    // Step W5.
    let y = y | x.sign();
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// GELU's f32 route ([`crate::lanes::route`], module docs, steps 1-6): what
/// every build runs but x86-64 builds without FMA.
#[inline(always)]
pub(crate) fn f32_route<V: Lanes>(x: V) -> V {
    // Step 1 (NaN lanes: `max_of` gives -14.5; replaced in step 6).
    let xc = x.max_of(V::splat(-T_MAX)).min_fast(V::splat(X_IDENTITY));
    let t = xc.abs();
    let neg = x.lt(V::splat(0.0));
    // Step 2.
    let (n, q_hi, q_lo) = gauss(t);
    // Step 3.
    let (d_hi, d_lo) = mills_denominator(t);
    let y = exp::with_scale(
        n,
        #[inline(always)]
        |s1, s2| {
            // Step 4.
            let (e_hi, e_lo) = exp::one_plus_q_pair(s1, q_hi, q_lo);
            let (c_hi, c_err) = div::fast_two_sum(d_hi, -e_hi);
            let c_lo = c_err + (d_lo - e_lo);
            let m_hi = V::select(neg, e_hi, c_hi);
            let m_lo = V::select(neg, e_lo, c_lo);
            let (p_hi, p_err) = div::prod_pair(xc, m_hi);
            let p_lo = xc.mul_add(m_lo, p_err);
            // Step 5.
            div::div_dd(p_hi, p_lo, d_hi, d_lo) * V::select(neg, s2, V::splat(1.0))
        },
    );
    // Step 6.
    let y = y | x.sign();
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// GELU's backward kernel: `g * gelu'(x)` of every lane, from the forward
/// input `x` and the incoming gradient `g` (narrated at the top of
/// `src/gelu_erf.rs`, "Backward").
#[inline(always)]
pub fn gelu_backward_lanes<V: Lanes>(x: V, g: V) -> V {
    // Step 1 (NaN lanes: `max_of` gives -9; replaced in step 5).
    let xc = x.max_of(V::splat(-T_BACKWARD)).min_fast(V::splat(X_ONE));
    let t = xc.abs();
    let neg = x.lt(V::splat(0.0));
    let (n, q_hi, q_lo) = gauss(t);
    let (d_hi, d_lo) = mills_denominator(t);
    // n >= -59: 2^n is normal.
    let (e_hi, e_lo) = exp::one_plus_q_pair(n.pow2i(), q_hi, q_lo);
    // Step 2.
    let (dc, dc_err) = div::prod_pair(d_hi, V::splat(C_HI));
    let dc_lo = d_hi.mul_add(V::splat(C_LO), d_lo.mul_add(V::splat(C_HI), dc_err));
    let (k_hi, k_err) = div::prod_pair(xc, dc);
    let k_lo = xc.mul_add(dc_lo, k_err);
    let one = V::splat(1.0);
    let (b_hi, b_err) = div::two_sum(k_hi, V::select(neg, one, -one));
    let b_lo = b_err + k_lo;
    let (p_hi, p_err) = div::prod_pair(e_hi, b_hi);
    let p_lo = e_hi.mul_add(b_lo, e_lo.mul_add(b_hi, p_err));
    let zero = V::splat(0.0);
    let (n_hi, n_err) = div::two_sum(p_hi, V::select(neg, zero, d_hi));
    let n_lo = n_err + (p_lo + V::select(neg, zero, d_lo));
    // Step 3.
    let (f_hi, f_lo) = div::div_dd_pair(n_hi, n_lo, d_hi, d_lo);
    // Step 3b: `t = x - x0` as a pair (`x - X0_HI` is exact for `x` in
    // `[-1.5, -0.37]` by Sterbenz, the rest a two-sum; `X0_LO` is below
    // `2^-24` of `t`'s last bit for every `|t| >= 2^-26`).
    let th = x - V::splat(X0_HI);
    let near = th.abs().le(V::splat(T_SERIES));
    let (f_hi, f_lo) = if V::any(near) {
        let (t_hi, t_err) = div::two_sum(th, V::splat(-X0_MID));
        let t_lo = t_err - V::splat(X0_LO);
        let b = |w: u32| V::splat(f32::from_bits(w));
        let p = b(B[9])
            .mul_add(t_hi, b(B[8]))
            .mul_add(t_hi, b(B[7]))
            .mul_add(t_hi, b(B[6]))
            .mul_add(t_hi, b(B[5]))
            .mul_add(t_hi, b(B[4]));
        let (s_hi, s_lo) = last_two_steps(t_hi, [b(B[0]), b(B[1]), b(B[2]), b(B[3])], p);
        let (u_hi, u_err) = div::prod_pair(t_hi, s_hi);
        let u_lo = t_hi.mul_add(s_lo, t_lo.mul_add(s_hi, u_err));
        (V::select(near, u_hi, f_hi), V::select(near, u_lo, f_lo))
    } else {
        (f_hi, f_lo)
    };
    let r = crate::backward::product(g, f_hi, f_lo).0;
    // Step 4.
    let inf = V::splat(f32::INFINITY);
    let ag = g.abs();
    let finite = x.abs().lt(inf) & ag.lt(inf) & ag.eq(zero).mask_not();
    let g_out = ag.lt(V::splat(G_MIN)) | V::splat(G_MAX).le(ag);
    let slow = finite & (x.lt(V::splat(-T_BACKWARD)) | (x.le(V::splat(X_ONE)) & g_out));
    let r = if V::any(slow) {
        patch_f64(x, g, slow, r)
    } else {
        r
    };
    // Step 5.
    // (Not the f64 lanes: their zeros are exact products and already
    // signed; `f_hi` is the clamped lane's there.)
    let r = V::select((r.eq(zero) & slow.mask_not()) | ag.eq(inf), g * f_hi, r);
    let r = V::select(x.nle(V::splat(X_ONE)), g, r);
    let r = V::select(x.eq(-inf), g * zero, r);
    let r = V::select(r.is_nan(), V::splat(f32::NAN), r);
    let r = V::select(g.is_nan(), g, r);
    V::select(x.is_nan(), x, r)
}

/// Backward step 4: the lanes of `slow` recomputed in f64.
#[inline(always)]
fn patch_f64<V: Lanes>(x: V, g: V, slow: V, r: V) -> V {
    let (mut xs, mut gs, mut ms, mut rs) = ([0.0; 16], [0.0; 16], [0.0; 16], [0.0; 16]);
    x.to_lanes(&mut xs);
    g.to_lanes(&mut gs);
    slow.to_lanes(&mut ms);
    r.to_lanes(&mut rs);
    for (((r, &x), &g), m) in rs.iter_mut().zip(&xs).zip(&gs).zip(&ms) {
        if m.to_bits() != 0 {
            *r = (f64::from(g) * gelu_prime_f64(f64::from(x))) as f32;
        }
    }
    V::load_or(&rs, 0.0)
}

/// `Φ(x) + x φ(x)` in f64 (backward step 4): `Q(t) - t φ(t)` for `x < 0`
/// (written `-(t φ - Q)`, so that a tail where both underflow gives `-0.0`,
/// the sign of the limit), `1 - Q(t) + t φ(t)` for `x >= 0`; within 0.2 of
/// `x0`, where those two terms cancel, the Taylor series at `x0` instead:
/// `gelu^(k+1)(x) = φ(x) P_k(x)` with `P_1 = 2 - x²`,
/// `P_(k+1) = P_k' - x P_k`, summed to `t^16` (`|t|^17 / 17! < 2^-60`).
#[inline(never)]
fn gelu_prime_f64(x: f64) -> f64 {
    let x0 = f64::from(X0_HI) + f64::from(X0_MID) + f64::from(X0_LO);
    let dt = (x - f64::from(X0_HI)) - (f64::from(X0_MID) + f64::from(X0_LO));
    if libm::fabs(dt) <= f64::from(T_SERIES) {
        return dt * series_at_x0(x0, dt);
    }
    let t = libm::fabs(x);
    let phi = libm::exp(-0.5 * x * x)
        * (0.5 * core::f64::consts::FRAC_2_SQRT_PI * core::f64::consts::FRAC_1_SQRT_2);
    let q = 0.5 * libm::erfc(t * core::f64::consts::FRAC_1_SQRT_2);
    if x < 0.0 {
        -(t * phi - q)
    } else {
        (1.0 - q) + t * phi
    }
}

/// `(gelu'(x0 + dt) - gelu'(x0)) / dt` as the Taylor series of
/// [`gelu_prime_f64`] (`gelu'(x0) = 0`). `P_k` is kept as its coefficients
/// (degree `k + 1`, at most 17).
fn series_at_x0(x0: f64, dt: f64) -> f64 {
    // P_1 = 2 - x^2.
    let mut poly = [0.0f64; 18];
    poly[0] = 2.0;
    poly[2] = -1.0;
    let phi = libm::exp(-0.5 * x0 * x0)
        * (0.5 * core::f64::consts::FRAC_2_SQRT_PI * core::f64::consts::FRAC_1_SQRT_2);
    let (mut sum, mut power, mut factorial) = (0.0, 1.0, 1.0);
    for k in 1..=16 {
        // gelu^(k+1)(x0) / k! * dt^(k-1), with P_k(x0) by Horner.
        let value = poly.iter().rev().fold(0.0, |acc, &c| acc * x0 + c);
        factorial *= k as f64;
        sum += phi * value / factorial * power;
        power *= dt;
        // P_(k+1) = P_k' - x P_k.
        let mut next = [0.0f64; 18];
        for (i, pair) in next.iter_mut().enumerate() {
            let derivative = poly.get(i + 1).map_or(0.0, |&c| c * (i + 1) as f64);
            let shifted = if i == 0 { 0.0 } else { poly[i - 1] };
            *pair = derivative - shifted;
        }
        poly = next;
    }
    sum
}

/// GELU, `x Φ(x) = x (1 + erf(x / sqrt(2))) / 2` (the exact form: PyTorch's
/// `gelu` with `approximate="none"`), of every element of `input`, into
/// `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::GELU`] ULP from the correctly rounded value
/// (see the [accuracy table](crate::accuracy)), verified over all 2^32
/// inputs, the far negative tail (down to subnormal results) included.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `+inf`; `-inf` → `-0.0`; `±0.0` → `±0.0`;
/// `x` exactly for `x > 6`; `-0.0` for `x <= -14.5` (and wherever the exact
/// value is under half the smallest subnormal); the minimum is about
/// `-0.17` (at `x = -0.75`); subnormal results are kept, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 4];
/// activations::gelu(&[1.0, 7.0, -10.0, -20.0], &mut y)?;
/// assert!((y[0] - 0.841_344_7).abs() < 1e-6);
/// assert_eq!(y[1], 7.0);
/// assert!((y[2] / -7.619_853e-23 - 1.0).abs() < 1e-6);
/// assert_eq!(y[3].to_bits(), (-0.0f32).to_bits());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn gelu(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::gelu(input, output)
}

/// [`gelu`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [f32::INFINITY, f32::NEG_INFINITY, -0.0];
/// activations::gelu_in_place(&mut v);
/// assert_eq!(v[0], f32::INFINITY);
/// assert_eq!(v[1].to_bits(), (-0.0f32).to_bits());
/// assert_eq!(v[2].to_bits(), (-0.0f32).to_bits());
/// ```
#[inline]
pub fn gelu_in_place(values: &mut [f32]) {
    crate::dispatch::root::gelu_in_place(values)
}

/// GELU backward: `grad_input[i] = grad_output[i] * gelu'(x)` with
/// `x = input[i]`, the input of [`gelu`] (`gelu'(x) = Φ(x) + x φ(x)`, the
/// exact form).
///
/// # Accuracy
/// At most [`crate::accuracy::GELU_BACKWARD`] ULP from `g (Φ(x) + x φ(x))`
/// computed exactly from the given `x` and `g` (see the [accuracy
/// table](crate::accuracy)), for every finite `x` and `g`: through the zero
/// of `gelu'` at `x = -0.7517916` (a series there), the deep tail and
/// subnormal results included. Verified over all 2^32 `x` with fixed gradients and random pairs
/// (`examples/exhaustive_backward.rs`).
///
/// # Special values
/// - NaN `x` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes (`±inf × 0`: infinite `g` at `x = -inf`) → `f32::NAN`.
/// - `x > 6.5` and `x = +inf` → `g` (the derivative rounds to 1 there).
/// - `x = -inf` → `g * +0.0` (the derivative taken as `+0` there, as by
///   the other backward kernels); finite `x` far in the tail → the exact
///   product, subnormal or a zero with the sign of `g × gelu'(x)`.
/// - Infinite `g` → `±inf` with the sign of `g × gelu'(x)` for finite `x`.
/// - `g = ±0` → a zero with the sign of `g × gelu'(x)`.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad_output.len() }`
/// when the gradient's length differs from the input's, else
/// `{ input: input.len(), output: grad_input.len() }`; nothing is written then.
///
/// # Examples
/// ```
/// let x = [0.0f32, 10.0, -30.0];
/// let g = [1.0f32, 2.0, 1.0];
/// let mut dx = [0.0f32; 3];
/// activations::gelu_backward(&x, &g, &mut dx)?;
/// assert_eq!(dx[0], 0.5);
/// assert_eq!(dx[1], 2.0);
/// assert_eq!(dx[2].to_bits(), (-0.0f32).to_bits());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn gelu_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::gelu_backward(input, grad_output, grad_input)
}

/// [`gelu_backward`] in place: every `grad[i]` becomes `grad[i] * gelu'(x)`
/// with `x = input[i]`. Same accuracy and special values.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [2.0f32, -4.0];
/// activations::gelu_backward_in_place(&[0.0, 7.0], &mut grad)?;
/// assert_eq!(grad, [1.0, -4.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn gelu_backward_in_place(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::gelu_backward_in_place(input, grad)
}

#[inline(always)]
pub(crate) fn backward_slice<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    check_lengths3(input.len(), grad_output.len(), grad_input.len())?;
    map2::<V>(
        input,
        grad_output,
        grad_input,
        0.0,
        #[inline(always)]
        |x, g| gelu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn backward_slice_in_place<V: Lanes>(
    input: &[f32],
    grad: &mut [f32],
) -> Result<(), Error> {
    check_lengths(input.len(), grad.len())?;
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| gelu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| gelu_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| gelu_lanes(x),
    );
}
