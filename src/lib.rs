#![doc = include_str!("../README.md")]
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "std")]
extern crate std;

pub mod accuracy;
mod approx;
mod backward;
mod backward_exp;
mod dispatch;
mod elu;
mod error;
mod gelu;
mod gelu_erf;
pub mod generic;
mod hard;
mod lanes;
mod log_softmax;
mod mish;
mod relu;
mod sigmoid;
mod silu;
mod softmax;
mod softmax_backward;
mod softplus;
mod tanh;
#[cfg(test)]
mod tests;
#[cfg(all(target_arch = "x86_64", not(miri)))]
mod x86;

pub use backward::{
    leaky_relu_backward, leaky_relu_backward_in_place, relu_backward, relu_backward_in_place,
    sigmoid_backward, sigmoid_backward_in_place, tanh_backward, tanh_backward_in_place,
};
pub use backward_exp::{
    elu_backward, elu_backward_in_place, gelu_tanh_backward, gelu_tanh_backward_in_place,
    selu_backward, selu_backward_in_place, silu_backward, silu_backward_in_place,
    softplus_backward, softplus_backward_in_place,
};
pub use dispatch::Level;
pub use elu::{elu, elu_in_place, selu, selu_in_place};
pub use error::Error;
pub use gelu::{gelu_tanh, gelu_tanh_in_place};
pub use gelu_erf::{gelu, gelu_backward, gelu_backward_in_place, gelu_in_place};
pub use hard::{hard_sigmoid, hard_sigmoid_in_place, hard_swish, hard_swish_in_place};
pub use lanes::{Lanes, Native};
pub use log_softmax::{
    log_softmax, log_softmax_in_place, log_softmax_rows, log_softmax_rows_in_place,
};
pub use mish::{mish, mish_in_place};
pub use relu::{leaky_relu, leaky_relu_in_place, relu, relu_in_place};
pub use sigmoid::{sigmoid, sigmoid_fast, sigmoid_fast_in_place, sigmoid_in_place};
pub use silu::{silu, silu_in_place};
pub use softmax::{softmax, softmax_in_place, softmax_rows, softmax_rows_in_place};
pub use softmax_backward::{
    log_softmax_backward, log_softmax_backward_in_place, log_softmax_backward_rows,
    log_softmax_backward_rows_in_place, softmax_backward, softmax_backward_in_place,
    softmax_backward_rows, softmax_backward_rows_in_place,
};
pub use softplus::{softplus, softplus_in_place};
pub use tanh::{tanh, tanh_fast, tanh_fast_in_place, tanh_in_place};
pub use wide::{f32x16, f32x4, f32x8};

/// The per-lane kernels, for composing into your own SIMD loops.
///
/// Each is `#[inline(always)]`, generic over [`Lanes`], and is exactly what the
/// slice functions run.
pub mod kernels {
    pub use crate::backward::{
        leaky_relu_backward_lanes, relu_backward_lanes, sigmoid_backward_lanes, tanh_backward_lanes,
    };
    pub use crate::backward_exp::{
        elu_backward_lanes, gelu_tanh_backward_lanes, selu_backward_lanes, silu_backward_lanes,
        softplus_backward_lanes,
    };
    pub use crate::elu::{elu_lanes, selu_lanes};
    pub use crate::gelu::gelu_tanh_lanes;
    pub use crate::gelu_erf::{gelu_backward_lanes, gelu_lanes};
    pub use crate::hard::{hard_sigmoid_lanes, hard_swish_lanes};
    pub use crate::mish::mish_lanes;
    pub use crate::relu::{leaky_relu_lanes, relu_lanes};
    pub use crate::sigmoid::{sigmoid_fast_lanes, sigmoid_lanes};
    pub use crate::silu::silu_lanes;
    pub use crate::softmax_backward::{log_softmax_backward_lanes, softmax_backward_lanes};
    pub use crate::softplus::softplus_lanes;
    pub use crate::tanh::{tanh_fast_lanes, tanh_lanes};
}
