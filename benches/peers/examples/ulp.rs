//! Accuracy of every implementation the bench compares, against an `f64`
//! reference, as max ULP error.
//!
//! `cargo run --release --example ulp` (add `-- N` for N inputs; default 2^20).
//!
//! ULP of the reference `r` is `2^(floor(log2|r|) - 23)`, or `2^-149` when
//! `|r| < 2^-126` (the f32 subnormal spacing). The error of an output `y` is
//! `|y - r| / ulp(r)`; a NaN output counts as infinite error. The table also
//! gives the max ULP over |x| <= 10 (the bench's input range) for the
//! element-wise kernels, and the max absolute error.
//!
//! Inputs:
//! - sigmoid, tanh: N evenly spaced points over [-20, 20].
//! - softmax: N LCG points in [-20, 20], evaluated (a) as rows of 4096
//!   (the bench's small size) and (b) as one row of all N.

use activations_peers_bench::{lcg_inputs, rten, scalar, tract::Tract};

fn ulp_of(r: f64) -> f64 {
    let a = r.abs();
    if a < 2f64.powi(-126) {
        2f64.powi(-149)
    } else {
        2f64.powi(a.log2().floor() as i32 - 23)
    }
}

/// Worst error of `got` against `want` over the inputs `keep` accepts: max ULP,
/// the input where it happens, and max absolute error.
fn worst(input: &[f32], got: &[f32], want: &[f64], keep: impl Fn(f32) -> bool) -> (f64, f32, f64) {
    let mut w = (0.0f64, f32::NAN, 0.0f64);
    for ((&x, &y), &r) in input.iter().zip(got).zip(want) {
        if !keep(x) {
            continue;
        }
        let e = if y.is_nan() { f64::INFINITY } else { (y as f64 - r).abs() / ulp_of(r) };
        if e > w.0 || w.1.is_nan() {
            w.0 = e;
            w.1 = x;
        }
        w.2 = w.2.max((y as f64 - r).abs());
    }
    w
}

fn softmax_f64(input: &[f32], out: &mut [f64]) {
    let max = input.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let mut sum = 0.0f64;
    for (o, &x) in out.iter_mut().zip(input) {
        *o = (x as f64 - max).exp();
        sum += *o;
    }
    for o in out.iter_mut() {
        *o /= sum;
    }
}

type Impl<'a> = (&'a str, Box<dyn Fn(&[f32], &mut [f32]) + 'a>);

/// Wraps an in-place kernel as copy-then-run.
fn in_place<'a>(f: impl Fn(&mut [f32]) + 'a) -> Box<dyn Fn(&[f32], &mut [f32]) + 'a> {
    Box::new(move |x: &[f32], y: &mut [f32]| {
        y.copy_from_slice(x);
        f(y)
    })
}

fn report(kernel: &str, input: &[f32], want: &[f64], impls: &[Impl], row: usize) {
    let mut got = vec![0.0f32; input.len()];
    for (name, f) in impls {
        for (x, y) in input.chunks(row).zip(got.chunks_mut(row)) {
            f(x, y);
        }
        let (e, at, abs) = worst(input, &got, want, |_| true);
        // The bench's own input range, for the element-wise kernels.
        let inner = if kernel.starts_with("softmax") {
            "-".to_string()
        } else {
            format!("{:.2}", worst(input, &got, want, |x| x.abs() <= 10.0).0)
        };
        println!("| {kernel} | {name} | {e:.2} | {at:.6} | {inner} | {abs:.3e} |");
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).map_or(1 << 20, |s| s.parse().expect("N"));
    let tract = Tract::new();
    println!("activations level: {}", activations::Level::current().name());
    println!("tract-linalg kernels: {}", tract.kernel_names());
    println!("N = {n}\n");
    println!("| kernel | implementation | max ULP | at x | max ULP, |x| <= 10 | max abs err |");
    println!("|---|---|---|---|---|---|");

    let grid: Vec<f32> =
        (0..n).map(|i| (-20.0 + 40.0 * i as f64 / (n - 1) as f64) as f32).collect();

    let want: Vec<f64> = grid.iter().map(|&x| 1.0 / (1.0 + (-(x as f64)).exp())).collect();
    let impls: Vec<Impl> = vec![
        ("scalar", Box::new(scalar::sigmoid)),
        ("activations", Box::new(|x, y| activations::sigmoid(x, y).unwrap())),
        ("activations-fast", Box::new(|x, y| activations::sigmoid_fast(x, y).unwrap())),
        ("rten-vecmath", Box::new(rten::sigmoid)),
        ("tract-linalg", in_place(|v| tract.sigmoid_in_place(v))),
    ];
    report("sigmoid", &grid, &want, &impls, n);

    let want: Vec<f64> = grid.iter().map(|&x| (x as f64).tanh()).collect();
    let impls: Vec<Impl> = vec![
        ("scalar", Box::new(scalar::tanh)),
        ("activations", Box::new(|x, y| activations::tanh(x, y).unwrap())),
        ("activations-fast", Box::new(|x, y| activations::tanh_fast(x, y).unwrap())),
        ("rten-vecmath", Box::new(rten::tanh)),
        ("tract-linalg", in_place(|v| tract.tanh_in_place(v))),
    ];
    report("tanh", &grid, &want, &impls, n);

    let logits = lcg_inputs(n, -20.0, 20.0, 0xacc0_5eed);
    let impls: Vec<Impl> = vec![
        ("scalar", Box::new(scalar::softmax)),
        ("activations", Box::new(|x, y| activations::softmax(x, y).unwrap())),
        ("rten-vecmath", Box::new(rten::softmax)),
        ("tract-linalg", in_place(|v| tract.softmax_in_place(v))),
    ];
    for row in [4096usize.min(n), n] {
        let mut want = vec![0.0f64; n];
        for (x, w) in logits.chunks(row).zip(want.chunks_mut(row)) {
            softmax_f64(x, w);
        }
        report(&format!("softmax (rows of {row})"), &logits, &want, &impls, row);
    }
}
