//! The error bounds: one table, stated here, asserted by the tests.
//!
//! Error of an output `y` against the reference `r` computed in f64:
//! `|y - r| / ulp(r)`, where `ulp(r)` is the spacing of f32 at `|r|`
//! (`2^(e-23)` for `|r|` in `[2^e, 2^(e+1))`, and `2^-149` below `2^-126`).
//!
//! | kernel | with FMA: levels `Avx2Fma`, `Avx512`; `Portable` in x86 `+fma` and aarch64 builds | without FMA: `Portable` in x86-64 baseline (SSE2) and no-SIMD builds | how it is verified |
//! |---|---|---|---|
//! | [`sigmoid`](crate::sigmoid) | 1.0 ULP | 1.0 ULP | all 2^32 inputs (`examples/exhaustive.rs`); 2^24+ in every `cargo test` |
//! | [`sigmoid_fast`](crate::sigmoid_fast) | 2.5 ULP | 2.5 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`tanh`](crate::tanh) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`tanh_fast`](crate::tanh_fast) | 2.7 ULP | 2.7 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`silu`](crate::silu) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`gelu`](crate::gelu) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`gelu_tanh`](crate::gelu_tanh) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`mish`](crate::mish) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`softplus`](crate::softplus) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`elu`](crate::elu) | 1.0 ULP | 1.0 ULP | all 2^32 inputs for `alpha` 1 and 0.3; random `alpha` in every `cargo test` |
//! | [`selu`](crate::selu) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`hard_sigmoid`](crate::hard_sigmoid), [`hard_swish`](crate::hard_swish) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`softmax`](crate::softmax), [`softmax_rows`](crate::softmax_rows) | 3.0 ULP per element | 4.0 ULP | random rows up to 65536 elements vs the f64 softmax of the row |
//! | [`log_softmax`](crate::log_softmax), [`log_softmax_rows`](crate::log_softmax_rows) | 0.6 ULP per element | 0.6 ULP | random rows up to 70 000 elements (near-constant, one dominant entry with tiny outputs, two maxima, masked, wide spreads) and long rows through the blocked path, vs the f64 log-softmax of the row (`tests/log_softmax.rs`; measured 0.5006 over 4390 rows, 0.5015 over 21 965 with `MEASURE_LENGTHS=2000`) |
//! | [`relu`](crate::relu), [`leaky_relu`](crate::leaky_relu) | exact | exact | bit-for-bit tests (leaky: the correctly rounded `x * slope`) |
//! | [`sigmoid_backward`](crate::sigmoid_backward) (against `g y (1 - y)` of the given `y`, `g`; `\|y\| < 2^24`) | 0.501 ULP | 0.501 ULP | all 2^32 `y` with fixed `g`, and random pairs (`examples/exhaustive_backward.rs`); 2^22+ pairs in every `cargo test` |
//! | [`tanh_backward`](crate::tanh_backward) (against `g (1 - y²)`; `\|y\| < 2^24`) | 0.501 ULP | 0.501 ULP | as sigmoid_backward |
//! | [`gelu_backward`](crate::gelu_backward) (against `g (Φ(x) + x φ(x))` of the given `x`, `g`) | 1.0 ULP | 1.0 ULP | all 2^32 `x` with fixed `g`, and random pairs (`examples/exhaustive_backward.rs`); 2^22+ pairs in every `cargo test` |
//! | [`softmax_backward`](crate::softmax_backward) and `_rows` (against `y_i (g_i - Σ g_j y_j)` of the given `y`, `g`) | 0.51 ULP + `2^-34 \|y_i\| Σ\|g_j y_j\|` + `2^-147 (1 + n \|y_i\|)` (`n` the row length) | the same | random rows up to 70 000 elements, gradients random, near-constant (cancelling) and one-hot (`tests/softmax_backward.rs`; measured 0.5000 ULP, `2^-44.9`, over 6240 rows with `MEASURE_LENGTHS=480`) |
//! | [`log_softmax_backward`](crate::log_softmax_backward) and `_rows` (against `g_i - e^(y_i) Σ g_j`) | 0.51 ULP + `2^-27 e^(y_i) Σ\|g_j\|` + `2^-147` | the same | as softmax_backward (measured 0.5000 ULP, `2^-29.1`) |
//! | [`relu_backward`](crate::relu_backward), [`leaky_relu_backward`](crate::leaky_relu_backward) | exact | exact | bit-for-bit tests (leaky: the correctly rounded `g * slope`) |
//! | [`silu_backward`](crate::silu_backward) (against `g σ(x)(1 + x(1 - σ(x)))` of the given `x`, `g`; every finite `x`, `g`) | 0.6 ULP | 0.6 ULP | all 2^32 `x` with `g = 1`, 2^26 random pairs, other fixed `g` at a stride (`examples/exhaustive_backward.rs`); 2^22+ pairs in every `cargo test` |
//! | [`softplus_backward`](crate::softplus_backward) (against `g σ(x)`; every finite `x`, `g`) | 0.6 ULP | 0.6 ULP | as silu_backward |
//! | [`elu_backward`](crate::elu_backward) (against `g alpha e^x` for `x <= 0`, `g` for `x > 0`; every finite `x`, `g`, `alpha`) | 0.6 ULP | 0.6 ULP | as silu_backward, for `alpha` 1 and 0.3; random `alpha` in every `cargo test` |
//! | [`selu_backward`](crate::selu_backward) (against `g scale (x > 0 ? 1 : alpha e^x)`; every finite `x`, `g`) | 0.6 ULP | 0.6 ULP | as silu_backward |
//! | [`gelu_tanh_backward`](crate::gelu_tanh_backward) (against the derivative of `x σ(u)`; every finite `x`, `g`) | 0.6 ULP | 0.6 ULP | as silu_backward |
//!
//! Which column applies depends on the [`Level`](crate::Level) a call runs
//! at ([`Level::fused`](crate::Level::fused)): the x86 levels
//! [`Avx2Fma`](crate::Level::Avx2Fma) and [`Avx512`](crate::Level::Avx512)
//! always use FMA, so a default x86-64 build that dispatches to them has the
//! FMA bounds there and the other column only on [`Portable`](crate::Level::Portable).
//! Without FMA, sigmoid, SiLU, tanh, GELU-tanh, Mish, softplus, ELU and SELU
//! run f64 routes on x86-64 and f32 routes on other targets (bare metal):
//! the column's bound holds for both, and the sweep covers both (README,
//! "Accuracy").
//! The constants below are the bound for *every* level this build can run
//! (the larger of the two when they differ); [`softmax_bound`] gives one
//! level's.

use crate::lanes::FMA_BUILD;

/// Picks the bound of this build from the two columns of the table.
const fn pick(with_fma: f32, without_fma: f32) -> f32 {
    if FMA_BUILD {
        with_fma
    } else {
        without_fma
    }
}

/// Maximum error of [`crate::sigmoid`] in ULP, for this build.
pub const SIGMOID: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::sigmoid_fast`] in ULP, for this build.
pub const SIGMOID_FAST: f32 = pick(2.5, 2.5);
/// Maximum error of [`crate::silu`] in ULP, for this build.
pub const SILU: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::tanh`] in ULP, for this build.
pub const TANH: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::tanh_fast`] in ULP, for this build.
pub const TANH_FAST: f32 = pick(2.7, 2.7);
/// Maximum error of [`crate::gelu`] in ULP, for this build.
pub const GELU: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::gelu_tanh`] in ULP, for this build.
pub const GELU_TANH: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::mish`] in ULP, for this build.
pub const MISH: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::softplus`] in ULP, for this build.
pub const SOFTPLUS: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::elu`] in ULP (any finite `alpha`), for this build.
pub const ELU: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::selu`] in ULP, for this build.
pub const SELU: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::hard_sigmoid`] in ULP, for this build.
pub const HARD_SIGMOID: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::hard_swish`] in ULP, for this build.
pub const HARD_SWISH: f32 = pick(1.0, 1.0);
/// Maximum error per element of [`crate::softmax`] and [`crate::softmax_rows`]
/// in ULP against the f64 softmax of the row, for every level of this build.
pub const SOFTMAX: f32 = pick(SOFTMAX_FMA, SOFTMAX_NO_FMA);
/// The softmax bound of the FMA column.
pub const SOFTMAX_FMA: f32 = 3.0;
/// The softmax bound of the column without FMA.
pub const SOFTMAX_NO_FMA: f32 = 4.0;

/// The softmax bound of a level, from whether its multiply-adds are fused
/// (`level.fused()`).
pub const fn softmax_bound(fused: bool) -> f32 {
    if fused {
        SOFTMAX_FMA
    } else {
        SOFTMAX_NO_FMA
    }
}
/// Maximum error per element of [`crate::log_softmax`] and
/// [`crate::log_softmax_rows`] in ULP against the f64 log-softmax of the
/// row, for every level of this build (the same in both columns: see the
/// error analysis of `src/log_softmax.rs`: about 0.53 ULP; measured
/// 0.5015).
pub const LOG_SOFTMAX: f32 = pick(0.6, 0.6);
/// [`crate::relu`] is exact.
pub const RELU: f32 = 0.0;
/// [`crate::leaky_relu`] is exact (the correctly rounded product for negative inputs).
pub const LEAKY_RELU: f32 = 0.0;

/// Maximum error of [`crate::gelu_backward`] in ULP against
/// `g (Φ(x) + x φ(x))` of the given `x` and `g`, for this build.
pub const GELU_BACKWARD: f32 = pick(1.0, 1.0);
/// Maximum error of [`crate::sigmoid_backward`] in ULP against
/// `g * y * (1 - y)` of the given `y` and `g`, for `|y| < 2^24`, for this build.
pub const SIGMOID_BACKWARD: f32 = pick(0.501, 0.501);
/// Maximum error of [`crate::tanh_backward`] in ULP against `g * (1 - y²)`
/// of the given `y` and `g`, for `|y| < 2^24`, for this build.
pub const TANH_BACKWARD: f32 = pick(0.501, 0.501);
/// The ULP part `B` of [`crate::softmax_backward`]'s bound
/// `|dx_i - r_i| <= B ulp(r_i) + A |y_i| Σ_j |g_j y_j| + 2^-147 (1 + n |y_i|)`
/// (`n` the row length; against
/// `r_i = y_i (g_i - Σ_j g_j y_j)` of the given `y`, `g`), for this build.
pub const SOFTMAX_BACKWARD: f32 = pick(0.51, 0.51);
/// The absolute part's factor `A` of [`crate::softmax_backward`]'s bound:
/// `2^-34` (the dot product's worst case is `2^-35.9`; measured `2^-44.9`).
pub const SOFTMAX_BACKWARD_ABS: f64 = 5.820_766_091_346_741e-11;
/// The ULP part `B` of [`crate::log_softmax_backward`]'s bound
/// `|dx_i - r_i| <= B ulp(r_i) + A e^(y_i) Σ_j |g_j| + 2^-147` (against
/// `r_i = g_i - e^(y_i) Σ_j g_j` of the given `y`, `g`), for this build.
pub const LOG_SOFTMAX_BACKWARD: f32 = pick(0.51, 0.51);
/// The absolute part's factor `A` of [`crate::log_softmax_backward`]'s
/// bound: `2^-27` (the exponential's error; measured up to `2^-29.1`).
pub const LOG_SOFTMAX_BACKWARD_ABS: f64 = 7.450_580_596_923_828e-9;
/// The last, subnormal-range term of the backward bounds above: `2^-147`
/// (log-softmax), `2^-147 (1 + n |y_i|)` (softmax: each of the `n`
/// products of its dot product may lose a few `2^-150` to underflow).
pub const SOFTMAX_BACKWARD_TINY: f64 = 5.605_193_857_299_268e-45;
/// [`crate::relu_backward`] is exact (a select).
pub const RELU_BACKWARD: f32 = 0.0;
/// [`crate::leaky_relu_backward`] is exact (`g` or the correctly rounded `g * slope`).
pub const LEAKY_RELU_BACKWARD: f32 = 0.0;
/// Maximum error of [`crate::silu_backward`] in ULP against
/// `g * σ(x) (1 + x (1 - σ(x)))` of the given `x` and `g`, for this build.
pub const SILU_BACKWARD: f32 = pick(0.6, 0.6);
/// Maximum error of [`crate::softplus_backward`] in ULP against `g * σ(x)`
/// of the given `x` and `g`, for this build.
pub const SOFTPLUS_BACKWARD: f32 = pick(0.6, 0.6);
/// Maximum error of [`crate::elu_backward`] in ULP against
/// `g * alpha * e^x` (`x <= 0`; `g` exactly for `x > 0`) of the given `x`,
/// `g` and `alpha`, for this build.
pub const ELU_BACKWARD: f32 = pick(0.6, 0.6);
/// Maximum error of [`crate::selu_backward`] in ULP, for this build.
pub const SELU_BACKWARD: f32 = pick(0.6, 0.6);
/// Maximum error of [`crate::gelu_tanh_backward`] in ULP against the
/// derivative of `x σ(u)` times `g`, of the given `x` and `g`, for this build.
pub const GELU_TANH_BACKWARD: f32 = pick(0.6, 0.6);

/// The longest softmax row the [`SOFTMAX`] bound is verified for.
pub const SOFTMAX_MAX_VERIFIED_ROW: usize = 65536;

/// Whether this build's [`Level::Portable`](crate::Level::Portable) kernels
/// use fused multiply-add (the x86 levels always do).
pub const FMA: bool = FMA_BUILD;
