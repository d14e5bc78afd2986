//! Accuracy sweep of the backward kernels `sigmoid_backward` and
//! `tanh_backward`, whose inputs are pairs `(y, g)`: all 2^32 bit patterns of
//! `y` with each of a few fixed gradients `g` (1, two random mantissas of
//! either sign, a tiny `g` whose products are all subnormal, a huge one),
//! then random pairs (any finite `g`, `y` in the forward's range or any bit
//! pattern), against the f64 reference of the same formula on the given f32
//! `y` and `g`, on all cores. Errors are reported per region of `y`: the
//! forward's range (`[0, 1]`, `[-1, 1]`), the rest of `|y| < 2^24` (both
//! covered by the bound of `activations::accuracy`), and `|y| >= 2^24`
//! (plain f32 evaluation, reported only). Prints a hash of all outputs of
//! each fixed-`g` sweep (equal hashes = bit-identical results).
//!
//! `cargo run --release --example exhaustive_backward [NAME...] [4|8|16...] [portable|avx2|avx512...] [pairs=N]`
//! (defaults: both kernels, `f32x4` and every level this CPU supports; N
//! random pairs per path, default 2^28; `stride=K` sweeps every K-th `y`
//! only, for a quick look; `grads=0,2` only those fixed gradients). Exits non-zero if a bound is broken.

#[path = "../tests/common/mod.rs"]
mod common;

use activations::{Error, Level};
use common::{backward, reference, Rng, WIDTHS};
use std::thread;

type SyncDyn = dyn Fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error> + Sync;

/// The fixed gradients of the 2^32 sweeps, by bits.
const GRADS: [(u32, &str); 5] = [
    (0x3f80_0000, "1.0"),
    (0x3fab_2c5f, "1.3372 (random mantissa)"),
    (0xbf1e_3779, "-0.61803 (random mantissa, negative)"),
    (0x00b3_a5c1, "1.65e-38 (every result subnormal)"),
    (0x7149_f2ca, "1.0e30 (scaled down)"),
];

/// Regions of `y`: 0 the forward's range, 1 the rest of `|y| < 2^24`,
/// 2 `|y| >= 2^24` (NaN `y` is counted in region 2 too).
const REGIONS: [&str; 3] = ["forward range", "other |y| < 2^24", "|y| >= 2^24"];
/// The regions of `x` for the kernels that take the input (bounded in the
/// first two).
const REGIONS_X: [&str; 3] = ["|x| <= 30", "other finite x", "x = ±inf, NaN"];

#[derive(Clone, Copy, Default)]
struct Worst {
    err: f64,
    y: f32,
    g: f32,
    out: f32,
    count: u64,
}

#[derive(Clone, Copy)]
struct Stats {
    regions: [Worst; 3],
    hash: u64,
}

/// Whether the kernel takes the forward input `x` (bounded for every finite
/// `x`) rather than the output `y`.
fn takes_input(name: &str) -> bool {
    !(name.starts_with("sigmoid") || name.starts_with("tanh"))
}

fn region(name: &str, y: f32) -> usize {
    let a = y.abs();
    if takes_input(name) {
        // 0: |x| <= 30, 1: other finite x, 2: inf and NaN.
        return if a <= 30.0 {
            0
        } else if a.is_finite() {
            1
        } else {
            2
        };
    }
    let in_range = if name.starts_with("sigmoid") {
        (0.0..=1.0).contains(&y)
    } else {
        a <= 1.0
    };
    if in_range {
        0
    } else if a < 16_777_216.0 {
        1
    } else {
        2
    }
}

fn record(s: &mut Stats, name: &str, r: fn(f32, f32) -> f64, y: f32, g: f32, out: f32) {
    let e = reference::ulp_error_or_overflow(out, r(y, g));
    let w = &mut s.regions[region(name, y)];
    w.count += 1;
    if e > w.err || e.is_nan() {
        *w = Worst {
            err: e,
            y,
            g,
            out,
            count: w.count,
        };
    }
}

fn new_stats() -> Stats {
    Stats {
        regions: [Worst::default(); 3],
        hash: 0xcbf2_9ce4_8422_2325,
    }
}

fn merge(parts: Vec<Stats>) -> Stats {
    let mut m = new_stats();
    m.hash = 0;
    for p in parts {
        m.hash = m.hash.rotate_left(17) ^ p.hash;
        for (a, b) in m.regions.iter_mut().zip(p.regions) {
            let count = a.count + b.count;
            if b.err > a.err {
                *a = b;
            }
            a.count = count;
        }
    }
    m
}

/// All `y` bit patterns in `start..end` with gradient `g`.
fn sweep_y(
    f: &SyncDyn,
    name: &str,
    r: fn(f32, f32) -> f64,
    g: f32,
    (start, end, stride): (u64, u64, u64),
) -> Stats {
    const BLOCK: usize = 1 << 16;
    let mut ys = vec![0f32; BLOCK];
    let gs = vec![g; BLOCK];
    let mut out = vec![0f32; BLOCK];
    let mut s = new_stats();
    let mut bits = start;
    while bits < end {
        let n = ((end - bits).div_ceil(stride) as usize).min(BLOCK);
        for (i, y) in ys[..n].iter_mut().enumerate() {
            *y = f32::from_bits((bits + i as u64 * stride) as u32);
        }
        f(&ys[..n], &gs[..n], &mut out[..n]).expect("equal lengths");
        for (&y, &o) in ys[..n].iter().zip(&out[..n]) {
            s.hash = (s.hash ^ u64::from(o.to_bits())).wrapping_mul(0x100_0000_01b3);
            record(&mut s, name, r, y, g, o);
        }
        bits += n as u64 * stride;
    }
    s
}

/// `n` random pairs: `g` any finite value (uniform bits), `y` uniform in the
/// forward's range, or near its ends, or any bit pattern.
fn random_pairs(f: &SyncDyn, name: &str, r: fn(f32, f32) -> f64, seed: u64, n: u64) -> Stats {
    const BLOCK: usize = 1 << 16;
    let mut rng = Rng(seed);
    let (mut ys, mut gs, mut out) = (vec![0f32; BLOCK], vec![0f32; BLOCK], vec![0f32; BLOCK]);
    let mut s = new_stats();
    let lo = if name.starts_with("sigmoid") {
        0.0
    } else {
        -1.0
    };
    let mut done = 0u64;
    while done < n {
        let m = ((n - done) as usize).min(BLOCK);
        for (y, g) in ys[..m].iter_mut().zip(&mut gs[..m]) {
            *g = loop {
                let v = rng.any_f32();
                if v.is_finite() {
                    break v;
                }
            };
            *y = match rng.below(4) {
                // Input kernels: x in [-30, 30].
                0 if takes_input(name) => (60.0 * rng.unit() - 30.0) as f32,
                // Within 2^-12 of a zero of the derivative, or of 0.
                1 if takes_input(name) => {
                    let end = [-1.278_464_5f32, -0.752_461_4, 0.0][rng.below(3)];
                    end + ((rng.unit() - 0.5) * 2f64.powi(-11)) as f32
                }
                0 => (lo + (1.0 - lo) * rng.unit()) as f32,
                // Within 2^-12 of an end of the range (the zeros of d).
                1 => {
                    let end = [lo as f32, 1.0][rng.below(2)];
                    end + ((rng.unit() - 0.5) * 2f64.powi(-11)) as f32
                }
                // Tiny y, every binade.
                2 => f32::from_bits(rng.next_u64() as u32 & 0x3f7f_ffff),
                _ => rng.any_f32(),
            };
        }
        f(&ys[..m], &gs[..m], &mut out[..m]).expect("equal lengths");
        for ((&y, &g), &o) in ys[..m].iter().zip(&gs[..m]).zip(&out[..m]) {
            record(&mut s, name, r, y, g, o);
        }
        done += m as u64;
    }
    s
}

fn report(label: &str, s: &Stats, bound: f32, hash: bool, input: bool) -> bool {
    let mut ok = true;
    for (i, w) in s.regions.iter().enumerate() {
        let bounded = i < 2;
        let pass = !bounded || w.err <= f64::from(bound);
        ok &= pass;
        println!(
            "  {label:<46} {:<17} {:>11} values: max {:.6} ULP at y = {:e} ({:#010x}), g = {:e} ({:#010x}): got {:e} ({:#010x}){}",
            if input { REGIONS_X[i] } else { REGIONS[i] },
            w.count,
            w.err,
            w.y,
            w.y.to_bits(),
            w.g,
            w.g.to_bits(),
            w.out,
            w.out.to_bits(),
            if bounded {
                if pass {
                    format!("; bound {bound} ok")
                } else {
                    format!("; bound {bound} EXCEEDED")
                }
            } else {
                " (not bounded)".to_string()
            }
        );
    }
    if hash {
        println!("  {label:<46} outputs hash {:016x}", s.hash);
    }
    ok
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pairs: u64 = args
        .iter()
        .find_map(|a| a.strip_prefix("pairs=").and_then(|v| v.parse().ok()))
        .unwrap_or(1 << 28);
    // stride=K: every K-th y only (a quick check; the figures use K = 1).
    let stride: u64 = args
        .iter()
        .find_map(|a| a.strip_prefix("stride=").and_then(|v| v.parse().ok()))
        .unwrap_or(1);
    // grads=I,J,...: only those fixed gradients (indices into GRADS).
    let grads: Vec<usize> = args
        .iter()
        .find_map(|a| a.strip_prefix("grads="))
        .map_or((0..GRADS.len()).collect(), |v| {
            v.split(',').filter_map(|i| i.parse().ok()).collect()
        });
    let args: Vec<&String> = args.iter().filter(|a| !a.contains('=')).collect();
    let widths: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let levels: Vec<Level> = args.iter().filter_map(|a| Level::from_name(a)).collect();
    let names: Vec<&str> = args
        .iter()
        .filter(|a| a.parse::<usize>().is_err() && Level::from_name(a).is_none())
        .map(|a| a.as_str())
        .collect();
    let (widths, select_levels) = if widths.is_empty() && levels.is_empty() {
        (vec![4], common::levels())
    } else {
        (widths, levels)
    };
    let names = if names.is_empty() {
        vec![
            "sigmoid_backward",
            "tanh_backward",
            "silu_backward",
            "softplus_backward",
            "elu_backward(1)",
            "elu_backward(0.3)",
            "selu_backward",
            "gelu_tanh_backward",
            "gelu_backward",
        ]
    } else {
        names
    };
    let threads = thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    println!("build: {}; {threads} threads", common::build_features());
    let mut failed = false;
    for k in backward().into_iter().filter(|k| names.contains(&k.name)) {
        let mut paths: Vec<(String, Box<SyncDyn>)> = Vec::new();
        for (&w, f) in WIDTHS.iter().zip(k.slice) {
            if widths.contains(&w) {
                paths.push((format!("f32x{w}"), Box::new(f)));
            }
        }
        for l in common::levels() {
            if select_levels.contains(&l) {
                let at = k.at_level;
                paths.push((format!("{l}"), Box::new(move |y, g, o| at(l, y, g, o))));
            }
        }
        for (w, f) in &paths {
            let f = f.as_ref();
            println!("{} {w} (bound {} ULP):", k.name, k.bound);
            for &(gb, gname) in grads.iter().filter_map(|&i| GRADS.get(i)) {
                let g = f32::from_bits(gb);
                let t0 = std::time::Instant::now();
                let total = 1u64 << 32;
                let per = total / threads;
                let parts: Vec<Stats> = thread::scope(|s| {
                    let hs: Vec<_> = (0..threads)
                        .map(|t| {
                            let end = if t + 1 == threads {
                                total
                            } else {
                                (t + 1) * per
                            };
                            s.spawn(move || {
                                sweep_y(f, k.name, k.reference, g, (t * per, end, stride))
                            })
                        })
                        .collect();
                    hs.into_iter().map(|h| h.join().expect("worker")).collect()
                });
                let m = merge(parts);
                let label = format!("all y, g = {gname}");
                failed |= !report(&label, &m, k.bound, true, takes_input(k.name));
                println!("  ({:.1} s)", t0.elapsed().as_secs_f64());
            }
            let t0 = std::time::Instant::now();
            let parts: Vec<Stats> = thread::scope(|s| {
                let hs: Vec<_> = (0..threads)
                    .map(|t| {
                        s.spawn(move || {
                            random_pairs(f, k.name, k.reference, 0xbac0_0000 + t, pairs / threads)
                        })
                    })
                    .collect();
                hs.into_iter().map(|h| h.join().expect("worker")).collect()
            });
            let m = merge(parts);
            failed |= !report(
                &format!("{pairs} random pairs"),
                &m,
                k.bound,
                false,
                takes_input(k.name),
            );
            println!("  ({:.1} s)", t0.elapsed().as_secs_f64());
        }
    }
    if failed {
        std::process::exit(1);
    }
}
