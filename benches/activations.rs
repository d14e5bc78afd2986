//! One criterion group per kernel (the backward kernels included): this
//! crate, the naive scalar loop a user writes, and wide's own `exp`/`tanh`
//! on `f32x8` (what a user of wide writes), at sizes 7, 64, 4096, 65536 and 1 << 22, measured in one run so
//! the ratios are comparable.
//!
//! `cargo bench --bench activations` (all), `-- sigmoid/4096` (a filter),
//! `-- --quick` (shorter), `-- --test` (run each once: the CI smoke test).
//! Add `RUSTFLAGS="-C target-cpu=native"` for AVX2/AVX-512 builds.

use activations::Level;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;
use wide::f32x8;

const SIZES: [usize; 6] = [7, 64, 4096, 65536, 1 << 20, 1 << 22];

fn inputs(n: usize) -> Vec<f32> {
    let mut s = 0x9e37_79b9u32;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s as f32 / u32::MAX as f32 - 0.5) * 16.0
        })
        .collect()
}

/// wide's f32x8 over a slice, tail padded through the same vector code.
fn wide_map(x: &[f32], y: &mut [f32], f: impl Fn(f32x8) -> f32x8) {
    let mut xc = x.chunks_exact(8);
    let mut yc = y.chunks_exact_mut(8);
    for (a, b) in (&mut xc).zip(&mut yc) {
        let v = f32x8::new(a.try_into().unwrap());
        b.copy_from_slice(&f(v).to_array());
    }
    let (a, b) = (xc.remainder(), yc.into_remainder());
    if !a.is_empty() {
        let mut t = [0f32; 8];
        t[..a.len()].copy_from_slice(a);
        let r = f(f32x8::new(t)).to_array();
        b.copy_from_slice(&r[..b.len()]);
    }
}

type Impl<'a> = (&'a str, &'a dyn Fn(&[f32], &mut [f32]));
/// A slice function at an explicit level.
type AtLevel = fn(Level, &[f32], &mut [f32]) -> Result<(), activations::Error>;
type Boxed = Box<dyn Fn(&[f32], &mut [f32])>;

/// Every instruction-set level this CPU supports, by name, for forcing one
/// level per benchmark (`activations` alone is the dispatched default).
fn levels() -> Vec<(String, Level)> {
    Level::ALL
        .into_iter()
        .filter(|l| l.is_supported())
        .map(|l| (format!("level_{l}"), l))
        .collect()
}

/// The impls of a group plus one per supported level running `run`.
fn group_with_levels(c: &mut Criterion, name: &str, impls: &[Impl], run: AtLevel) {
    let levels = levels();
    let per_level: Vec<Boxed> = levels
        .iter()
        .map(|&(_, l)| Box::new(move |x: &[f32], y: &mut [f32]| run(l, x, y).unwrap()) as Box<_>)
        .collect();
    let mut all: Vec<Impl> = impls.to_vec();
    for ((label, _), f) in levels.iter().zip(&per_level) {
        all.push((label.as_str(), f.as_ref()));
    }
    group(c, name, &all);
}

fn group(c: &mut Criterion, name: &str, impls: &[Impl]) {
    let mut g = c.benchmark_group(name);
    for &n in &SIZES {
        let x = inputs(n);
        let mut y = vec![0f32; n];
        g.throughput(Throughput::Elements(n as u64));
        if n >= 1 << 20 {
            g.sample_size(10).measurement_time(Duration::from_secs(2));
        } else {
            g.sample_size(30).measurement_time(Duration::from_secs(1));
        }
        for (label, f) in impls {
            g.bench_with_input(BenchmarkId::new(*label, n), &x, |b, x| {
                b.iter(|| f(black_box(x), black_box(&mut y)))
            });
        }
    }
    g.finish();
}

fn sigmoid(c: &mut Criterion) {
    group_with_levels(
        c,
        "sigmoid",
        &[
            ("activations", &|x, y| activations::sigmoid(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = 1.0 / (1.0 + (-v).exp());
                }
            }),
            ("wide_f32x8", &|x, y| {
                wide_map(x, y, |v| f32x8::ONE / (f32x8::ONE + (-v).exp()))
            }),
        ],
        |l, x, y| l.sigmoid(x, y),
    );
}

/// The fast sigmoid, with the 1-ULP sigmoid and the naive loop in the same
/// run for the ratios.
fn sigmoid_fast(c: &mut Criterion) {
    group_with_levels(
        c,
        "sigmoid_fast",
        &[
            ("activations", &|x, y| {
                activations::sigmoid_fast(x, y).unwrap()
            }),
            ("sigmoid_1ulp", &|x, y| activations::sigmoid(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = 1.0 / (1.0 + (-v).exp());
                }
            }),
        ],
        |l, x, y| l.sigmoid_fast(x, y),
    );
}

fn silu(c: &mut Criterion) {
    group_with_levels(
        c,
        "silu",
        &[
            ("activations", &|x, y| activations::silu(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = v / (1.0 + (-v).exp());
                }
            }),
            ("wide_f32x8", &|x, y| {
                wide_map(x, y, |v| v / (f32x8::ONE + (-v).exp()))
            }),
        ],
        |l, x, y| l.silu(x, y),
    );
}

fn gelu_tanh(c: &mut Criterion) {
    const K: f32 = 0.797_884_6; // sqrt(2/pi)
    group_with_levels(
        c,
        "gelu_tanh",
        &[
            ("activations", &|x, y| activations::gelu_tanh(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = 0.5 * v * (1.0 + (K * (v + 0.044715 * v * v * v)).tanh());
                }
            }),
            ("wide_f32x8", &|x, y| {
                wide_map(x, y, |v| {
                    let u = f32x8::splat(K) * (v + f32x8::splat(0.044715) * v * v * v);
                    f32x8::splat(0.5) * v * (f32x8::ONE + u.tanh())
                })
            }),
        ],
        |l, x, y| l.gelu_tanh(x, y),
    );
}

fn gelu(c: &mut Criterion) {
    // `wide` has no erf, so there is no `wide_f32x8` row; the naive loop
    // uses libm's `erff` (f32 has no erf in std).
    group_with_levels(
        c,
        "gelu",
        &[
            ("activations", &|x, y| activations::gelu(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = 0.5 * v * (1.0 + libm::erff(v * core::f32::consts::FRAC_1_SQRT_2));
                }
            }),
        ],
        |l, x, y| l.gelu(x, y),
    );
}

fn mish(c: &mut Criterion) {
    group_with_levels(
        c,
        "mish",
        &[
            ("activations", &|x, y| activations::mish(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = v * v.exp().ln_1p().tanh();
                }
            }),
        ],
        |l, x, y| l.mish(x, y),
    );
}

fn softplus(c: &mut Criterion) {
    group_with_levels(
        c,
        "softplus",
        &[
            ("activations", &|x, y| activations::softplus(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = v.max(0.0) + (-v.abs()).exp().ln_1p();
                }
            }),
        ],
        |l, x, y| l.softplus(x, y),
    );
}

fn elu(c: &mut Criterion) {
    group_with_levels(
        c,
        "elu",
        &[
            ("activations", &|x, y| activations::elu(x, y, 1.0).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = if v > 0.0 { v } else { v.exp_m1() };
                }
            }),
            ("wide_f32x8", &|x, y| {
                wide_map(x, y, |v| {
                    let neg = v.exp() - f32x8::ONE;
                    v.simd_gt(f32x8::ZERO).bitselect(v, neg)
                })
            }),
        ],
        |l, x, y| l.elu(x, y, 1.0),
    );
}

fn selu(c: &mut Criterion) {
    const ALPHA: f32 = 1.673_263_2;
    const SCALE: f32 = 1.050_701;
    group_with_levels(
        c,
        "selu",
        &[
            ("activations", &|x, y| activations::selu(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = SCALE * if v > 0.0 { v } else { ALPHA * v.exp_m1() };
                }
            }),
        ],
        |l, x, y| l.selu(x, y),
    );
}

fn hard_sigmoid(c: &mut Criterion) {
    group_with_levels(
        c,
        "hard_sigmoid",
        &[
            ("activations", &|x, y| {
                activations::hard_sigmoid(x, y).unwrap()
            }),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = (v + 3.0).clamp(0.0, 6.0) / 6.0;
                }
            }),
        ],
        |l, x, y| l.hard_sigmoid(x, y),
    );
}

fn hard_swish(c: &mut Criterion) {
    group_with_levels(
        c,
        "hard_swish",
        &[
            ("activations", &|x, y| {
                activations::hard_swish(x, y).unwrap()
            }),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = v * (v + 3.0).clamp(0.0, 6.0) / 6.0;
                }
            }),
        ],
        |l, x, y| l.hard_swish(x, y),
    );
}

fn tanh(c: &mut Criterion) {
    group_with_levels(
        c,
        "tanh",
        &[
            ("activations", &|x, y| activations::tanh(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = v.tanh();
                }
            }),
            ("wide_f32x8", &|x, y| wide_map(x, y, |v| v.tanh())),
        ],
        |l, x, y| l.tanh(x, y),
    );
}

/// The fast tanh, with the 1-ULP tanh and the naive loop in the same run for
/// the ratios.
fn tanh_fast(c: &mut Criterion) {
    group_with_levels(
        c,
        "tanh_fast",
        &[
            ("activations", &|x, y| activations::tanh_fast(x, y).unwrap()),
            ("tanh_1ulp", &|x, y| activations::tanh(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = v.tanh();
                }
            }),
        ],
        |l, x, y| l.tanh_fast(x, y),
    );
}

fn relu(c: &mut Criterion) {
    group_with_levels(
        c,
        "relu",
        &[
            ("activations", &|x, y| activations::relu(x, y).unwrap()),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = v.max(0.0);
                }
            }),
            ("copy", &|x, y| y.copy_from_slice(x)),
        ],
        |l, x, y| l.relu(x, y),
    );
}

fn leaky_relu(c: &mut Criterion) {
    group_with_levels(
        c,
        "leaky_relu",
        &[
            ("activations", &|x, y| {
                activations::leaky_relu(x, y, 0.01).unwrap()
            }),
            ("naive", &|x, y| {
                for (o, &v) in y.iter_mut().zip(x) {
                    *o = if v < 0.0 { v * 0.01 } else { v };
                }
            }),
            ("copy", &|x, y| y.copy_from_slice(x)),
        ],
        |l, x, y| l.leaky_relu(x, y, 0.01),
    );
}

fn naive_softmax(x: &[f32], y: &mut [f32]) {
    let m = x.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let mut s = 0.0f32;
    for (o, &v) in y.iter_mut().zip(x) {
        *o = (v - m).exp();
        s += *o;
    }
    let inv = 1.0 / s;
    for o in y.iter_mut() {
        *o *= inv;
    }
}

fn softmax(c: &mut Criterion) {
    group_with_levels(
        c,
        "softmax",
        &[
            ("activations", &|x, y| activations::softmax(x, y).unwrap()),
            ("naive", &naive_softmax),
            ("wide_f32x8", &|x, y| {
                // The 3-pass softmax a user of wide writes.
                let m = x.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
                let mv = f32x8::splat(m);
                wide_map(x, y, |v| (v - mv).exp());
                let s: f32 = y.iter().sum();
                let inv = f32x8::splat(1.0 / s);
                let tmp = y.to_vec();
                wide_map(&tmp, y, |v| v * inv);
            }),
        ],
        |l, x, y| l.softmax(x, y),
    );
    // Batches: 64 rows of 1024.
    let mut g = c.benchmark_group("softmax_rows_64x1024");
    let x = inputs(64 * 1024);
    let mut y = vec![0f32; x.len()];
    g.throughput(Throughput::Elements(x.len() as u64));
    g.sample_size(30).measurement_time(Duration::from_secs(1));
    g.bench_function("activations", |b| {
        b.iter(|| activations::softmax_rows(black_box(&x), black_box(&mut y), 1024).unwrap())
    });
    g.bench_function("naive", |b| {
        b.iter(|| {
            for (r, o) in black_box(&x).chunks(1024).zip(y.chunks_mut(1024)) {
                naive_softmax(r, o);
            }
        })
    });
    g.finish();
}

fn naive_log_softmax(x: &[f32], y: &mut [f32]) {
    let m = x.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let s: f32 = x.iter().map(|&v| (v - m).exp()).sum();
    let l = s.ln();
    for (o, &v) in y.iter_mut().zip(x) {
        *o = v - m - l;
    }
}

fn log_softmax(c: &mut Criterion) {
    group_with_levels(
        c,
        "log_softmax",
        &[
            ("activations", &|x, y| {
                activations::log_softmax(x, y).unwrap()
            }),
            ("naive", &naive_log_softmax),
        ],
        |l, x, y| l.log_softmax(x, y),
    );
}

/// A backward kernel: `f(forward, grad_output, grad_input)`.
type Impl2<'a> = (&'a str, &'a dyn Fn(&[f32], &[f32], &mut [f32]));
type AtLevel2 = fn(Level, &[f32], &[f32], &mut [f32]) -> Result<(), activations::Error>;
type Boxed2 = Box<dyn Fn(&[f32], &[f32], &mut [f32])>;

/// One group per backward kernel: the crate (dispatched, and each level)
/// against the naive scalar loop, at every size of [`SIZES`]. The forward
/// tensor is `forward` of the usual inputs, the gradient the inputs / 8.
fn group2(c: &mut Criterion, name: &str, forward: fn(f32) -> f32, impls: &[Impl2], run: AtLevel2) {
    let levels = levels();
    let per_level: Vec<Boxed2> = levels
        .iter()
        .map(|&(_, l)| {
            Box::new(move |x: &[f32], g: &[f32], y: &mut [f32]| run(l, x, g, y).unwrap()) as Box<_>
        })
        .collect();
    let mut all: Vec<Impl2> = impls.to_vec();
    for ((label, _), f) in levels.iter().zip(&per_level) {
        all.push((label.as_str(), f.as_ref()));
    }
    let mut g = c.benchmark_group(name);
    for &n in &SIZES {
        let x: Vec<f32> = inputs(n).into_iter().map(forward).collect();
        let grad: Vec<f32> = inputs(n).into_iter().rev().map(|v| v * 0.125).collect();
        let mut y = vec![0f32; n];
        g.throughput(Throughput::Elements(n as u64));
        if n >= 1 << 20 {
            g.sample_size(10).measurement_time(Duration::from_secs(2));
        } else {
            g.sample_size(30).measurement_time(Duration::from_secs(1));
        }
        for (label, f) in &all {
            g.bench_with_input(BenchmarkId::new(*label, n), &x, |b, x| {
                b.iter(|| f(black_box(x), black_box(&grad), black_box(&mut y)))
            });
        }
    }
    g.finish();
}

/// [`group2`] for the row kernels: the forward tensor is the row forward
/// (`softmax`, `log_softmax`) of the inputs, the whole slice one row.
fn group2_rows(
    c: &mut Criterion,
    name: &str,
    forward: fn(&[f32], &mut [f32]) -> Result<(), activations::Error>,
    impls: &[Impl2],
    run: AtLevel2,
) {
    let levels = levels();
    let per_level: Vec<Boxed2> = levels
        .iter()
        .map(|&(_, l)| {
            Box::new(move |x: &[f32], g: &[f32], y: &mut [f32]| run(l, x, g, y).unwrap()) as Box<_>
        })
        .collect();
    let mut all: Vec<Impl2> = impls.to_vec();
    for ((label, _), f) in levels.iter().zip(&per_level) {
        all.push((label.as_str(), f.as_ref()));
    }
    let mut g = c.benchmark_group(name);
    for &n in &SIZES {
        let mut x = vec![0f32; n];
        forward(&inputs(n), &mut x).unwrap();
        let grad: Vec<f32> = inputs(n).into_iter().rev().map(|v| v * 0.125).collect();
        let mut y = vec![0f32; n];
        g.throughput(Throughput::Elements(n as u64));
        if n >= 1 << 20 {
            g.sample_size(10).measurement_time(Duration::from_secs(2));
        } else {
            g.sample_size(30).measurement_time(Duration::from_secs(1));
        }
        for (label, f) in &all {
            g.bench_with_input(BenchmarkId::new(*label, n), &x, |b, x| {
                b.iter(|| f(black_box(x), black_box(&grad), black_box(&mut y)))
            });
        }
    }
    g.finish();
}

fn softmax_backward(c: &mut Criterion) {
    group2_rows(
        c,
        "softmax_backward",
        activations::softmax,
        &[
            ("activations", &|y, g, o| {
                activations::softmax_backward(y, g, o).unwrap()
            }),
            ("naive", &|y, g, o| {
                let d: f32 = y.iter().zip(g).map(|(&y, &g)| y * g).sum();
                for ((o, &y), &g) in o.iter_mut().zip(y).zip(g) {
                    *o = y * (g - d);
                }
            }),
        ],
        |l, y, g, o| l.softmax_backward(y, g, o),
    );
}

fn log_softmax_backward(c: &mut Criterion) {
    group2_rows(
        c,
        "log_softmax_backward",
        activations::log_softmax,
        &[
            ("activations", &|y, g, o| {
                activations::log_softmax_backward(y, g, o).unwrap()
            }),
            ("naive", &|y, g, o| {
                let s: f32 = g.iter().sum();
                for ((o, &y), &g) in o.iter_mut().zip(y).zip(g) {
                    *o = g - y.exp() * s;
                }
            }),
        ],
        |l, y, g, o| l.log_softmax_backward(y, g, o),
    );
}

fn sigmoid_backward(c: &mut Criterion) {
    group2(
        c,
        "sigmoid_backward",
        |v| 1.0 / (1.0 + (-v).exp()),
        &[
            ("activations", &|y, g, o| {
                activations::sigmoid_backward(y, g, o).unwrap()
            }),
            ("naive", &|y, g, o| {
                for ((o, &y), &g) in o.iter_mut().zip(y).zip(g) {
                    *o = g * y * (1.0 - y);
                }
            }),
        ],
        |l, y, g, o| l.sigmoid_backward(y, g, o),
    );
}

fn tanh_backward(c: &mut Criterion) {
    group2(
        c,
        "tanh_backward",
        f32::tanh,
        &[
            ("activations", &|y, g, o| {
                activations::tanh_backward(y, g, o).unwrap()
            }),
            ("naive", &|y, g, o| {
                for ((o, &y), &g) in o.iter_mut().zip(y).zip(g) {
                    *o = g * (1.0 - y * y);
                }
            }),
        ],
        |l, y, g, o| l.tanh_backward(y, g, o),
    );
}

fn gelu_backward(c: &mut Criterion) {
    const C: f32 = 0.398_942_3; // 1/sqrt(2 pi)
    group2(
        c,
        "gelu_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::gelu_backward(x, g, o).unwrap()
            }),
            ("naive", &|x, g, o| {
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    let cdf = 0.5 * (1.0 + libm::erff(x * core::f32::consts::FRAC_1_SQRT_2));
                    *o = g * (cdf + x * C * (-0.5 * x * x).exp());
                }
            }),
        ],
        |l, x, g, o| l.gelu_backward(x, g, o),
    );
}

fn relu_backward(c: &mut Criterion) {
    group2(
        c,
        "relu_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::relu_backward(x, g, o).unwrap()
            }),
            ("naive", &|x, g, o| {
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    *o = if x > 0.0 { g } else { 0.0 };
                }
            }),
        ],
        |l, x, g, o| l.relu_backward(x, g, o),
    );
}

fn leaky_relu_backward(c: &mut Criterion) {
    group2(
        c,
        "leaky_relu_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::leaky_relu_backward(x, g, o, 0.01).unwrap()
            }),
            ("naive", &|x, g, o| {
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    *o = if x > 0.0 { g } else { g * 0.01 };
                }
            }),
        ],
        |l, x, g, o| l.leaky_relu_backward(x, g, o, 0.01),
    );
}

fn silu_backward(c: &mut Criterion) {
    group2(
        c,
        "silu_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::silu_backward(x, g, o).unwrap()
            }),
            ("naive", &|x, g, o| {
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    let s = 1.0 / (1.0 + (-x).exp());
                    *o = g * s * (1.0 + x * (1.0 - s));
                }
            }),
        ],
        |l, x, g, o| l.silu_backward(x, g, o),
    );
}

fn softplus_backward(c: &mut Criterion) {
    group2(
        c,
        "softplus_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::softplus_backward(x, g, o).unwrap()
            }),
            ("naive", &|x, g, o| {
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    *o = g / (1.0 + (-x).exp());
                }
            }),
        ],
        |l, x, g, o| l.softplus_backward(x, g, o),
    );
}

fn elu_backward(c: &mut Criterion) {
    group2(
        c,
        "elu_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::elu_backward(x, g, o, 1.0).unwrap()
            }),
            ("naive", &|x, g, o| {
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    *o = if x > 0.0 { g } else { g * x.exp() };
                }
            }),
        ],
        |l, x, g, o| l.elu_backward(x, g, o, 1.0),
    );
}

fn selu_backward(c: &mut Criterion) {
    const SCALE: f32 = 1.050_701;
    const SCALE_ALPHA: f32 = 1.758_099_3;
    group2(
        c,
        "selu_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::selu_backward(x, g, o).unwrap()
            }),
            ("naive", &|x, g, o| {
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    *o = if x > 0.0 {
                        g * SCALE
                    } else {
                        g * SCALE_ALPHA * x.exp()
                    };
                }
            }),
        ],
        |l, x, g, o| l.selu_backward(x, g, o),
    );
}

fn gelu_tanh_backward(c: &mut Criterion) {
    group2(
        c,
        "gelu_tanh_backward",
        |v| v,
        &[
            ("activations", &|x, g, o| {
                activations::gelu_tanh_backward(x, g, o).unwrap()
            }),
            ("naive", &|x, g, o| {
                // d/dx 0.5 x (1 + tanh(k (x + 0.044715 x^3))).
                const K: f32 = 0.797_884_6;
                for ((o, &x), &g) in o.iter_mut().zip(x).zip(g) {
                    let t = (K * (x + 0.044_715 * x * x * x)).tanh();
                    let dt = (1.0 - t * t) * K * (1.0 + 3.0 * 0.044_715 * x * x);
                    *o = g * (0.5 * (1.0 + t) + 0.5 * x * dt);
                }
            }),
        ],
        |l, x, g, o| l.gelu_tanh_backward(x, g, o),
    );
}

/// What run-time dispatch costs per call: a 7-element ReLU through the crate
/// root (one atomic load, a jump, a call into the `#[target_feature]`
/// function) against the same width called statically through `generic`
/// (no dispatch; meaningful in a `target-cpu=native` build, where `Native`
/// is the width the dispatch picks).
fn dispatch_overhead(c: &mut Criterion) {
    let mut g = c.benchmark_group("dispatch_overhead_relu_7");
    let x = inputs(7);
    let mut y = vec![0f32; 7];
    g.sample_size(50).measurement_time(Duration::from_secs(2));
    g.bench_function("crate_root", |b| {
        b.iter(|| activations::relu(black_box(&x), black_box(&mut y)).unwrap())
    });
    g.bench_function("generic_native_static", |b| {
        b.iter(|| {
            activations::generic::relu::<activations::Native>(black_box(&x), black_box(&mut y))
                .unwrap()
        })
    });
    // An empty slice: the whole call is the dispatch plus the length check.
    let mut e: [f32; 0] = [];
    g.bench_function("crate_root_empty", |b| {
        b.iter(|| activations::relu(black_box(&[]), black_box(&mut e)).unwrap())
    });
    g.bench_function("generic_native_static_empty", |b| {
        b.iter(|| {
            activations::generic::relu::<activations::Native>(black_box(&[]), black_box(&mut e))
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    sigmoid,
    sigmoid_fast,
    silu,
    gelu_tanh,
    gelu,
    gelu_backward,
    mish,
    softplus,
    elu,
    selu,
    hard_sigmoid,
    hard_swish,
    tanh,
    tanh_fast,
    relu,
    leaky_relu,
    softmax,
    log_softmax,
    sigmoid_backward,
    tanh_backward,
    relu_backward,
    leaky_relu_backward,
    softmax_backward,
    log_softmax_backward,
    silu_backward,
    softplus_backward,
    elu_backward,
    selu_backward,
    gelu_tanh_backward,
    dispatch_overhead
);
criterion_main!(benches);
