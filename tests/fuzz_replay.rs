//! The fuzz targets' checks on stable, without cargo-fuzz: every file of the
//! checked-in corpus (`fuzz/corpus/<target>/`), then seeded pseudo-random
//! inputs biased towards the interesting values, through the same
//! `common::contract` functions the fuzz targets call.

mod common;

use common::contract::{self, Family, FLAG_IN_PLACE, FLAG_SCALED};
use common::Rng;
use common::{backward_contract, row_backward_contract};
use std::f32::consts::LN_2;
use std::path::PathBuf;

/// Seeded inputs per target.
const RANDOM_CASES: usize = 1000;

fn corpus_dir(f: Family) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus")
        .join(f.name())
}

#[test]
fn corpus_replays() {
    println!("build: {}", common::build_features());
    for f in Family::ALL {
        let dir = corpus_dir(f);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("corpus entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{} is empty", dir.display());
        for p in &files {
            let data = std::fs::read(p).expect("corpus file");
            let r = std::panic::catch_unwind(|| f.check(&data));
            if r.is_err() {
                panic!("{} failed its check (see the message above)", p.display());
            }
        }
        println!("{}: {} corpus files ok", f.name(), files.len());
    }
}

/// Bits just around `t` (a few ulps either side).
fn near(t: f32, rng: &mut Rng) -> f32 {
    let k = rng.below(41) as i32 - 20;
    f32::from_bits(t.to_bits().wrapping_add_signed(k))
}

fn nan(rng: &mut Rng) -> f32 {
    const PAYLOADS: [u32; 6] = [
        0x7fc0_0000,
        0xffc0_0000,
        0x7f80_0001,
        0xff80_0001,
        0x7fff_ffff,
        0xffff_ffff,
    ];
    if rng.below(2) == 0 {
        f32::from_bits(PAYLOADS[rng.below(PAYLOADS.len())])
    } else {
        // Any payload, quiet or signalling, either sign.
        f32::from_bits(0x7f80_0000 | (rng.next_u64() as u32 & 0x807f_ffff) | 1)
    }
}

fn uniform(rng: &mut Rng, lo: f64, hi: f64) -> f32 {
    (lo + (hi - lo) * rng.unit()) as f32
}

/// One value, biased towards the regions where the kernels are hard.
fn interesting(rng: &mut Rng) -> f32 {
    let sign = if rng.below(2) == 0 { 1.0 } else { -1.0 };
    match rng.below(16) {
        0 => rng.any_f32(),
        1 => nan(rng),
        2 => [
            0.0,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            f32::from_bits(1),
            f32::from_bits(0x8000_0001),
            f32::from_bits(0x007f_ffff),
            1.0,
            -1.0,
        ][rng.below(13)],
        // Subnormals.
        3 => f32::from_bits((rng.next_u64() as u32 & 0x807f_ffff) | 1),
        // Sigmoid's subnormal tail and its end.
        4 => uniform(rng, -104.5, -86.5),
        5 => near([-103.972_08, -87.336_55, -104.0, -103.0][rng.below(4)], rng),
        // Saturation: sigmoid 25 ln 2, tanh 13 ln 2.
        6 => sign * near(17.328_68, rng),
        7 => sign * near(9.010_913, rng),
        8 => sign * uniform(rng, 8.5, 18.0),
        // Tiny inputs (tanh x ~ x, sigmoid ~ 1/2): every binade down to 2^-126.
        9 => sign * 2f32.powi(-(rng.below(126) as i32)) * uniform(rng, 1.0, 2.0),
        // Ordinary values at a few scales.
        10 | 11 => (rng.normal() * [1.0, 4.0, 30.0][rng.below(3)]) as f32,
        12 => sign * uniform(rng, 0.0, 120.0),
        // Exponent thresholds of the reductions.
        13 => {
            sign * near(
                [LN_2 / 2.0, LN_2, 128.0 * LN_2, 64.0 * LN_2][rng.below(4)],
                rng,
            )
        }
        14 => sign * f32::from_bits(rng.next_u64() as u32 & 0x7fff_ffff).min(200.0),
        _ => rng.any_f32(),
    }
}

/// A softmax row: ordinary values, with masking and specials at some rate.
fn softmax_values(rng: &mut Rng, n: usize) -> Vec<f32> {
    let style = rng.below(8);
    let base = (rng.normal() * 50.0) as f32;
    let spread = [0.01, 1.0, 10.0, 40.0, 120.0][rng.below(5)];
    let mut v: Vec<f32> = (0..n)
        .map(|_| match style {
            0 => interesting(rng),
            1 => base, // all equal
            _ => base + (rng.normal() * spread) as f32,
        })
        .collect();
    // Masks, NaNs, +inf, extremes at random positions.
    let specials = rng.below(4);
    for _ in 0..specials.min(n) {
        let i = rng.below(n);
        v[i] = match rng.below(6) {
            0..=2 => f32::NEG_INFINITY,
            3 => nan(rng),
            4 => f32::INFINITY,
            _ => [f32::MAX, f32::MIN, base - 100.0, base - 88.0][rng.below(4)],
        };
    }
    // Sometimes a fully masked stretch.
    if n > 0 && rng.below(6) == 0 {
        let a = rng.below(n);
        let b = a + rng.below(n - a + 1);
        v[a..b].fill(f32::NEG_INFINITY);
    }
    v
}

fn slope(rng: &mut Rng) -> f32 {
    match rng.below(6) {
        0 => [0.01, 0.3, 0.0, -0.0, -0.5, 1.0, 5.5, 1.0 / 3.0][rng.below(8)],
        1 => nan(rng),
        2 => [
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::from_bits(1),
        ][rng.below(4)],
        3 => rng.any_f32(),
        _ => uniform(rng, -1.0, 1.0),
    }
}

/// One seeded input for `f`, in the fuzz format.
fn random_input(rng: &mut Rng, f: Family) -> Vec<u8> {
    let n = match rng.below(20) {
        0 => 0,
        1 => 256 + rng.below(800),
        2 if !matches!(f, Family::SoftmaxRows | Family::LogSoftmaxRows) => 2000 + rng.below(2200), // past MAX_VALUES sometimes
        _ => 1 + rng.below(70),
    };
    let scaled = rng.below(8) == 0;
    let flags = (rng.below(2) as u8 * FLAG_IN_PLACE) | if scaled { FLAG_SCALED } else { 0 };
    let len_sel = if rng.below(6) == 0 {
        0xE0 + rng.below(32) as u8
    } else {
        0
    };
    let values: Vec<u32> = if scaled {
        (0..n).map(|_| rng.next_u64() as u32).collect()
    } else if matches!(
        f,
        Family::Softmax | Family::SoftmaxRows | Family::LogSoftmax | Family::LogSoftmaxRows
    ) {
        softmax_values(rng, n).iter().map(|v| v.to_bits()).collect()
    } else {
        (0..n).map(|_| interesting(rng).to_bits()).collect()
    };
    let param = match f {
        Family::LeakyRelu => slope(rng).to_bits(),
        Family::SoftmaxRows | Family::LogSoftmaxRows => {
            let sel = if rng.below(4) == 0 {
                5 + rng.below(3)
            } else {
                rng.below(5)
            } as u32;
            let arg = if rng.below(2) == 0 {
                rng.below(8)
            } else {
                rng.below(1 << 16)
            } as u32;
            sel | arg << 8
        }
        _ => 0,
    };
    contract::encode(f, flags, len_sel, param, &values)
}

#[test]
fn seeded_inputs() {
    for (k, f) in Family::ALL.into_iter().enumerate() {
        let mut rng = Rng(0x5eed_f0cc_0000 + k as u64);
        for case in 0..RANDOM_CASES {
            let data = random_input(&mut rng, f);
            let r = std::panic::catch_unwind(|| f.check(&data));
            if r.is_err() {
                let path =
                    std::env::temp_dir().join(format!("fuzz_replay-{}-{case}.bin", f.name()));
                std::fs::write(&path, &data).expect("write failing input");
                panic!(
                    "{} seeded case {case} failed (message above); input ({} bytes) saved to {} \
                     (replay: cargo fuzz run {} that-file)",
                    f.name(),
                    data.len(),
                    path.display(),
                    f.name()
                );
            }
        }
    }
}

/// The decoder reaches what the format promises.
#[test]
fn decoder_reaches_every_shape() {
    use contract::{decode, out_len, row_len};
    assert_eq!(out_len(10, 0x00), 10);
    assert_eq!(out_len(10, 0xDF), 10);
    assert_eq!(out_len(10, 0xE0), 11);
    assert_eq!(out_len(10, 0xEF), 26);
    assert_eq!(out_len(10, 0xF0), 9);
    assert_eq!(out_len(3, 0xFF), 0);
    assert_eq!(row_len(12, 0, 0), 1);
    assert_eq!(row_len(12, 1, 5), 12);
    assert_eq!(row_len(12, 5, 7), 7);
    assert_eq!(row_len(12, 6, 7), 0);
    assert_eq!(row_len(12, 7, 1), usize::MAX);
    assert_eq!(row_len(0, 2, 0), 1);
    let c = decode(
        Family::LeakyRelu,
        &contract::encode(
            Family::LeakyRelu,
            FLAG_IN_PLACE,
            0,
            0x7fc1_2345,
            &[0xffff_ffff, 1, 0x8000_0000],
        ),
    );
    assert!(c.in_place);
    assert_eq!(c.slope.to_bits(), 0x7fc1_2345);
    assert_eq!(
        c.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        [0xffff_ffff, 1, 0x8000_0000]
    );
    let c = decode(
        Family::Sigmoid,
        &contract::encode(
            Family::Sigmoid,
            FLAG_SCALED,
            0,
            0,
            &[(-(87 << 24)) as u32, 1],
        ),
    );
    assert_eq!(c.values, [-87.0, 2f32.powi(-24)]);
    // Trailing bytes and the cap.
    let mut d = vec![0u8; 2 + 4 * (contract::MAX_VALUES + 3) + 3];
    d[0] = 0;
    assert_eq!(decode(Family::Tanh, &d).values.len(), contract::MAX_VALUES);
    assert_eq!(decode(Family::Tanh, &[]).values.len(), 0);
}

/// The checks themselves catch wrong outputs (they are only as good as this).
#[test]
fn contract_rejects_wrong_outputs() {
    use contract::{check_element, check_softmax_row};
    let f = f32::from_bits;
    let ok = |fam, x: f32, y: f32, s: f32| check_element(fam, x, y, s).is_ok();
    // Right answers pass.
    assert!(ok(Family::Sigmoid, 0.0, 0.5, 0.0));
    assert!(ok(Family::Sigmoid, -103.0, f(1), 0.0));
    assert!(ok(Family::Tanh, -0.0, -0.0, 0.0));
    assert!(ok(Family::Tanh, 9.1, 1.0, 0.0));
    assert!(ok(Family::Relu, -0.0, 0.0, 0.0));
    assert!(ok(Family::LeakyRelu, -2.0, -0.02, 0.01));
    assert!(ok(Family::LeakyRelu, -2.0, f(0xffc0_0000), f32::NAN));
    // Wrong ones fail.
    let nan = f(0x7fc1_2345);
    for (fam, x, y, s) in [
        (Family::Sigmoid, nan, f32::NAN, 0.0),      // NaN payload lost
        (Family::Sigmoid, 2.0, 0.880_797_2, 0.0),   // 2 ULP off
        (Family::Sigmoid, -1.0, -0.0, 0.0),         // negative zero
        (Family::Sigmoid, -90.0, 0.0, 0.0),         // flushed subnormal
        (Family::Sigmoid, 17.5, 0.999_999_94, 0.0), // not saturated
        (Family::Tanh, f(1), 0.0, 0.0),             // subnormal not kept
        (Family::Tanh, 20.0, 1.000_000_1, 0.0),     // |tanh| > 1
        (Family::Tanh, 9.2, 0.999_999_94, 0.0),     // not saturated
        (Family::Tanh, -0.5, 0.462_117_16, 0.0),    // sign
        (Family::Relu, -0.0, -0.0, 0.0),            // relu(-0) = +0
        (Family::Relu, nan, 0.0, 0.0),              // NaN swallowed
        (Family::LeakyRelu, -2.0, -0.020_000_001, 0.01), // 1 ULP off
        (Family::LeakyRelu, -0.0, 0.0, 0.01),       // -0 passes through
        (Family::LeakyRelu, nan, f32::NAN, 0.5),    // payload lost
        (Family::LeakyRelu, -1.0, 1.0, f32::NAN),   // NaN product
    ] {
        assert!(
            !ok(fam, x, y, s),
            "{fam:?}({x:e}, slope {s:e}) = {y:e} was accepted"
        );
    }
    let inf = f32::INFINITY;
    assert!(check_softmax_row(&[1.0, 1.0], &[0.5, 0.5], true).is_ok());
    assert!(check_softmax_row(&[-inf, -inf], &[0.0, 0.0], true).is_ok());
    assert!(check_softmax_row(&[-inf, 2.0], &[0.0, 1.0], true).is_ok());
    for (row, y) in [
        (vec![1.0, 1.0], vec![0.5, f(0x3f00_0005)]), // 5 ULP
        (vec![-inf, -inf], vec![-0.0, 0.0]),         // masked: +0.0
        (vec![-inf, 2.0], vec![f(1), 1.0]),          // -inf entry: +0.0
        (vec![nan, 2.0], vec![nan, f32::NAN]),       // canonical NaN only
        (vec![inf, 2.0], vec![1.0, 0.0]),            // +inf row: NaN
        (vec![3.0], vec![0.999_999_94]),             // length 1: exactly 1
    ] {
        assert!(
            check_softmax_row(&row, &y, true).is_err(),
            "softmax({row:?}) = {y:?} was accepted"
        );
    }
}

// ---------------------------------------------------------------------------
// The backward kernels (`common::backward_contract`, corpus `fuzz/corpus/backward/`).

#[test]
fn backward_corpus_replays() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/backward");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    for p in &files {
        let data = std::fs::read(p).expect("corpus file");
        if std::panic::catch_unwind(|| backward_contract::check(&data)).is_err() {
            panic!("{} failed its check (see the message above)", p.display());
        }
    }
    println!("backward: {} corpus files ok", files.len());
}

/// A forward value for a backward kernel: the interesting ones of the unary
/// targets, the forward ranges and their ends.
fn backward_value(rng: &mut Rng) -> f32 {
    match rng.below(6) {
        0 => (rng.unit() * 2.0 - 1.0) as f32,
        1 => [0.0f32, 1.0, -1.0, -0.0, 0.5][rng.below(5)] + ((rng.unit() - 0.5) * 1e-5) as f32,
        2 => near(
            [1.0f32, -1.0, 16_777_216.0, -16_777_216.0][rng.below(4)],
            rng,
        ),
        _ => interesting(rng),
    }
}

fn backward_input(rng: &mut Rng) -> Vec<u8> {
    let n = match rng.below(12) {
        0 => 0,
        1 => 200 + rng.below(600),
        _ => 1 + rng.below(70),
    };
    let flags = rng.below(4) as u8;
    let sel = |rng: &mut Rng| {
        if rng.below(6) == 0 {
            0xE0 + rng.below(32) as u8
        } else {
            0
        }
    };
    let (gs, os) = (sel(rng), sel(rng));
    let pairs: Vec<(u32, u32)> = (0..n)
        .map(|_| {
            let g = match rng.below(5) {
                0 => 1.0,
                1 => f32::from_bits((rng.next_u64() as u32 & 0x80ff_ffff) | 0x0080_0000),
                _ => interesting(rng),
            };
            (backward_value(rng).to_bits(), g.to_bits())
        })
        .collect();
    backward_contract::encode(
        rng.below(4) as u8,
        flags,
        gs,
        os,
        slope(rng).to_bits(),
        &pairs,
    )
}

#[test]
fn backward_seeded_inputs() {
    let mut rng = Rng(0x5eed_bac0);
    for case in 0..RANDOM_CASES {
        let data = backward_input(&mut rng);
        if std::panic::catch_unwind(|| backward_contract::check(&data)).is_err() {
            let path = std::env::temp_dir().join(format!("fuzz_replay-backward-{case}.bin"));
            std::fs::write(&path, &data).expect("write failing input");
            panic!(
                "backward seeded case {case} failed (message above); input saved to {} \
                 (replay: cargo fuzz run backward that-file)",
                path.display()
            );
        }
    }
}

/// The backward checks catch wrong outputs.
#[test]
fn backward_contract_rejects_wrong_outputs() {
    use backward_contract::{check_element, Kernel};
    let f = f32::from_bits;
    let nan = f(0x7fc1_2345);
    let inf = f32::INFINITY;
    for (k, y, g, out, s) in [
        (Kernel::Sigmoid, 0.5, 1.0, 0.25, 0.0),
        (Kernel::Sigmoid, 1.0, -3.0, -0.0, 0.0),
        (Kernel::Sigmoid, 0.5, inf, inf, 0.0),
        (Kernel::Sigmoid, 1.0, inf, f32::NAN, 0.0),
        (Kernel::Sigmoid, inf, 1.0, -inf, 0.0),
        (Kernel::Tanh, 0.5, 1.0, 0.75, 0.0),
        (Kernel::Tanh, nan, 1.0, nan, 0.0),
        (Kernel::Relu, -0.0, nan, 0.0, 0.0),
        (Kernel::Relu, 2.0, nan, nan, 0.0),
        (Kernel::LeakyRelu, 0.0, 2.0, 0.02, 0.01),
        (Kernel::LeakyRelu, -1.0, inf, f32::NAN, 0.0),
    ] {
        assert!(
            check_element(k, y, g, out, s).is_ok(),
            "{k:?}({y:e}, {g:e}) = {out:e} rejected"
        );
    }
    for (k, y, g, out, s) in [
        (Kernel::Sigmoid, 0.5, 1.0, f(0x3e80_0001), 0.0), // 1 ULP off
        (Kernel::Sigmoid, 1.0, -3.0, 0.0, 0.0),           // zero sign
        (Kernel::Sigmoid, 0.5, 1.0, f32::NAN, 0.0),
        (Kernel::Sigmoid, 1.0, inf, 0.0, 0.0), // inf × 0 must be NaN
        (Kernel::Sigmoid, 0.5, nan, f32::NAN, 0.0), // payload lost
        (Kernel::Tanh, nan, 1.0, f32::NAN, 0.0), // payload lost
        (Kernel::Tanh, 3.0e7, 1.0, -9.1e14, 0.0), // not the plain formula
        (Kernel::Relu, 0.0, 1.0, 1.0, 0.0),    // subgradient 0 at 0
        (Kernel::Relu, -1.0, 1.0, -0.0, 0.0),  // +0.0
        (Kernel::LeakyRelu, 0.0, 2.0, 2.0, 0.01), // slope at 0
        (Kernel::LeakyRelu, -1.0, 3.0, f(0x3cf5_c290), 0.01), // 1 ULP off
        (Kernel::LeakyRelu, -1.0, inf, nan, 0.0), // NaN must be canonical
    ] {
        assert!(
            check_element(k, y, g, out, s).is_err(),
            "{k:?}({y:e}, {g:e}) = {out:e} accepted"
        );
    }
}

// ---------------------------------------------------------------------------
// The row backward kernels (`common::row_backward_contract`, corpus
// `fuzz/corpus/softmax_backward/`).

#[test]
fn row_backward_corpus_replays() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/softmax_backward");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    for p in &files {
        let data = std::fs::read(p).expect("corpus file");
        if std::panic::catch_unwind(|| row_backward_contract::check(&data)).is_err() {
            panic!("{} failed its check (see the message above)", p.display());
        }
    }
    println!("softmax_backward: {} corpus files ok", files.len());
}

/// A seeded input for the row backward kernels: `y` a forward output of
/// random logits (or interesting values), gradients of every kind.
fn row_backward_input(rng: &mut Rng) -> Vec<u8> {
    let n = match rng.below(12) {
        0 => 0,
        1 => 200 + rng.below(900),
        _ => 1 + rng.below(70),
    };
    let log = rng.below(2) == 1;
    let rows = rng.below(2) == 0;
    let flags = rng.below(2) as u8
        | if rows {
            row_backward_contract::FLAG_ROWS
        } else {
            0
        };
    let sel = |rng: &mut Rng| {
        if rng.below(8) == 0 {
            0xE0 + rng.below(32) as u8
        } else {
            0
        }
    };
    let (gs, os) = (sel(rng), sel(rng));
    let x: Vec<f32> = (0..n).map(|_| (rng.normal() * 5.0) as f32).collect();
    let mut y = vec![0f32; n];
    if log {
        activations::log_softmax(&x, &mut y).unwrap();
    } else {
        activations::softmax(&x, &mut y).unwrap();
    }
    let c = rng.normal() as f32;
    let pairs: Vec<(u32, u32)> = y
        .iter()
        .map(|&y| {
            let y = if rng.below(40) == 0 {
                interesting(rng)
            } else {
                y
            };
            let g = match rng.below(6) {
                0 => c,
                1 => c + (rng.normal() * 1e-4) as f32,
                2 if rng.below(20) == 0 => interesting(rng),
                _ => rng.normal() as f32,
            };
            (y.to_bits(), g.to_bits())
        })
        .collect();
    let row_sel = if rng.below(5) == 0 {
        5 + rng.below(3)
    } else {
        rng.below(5)
    } as u8;
    row_backward_contract::encode(
        flags,
        log as u8,
        gs,
        os,
        (row_sel, rng.below(1 << 16) as u16),
        &pairs,
    )
}

#[test]
fn row_backward_seeded_inputs() {
    let mut rng = Rng(0x5eed_50f7);
    for case in 0..RANDOM_CASES / 2 {
        let data = row_backward_input(&mut rng);
        if std::panic::catch_unwind(|| row_backward_contract::check(&data)).is_err() {
            let path =
                std::env::temp_dir().join(format!("fuzz_replay-softmax_backward-{case}.bin"));
            std::fs::write(&path, &data).expect("write failing input");
            panic!(
                "softmax_backward seeded case {case} failed (message above); input saved to {} \
                 (replay: cargo fuzz run softmax_backward that-file)",
                path.display()
            );
        }
    }
}

/// The row backward checks catch wrong outputs.
#[test]
fn row_backward_contract_rejects_wrong_outputs() {
    use row_backward_contract::check_row;
    let y = [0.25f32, 0.75];
    let g = [1.0f32, 0.0];
    // dx = y (g - 0.25) = [0.1875, -0.1875].
    assert!(check_row(false, &y, &g, &[0.1875, -0.1875]).is_ok());
    assert!(check_row(false, &y, &g, &[0.187_500_01, -0.1875]).is_err());
    assert!(check_row(false, &y, &g, &[0.75, 0.0]).is_err());
    assert!(check_row(false, &y, &[f32::NAN, 0.0], &[0.0, 0.0]).is_err());
    assert!(check_row(false, &y, &[f32::NAN, 0.0], &[f32::NAN; 2]).is_ok());
    // log-softmax: -inf y gives g exactly; dx = g - e^y Σg.
    let yl = [0.0f32, f32::NEG_INFINITY];
    assert!(check_row(true, &yl, &[1.0, 2.0], &[-2.0, 2.0]).is_ok());
    assert!(check_row(true, &yl, &[1.0, 2.0], &[-2.0, 2.000_000_2]).is_err());
    assert!(check_row(true, &yl, &[1.0, 2.0], &[-2.000_000_2, 2.0]).is_err());
}
