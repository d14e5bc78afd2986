//! Backward kernels of softmax and log-softmax, per row: given the forward
//! output `y` of a row and the incoming gradient `g = dL/dy`,
//! - softmax: `dx_i = y_i (g_i - D)`, `D = Σ_j g_j y_j`;
//! - log-softmax: `dx_i = g_i - e^(y_i) G`, `G = Σ_j g_j`.
//!
//! Both end in a difference that can cancel (`g_i ≈ D`, `g_i ≈ e^(y_i) G`),
//! so no ULP bound can hold for every input at the cost of a row-wide dot
//! product in f32: the error of `D` (or of `e^(y_i) G`) is at best relative
//! to `Σ |g_j y_j|`, and the difference can be arbitrarily smaller than
//! that. The bounds are therefore a ULP part plus an absolute part
//! proportional to the size of what cancels (see [`crate::accuracy`]).
//!
//! # Softmax: `y_i (g_i - D)`
//! 1. **Dot product** (pass 1). Per lane `y g = p + pe` exactly (one FMA,
//!    or Dekker's product), both added by two-sum into a per-lane Sum2
//!    accumulator, flushed into f64 every [`FLUSH`] vectors: `D`'s error is
//!    at most `2^-36 Σ|g_j y_j|` (`FLUSH² u²`, `u = 2^-24`; see
//!    log-softmax's step 2) plus `2^-52 |D|`. A `D` that is not finite (a NaN or infinite `y` or `g` in
//!    the row, or an overflow) makes the whole row NaN.
//! 2. **Difference** (pass 2). `D = D_hi + D_lo` (two f32s, 48 bits);
//!    `h + l = g - D_hi` by two-sum, then `(h, c) = two-sum(h, l - D_lo)`:
//!    `h + c` is `g - D` within `2^-47 |D|` and `2^-48 |h|` (only
//!    `l - D_lo` rounds), and `|c| <= ulp(h)/2`. Where `g_i` and `D` cancel
//!    (Sterbenz), `h` is exact and the error is `D`'s own.
//! 3. **Product**, rounded once: `fma(y, h, y c)` (without FMA, `y h` as
//!    Dekker's exact pair `p + e`, then `p + (e + y c)`): within
//!    `0.5 + 2^-22` ULP of `y (h + c)` while the products stay in the normal
//!    range (`y c` is `2^-24` of the result; below `2^-126` its rounding
//!    onto the subnormal grid, and Dekker's error terms below `2^-100`,
//!    cost up to a few `2^-149` absolute).
//!
//! So `|dx_i - r_i| <= 0.5 ulp(r_i) + |y_i| (2^-35.9 Σ_j|g_j y_j|) + 2^-147`
//! about, plus `2^-147 n |y_i|`: a product `y_j g_j` below `2^-126` (or,
//! without FMA, below `2^-100`, Dekker's partial products) loses up to a
//! few `2^-150` to underflow in `D`; against `r_i = y_i (g_i - D)` in exact
//! arithmetic on the given f32 inputs.
//!
//! # Log-softmax: `g_i - e^(y_i) G`
//! 1. **Sum** (pass 1): `G = Σ g_j` by the same Sum2 accumulator, in f64;
//!    a `G` that is not finite makes the row NaN.
//! 2. **Exponential** (pass 2): `e^y = 2^n (1 + q)` as a pair, by
//!    log-softmax's reduction ([`exp::reduce_precise_normalised`], about `2^-29`
//!    relative), `2^n` split for `n < -100` as in the forward kernels.
//! 3. **Product**: `e G = P + Pe` with `e_hi G_hi` exact (FMA or Dekker)
//!    and `e_hi G_lo + e_lo G_hi` in the low part: `2^-48` relative
//!    beyond the exponential's error. (Without FMA, Dekker's split
//!    overflows for a factor beyond `2^115`, `e^y` for `y > 80` or a huge
//!    `G`: its error term is dropped there, up to half an ulp of `P` more.)
//! 4. **Difference**, rounded once: `h + l = g - P` by two-sum, then
//!    `h + (l - Pe)`.
//!
//! So `|dx_i - r_i| <= 0.5 ulp(r_i) + ε e^(y_i) Σ_j |g_j| + 2^-147`
//! about, with `ε` the exponential's error (measured up to `2^-29.1`),
//! against `r_i = g_i - e^(y_i) G` in exact arithmetic. Entries with
//! `y = -inf` (masked) or `y < -125` give `g` exactly.
//!
//! The constants of the bounds are [`crate::accuracy::SOFTMAX_BACKWARD`]
//! (ULP) and [`crate::accuracy::SOFTMAX_BACKWARD_ABS`] (the factor of the
//! absolute part), and the same for log-softmax; the tests measure them on
//! random rows (`tests/softmax_backward.rs`).

use crate::approx::{div, exp};
use crate::error::{check_lengths, check_lengths3, check_rows, Error};
use crate::lanes::{map2, map2_in_place, Lanes};
use crate::log_softmax::{Sum2, FLUSH};
use crate::softmax::split;

/// Log-softmax backward: `e^y` below `2^-180` (`y < -125`, `-inf`
/// included) is taken as 0, so the result is `g`.
const Y_MIN: f32 = -125.0;
/// Log-softmax backward: above this `e^y` is taken as `+inf` (`e^88` is
/// within a factor 1.7 of `f32::MAX`; no log-softmax output is above 0).
const Y_MAX: f32 = 88.0;

/// Pass 1 of softmax backward: `Σ y_j g_j` in f64 (the lanes flushed
/// every [`FLUSH`] vectors, as in log-softmax).
#[inline(always)]
fn dot<V: Lanes>(y: &[f32], g: &[f32]) -> f64 {
    let mut total = 0.0f64;
    let mut gs = g.chunks(V::LANES * FLUSH);
    for yb in y.chunks(V::LANES * FLUSH) {
        let Some(gb) = gs.next() else {
            break;
        };
        let mut acc = Sum2::<V>::new();
        let mut gv = gb.chunks(V::LANES);
        for ya in yb.chunks(V::LANES) {
            if let Some(ga) = gv.next() {
                let (p, pe) = div::prod_pair(V::load_or(ya, 0.0), V::load_or(ga, 0.0));
                // A NaN error term with a finite product: Dekker's split
                // overflowed (a factor beyond 2^115, no FMA); drop it. (A
                // NaN or infinite product makes the row NaN through `p`.)
                acc.add(p, V::select(pe.is_nan(), V::splat(0.0), pe));
            }
        }
        total += acc.total();
    }
    total
}

/// Pass 1 of log-softmax backward: `Σ g_j` in f64.
#[inline(always)]
fn sum<V: Lanes>(g: &[f32]) -> f64 {
    let zero = V::splat(0.0);
    let mut total = 0.0f64;
    for gb in g.chunks(V::LANES * FLUSH) {
        let mut acc = Sum2::<V>::new();
        for ga in gb.chunks(V::LANES) {
            acc.add(V::load_or(ga, 0.0), zero);
        }
        total += acc.total();
    }
    total
}

/// Whether a row's sum is usable: finite and within the f32 range (beyond
/// it, its f32 split would be infinite; such a row is NaN, as an overflow).
#[inline(always)]
fn in_range(s: f64) -> bool {
    s.abs() <= f64::from(f32::MAX)
}

/// Softmax's backward kernel on one vector: `y (g - D)` with
/// `-D = neg_d_hi + neg_d_lo` (pass 2, steps 2-3 of the module docs). `y`
/// and `g` are finite (pass 1 has ruled out the rest).
#[inline(always)]
pub fn softmax_backward_lanes<V: Lanes>(y: V, g: V, neg_d_hi: V, neg_d_lo: V) -> V {
    // Step 2.
    let (h, l) = div::two_sum(g, neg_d_hi);
    let (h, c) = div::two_sum(h, l + neg_d_lo);
    // Step 3.
    let r = if V::FUSED {
        y.mul_add(h, y * c)
    } else {
        let (p, e) = div::two_prod(y, h);
        p + (e + y * c)
    };
    // Dekker's split overflows for factors beyond 2^115 (NaN): the plain
    // product there (finite inputs, so any NaN comes from it).
    let r = V::select(r.is_nan(), y * (h + c), r);
    // `g - D` overflowing (both near f32::MAX): `y` times that infinity.
    V::select(h.abs().eq(V::splat(f32::INFINITY)), y * h, r)
}

/// Log-softmax's backward kernel on one vector: `g - e^y G` with
/// `G = g_hi + g_lo` (pass 2, steps 2-4 of the module docs).
#[inline(always)]
pub fn log_softmax_backward_lanes<V: Lanes>(y: V, g: V, g_hi: V, g_lo: V) -> V {
    let zero = V::splat(0.0);
    let low = y.lt(V::splat(Y_MIN));
    let high = V::splat(Y_MAX).lt(y);
    let nan = y.is_nan();
    let yc = V::select(low | high | nan, zero, y);
    // Steps 2 and 3.
    let (n, q_hi, q_lo) = exp::reduce_precise_normalised(yc, zero);
    let (p, pe, rest) = exp::with_scale(
        n,
        #[inline(always)]
        |s1, s2| {
            let (e_hi, e_lo) = exp::one_plus_q_pair(s1, q_hi, q_lo);
            let (p, pe) = div::prod_pair(e_hi, g_hi);
            let rest = e_hi.mul_add(g_lo, e_lo * g_hi);
            (p * s2, pe * s2, rest * s2)
        },
    );
    // Step 4.
    let (h, l) = div::two_sum(g, -p);
    let r = h + (l - (pe + rest));
    // Without FMA, Dekker's split overflows for a factor beyond 2^115
    // (`e^y` for y > 80, or a huge `G`) and its error term is NaN: the
    // result without it (up to half an ulp of the product more).
    let r = V::select(r.is_nan(), h + (l - rest), r);
    // A product `e^y G` that overflows: the infinity of `g - P`.
    let r = V::select(p.abs().eq(V::splat(f32::INFINITY)), g - p, r);
    let r = V::select(low, g, r);
    let r = V::select(high, g - V::splat(f32::INFINITY) * g_hi, r);
    let r = V::select(r.is_nan(), V::splat(f32::NAN), r);
    V::select(nan, y, r)
}

/// One softmax-backward row (lengths equal, at least 1), written to `out`.
#[inline(always)]
fn softmax_row<V: Lanes>(y: &[f32], g: &[f32], out: &mut [f32]) {
    let d = dot::<V>(y, g);
    if !in_range(d) {
        return out.fill(f32::NAN);
    }
    let (d_hi, d_lo) = split(d);
    let (nh, nl) = (V::splat(-d_hi), V::splat(-d_lo));
    map2::<V>(
        y,
        g,
        out,
        0.0,
        #[inline(always)]
        |y, g| softmax_backward_lanes(y, g, nh, nl),
    );
}

/// One softmax-backward row in place (over `g`).
#[inline(always)]
fn softmax_row_in_place<V: Lanes>(y: &[f32], g: &mut [f32]) {
    let d = dot::<V>(y, g);
    if !in_range(d) {
        return g.fill(f32::NAN);
    }
    let (d_hi, d_lo) = split(d);
    let (nh, nl) = (V::splat(-d_hi), V::splat(-d_lo));
    map2_in_place::<V>(
        y,
        g,
        0.0,
        #[inline(always)]
        |y, g| softmax_backward_lanes(y, g, nh, nl),
    );
}

/// One log-softmax-backward row, written to `out`.
#[inline(always)]
fn log_softmax_row<V: Lanes>(y: &[f32], g: &[f32], out: &mut [f32]) {
    let s = sum::<V>(g);
    if !in_range(s) {
        return out.fill(f32::NAN);
    }
    let (s_hi, s_lo) = split(s);
    let (sh, sl) = (V::splat(s_hi), V::splat(s_lo));
    map2::<V>(
        y,
        g,
        out,
        0.0,
        #[inline(always)]
        |y, g| log_softmax_backward_lanes(y, g, sh, sl),
    );
}

/// One log-softmax-backward row in place (over `g`).
#[inline(always)]
fn log_softmax_row_in_place<V: Lanes>(y: &[f32], g: &mut [f32]) {
    let s = sum::<V>(g);
    if !in_range(s) {
        return g.fill(f32::NAN);
    }
    let (s_hi, s_lo) = split(s);
    let (sh, sl) = (V::splat(s_hi), V::splat(s_lo));
    map2_in_place::<V>(
        y,
        g,
        0.0,
        #[inline(always)]
        |y, g| log_softmax_backward_lanes(y, g, sh, sl),
    );
}

/// Softmax backward of one row: `grad_input[i] = y_i (g_i - Σ_j g_j y_j)`
/// with `y = output` (the output of [`crate::softmax`]) and
/// `g = grad_output`, the whole slice as one row.
///
/// # Accuracy
/// Against `r_i = y_i (g_i - Σ_j g_j y_j)` computed exactly from the given
/// `y` and `g` (the forward's own error is not part of it):
/// `|dx_i - r_i| <= B ulp(r_i) + A |y_i| Σ_j |g_j y_j| + 2^-147 (1 + n |y_i|)`
/// (`n` the row length: the products of the dot product that underflow) with
/// `B =` [`crate::accuracy::SOFTMAX_BACKWARD`] and
/// `A =` [`crate::accuracy::SOFTMAX_BACKWARD_ABS`]. The absolute part is
/// there because `g_i - Σ_j g_j y_j` can cancel to any size: it is the
/// error of the dot product, computed to 36 bits or more (compensated,
/// in f64), which no ULP bound on the difference can absorb. Where nothing
/// cancels, the result is within about half an ulp. Without FMA, for rows
/// whose `|y|`, `|g|` and `|Σ g y|` are below `2^100` (Dekker's products).
///
/// # Special values
/// - A row whose `Σ g_j y_j` is not finite (any NaN or infinite `y` or
///   `g`, or an overflow, also beyond the f32 range) becomes all NaN
///   (`f32::NAN`), as softmax's NaN rows do.
/// - `y_i = 0` (a masked entry of the forward) gives a zero.
/// - An empty row is a no-op.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad_output.len() }`
/// when the gradient's length differs from the forward output's, else
/// `{ input: output.len(), output: grad_input.len() }`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::softmax(&[1.0, 2.0, 3.0], &mut y)?;
/// let mut dx = [0.0; 3];
/// // The gradient of L = y_2: dx = y_2 (e_2 - y).
/// activations::softmax_backward(&y, &[0.0, 0.0, 1.0], &mut dx)?;
/// assert!((dx[2] - y[2] * (1.0 - y[2])).abs() < 1e-7);
/// assert!((dx[0] + y[0] * y[2]).abs() < 1e-7);
/// // A constant gradient has no effect on softmax.
/// activations::softmax_backward(&y, &[5.0; 3], &mut dx)?;
/// assert!(dx.iter().all(|d| d.abs() < 1e-6));
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn softmax_backward(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::softmax_backward(output, grad_output, grad_input)
}

/// [`softmax_backward`] in place: `grad` becomes `y ⊙ (grad - <grad, y>)`.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [1.0f32, 0.0];
/// activations::softmax_backward_in_place(&[0.5, 0.5], &mut grad)?;
/// assert_eq!(grad, [0.25, -0.25]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn softmax_backward_in_place(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::softmax_backward_in_place(output, grad)
}

/// [`softmax_backward`] of each row of a row-major batch (the layout of
/// [`crate::softmax_rows`]): rows of `row_len` elements, each on its own
/// (the same bits as [`softmax_backward`] of that row).
///
/// # Errors
/// - [`Error::LengthMismatch`] as [`softmax_backward`];
/// - [`Error::InvalidRowLength`] when `row_len` is 0 or does not divide `output.len()`.
///
/// Nothing is written when an error is returned.
///
/// # Examples
/// ```
/// let y = [0.5, 0.5, 1.0, 0.0];
/// let mut dx = [0.0; 4];
/// activations::softmax_backward_rows(&y, &[1.0, 0.0, 3.0, 3.0], &mut dx, 2)?;
/// assert_eq!(dx, [0.25, -0.25, 0.0, 0.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn softmax_backward_rows(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    crate::dispatch::root::softmax_backward_rows(output, grad_output, grad_input, row_len)
}

/// [`softmax_backward_rows`] in place (over `grad`).
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad.len() }`,
/// else [`Error::InvalidRowLength`]; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [1.0f32, 0.0, 2.0, 2.0];
/// activations::softmax_backward_rows_in_place(&[0.5; 4], &mut grad, 2)?;
/// assert_eq!(grad, [0.25, -0.25, 0.0, 0.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn softmax_backward_rows_in_place(
    output: &[f32],
    grad: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    crate::dispatch::root::softmax_backward_rows_in_place(output, grad, row_len)
}

/// Log-softmax backward of one row: `grad_input[i] = g_i - e^(y_i) Σ_j g_j`
/// with `y = output` (the output of [`crate::log_softmax`]) and
/// `g = grad_output`, the whole slice as one row.
///
/// # Accuracy
/// Against `r_i = g_i - e^(y_i) Σ_j g_j` computed exactly from the given
/// `y` and `g`: `|dx_i - r_i| <= B ulp(r_i) + A e^(y_i) Σ_j |g_j| + 2^-147`
/// with `B =` [`crate::accuracy::LOG_SOFTMAX_BACKWARD`] and
/// `A =` [`crate::accuracy::LOG_SOFTMAX_BACKWARD_ABS`]: the difference can
/// cancel, and `e^(y_i)` is computed to about 28 bits (the absolute part).
/// Where nothing cancels, the result is within about half an ulp. Without
/// FMA, for `y <= 80` and `|Σ g|` below `2^100` (Dekker's product; beyond,
/// up to half an ulp of `e^y Σ g` more).
///
/// # Special values
/// - A row whose `Σ_j g_j` is not finite (a NaN or infinite `g`, or an
///   overflow, also beyond the f32 range) becomes all NaN (`f32::NAN`).
/// - `y_i = -inf` (a masked entry: `e^y = 0`), and any `y_i < -125`,
///   gives `g_i` exactly; a fully masked row gives `g`.
/// - NaN `y_i` gives that NaN at `i` only.
/// - `y_i > 88` (never a log-softmax output, which is `<= 0`) is taken as
///   `e^(y_i) = +inf`: `∓inf` by the sign of `Σ g`, NaN where `Σ g = 0`.
/// - An empty row is a no-op.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad_output.len() }`
/// when the gradient's length differs from the forward output's, else
/// `{ input: output.len(), output: grad_input.len() }`; nothing is written then.
///
/// # Examples
/// ```
/// // The gradient of the negative log-likelihood of class 1: softmax - one-hot.
/// let mut y = [0.0; 3];
/// activations::log_softmax(&[1.0, 2.0, 3.0], &mut y)?;
/// let mut dx = [0.0; 3];
/// activations::log_softmax_backward(&y, &[0.0, -1.0, 0.0], &mut dx)?;
/// let mut p = [0.0; 3];
/// activations::softmax(&[1.0, 2.0, 3.0], &mut p)?;
/// assert!((dx[0] - p[0]).abs() < 1e-7 && (dx[1] - (p[1] - 1.0)).abs() < 1e-7);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn log_softmax_backward(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    crate::dispatch::root::log_softmax_backward(output, grad_output, grad_input)
}

/// [`log_softmax_backward`] in place: `grad` becomes `grad - e^y Σ grad`.
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad.len() }`
/// when the lengths differ; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [1.0f32, 1.0];
/// activations::log_softmax_backward_in_place(&[0.0, f32::NEG_INFINITY], &mut grad)?;
/// assert_eq!(grad, [-1.0, 1.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn log_softmax_backward_in_place(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::log_softmax_backward_in_place(output, grad)
}

/// [`log_softmax_backward`] of each row of a row-major batch (the layout of
/// [`crate::log_softmax_rows`]), each row on its own (the same bits as
/// [`log_softmax_backward`] of that row).
///
/// # Errors
/// - [`Error::LengthMismatch`] as [`log_softmax_backward`];
/// - [`Error::InvalidRowLength`] when `row_len` is 0 or does not divide `output.len()`.
///
/// Nothing is written when an error is returned.
///
/// # Examples
/// ```
/// let y = [0.0, f32::NEG_INFINITY];
/// let mut dx = [0.0; 2];
/// activations::log_softmax_backward_rows(&y, &[2.0, 3.0], &mut dx, 1)?;
/// assert_eq!(dx, [0.0, 3.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn log_softmax_backward_rows(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    crate::dispatch::root::log_softmax_backward_rows(output, grad_output, grad_input, row_len)
}

/// [`log_softmax_backward_rows`] in place (over `grad`).
///
/// # Errors
/// [`Error::LengthMismatch`] `{ input: output.len(), output: grad.len() }`,
/// else [`Error::InvalidRowLength`]; `grad` is left unchanged then.
///
/// # Examples
/// ```
/// let mut grad = [2.0f32, 3.0];
/// activations::log_softmax_backward_rows_in_place(&[0.0, 0.0], &mut grad, 1)?;
/// assert_eq!(grad, [0.0, 0.0]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn log_softmax_backward_rows_in_place(
    output: &[f32],
    grad: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    crate::dispatch::root::log_softmax_backward_rows_in_place(output, grad, row_len)
}

#[inline(always)]
pub(crate) fn softmax_slice<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    check_lengths3(output.len(), grad_output.len(), grad_input.len())?;
    if !output.is_empty() {
        softmax_row::<V>(output, grad_output, grad_input);
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn softmax_slice_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
) -> Result<(), Error> {
    check_lengths(output.len(), grad.len())?;
    if !output.is_empty() {
        softmax_row_in_place::<V>(output, grad);
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn softmax_rows<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    check_lengths3(output.len(), grad_output.len(), grad_input.len())?;
    check_rows(output.len(), row_len)?;
    // Not `zip` (see softmax's `rows`).
    let mut gs = grad_output.chunks_exact(row_len);
    let mut out = grad_input.chunks_exact_mut(row_len);
    for y in output.chunks_exact(row_len) {
        if let (Some(g), Some(o)) = (gs.next(), out.next()) {
            softmax_row::<V>(y, g, o);
        }
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn softmax_rows_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    check_lengths(output.len(), grad.len())?;
    check_rows(output.len(), row_len)?;
    let mut gs = grad.chunks_exact_mut(row_len);
    for y in output.chunks_exact(row_len) {
        if let Some(g) = gs.next() {
            softmax_row_in_place::<V>(y, g);
        }
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn log_softmax_slice<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    check_lengths3(output.len(), grad_output.len(), grad_input.len())?;
    if !output.is_empty() {
        log_softmax_row::<V>(output, grad_output, grad_input);
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn log_softmax_slice_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
) -> Result<(), Error> {
    check_lengths(output.len(), grad.len())?;
    if !output.is_empty() {
        log_softmax_row_in_place::<V>(output, grad);
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn log_softmax_rows<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    check_lengths3(output.len(), grad_output.len(), grad_input.len())?;
    check_rows(output.len(), row_len)?;
    let mut gs = grad_output.chunks_exact(row_len);
    let mut out = grad_input.chunks_exact_mut(row_len);
    for y in output.chunks_exact(row_len) {
        if let (Some(g), Some(o)) = (gs.next(), out.next()) {
            log_softmax_row::<V>(y, g, o);
        }
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn log_softmax_rows_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    check_lengths(output.len(), grad.len())?;
    check_rows(output.len(), row_len)?;
    let mut gs = grad.chunks_exact_mut(row_len);
    for y in output.chunks_exact(row_len) {
        if let Some(g) = gs.next() {
            log_softmax_row_in_place::<V>(y, g);
        }
    }
    Ok(())
}
