//! A tour of the crate: every kernel on sample inputs, its measured maximum
//! error on a sweep of 2^20 inputs against the f64 reference, and its speed
//! against the naive scalar loop a user would write.
//!
//! `cargo run --release --example tour`
//! (add `RUSTFLAGS="-C target-cpu=native"` to use AVX2/AVX-512 where present).

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

fn show(name: &str, input: &[f32], output: &[f32]) {
    println!("  {name:12} {input:?}");
    println!("  {:12} {output:?}", "->");
}

/// Median over `reps` runs of the nanoseconds per element of `f`.
fn ns_per_elem(n: usize, reps: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let inner = (1 << 22) / n;
            let t = Instant::now();
            for _ in 0..inner {
                f();
            }
            t.elapsed().as_nanos() as f64 / (inner * n) as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[reps / 2]
}

fn main() -> Result<(), activations::Error> {
    println!("activations tour; build: {}", common::build_features());
    println!("\nSample inputs and outputs:");
    let x = [-105.0f32, -20.0, -1.0, -0.0, 0.5, 3.0, 20.0, f32::NAN];
    let mut y = [0f32; 8];
    activations::sigmoid(&x, &mut y)?;
    show("sigmoid", &x, &y);
    activations::tanh(&x, &mut y)?;
    show("tanh", &x, &y);
    activations::relu(&x, &mut y)?;
    show("relu", &x, &y);
    activations::leaky_relu(&x, &mut y, 0.01)?;
    show("leaky(0.01)", &x, &y);
    let logits = [1.0f32, 2.0, 3.0, f32::NEG_INFINITY];
    let mut p = [0f32; 4];
    activations::softmax(&logits, &mut p)?;
    show("softmax", &logits, &p);
    let mut batch = [0.0f32, 0.0, f32::NEG_INFINITY, f32::NEG_INFINITY];
    activations::softmax_rows_in_place(&mut batch, 2)?;
    show(
        "rows(2)",
        &[0.0, 0.0, f32::NEG_INFINITY, f32::NEG_INFINITY],
        &batch,
    );
    println!(
        "  errors: {} / {}",
        activations::softmax_rows(&logits, &mut p, 3).unwrap_err(),
        activations::sigmoid(&x, &mut p).unwrap_err()
    );

    println!(
        "\nInstruction-set level: {} (the best this CPU supports: {}; set ACTIVATIONS_LEVEL=portable|avx2|avx512 to cap it)",
        activations::Level::current(),
        activations::Level::best()
    );
    println!(
        "\nMaximum error on 2^20 inputs spread over all of f32 (bound from activations::accuracy):"
    );
    let mut rng = common::Rng(1);
    let sweep: Vec<f32> = (0..1u32 << 20)
        .map(|i| f32::from_bits((i << 12) | (rng.next_u64() as u32 & 0xfff)))
        .collect();
    let mut out = vec![0f32; sweep.len()];
    // The level the crate-root functions run at (see `activations::Level`).
    let level = activations::Level::current();
    for k in common::elementwise() {
        (k.at_level)(level, &sweep, &mut out)?;
        let worst = sweep
            .iter()
            .zip(&out)
            .map(|(&x, &y)| common::reference::ulp_error(y, (k.reference)(x)))
            .fold(0f64, f64::max);
        println!("  {:18} max {worst:.3} ULP (bound {})", k.name, k.bound);
    }
    let row: Vec<f32> = (0..4096).map(|_| (rng.normal() * 30.0) as f32).collect();
    let mut sm = vec![0f32; row.len()];
    activations::softmax(&row, &mut sm)?;
    let want = common::reference::softmax(&row);
    let worst = sm
        .iter()
        .zip(&want)
        .map(|(&y, &r)| common::reference::ulp_error(y, r))
        .fold(0f64, f64::max);
    println!(
        "  {:18} max {worst:.3} ULP on a 4096-element N(0, 30) row (bound {})",
        "softmax",
        activations::accuracy::SOFTMAX
    );

    println!("\nSpeed, n = 4096, median ns per element (lower is better):");
    let n = 4096;
    let xs: Vec<f32> = (0..n).map(|_| (rng.normal() * 4.0) as f32).collect();
    let mut ys = vec![0f32; n];
    let line = |name: &str, ours: f64, naive: f64| {
        println!(
            "  {name:12} crate {ours:7.3}   naive {naive:7.3}   speed-up {:6.1}x",
            naive / ours
        );
    };
    let reps = 11;
    let ours = ns_per_elem(n, reps, || {
        activations::sigmoid(black_box(&xs), &mut ys).unwrap()
    });
    let naive = ns_per_elem(n, reps, || {
        for (y, &x) in ys.iter_mut().zip(black_box(&xs)) {
            *y = 1.0 / (1.0 + (-x).exp());
        }
    });
    line("sigmoid", ours, naive);
    let ours = ns_per_elem(n, reps, || {
        activations::tanh(black_box(&xs), &mut ys).unwrap()
    });
    let naive = ns_per_elem(n, reps, || {
        for (y, &x) in ys.iter_mut().zip(black_box(&xs)) {
            *y = x.tanh();
        }
    });
    line("tanh", ours, naive);
    let ours = ns_per_elem(n, reps, || {
        activations::relu(black_box(&xs), &mut ys).unwrap()
    });
    let naive = ns_per_elem(n, reps, || {
        for (y, &x) in ys.iter_mut().zip(black_box(&xs)) {
            *y = x.max(0.0);
        }
    });
    line("relu", ours, naive);
    let ours = ns_per_elem(n, reps, || {
        activations::leaky_relu(black_box(&xs), &mut ys, 0.01).unwrap()
    });
    let naive = ns_per_elem(n, reps, || {
        for (y, &x) in ys.iter_mut().zip(black_box(&xs)) {
            *y = if x < 0.0 { x * 0.01 } else { x };
        }
    });
    line("leaky_relu", ours, naive);
    let ours = ns_per_elem(n, reps, || {
        activations::softmax(black_box(&xs), &mut ys).unwrap()
    });
    let naive = ns_per_elem(n, reps, || {
        let m = black_box(&xs)
            .iter()
            .fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        let mut s = 0.0f32;
        for (y, &x) in ys.iter_mut().zip(&xs) {
            *y = (x - m).exp();
            s += *y;
        }
        for y in ys.iter_mut() {
            *y /= s;
        }
    });
    line("softmax", ours, naive);
    Ok(())
}
