//! Fuzz target: the whole contract of the backward kernels
//! (`sigmoid_backward`, `tanh_backward`, `relu_backward`,
//! `leaky_relu_backward`, `silu_backward`, `softplus_backward`,
//! `elu_backward`, `selu_backward`, `gelu_tanh_backward`, out of place and
//! in place, every width and level), checked by `tests/common/backward_contract.rs`, the same code
//! `tests/fuzz_replay.rs` runs on stable.
#![no_main]

#[path = "../../tests/common/mod.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::backward_contract::check(data));
