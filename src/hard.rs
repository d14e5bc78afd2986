//! The piecewise activations of MobileNetV3 (Howard et al., 2019):
//! hard sigmoid `relu6(x + 3) / 6` and hard swish `x * relu6(x + 3) / 6`.
//!
//! Both are rational in `x` between `-3` and `3`, so they can be computed
//! almost correctly rounded with no approximation at all: the numerator is
//! formed exactly as a pair of floats, and the division by 6 is a product
//! with `1/6` split into two floats, rounded once at the end.
//!
//! Algorithm, per lane:
//! 1. `xc = max(x, -3)` (NaN lanes and `x >= 3` are replaced in step 4).
//! 2. `s + e = xc + 3` exactly (Fast2Sum: `|3| >= |xc|` on every lane that
//!    is kept). Hard swish multiplies by `xc` as the exact pair
//!    `p + pe = xc * s` (FMA, or Dekker's product) plus `xc * e`
//!    (`|xc e| <= 2^-24 |p|`, so its rounding is negligible). For
//!    `|x| < 2^-50` hard swish is `x * 0.5`, rounded once: the exact
//!    `x/2 (1 + x/3)` is `x/2` to `2^-51`, which decides only exact ties
//!    of subnormal results (they go to even, on every path), and Dekker's
//!    product (no FMA) would lose its error terms to underflow there.
//! 3. Divide the pair `(hi, lo)` by 6 ([`div6`]): `1/6 = K_HI + K_LO` to
//!    `2^-48` relative, `hi K_HI` exact (FMA, or Dekker's product), the
//!    small terms `hi K_LO + lo K_HI` rounded, and one final rounding. The
//!    value before that rounding is within `2^-45` relative of the exact
//!    quotient, so the result is the correctly rounded one except when the
//!    exact value lies within `2^-21` ULP of a rounding boundary.
//! 4. Outside `(-3, 3)`: hard sigmoid is `+0.0` at and below `-3` (step 1
//!    gives `s = 0`) and `1` at and above `3`; hard swish is `-0.0` at and
//!    below `-3` (the IEEE `x * 0`; the sign of `x` is OR-ed into every
//!    result, which only matters for zeros) and `x` at and above `3`. NaN
//!    returns the same NaN.

use crate::approx::div;
use crate::error::Error;
use crate::lanes::{checked_map, map_in_place, Lanes};

/// `1/6 = K_HI + K_LO`: `K_HI` = 0x1.555556p-3 (f32 rounding of 1/6),
/// `K_LO` = -0x1.555556p-28; residue `1.5e-16` (`2^-49.6` relative).
const K_HI: f32 = f32::from_bits(0x3e2a_aaab);
const K_LO: f32 = f32::from_bits(0xb1aa_aaab);
/// Where both functions leave their rational middle piece.
const EDGE: f32 = 3.0;

/// Step 3: `(hi + lo) / 6`, rounded once, for `|lo| <= ulp(hi)`.
#[inline(always)]
fn div6<V: Lanes>(hi: V, lo: V) -> V {
    let small = hi.mul_add(V::splat(K_LO), lo * V::splat(K_HI));
    if V::FUSED {
        hi.mul_add(V::splat(K_HI), small)
    } else {
        let (p, pe) = div::two_prod(hi, V::splat(K_HI));
        p + (pe + small)
    }
}

/// Hard sigmoid of every lane: the kernel the slice functions run
/// (narrated at the top of `src/hard.rs`).
#[inline(always)]
pub fn hard_sigmoid_lanes<V: Lanes>(x: V) -> V {
    // Steps 1-3.
    let xc = x.max_of(V::splat(-EDGE));
    let (s, e) = div::fast_two_sum(V::splat(EDGE), xc);
    let y = div6(s, e);
    // Step 4.
    let top = V::select(x.is_nan(), x, V::splat(1.0));
    V::select(x.lt(V::splat(EDGE)), y, top)
}

/// Hard swish of every lane: the kernel the slice functions run
/// (narrated at the top of `src/hard.rs`).
#[inline(always)]
pub fn hard_swish_lanes<V: Lanes>(x: V) -> V {
    // Steps 1-3.
    let xc = x.max_of(V::splat(-EDGE));
    let (s, e) = div::fast_two_sum(V::splat(EDGE), xc);
    let (p, pe) = div::prod_pair(xc, s);
    let y = div6(p, xc.mul_add(e, pe));
    // Tiny x: x/2, rounded once (on every path, so that subnormal ties
    // round the same with and without FMA).
    let y = V::select(x.abs().lt(V::splat(div::DEKKER_MIN)), x * V::splat(0.5), y);
    // Step 4.
    V::select(x.lt(V::splat(EDGE)), y | xc.sign(), x)
}

/// Hard sigmoid `min(max(x + 3, 0), 6) / 6` (MobileNetV3's `relu6(x + 3) / 6`)
/// of every element of `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::HARD_SIGMOID`] ULP from the exact value (one
/// rounding: the correctly rounded result except within `2^-21` ULP of a
/// tie), verified over all 2^32 inputs.
///
/// # Special values
/// NaN → the same NaN; `x <= -3` (and `-inf`) → `+0.0`; `x >= 3` (and
/// `+inf`) → `1.0`; `±0.0` → `0.5`.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 4];
/// activations::hard_sigmoid(&[-4.0, 0.0, 1.5, 3.0], &mut y)?;
/// assert_eq!(y, [0.0, 0.5, 0.75, 1.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn hard_sigmoid(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::hard_sigmoid(input, output)
}

/// [`hard_sigmoid`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [f32::NEG_INFINITY, f32::INFINITY];
/// activations::hard_sigmoid_in_place(&mut v);
/// assert_eq!(v, [0.0, 1.0]);
/// ```
#[inline]
pub fn hard_sigmoid_in_place(values: &mut [f32]) {
    crate::dispatch::root::hard_sigmoid_in_place(values)
}

/// Hard swish `x * min(max(x + 3, 0), 6) / 6` (MobileNetV3) of every element
/// of `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::HARD_SWISH`] ULP from the exact value (one
/// rounding, as [`hard_sigmoid`]), verified over all 2^32 inputs.
///
/// # Special values
/// NaN → the same NaN; `x <= -3` (and `-inf`) → `-0.0` (the IEEE product
/// `x * 0`); `x >= 3` (and `+inf`) → `x`; `±0.0` → `±0.0`; the minimum is
/// `-0.375` at `x = -1.5`; `|x| < 2^-50` gives `x * 0.5` rounded to nearest
/// even (so `±2^-149` → `±0.0`).
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 4];
/// activations::hard_swish(&[-4.0, -1.5, 1.0, 5.0], &mut y)?;
/// assert_eq!(y[0].to_bits(), (-0.0f32).to_bits());
/// assert_eq!(&y[1..], &[-0.375, 4.0 / 6.0, 5.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn hard_swish(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::hard_swish(input, output)
}

/// [`hard_swish`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [-0.0f32, 3.0];
/// activations::hard_swish_in_place(&mut v);
/// assert_eq!(v[0].to_bits(), (-0.0f32).to_bits());
/// assert_eq!(v[1], 3.0);
/// ```
#[inline]
pub fn hard_swish_in_place(values: &mut [f32]) {
    crate::dispatch::root::hard_swish_in_place(values)
}

#[inline(always)]
pub(crate) fn sigmoid_slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| hard_sigmoid_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn sigmoid_slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| hard_sigmoid_lanes(x),
    );
}

#[inline(always)]
pub(crate) fn swish_slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| hard_swish_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn swish_slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| hard_swish_lanes(x),
    );
}
