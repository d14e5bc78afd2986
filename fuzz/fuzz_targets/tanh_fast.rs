//! Fuzz target: the whole contract of `activations::tanh_fast` (every width, in
//! place and out of place), checked by `tests/common/contract.rs`, the same
//! code `tests/fuzz_replay.rs` runs on stable.
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::contract::check_tanh_fast(data));
