//! Backward kernels of the exponential activations — SiLU, softplus, ELU,
//! SELU, GELU (tanh form) — from the forward *input* `x` and the incoming
//! gradient `g`: `dL/dx = g * f'(x)`, element by element. (Their
//! derivatives are not functions of the output: SiLU and GELU are not
//! one-to-one, and ELU's `alpha e^x = y + alpha` cancels in the tail.)
//!
//! Each derivative is written as a quotient of pairs times a power of two,
//! `f'(x) = 2^k (h + c)` with `h + c` in a moderate range, so that the last
//! step can multiply by `g` and scale with one rounding over the whole
//! range where `g f'(x)` is representable (with `|g|` up to `2^128` that
//! is far past the point where `f'(x)` itself underflows, e.g. down to
//! `x = -193` for softplus).
//!
//! # Shared steps
//!
//! 1. `E = e^-|x| = 2^n (1 + q)` with `1 + q` as an exact pair, to about
//!    `2^-30` relative ([`exp::reduce_precise`]: the reduction's rounding
//!    carried, the finer expm1 fit, `|n| <= 505`), renormalised by Fast2Sum
//!    (its low part carries up to 2% of `q`). `|x|` is clamped where
//!    the result is `±0` for every finite `g` (module constants). `1 + E`
//!    is the exact pair `Fast2Sum(1, E_hi)` plus `E_lo`, with `E` taken as
//!    `2^-126 (1 + q)` when `n < -126` (the denominator is then `1` to
//!    `2^-126`).
//! 2. Kernel-specific: the numerator and denominator of `f'(x) 2^-k` as
//!    pairs, every term positive or exact where the derivative cancels
//!    (see each kernel below).
//! 3. One division of the pairs, kept as a pair ([`div_pair`]): `y0 =
//!    n_hi / d_hi` rounded and `t / d_hi` with `t` the residual of the
//!    whole quotient (exact up to `2^-47` of it): `h + c` is within
//!    `2^-45` of the quotient.
//! 4. `g (h + c) 2^k`, rounded once ([`finish`]): `g` is scaled by a power
//!    of two into `[2^-32, 2^32)` (five tiers, exact), the product
//!    `p + t = g_s (h + c)` is formed as in `src/backward.rs` (with FMA
//!    `fma(g, h, g c)`; without, Dekker's product), rounded once with its
//!    residual `t`, and `p` is scaled by `2^K` (`K` = `k` plus the tier's
//!    exponent) as `(p 2^k1) 2^k2`: the first product exact (normal), the
//!    second, `2^k2` in `{1, 2^-64, 2^-128}`, the only rounding onto the
//!    subnormal grid, with the double-rounding tie of `src/backward.rs`
//!    detected and corrected by the sign of `t`. Overflow gives `±inf`
//!    exactly where the correctly rounded result does. When every lane is
//!    ordinary (`2^-32 <= |g| < 2^32`, `-60 <= k <= 127`, `h != 0`) no
//!    scale applies and the kernel branches past the tiers (same bits),
//!    except on bare-metal targets (`lanes::COMPACT`).
//! 5. Fix-ups, with selects: a zero result carries the sign of `g × f'(x)`
//!    (`f'` is nonzero at every finite `x`), an infinite `g` gives `±inf`
//!    of that sign; at `x = -inf` the derivative is taken as `+0`
//!    (`g * +0`: a signed zero, NaN for an infinite `g`); where `f'(x)`
//!    rounds to 1 relative to any `g` (the constants `*_X_ONE`) the result
//!    is `g` itself. A NaN the arithmetic makes is `f32::NAN`; then a NaN
//!    `g` is returned as it is, and a NaN `x` as it is (`x` first), as for
//!    the other backward kernels.
//!
//! Error: the exponential's `2^-30` relative, amplified where it enters
//! the derivative more than once (`d ln f' / d ln E = 1 + E/S - 2E/(1+E)`
//! for SiLU and GELU, at most about 2.5 where `S` partly cancels just
//! outside the windows around the zeros, `|S| >= 0.15`, `E <= 0.36`), plus
//! `2^-45` (pairs) and, inside the windows, `2^-29` (Taylor series): below
//! `2^-28.5` relative before the last rounding, i.e. at most
//! `2^24 * 2^-28.5 = 0.09` ULP of the result; plus that rounding (`0.5`
//! ULP, and `2^-20` for the residual's own rounding). The bounds of
//! [`crate::accuracy`] (`*_BACKWARD`, 0.6 ULP) are that sum rounded up;
//! `examples/exhaustive_backward.rs` measures them (README.md: 0.531 SiLU,
//! 0.544 GELU, where `S` partly cancels; 0.52 the others). No range needs
//! an absolute bound: where the derivative crosses zero (SiLU, GELU) it is
//! evaluated from `x - x0`.
//!
//! # SiLU: `f'(x) = σ(x) (1 + x (1 - σ(x)))`
//!
//! With `E = e^-|x|`:
//! - `x >= 0`: `f' = (1 + E (1 + x)) / (1 + E)^2`, every term positive;
//!   `1 + x` is an exact pair (two-sum), `E (1 + x)` a pair product.
//! - `x < 0`: `f' = 2^n (1 + q) S / (1 + E)^2` with `S = 1 + x + E`, which
//!   is zero at `x0 = -1 - W(1/e) = -1.2784645427610738` (SiLU's minimum).
//!   Away from it (`|x - x0| >= 1/8`, where `|S| > 0.15`), `S` is the
//!   two-sum `(1 + x) + E_hi` plus the low parts: its absolute error,
//!   `2^-30 E`, is below `2^-29` of `S`. Near it, `S` cancels, and is
//!   evaluated from `t = x - x0` instead: since `1 + x0 + e^x0 = 0`,
//!   `S = t + e^x0 expm1(t) = t (-x0 + t P(t))` with
//!   `P(t) = e^x0 (1/2 + t/6 + t^2/24 + t^3/120 + t^4/720)` (the Taylor
//!   series; the next term is below `2^-29.5` of `-x0` for `|t| < 1/8`).
//!   `t` is exact as a pair: `x - X0_HI` is exact (Sterbenz) and `x0` is
//!   carried to `2^-80` in three floats (the f32 nearest `x0` is
//!   `1.3e-8 = 2^-26.2` from it, so `t`'s relative error is below `2^-53`);
//!   `-x0 + t P(t)` is a Fast2Sum pair. So `S`, and `f'`, keep their
//!   relative accuracy through the zero: the bound is in ULP everywhere.
//! - `x > 24` (and `+inf`): `f' = 1 + (x - 1) e^-x + ...` is within
//!   `2^-30` of 1 and `g f'` rounds to `g`: the result is `g`.
//! - `x < -200`: `|g f'| < 2^128 · 201 e^-200 < 2^-152`: `±0`.
//!
//! # Softplus: `f'(x) = σ(x)`
//!
//! `1 / (1 + E)` for `x >= 0`, `2^n (1 + q) / (1 + E)` for `x < 0`; `g`
//! for `x > 20` (`σ(x) > 1 - 2^-28.8`); `±0` below `x = -200`.
//!
//! # ELU and SELU: `f'(x) = x > 0 ? c : c alpha e^x`
//!
//! No division: `x > 0` gives `g` (ELU, a select) or `g scale` (SELU:
//! `scale` as the pair `S_HI + S_LO` of `src/elu.rs`, so the product is
//! rounded once); `x <= 0` gives `g (m (1 + q)) 2^(n + k)` with `e^x =
//! 2^n (1 + q)` (step 1, `x` clamped at `-290` resp. `-200`, where every
//! result rounds to zero) and, for ELU, `alpha = m 2^k` split once per
//! call (`|m|` in `[1, 2)`, so `alpha` from the subnormals to `f32::MAX`
//! costs no range), for SELU the pair `SA_HI + SA_LO` (`scale alpha`).
//! `m (1 + q)` is an exact pair product. At `x = ±0` the derivative is
//! the left one (`alpha`, `scale alpha`), as PyTorch's `elu_backward`.
//!
//! # GELU, tanh form: `f = x σ(u)`, `u = A x + B x^3`
//!
//! `f'(x) = σ(u) + x σ(u)(1 - σ(u)) u'(x)`. With `E = e^-|u|` (from `u` as
//! a pair to `2^-44`, as `src/gelu.rs` forms it) and `v = x u'(x) =
//! x (A + 3B x^2)`, also a pair:
//! - `x >= 0`: `f' = (1 + E (1 + v)) / (1 + E)^2`, every term positive
//!   (`E (1 + v) <= 1`).
//! - `x < 0`: `f' = 2^n (1 + q) S / (1 + E)^2`, `S = 1 + v + E`, zero at
//!   `x1 = -0.75246142207101626`. Away from it (`|x - x1| >= 1/16`,
//!   `|S| > 0.15`) `S` is the two-sum `(1 + v) + E` (absolute error
//!   `2^-30 E`, relative below `2^-29`); near it, its Taylor series at
//!   `x1` to degree 7 in `t = x - x1` (coefficients from mpmath at 60
//!   digits; the rest is below `2^-38` of `S`), `S = t (c1 + t P(t))` as
//!   pairs, with `t` exact from `x1` in three floats.
//! - `x > 6`: `f' - 1 < 2^-30`, the result is `g`; `x < -14`: `|f'| <
//!   2^-305`, every result is `±0`.

use crate::approx::{div, exp};
use crate::backward::product;
use crate::elu;
use crate::error::{check_lengths, check_lengths3, Error};
use crate::lanes::{map2, map2_in_place, Lanes, COMPACT};

/// Powers of two of step 4, by their bits (`2^e` is `(e + 127) << 23`).
const P_32: f32 = f32::from_bits(0x4f80_0000);
const P_M32: f32 = f32::from_bits(0x2f80_0000);
const P_96: f32 = f32::from_bits(0x6f80_0000);
const P_M96: f32 = f32::from_bits(0x0f80_0000);
const P_64: f32 = f32::from_bits(0x5f80_0000);
const P_M64: f32 = f32::from_bits(0x1f80_0000);
/// `2^-128`, a subnormal (exact).
const P_M128: f32 = f32::from_bits(0x0020_0000);
/// Half the subnormal spacing `2^-149` seen before the final scale by
/// `2^-64` (`2^-150 * 2^64`) and by `2^-128` (`2^-150 * 2^128`).
const P_M86: f32 = f32::from_bits(0x1480_0000);
const P_M22: f32 = f32::from_bits(0x3480_0000);

/// SiLU: below this `|g f'(x)| < 2^-152` for every finite `g` (`x` is
/// clamped here; the result is then a signed zero).
const SILU_X_MIN: f32 = -200.0;
/// SiLU: above this `f'(x) = 1 + (x - 1) e^-x < 1 + 2^-30` and `g f'(x)`
/// rounds to `g`.
const SILU_X_ONE: f32 = 24.0;
/// Softplus: below this `|g σ(x)| < 2^128 e^-200 < 2^-160` (`±0`).
const SOFTPLUS_X_MIN: f32 = -200.0;
/// Softplus: above this `σ(x) > 1 - e^-20 = 1 - 2^-28.8` and `g σ(x)`
/// rounds to `g`.
const SOFTPLUS_X_ONE: f32 = 20.0;

// The constants below (x0, e^x0 / j!, 3B, x1, the Taylor coefficients at
// x1) are recomputed and checked against this file by
// `python3 tools/backward_constants.py` (mpmath, 60 digits).

/// SiLU's zero of `S = 1 + x + e^x`, `x0 = -1 - W(1/e)`
/// = -1.27846454276107379510935873902298, in three floats:
/// -0x1.474974p+0 + 0x1.bdf6fap-27 + 0x1.03945ap-53.
const X0_HI: f32 = f32::from_bits(0xbfa3_a4ba);
const X0_MID: f32 = f32::from_bits(0x325e_fb7d);
const X0_LO: f32 = f32::from_bits(0x2501_ca2d);
/// Half-width of the window around `x0` where `S` is evaluated from `t`.
const X0_WINDOW: f32 = 0.125;
/// `e^x0 / j!` for `j = 2..6` (`e^x0 = -1 - x0 = 0.27846454276107379511`),
/// rounded to f32: 0x1.1d25d0p-3, 0x1.7c326ap-5, 0x1.7c326ap-7,
/// 0x1.302854p-9, 0x1.958b1cp-12.
const F2: f32 = f32::from_bits(0x3e0e_92e8);
const F3: f32 = f32::from_bits(0x3d3e_1935);
const F4: f32 = f32::from_bits(0x3c3e_1935);
const F5: f32 = f32::from_bits(0x3b18_142a);
const F6: f32 = f32::from_bits(0x39ca_c58e);

/// ELU: below this `|g alpha e^x| < 2^256 e^-290 < 2^-162` for every finite
/// `g` and `alpha` (`±0`).
const ELU_X_MIN: f32 = -290.0;
/// SELU: below this `|g scale alpha e^x| < 2^128 1.76 e^-200 < 2^-159`.
const SELU_X_MIN: f32 = -200.0;

/// GELU (tanh form): below this `|g f'(x)| < 2^128 2^-305 = 2^-177` (`±0`).
const GELU_X_MIN: f32 = -14.0;
/// GELU: above this `f'(x) - 1 < 7.8e-10 < 2^-30` and `g f'(x)` rounds to `g`.
const GELU_X_ONE: f32 = 6.0;
/// `A = 2 sqrt(2/pi)` and `B = 0.044715 A` as pairs: the constants of
/// `src/gelu.rs` (repeated here, not shared, while `src/gelu.rs` is being
/// extended by the erf form; same bits).
const A_HI: f32 = f32::from_bits(0x3fcc_422a);
const A_LO: f32 = f32::from_bits(0xb342_bc9b);
const B_HI: f32 = f32::from_bits(0x3d92_2279);
const B_LO: f32 = f32::from_bits(0x3124_d8b5);
/// `3B` = 0.21406444881780074633 as `B3_HI` (0x1.b6676cp-3) plus `B3_LO`
/// (-0x1.175e2p-32); residue `1.2e-17`.
const B3_HI: f32 = f32::from_bits(0x3e5b_33b6);
const B3_LO: f32 = f32::from_bits(0xaf8b_af10);
/// GELU's zero of `S = 1 + e^u + x u'`, x1 = -0.75246142207101625849,
/// in three floats: -0x1.8142ap-1 + 0x1.85a06cp-27 + 0x1.a9ea48p-52 (the
/// f32 nearest it is `1.1e-8 = 2^-26.4` away).
const X1_HI: f32 = f32::from_bits(0xbf40_a150);
const X1_MID: f32 = f32::from_bits(0x3242_d036);
const X1_LO: f32 = f32::from_bits(0x25d4_f524);
/// Half-width of the window around `x1` where `S` is its Taylor series.
const X1_WINDOW: f32 = 0.0625;
/// The Taylor coefficients of `S` at `x1` (`S = sum c_j t^j`, `t = x - x1`;
/// mpmath, 60 digits): `c1` = 2.4606567646302394393 as 0x1.3af6cep+1 plus
/// -0x1.f53b62p-24; `c2..c7` = -0.099911523225554223, 0.40044769353404491,
/// 0.075958990907663527, 0.030485990572147366, 0.011295232368809536,
/// 0.0036903772927745227 rounded to f32 (-0x1.993cd4p-4, 0x1.9a0ef6p-2,
/// 0x1.3720c6p-4, 0x1.f37b84p-6, 0x1.721f46p-7, 0x1.e3b484p-9). Truncated
/// after `c7`, the series is within `2^-38` of `S` for `|t| <= 1/16`.
const C1_HI: f32 = f32::from_bits(0x401d_7b67);
const C1_LO: f32 = f32::from_bits(0xb3fa_9db1);
const C2: f32 = f32::from_bits(0xbdcc_9e6a);
const C3: f32 = f32::from_bits(0x3ecd_077b);
const C4: f32 = f32::from_bits(0x3d9b_9063);
const C5: f32 = f32::from_bits(0x3cf9_bdc2);
const C6: f32 = f32::from_bits(0x3c39_0fa3);
const C7: f32 = f32::from_bits(0x3b71_da42);

/// Step 3: `(n_hi + n_lo) / (d_hi + d_lo)` as a pair `(y0, y1)`, within
/// `2^-45` of the quotient, `|y1| <= 2 ulp(y0)`. [`div::div_dd`] without
/// its last rounding; the same preconditions (`n_hi` above `2^-100`).
#[inline(always)]
fn div_pair<V: Lanes>(n_hi: V, n_lo: V, d_hi: V, d_lo: V) -> (V, V) {
    let r = V::splat(1.0) / d_hi;
    let y0 = n_hi * r;
    let t = if V::FUSED {
        (-y0).mul_add(d_hi, n_hi)
    } else {
        let (p, e) = div::two_prod(y0, d_hi);
        (n_hi - p) - e
    };
    let t = (-y0).mul_add(d_lo, t + n_lo);
    (y0, t * r)
}

/// Step 4 and the zero and infinity fix-ups of step 5: `g (h + c) 2^k`
/// rounded once, for finite `h` with `|h|` in `[2^-40, 2^12]` (or zero;
/// the kernels' smallest `|h|` is about `2^-27`, at the f32 nearest the
/// zeros of SiLU's and GELU's derivatives) and `|c| <= 2 ulp(h)`, integral
/// `k <= 127`, any `g`.
#[inline(always)]
fn finish<V: Lanes>(g: V, h: V, c: V, k: V) -> V {
    let ag = g.abs();
    let ordinary = V::splat(P_M32).le(ag)
        & ag.lt(V::splat(P_32))
        & V::splat(-60.0).le(k)
        & k.le(V::splat(127.0))
        & V::splat(0.0).lt(h.abs());
    // (Not on bare-metal targets, which favour code size; same bits.)
    if !COMPACT && !V::any(ordinary.mask_not()) {
        return product(g, h, c).0 * k.pow2i();
    }
    times_pow2(g, h, c, k)
}

/// [`finish`] for every lane (the module docs' step 4 in full).
#[inline(always)]
fn times_pow2<V: Lanes>(g: V, h: V, c: V, k: V) -> V {
    let zero = V::splat(0.0);
    let one = V::splat(1.0);
    let up = V::splat(P_64);
    let down = V::splat(P_M64);
    let c64 = V::splat(64.0);
    let ag = g.abs();
    // g into [2^-32, 2^32): five tiers, two exact scalings.
    let t1 = ag.lt(V::splat(P_M96));
    let t2 = ag.lt(V::splat(P_M32));
    let t3 = V::splat(P_32).le(ag);
    let t4 = V::splat(P_96).le(ag);
    let sa = V::select(t2, up, V::select(t3, down, one));
    let sb = V::select(t1, up, V::select(t4, down, one));
    let kk = k + (((t3 & c64) - (t2 & c64)) + ((t4 & c64) - (t1 & c64)));
    let (p, t) = product((g * sa) * sb, h, c);
    // p is in [2^-72, 2^44]. K = kk split as k1 + k2: p 2^k1 exact (normal;
    // or, below 2^-126, standing for a result that rounds to zero), then
    // 2^k2 rounds once.
    let t_norm = V::splat(-60.0).le(kk);
    let t_deep = kk.lt(V::splat(-124.0));
    let k1 = V::select(
        t_norm,
        kk.min_fast(V::splat(127.0)),
        V::select(
            t_deep,
            kk.max_of(V::splat(-250.0)) + V::splat(128.0),
            kk + c64,
        ),
    );
    // Past 2^127 (a huge g with k near 0): a second exact factor, or an
    // overflow that the correctly rounded result shares.
    let k_big = (kk - V::splat(127.0))
        .max_of(zero)
        .min_fast(V::splat(127.0));
    let s = (p * k1.pow2i()) * k_big.pow2i();
    let f2 = V::select(t_norm, one, V::select(t_deep, V::splat(P_M128), down));
    let r = s * f2;
    // The double-rounding tie (src/backward.rs, step 4): `back` is `r` in
    // the scaled domain, `s - back` is half a subnormal ulp there at a tie.
    let back = (r * V::select(t_norm, one, up)) * V::select(t_deep, up, one);
    let d = s - back;
    let half = V::select(t_deep, V::splat(P_M22), V::splat(P_M86));
    let tie = d.abs().eq(half) & t_norm.mask_not();
    let same_side = (zero.lt(t) ^ zero.lt(d)).mask_not() & t.eq(zero).mask_not();
    let ulp = d.sign() | V::splat(f32::from_bits(1));
    let r = V::select(tie & same_side, r + ulp, r);
    // Step 5: zeros carry the sign of g × f'; an infinite g gives the
    // infinity of that sign (NaN where f' = 0).
    let r = V::select(r.eq(zero), (g ^ h).sign(), r);
    let inf = V::select(h.eq(zero), V::splat(f32::NAN), g ^ h.sign());
    V::select(ag.eq(V::splat(f32::INFINITY)), inf, r)
}

/// Step 5's selects for `x`: `g` where `!(x <= x_one)` (`f'` rounds to 1,
/// `+inf`; NaN is replaced below), `g * +0` at `x = -inf`, then the NaN
/// rules.
#[inline(always)]
fn fix_up<V: Lanes>(x: V, g: V, r: V, x_one: f32) -> V {
    let r = V::select(x.nle(V::splat(x_one)), g, r);
    let r = V::select(x.eq(V::splat(f32::NEG_INFINITY)), g * V::splat(0.0), r);
    let r = V::select(r.is_nan(), V::splat(f32::NAN), r);
    let r = V::select(g.is_nan(), g, r);
    V::select(x.is_nan(), x, r)
}

/// Step 1: `(n, e_hi, e_lo, E_hi, E_lo)` with `e^-|x| = 2^n (e_hi + e_lo)`
/// and `E = E_hi + E_lo` its value (`2^-126 (e_hi + e_lo)` when
/// `n < -126`), for `|x|` clamped to `z_max`.
#[inline(always)]
fn exp_neg_abs<V: Lanes>(x: V, z_max: f32) -> (V, V, V, V, V) {
    // (NaN lanes: `min_fast` may give anything; replaced in step 5.)
    let z = -(x.abs().min_fast(V::splat(z_max)));
    let (n, q_hi, q_lo) = exp::reduce_precise(z, V::splat(0.0));
    let (e_hi, e_lo) = exp::one_plus_q_pair(V::splat(1.0), q_hi, q_lo);
    // `q_lo` holds up to 2% of `q` (the polynomial's tail): renormalised,
    // so that every low part below is within an ulp of its high part (the
    // division's correction `t / d_hi` assumes it).
    let (e_hi, e_lo) = div::fast_two_sum(e_hi, e_lo);
    let s = n.max_of(V::splat(-126.0)).pow2i();
    (n, e_hi, e_lo, e_hi * s, e_lo * s)
}

/// SiLU's backward kernel: `g * silu'(x)` of every lane, from the forward
/// input `x` and the incoming gradient `g`. Its steps are narrated at the
/// top of `src/backward_exp.rs`.
#[inline(always)]
pub fn silu_backward_lanes<V: Lanes>(x: V, g: V) -> V {
    let x_in = x;
    let one = V::splat(1.0);
    let neg = x.lt(V::splat(0.0));
    // Step 1.
    let (n, e_hi, e_lo, big_hi, big_lo) = exp_neg_abs(x, -SILU_X_MIN);
    let (d_hi, d_lo) = div::fast_two_sum(one, big_hi);
    let d_lo = d_lo + big_lo;
    // Step 2: the denominator (1 + E)^2 ...
    let (sq_hi, sq_err) = div::prod_pair(d_hi, d_hi);
    let sq_lo = (d_hi + d_hi).mul_add(d_lo, sq_err);
    // ... the numerator for x >= 0, 1 + E (1 + x) (E (1 + x) <= 1) ...
    // (`x` clamped as `|x|` was in step 1: beyond, the result is `g` or
    // `±0`, and unclamped factors could overflow; NaN lanes become -200.)
    let x = x
        .max_of(V::splat(SILU_X_MIN))
        .min_fast(V::splat(SILU_X_ONE));
    let (a, b) = div::two_sum(one, x);
    let (p_hi, p_err) = div::prod_pair(big_hi, a);
    let p_lo = big_hi.mul_add(b, big_lo.mul_add(a, p_err));
    let (np_hi, np_err) = div::fast_two_sum(one, p_hi);
    let np_lo = np_err + p_lo;
    // ... S = 1 + x + E for x < 0, away from x0 ...
    let (s_hi, s_err) = div::two_sum(a, big_hi);
    let s_lo = s_err + (b + big_lo);
    // ... and near it, t (-x0 + t P(t)).
    let t0 = x - V::splat(X0_HI);
    let (t_hi, t_lo) = div::two_sum(t0, V::splat(-X0_MID));
    let t_lo = t_lo - V::splat(X0_LO);
    let poly = V::splat(F6)
        .mul_add(t_hi, V::splat(F5))
        .mul_add(t_hi, V::splat(F4))
        .mul_add(t_hi, V::splat(F3))
        .mul_add(t_hi, V::splat(F2));
    let (w_hi, w_lo) = div::fast_two_sum(V::splat(-X0_HI), t_hi.mul_add(poly, V::splat(-X0_MID)));
    let (st_hi, st_err) = div::prod_pair(t_hi, w_hi);
    let st_lo = t_hi.mul_add(w_lo, t_lo.mul_add(w_hi, st_err));
    let near = t0.abs().lt(V::splat(X0_WINDOW));
    let (s_hi, s_lo) = (V::select(near, st_hi, s_hi), V::select(near, st_lo, s_lo));
    // The numerator for x < 0: (1 + q) S.
    let (nn_hi, nn_err) = div::prod_pair(e_hi, s_hi);
    let nn_lo = e_hi.mul_add(s_lo, e_lo.mul_add(s_hi, nn_err));
    let n_hi = V::select(neg, nn_hi, np_hi);
    let n_lo = V::select(neg, nn_lo, np_lo);
    // Steps 3-5.
    let (h, c) = div_pair(n_hi, n_lo, sq_hi, sq_lo);
    let r = finish(g, h, c, neg & n);
    fix_up(x_in, g, r, SILU_X_ONE)
}

/// Softplus's backward kernel: `g * σ(x)` of every lane, from the forward
/// input `x` and the incoming gradient `g`. Its steps are narrated at the
/// top of `src/backward_exp.rs`.
#[inline(always)]
pub fn softplus_backward_lanes<V: Lanes>(x: V, g: V) -> V {
    let one = V::splat(1.0);
    let neg = x.lt(V::splat(0.0));
    // Step 1.
    let (n, e_hi, e_lo, big_hi, big_lo) = exp_neg_abs(x, -SOFTPLUS_X_MIN);
    let (d_hi, d_lo) = div::fast_two_sum(one, big_hi);
    let d_lo = d_lo + big_lo;
    // Step 2: numerator 1 (x >= 0) or 1 + q (x < 0, the factor 2^n apart).
    let n_hi = V::select(neg, e_hi, one);
    let n_lo = neg & e_lo;
    // Steps 3-5.
    let (h, c) = div_pair(n_hi, n_lo, d_hi, d_lo);
    let r = finish(g, h, c, neg & n);
    fix_up(x, g, r, SOFTPLUS_X_ONE)
}

/// `alpha = m 2^k` with `|m|` in `[1, 2)` (or `m = alpha = ±0`, `k = 0`),
/// `k` returned as an integral f32: ELU's factor, split once per call so
/// that the kernel multiplies by `m` (exactly, as a pair) and folds `k`
/// into the final scale. `alpha` must be finite.
fn split_alpha(alpha: f32) -> (f32, f32) {
    if alpha == 0.0 {
        return (alpha, 0.0);
    }
    // Subnormal alpha: normalised first (exact).
    let (a, k0) = if alpha.abs() < f32::MIN_POSITIVE {
        (alpha * f32::from_bits(0x5f80_0000), -64)
    } else {
        (alpha, 0)
    };
    let bits = a.to_bits();
    let e = ((bits >> 23) & 0xff) as i32 - 127;
    let m = f32::from_bits((bits & 0x807f_ffff) | 0x3f80_0000);
    (m, (e + k0) as f32)
}

/// ELU's backward kernel: `x > 0 ? g : g * alpha * e^x` of every lane, from
/// the forward input `x` and the incoming gradient `g`, with
/// `alpha = m 2^k` split by the caller (`m`, `k` of [`split_alpha`], as
/// vectors: loop invariants). Its steps are narrated at the top of
/// `src/backward_exp.rs`.
#[inline(always)]
fn elu_backward_split<V: Lanes>(x: V, g: V, m: V, k: V) -> V {
    // Step 1 (only x <= 0 is used; NaN lanes become -290, replaced in step 5).
    let xc = x.max_of(V::splat(ELU_X_MIN)).min_fast(V::splat(0.0));
    let (n, q_hi, q_lo) = exp::reduce_precise(xc, V::splat(0.0));
    let (e_hi, e_lo) = exp::one_plus_q_pair(V::splat(1.0), q_hi, q_lo);
    let (e_hi, e_lo) = div::fast_two_sum(e_hi, e_lo);
    // Step 2: m (1 + q) as a pair (no division).
    let (h, h_err) = div::prod_pair(m, e_hi);
    let c = m.mul_add(e_lo, h_err);
    // Steps 4 and 5 (x > 0 and NaN: g).
    let r = finish(g, h, c, n + k);
    fix_up(x, g, r, 0.0)
}

/// ELU's backward kernel: `x > 0 ? g : g * alpha * e^x` of every lane, from
/// the forward input `x` and the incoming gradient `g`; `alpha` must be
/// finite (the slice functions check). Its steps are narrated at the top
/// of `src/backward_exp.rs`.
#[inline(always)]
pub fn elu_backward_lanes<V: Lanes>(x: V, g: V, alpha: f32) -> V {
    let (m, k) = split_alpha(alpha);
    elu_backward_split(x, g, V::splat(m), V::splat(k))
}

/// SELU's backward kernel: `x > 0 ? g * scale : g * scale * alpha * e^x`
/// of every lane, from the forward input `x` and the incoming gradient `g`.
/// Its steps are narrated at the top of `src/backward_exp.rs`.
#[inline(always)]
pub fn selu_backward_lanes<V: Lanes>(x: V, g: V) -> V {
    let pos = V::splat(0.0).lt(x);
    // Step 1.
    let xc = x.max_of(V::splat(SELU_X_MIN)).min_fast(V::splat(0.0));
    let (n, q_hi, q_lo) = exp::reduce_precise(xc, V::splat(0.0));
    let (e_hi, e_lo) = exp::one_plus_q_pair(V::splat(1.0), q_hi, q_lo);
    let (e_hi, e_lo) = div::fast_two_sum(e_hi, e_lo);
    // Step 2: (SA_HI + SA_LO)(1 + q) for x <= 0, SCALE as a pair for x > 0.
    let sa = V::splat(elu::SA_HI);
    let (p, p_err) = div::prod_pair(sa, e_hi);
    let p_lo = sa.mul_add(e_lo, V::splat(elu::SA_LO).mul_add(e_hi, p_err));
    let h = V::select(pos, V::splat(elu::S_HI), p);
    let c = V::select(pos, V::splat(elu::S_LO), p_lo);
    // Steps 4 and 5 (only NaN x returns g, then x).
    let r = finish(g, h, c, pos.mask_not() & n);
    fix_up(x, g, r, f32::INFINITY)
}

/// `x (A + b x^2)` as a pair to about `2^-44` relative, for `b = b_hi + b_lo`
/// and `x^2 = x2 + x2_err` (exact): `b x^2` and the product by `x` exact
/// pairs, `A + b x^2` a two-sum (`src/gelu.rs`, step 2).
#[inline(always)]
fn x_times_a_plus_bx2<V: Lanes>(xc: V, x2: V, x2_err: V, b_hi: f32, b_lo: f32) -> (V, V) {
    let (bp, bp_err) = div::prod_pair(V::splat(b_hi), x2);
    let (w_hi, w_err) = div::two_sum(V::splat(A_HI), bp);
    let small = V::splat(b_hi).mul_add(x2_err, V::splat(b_lo).mul_add(x2, V::splat(A_LO)));
    let w_lo = w_err + (bp_err + small);
    let (p_hi, p_err) = div::prod_pair(xc, w_hi);
    div::fast_two_sum(p_hi, xc.mul_add(w_lo, p_err))
}

/// GELU's (tanh form) backward kernel: `g * gelu_tanh'(x)` of every lane,
/// from the forward input `x` and the incoming gradient `g`. Its steps are
/// narrated at the top of `src/backward_exp.rs`.
#[inline(always)]
pub fn gelu_tanh_backward_lanes<V: Lanes>(x: V, g: V) -> V {
    let one = V::splat(1.0);
    let neg = x.lt(V::splat(0.0));
    // (NaN lanes: -14, replaced in step 5.)
    let xc = x
        .max_of(V::splat(GELU_X_MIN))
        .min_fast(V::splat(GELU_X_ONE));
    // u = x (A + B x^2) and v = x u' = x (A + 3B x^2) as pairs (gelu.rs,
    // step 2).
    let (x2, x2_err) = div::prod_pair(xc, xc);
    let (u_hi, u_lo) = x_times_a_plus_bx2(xc, x2, x2_err, B_HI, B_LO);
    let (v_hi, v_lo) = x_times_a_plus_bx2(xc, x2, x2_err, B3_HI, B3_LO);
    // Step 1: E = e^-|u| (u has the sign of x).
    let (z_hi, z_lo) = (V::select(neg, u_hi, -u_hi), V::select(neg, u_lo, -u_lo));
    let (n, q_hi, q_lo) = exp::reduce_precise(z_hi, z_lo);
    let (e_hi, e_lo) = exp::one_plus_q_pair(one, q_hi, q_lo);
    let (e_hi, e_lo) = div::fast_two_sum(e_hi, e_lo);
    let s = n.max_of(V::splat(-126.0)).pow2i();
    let (big_hi, big_lo) = (e_hi * s, e_lo * s);
    let (d_hi, d_lo) = div::fast_two_sum(one, big_hi);
    let d_lo = d_lo + big_lo;
    // Step 2: the denominator (1 + E)^2 ...
    let (sq_hi, sq_err) = div::prod_pair(d_hi, d_hi);
    let sq_lo = (d_hi + d_hi).mul_add(d_lo, sq_err);
    // ... the numerator for x >= 0, 1 + E (1 + v) (E (1 + v) <= 1) ...
    let (a, b) = div::two_sum(one, v_hi);
    let b = b + v_lo;
    let (p_hi, p_err) = div::prod_pair(big_hi, a);
    let p_lo = big_hi.mul_add(b, big_lo.mul_add(a, p_err));
    let (np_hi, np_err) = div::fast_two_sum(one, p_hi);
    let np_lo = np_err + p_lo;
    // ... S = 1 + v + E for x < 0, away from x1 ...
    let (s_hi, s_err) = div::two_sum(a, big_hi);
    let s_lo = s_err + (b + big_lo);
    // ... and near it, its Taylor series t (c1 + t P(t)).
    let t0 = xc - V::splat(X1_HI);
    let (t_hi, t_lo) = div::two_sum(t0, V::splat(-X1_MID));
    let t_lo = t_lo - V::splat(X1_LO);
    let poly = V::splat(C7)
        .mul_add(t_hi, V::splat(C6))
        .mul_add(t_hi, V::splat(C5))
        .mul_add(t_hi, V::splat(C4))
        .mul_add(t_hi, V::splat(C3))
        .mul_add(t_hi, V::splat(C2));
    let (w_hi, w_lo) = div::fast_two_sum(V::splat(C1_HI), t_hi.mul_add(poly, V::splat(C1_LO)));
    let (st_hi, st_err) = div::prod_pair(t_hi, w_hi);
    let st_lo = t_hi.mul_add(w_lo, t_lo.mul_add(w_hi, st_err));
    let near = t0.abs().lt(V::splat(X1_WINDOW));
    let (s_hi, s_lo) = (V::select(near, st_hi, s_hi), V::select(near, st_lo, s_lo));
    // The numerator for x < 0: (1 + q) S.
    let (nn_hi, nn_err) = div::prod_pair(e_hi, s_hi);
    let nn_lo = e_hi.mul_add(s_lo, e_lo.mul_add(s_hi, nn_err));
    let n_hi = V::select(neg, nn_hi, np_hi);
    let n_lo = V::select(neg, nn_lo, np_lo);
    // Steps 3-5.
    let (h, c) = div_pair(n_hi, n_lo, sq_hi, sq_lo);
    let r = finish(g, h, c, neg & n);
    fix_up(x, g, r, GELU_X_ONE)
}

/// SiLU backward: `grad_input[i] = g * silu'(x)` with `x = input[i]`,
/// `g = grad_output[i]` and `silu'(x) = σ(x) (1 + x (1 - σ(x)))`, from the
/// forward *input* (the derivative is not a function of SiLU's output,
/// which is not one-to-one).
///
/// # Accuracy
/// At most [`crate::accuracy::SILU_BACKWARD`] ULP from `g * silu'(x)`
/// computed exactly from the given `x` and `g` (see the [accuracy
/// table](crate::accuracy)), for every finite `x` and `g`: through the
/// zero of `silu'` at `x = -1.2784645` (evaluated there from `x - x0` with
/// `x0` to 80 bits, so the error stays relative), in the tails where
/// `silu'(x)` is below the f32 range but `g silu'(x)` is not, and for
/// subnormal results. Measured over all 2^32 `x` with fixed gradients and
/// random pairs (`examples/exhaustive_backward.rs`).
///
/// # Special values
/// - NaN `x` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes (an infinite `g` at `x = -inf`) → `f32::NAN`.
/// - `x > 24` and `x = +inf` → `g` bit for bit (`silu'(x)` rounds to 1).
/// - `x = -inf` → `g * +0.0` (the derivative's limit, taken as `+0`): a
///   zero with the sign of `g`, NaN for an infinite `g`.
/// - Infinite `g` at finite `x` → `±inf` with the sign of `g × silu'(x)`
///   (`silu'` is negative below `x0`, nowhere zero).
/// - Zeros: `g = ±0`, and results that underflow, give a zero with the
///   sign of `g × silu'(x)`; `x = ±0` gives `g / 2` correctly rounded.
/// - Subnormal results are kept, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad_output.len() }`
/// when the gradient's length differs from the input's, else
/// `{ input: input.len(), output: grad_input.len() }` when `grad_input`'s
/// does; nothing is written then.
///
/// # Examples
/// ```
/// let mut dx = [0.0; 3];
/// activations::silu_backward(&[0.0, 30.0, 1.0], &[2.0, 3.0, 1.0], &mut dx)?;
/// assert_eq!(dx[0], 1.0);
/// assert_eq!(dx[1], 3.0);
/// assert!((dx[2] - 0.927_670_5).abs() < 1e-7);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn silu_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::silu_backward(input, grad_output, grad_input)
}

/// [`silu_backward`] in place: every `grad[i]` becomes
/// `grad[i] * silu'(input[i])`.
///
/// Same accuracy and special values as [`silu_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [4.0f32, -1.0];
/// activations::silu_backward_in_place(&[0.0, f32::NEG_INFINITY], &mut grad)?;
/// assert_eq!(grad[0], 2.0);
/// assert_eq!(grad[1].to_bits(), (-0.0f32).to_bits());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn silu_backward_in_place(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::silu_backward_in_place(input, grad)
}

/// Softplus backward: `grad_input[i] = g * σ(x)` with `x = input[i]`,
/// `g = grad_output[i]` (`softplus'(x) = σ(x)`), from the forward *input*.
///
/// # Accuracy
/// At most [`crate::accuracy::SOFTPLUS_BACKWARD`] ULP from `g * σ(x)`
/// computed exactly from the given `x` and `g` (see the [accuracy
/// table](crate::accuracy)), for every finite `x` and `g`, including the
/// tail where `σ(x)` underflows but `g σ(x)` does not, and subnormal
/// results. Measured over all 2^32 `x` with fixed gradients and random
/// pairs (`examples/exhaustive_backward.rs`).
///
/// # Special values
/// - NaN `x` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes (an infinite `g` at `x = -inf`) → `f32::NAN`.
/// - `x > 20` and `x = +inf` → `g` bit for bit (`σ(x)` rounds to 1).
/// - `x = -inf` → `g * +0.0`: a zero with the sign of `g`, NaN for an
///   infinite `g`.
/// - Infinite `g` at finite `x` → `g`'s infinity.
/// - Zeros: `g = ±0`, and results that underflow, give a zero with the
///   sign of `g`; `x = ±0` gives `g / 2` correctly rounded.
/// - Subnormal results are kept, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad_output.len() }`
/// when the gradient's length differs from the input's, else
/// `{ input: input.len(), output: grad_input.len() }` when `grad_input`'s
/// does; nothing is written then.
///
/// # Examples
/// ```
/// let mut dx = [0.0; 3];
/// activations::softplus_backward(&[0.0, 25.0, -1.0], &[1.0, 3.0, 1.0], &mut dx)?;
/// assert_eq!(dx[0], 0.5);
/// assert_eq!(dx[1], 3.0);
/// assert!((dx[2] - 0.268_941_43).abs() < 1e-7);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn softplus_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::softplus_backward(input, grad_output, grad_input)
}

/// [`softplus_backward`] in place: every `grad[i]` becomes
/// `grad[i] * σ(input[i])`.
///
/// Same accuracy and special values as [`softplus_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [4.0f32, 1.0];
/// activations::softplus_backward_in_place(&[0.0, f32::INFINITY], &mut grad)?;
/// assert_eq!(grad, [2.0, 1.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn softplus_backward_in_place(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::softplus_backward_in_place(input, grad)
}

#[inline(always)]
pub(crate) fn silu_slice<V: Lanes>(
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
        |x, g| silu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn silu_slice_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    check_lengths(input.len(), grad.len())?;
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| silu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn softplus_slice<V: Lanes>(
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
        |x, g| softplus_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn softplus_slice_in_place<V: Lanes>(
    input: &[f32],
    grad: &mut [f32],
) -> Result<(), Error> {
    check_lengths(input.len(), grad.len())?;
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| softplus_backward_lanes(x, g),
    );
    Ok(())
}

/// ELU backward: `grad_input[i] = x > 0 ? g : g * alpha * e^x` with
/// `x = input[i]`, `g = grad_output[i]`, from the forward *input*.
///
/// From the input rather than the output `y`: `alpha e^x = y + alpha`
/// would cancel in the tail, where `y` is near `-alpha`, and lose every
/// digit of the derivative there. At `x = 0` (either sign) the derivative
/// is taken as `alpha` (the left one), as in PyTorch (`x <= 0` takes the
/// exponential branch).
///
/// # Accuracy
/// `g` exactly for `x > 0`; for `x <= 0` at most
/// [`crate::accuracy::ELU_BACKWARD`] ULP from `g * alpha * e^x` computed
/// exactly from the given `x`, `g` and `alpha` (see the [accuracy
/// table](crate::accuracy)), for every finite `x`, `g` and `alpha`,
/// including results whose factors underflow or overflow on their own
/// (`alpha` is split into `m 2^k` and `k` joins the final scale) and
/// subnormal results; at `x = ±0`, `g * alpha` correctly rounded.
///
/// # Special values
/// - NaN `x` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes → `f32::NAN`.
/// - `x > 0` (`+inf` included) → `g` bit for bit.
/// - `x = -inf` → `g * +0.0` (the derivative's limit, taken as `+0`): a
///   zero with the sign of `g`, NaN for an infinite `g`.
/// - Infinite `g` at finite `x <= 0` → `±inf` with the sign of `g × alpha`,
///   NaN when `alpha = 0`.
/// - Zeros: `g = ±0`, `alpha = ±0`, and results that underflow, give a zero
///   with the sign of `g × alpha`. Subnormal results are kept.
///
/// # Errors
/// [`Error::InvalidParameter`] when `alpha` is NaN or infinite (as
/// [`crate::elu`]); else [`Error::LengthMismatch`]
/// `{ input: input.len(), output: grad_output.len() }` when the gradient's
/// length differs from the input's, else
/// `{ input: input.len(), output: grad_input.len() }`. Nothing is written
/// then.
///
/// # Examples
/// ```
/// let mut dx = [0.0; 3];
/// activations::elu_backward(&[2.0, 0.0, -1.0], &[3.0, 3.0, 1.0], &mut dx, 0.5)?;
/// assert_eq!(dx[0], 3.0);
/// assert_eq!(dx[1], 1.5);
/// assert!((dx[2] - 0.183_939_72).abs() < 1e-7);
/// assert!(activations::elu_backward(&[1.0], &[1.0], &mut dx[..1], f32::NAN).is_err());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn elu_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    alpha: f32,
) -> Result<(), Error> {
    crate::dispatch::root::elu_backward(input, grad_output, grad_input, alpha)
}

/// [`elu_backward`] in place: every `grad[i]` becomes
/// `input[i] > 0 ? grad[i] : grad[i] * alpha * e^input[i]`.
///
/// Same accuracy and special values as [`elu_backward`].
///
/// # Errors
/// [`Error::InvalidParameter`] for a NaN or infinite `alpha`, else
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [2.0f32, 2.0];
/// activations::elu_backward_in_place(&[-0.0, 5.0], &mut grad, 1.0)?;
/// assert_eq!(grad, [2.0, 2.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn elu_backward_in_place(input: &[f32], grad: &mut [f32], alpha: f32) -> Result<(), Error> {
    crate::dispatch::root::elu_backward_in_place(input, grad, alpha)
}

/// SELU backward: `grad_input[i] = x > 0 ? g * scale : g * scale * alpha * e^x`
/// with `x = input[i]`, `g = grad_output[i]` and [`crate::selu`]'s
/// constants, from the forward *input*; at `x = ±0` the derivative is
/// `scale * alpha` (the left one, as PyTorch).
///
/// # Accuracy
/// At most [`crate::accuracy::SELU_BACKWARD`] ULP from the exact value
/// with the exact constants (see the [accuracy table](crate::accuracy)),
/// for every finite `x` and `g`, subnormal results included (`g * scale` is
/// correctly rounded but for a `2^-48` relative residue).
///
/// # Special values
/// - NaN `x` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes → `f32::NAN`.
/// - `x = +inf` → `g * scale`; `x = -inf` → `g * +0.0` (a zero with the
///   sign of `g`, NaN for an infinite `g`).
/// - Infinite `g` at finite `x` → `g`'s infinity.
/// - Zeros: `g = ±0`, and results that underflow, give a zero with the
///   sign of `g`. Subnormal results are kept.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad_output.len() }`
/// when the gradient's length differs from the input's, else
/// `{ input: input.len(), output: grad_input.len() }` when `grad_input`'s
/// does; nothing is written then.
///
/// # Examples
/// ```
/// let mut dx = [0.0; 2];
/// activations::selu_backward(&[1.0, 0.0], &[1.0, 1.0], &mut dx)?;
/// assert_eq!(dx, [1.050_701, 1.758_099_3]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn selu_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::selu_backward(input, grad_output, grad_input)
}

/// [`selu_backward`] in place.
///
/// Same accuracy and special values as [`selu_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [2.0f32];
/// activations::selu_backward_in_place(&[3.0], &mut grad)?;
/// assert_eq!(grad, [2.101_402]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn selu_backward_in_place(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::selu_backward_in_place(input, grad)
}

/// GELU (tanh form) backward: `grad_input[i] = g * gelu_tanh'(x)` with
/// `x = input[i]`, `g = grad_output[i]`: the derivative of `x σ(u)`,
/// `u = 2 sqrt(2/π)(x + 0.044715 x³)`, i.e.
/// `σ(u) + x σ(u)(1 - σ(u)) u'(x)`, from the forward *input*.
///
/// # Accuracy
/// At most [`crate::accuracy::GELU_TANH_BACKWARD`] ULP from that formula
/// computed exactly from the given `x` and `g` (see the [accuracy
/// table](crate::accuracy)), for every finite `x` and `g`: through the
/// zero of the derivative at `x = -0.7524614` (a Taylor series in
/// `x - x1` there, `x1` to 80 bits, so the error stays relative), in the
/// negative tail down to where every result rounds to zero, and for
/// subnormal results.
///
/// # Special values
/// - NaN `x` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes → `f32::NAN`.
/// - `x > 6` and `x = +inf` → `g` bit for bit (the derivative rounds to 1).
/// - `x = -inf` → `g * +0.0`: a zero with the sign of `g`, NaN for an
///   infinite `g`.
/// - Infinite `g` at finite `x` → `±inf` with the sign of
///   `g × gelu_tanh'(x)` (negative below `x1`, nowhere zero).
/// - Zeros: `g = ±0`, and results that underflow, give a zero with the
///   sign of `g × gelu_tanh'(x)`; `x = ±0` gives `g / 2` correctly
///   rounded. Subnormal results are kept.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad_output.len() }`
/// when the gradient's length differs from the input's, else
/// `{ input: input.len(), output: grad_input.len() }` when `grad_input`'s
/// does; nothing is written then.
///
/// # Examples
/// ```
/// let mut dx = [0.0; 3];
/// activations::gelu_tanh_backward(&[0.0, 7.0, 1.0], &[2.0, 3.0, 1.0], &mut dx)?;
/// assert_eq!(dx[0], 1.0);
/// assert_eq!(dx[1], 3.0);
/// assert!((dx[2] - 1.082_964).abs() < 1e-6);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn gelu_tanh_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::gelu_tanh_backward(input, grad_output, grad_input)
}

/// [`gelu_tanh_backward`] in place.
///
/// Same accuracy and special values as [`gelu_tanh_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [4.0f32, 1.0];
/// activations::gelu_tanh_backward_in_place(&[-0.0, f32::INFINITY], &mut grad)?;
/// assert_eq!(grad, [2.0, 1.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn gelu_tanh_backward_in_place(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::gelu_tanh_backward_in_place(input, grad)
}

#[inline(always)]
pub(crate) fn elu_slice<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    alpha: f32,
) -> Result<(), Error> {
    elu::check_alpha(alpha)?;
    check_lengths3(input.len(), grad_output.len(), grad_input.len())?;
    let (m, k) = split_alpha(alpha);
    let (m, k) = (V::splat(m), V::splat(k));
    map2::<V>(
        input,
        grad_output,
        grad_input,
        0.0,
        #[inline(always)]
        |x, g| elu_backward_split(x, g, m, k),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn elu_slice_in_place<V: Lanes>(
    input: &[f32],
    grad: &mut [f32],
    alpha: f32,
) -> Result<(), Error> {
    elu::check_alpha(alpha)?;
    check_lengths(input.len(), grad.len())?;
    let (m, k) = split_alpha(alpha);
    let (m, k) = (V::splat(m), V::splat(k));
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| elu_backward_split(x, g, m, k),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn selu_slice<V: Lanes>(
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
        |x, g| selu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn selu_slice_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    check_lengths(input.len(), grad.len())?;
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| selu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn gelu_tanh_slice<V: Lanes>(
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
        |x, g| gelu_tanh_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn gelu_tanh_slice_in_place<V: Lanes>(
    input: &[f32],
    grad: &mut [f32],
) -> Result<(), Error> {
    check_lengths(input.len(), grad.len())?;
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| gelu_tanh_backward_lanes(x, g),
    );
    Ok(())
}
