//! Every slice function at an explicit lane width.
//!
//! The crate-root functions use [`Native`](crate::Native), the widest vector
//! type native to the build target. These take the width as a type
//! parameter — [`f32x4`](crate::f32x4), [`f32x8`](crate::f32x8) or
//! [`f32x16`](crate::f32x16) — for reproducing another target's results
//! (the elementwise kernels give the same bits at every width of one build)
//! and for the tests, which run every width on every machine. (Without FMA,
//! x86-64 builds run sigmoid, SiLU, tanh, GELU-tanh, Mish, softplus, ELU
//! and SELU by their f64 routes, other targets by their f32 routes, whose
//! bits differ in the last place for some inputs; hidden `*_f32_route`
//! functions here run the latter.)
//!
//! ```
//! use activations::{f32x4, f32x16, generic};
//! let x = [0.25f32; 37];
//! let (mut a, mut b) = ([0.0; 37], [0.0; 37]);
//! generic::sigmoid::<f32x4>(&x, &mut a)?;
//! generic::sigmoid::<f32x16>(&x, &mut b)?;
//! assert_eq!(a, b);
//! # Ok::<(), activations::Error>(())
//! ```

use crate::lanes::checked_map;
use crate::{
    backward as b, backward_exp as bx, elu as e, gelu as g, gelu_erf as ge, hard as h,
    log_softmax as ls, mish as mi, relu as r, sigmoid as s, silu as si, softmax as sm,
    softmax_backward as smb, softplus as sp, tanh as t, Error, Lanes,
};

/// [`crate::sigmoid`] at width `V`.
pub fn sigmoid<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    s::slice::<V>(input, output)
}
/// [`crate::sigmoid_in_place`] at width `V`.
pub fn sigmoid_in_place<V: Lanes>(values: &mut [f32]) {
    s::slice_in_place::<V>(values)
}
/// [`crate::sigmoid_fast`] at width `V`.
pub fn sigmoid_fast<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    s::fast_slice::<V>(input, output)
}
/// [`crate::sigmoid_fast_in_place`] at width `V`.
pub fn sigmoid_fast_in_place<V: Lanes>(values: &mut [f32]) {
    s::fast_slice_in_place::<V>(values)
}
/// [`crate::silu`] at width `V`.
pub fn silu<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    si::slice::<V>(input, output)
}
/// [`crate::silu_in_place`] at width `V`.
pub fn silu_in_place<V: Lanes>(values: &mut [f32]) {
    si::slice_in_place::<V>(values)
}
/// [`crate::tanh`] at width `V`.
pub fn tanh<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    t::slice::<V>(input, output)
}
/// [`crate::tanh_in_place`] at width `V`.
pub fn tanh_in_place<V: Lanes>(values: &mut [f32]) {
    t::slice_in_place::<V>(values)
}
/// [`crate::tanh_fast`] at width `V`.
pub fn tanh_fast<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    t::fast_slice::<V>(input, output)
}
/// [`crate::tanh_fast_in_place`] at width `V`.
pub fn tanh_fast_in_place<V: Lanes>(values: &mut [f32]) {
    t::fast_slice_in_place::<V>(values)
}
/// [`crate::relu`] at width `V`.
pub fn relu<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    r::relu_slice::<V>(input, output)
}
/// [`crate::relu_in_place`] at width `V`.
pub fn relu_in_place<V: Lanes>(values: &mut [f32]) {
    r::relu_slice_in_place::<V>(values)
}
/// [`crate::leaky_relu`] at width `V`.
pub fn leaky_relu<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    negative_slope: f32,
) -> Result<(), Error> {
    r::leaky_slice::<V>(input, output, negative_slope)
}
/// [`crate::leaky_relu_in_place`] at width `V`.
pub fn leaky_relu_in_place<V: Lanes>(values: &mut [f32], negative_slope: f32) {
    r::leaky_slice_in_place::<V>(values, negative_slope)
}
/// [`crate::elu`] at width `V`.
pub fn elu<V: Lanes>(input: &[f32], output: &mut [f32], alpha: f32) -> Result<(), Error> {
    e::elu_slice::<V>(input, output, alpha)
}
/// [`crate::elu_in_place`] at width `V`.
pub fn elu_in_place<V: Lanes>(values: &mut [f32], alpha: f32) -> Result<(), Error> {
    e::elu_slice_in_place::<V>(values, alpha)
}
/// [`crate::selu`] at width `V`.
pub fn selu<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    e::selu_slice::<V>(input, output)
}
/// [`crate::selu_in_place`] at width `V`.
pub fn selu_in_place<V: Lanes>(values: &mut [f32]) {
    e::selu_slice_in_place::<V>(values)
}
/// [`crate::gelu`] at width `V`.
pub fn gelu<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    ge::slice::<V>(input, output)
}
/// [`crate::gelu_in_place`] at width `V`.
pub fn gelu_in_place<V: Lanes>(values: &mut [f32]) {
    ge::slice_in_place::<V>(values)
}
/// [`crate::gelu_backward`] at width `V`.
pub fn gelu_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    ge::backward_slice::<V>(input, grad_output, grad_input)
}
/// [`crate::gelu_backward_in_place`] at width `V`.
pub fn gelu_backward_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    ge::backward_slice_in_place::<V>(input, grad)
}
/// [`crate::gelu_tanh`] at width `V`.
pub fn gelu_tanh<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    g::tanh_slice::<V>(input, output)
}
/// [`crate::gelu_tanh_in_place`] at width `V`.
pub fn gelu_tanh_in_place<V: Lanes>(values: &mut [f32]) {
    g::tanh_slice_in_place::<V>(values)
}
/// [`crate::mish`] at width `V`.
pub fn mish<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    mi::slice::<V>(input, output)
}
/// [`crate::mish_in_place`] at width `V`.
pub fn mish_in_place<V: Lanes>(values: &mut [f32]) {
    mi::slice_in_place::<V>(values)
}
/// [`crate::softplus`] at width `V`.
pub fn softplus<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    sp::slice::<V>(input, output)
}
/// [`crate::softplus_in_place`] at width `V`.
pub fn softplus_in_place<V: Lanes>(values: &mut [f32]) {
    sp::slice_in_place::<V>(values)
}
/// [`crate::hard_sigmoid`] at width `V`.
pub fn hard_sigmoid<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    h::sigmoid_slice::<V>(input, output)
}
/// [`crate::hard_sigmoid_in_place`] at width `V`.
pub fn hard_sigmoid_in_place<V: Lanes>(values: &mut [f32]) {
    h::sigmoid_slice_in_place::<V>(values)
}
/// [`crate::hard_swish`] at width `V`.
pub fn hard_swish<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    h::swish_slice::<V>(input, output)
}
/// [`crate::hard_swish_in_place`] at width `V`.
pub fn hard_swish_in_place<V: Lanes>(values: &mut [f32]) {
    h::swish_slice_in_place::<V>(values)
}
/// [`crate::softmax`] at width `V`.
pub fn softmax<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    sm::slice::<V>(input, output)
}
/// [`crate::softmax_in_place`] at width `V`.
pub fn softmax_in_place<V: Lanes>(values: &mut [f32]) {
    sm::slice_in_place::<V>(values)
}
/// [`crate::softmax_rows`] at width `V`.
pub fn softmax_rows<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    sm::rows::<V>(input, output, row_len)
}
/// [`crate::softmax_rows_in_place`] at width `V`.
pub fn softmax_rows_in_place<V: Lanes>(values: &mut [f32], row_len: usize) -> Result<(), Error> {
    sm::rows_in_place::<V>(values, row_len)
}
/// [`crate::log_softmax`] at width `V`.
pub fn log_softmax<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
    ls::slice::<V>(input, output)
}
/// [`crate::log_softmax_in_place`] at width `V`.
pub fn log_softmax_in_place<V: Lanes>(values: &mut [f32]) {
    ls::slice_in_place::<V>(values)
}
/// [`crate::log_softmax_rows`] at width `V`.
pub fn log_softmax_rows<V: Lanes>(
    input: &[f32],
    output: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    ls::rows::<V>(input, output, row_len)
}
/// [`crate::log_softmax_rows_in_place`] at width `V`.
pub fn log_softmax_rows_in_place<V: Lanes>(
    values: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    ls::rows_in_place::<V>(values, row_len)
}
/// [`crate::sigmoid_backward`] at width `V`.
pub fn sigmoid_backward<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    b::sigmoid_slice::<V>(output, grad_output, grad_input)
}
/// [`crate::sigmoid_backward_in_place`] at width `V`.
pub fn sigmoid_backward_in_place<V: Lanes>(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    b::sigmoid_slice_in_place::<V>(output, grad)
}
/// [`crate::tanh_backward`] at width `V`.
pub fn tanh_backward<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    b::tanh_slice::<V>(output, grad_output, grad_input)
}
/// [`crate::tanh_backward_in_place`] at width `V`.
pub fn tanh_backward_in_place<V: Lanes>(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    b::tanh_slice_in_place::<V>(output, grad)
}
/// [`crate::relu_backward`] at width `V`.
pub fn relu_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    b::relu_slice::<V>(input, grad_output, grad_input)
}
/// [`crate::relu_backward_in_place`] at width `V`.
pub fn relu_backward_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    b::relu_slice_in_place::<V>(input, grad)
}
/// [`crate::leaky_relu_backward`] at width `V`.
pub fn leaky_relu_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    negative_slope: f32,
) -> Result<(), Error> {
    b::leaky_slice::<V>(input, grad_output, grad_input, negative_slope)
}
/// [`crate::leaky_relu_backward_in_place`] at width `V`.
pub fn leaky_relu_backward_in_place<V: Lanes>(
    input: &[f32],
    grad: &mut [f32],
    negative_slope: f32,
) -> Result<(), Error> {
    b::leaky_slice_in_place::<V>(input, grad, negative_slope)
}
/// [`crate::softmax_backward`] at width `V`.
pub fn softmax_backward<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    smb::softmax_slice::<V>(output, grad_output, grad_input)
}
/// [`crate::softmax_backward_in_place`] at width `V`.
pub fn softmax_backward_in_place<V: Lanes>(output: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    smb::softmax_slice_in_place::<V>(output, grad)
}
/// [`crate::softmax_backward_rows`] at width `V`.
pub fn softmax_backward_rows<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    smb::softmax_rows::<V>(output, grad_output, grad_input, row_len)
}
/// [`crate::softmax_backward_rows_in_place`] at width `V`.
pub fn softmax_backward_rows_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    smb::softmax_rows_in_place::<V>(output, grad, row_len)
}
/// [`crate::log_softmax_backward`] at width `V`.
pub fn log_softmax_backward<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    smb::log_softmax_slice::<V>(output, grad_output, grad_input)
}
/// [`crate::log_softmax_backward_in_place`] at width `V`.
pub fn log_softmax_backward_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
) -> Result<(), Error> {
    smb::log_softmax_slice_in_place::<V>(output, grad)
}
/// [`crate::log_softmax_backward_rows`] at width `V`.
pub fn log_softmax_backward_rows<V: Lanes>(
    output: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    smb::log_softmax_rows::<V>(output, grad_output, grad_input, row_len)
}
/// [`crate::log_softmax_backward_rows_in_place`] at width `V`.
pub fn log_softmax_backward_rows_in_place<V: Lanes>(
    output: &[f32],
    grad: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    smb::log_softmax_rows_in_place::<V>(output, grad, row_len)
}
/// [`crate::silu_backward`] at width `V`.
pub fn silu_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    bx::silu_slice::<V>(input, grad_output, grad_input)
}
/// [`crate::silu_backward_in_place`] at width `V`.
pub fn silu_backward_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    bx::silu_slice_in_place::<V>(input, grad)
}
/// [`crate::softplus_backward`] at width `V`.
pub fn softplus_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    bx::softplus_slice::<V>(input, grad_output, grad_input)
}
/// [`crate::softplus_backward_in_place`] at width `V`.
pub fn softplus_backward_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    bx::softplus_slice_in_place::<V>(input, grad)
}
/// [`crate::elu_backward`] at width `V`.
pub fn elu_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
    alpha: f32,
) -> Result<(), Error> {
    bx::elu_slice::<V>(input, grad_output, grad_input, alpha)
}
/// [`crate::elu_backward_in_place`] at width `V`.
pub fn elu_backward_in_place<V: Lanes>(
    input: &[f32],
    grad: &mut [f32],
    alpha: f32,
) -> Result<(), Error> {
    bx::elu_slice_in_place::<V>(input, grad, alpha)
}
/// [`crate::selu_backward`] at width `V`.
pub fn selu_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    bx::selu_slice::<V>(input, grad_output, grad_input)
}
/// [`crate::selu_backward_in_place`] at width `V`.
pub fn selu_backward_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    bx::selu_slice_in_place::<V>(input, grad)
}
/// [`crate::gelu_tanh_backward`] at width `V`.
pub fn gelu_tanh_backward<V: Lanes>(
    input: &[f32],
    grad_output: &[f32],
    grad_input: &mut [f32],
) -> Result<(), Error> {
    bx::gelu_tanh_slice::<V>(input, grad_output, grad_input)
}
/// [`crate::gelu_tanh_backward_in_place`] at width `V`.
pub fn gelu_tanh_backward_in_place<V: Lanes>(input: &[f32], grad: &mut [f32]) -> Result<(), Error> {
    bx::gelu_tanh_slice_in_place::<V>(input, grad)
}

/// The hidden `*_f32_route` slice functions: each maps one kernel's f32
/// route ([`crate::lanes::route`]) over the slice, as the API's functions
/// map the whole kernel.
macro_rules! f32_route_slices {
    ($($(#[$doc:meta])* $name:ident => $route:path;)*) => {$(
        $(#[$doc])*
        #[doc(hidden)]
        pub fn $name<V: Lanes>(input: &[f32], output: &mut [f32]) -> Result<(), Error> {
            checked_map::<V>(
                input,
                output,
                #[inline(always)]
                |x| $route(x),
            )
        }
    )*};
}

f32_route_slices! {
    /// [`crate::sigmoid`] at width `V` through its f32 routes only, never its
    /// f64 route (`src/sigmoid.rs`): builds without FMA take the f64 route on
    /// x86-64 and this one elsewhere (bare-metal targets). The exhaustive sweep
    /// (`examples/exhaustive.rs`, `sigmoid_f32_route`) checks it on x86-64 for
    /// those targets. Not part of the API.
    sigmoid_f32_route => s::f32_route;
    /// [`crate::silu`] at width `V` through its f32 routes only (see
    /// [`sigmoid_f32_route`]). Not part of the API.
    silu_f32_route => si::f32_route;
    /// [`crate::gelu_tanh`] at width `V` through its f32 routes only (see
    /// [`sigmoid_f32_route`]). Not part of the API.
    gelu_tanh_f32_route => g::f32_route;
    /// [`crate::gelu`] at width `V` through its f32 route only (see
    /// [`sigmoid_f32_route`]). Not part of the API.
    gelu_f32_route => ge::f32_route;
    /// [`crate::mish`] at width `V` through its f32 route only (see
    /// [`sigmoid_f32_route`]). Not part of the API.
    mish_f32_route => mi::f32_route;
    /// [`crate::tanh`] at width `V` through its f32 routes only (see
    /// [`sigmoid_f32_route`]). Not part of the API.
    tanh_f32_route => t::f32_route;
    /// [`crate::softplus`] at width `V` through its f32 route only (see
    /// [`sigmoid_f32_route`]). Not part of the API.
    softplus_f32_route => sp::f32_route;
    /// [`crate::selu`] at width `V` through its f32 route only (see
    /// [`sigmoid_f32_route`]). Not part of the API.
    selu_f32_route => e::selu_f32_route;
}

/// [`crate::elu`] at width `V` through its f32 route only (see
/// [`sigmoid_f32_route`]). Not part of the API.
#[doc(hidden)]
pub fn elu_f32_route<V: Lanes>(input: &[f32], output: &mut [f32], alpha: f32) -> Result<(), Error> {
    e::check_alpha(alpha)?;
    checked_map::<V>(
        input,
        output,
        #[inline(always)]
        |x| e::elu_f32_route(x, alpha),
    )
}
