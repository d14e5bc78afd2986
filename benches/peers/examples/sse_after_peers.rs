//! Diagnostic: does calling a peer slow down the legacy-SSE code that runs
//! after it (a dirty upper ymm/zmm state left by an asm kernel without
//! `vzeroupper`)? Times the scalar sigmoid loop (SSE2 in a default build)
//! before and after one call of each implementation, each in a fresh process.
//! `tract-*` uses `Tract::raw()` (tract as shipped); `tract-fixed` uses
//! `Tract::new()`, which clears the upper state after each call as the bench does.
//!
//! `cargo run --release --example sse_after_peers -- <scalar|activations|rten|tract-sigmoid|tract-tanh|tract-softmax|tract-fixed>`

use std::hint::black_box;
use std::time::Instant;

use activations_peers_bench::{lcg_inputs, rten, scalar, tract::Tract};

fn ns_per_elem(input: &[f32], output: &mut [f32]) -> f64 {
    let reps = 20;
    let t = Instant::now();
    for _ in 0..reps {
        scalar::sigmoid(black_box(input), black_box(output));
    }
    t.elapsed().as_nanos() as f64 / (reps * input.len()) as f64
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "tract-sigmoid".into());
    let input = lcg_inputs(1 << 16, -10.0, 10.0, 1);
    let mut output = vec![0.0f32; input.len()];
    let tract = Tract::raw();
    let before = ns_per_elem(&input, &mut output);
    let mut tmp = input[..4096].to_vec();
    match which.as_str() {
        "scalar" => scalar::sigmoid(&input[..4096], &mut tmp),
        "activations" => activations::sigmoid(&input[..4096], &mut tmp).unwrap(),
        "rten" => rten::sigmoid(&input[..4096], &mut tmp),
        "tract-sigmoid" => tract.sigmoid_in_place(&mut tmp),
        "tract-tanh" => tract.tanh_in_place(&mut tmp),
        "tract-softmax" => tract.softmax_in_place(&mut tmp),
        "tract-fixed" => Tract::new().sigmoid_in_place(&mut tmp),
        other => panic!("unknown {other}"),
    }
    black_box(&tmp);
    let after = ns_per_elem(&input, &mut output);
    println!("{which:>14}: scalar sigmoid {before:.2} ns/elem before, {after:.2} after");
}
