//! Log-softmax: accuracy against the f64 log-softmax of the row (random
//! rows, near-constant rows, rows whose maximal outputs are tiny, the
//! blocked path), special rows, every length at every width and level,
//! rows of a batch against single rows, errors.

mod common;

use activations::accuracy::LOG_SOFTMAX;
use activations::Error;
use common::{reference, Rng, LOG_SOFTMAX_ROWS, LOG_SOFTMAX_ROWS_IN_PLACE};

/// Worst error (ULP) of a log-softmax output against the reference, and where.
fn worst(row: &[f32], got: &[f32]) -> (f64, usize) {
    let want = reference::log_softmax(row);
    got.iter()
        .zip(&want)
        .map(|(&y, &r)| {
            if r == f64::NEG_INFINITY {
                if y == f32::NEG_INFINITY {
                    0.0
                } else {
                    f64::INFINITY
                }
            } else {
                reference::ulp_error(y, r)
            }
        })
        .enumerate()
        .fold(
            (0.0, 0),
            |(w, wi), (i, e)| if e > w { (e, i) } else { (w, wi) },
        )
}

fn bits_eq(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Random rows of many kinds and lengths; `scale` multiplies the number of
/// rows of each kind.
pub fn rows_for_test(rng: &mut Rng, lens: &[usize], scale: usize) -> Vec<(String, Vec<f32>)> {
    let mut rows = Vec::new();
    for &n in lens {
        for _ in 0..scale {
            for (name, sigma) in [
                ("N(0,1)", 1.0),
                ("N(0,30)", 30.0),
                ("N(0,1e3)", 1e3),
                ("N(0,1e-3)", 1e-3),
            ] {
                let mu = (rng.normal() * 100.0) as f32;
                rows.push((
                    format!("{name}+{mu} n={n}"),
                    (0..n).map(|_| mu + (rng.normal() * sigma) as f32).collect(),
                ));
            }
            rows.push((
                format!("uniform[-100,100] n={n}"),
                (0..n)
                    .map(|_| (rng.unit() * 200.0 - 100.0) as f32)
                    .collect(),
            ));
            rows.push((
                format!("ints n={n}"),
                (0..n).map(|_| (rng.below(41) as f32) - 20.0).collect(),
            ));
            rows.push((
                format!("masked-half n={n}"),
                (0..n)
                    .map(|i| {
                        if i % 2 == 1 {
                            f32::NEG_INFINITY
                        } else {
                            rng.normal() as f32 * 5.0
                        }
                    })
                    .collect(),
            ));
            // Near-constant: every output near -ln n, or the maximal ones tiny.
            let c = (rng.normal() * 10.0) as f32;
            rows.push((
                format!("near-constant n={n}"),
                (0..n)
                    .map(|_| c + (rng.normal() * 1e-6) as f32 * c.abs().max(1.0))
                    .collect(),
            ));
            // One dominant entry `gap` above the rest: its output is about
            // -(n - 1) e^-gap, down to subnormal.
            let gap = 5.0 + rng.unit() * 100.0;
            let mut r: Vec<f32> = (0..n).map(|_| (-gap - rng.unit() * 3.0) as f32).collect();
            r[rng.below(n)] = 0.0;
            rows.push((format!("dominant by {gap:.1} n={n}"), r));
            // Two equal maxima and the rest far below.
            if n >= 2 {
                let mut r: Vec<f32> = (0..n).map(|_| (-rng.unit() * 120.0) as f32).collect();
                let (a, b) = (rng.below(n), rng.below(n));
                r[a] = 1.5;
                r[b] = 1.5;
                rows.push((format!("two maxima n={n}"), r));
            }
        }
        rows.push((format!("constant n={n}"), vec![3.25; n]));
    }
    rows
}

const LENS: [usize; 14] = [
    1, 2, 3, 5, 7, 16, 17, 31, 100, 1000, 4096, 4099, 30_000, 65_535,
];

#[test]
fn log_softmax_within_bound_on_random_rows() {
    let mut rng = Rng(4242);
    let rows = rows_for_test(&mut rng, &LENS, 2);
    let paths = common::log_softmax_paths();
    let bound = f64::from(LOG_SOFTMAX);
    let mut overall = 0f64;
    for (name, row) in &rows {
        for p in &paths {
            let mut out = vec![0f32; row.len()];
            (p.out)(row, &mut out).unwrap();
            let (e, i) = worst(row, &out);
            overall = overall.max(e);
            assert!(
                e <= bound,
                "log_softmax {} {name}: {e} ULP at index {i} (x = {}, y = {}), bound {bound}",
                p.label,
                row[i],
                out[i]
            );
            let mut inp = row.clone();
            (p.in_place)(&mut inp);
            assert!(bits_eq(&inp, &out), "{} {name}: in place differs", p.label);
        }
    }
    println!(
        "log_softmax: {} rows x {} widths and levels, max {overall:.4} ULP (bound {bound})",
        rows.len(),
        paths.len()
    );
}

/// Rows of at least 2^16 elements take the blocked path.
#[test]
fn log_softmax_long_rows_blocked_path() {
    let mut rng = Rng(77);
    let n = (1 << 16) + 4099;
    let base: Vec<f32> = (0..n).map(|_| (rng.normal() * 3.0) as f32).collect();
    let mut cases: Vec<(&str, Vec<f32>)> = vec![("normal", base.clone())];
    let mut late_max = base.clone();
    late_max[n - 3] = 40.0;
    cases.push(("max in the last block", late_max));
    let mut masked = base.clone();
    masked[..3 * 4096].fill(f32::NEG_INFINITY);
    masked[20_000..30_000].fill(f32::NEG_INFINITY);
    cases.push(("masked blocks", masked));
    let mut far = base.clone();
    for v in &mut far[40_000..50_000] {
        *v -= 95.0;
    }
    cases.push(("a block 95 below", far));
    let mut huge_gap = base.clone();
    huge_gap[..4096].fill(-1.0e30);
    cases.push(("a block at -1e30", huge_gap));
    let mut dominant: Vec<f32> = (0..n).map(|_| (-80.0 - rng.unit()) as f32).collect();
    dominant[50_000] = 0.0;
    cases.push(("one entry 80 above the rest", dominant));
    let paths = common::log_softmax_paths();
    let bound = f64::from(LOG_SOFTMAX);
    let mut overall = 0f64;
    for (name, row) in &cases {
        for p in &paths {
            let mut y = vec![0f32; n];
            (p.out)(row, &mut y).unwrap();
            let (e, i) = worst(row, &y);
            overall = overall.max(e);
            assert!(e <= bound, "{} {name}: {e} ULP at {i}", p.label);
            let mut z = row.clone();
            (p.in_place)(&mut z);
            assert!(bits_eq(&z, &y), "{} {name}: in place differs", p.label);
        }
    }
    println!(
        "log_softmax blocked path: {} rows of {n} x {} widths and levels, max {overall:.4} ULP",
        cases.len(),
        paths.len()
    );
    for (bad, at) in [(f32::NAN, 69_000), (f32::INFINITY, 5), (f32::NAN, 0)] {
        let mut row = base.clone();
        row[at] = bad;
        for p in &paths {
            let mut y = vec![0f32; n];
            (p.out)(&row, &mut y).unwrap();
            assert!(y.iter().all(|v| v.to_bits() == f32::NAN.to_bits()));
        }
    }
    let masked = vec![f32::NEG_INFINITY; n];
    for p in &paths {
        let mut y = vec![1f32; n];
        (p.out)(&masked, &mut y).unwrap();
        assert!(y.iter().all(|&v| v == f32::NEG_INFINITY), "{}", p.label);
    }
}

/// Each row of a batch gives the bits of the single-row call, at every
/// width and level, out of place and in place.
#[test]
fn log_softmax_rows_match_single_rows() {
    let mut rng = Rng(9);
    for row_len in [1usize, 5, 16, 33, 1024] {
        let mut x: Vec<f32> = (0..17 * row_len)
            .map(|_| rng.normal() as f32 * 10.0)
            .collect();
        x[row_len] = f32::NAN; // row 1 all NaN, its neighbours untouched
        x[3 * row_len..4 * row_len].fill(f32::NEG_INFINITY);
        for l in common::levels() {
            let mut batch = vec![0f32; x.len()];
            l.log_softmax_rows(&x, &mut batch, row_len).unwrap();
            let mut in_place = x.clone();
            l.log_softmax_rows_in_place(&mut in_place, row_len).unwrap();
            assert!(bits_eq(&batch, &in_place), "{l} row_len {row_len} in place");
            for (r, got) in x.chunks(row_len).zip(batch.chunks(row_len)) {
                let mut one = vec![0f32; row_len];
                l.log_softmax(r, &mut one).unwrap();
                assert!(bits_eq(&one, got), "{l} row_len {row_len}");
            }
        }
        for (fr, fi) in LOG_SOFTMAX_ROWS.iter().zip(LOG_SOFTMAX_ROWS_IN_PLACE) {
            let mut batch = vec![0f32; x.len()];
            fr(&x, &mut batch, row_len).unwrap();
            let mut v = x.clone();
            fi(&mut v, row_len).unwrap();
            assert!(bits_eq(&batch, &v));
            for (r, got) in x.chunks(row_len).zip(batch.chunks(row_len)) {
                assert_eq!(got.len(), r.len());
                let mut one = vec![0f32; row_len];
                common::LOG_SOFTMAX[0](r, &mut one).unwrap();
                // Widths may differ in the last bits (lane sums); all within the bound.
                let (e, _) = worst(r, got);
                if r.iter().all(|v| !v.is_nan()) && r.iter().any(|&v| v != f32::NEG_INFINITY) {
                    assert!(e <= f64::from(LOG_SOFTMAX), "row_len {row_len}: {e}");
                }
            }
        }
    }
}

/// Every length from 0 to 70 (whole vectors and every tail) at every width
/// and level, within the bound; the row's value at an index does not depend
/// on what follows it in memory (tails padded through the same code).
#[test]
fn log_softmax_every_length_every_path() {
    let mut rng = Rng(5);
    let paths = common::log_softmax_paths();
    for n in 0..=70usize {
        let x: Vec<f32> = (0..n).map(|_| (rng.normal() * 8.0) as f32).collect();
        for p in &paths {
            let mut y = vec![7f32; n];
            (p.out)(&x, &mut y).unwrap();
            if n > 0 {
                let (e, i) = worst(&x, &y);
                assert!(e <= f64::from(LOG_SOFTMAX), "{} n={n}: {e} at {i}", p.label);
            }
            // The same row inside a longer slice, as a row of a batch.
            let mut padded = x.clone();
            padded.extend(vec![1e30f32; n]);
            if n > 0 {
                let mut yy = vec![0f32; 2 * n];
                activations::log_softmax_rows(&padded, &mut yy, n).unwrap();
                let mut one = vec![0f32; n];
                activations::log_softmax(&x, &mut one).unwrap();
                assert!(bits_eq(&yy[..n], &one), "n={n}");
            }
        }
    }
}

/// The special rows, at every width and level: bit for bit.
#[test]
fn log_softmax_special_rows() {
    let inf = f32::INFINITY;
    let nan = f32::NAN;
    let paths = common::log_softmax_paths();
    let run = |row: &[f32]| -> Vec<Vec<f32>> {
        let mut outs = Vec::new();
        for p in &paths {
            let mut y = vec![123f32; row.len()];
            (p.out)(row, &mut y).unwrap();
            let mut z = row.to_vec();
            (p.in_place)(&mut z);
            assert!(bits_eq(&y, &z), "{} in place {row:?}", p.label);
            outs.push(y);
        }
        outs
    };
    for len in [1usize, 3, 4, 9, 16, 17, 40] {
        // Fully masked: all -inf.
        for out in run(&vec![-inf; len]) {
            assert!(out.iter().all(|&v| v == -inf), "masked {len}");
        }
        // A NaN or +inf anywhere: all canonical NaN.
        for at in [0, len / 2, len - 1] {
            for bad in [nan, inf, f32::from_bits(0xffc0_0001)] {
                let mut row: Vec<f32> = (0..len).map(|i| i as f32 * 0.5).collect();
                row[at] = bad;
                for out in run(&row) {
                    assert!(
                        out.iter().all(|v| v.to_bits() == f32::NAN.to_bits()),
                        "{bad} at {at} of {len}: {out:?}"
                    );
                }
            }
            // A -inf entry: -inf there, the rest as if it were absent.
            let mut row: Vec<f32> = (0..len).map(|i| i as f32 * 0.5).collect();
            row[at] = -inf;
            let rest: Vec<f32> = row.iter().copied().filter(|v| *v != -inf).collect();
            for out in run(&row) {
                assert_eq!(out[at], -inf);
                let kept: Vec<f32> = out.iter().copied().filter(|v| *v != -inf).collect();
                if !rest.is_empty() {
                    let (e, _) = worst(&rest, &kept);
                    assert!(e <= f64::from(LOG_SOFTMAX));
                }
            }
        }
    }
    // Length 1: +0.0 whatever the finite value.
    for x in [0.0f32, -0.0, 1.0, -1e30, 3e38, f32::MIN_POSITIVE, 1e-45] {
        for out in run(&[x]) {
            assert_eq!(out[0].to_bits(), 0, "log_softmax([{x}])");
        }
    }
    // Equal entries: -ln n, correctly rounded for these n.
    for (n, want) in [(2usize, -core::f32::consts::LN_2), (4, -1.386_294_4f32)] {
        for out in run(&vec![-7.5; n]) {
            assert!(out.iter().all(|&v| v == want), "{n}: {out:?}");
        }
    }
    // The maximal entry of a row whose other entries are far below: tiny
    // outputs, subnormal included, not flushed; -0.0 or 0.0 never.
    for out in run(&[0.0, -100.0]) {
        let want = -(-100f64).exp();
        assert!(
            reference::ulp_error(out[0], want) <= 0.5 + 1e-6,
            "{}",
            out[0]
        );
        assert_eq!(out[1], -100.0);
    }
    for out in run(&[0.0, -150.0]) {
        assert_eq!(out[0].to_bits(), 0, "e^-150 is below every subnormal");
    }
    // x - max overflows: -inf there, finite elsewhere.
    for out in run(&[f32::MAX, f32::MIN, 0.0]) {
        assert_eq!(out[0].to_bits(), 0);
        assert_eq!(out[1], -inf);
        assert_eq!(out[2], -f32::MAX);
    }
    // x - max within an ulp of -f32::MAX: the maximum near f32::MAX and a
    // moderate positive x (the fuzzer found a NaN here once, from Knuth's
    // two-sum overflowing inside: `(x - M) - x` rounding to -inf). The
    // output is the correctly rounded x - M (the log term is below 2^-100).
    for m in [f32::MAX, f32::MAX.next_down(), 2f32.powi(127)] {
        for e in [0, 90, 100, 102, 103, 104, 105, 110] {
            for x in [2f32.powi(e), 3.0 * 2f32.powi(e - 1), 2f32.powi(e).next_up()] {
                let want = (f64::from(x) - f64::from(m)) as f32;
                for out in run(&[m, x]) {
                    assert_eq!(out[1], want, "x {x:e} m {m:e}");
                    assert_eq!(out[0].to_bits(), 0);
                }
            }
        }
    }
    // Empty: a no-op.
    for p in &paths {
        (p.out)(&[], &mut []).unwrap();
        (p.in_place)(&mut []);
    }
}

#[test]
fn log_softmax_errors_write_nothing() {
    let x = [1.0f32; 12];
    for out_len in [0usize, 11, 13] {
        let mut y = vec![9.0f32; out_len];
        assert_eq!(
            activations::log_softmax(&x, &mut y),
            Err(Error::LengthMismatch {
                input: 12,
                output: out_len
            })
        );
        assert_eq!(
            activations::log_softmax_rows(&x, &mut y, 4),
            Err(Error::LengthMismatch {
                input: 12,
                output: out_len
            })
        );
        assert!(y.iter().all(|&v| v == 9.0));
        for l in common::levels() {
            assert!(l.log_softmax(&x, &mut y).is_err());
            assert!(l.log_softmax_rows(&x, &mut y, 3).is_err());
        }
    }
    for row_len in [0usize, 5, 7, 13, 24] {
        let want = Err(Error::InvalidRowLength { len: 12, row_len });
        let mut y = [9.0f32; 12];
        assert_eq!(activations::log_softmax_rows(&x, &mut y, row_len), want);
        assert!(y.iter().all(|&v| v == 9.0));
        let mut v = [9.0f32; 12];
        assert_eq!(
            activations::log_softmax_rows_in_place(&mut v, row_len),
            want
        );
        assert!(v.iter().all(|&v| v == 9.0));
        for l in common::levels() {
            assert_eq!(l.log_softmax_rows_in_place(&mut v, row_len), want);
        }
    }
    assert_eq!(
        activations::log_softmax_rows(&[], &mut [], 0),
        Err(Error::InvalidRowLength { len: 0, row_len: 0 })
    );
    activations::log_softmax(&[], &mut []).unwrap();
    activations::log_softmax_in_place(&mut []);
    activations::log_softmax_rows(&[], &mut [], 3).unwrap();
    activations::log_softmax_rows_in_place(&mut [], 1).unwrap();
}

/// The measurement behind the bound (`cargo test --release --test
/// log_softmax -- --ignored --nocapture`): many more random rows (400
/// lengths, 11 rows each; `MEASURE_LENGTHS=4000` for ten times as many).
#[test]
#[ignore]
fn log_softmax_measure_many_rows() {
    let mut rng = Rng(0xabcd);
    let count: usize = std::env::var("MEASURE_LENGTHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let lens: Vec<usize> = (0..count)
        .map(|i| match i % 4 {
            0 => 1 + rng.below(16),
            1 => 1 + rng.below(300),
            2 => 1 + rng.below(5000),
            _ => 1 + rng.below(70_000),
        })
        .collect();
    let rows = rows_for_test(&mut rng, &lens, 1);
    let paths = common::log_softmax_paths();
    let mut overall = vec![(0f64, String::new()); paths.len()];
    for (name, row) in &rows {
        for (k, p) in paths.iter().enumerate() {
            let mut out = vec![0f32; row.len()];
            (p.out)(row, &mut out).unwrap();
            let (e, i) = worst(row, &out);
            if e > overall[k].0 {
                overall[k] = (e, format!("{name} at {i}: x {} y {}", row[i], out[i]));
            }
        }
    }
    for (p, (e, w)) in paths.iter().zip(&overall) {
        println!("{} (fused {}): max {e:.4} ULP ({w})", p.label, p.fused);
    }
    println!("{} rows", rows.len());
}
