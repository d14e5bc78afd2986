//! Exhaustive accuracy check: every one of the 2^32 f32 inputs through each
//! element-wise kernel at every lane width, against the f64 reference, on all
//! cores. Prints the maximum error in ULP, the input where it occurs, whether
//! it is within the crate's bound for this build, and a hash of all 2^32
//! output bit patterns (equal hashes across builds or targets mean
//! bit-identical results).
//!
//! `cargo run --release --example exhaustive [NAME...] [4|8|16...] [portable|avx2|avx512...]`
//! (defaults: sigmoid and tanh, all widths and every level this CPU
//! supports; naming widths or levels runs only those). Exits non-zero if a
//! bound is broken. `sigmoid_f32_route`, `silu_f32_route`, `tanh_f32_route`,
//! `gelu_f32_route`, `gelu_tanh_f32_route`, `mish_f32_route`, `softplus_f32_route`,
//! `'elu(1)_f32_route'`,
//! `'elu(0.3)_f32_route'` and `selu_f32_route` sweep those kernels' f32
//! routes at the named widths (no levels), which x86-64 builds without FMA
//! do not run (they take the f64 routes) but bare-metal targets do:
//! `cargo run --release --example exhaustive sigmoid_f32_route
//! silu_f32_route gelu_tanh_f32_route mish_f32_route 4`.

#[path = "../tests/common/mod.rs"]
mod common;

use activations::{Error, Level};
use common::{elementwise, reference, WIDTHS};

/// A path through a kernel that the sweep threads can share.
type SyncDyn = dyn Fn(&[f32], &mut [f32]) -> Result<(), Error> + Sync;
use std::thread;

#[derive(Clone, Copy)]
struct Worst {
    err: f64,
    x: f32,
    y: f32,
    hash: u64,
    /// Adjacent inputs whose outputs are out of order (for monotone kernels).
    inversions: u64,
    first_inversion: Option<f32>,
}

/// Sweeps bit patterns `start..end`; `hash` combines outputs in block order.
fn sweep(f: &SyncDyn, reference: fn(f32) -> f64, monotone: bool, start: u64, end: u64) -> Worst {
    const BLOCK: usize = 1 << 16;
    let mut xs = vec![0f32; BLOCK];
    let mut ys = vec![0f32; BLOCK];
    let mut worst = Worst {
        hash: 0xcbf2_9ce4_8422_2325,
        ..parts_zero()
    };
    let mut prev: Option<(u32, f32)> = None;
    let mut bits = start;
    while bits < end {
        let n = ((end - bits) as usize).min(BLOCK);
        for (i, x) in xs[..n].iter_mut().enumerate() {
            *x = f32::from_bits((bits + i as u64) as u32);
        }
        f(&xs[..n], &mut ys[..n]).expect("equal lengths");
        for (&x, &y) in xs[..n].iter().zip(&ys[..n]) {
            worst.hash = (worst.hash ^ u64::from(y.to_bits())).wrapping_mul(0x100_0000_01b3);
            let e = reference::ulp_error(y, reference(x));
            if e > worst.err || e.is_nan() {
                (worst.err, worst.x, worst.y) = (e, x, y);
            }
            // Bit patterns ascend: positive x ascend in value, negative x
            // descend. Compare with the previous pattern of the same sign.
            if monotone && !x.is_nan() {
                if let Some((pb, py)) = prev {
                    let same_sign = (pb ^ x.to_bits()) >> 31 == 0;
                    let bad = if x.is_sign_positive() { y < py } else { y > py };
                    if same_sign && bad {
                        worst.inversions += 1;
                        worst.first_inversion.get_or_insert(x);
                    }
                }
                prev = Some((x.to_bits(), y));
            }
        }
        bits += n as u64;
    }
    worst
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let widths: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let levels: Vec<Level> = args.iter().filter_map(|a| Level::from_name(a)).collect();
    let names: Vec<&str> = args
        .iter()
        .filter(|a| a.parse::<usize>().is_err() && Level::from_name(a).is_none())
        .map(String::as_str)
        .collect();
    let select_all = widths.is_empty() && levels.is_empty();
    let names = if names.is_empty() {
        vec!["sigmoid", "tanh"]
    } else {
        names
    };
    let threads = thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    println!("build: {}; {threads} threads", common::build_features());
    let mut failed = false;
    for k in elementwise()
        .into_iter()
        .chain(common::f32_routes())
        .filter(|k| names.contains(&k.name))
    {
        let route = k.name.ends_with("_f32_route");
        let mut paths: Vec<(String, Box<SyncDyn>)> = Vec::new();
        for (&w, f) in WIDTHS.iter().zip(k.slice) {
            if select_all || widths.contains(&w) {
                paths.push((format!("f32x{w}"), Box::new(f)));
            }
        }
        for l in common::levels() {
            if !route && (select_all || levels.contains(&l)) {
                let at = k.at_level;
                paths.push((format!("{l}"), Box::new(move |x, y| at(l, x, y))));
            }
        }
        for (w, f) in &paths {
            let f = f.as_ref();
            let t0 = std::time::Instant::now();
            let total = 1u64 << 32;
            let per = total / threads;
            let parts: Vec<Worst> = thread::scope(|s| {
                let hs: Vec<_> = (0..threads)
                    .map(|t| {
                        let end = if t + 1 == threads {
                            total
                        } else {
                            (t + 1) * per
                        };
                        s.spawn(move || sweep(f, k.reference, k.monotone, t * per, end))
                    })
                    .collect();
                hs.into_iter().map(|h| h.join().expect("worker")).collect()
            });
            let hash = parts.iter().fold(0u64, |a, p| a.rotate_left(17) ^ p.hash);
            let inversions: u64 = parts.iter().map(|p| p.inversions).sum();
            let first_inv = parts.iter().find_map(|p| p.first_inversion);
            let worst = parts
                .into_iter()
                .fold(parts_zero(), |a, b| if b.err > a.err { b } else { a });
            let ok = worst.err <= f64::from(k.bound) && inversions == 0;
            failed |= !ok;
            println!(
                "{:8} {w:<8} max {:.4} ULP at x = {:e} ({:#010x}): got {:e}, want {:e}; bound {} {}; monotonicity inversions {inversions} (first at {first_inv:?}); outputs hash {hash:016x} ({:.1} s)",
                k.name,
                worst.err,
                worst.x,
                worst.x.to_bits(),
                worst.y,
                (k.reference)(worst.x),
                k.bound,
                if ok { "ok" } else { "EXCEEDED" },
                t0.elapsed().as_secs_f64()
            );
        }
    }
    if failed {
        std::process::exit(1);
    }
}

fn parts_zero() -> Worst {
    Worst {
        err: 0.0,
        x: 0.0,
        y: 0.0,
        hash: 0,
        inversions: 0,
        first_inversion: None,
    }
}
