//! One criterion run comparing `activations` with two runtime-dispatched peers
//! (`tract-linalg`, `rten-vecmath`) and a naive scalar loop, on sigmoid, tanh
//! and softmax. See ../README.md for how to run it.
//!
//! Every implementation in a group reads the same deterministic input slice
//! (an LCG in [-10, 10]). Names in each group:
//!
//! - `scalar`, `activations`, `rten-vecmath`: out of place, `input -> output`;
//!   `activations-fast` is `activations::sigmoid_fast` (2.5 ULP) or
//!   `tanh_fast` (2.7 ULP).
//! - `tract-linalg-in-place`: tract's kernels are in place only, so each
//!   iteration copies the input into a work buffer and runs the kernel on it.
//!   `activations-in-place` does exactly the same with the crate's `*_in_place`
//!   function, so those two rows are the like-for-like comparison; `copy` is
//!   the copy alone, to subtract if wanted.

use std::hint::black_box;

use activations_peers_bench::{lcg_inputs, rten, scalar, tract::Tract};
use criterion::{BenchmarkId, Criterion, Throughput};

const SIZES: [usize; 2] = [4096, 1 << 20];

type OutOfPlace<'a> = (&'a str, &'a dyn Fn(&[f32], &mut [f32]));
type InPlace<'a> = (&'a str, &'a dyn Fn(&mut [f32]));

/// One group: the out-of-place rows, the copy-then-in-place rows, and `copy`.
fn group(c: &mut Criterion, kernel: &str, out_of_place: &[OutOfPlace], in_place: &[InPlace]) {
    let mut g = c.benchmark_group(kernel);
    for &n in &SIZES {
        let input = lcg_inputs(n, -10.0, 10.0, 0x5eed_1234);
        let mut output = vec![0.0f32; n];
        g.throughput(Throughput::Elements(n as u64));

        for &(name, f) in out_of_place {
            g.bench_with_input(BenchmarkId::new(name, n), &input, |b, input| {
                b.iter(|| f(black_box(input), black_box(&mut output)))
            });
        }
        for &(name, f) in in_place {
            g.bench_with_input(BenchmarkId::new(name, n), &input, |b, input| {
                b.iter(|| {
                    output.copy_from_slice(black_box(input));
                    f(black_box(&mut output))
                })
            });
        }
        g.bench_with_input(BenchmarkId::new("copy", n), &input, |b, input| {
            b.iter(|| output.copy_from_slice(black_box(input)))
        });
    }
    g.finish();
}

fn bench_all(c: &mut Criterion, tract: &Tract) {
    group(
        c,
        "sigmoid",
        &[
            ("scalar", &scalar::sigmoid),
            ("activations", &|x, y| activations::sigmoid(x, y).unwrap()),
            ("activations-fast", &|x, y| activations::sigmoid_fast(x, y).unwrap()),
            ("rten-vecmath", &rten::sigmoid),
        ],
        &[
            ("activations-in-place", &activations::sigmoid_in_place),
            ("activations-fast-in-place", &activations::sigmoid_fast_in_place),
            ("tract-linalg-in-place", &|v| tract.sigmoid_in_place(v)),
        ],
    );
    group(
        c,
        "tanh",
        &[
            ("scalar", &scalar::tanh),
            ("activations", &|x, y| activations::tanh(x, y).unwrap()),
            ("activations-fast", &|x, y| activations::tanh_fast(x, y).unwrap()),
            ("rten-vecmath", &rten::tanh),
        ],
        &[
            ("activations-in-place", &activations::tanh_in_place),
            ("activations-fast-in-place", &activations::tanh_fast_in_place),
            ("tract-linalg-in-place", &|v| tract.tanh_in_place(v)),
        ],
    );
    group(
        c,
        "softmax",
        &[
            ("scalar", &scalar::softmax),
            ("activations", &|x, y| activations::softmax(x, y).unwrap()),
            ("rten-vecmath", &rten::softmax),
        ],
        &[
            ("activations-in-place", &activations::softmax_in_place),
            // tract: reduce_max -> softmax2 (exp + sum) -> mul_by_scalar; see src/lib.rs.
            ("tract-linalg-in-place", &|v| tract.softmax_in_place(v)),
        ],
    );
}

fn main() {
    let tract = Tract::new();
    eprintln!("activations level: {}", activations::Level::current().name());
    eprintln!("tract-linalg kernels on this machine: {}", tract.kernel_names());
    let mut c = Criterion::default().configure_from_args();
    bench_all(&mut c, &tract);
    c.final_summary();
}
