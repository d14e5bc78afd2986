//! The error bounds: one table, stated here, asserted by the tests.
//!
//! Error of an output `y` against the reference `r` computed in f64:
//! `|y - r| / ulp(r)`, where `ulp(r)` is the spacing of f32 at `|r|`
//! (`2^(e-23)` for `|r|` in `[2^e, 2^(e+1))`, and `2^-149` below `2^-126`).
//!
//! | kernel | builds with FMA (x86 `+fma`, aarch64) | builds without FMA (x86-64 baseline SSE2, no-SIMD targets) | how it is verified |
//! |---|---|---|---|
//! | [`sigmoid`](crate::sigmoid) | 1.0 ULP | 1.0 ULP | all 2^32 inputs (`examples/exhaustive.rs`); 2^24+ in every `cargo test` |
//! | [`tanh`](crate::tanh) | 1.0 ULP | 1.0 ULP | all 2^32 inputs; 2^24+ in every `cargo test` |
//! | [`softmax`](crate::softmax), [`softmax_rows`](crate::softmax_rows) | 3.0 ULP per element | 4.0 ULP | random rows up to 65536 elements vs the f64 softmax of the row |
//! | [`relu`](crate::relu), [`leaky_relu`](crate::leaky_relu) | exact | exact | bit-for-bit tests (leaky: the correctly rounded `x * slope`) |
//!
//! The constants below are the bound *for this build*.

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
/// Maximum error of [`crate::tanh`] in ULP, for this build.
pub const TANH: f32 = pick(1.0, 1.0);
/// Maximum error per element of [`crate::softmax`] and [`crate::softmax_rows`]
/// in ULP against the f64 softmax of the row, for this build.
pub const SOFTMAX: f32 = pick(3.0, 4.0);
/// [`crate::relu`] is exact.
pub const RELU: f32 = 0.0;
/// [`crate::leaky_relu`] is exact (the correctly rounded product for negative inputs).
pub const LEAKY_RELU: f32 = 0.0;

/// The longest softmax row the [`SOFTMAX`] bound is verified for.
pub const SOFTMAX_MAX_VERIFIED_ROW: usize = 65536;

/// Whether this build's kernels use fused multiply-add (which column of the table applies).
pub const FMA: bool = FMA_BUILD;
