//! Double-precision lanes for the x86-64 builds without FMA
//! ([`crate::lanes::F64_ROUTE`]).
//!
//! Without FMA, an f32 kernel that rounds once at the end needs exact
//! products, and those take Dekker's splitting: 17 operations each. SSE2,
//! which every x86-64 CPU has, also computes on f64 lanes, two per
//! register. A kernel whose intermediate values only need about 30
//! correct bits can then compute them in f64 with plain operations and
//! round once, to f32, at the end: twice the lanes' work per operation,
//! but far fewer operations (sigmoid: 2.47 against 3.55 ns per element,
//! README "Speed").

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

/// `e^z` for every lane, `|z| <= 120` (not NaN), within `2^-28.27` relative:
/// 1. `n = round(z log2e)` by the magic-bias addition (`|n| <= 174`;
///    without FMA the product rounds first, which can move `n` across a
///    tie and `|r|` a few ulps past `ln2/2`: the fit's domain has a margin
///    of `2^-12` for that).
/// 2. `r = z - n ln2`, the product and the difference rounded: within
///    `2^-46` of the exact reduced argument (`|n ln2| < 121`, and the f64
///    `ln 2` is off by `2^-54` relative), so `2^-46` relative in `e^r`.
/// 3. `e^r = 1 + r + r^2 P(r)`, `P` of degree 4 (`tools/fit_exp_f64.sollya`:
///    `2^-28.28` relative; Horner's rounding errors add about `2^-51`).
/// 4. `2^n` from the bits of the magic-bias sum, its low bits `n + 1023`
///    (in `[849, 1197]`) shifted into the exponent field: a normal f64,
///    so `2^n (1 + q)` is one multiply-add, rounded once (`2^-53`).
#[inline(always)]
pub(crate) fn exp(z: f64x2) -> f64x2 {
    // Step 1.
    let b = z * f64x2::splat(core::f64::consts::LOG2_E) + f64x2::splat(MAGIC);
    let n = b - f64x2::splat(MAGIC);
    // Step 2.
    let r = z - n * f64x2::splat(core::f64::consts::LN_2);
    // Step 3: q = e^r - 1.
    let p = r * W6 + W5;
    let p = p * r + W4;
    let p = p * r + W3;
    let p = p * r + W2;
    let q = (r * r) * p + r;
    // Step 4.
    let b = b.to_array();
    let s = f64x2::new([pow2_bits(b[0]), pow2_bits(b[1])]);
    s * q + s
}

/// `2^n` from the magic-bias sum `b = MAGIC + n`: its bits shifted left by 52
/// (one `psllq`).
#[inline(always)]
fn pow2_bits(b: f64) -> f64 {
    f64::from_bits(b.to_bits() << 52)
}
