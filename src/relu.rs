//! ReLU, `max(x, 0)`, and leaky ReLU, `x >= 0 ? x : slope * x`.
//!
//! Both are one comparison and one bit select, branchless. Neither uses a
//! `max` instruction: `f32::max`, wide's `max` and x86's `maxps` turn NaN
//! into a number, and this crate's kernels return NaN for NaN.

use crate::error::{check_lengths, Error};
use crate::lanes::{checked_map, map, map_in_place, Lanes};

/// ReLU of every lane: `!(x <= 0) ? x : +0.0` (NaN passes through; `-0.0 <= 0`
/// gives `+0.0`). Written with [`Lanes::nle`] so that the x86 backend needs
/// one comparison and one zero-masked move.
#[inline(always)]
pub fn relu_lanes<V: Lanes>(x: V) -> V {
    V::select(x.nle(V::splat(0.0)), x, V::splat(0.0))
}

/// Leaky ReLU of every lane: `x < 0 ? slope * x : x` (NaN and `-0.0` fail the
/// comparison and pass through unchanged).
#[inline(always)]
pub fn leaky_relu_lanes<V: Lanes>(x: V, slope: V) -> V {
    V::select(x.lt(V::splat(0.0)), x * slope, x)
}

/// Rectified linear unit `max(x, 0)` of every element of `input`, into `output`.
///
/// # Accuracy
/// Exact.
///
/// # Special values
/// NaN → the same NaN (unlike `f32::max`); `-0.0` → `+0.0`; `-inf` → `+0.0`;
/// `+inf` → `+inf`; positive subnormals pass through unchanged.
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [9.0; 4];
/// activations::relu(&[-1.5, 0.0, 2.5, f32::NAN], &mut y)?;
/// assert_eq!(&y[..3], &[0.0, 0.0, 2.5]);
/// assert!(y[3].is_nan());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn relu(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::relu(input, output)
}

/// [`relu`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [-0.0f32, -3.0, 3.0];
/// activations::relu_in_place(&mut v);
/// assert_eq!(v, [0.0, 0.0, 3.0]);
/// assert!(v[0].is_sign_positive());
/// ```
#[inline]
pub fn relu_in_place(values: &mut [f32]) {
    crate::dispatch::root::relu_in_place(values)
}

/// Leaky ReLU, `x >= 0 ? x : negative_slope * x`, of every element of `input`, into `output`.
///
/// # Accuracy
/// Exact: non-negative `x` is copied, negative `x` gives the correctly
/// rounded product `negative_slope * x`.
///
/// # Special values
/// NaN → the same NaN; `-0.0` → `-0.0` (it is not `< 0`); `+inf` → `+inf`;
/// `-inf` → `-inf * negative_slope` (IEEE: `-inf` for a positive slope,
/// NaN for a zero slope). Any `negative_slope` is accepted and used as given,
/// including negative, NaN or infinite slopes (IEEE multiplication decides).
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 2];
/// activations::leaky_relu(&[-2.0, 3.0], &mut y, 0.01)?;
/// assert_eq!(y, [-0.02, 3.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn leaky_relu(input: &[f32], output: &mut [f32], negative_slope: f32) -> Result<(), Error> {
    crate::dispatch::root::leaky_relu(input, output, negative_slope)
}

/// [`leaky_relu`] in place; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [-10.0f32, 10.0];
/// activations::leaky_relu_in_place(&mut v, 0.1);
/// assert_eq!(v, [-1.0, 10.0]);
/// ```
#[inline]
pub fn leaky_relu_in_place(values: &mut [f32], negative_slope: f32) {
    crate::dispatch::root::leaky_relu_in_place(values, negative_slope)
}

#[inline(always)]
pub(crate) fn relu_slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| relu_lanes(x),
    )
}

#[inline(always)]
pub(crate) fn relu_slice_in_place<V: Lanes>(values: &mut [f32]) {
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| relu_lanes(x),
    );
}

#[inline(always)]
pub(crate) fn leaky_slice<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    slope: f32,
) -> Result<(), Error> {
    check_lengths(input.len(), output.len())?;
    let s = V::splat(slope);
    map::<V>(
        input,
        output,
        0.0,
        #[inline(always)]
        |x| leaky_relu_lanes(x, s),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn leaky_slice_in_place<V: Lanes>(values: &mut [f32], slope: f32) {
    let s = V::splat(slope);
    map_in_place::<V>(
        values,
        0.0,
        #[inline(always)]
        |x| leaky_relu_lanes(x, s),
    );
}
