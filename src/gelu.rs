//! GELU in its tanh form (Hendrycks & Gimpel; the GPT-2 `gelu_new`):
//! `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`.
//!
//! `0.5 (1 + tanh(v)) = sigmoid(2v)`, so the function is
//! `x * sigmoid(u)` with `u = A x + B x^3`, `A = 2 sqrt(2/pi)` and
//! `B = 0.044715 A`: the SiLU pipeline of `src/silu.rs` with `u` in the
//! exponent. Written as `1 + tanh`, the negative tail would cancel; as a
//! sigmoid it does not.
//!
//! Two paths, as in `src/silu.rs`: with fused multiply-adds, vectors whose
//! lanes all have `x >= -9` and `|x| >= 2^-60` take the **fast path**:
//! `u` as in step 2 below (with `x` clamped at 6 only), `e^-|u|` as a
//! normalised pair from [`exp::reduce_split_pair`] (`|u| <= 66.4`, so
//! `e^-|u| >= 2^-95.8` and its low part is normal), then SiLU's
//! [`silu::fast_times_sigmoid`] (one division refined by its residual;
//! `x > 6` returns `x`). Other vectors also compute the **general path**
//! (steps 1-4) and take it for their other lanes (`x < -9`, NaN, tiny
//! `x`); builds without FMA use the general path for every lane, except on
//! x86-64 (the `Portable` level of a default build), where the **f64
//! route** replaces it, as in `src/sigmoid.rs`.
//!
//! General path, per lane:
//! 1. `xc = clamp(x, -11, 6)`. At `-11`, `u = -112.5` and `|x| e^u < 2^-150`:
//!    the result rounds to `-0.0` there and below. Above `6`, `u > 25`,
//!    `e^-u < 2^-36`, and `x sigmoid(u)` rounds to `x` (step 4).
//! 2. `u = xc (A + B xc^2)` as a pair `(u_hi, u_lo)` to about `2^-44`
//!    relative: `xc^2`, `B xc^2` and the final product by `xc` are exact
//!    pairs ([`div::prod_pair`]), `A + B xc^2` a two-sum, `A` and `B` each
//!    two floats (`2^-48` relative). `e^-|u|` must be accurate *relative*,
//!    so the absolute error of `u` (up to `112.5 * 2^-44 = 2^-37`) is what
//!    counts: far below the `2^-26` of the exponential itself.
//! 3. `e^-|u| = 2^n (1 + q)` from the pair ([`exp::reduce`]), then
//!    [`silu::times_sigmoid`]: `x / (1 + e^-u)` for `x >= 0`,
//!    `x e^u / (1 + e^u)` for `x < 0`, as pairs with one division, subnormal
//!    results rounded once.
//! 4. The sign of `x` is OR-ed in (`-0.0` stays `-0.0`); lanes with
//!    `!(x <= 6)` (`x > 6`, `+inf`, NaN) return `x`.
//!
//! f64 route, per lane (x86-64 without FMA, [`crate::lanes::F64_ROUTE`]),
//! in f64, where `x` widens exactly:
//! 1. `v = max(x, -11)` (the numerator: for `x < -11` the result rounds to
//!    `-0.0`, as in step 1) and `xc = min(v, 6)` (for `x > 6`, `e^-u <
//!    2^-36` and `x / (1 + e^-u)` rounds to `x`, as in step 4).
//! 2. `u = xc (A + B xc^2)` with `A` and `B` rounded to f64 and four
//!    roundings (of positive terms where they are summed): within
//!    `6 2^-53 = 2^-50.4` relative, so `2^-43.6` absolute
//!    (`|u| <= 112.5`), which is `2^-43.6` relative in `e^-u`.
//! 3. `E = e^-u` ([`wide64::exp`], within `2^-28.27` relative) and
//!    `y = v / (1 + E)`: at most 0.553 ULP after the one rounding to f32
//!    (`src/sigmoid.rs`, f64 route, step 3), subnormal results included;
//!    `-0.0 / 2 = -0.0` keeps the sign.
//! 4. NaN lanes return the input NaN unchanged.

use crate::approx::{div, exp, wide64};
use crate::error::Error;
use crate::lanes::{checked_map, f64_or_f32, fast_or_general, map_f64, map_in_place, Lanes};
use crate::silu;
use wide::f64x2;

/// Step 1: at and below this the result rounds to `-0.0`.
const X_MIN: f32 = -11.0;
/// Step 1 and 4: above this the result rounds to `x`.
const X_IDENTITY: f32 = 6.0;
/// `A = 2 sqrt(2/pi)` = 1.5957691216057307 as `A_HI` (0x1.988454p+0) plus
/// `A_LO` (-0x1.857936p-25); residue `1.2e-16`.
const A_HI: f32 = f32::from_bits(0x3fcc_422a);
const A_LO: f32 = f32::from_bits(0xb342_bc9b);
/// `B = 0.044715 A` = 0.07135481627260025 as `B_HI` (0x1.2444f2p-4) plus
/// `B_LO` (0x1.49b16ap-29); residue `-7.0e-17`.
const B_HI: f32 = f32::from_bits(0x3d92_2279);
const B_LO: f32 = f32::from_bits(0x3124_d8b5);

/// GELU (tanh form) of every lane: the kernel the slice functions run
/// (narrated at the top of `src/gelu.rs`).
#[inline(always)]
pub fn gelu_tanh_lanes<V: Lanes>(x: V) -> V {
    f64_or_f32!(x, widened, f32_route)
}

/// GELU-tanh's f32 routes ([`crate::lanes::route`]): the fast path with FMA, its other lanes
/// through the general path; the general path alone without FMA.
#[inline(always)]
pub(crate) fn f32_route<V: Lanes>(x: V) -> V {
    if V::FUSED {
        // x < -9, NaN, or tiny.
        let other = V::splat(X_FAST_MIN).nle(x) | x.abs().lt(V::splat(X_TINY));
        fast_or_general!(x, other, fused, general)
    } else {
        general(x)
    }
}

/// `A` and `B` in f64 (the f64 route's step 2): `2 sqrt(2/pi)` and
/// `0.044715 A`, each rounded once.
const A_F64: f64 = 1.595_769_121_605_730_8;
const B_F64: f64 = 0.071_354_816_272_600_25;

/// The f64 route (module docs, steps 1-4 of the f64 route), for builds
/// without FMA on x86-64.
#[inline(always)]
fn widened<V: Lanes>(x: V) -> V {
    let y = map_f64(
        x,
        #[inline(always)]
        |x| {
            // Step 1 (NaN lanes come out as anything; step 4 replaces them).
            let v = x.fast_max(f64x2::splat(f64::from(X_MIN)));
            let xc = v.fast_min(f64x2::splat(f64::from(X_IDENTITY)));
            // Step 2.
            let u = xc * (xc * xc * B_F64 + A_F64);
            // Step 3.
            v / (f64x2::ONE + wide64::exp(-u))
        },
    );
    // Step 4.
    V::select(x.is_nan(), x, y)
}

/// The fast path's smallest `|x|` (as SiLU's): `2^-60`.
const X_TINY: f32 = f32::from_bits(0x2180_0000);
/// The fast path's lowest `x`: at `-9`, `u = -66.4` and `e^u = 2^-95.8`,
/// whose low part (`2^-24` of it) is still normal.
const X_FAST_MIN: f32 = -9.0;

/// `u = x (A + B x^2)` as the pair `(u_hi, u_lo)` (module docs, step 2).
#[inline(always)]
fn u_pair<V: Lanes>(xc: V) -> (V, V) {
    let (x2, x2_err) = div::prod_pair(xc, xc);
    let (bp, bp_err) = div::prod_pair(V::splat(B_HI), x2);
    let (w_hi, w_err) = div::two_sum(V::splat(A_HI), bp);
    let small = V::splat(B_HI).mul_add(x2_err, V::splat(B_LO).mul_add(x2, V::splat(A_LO)));
    let w_lo = w_err + (bp_err + small);
    let (u_hi, u_err) = div::prod_pair(xc, w_hi);
    div::fast_two_sum(u_hi, xc.mul_add(w_lo, u_err))
}

/// The fast path (module docs), for `x >= -9`, `|x| >= 2^-60`, with FMA.
#[inline(always)]
fn fused<V: Lanes>(x: V) -> V {
    // Step 1 without the lower clamp (`x >= -9` here): `x > 6` returns `x`
    // below.
    let xc = x.min_fast(V::splat(X_IDENTITY));
    let (u_hi, u_lo) = u_pair(xc);
    let neg = x.lt(V::splat(0.0));
    let (z_hi, z_lo) = (V::select(neg, u_hi, -u_hi), V::select(neg, u_lo, -u_lo));
    let (s, a_hi, a_lo) = exp::reduce_split_pair(z_hi, z_lo);
    let y = silu::fast_times_sigmoid(xc, neg, s, a_hi, a_lo);
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// The general path (module docs, steps 1-4).
#[inline(always)]
fn general<V: Lanes>(x: V) -> V {
    // Step 1 (NaN lanes: `max_of` gives -11; replaced in step 4).
    let xc = x.max_of(V::splat(X_MIN)).min_fast(V::splat(X_IDENTITY));
    // Step 2.
    let (u_hi, u_lo) = u_pair(xc);
    // Step 3: the exponent is -|u|; u has the sign of x.
    let neg = x.lt(V::splat(0.0));
    let (z_hi, z_lo) = (V::select(neg, u_hi, -u_hi), V::select(neg, u_lo, -u_lo));
    let (n, q_hi, q_lo) = exp::reduce(z_hi, z_lo);
    let y = silu::times_sigmoid(xc, xc, neg, n, q_hi, q_lo);
    // Step 4.
    let y = y | x.sign();
    V::select(x.nle(V::splat(X_IDENTITY)), x, y)
}

/// GELU, tanh approximation (`gelu_new` of GPT-2,
/// `approximate="tanh"` in PyTorch), `0.5 x (1 + tanh(sqrt(2/pi) (x +
/// 0.044715 x^3)))`, of every element of `input`, into `output`.
///
/// # Accuracy
/// At most [`crate::accuracy::GELU_TANH`] ULP from the correctly rounded
/// value of that formula (see the [accuracy table](crate::accuracy)),
/// verified over all 2^32 inputs, the far negative tail (down to subnormal
/// results) included.
///
/// # Special values
/// NaN → the same NaN; `+inf` → `+inf`; `-inf` → `-0.0`; `±0.0` → `±0.0`;
/// `x` exactly for `x > 6`; `-0.0` for `x <= -11` (and wherever the exact
/// value is under half the smallest subnormal); the minimum is about
/// `-0.17` (at `x = -0.75`); subnormal results are kept, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::gelu_tanh(&[1.0, 7.0, -20.0], &mut y)?;
/// assert!((y[0] - 0.841_192).abs() < 1e-6);
/// assert_eq!(y[1], 7.0);
/// assert_eq!(y[2].to_bits(), (-0.0f32).to_bits());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn gelu_tanh(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::gelu_tanh(input, output)
}

/// [`gelu_tanh`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [f32::INFINITY, f32::NEG_INFINITY, -0.0];
/// activations::gelu_tanh_in_place(&mut v);
/// assert_eq!(v[0], f32::INFINITY);
/// assert_eq!(v[1].to_bits(), (-0.0f32).to_bits());
/// assert_eq!(v[2].to_bits(), (-0.0f32).to_bits());
/// ```
#[inline]
pub fn gelu_tanh_in_place(values: &mut [f32]) {
    crate::dispatch::root::gelu_tanh_in_place(values)
}

#[inline(always)]
pub(crate) fn tanh_slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| gelu_tanh_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn tanh_slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| gelu_tanh_lanes(x),
    );
}
