//! Softmax and log-softmax backward: the bound (ULP part plus absolute
//! part, `src/accuracy.rs`) on random rows against the same formula in f64
//! on the given inputs, special rows, rows of a batch against single rows,
//! every length at every width and level, in place, errors.

mod common;

use activations::accuracy::{
    LOG_SOFTMAX_BACKWARD, LOG_SOFTMAX_BACKWARD_ABS, SOFTMAX_BACKWARD, SOFTMAX_BACKWARD_ABS,
    SOFTMAX_BACKWARD_TINY,
};
use activations::{f32x16, f32x4, f32x8, generic, Error, Level};
use common::reference::{self, ulp_f32_at};
use common::Rng;

type Bw = fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>;
type BwIn = fn(&[f32], &mut [f32]) -> Result<(), Error>;
type BwRows = fn(&[f32], &[f32], &mut [f32], usize) -> Result<(), Error>;
type BwRowsIn = fn(&[f32], &mut [f32], usize) -> Result<(), Error>;
type Reference = fn(&[f32], &[f32]) -> (Vec<f64>, Vec<f64>);
type BwAt = fn(Level, &[f32], &[f32], &mut [f32]) -> Result<(), Error>;
type BwInAt = fn(Level, &[f32], &mut [f32]) -> Result<(), Error>;
type BwRowsAt = fn(Level, &[f32], &[f32], &mut [f32], usize) -> Result<(), Error>;

/// One kernel: its functions at each width and level, reference and bound.
struct Kernel {
    name: &'static str,
    widths: [(Bw, BwIn, BwRows, BwRowsIn); 3],
    at: BwAt,
    at_in: BwInAt,
    at_rows: BwRowsAt,
    reference: Reference,
    ulps: f64,
    abs: f64,
    /// Makes `y` from logits (the forward).
    forward: fn(&[f32], &mut [f32]) -> Result<(), Error>,
}

macro_rules! widths {
    ($a:ident, $b:ident, $c:ident, $d:ident) => {
        [
            (
                generic::$a::<f32x4> as Bw,
                generic::$b::<f32x4> as BwIn,
                generic::$c::<f32x4> as BwRows,
                generic::$d::<f32x4> as BwRowsIn,
            ),
            (
                generic::$a::<f32x8>,
                generic::$b::<f32x8>,
                generic::$c::<f32x8>,
                generic::$d::<f32x8>,
            ),
            (
                generic::$a::<f32x16>,
                generic::$b::<f32x16>,
                generic::$c::<f32x16>,
                generic::$d::<f32x16>,
            ),
        ]
    };
}

fn kernels() -> [Kernel; 2] {
    [
        Kernel {
            name: "softmax_backward",
            widths: widths!(
                softmax_backward,
                softmax_backward_in_place,
                softmax_backward_rows,
                softmax_backward_rows_in_place
            ),
            at: |l, y, g, d| l.softmax_backward(y, g, d),
            at_in: |l, y, g| l.softmax_backward_in_place(y, g),
            at_rows: |l, y, g, d, n| l.softmax_backward_rows(y, g, d, n),
            reference: reference::softmax_backward,
            ulps: f64::from(SOFTMAX_BACKWARD),
            abs: SOFTMAX_BACKWARD_ABS,
            forward: activations::softmax,
        },
        Kernel {
            name: "log_softmax_backward",
            widths: widths!(
                log_softmax_backward,
                log_softmax_backward_in_place,
                log_softmax_backward_rows,
                log_softmax_backward_rows_in_place
            ),
            at: |l, y, g, d| l.log_softmax_backward(y, g, d),
            at_in: |l, y, g| l.log_softmax_backward_in_place(y, g),
            at_rows: |l, y, g, d, n| l.log_softmax_backward_rows(y, g, d, n),
            reference: reference::log_softmax_backward,
            ulps: f64::from(LOG_SOFTMAX_BACKWARD),
            abs: LOG_SOFTMAX_BACKWARD_ABS,
            forward: activations::log_softmax,
        },
    ]
}

/// Every path of a kernel: `(label, out of place, in place)`.
type OutFn = Box<dyn Fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>>;
type InFn = Box<dyn Fn(&[f32], &mut [f32]) -> Result<(), Error>>;
fn paths(k: &Kernel) -> Vec<(String, OutFn, InFn)> {
    let mut v: Vec<(String, OutFn, InFn)> = Vec::new();
    for (w, f) in common::WIDTHS.iter().zip(k.widths) {
        v.push((format!("f32x{w}"), Box::new(f.0), Box::new(f.1)));
    }
    for l in common::levels() {
        let (at, at_in) = (k.at, k.at_in);
        v.push((
            common::level_label(l).to_string(),
            Box::new(move |y, g, d| at(l, y, g, d)),
            Box::new(move |y, g| at_in(l, y, g)),
        ));
    }
    v
}

/// The bound's subnormal-range term for output `i`: `2^-147`, times
/// `1 + n |y_i|` for softmax (its dot product's underflowing products).
fn tiny(k: &Kernel, y: &[f32], i: usize) -> f64 {
    if k.name.starts_with("log") {
        SOFTMAX_BACKWARD_TINY
    } else {
        SOFTMAX_BACKWARD_TINY * (1.0 + y.len() as f64 * f64::from(y[i]).abs())
    }
}

/// The ULP part needed by each output (its error minus the absolute
/// parts, in ULP of the reference); the worst and where.
fn needed_ulps(k: &Kernel, y: &[f32], g: &[f32], got: &[f32]) -> (f64, usize) {
    let (r, scale) = (k.reference)(y, g);
    let mut worst = (0f64, 0);
    for (i, ((&d, &r), &s)) in got.iter().zip(&r).zip(&scale).enumerate() {
        let e = if f64::from(d) == r {
            0.0
        } else if !d.is_finite() || !r.is_finite() {
            f64::INFINITY
        } else {
            let err = (f64::from(d) - r).abs() - k.abs * s - tiny(k, y, i);
            err.max(0.0) / ulp_f32_at(r)
        };
        if e > worst.0 {
            worst = (e, i);
        }
    }
    worst
}

/// Random `(y, g)` rows: `y` the forward output of random logits, `g`
/// random, or nearly constant (where the difference cancels), or one-hot.
fn cases(
    k: &Kernel,
    rng: &mut Rng,
    lens: &[usize],
    scale: usize,
) -> Vec<(String, Vec<f32>, Vec<f32>)> {
    let mut v = Vec::new();
    for &n in lens {
        for _ in 0..scale {
            for (lname, sigma) in [("N(0,1)", 1.0), ("N(0,10)", 10.0), ("N(0,100)", 100.0)] {
                let x: Vec<f32> = (0..n).map(|_| (rng.normal() * sigma) as f32).collect();
                let mut y = vec![0f32; n];
                (k.forward)(&x, &mut y).unwrap();
                let gs = 10f64.powf(rng.unit() * 8.0 - 4.0);
                let c = rng.normal() * 3.0;
                let grads: [(&str, Vec<f32>); 4] = [
                    (
                        "g N(0,s)",
                        (0..n).map(|_| (rng.normal() * gs) as f32).collect(),
                    ),
                    (
                        "g c+N(0,1e-4)",
                        (0..n).map(|_| (c + rng.normal() * 1e-4) as f32).collect(),
                    ),
                    ("g constant", vec![c as f32; n]),
                    ("g one-hot", {
                        let mut g = vec![0f32; n];
                        g[rng.below(n)] = -1.0;
                        g
                    }),
                ];
                for (gname, g) in grads {
                    v.push((format!("{lname} {gname} n={n}"), y.clone(), g));
                }
            }
            // y anywhere in [0, 1] (softmax) or [-30, 0] (log-softmax), not a forward output.
            let y: Vec<f32> = (0..n)
                .map(|_| {
                    if k.name.starts_with("log") {
                        (-rng.unit() * 30.0) as f32
                    } else {
                        rng.unit() as f32
                    }
                })
                .collect();
            let g: Vec<f32> = (0..n).map(|_| rng.normal() as f32).collect();
            v.push((format!("y uniform n={n}"), y, g));
        }
    }
    v
}

fn bits_eq(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

const LENS: [usize; 12] = [1, 2, 3, 7, 16, 17, 33, 100, 1000, 4099, 30_000, 65_536];

#[test]
fn backward_within_bound_on_random_rows() {
    let mut rng = Rng(31);
    for k in kernels() {
        let rows = cases(&k, &mut rng, &LENS, 1);
        let ps = paths(&k);
        let mut overall = 0f64;
        for (name, y, g) in &rows {
            for (label, out, inp) in &ps {
                let mut d = vec![0f32; y.len()];
                out(y, g, &mut d).unwrap();
                let (e, i) = needed_ulps(&k, y, g, &d);
                overall = overall.max(e);
                assert!(
                    e <= k.ulps,
                    "{} {label} {name}: {e} ULP beyond the absolute part at {i} (y {}, g {}, got {})",
                    k.name,
                    y[i],
                    g[i],
                    d[i]
                );
                let mut gi = g.clone();
                inp(y, &mut gi).unwrap();
                assert!(
                    bits_eq(&gi, &d),
                    "{} {label} {name}: in place differs",
                    k.name
                );
            }
        }
        println!(
            "{}: {} rows x {} paths, ULP part needed at most {overall:.4} (B = {}, A = {:e})",
            k.name,
            rows.len(),
            ps.len(),
            k.ulps,
            k.abs
        );
    }
}

/// Each row of a batch gives the bits of the single-row call, at every
/// width and level; every length 0..=40 at every path within the bound.
#[test]
fn backward_rows_lengths_widths_levels() {
    let mut rng = Rng(12);
    for k in kernels() {
        for row_len in [1usize, 5, 16, 33] {
            let x: Vec<f32> = (0..9 * row_len)
                .map(|_| (rng.normal() * 4.0) as f32)
                .collect();
            let mut y = vec![0f32; x.len()];
            activations::softmax_rows(&x, &mut y, row_len).unwrap();
            if k.name.starts_with("log") {
                activations::log_softmax_rows(&x, &mut y, row_len).unwrap();
            }
            let mut g: Vec<f32> = (0..x.len()).map(|_| rng.normal() as f32).collect();
            g[2 * row_len] = f32::NAN; // row 2 all NaN, the others untouched
            for (w, f) in k.widths.iter().enumerate() {
                let mut batch = vec![0f32; x.len()];
                (f.2)(&y, &g, &mut batch, row_len).unwrap();
                let mut gi = g.clone();
                (f.3)(&y, &mut gi, row_len).unwrap();
                assert!(bits_eq(&batch, &gi), "{} width {w} rows in place", k.name);
                for ((yr, gr), got) in y
                    .chunks(row_len)
                    .zip(g.chunks(row_len))
                    .zip(batch.chunks(row_len))
                {
                    let mut one = vec![0f32; row_len];
                    (f.0)(yr, gr, &mut one).unwrap();
                    assert!(bits_eq(&one, got), "{} width {w} row_len {row_len}", k.name);
                }
            }
            for l in common::levels() {
                let mut batch = vec![0f32; x.len()];
                (k.at_rows)(l, &y, &g, &mut batch, row_len).unwrap();
                for ((yr, gr), got) in y
                    .chunks(row_len)
                    .zip(g.chunks(row_len))
                    .zip(batch.chunks(row_len))
                {
                    let mut one = vec![0f32; row_len];
                    (k.at)(l, yr, gr, &mut one).unwrap();
                    assert!(bits_eq(&one, got), "{} {l} row_len {row_len}", k.name);
                }
            }
            let nan_row = &batch_of(&k, &y, &g, row_len)[2 * row_len..3 * row_len];
            assert!(nan_row.iter().all(|v| v.to_bits() == f32::NAN.to_bits()));
        }
        let ps = paths(&k);
        for n in 0..=40usize {
            let x: Vec<f32> = (0..n).map(|_| (rng.normal() * 3.0) as f32).collect();
            let mut y = vec![0f32; n];
            (k.forward)(&x, &mut y).unwrap();
            let g: Vec<f32> = (0..n).map(|_| rng.normal() as f32).collect();
            for (label, out, inp) in &ps {
                let mut d = vec![5f32; n];
                out(&y, &g, &mut d).unwrap();
                let (e, i) = needed_ulps(&k, &y, &g, &d);
                assert!(e <= k.ulps, "{} {label} n={n}: {e} at {i}", k.name);
                let mut gi = g.clone();
                inp(&y, &mut gi).unwrap();
                assert!(bits_eq(&gi, &d));
            }
        }
    }
}

fn batch_of(k: &Kernel, y: &[f32], g: &[f32], row_len: usize) -> Vec<f32> {
    let mut d = vec![0f32; y.len()];
    (k.widths[0].2)(y, g, &mut d, row_len).unwrap();
    d
}

/// The special rows of the docs, at every path.
#[test]
fn backward_special_values() {
    let inf = f32::INFINITY;
    let nan = f32::NAN;
    for k in kernels() {
        let ps = paths(&k);
        let log = k.name.starts_with("log");
        let run = |y: &[f32], g: &[f32]| -> Vec<Vec<f32>> {
            ps.iter()
                .map(|(label, out, inp)| {
                    let mut d = vec![7f32; y.len()];
                    out(y, g, &mut d).unwrap();
                    let mut gi = g.to_vec();
                    inp(y, &mut gi).unwrap();
                    assert!(bits_eq(&gi, &d), "{label} in place {y:?} {g:?}");
                    d
                })
                .collect()
        };
        let y: Vec<f32> = if log {
            vec![-1.5, -0.5, -2.5, -3.0, -1.0]
        } else {
            vec![0.1, 0.2, 0.3, 0.15, 0.25]
        };
        let g = vec![0.5f32, -1.0, 2.0, 0.25, 1.0];
        // A NaN or infinite gradient: the whole row NaN.
        for bad in [nan, inf, -inf] {
            for at in [0usize, 2, 4] {
                let mut gb = g.clone();
                gb[at] = bad;
                for d in run(&y, &gb) {
                    assert!(
                        d.iter().all(|v| v.to_bits() == f32::NAN.to_bits()),
                        "{} g[{at}] = {bad}: {d:?}",
                        k.name
                    );
                }
            }
        }
        if log {
            // -inf (masked) entries give g exactly; a NaN y only its own entry.
            let mut ym = y.clone();
            ym[1] = -inf;
            ym[3] = nan;
            for d in run(&ym, &g) {
                assert_eq!(d[1].to_bits(), g[1].to_bits());
                assert!(d[3].is_nan());
                assert!(d[0].is_finite() && d[2].is_finite() && d[4].is_finite());
            }
            // A fully masked row: g.
            for d in run(&[-inf; 5], &g) {
                assert!(bits_eq(&d, &g));
            }
            // y > 88: e^y taken as +inf.
            for d in run(&[100.0, -1.0], &[1.0, 1.0]) {
                assert_eq!(d[0], -inf);
                assert!(d[1].is_finite());
            }
        } else {
            // A NaN or infinite y: the whole row NaN.
            for bad in [nan, inf] {
                let mut yb = y.clone();
                yb[3] = bad;
                for d in run(&yb, &g) {
                    assert!(d.iter().all(|v| v.to_bits() == f32::NAN.to_bits()));
                }
            }
            // y = 0 (masked entries): zero.
            let mut ym = y.clone();
            ym[2] = 0.0;
            for d in run(&ym, &g) {
                assert_eq!(d[2], 0.0);
            }
        }
        // Empty rows: no-ops.
        for (_, out, inp) in &ps {
            out(&[], &[], &mut []).unwrap();
            inp(&[], &mut []).unwrap();
        }
    }
}

#[test]
fn backward_errors_write_nothing() {
    for k in kernels() {
        let y = [0.25f32; 12];
        let g = [1.0f32; 12];
        for (f, fi, fr, fri) in k.widths {
            // The gradient's length first, then grad_input's.
            let mut d = [9f32; 12];
            assert_eq!(
                f(&y, &g[..11], &mut d),
                Err(Error::LengthMismatch {
                    input: 12,
                    output: 11
                })
            );
            assert_eq!(
                fr(&y, &g[..11], &mut d, 3),
                Err(Error::LengthMismatch {
                    input: 12,
                    output: 11
                })
            );
            let mut d13 = [9f32; 13];
            assert_eq!(
                f(&y, &g, &mut d13),
                Err(Error::LengthMismatch {
                    input: 12,
                    output: 13
                })
            );
            let mut gi = [9f32; 11];
            assert_eq!(
                fi(&y, &mut gi),
                Err(Error::LengthMismatch {
                    input: 12,
                    output: 11
                })
            );
            assert_eq!(
                fri(&y, &mut gi, 3),
                Err(Error::LengthMismatch {
                    input: 12,
                    output: 11
                })
            );
            assert!(d.iter().chain(&d13).chain(&gi).all(|&v| v == 9.0));
            for row_len in [0usize, 5, 7, 24] {
                let want = Err(Error::InvalidRowLength { len: 12, row_len });
                assert_eq!(fr(&y, &g, &mut d, row_len), want);
                let mut gg = [9f32; 12];
                assert_eq!(fri(&y, &mut gg, row_len), want);
                assert!(d.iter().chain(&gg).all(|&v| v == 9.0));
            }
            assert_eq!(
                fr(&[], &[], &mut [], 0),
                Err(Error::InvalidRowLength { len: 0, row_len: 0 })
            );
            fr(&[], &[], &mut [], 4).unwrap();
        }
        for l in common::levels() {
            let mut d = [9f32; 12];
            assert!((k.at)(l, &y, &g[..3], &mut d).is_err());
            assert!((k.at_rows)(l, &y, &g, &mut d, 5).is_err());
            assert!(d.iter().all(|&v| v == 9.0));
        }
    }
}

/// The measurement behind the bounds (`cargo test --release --test
/// softmax_backward -- --ignored --nocapture`): many more random rows
/// (160 lengths, 13 rows each, per kernel; more with `MEASURE_LENGTHS`).
#[test]
#[ignore]
fn backward_measure_many_rows() {
    let mut rng = Rng(0xbac);
    for k in kernels() {
        let count: usize = std::env::var("MEASURE_LENGTHS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(160);
        let lens: Vec<usize> = (0..count)
            .map(|i| match i % 4 {
                0 => 1 + rng.below(16),
                1 => 1 + rng.below(300),
                2 => 1 + rng.below(5000),
                _ => 1 + rng.below(70_000),
            })
            .collect();
        let rows = cases(&k, &mut rng, &lens, 1);
        let ps = paths(&k);
        let mut worst = vec![(0f64, String::new()); ps.len()];
        let mut ratio = 0f64;
        let mut elements = 0usize;
        for (name, y, g) in &rows {
            let (r, s) = (k.reference)(y, g);
            for (j, (_, out, _)) in ps.iter().enumerate() {
                let mut d = vec![0f32; y.len()];
                out(y, g, &mut d).unwrap();
                let (e, i) = needed_ulps(&k, y, g, &d);
                if e > worst[j].0 {
                    worst[j] = (e, format!("{name} at {i}"));
                }
                for ((&d, &r), &s) in d.iter().zip(&r).zip(&s) {
                    // The absolute part actually used, where the ULP part
                    // alone (0.5) would not do.
                    let err = (f64::from(d) - r).abs() - 0.5 * ulp_f32_at(r) - tiny(&k, y, 0);
                    if err > 0.0 && s > 0.0 {
                        ratio = ratio.max(err / s);
                    }
                }
                elements += d.len();
            }
        }
        for ((label, _, _), (e, w)) in ps.iter().zip(&worst) {
            println!("{} {label}: ULP part needed {e:.4} ({w})", k.name);
        }
        println!(
            "{}: {} rows, {elements} outputs; largest (error - 0.5 ulp - 2^-147) / scale: {ratio:e} = 2^{:.1}",
            k.name,
            rows.len(),
            ratio.log2()
        );
    }
}
