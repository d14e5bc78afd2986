//! Accuracy against the f64 references, with the bounds of the crate's one
//! accuracy table, at every lane width.

mod common;

use common::{elementwise, reference, Rng, SOFTMAX, SOFTMAX_ROWS, WIDTHS};

/// 2^24 inputs spread over the whole f32 range: every 256th bit pattern with
/// a random low byte, so every binade of both signs is visited ~2^15 times
/// (with [`common::sweep_shift`]: `2^(24 - shift)` inputs, every
/// `2^(8 + shift)`th pattern with its low `8 + shift` bits random, so that
/// no bit is left constant).
fn spread_inputs() -> Vec<f32> {
    let mut rng = Rng(0x5eed);
    let shift = common::sweep_shift();
    let low = (1u64 << (8 + shift)) - 1;
    (0..1u64 << (24 - shift))
        .map(|i| f32::from_bits(((i << (8 + shift)) | (rng.next_u64() & low)) as u32))
        .collect()
}

/// Dense inputs around the places where kernels change regime: sigmoid's
/// subnormal tail and saturation, tanh's saturation, tiny inputs.
fn dense_inputs() -> Vec<f32> {
    let mut v = Vec::new();
    for (lo, hi) in [
        (-105.0f32, -86.0f32),
        (16.0, 18.0),
        (8.5, 9.6),
        (-9.6, -8.5),
        (-0.5, 0.5),
        (-1e-3, 1e-3),
    ] {
        let (a, b) = (lo.to_bits(), hi.to_bits());
        let (a, b) = if lo < 0.0 && hi <= 0.0 {
            (b, a)
        } else {
            (a, b)
        };
        if lo < 0.0 && hi > 0.0 {
            // Straddles zero: walk each sign separately.
            let step = (lo.to_bits() - 0x8000_0000) / (1 << 16) + 1;
            v.extend(
                (0x8000_0000..lo.to_bits())
                    .step_by(step as usize)
                    .map(f32::from_bits),
            );
            let step = hi.to_bits() / (1 << 16) + 1;
            v.extend((0..hi.to_bits()).step_by(step as usize).map(f32::from_bits));
        } else {
            v.extend(
                (a..=b)
                    .step_by(((b - a) / (1 << 18)).max(1) as usize)
                    .map(f32::from_bits),
            );
        }
    }
    v
}

#[test]
fn elementwise_within_bound_over_spread_and_dense_sweeps() {
    println!("build: {}", common::build_features());
    let mut inputs = spread_inputs();
    inputs.extend(dense_inputs());
    let mut out = vec![0f32; inputs.len()];
    for k in elementwise() {
        // The f64 reference once per kernel, not once per path (under
        // qemu-user it was most of this test's time).
        let want: Vec<f64> = inputs.iter().map(|&x| (k.reference)(x)).collect();
        for p in k.paths() {
            let w = &p.label;
            (p.out)(&inputs, &mut out).unwrap();
            let (mut worst, mut at) = (0f64, 0f32);
            for ((&x, &y), &r) in inputs.iter().zip(&out).zip(&want) {
                let e = reference::ulp_error(y, r);
                if e > worst {
                    (worst, at) = (e, x);
                }
            }
            println!(
                "{:18} {w:<14} {} inputs: max {worst:.4} ULP at {at:e} (bound {})",
                k.name,
                inputs.len(),
                k.bound
            );
            assert!(
                worst <= f64::from(k.bound),
                "{} {w}: {worst} ULP at x = {at:e} ({:#010x}) exceeds {}",
                k.name,
                at.to_bits(),
                k.bound
            );
        }
    }
}

/// The f32 routes of sigmoid, SiLU, tanh, GELU, GELU-tanh, Mish, softplus,
/// ELU and SELU, which x86-64 builds without FMA replace by f64 routes but
/// bare-metal targets run (`src/sigmoid.rs`): reachable through hidden
/// `generic` functions ([`common::f32_routes`]), held to the same bounds on
/// the same inputs, at every width.
#[test]
fn f32_routes_within_bound() {
    let mut inputs = spread_inputs();
    inputs.extend(dense_inputs());
    let mut out = vec![0f32; inputs.len()];
    let routes = common::f32_routes();
    assert_eq!(routes.len(), 10, "a kernel's f32 route left the table");
    for k in routes {
        for (w, f) in WIDTHS.iter().zip(k.slice) {
            f(&inputs, &mut out).unwrap();
            let (mut worst, mut at) = (0f64, 0f32);
            for (&x, &y) in inputs.iter().zip(&out) {
                let e = reference::ulp_error(y, (k.reference)(x));
                if e > worst || (e.is_nan() && !worst.is_nan()) {
                    (worst, at) = (e, x);
                }
            }
            let (name, bound) = (k.name, k.bound);
            println!("{name:20} f32x{w}: max {worst:.4} ULP at {at:e} (bound {bound})");
            assert!(
                worst <= f64::from(bound),
                "{name} f32x{w}: {worst} ULP at x = {at:e} exceeds {bound}"
            );
        }
    }
}

/// Worst error of a softmax output against the f64 softmax of its row.
fn softmax_error(row: &[f32], got: &[f32]) -> (f64, usize) {
    let want = reference::softmax(row);
    got.iter()
        .zip(&want)
        .map(|(&y, &r)| reference::ulp_error(y, r))
        .enumerate()
        .fold(
            (0.0, 0),
            |(w, wi), (i, e)| if e > w { (e, i) } else { (w, wi) },
        )
}

fn softmax_rows_for_test(rng: &mut Rng) -> Vec<(String, Vec<f32>)> {
    let mut rows = Vec::new();
    let lens = [1usize, 2, 3, 7, 16, 17, 31, 100, 1000, 4096, 4099, 65536];
    for &n in &lens {
        for (name, sigma) in [("N(0,1)", 1.0), ("N(0,30)", 30.0), ("N(0,1e3)", 1e3)] {
            rows.push((
                format!("{name} n={n}"),
                (0..n).map(|_| (rng.normal() * sigma) as f32).collect(),
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
        rows.push((format!("constant n={n}"), vec![3.25; n]));
        // One dominant entry: every other output is tiny (down into subnormals).
        let mut r: Vec<f32> = (0..n).map(|_| (rng.unit() * -100.0) as f32).collect();
        r[rng.below(n)] = 5.0;
        rows.push((format!("one-hot-ish n={n}"), r));
    }
    rows
}

#[test]
fn softmax_within_bound_on_random_rows_up_to_65536() {
    let mut rng = Rng(42);
    let rows = softmax_rows_for_test(&mut rng);
    let paths = common::softmax_paths();
    // The maxima of the paths with FMA and of those without (README's two
    // columns).
    let mut overall = [0f64; 2];
    for (name, row) in &rows {
        for p in &paths {
            let (w, fi) = (&p.label, &p.in_place);
            let bound = f64::from(activations::accuracy::softmax_bound(p.fused));
            let mut out = vec![0f32; row.len()];
            (p.out)(row, &mut out).unwrap();
            let (e, i) = softmax_error(row, &out);
            let max = &mut overall[usize::from(!p.fused)];
            *max = max.max(e);
            assert!(
                e <= bound,
                "softmax {w} {name}: {e} ULP at index {i} (x = {}, max = {:?}), bound {bound}",
                row[i],
                row.iter().cloned().fold(f32::NEG_INFINITY, f32::max)
            );
            let mut inp = row.clone();
            fi(&mut inp);
            assert!(
                inp.iter()
                    .zip(&out)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "softmax in place differs from out of place: {w} {name}"
            );
        }
    }
    println!(
        "softmax: {} rows x {} widths and levels, max {:.4} ULP with FMA, {:.4} without \
         (bounds: FMA {}, without {})",
        rows.len(),
        paths.len(),
        overall[0],
        overall[1],
        activations::accuracy::SOFTMAX_FMA,
        activations::accuracy::SOFTMAX_NO_FMA
    );
}

#[test]
fn softmax_rows_match_row_by_row_softmax_at_every_level() {
    let mut rng = Rng(8);
    for row_len in [1usize, 5, 16, 33, 1024] {
        let x: Vec<f32> = (0..17 * row_len)
            .map(|_| rng.normal() as f32 * 10.0)
            .collect();
        for l in common::levels() {
            let mut batch = vec![0f32; x.len()];
            l.softmax_rows(&x, &mut batch, row_len).unwrap();
            let mut in_place = x.clone();
            l.softmax_rows_in_place(&mut in_place, row_len).unwrap();
            assert!(bits_eq(&batch, &in_place), "{l} row_len {row_len} in place");
            for (r, got) in x.chunks(row_len).zip(batch.chunks(row_len)) {
                let mut one = vec![0f32; row_len];
                l.softmax(r, &mut one).unwrap();
                assert!(bits_eq(&one, got), "{l} row_len {row_len}");
            }
        }
    }
}

fn bits_eq(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

#[test]
fn softmax_rows_match_row_by_row_softmax() {
    let mut rng = Rng(7);
    for row_len in [1usize, 5, 16, 33, 1024] {
        let rows = 64;
        let x: Vec<f32> = (0..rows * row_len)
            .map(|_| rng.normal() as f32 * 10.0)
            .collect();
        for (w, (fr, f)) in WIDTHS.iter().zip(SOFTMAX_ROWS.iter().zip(SOFTMAX)) {
            let mut batch = vec![0f32; x.len()];
            fr(&x, &mut batch, row_len).unwrap();
            for (r, got) in x.chunks(row_len).zip(batch.chunks(row_len)) {
                let mut one = vec![0f32; row_len];
                f(r, &mut one).unwrap();
                assert!(
                    one.iter().zip(got).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "f32x{w} row_len {row_len}"
                );
            }
        }
    }
}

/// Rows of at least `BLOCKED_MIN` (2^16) elements take the blocked path:
/// its special rows, masked blocks, a maximum in a late block, a block far
/// below the maximum, at every width and level, against the bound.
#[test]
fn softmax_long_rows_blocked_path() {
    let mut rng = Rng(99);
    let n = (1 << 16) + 4099; // 17 blocks of 4096 and a short one
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
        *v -= 95.0; // outputs down to subnormal
    }
    cases.push(("a block 95 below", far));
    let mut huge_gap = base.clone();
    huge_gap[..4096].fill(-1.0e30);
    cases.push(("a block at -1e30", huge_gap));
    let paths = common::softmax_paths();
    // With FMA, without.
    let mut overall = [0f64; 2];
    for (name, row) in &cases {
        let want = reference::softmax(row);
        for p in &paths {
            let bound = f64::from(activations::accuracy::softmax_bound(p.fused));
            let mut y = vec![0f32; n];
            (p.out)(row, &mut y).unwrap();
            let mut worst = (0f64, 0);
            for (i, (&yi, &ri)) in y.iter().zip(&want).enumerate() {
                if row[i] == f32::NEG_INFINITY {
                    assert_eq!(yi.to_bits(), 0, "{} {name}: -inf entry {i}", p.label);
                }
                let e = reference::ulp_error(yi, ri);
                if e > worst.0 {
                    worst = (e, i);
                }
            }
            let max = &mut overall[usize::from(!p.fused)];
            *max = max.max(worst.0);
            assert!(
                worst.0 <= bound,
                "{} {name}: {} ULP at {} (bound {bound})",
                p.label,
                worst.0,
                worst.1
            );
            let mut z = row.clone();
            (p.in_place)(&mut z);
            assert!(
                z.iter().zip(&y).all(|(a, b)| a.to_bits() == b.to_bits()),
                "{} {name}: in place differs",
                p.label
            );
        }
    }
    println!(
        "softmax blocked path: {} rows of {n} x {} widths and levels, max {:.4} ULP with FMA, \
         {:.4} without",
        cases.len(),
        paths.len(),
        overall[0],
        overall[1]
    );
    // A NaN or +inf in any block, the whole row NaN; every block masked, zeros.
    for (bad, at) in [(f32::NAN, 69_000), (f32::INFINITY, 5), (f32::NAN, 0)] {
        let mut row = base.clone();
        row[at] = bad;
        for p in &paths {
            let mut y = vec![0f32; n];
            (p.out)(&row, &mut y).unwrap();
            assert!(
                y.iter().all(|v| v.to_bits() == f32::NAN.to_bits()),
                "{} {bad} at {at}",
                p.label
            );
            let mut z = row.clone();
            (p.in_place)(&mut z);
            assert!(
                z.iter().all(|v| v.to_bits() == f32::NAN.to_bits()),
                "{} in place",
                p.label
            );
        }
    }
    let masked = vec![f32::NEG_INFINITY; n];
    for p in &paths {
        let mut y = vec![1f32; n];
        (p.out)(&masked, &mut y).unwrap();
        assert!(y.iter().all(|v| v.to_bits() == 0), "{} all masked", p.label);
    }
}
