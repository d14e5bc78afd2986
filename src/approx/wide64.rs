//! Double-precision lanes for the x86-64 builds without FMA
//! ([`crate::lanes::F64_ROUTE`]).
//!
//! Without FMA, an f32 kernel that rounds once at the end needs exact
//! products, and those take Dekker's splitting: 17 operations each. SSE2,
//! which every x86-64 CPU has, also computes on f64 lanes, two per
//! register. A kernel whose intermediate values only need about 30
//! correct bits can then compute them in f64 with plain operations and
//! round once, to f32, at the end: half the lanes per operation, but far
//! fewer operations (sigmoid at the `Portable` level: 2.181 against 3.532
//! ns per element at 4096 elements, criterion, 2026-12-07; README
//! "Speed").

use wide::f64x2;

// The fit of `e^r ~= 1 + r + r^2 P(r)` on `|r| <= ln2/2 + 2^-12`:
// `tools/fit_exp_f64.sollya` prints these bits and the relative error
// `2^-28.28`; `tools/check_coefficients.sh` compares them with this source.
const W2: f64 = f64::from_bits(0x3fdf_ffff_b964_585b);
const W3: f64 = f64::from_bits(0x3fc5_5549_0db4_2250);
const W4: f64 = f64::from_bits(0x3fa5_558f_3b68_7fc1);
const W5: f64 = f64::from_bits(0x3f81_23a3_e45a_af18);
const W6: f64 = f64::from_bits(0x3f56_a239_c09d_dc1b);

/// `1.5 * 2^52 + 1023`: adding it rounds to an integer `n` (the f64
/// spacing at `1.5 * 2^52` is 1) and leaves `n + 1023`, the biased
/// exponent of `2^n`, in the low bits of the sum.
const MAGIC: f64 = 6_755_399_441_056_767.0;

// The fit of `e^r - 1 ~= r + r^2 Q(r)` on the same domain, relative to
// `e^r - 1`: `tools/fit_expm1_f64.sollya` (`2^-31.96`).
const M2: f64 = f64::from_bits(0x3fe0_0000_0261_280b);
const M3: f64 = f64::from_bits(0x3fc5_5555_4ef3_1176);
const M4: f64 = f64::from_bits(0x3fa5_554b_0ca1_cf31);
const M5: f64 = f64::from_bits(0x3f81_1118_9b0e_36c5);
const M6: f64 = f64::from_bits(0x3f56_d726_241f_54b1);
const M7: f64 = f64::from_bits(0x3f2a_032c_6f97_a67f);

/// Steps 1, 2 and 4 of [`exp`]: `(r, 2^n)` with `z = n ln2 + r`.
#[inline(always)]
fn reduce(z: f64x2) -> (f64x2, f64x2) {
    // Step 1.
    let b = z * f64x2::splat(core::f64::consts::LOG2_E) + f64x2::splat(MAGIC);
    let n = b - f64x2::splat(MAGIC);
    // Step 2.
    let r = z - n * f64x2::splat(core::f64::consts::LN_2);
    // Step 4.
    let b = b.to_array();
    (r, f64x2::new([pow2_bits(b[0]), pow2_bits(b[1])]))
}

/// `e^z` for every lane, `|z| <= 120` (not NaN), within `2^-28.27` relative:
/// 1. `n = round(z log2e)` by the magic-bias addition (`|n| <= 174`;
///    without FMA the product rounds first, which can move `n` across a
///    tie and `|r|` a few ulps past `ln2/2`: the fit's domain has a margin
///    of `2^-12` for that).
/// 2. `r = z - n ln2`, the product and the difference rounded: within
///    `2^-46` of the exact reduced argument (`|n ln2| < 121`, and the f64
///    `ln 2` is off by `2^-54` relative), so `2^-46` relative in `e^r`.
/// 3. `e^r = 1 + r + r^2 P(r)`, `P` of degree 4 (`tools/fit_exp_f64.sollya`:
///    `2^-28.28` relative), evaluated by Estrin's scheme,
///    `(W2 + W3 r) + r^2 ((W4 + W5 r) + r^2 W6)`: one operation more than
///    Horner's, but without FMA each Horner step is a multiplication and an
///    addition in a row, and the shorter chain made sigmoid at the
///    `Portable` level 6-8% faster (two A/B passes, README, "Speed"). Its
///    roundings add under `2^-51`, as Horner's did (`P` is near `W2 = 1/2` and
///    rounded within about `1.2 * 2^-53` of its value, which `r^2 <= 0.121`
///    shrinks; `r^2 P` and `r + r^2 P` round by `2^-53` of their values).
/// 4. `2^n` from the bits of the magic-bias sum, its low bits `n + 1023`
///    (in `[849, 1197]`) shifted into the exponent field: a normal f64,
///    so `2^n (1 + q)` is one multiply-add, rounded once (`2^-53`).
#[inline(always)]
pub(crate) fn exp(z: f64x2) -> f64x2 {
    let (r, s) = reduce(z);
    // Step 3: q = e^r - 1.
    let rr = r * r;
    let p01 = r * W3 + W2;
    let p23 = r * W5 + W4;
    let p = (rr * W6 + p23) * rr + p01;
    let q = rr * p + r;
    s * q + s
}

/// `e^z - 1` for every lane, `-120 <= z <= 0` (not NaN), within `2^-31.9`
/// relative: `n`, `r` and `2^n` as in [`exp`], then
/// - `q = r + r^2 Q(r)`, `Q` of degree 5 fitted relative to `e^r - 1`
///   (`tools/fit_expm1_f64.sollya`: `2^-31.96`), by Estrin's scheme as in
///   [`exp`] (`(M2 + M3 r) + r^2 ((M4 + M5 r) + r^2 (M6 + M7 r))`; its
///   roundings add about `2^-51` relative to `e^r - 1`). For `n = 0`,
///   `r = z` exactly and the result is `q`.
/// - `2^n q + (2^n - 1)`, rounded once: `2^n - 1` and `2^n q` are exact.
///   For `n <= -1`, `e^z <= 0.71` and `|e^z - 1| >= 0.29`, while `2^n q`
///   is at most `0.5 * 0.42`: `q`'s error shrinks to at most 0.73 of it, and
///   `r`'s `2^-46` costs `2^-46 e^z / |e^z - 1| < 2^-44` relative.
#[inline(always)]
pub(crate) fn expm1(z: f64x2) -> f64x2 {
    let (r, s) = reduce(z);
    let rr = r * r;
    let p01 = r * M3 + M2;
    let p23 = r * M5 + M4;
    let p45 = r * M7 + M6;
    let p = (p45 * rr + p23) * rr + p01;
    let q = rr * p + r;
    s * q + (s - f64x2::ONE)
}

/// `2^n` from the magic-bias sum `b = MAGIC + n`: its bits shifted left by 52
/// (one `psllq`).
#[inline(always)]
fn pow2_bits(b: f64) -> f64 {
    f64::from_bits(b.to_bits() << 52)
}
