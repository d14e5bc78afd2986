//! Log-softmax of a row, `y_i = x_i - max - ln Σ_j e^(x_j - max)`, and of a
//! row-major batch of rows: computed as such, not as `ln(softmax(x))`
//! (which loses everything below `2^-149` and rounds twice).
//!
//! Algorithm, per row (three passes, no stores before the last):
//! 1. **Max.** Softmax's pass 1 ([`row_kind`]): the running maximum `M`
//!    that skips NaN, and a NaN mask. Rows with a NaN or a `+inf` become all
//!    NaN, rows whose maximum is `-inf` (fully masked) all `-inf`.
//! 2. **Sum.** `S = K + T`: `K` counts the entries equal to `M` (each
//!    contributes `e^0 = 1` exactly, counted apart so that the 1s are never
//!    rounded into the small terms: when every other entry is far below the
//!    maximum, `T` is tiny and `ln S ≈ T` is what the maximal entries'
//!    outputs are made of), `T = Σ e^(x_j - M)` over the others:
//!    - `x - M = hi + lo` exactly (Fast2Sum with `min(x, -M)` first,
//!      [`div::two_sum_nonpos`]), as in softmax;
//!    - `e^(hi + lo) = 2^n (1 + q)` by [`exp::reduce_precise_normalised`], which keeps
//!      the rounding of the reduced argument and uses the finer `expm1`
//!      polynomial: within about `2^-29` relative (measured `2^-29.1` at worst);
//!    - `2^n (1 + q)` as an exact pair `e_hi + e_lo`
//!      ([`exp::one_plus_q_pair`]): it is never rounded to one f32;
//!    - per lane, `e_hi` is added by two-sum (Sum2 of Ogita, Rump and
//!      Oishi: the rounding error of every addition is kept) and `e_lo` and
//!      those errors are summed in a second f32 accumulator; every
//!      [`FLUSH`] vectors the lanes are added into an f64 total, which
//!      bounds the accumulation's error by `2^-36` of the sum. Terms below `2^-100` (`n < -100`) go to a third
//!      pair of accumulators scaled by `2^64`, so that a row whose `T` is
//!      made only of such terms still has it to 24 bits and more (the
//!      branch is taken only by vectors that have such a lane). Entries
//!      below `M - 125` (`e < 2^-180`) and `-inf` entries add nothing.
//! 3. **Log and subtract.** `L = ln S = log1p((K - 1) + T)` in f64
//!    (`libm::log1p`: for the usual `K = 1` the argument is `T` itself, with
//!    no rounding into 1), split into two f32s `L_hi + L_lo` (48 bits).
//!    Then every output is `(hi + lo) - (L_hi + L_lo)`: `s + e = hi - L_hi`
//!    by [`div::two_sum_nonpos`] (`hi <= 0 <= L_hi`) and
//!    `y = s + ((lo - L_lo) + e)`, rounded once at the end.
//!    There is no cancellation: `hi <= 0 <= L_hi`, so `|s| >= |hi|, L_hi`
//!    and the three small terms are each below about `ulp(s)`.
//!
//! # Error
//! Let `δ` be the relative error of the computed `S`. The outputs' error
//! before the last rounding is `|Δy| <= δ S / S'` with `δ S` coming only
//! from `T` (the count is exact): `|Δy| <= ε T / S` for `ε` the relative
//! error of the summed terms. Since `T / S = 1 - K/S <= 1 - 1/S <= ln S`
//! and `|y| >= ln S` for every output, `|Δy| <= ε |y|`, i.e. at most
//! `ε 2^24` ULP (an ulp of `y` is at least `2^-24 |y|`). With `ε` about
//! `2^-29.1` (the exponential, measured through log-softmax's backward
//! kernel, which uses it alone; the accumulation's `2^-36`; f64's `2^-52`)
//! that is `2^-5.1` ULP (the exponential's pair is renormalised, so the
//! accumulator's compensation stays below `2^-23` of its sum and the
//! `2^-36` holds), plus `2^-22` ULP for the small terms of step 3, plus the
//! last rounding's half ulp: about 0.53 ULP, in
//! both columns (the arithmetic that reaches the result has no multiply-add
//! whose fusing matters beyond the exponential's own error).
//! Results in the subnormal range (the maximal entries of a row whose `T`
//! is below `2^-126`) are `-L_hi` exactly, `L_hi` being `L` correctly
//! rounded from f64. [`crate::accuracy::LOG_SOFTMAX`] states the tested
//! bound, measured over random rows (README.md has the maxima).
//!
//! **Long rows** (at least [`BLOCKED_MIN`] elements) are done in softmax's
//! blocks: passes 1 and 2 per block (the block read twice while in cache),
//! each block's `(m_b, K_b, T_b)` kept; then `M = max m_b`,
//! `K = Σ K_b` over the blocks with `m_b = M`, and
//! `T = Σ T_b + Σ (K_b + T_b) e^(m_b - M)` over the others (f64,
//! `libm::exp`), and pass 3 over the whole row: the input is read from
//! memory twice rather than three times. A row shorter than that is one
//! block (same bits).
//!
//! The tails go through the same vector code: padded with `-inf` in pass 2
//! (adds nothing), `0.0` in pass 3 (not stored). So a row's bits do not
//! depend on where it sits in a batch, nor on the slice length.

use crate::approx::{div, exp};
use crate::error::{check_lengths, check_rows, Error};
use crate::lanes::{map, map_in_place, pairwise, Lanes, COMPACT};
use crate::softmax::{block_len, row_kind, short, split, RowKind, BLOCKED_MIN, MAX_BLOCKS};

/// `x - M` below this gives `e^(x - M) < 2^-180`: even `2^26` such terms
/// stay below `2^-154`, under half the smallest subnormal `2^-149` of the
/// output they could reach (`y = -ln S ≈ -T` of the maximal entries), and
/// `n >= -181` stays inside [`exp::scale_factors`]' range.
const D_MIN: f32 = -125.0;
/// Step 2: lanes with `n` below this (terms below `2^-100`) are summed
/// scaled by `2^64` (the split of [`exp::scale_factors`]).
const DEEP_N: f32 = -100.0;
/// Step 3: below `2^-88`, `ln S` is used as one f32 (see [`constants`]);
/// from here on its low part `L_lo`, at most `2^-24 L`, is normal.
const L_SPLIT_MIN: f64 = 3.231_174_267_785_264e-27; // 2^-88
/// `2^-64`, undoing the deep accumulator's scale in f64.
const TWO_POW_M64: f64 = 5.421_010_862_427_522e-20;

/// Per-lane Sum2 accumulator: `sum + comp` is the sum, the rounding error of
/// every addition to `sum` (exact, by two-sum) added into `comp`.
pub(crate) struct Sum2<V> {
    sum: V,
    comp: V,
}

impl<V: Lanes> Sum2<V> {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        Sum2 {
            sum: V::splat(0.0),
            comp: V::splat(0.0),
        }
    }
    /// Adds `hi + lo` (`lo` a small correction, or 0).
    #[inline(always)]
    pub(crate) fn add(&mut self, hi: V, lo: V) {
        let (s, e) = div::two_sum(self.sum, hi);
        self.sum = s;
        self.comp = self.comp + (e + lo);
    }
    /// Sum of all lanes, compensation included, in f64 (pairwise, depth 4).
    #[inline(always)]
    pub(crate) fn total(&self) -> f64 {
        self.sum.reduce_sum_f64(self.comp)
    }
}

/// Sum of the lanes of `v` in f64 (the counts of step 2: exact). Once per
/// block, through an array: `Lanes::reduce_sum_f64` of `v` and zeros would
/// convert and add 16 more values, which without an FPU for f64 (Cortex-M4F)
/// cost 584 bytes of flash.
#[inline(always)]
fn lanes_total<V: Lanes>(v: V) -> f64 {
    let mut a = [0.0f32; 16];
    v.to_lanes(&mut a);
    pairwise(a.map(f64::from), |a, b| a + b)
}

/// One block's statistics: its maximum `m_b`, the count `K_b` of entries
/// equal to it, and `T_b`, the sum of `e^(x - m_b)` over the others.
#[derive(Clone, Copy)]
struct Block {
    max: f32,
    count: f64,
    tail: f64,
}

impl Block {
    /// A fully masked block: adds nothing.
    const MASKED: Block = Block {
        max: f32::NEG_INFINITY,
        count: 0.0,
        tail: 0.0,
    };
}

/// Step 2: vectors summed by one [`Sum2`] before its lanes are flushed
/// into f64. Within a group the accumulator's error is at most
/// `FLUSH² u²` (`2^-36`) of the sum of the terms' magnitudes: every
/// two-sum error is below `u` times the running sum, the compensation below
/// `FLUSH u` times it, and each of its `FLUSH` additions rounds by `u` of
/// that. Unflushed, the same argument gives `2^-20` for `2^14` additions per
/// lane, and rows of near-equal terms come close to it.
pub(crate) const FLUSH: usize = 64;

/// Pass 2 over `xb` (no NaN, no `+inf`, finite maximum `max`): `(K, T)`.
#[inline(always)]
fn block_sums<V: Lanes>(xb: &[f32], max: f32) -> Block {
    let m = V::splat(max);
    let neg_m = -m;
    let zero = V::splat(0.0);
    let one = V::splat(1.0);
    let (mut count, mut tail) = (0.0f64, 0.0f64);
    for group in xb.chunks(V::LANES * FLUSH) {
        let mut acc = Sum2::<V>::new();
        let mut deep_acc = Sum2::<V>::new();
        let mut k = zero;
        for c in group.chunks(V::LANES) {
            let x = V::load_or(c, f32::NEG_INFINITY);
            let (hi, lo) = div::two_sum_nonpos(x, neg_m);
            // `-inf` entries (hi = -inf, lo = NaN) and entries far below the
            // maximum add nothing; they are computed as e^0 and dropped.
            let gone = hi.lt(V::splat(D_MIN));
            let top = x.eq(m);
            let lost = gone | top;
            let (hi, lo) = (V::select(gone, zero, hi), V::select(gone, zero, lo));
            k = k + (top & one);
            let (n, q_hi, q_lo) = exp::reduce_precise_normalised(hi, lo);
            let deep = n.lt(V::splat(DEEP_N));
            // Bare-metal targets (`COMPACT`) always take the general path:
            // the same bits, one copy of the loop body (firmware size).
            if COMPACT || V::any(deep) {
                // s1 = 2^(n + 64) on the deep lanes (never lost: n = 0 there).
                let (s1, _) = exp::scale_factors(n);
                let (e_hi, e_lo) = exp::one_plus_q_pair(s1, q_hi, q_lo);
                let skip = lost | deep;
                acc.add(V::select(skip, zero, e_hi), V::select(skip, zero, e_lo));
                deep_acc.add(V::select(deep, e_hi, zero), V::select(deep, e_lo, zero));
            } else {
                let (e_hi, e_lo) = exp::one_plus_q_pair(n.pow2i(), q_hi, q_lo);
                acc.add(V::select(lost, zero, e_hi), V::select(lost, zero, e_lo));
            }
        }
        count += lanes_total(k);
        tail += acc.total() + deep_acc.total() * TWO_POW_M64;
    }
    Block { max, count, tail }
}

/// `(M, ln S)` of a row from its blocks' statistics (at least one block
/// has a finite maximum).
#[inline(always)]
fn log_sum(blocks: &[Block]) -> (f32, f64) {
    let m = blocks
        .iter()
        .fold(f32::NEG_INFINITY, |a, b| if a < b.max { b.max } else { a });
    let (mut k, mut t) = (0.0f64, 0.0f64);
    for b in blocks {
        if b.max == m {
            k += b.count;
            t += b.tail;
        } else if b.max != f32::NEG_INFINITY {
            t += (b.count + b.tail) * libm::exp(f64::from(b.max) - f64::from(m));
        }
    }
    (m, libm::log1p((k - 1.0) + t))
}

/// What pass 3 does with a row.
enum RowStats {
    /// Finite maximum `M` and `ln S`.
    Finite(f32, f64),
    /// A NaN or `+inf` in the row: all NaN.
    Nan,
    /// Every entry `-inf`: all `-inf`.
    Masked,
}

/// Passes 1 and 2 of a row (length at least 1), per block for long rows.
#[inline(always)]
fn row_stats<V: Lanes>(row: &[f32]) -> RowStats {
    if !COMPACT && row.len() < BLOCKED_MIN {
        // One block, without the per-block bookkeeping (same bits).
        return match row_kind::<V>(row) {
            RowKind::Nan => RowStats::Nan,
            RowKind::Masked => RowStats::Masked,
            RowKind::Finite(m) => {
                let (m, l) = log_sum(&[block_sums::<V>(row, m)]);
                RowStats::Finite(m, l)
            }
        };
    }
    let block = block_len(row.len());
    let mut blocks = [Block::MASKED; MAX_BLOCKS];
    let mut used = 0;
    // Not `zip` (see softmax's `row`).
    for (k, xb) in row.chunks(block).enumerate() {
        let Some(b) = blocks.get_mut(k) else {
            break;
        };
        match row_kind::<V>(xb) {
            RowKind::Nan => return RowStats::Nan,
            RowKind::Masked => {}
            RowKind::Finite(m) => *b = block_sums::<V>(xb, m),
        }
        used += 1;
    }
    let blocks = blocks.get(..used).unwrap_or(&blocks);
    if blocks.iter().all(|b| b.max == f32::NEG_INFINITY) {
        return RowStats::Masked;
    }
    let (m, l) = log_sum(blocks);
    RowStats::Finite(m, l)
}

/// Step 3 on one vector: `(x - M) - (L_hi + L_lo)` rounded once, from
/// `neg_m = -M` and `neg_l_hi = -L_hi`. `x = -inf` (and an `x - M` that
/// overflows) gives `-inf`.
#[inline(always)]
fn minus_log<V: Lanes>(x: V, neg_m: V, neg_l_hi: V, l_lo: V) -> V {
    // Both sums are at most zero (`x <= M`; `hi <= 0 <= L_hi`).
    let (hi, lo) = div::two_sum_nonpos(x, neg_m);
    let (s, e) = div::two_sum_nonpos(hi, neg_l_hi);
    let y = s + ((lo - l_lo) + e);
    // `s` where it is infinite (`x = -inf`, or `x - M` overflowing: the
    // pairs' low parts are then NaN or infinite). Fast2Sum with the larger
    // operand first never overflows inside for a finite `s` (`s - big` is
    // about `small`); Knuth's two-sum, used here before, did when `|x - M|`
    // was within half an ulp of `f32::MAX` (`(x - M) - x` rounded to
    // `-inf`, giving a NaN `y`; the fuzzer found it, and
    // `tests/log_softmax.rs` keeps such rows).
    V::select(s.abs().eq(V::splat(f32::INFINITY)), s, y)
}

/// Step 3 as splatted constants.
#[inline(always)]
fn constants<V: Lanes>(m: f32, l: f64) -> (V, V, V) {
    // A tiny `L` (below 2^-88) is `L_hi` alone: its low part would be
    // rounded onto the subnormal grid, and `-L_hi - L_lo` then rounded a
    // second time (measured: 0.67 ULP for the maximal entry of a row 90
    // above the rest). `L_hi` is `L` correctly rounded, which is what the
    // maximal entries need; every other entry is then at least 61 below
    // the maximum, where `L_lo < 2^-112` is far below half an ulp.
    let (l_hi, l_lo) = if l < L_SPLIT_MIN {
        (l as f32, 0.0)
    } else {
        split(l)
    };
    (V::splat(-m), V::splat(-l_hi), V::splat(l_lo))
}

/// One row, out of place (lengths equal, at least 1). A row of at most 8
/// elements runs on 8 lanes where `V` has 16 (`V::Half`): the same bits
/// (the steps are lane-wise, and the totals' trees add `+0.0` for the
/// `-inf` padding), half the work per instruction.
#[inline(always)]
fn row<V: Lanes>(input: &[f32], output: &mut [f32]) {
    if !COMPACT && short::<V>(input.len()) {
        row_at::<V::Half>(input, output)
    } else {
        row_at::<V>(input, output)
    }
}

/// [`row`] on `V`.
#[inline(always)]
fn row_at<V: Lanes>(input: &[f32], output: &mut [f32]) {
    match row_stats::<V>(input) {
        RowStats::Nan => output.fill(f32::NAN),
        RowStats::Masked => output.fill(f32::NEG_INFINITY),
        RowStats::Finite(m, l) => {
            let (neg_m, neg_l_hi, l_lo) = constants::<V>(m, l);
            map::<V>(
                input,
                output,
                0.0,
                #[inline(always)]
                |x| minus_log(x, neg_m, neg_l_hi, l_lo),
            );
        }
    }
}

/// One row, in place (length at least 1), on `V::Half` as in [`row`].
#[inline(always)]
fn row_in_place<V: Lanes>(values: &mut [f32]) {
    if !COMPACT && short::<V>(values.len()) {
        row_in_place_at::<V::Half>(values)
    } else {
        row_in_place_at::<V>(values)
    }
}

/// [`row_in_place`] on `V`.
#[inline(always)]
fn row_in_place_at<V: Lanes>(values: &mut [f32]) {
    match row_stats::<V>(values) {
        RowStats::Nan => values.fill(f32::NAN),
        RowStats::Masked => values.fill(f32::NEG_INFINITY),
        RowStats::Finite(m, l) => {
            let (neg_m, neg_l_hi, l_lo) = constants::<V>(m, l);
            map_in_place::<V>(
                values,
                0.0,
                #[inline(always)]
                |x| minus_log(x, neg_m, neg_l_hi, l_lo),
            );
        }
    }
}

/// Log-softmax of `input` taken as one row, into `output`:
/// `y_i = x_i - max - ln Σ_j e^(x_j - max)`, computed directly (not as
/// `ln(softmax(x))`).
///
/// # Accuracy
/// Every element within [`crate::accuracy::LOG_SOFTMAX`] ULP of the f64
/// log-softmax of the row (see the [accuracy table](crate::accuracy)), for
/// rows of any finite values and length (measured on random rows of up to
/// 65536 elements and on long rows through the blocked path), including
/// rows where one entry dominates and its output is tiny (down to
/// subnormal): `ln S` is taken as `log1p` of the exactly separated sum of
/// the other terms.
///
/// # Special values
/// The same rows as [`crate::softmax`]'s, through the logarithm:
/// - A row containing a NaN, or a `+inf`, becomes all NaN (the canonical
///   `f32::NAN` bits).
/// - A fully masked row (every entry `-inf`) becomes all `-inf`
///   (`ln 0`; softmax gives `+0.0` there); a `-inf` entry in any other row
///   gives `-inf`.
/// - An empty row is a no-op; a row of length 1 gives `+0.0` (`ln 1`), as
///   does every maximal entry of a row whose other entries are all `-inf`
///   or more than about 104 below the maximum.
/// - Outputs are `<= 0`; finite entries give finite outputs unless
///   `x - max` itself overflows (entries near `±f32::MAX` of both signs in
///   one row: `-inf` then).
///
/// # Errors
/// [`Error::LengthMismatch`] when `output.len() != input.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut y = [0.0; 3];
/// activations::log_softmax(&[1.0, 2.0, 3.0], &mut y)?;
/// assert!((y[2] + 0.407_605_97).abs() < 1e-7);
/// // Far below the maximum, still accurate (ln(softmax) would give -inf).
/// activations::log_softmax(&[0.0, -200.0, 1.0], &mut y)?;
/// assert!((y[1] + 201.313_26).abs() < 1e-4);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn log_softmax(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    crate::dispatch::root::log_softmax(input, output)
}

/// [`log_softmax`] in place, the whole slice as one row; cannot fail.
///
/// # Examples
/// ```
/// let mut v = [f32::NEG_INFINITY, 5.0, f32::NEG_INFINITY];
/// activations::log_softmax_in_place(&mut v);
/// assert_eq!(v, [f32::NEG_INFINITY, 0.0, f32::NEG_INFINITY]);
/// ```
#[inline]
pub fn log_softmax_in_place(values: &mut [f32]) {
    crate::dispatch::root::log_softmax_in_place(values)
}

/// Log-softmax of each row of a row-major batch: `input` is
/// `input.len() / row_len` rows of `row_len` elements, each on its own.
///
/// Accuracy and special values are those of [`log_softmax`], row by row (a
/// NaN row or a masked row does not affect its neighbours; each row gives
/// the same bits as [`log_softmax`] of that row alone). An empty batch is a
/// no-op.
///
/// # Errors
/// - [`Error::LengthMismatch`] when `output.len() != input.len()`;
/// - [`Error::InvalidRowLength`] when `row_len` is 0 or does not divide `input.len()`.
///
/// Nothing is written when an error is returned.
///
/// # Examples
/// ```
/// let x = [0.0, 0.0, 5.0, f32::NEG_INFINITY];
/// let mut y = [0.0; 4];
/// activations::log_softmax_rows(&x, &mut y, 2)?;
/// assert_eq!(y, [-core::f32::consts::LN_2, -core::f32::consts::LN_2, 0.0, f32::NEG_INFINITY]);
/// assert!(activations::log_softmax_rows(&x, &mut y, 3).is_err());
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn log_softmax_rows(input: &[f32], output: &mut [f32], row_len: usize) -> Result<(), Error> {
    crate::dispatch::root::log_softmax_rows(input, output, row_len)
}

/// [`log_softmax_rows`] in place.
///
/// # Errors
/// [`Error::InvalidRowLength`] when `row_len` is 0 or does not divide
/// `values.len()`; nothing is written then.
///
/// # Examples
/// ```
/// let mut v = [1.0, 1.0, 1.0, 1.0];
/// activations::log_softmax_rows_in_place(&mut v, 4)?;
/// assert_eq!(v, [-core::f32::consts::LN_2 * 2.0; 4]);
/// # Ok::<(), activations::Error>(())
/// ```
#[inline]
pub fn log_softmax_rows_in_place(values: &mut [f32], row_len: usize) -> Result<(), Error> {
    crate::dispatch::root::log_softmax_rows_in_place(values, row_len)
}

#[inline(always)]
pub(crate) fn slice<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    check_lengths(input.len(), output.len())?;
    if !input.is_empty() {
        row::<V>(input, output);
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn slice_in_place<V: Lanes>(values: &mut [f32]) {
    if !values.is_empty() {
        row_in_place::<V>(values);
    }
}

#[inline(always)]
pub(crate) fn rows<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    check_lengths(input.len(), output.len())?;
    check_rows(input.len(), row_len)?;
    // Not `zip` (see softmax's `rows`).
    let mut out = output.chunks_exact_mut(row_len);
    for i in input.chunks_exact(row_len) {
        if let Some(o) = out.next() {
            row::<V>(i, o);
        }
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn rows_in_place<V: Lanes>(values: &mut [f32], row_len: usize) -> Result<(), Error> {
    check_rows(values.len(), row_len)?;
    for r in values.chunks_exact_mut(row_len) {
        row_in_place::<V>(r);
    }
    Ok(())
}
