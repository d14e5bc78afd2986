//! CI only: a minimal Cortex-M4F firmware that calls the public kernels of
//! `activations` selected by cargo features (one per kernel, or `all`) and
//! exits through semihosting.
//!
//! Two uses (see `ci/run-embedded.sh`):
//! - **No-panic check**: built with `--features all`, the linked ELF (linker
//!   garbage collection keeps only what is reachable) must contain no panic
//!   machinery: no `core::panicking::*`, `panic_bounds_check`,
//!   `slice_*_fail`, `unwrap_failed`, ..., and no `rust_begin_unwind` nor
//!   this crate's panic handler. Inputs, lengths, slopes and row lengths all
//!   pass through `black_box`, so the optimizer cannot prove a bounds check
//!   away on constants; only the kernels' own reasoning can.
//! - **Code size**: the text size with one kernel's feature, minus the text
//!   size with none, is the flash that kernel adds to a firmware image.

#![no_std]
#![no_main]
#![allow(unused_mut, unused_variables)]

use core::hint::black_box;
use cortex_m_rt::entry;
use cortex_m_semihosting::debug;

#[entry]
fn main() -> ! {
    let mut input = [0.0f32; 64];
    for (i, x) in input.iter_mut().enumerate() {
        *x = black_box(i as f32 * 0.25 - 8.0);
    }
    let mut output = [0.0f32; 64];
    let slope: f32 = black_box(0.01);
    let alpha: f32 = black_box(1.0);
    let row_len: usize = black_box(8);
    let mut grad = [0.0f32; 64];
    for (i, g) in grad.iter_mut().enumerate() {
        *g = black_box(1.0 - i as f32 * 0.03);
    }

    #[cfg(feature = "sigmoid")]
    let _ = black_box(activations::sigmoid(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "sigmoid_in_place")]
    activations::sigmoid_in_place(black_box(&mut output[..]));
    #[cfg(feature = "sigmoid_fast")]
    let _ = black_box(activations::sigmoid_fast(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "sigmoid_fast_in_place")]
    activations::sigmoid_fast_in_place(black_box(&mut output[..]));
    #[cfg(feature = "tanh_fast")]
    let _ = black_box(activations::tanh_fast(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "tanh_fast_in_place")]
    activations::tanh_fast_in_place(black_box(&mut output[..]));
    #[cfg(feature = "silu")]
    let _ = black_box(activations::silu(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "silu_in_place")]
    activations::silu_in_place(black_box(&mut output[..]));
    #[cfg(feature = "gelu_tanh")]
    let _ = black_box(activations::gelu_tanh(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "gelu_tanh_in_place")]
    activations::gelu_tanh_in_place(black_box(&mut output[..]));
    #[cfg(feature = "gelu")]
    let _ = black_box(activations::gelu(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "gelu_in_place")]
    activations::gelu_in_place(black_box(&mut output[..]));
    #[cfg(feature = "mish")]
    let _ = black_box(activations::mish(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "mish_in_place")]
    activations::mish_in_place(black_box(&mut output[..]));
    #[cfg(feature = "softplus")]
    let _ = black_box(activations::softplus(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "softplus_in_place")]
    activations::softplus_in_place(black_box(&mut output[..]));
    #[cfg(feature = "elu")]
    let _ = black_box(activations::elu(
        black_box(&input[..]),
        black_box(&mut output[..]),
        alpha,
    ));
    #[cfg(feature = "elu_in_place")]
    let _ = black_box(activations::elu_in_place(black_box(&mut output[..]), alpha));
    #[cfg(feature = "selu")]
    let _ = black_box(activations::selu(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "selu_in_place")]
    activations::selu_in_place(black_box(&mut output[..]));
    #[cfg(feature = "hard_sigmoid")]
    let _ = black_box(activations::hard_sigmoid(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "hard_sigmoid_in_place")]
    activations::hard_sigmoid_in_place(black_box(&mut output[..]));
    #[cfg(feature = "hard_swish")]
    let _ = black_box(activations::hard_swish(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "hard_swish_in_place")]
    activations::hard_swish_in_place(black_box(&mut output[..]));
    #[cfg(feature = "tanh")]
    let _ = black_box(activations::tanh(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "tanh_in_place")]
    activations::tanh_in_place(black_box(&mut output[..]));
    #[cfg(feature = "relu")]
    let _ = black_box(activations::relu(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "relu_in_place")]
    activations::relu_in_place(black_box(&mut output[..]));
    #[cfg(feature = "leaky_relu")]
    let _ = black_box(activations::leaky_relu(
        black_box(&input[..]),
        black_box(&mut output[..]),
        slope,
    ));
    #[cfg(feature = "leaky_relu_in_place")]
    activations::leaky_relu_in_place(black_box(&mut output[..]), slope);
    #[cfg(feature = "softmax")]
    let _ = black_box(activations::softmax(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "softmax_in_place")]
    activations::softmax_in_place(black_box(&mut output[..]));
    #[cfg(feature = "softmax_rows")]
    let _ = black_box(activations::softmax_rows(
        black_box(&input[..]),
        black_box(&mut output[..]),
        row_len,
    ));
    #[cfg(feature = "softmax_rows_in_place")]
    let _ = black_box(activations::softmax_rows_in_place(
        black_box(&mut output[..]),
        row_len,
    ));

    // The backward kernels: forward tensor, incoming gradient, result.
    #[cfg(feature = "sigmoid_backward")]
    let _ = black_box(activations::sigmoid_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "sigmoid_backward_in_place")]
    let _ = black_box(activations::sigmoid_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "tanh_backward")]
    let _ = black_box(activations::tanh_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "tanh_backward_in_place")]
    let _ = black_box(activations::tanh_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "relu_backward")]
    let _ = black_box(activations::relu_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "relu_backward_in_place")]
    let _ = black_box(activations::relu_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "leaky_relu_backward")]
    let _ = black_box(activations::leaky_relu_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
        slope,
    ));
    #[cfg(feature = "leaky_relu_backward_in_place")]
    let _ = black_box(activations::leaky_relu_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
        slope,
    ));

    #[cfg(feature = "log_softmax")]
    let _ = black_box(activations::log_softmax(
        black_box(&input[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "log_softmax_in_place")]
    activations::log_softmax_in_place(black_box(&mut output[..]));
    #[cfg(feature = "log_softmax_rows")]
    let _ = black_box(activations::log_softmax_rows(
        black_box(&input[..]),
        black_box(&mut output[..]),
        row_len,
    ));
    #[cfg(feature = "log_softmax_rows_in_place")]
    let _ = black_box(activations::log_softmax_rows_in_place(
        black_box(&mut output[..]),
        row_len,
    ));
    #[cfg(feature = "softmax_backward")]
    let _ = black_box(activations::softmax_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "softmax_backward_in_place")]
    let _ = black_box(activations::softmax_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "softmax_backward_rows")]
    let _ = black_box(activations::softmax_backward_rows(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
        row_len,
    ));
    #[cfg(feature = "softmax_backward_rows_in_place")]
    let _ = black_box(activations::softmax_backward_rows_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
        row_len,
    ));
    #[cfg(feature = "log_softmax_backward")]
    let _ = black_box(activations::log_softmax_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "log_softmax_backward_in_place")]
    let _ = black_box(activations::log_softmax_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "log_softmax_backward_rows")]
    let _ = black_box(activations::log_softmax_backward_rows(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
        row_len,
    ));
    #[cfg(feature = "log_softmax_backward_rows_in_place")]
    let _ = black_box(activations::log_softmax_backward_rows_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
        row_len,
    ));
    #[cfg(feature = "silu_backward")]
    let _ = black_box(activations::silu_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "silu_backward_in_place")]
    let _ = black_box(activations::silu_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "softplus_backward")]
    let _ = black_box(activations::softplus_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "softplus_backward_in_place")]
    let _ = black_box(activations::softplus_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "elu_backward")]
    let _ = black_box(activations::elu_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
        slope,
    ));
    #[cfg(feature = "elu_backward_in_place")]
    let _ = black_box(activations::elu_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
        slope,
    ));
    #[cfg(feature = "selu_backward")]
    let _ = black_box(activations::selu_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "selu_backward_in_place")]
    let _ = black_box(activations::selu_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "gelu_tanh_backward")]
    let _ = black_box(activations::gelu_tanh_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "gelu_tanh_backward_in_place")]
    let _ = black_box(activations::gelu_tanh_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));
    #[cfg(feature = "gelu_backward")]
    let _ = black_box(activations::gelu_backward(
        black_box(&input[..]),
        black_box(&grad[..]),
        black_box(&mut output[..]),
    ));
    #[cfg(feature = "gelu_backward_in_place")]
    let _ = black_box(activations::gelu_backward_in_place(
        black_box(&input[..]),
        black_box(&mut grad[..]),
    ));

    #[cfg(feature = "inject-panic")]
    {
        let i: usize = black_box(100);
        black_box(output[i]);
    }

    black_box(&output);
    black_box(&grad);
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        cortex_m::asm::bkpt();
    }
}

/// Reachable only through a panic: the no-panic check looks for this
/// function's symbol (and `rust_begin_unwind`, and core's panic functions).
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    panic_reached()
}

#[inline(never)]
fn panic_reached() -> ! {
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
