//! Fuzz target: the whole contract of the row backward kernels
//! (`softmax_backward`, `log_softmax_backward`, in place and out of place,
//! single rows and `_rows`, every width and level), checked by
//! `tests/common/row_backward_contract.rs`, the same code
//! `tests/fuzz_replay.rs` runs on stable.
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::row_backward_contract::check(data));
