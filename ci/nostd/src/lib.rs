//! CI only: a `#![no_std]` static library exporting every public kernel of
//! `activations` over a C ABI.
//!
//! It defines its own `#[panic_handler]`: if `activations` (or one of its
//! dependencies) pulled in `std`, building this crate for a hosted target
//! fails with E0152 (duplicate lang item `panic_impl`). Build it with
//! `cargo build --release` from this folder (see `ci/run-embedded.sh`).
//!
//! Return values: `0` is `Ok`, `-1` a length mismatch, `-2` an invalid row
//! length, `-3` any other error (the enum is `#[non_exhaustive]`).

#![no_std]

use activations::Error;
use core::slice::{from_raw_parts, from_raw_parts_mut};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

fn code(r: Result<(), Error>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(Error::LengthMismatch { .. }) => -1,
        Err(Error::InvalidRowLength { .. }) => -2,
        Err(_) => -3,
    }
}

/// Builds `&[f32]` from a C pointer and length (a null pointer is only valid with `len == 0`).
///
/// # Safety
/// `ptr` must be valid for `len` reads, or `len` must be 0.
unsafe fn input<'a>(ptr: *const f32, len: usize) -> &'a [f32] {
    if len == 0 {
        &[]
    } else {
        from_raw_parts(ptr, len)
    }
}

/// # Safety
/// `ptr` must be valid for `len` reads and writes and not aliased, or `len` must be 0.
unsafe fn output<'a>(ptr: *mut f32, len: usize) -> &'a mut [f32] {
    if len == 0 {
        &mut []
    } else {
        from_raw_parts_mut(ptr, len)
    }
}

macro_rules! out_of_place {
    ($name:ident, $f:path) => {
        /// # Safety
        /// `input` valid for `in_len` reads; `output` valid for `out_len`
        /// writes, not overlapping `input`.
        #[no_mangle]
        pub unsafe extern "C" fn $name(
            input_ptr: *const f32,
            in_len: usize,
            output_ptr: *mut f32,
            out_len: usize,
        ) -> i32 {
            code($f(input(input_ptr, in_len), output(output_ptr, out_len)))
        }
    };
}

macro_rules! in_place {
    ($name:ident, $f:path) => {
        /// # Safety
        /// `values` valid for `len` reads and writes.
        #[no_mangle]
        pub unsafe extern "C" fn $name(values: *mut f32, len: usize) {
            $f(output(values, len))
        }
    };
}

out_of_place!(act_sigmoid, activations::sigmoid);
in_place!(act_sigmoid_in_place, activations::sigmoid_in_place);
out_of_place!(act_tanh, activations::tanh);
in_place!(act_tanh_in_place, activations::tanh_in_place);
out_of_place!(act_relu, activations::relu);
in_place!(act_relu_in_place, activations::relu_in_place);
out_of_place!(act_softmax, activations::softmax);
in_place!(act_softmax_in_place, activations::softmax_in_place);

/// # Safety
/// As for [`act_sigmoid`].
#[no_mangle]
pub unsafe extern "C" fn act_leaky_relu(
    input_ptr: *const f32,
    in_len: usize,
    output_ptr: *mut f32,
    out_len: usize,
    slope: f32,
) -> i32 {
    code(activations::leaky_relu(
        input(input_ptr, in_len),
        output(output_ptr, out_len),
        slope,
    ))
}

/// # Safety
/// As for [`act_sigmoid_in_place`].
#[no_mangle]
pub unsafe extern "C" fn act_leaky_relu_in_place(values: *mut f32, len: usize, slope: f32) {
    activations::leaky_relu_in_place(output(values, len), slope)
}

/// # Safety
/// As for [`act_sigmoid`].
#[no_mangle]
pub unsafe extern "C" fn act_softmax_rows(
    input_ptr: *const f32,
    in_len: usize,
    output_ptr: *mut f32,
    out_len: usize,
    row_len: usize,
) -> i32 {
    code(activations::softmax_rows(
        input(input_ptr, in_len),
        output(output_ptr, out_len),
        row_len,
    ))
}

/// # Safety
/// As for [`act_sigmoid_in_place`].
#[no_mangle]
pub unsafe extern "C" fn act_softmax_rows_in_place(
    values: *mut f32,
    len: usize,
    row_len: usize,
) -> i32 {
    code(activations::softmax_rows_in_place(
        output(values, len),
        row_len,
    ))
}
