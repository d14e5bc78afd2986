//! Backward kernels (derivatives) of sigmoid, tanh, ReLU and leaky ReLU:
//! given the incoming gradient `g = dL/dy` they compute `dL/dx = g * f'(x)`,
//! element by element, for training loops.
//!
//! Sigmoid and tanh take the forward *output* `y` (what a training loop has
//! kept), since their derivatives are polynomials in it:
//! `σ'(x) = y (1 - y)`, `tanh'(x) = 1 - y²`. ReLU and leaky ReLU take the
//! forward *input* `x`. (The backward kernels of SiLU, softplus, ELU, SELU
//! and GELU, which take the input and go through the exponential, are in
//! `src/backward_exp.rs`.)
//!
//! # Sigmoid and tanh: `g * d(y)` with `d = y - y²` or `d = 1 - y²`
//!
//! Evaluated in f32 as written, `g * (y - y*y)` rounds three times, and near
//! `y = 1` the subtraction cancels: `y*y` carries an error of half an ulp
//! of 1 (2^-25), while `1 - y` can be as small as 2^-24, so the derivative
//! would be off by up to half its own size. Instead, per lane:
//! 1. `p + pe = y*y` exactly: `p = y*y` rounded and `pe` its rounding error,
//!    by one FMA (`y*y - p`) or, without FMA, Dekker's product
//!    ([`div::two_prod`]). Exact for `|y| < 2^24` unless `y*y` underflows
//!    (`|y| < 2^-63`), where `y²` is negligible against `d` (below 2^-60 of it).
//! 2. `h + l = y - p` (sigmoid) or `1 - p` (tanh) exactly, by two-sum
//!    ([`div::two_sum`], valid for any finite operands, so inputs outside
//!    the forward's range work too). Now `d = h + l - pe` exactly.
//! 3. `(h, c) = Fast2Sum(h, l - pe)`: the pair renormalised so that
//!    `|c| <= ulp(h)/2`. This step matters near the zeros of `d`: there
//!    `y - p` (or `1 - p`) is exact by Sterbenz's lemma, `l = 0`, and `pe`
//!    (up to 2^-25) can be half of `h` (as small as 2^-24); after Fast2Sum
//!    the low part is at most 2^-24 of the high part. (Its precondition
//!    holds: `|l - pe| <= |h|` in every case, see the comments in the
//!    code; `l - pe` is exact where it could matter, and elsewhere its
//!    rounding is below 2^-46 of `h`.)
//! 4. `r = g*h + g*c`: with FMA, `g.mul_add(h, g * c)`, rounded once (the
//!    product `g*c` is at most 2^-24 of the result, so its own rounding
//!    costs at most 2^-48 of it); without FMA, `g*h` as an exact pair by
//!    Dekker's product and `p + (e + g*c)`. Either way the result is within
//!    `0.5 + 2^-20` ULP of `g * d(y)` for results in the normal range.
//!    The factors are first scaled by powers of two: `g` by `2^64` when
//!    `|g| < 2^-40` and by `2^-64` when `|g| >= 2^64`, the pair `(h, c)` by
//!    `2^64` when `|h| < 2^-40` (sigmoid only, `|y| < 2^-40`), and the
//!    result scaled back by the inverse, one power of two: the products
//!    stay far from overflow and underflow (Dekker's splitting needs
//!    factors below `2^115`, its error term must not underflow), and a
//!    subnormal result is formed in the normal range first. Its last
//!    product, onto the subnormal grid, is then a second rounding, which
//!    can go the wrong way only where the first one landed exactly halfway
//!    between two subnormals: that case is detected (the scaled result
//!    minus the final one, scaled back, is exactly half a subnormal ulp)
//!    and corrected by the sign of the first rounding's residual. (Without
//!    the correction, the measured maximum was 0.75 ULP, the double
//!    rounding bound; with it, 0.5.)
//!
//!    When every lane of a vector is ordinary (`2^-40 <= |g| < 2^64`,
//!    `|d| >= 2^-40`, `|y| < 2^24`), no scale applies and no fix-up of
//!    step 5 changes anything, so the kernel branches past them (one test
//!    of the whole vector): the same bits, about 5x faster at n = 4096 on
//!    AVX-512 (README, Speed). Bare-metal builds (`lanes::COMPACT`) leave
//!    the branch out for code size.
//! 5. Fix-ups, with selects: a zero result, or an infinite `g`, is
//!    recomputed as the single product `g * h`, so zeros carry the IEEE sign
//!    of `g × d` (with `d = +0` at the zeros of the derivative: `y = ±0`
//!    and `y = 1` for sigmoid, `y = ±1` for tanh) and `inf × d` is `±inf`
//!    (NaN where `d = 0`). For `|y| >= 2^24`, far outside what the forward
//!    functions return, the formula is evaluated in plain f32
//!    (`g * (y * (1 - y))`, `g * (1 - y*y)`); `y*y` overflows from
//!    `|y| = 2^64` on, and the pair arithmetic above would need `|d| < 2^115`.
//!    A NaN the arithmetic produces (`0 × inf`, `inf - inf`) becomes the
//!    canonical `f32::NAN`, so that its bits do not depend on the target;
//!    then a NaN `g` is returned as it is, and a NaN `y` as it is (`y`
//!    first).
//!
//! The bound of [`crate::accuracy`], 0.501 ULP, is the argument's
//! `0.5 + 2^-20` rounded up; `examples/exhaustive_backward.rs` measures it
//! over all 2^32 values of `y` with several fixed `g`, and random `(y, g)`
//! pairs (the maxima are in README.md).
//!
//! # ReLU and leaky ReLU: selects and one product
//!
//! `relu'(x) = x > 0 ? 1 : 0`: the result is `g` where `x > 0` and `+0.0`
//! elsewhere, selected, never multiplied (so an infinite or NaN `g` where
//! `x <= 0` still gives `+0.0`, as PyTorch's `threshold_backward` masks it).
//! Leaky ReLU: `g` where `x > 0`, the correctly rounded `g * slope` where
//! `x <= 0`. At `x = 0` both use the left derivative (0, resp. `slope`), as
//! PyTorch does.

use crate::approx::div;
use crate::error::{check_lengths, check_lengths3, Error};
use crate::lanes::{map2, map2_in_place, Lanes, COMPACT};

/// 2^64: step 4's scale for factors below [`SMALL`], and the threshold
/// above which `g` is scaled down.
pub(crate) const TWO_POW_64: f32 = f32::from_bits(0x5f80_0000);
/// 2^-64: step 4's scale for `|g| >= 2^64`.
const TWO_POW_M64: f32 = f32::from_bits(0x1f80_0000);
/// 2^-40: step 4 scales a factor below this up by 2^64. Unscaled, both
/// factors are at least 2^-40, so the product is at least 2^-80 and
/// Dekker's error term (about 2^-24 of it) is far from underflow. A scaled
/// product small enough for that term to underflow (below about 2^-101)
/// stands for a true result below 2^-165, which rounds to zero anyway.
pub(crate) const SMALL: f32 = f32::from_bits(0x2b80_0000);
/// Step 5: from here on the formula is evaluated in plain f32. Below it
/// `|d| < 2^48`, so the scaled products of step 4 stay below `2^112` and
/// Dekker's splitting below its `2^115` limit.
const Y_PLAIN: f32 = 16_777_216.0; // 2^24

/// Step 4's product `g * (h + c)` rounded once, and the residual of that
/// rounding (exact with FMA; without, its sign is right, which is what
/// counts). For factors where nothing overflows or underflows. Also the
/// last step of the backward kernels in `src/backward_exp.rs` and
/// `src/gelu_erf.rs`.
#[inline(always)]
pub(crate) fn product<V: Lanes>(g: V, h: V, c: V) -> (V, V) {
    if V::FUSED {
        let gc = g * c;
        let r = g.mul_add(h, gc);
        (r, g.mul_add(h, -r) + gc)
    } else {
        let (p, e) = div::two_prod(g, h);
        let q = e + g * c;
        let r = p + q;
        (r, (p - r) + q)
    }
}

/// Steps 4 and 5 from the derivative's pair `(h, c)`: the plain product
/// when every lane is ordinary (`2^-40 <= |g| < 2^64`, `|h| >= 2^-40`,
/// `|y| < 2^24`: no scaling can apply, the result is normal and no fix-up
/// changes it), else [`times_pair`] and [`fix_up`]. Both give the same
/// bits for an ordinary lane, so a lane's result does not depend on its
/// neighbours.
#[inline(always)]
fn finish<V: Lanes>(y: V, g: V, h: V, c: V, plain: impl FnOnce() -> V) -> V {
    let small = V::splat(SMALL);
    let ag = g.abs();
    // (NaN g, h or y fail these comparisons: not ordinary.)
    let ordinary = small.le(ag)
        & ag.lt(V::splat(TWO_POW_64))
        & small.le(h.abs())
        & y.abs().lt(V::splat(Y_PLAIN));
    // (Not on bare-metal targets, which favour code size: see
    // `lanes::COMPACT`. The fast path added 700-1200 bytes per kernel on
    // the Cortex-M4F; the bits are the same either way.)
    if !COMPACT && !V::any(ordinary.mask_not()) {
        return product(g, h, c).0;
    }
    let r = times_pair(g, h, c);
    fix_up(y, g, r, h, plain())
}

/// Step 4: `g * (h + c)` for `|c| <= ulp(h)/2`, correctly rounded up to
/// `2^-20` ULP (see the module docs), with `g` and `h` scaled away from
/// overflow and underflow and a subnormal result rounded once.
#[inline(always)]
fn times_pair<V: Lanes>(g: V, h: V, c: V) -> V {
    let one = V::splat(1.0);
    let up = V::splat(TWO_POW_64);
    let down = V::splat(TWO_POW_M64);
    let ag = g.abs();
    let small = V::splat(SMALL);
    let g_tiny = ag.lt(small);
    let g_huge = up.le(ag);
    // Only sigmoid's d = y - y² gets this small (|y| < 2^-40, where
    // h = y and c is below 2^-40 of it).
    let h_tiny = h.abs().lt(small);
    let sg = V::select(g_tiny, up, V::select(g_huge, down, one));
    let sh = V::select(h_tiny, up, one);
    // The inverse scale, one exact power of two (2^-128 is a subnormal).
    let u = V::select(g_tiny, down, V::select(g_huge, up, one)) * V::select(h_tiny, down, one);
    let (gs, hs, cs) = (g * sg, h * sh, c * sh);
    let (rs, t) = product(gs, hs, cs);
    let r = rs * u;
    // Where `u < 1` and the result is subnormal, `rs * u` is a second
    // rounding: if `rs` lay exactly halfway between two subnormals, the tie
    // went to the even one, but the exact value `rs + t` is on one side.
    // `back` is `r` in the scaled domain (exact), `d = rs - back` (exact)
    // is half a subnormal ulp there at a tie.
    let back = (r * sg) * sh;
    let d = rs - back;
    let half = ((V::splat(f32::from_bits(1)) * sg) * sh) * V::splat(0.5);
    let tie = d.abs().eq(half) & u.lt(one);
    let zero = V::splat(0.0);
    let same_side = (zero.lt(t) ^ zero.lt(d)).mask_not() & t.eq(zero).mask_not();
    let ulp = d.sign() | V::splat(f32::from_bits(1));
    V::select(tie & same_side, r + ulp, r)
}

/// Step 5: the fix-ups shared by sigmoid and tanh. `r` is step 4's result,
/// `h` the derivative's high part, `plain` the formula in plain f32.
#[inline(always)]
fn fix_up<V: Lanes>(y: V, g: V, r: V, h: V, plain: V) -> V {
    let inf = V::splat(f32::INFINITY);
    let r = V::select(r.eq(V::splat(0.0)) | g.abs().eq(inf), g * h, r);
    // (NaN y fails the comparison and takes `plain`; replaced below.)
    let r = V::select(y.abs().lt(V::splat(Y_PLAIN)), r, plain);
    let r = V::select(r.is_nan(), V::splat(f32::NAN), r);
    let r = V::select(g.is_nan(), g, r);
    V::select(y.is_nan(), y, r)
}

/// Sigmoid's backward kernel: `g * y * (1 - y)` of every lane, from the
/// forward output `y` and the incoming gradient `g`. Its steps are narrated
/// at the top of `src/backward.rs`.
#[inline(always)]
pub fn sigmoid_backward_lanes<V: Lanes>(y: V, g: V) -> V {
    // Step 1.
    let (p, pe) = div::prod_pair(y, y);
    // Step 2: y - p. For y in [1/2, 2], p = y² is within a factor two of y
    // and the difference is exact (l = 0); elsewhere |y - p| >= p/2 or
    // >= y/2, so |l - pe| <= 1.5 ulp(h) <= |h|.
    let (h, l) = div::two_sum(y, -p);
    // Step 3.
    let (h, c) = div::fast_two_sum(h, l - pe);
    // Steps 4 and 5.
    finish(
        y,
        g,
        h,
        c,
        #[inline(always)]
        || g * (y * (V::splat(1.0) - y)),
    )
}

/// Tanh's backward kernel: `g * (1 - y²)` of every lane, from the forward
/// output `y` and the incoming gradient `g`. Its steps are narrated at the
/// top of `src/backward.rs`.
#[inline(always)]
pub fn tanh_backward_lanes<V: Lanes>(y: V, g: V) -> V {
    // Step 1.
    let (p, pe) = div::prod_pair(y, y);
    // Step 2: 1 - p. For p in [1/2, 2] exact (Sterbenz, l = 0); below,
    // h >= 1/2 and |l - pe| is tiny; above, |h| >= p/2.
    let (h, l) = div::two_sum(V::splat(1.0), -p);
    // Step 3.
    let (h, c) = div::fast_two_sum(h, l - pe);
    // Steps 4 and 5.
    finish(
        y,
        g,
        h,
        c,
        #[inline(always)]
        || g * (V::splat(1.0) - y * y),
    )
}

/// ReLU's backward kernel: `x > 0 ? g : +0.0` of every lane, from the
/// forward input `x`; a NaN `x` is returned as it is.
#[inline(always)]
pub fn relu_backward_lanes<V: Lanes>(x: V, g: V) -> V {
    let r = V::select(V::splat(0.0).lt(x), g, V::splat(0.0));
    V::select(x.is_nan(), x, r)
}

/// Leaky ReLU's backward kernel: `x > 0 ? g : g * slope` of every lane, from
/// the forward input `x`. A NaN `x` is returned as it is, then a NaN `g`;
/// a NaN the product makes (`inf × 0`, a NaN slope) is `f32::NAN`.
#[inline(always)]
pub fn leaky_relu_backward_lanes<V: Lanes>(x: V, g: V, slope: V) -> V {
    let r = V::select(V::splat(0.0).lt(x), g, g * slope);
    let r = V::select(r.is_nan(), V::splat(f32::NAN), r);
    let r = V::select(g.is_nan(), g, r);
    V::select(x.is_nan(), x, r)
}

/// Sigmoid backward: `grad_input[i] = grad_output[i] * y * (1 - y)` with
/// `y = output[i]`, the output of [`crate::sigmoid`] (`σ'(x) = σ(x)(1 - σ(x))`).
///
/// # Accuracy
/// At most [`crate::accuracy::SIGMOID_BACKWARD`] ULP from `g * y * (1 - y)`
/// computed exactly from the given `y` and `g` (see the [accuracy
/// table](crate::accuracy)), for every `|y| < 2^24` (every output sigmoid
/// can produce, and beyond), subnormal results included: all 2^32 `y` with
/// fixed gradients and random pairs (`examples/exhaustive_backward.rs`).
/// The error of `y` itself (the forward's) is not part of this.
///
/// # Special values
/// - `y` outside `[0, 1]` is not an error: the formula is evaluated as for
///   any other `y` (within the bound for `|y| < 2^24`; beyond that in plain
///   f32, `g * (y * (1 - y))`, which overflows to `∓inf` from `|y| = 2^64`).
/// - NaN `y` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes (`±inf × 0`: infinite `g` at `y = 0` or `1`, or
///   `g = 0` with infinite `y`) → `f32::NAN`.
/// - Infinite `g` → `±inf` (the sign of `g × y(1 - y)`) where the
///   derivative is not zero.
/// - Zeros: `y = ±0` and `y = 1` give a zero with the sign of `g`
///   (`+0 × g`); `g = ±0` gives a zero with the sign of `g × y(1 - y)`;
///   a result that underflows keeps its sign.
/// - Subnormal results are kept, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad_output.len() }`
/// when the gradient's length differs from the forward output's, else
/// `{ input: output.len(), output: grad_input.len() }` when `grad_input`'s
/// does; nothing is written then.
///
/// # Examples
/// ```
/// let x = [0.0f32, 2.0];
/// let mut y = [0.0; 2];
/// activations::sigmoid(&x, &mut y)?;
/// let mut dx = [0.0; 2];
/// activations::sigmoid_backward(&y, &[1.0, 1.0], &mut dx)?;
/// assert_eq!(dx[0], 0.25);
/// assert!((dx[1] - 0.104_993_59).abs() < 1e-7);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn sigmoid_backward(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::sigmoid_backward(output, grad_output, grad_input)
}

/// [`sigmoid_backward`] in place: every `grad[i]` becomes
/// `grad[i] * y * (1 - y)` with `y = output[i]`.
///
/// Same accuracy and special values as [`sigmoid_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [2.0f32, -4.0];
/// activations::sigmoid_backward_in_place(&[0.5, 0.75], &mut grad)?;
/// assert_eq!(grad, [0.5, -0.75]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn sigmoid_backward_in_place(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::sigmoid_backward_in_place(output, grad)
}

/// Tanh backward: `grad_input[i] = grad_output[i] * (1 - y²)` with
/// `y = output[i]`, the output of [`crate::tanh`] (`tanh'(x) = 1 - tanh²(x)`).
///
/// # Accuracy
/// At most [`crate::accuracy::TANH_BACKWARD`] ULP from `g * (1 - y²)`
/// computed exactly from the given `y` and `g` (see the [accuracy
/// table](crate::accuracy)), for every `|y| < 2^24`, subnormal results
/// included: all 2^32 `y` with fixed gradients and random pairs
/// (`examples/exhaustive_backward.rs`). The error of `y` itself is not
/// part of this.
///
/// # Special values
/// - `y` outside `[-1, 1]` is not an error: the formula is evaluated as for
///   any other `y` (within the bound for `|y| < 2^24`; beyond that in plain
///   f32, `g * (1 - y*y)`, which overflows to `∓inf` from `|y| = 2^64`).
/// - NaN `y` → that NaN (same bits); else NaN `g` → that NaN; a NaN the
///   arithmetic makes (infinite `g` at `y = ±1`, or `g = 0` with infinite
///   `y`) → `f32::NAN`.
/// - Infinite `g` → `±inf` (the sign of `g × (1 - y²)`) for `y ≠ ±1`.
/// - Zeros: `y = ±1` gives a zero with the sign of `g`; `g = ±0` gives a
///   zero with the sign of `g × (1 - y²)`; `y = ±0` gives `g` exactly.
/// - Subnormal results are kept, not flushed.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad_output.len() }`
/// when the gradient's length differs from the forward output's, else
/// `{ input: output.len(), output: grad_input.len() }` when `grad_input`'s
/// does; nothing is written then.
///
/// # Examples
/// ```
/// let mut dx = [0.0; 3];
/// activations::tanh_backward(&[0.0, 0.5, -1.0], &[3.0, 1.0, 1.0], &mut dx)?;
/// assert_eq!(dx[0], 3.0);
/// assert_eq!(dx[1], 0.75);
/// assert_eq!(dx[2], 0.0);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn tanh_backward(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::tanh_backward(output, grad_output, grad_input)
}

/// [`tanh_backward`] in place: every `grad[i]` becomes `grad[i] * (1 - y²)`
/// with `y = output[i]`.
///
/// Same accuracy and special values as [`tanh_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [1.0f32, 2.0];
/// activations::tanh_backward_in_place(&[0.5, -0.5], &mut grad)?;
/// assert_eq!(grad, [0.75, 1.5]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn tanh_backward_in_place(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::tanh_backward_in_place(output, grad)
}

/// ReLU backward: `grad_input[i] = input[i] > 0 ? grad_output[i] : +0.0`,
/// from the forward *input*.
///
/// At `x = 0` (either sign) the subgradient is 0, as in PyTorch.
///
/// # Accuracy
/// Exact (a select, no arithmetic).
///
/// # Special values
/// NaN `x` → that NaN (same bits), whatever `g`; `x > 0` (`+inf` and
/// positive subnormals included) → `g` bit for bit, NaN and infinities
/// included; `x <= 0` (`±0.0` and `-inf` included) → `+0.0`, whatever `g`
/// (also NaN or infinite: the gradient is masked, not multiplied by 0).
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad_output.len() }`
/// when the gradient's length differs from the input's, else
/// `{ input: input.len(), output: grad_input.len() }` when `grad_input`'s
/// does; nothing is written then.
///
/// # Examples
/// ```
/// let mut dx = [9.0; 4];
/// activations::relu_backward(&[-1.0, 0.0, 2.0, f32::NAN], &[5.0, 5.0, 5.0, 5.0], &mut dx)?;
/// assert_eq!(&dx[..3], &[0.0, 0.0, 5.0]);
/// assert!(dx[3].is_nan());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn relu_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::relu_backward(input, grad_output, grad_input)
}

/// [`relu_backward`] in place: every `grad[i]` becomes
/// `input[i] > 0 ? grad[i] : +0.0`.
///
/// Same special values as [`relu_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [1.0f32, 1.0];
/// activations::relu_backward_in_place(&[-3.0, 3.0], &mut grad)?;
/// assert_eq!(grad, [0.0, 1.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn relu_backward_in_place(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::relu_backward_in_place(input, grad)
}

/// Leaky ReLU backward: `grad_input[i] = x > 0 ? g : g * negative_slope`
/// with `x = input[i]`, `g = grad_output[i]`, from the forward *input*.
///
/// At `x = 0` (either sign) the derivative is taken as `negative_slope`
/// (the left derivative), as in PyTorch. (The forward [`crate::leaky_relu`]
/// passes `±0.0` through unchanged, which is the same value either way.)
///
/// # Accuracy
/// Exact: `g` is copied or the correctly rounded product `g * negative_slope` is returned.
///
/// # Special values
/// NaN `x` → that NaN; else NaN `g` → that NaN; `x > 0` → `g` bit for bit;
/// `x <= 0` (`±0.0`, `-inf` included) → `g * negative_slope` (IEEE
/// multiplication: signed zeros, infinities, subnormals as it gives them),
/// except that a NaN product (`±inf × 0`, or a NaN slope) is `f32::NAN`.
/// Any `negative_slope` is accepted and used as given, as by
/// [`crate::leaky_relu`]: negative, zero, NaN or infinite.
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
/// activations::leaky_relu_backward(&[-2.0, 0.0, 3.0], &[1.0, 1.0, 1.0], &mut dx, 0.01)?;
/// assert_eq!(dx, [0.01, 0.01, 1.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn leaky_relu_backward(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    negative_slope: f32,
) -> Result<(), Error> {
    crate::dispatch::root::leaky_relu_backward(input, grad_output, grad_input, negative_slope)
}

/// [`leaky_relu_backward`] in place: every `grad[i]` becomes
/// `input[i] > 0 ? grad[i] : grad[i] * negative_slope`.
///
/// Same special values as [`leaky_relu_backward`].
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: input.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [10.0f32, 10.0];
/// activations::leaky_relu_backward_in_place(&[-1.0, 1.0], &mut grad, 0.1)?;
/// assert_eq!(grad, [1.0, 10.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn leaky_relu_backward_in_place(
    input: &[f32],
    grad: &mut [f32],
    negative_slope: f32,
) -> Result<(), Error> {
    crate::dispatch::root::leaky_relu_backward_in_place(input, grad, negative_slope)
}

#[inline(always)]
pub(crate) fn sigmoid_slice<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    check_lengths3(output.len(), grad_output.len(), grad_input.len())?;
    map2::<V>(
        output,
        grad_output,
        grad_input,
        0.0,
        #[inline(always)]
        |y, g| sigmoid_backward_lanes(y, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn sigmoid_slice_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
) -> Result<(), Error> {
    check_lengths(output.len(), grad.len())?;
    map2_in_place::<V>(
        output,
        grad,
        0.0,
        #[inline(always)]
        |y, g| sigmoid_backward_lanes(y, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn tanh_slice<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    check_lengths3(output.len(), grad_output.len(), grad_input.len())?;
    map2::<V>(
        output,
        grad_output,
        grad_input,
        0.0,
        #[inline(always)]
        |y, g| tanh_backward_lanes(y, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn tanh_slice_in_place<V: Lanes>(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    check_lengths(output.len(), grad.len())?;
    map2_in_place::<V>(
        output,
        grad,
        0.0,
        #[inline(always)]
        |y, g| tanh_backward_lanes(y, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn relu_slice<V: Lanes>(
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
        |x, g| relu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn relu_slice_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    check_lengths(input.len(), grad.len())?;
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| relu_backward_lanes(x, g),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn leaky_slice<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    negative_slope: f32,
) -> Result<(), Error> {
    check_lengths3(input.len(), grad_output.len(), grad_input.len())?;
    let s = V::splat(negative_slope);
    map2::<V>(
        input,
        grad_output,
        grad_input,
        0.0,
        #[inline(always)]
        |x, g| leaky_relu_backward_lanes(x, g, s),
    );
    Ok(())
}

#[inline(always)]
pub(crate) fn leaky_slice_in_place<V: Lanes>(
    input: &[f32],
    grad: &mut [f32],
    negative_slope: f32,
) -> Result<(), Error> {
    check_lengths(input.len(), grad.len())?;
    let s = V::splat(negative_slope);
    map2_in_place::<V>(
        input,
        grad,
        0.0,
        #[inline(always)]
        |x, g| leaky_relu_backward_lanes(x, g, s),
    );
    Ok(())
}
