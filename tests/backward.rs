//! The backward kernels (`*_backward`, `*_backward_in_place`) at every width
//! and every supported level: accuracy against the f64 references within
//! the bounds of `activations::accuracy`, special values bit for bit in the
//! body and the tail, output independent of position and slice length, in
//! place equal to out of place, and the widths and levels of one kind of
//! multiply-add agreeing bit for bit.

mod common;

use common::{backward, reference, BackwardKernel, Rng, LEAKY_SLOPE, LEAKY_SLOPE_2};

const NAN_PATTERNS: [u32; 5] = [
    0x7fc0_0000,
    0xffc0_0000,
    0x7fc1_2345,
    0xffff_ffff,
    0x7fa0_0001,
];

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|v| v.to_bits()).collect()
}

/// `|y| < 2^24`: where the bound applies.
fn bounded(y: f32) -> bool {
    y.abs() < 16_777_216.0
}

/// Pairs `(forward, g)`: a sweep of every binade of `forward` and of `g`,
/// dense sweeps near the zeros of the derivatives, tiny and huge gradients.
fn pairs(rng: &mut Rng) -> (Vec<f32>, Vec<f32>) {
    let mut ys = Vec::new();
    let mut gs = Vec::new();
    let n = 1usize << (22 - common::sweep_shift());
    for i in 0..n {
        let y = match i % 6 {
            // Any bit pattern.
            0 => rng.any_f32(),
            // The forward ranges, uniformly.
            1 => (rng.unit() * 2.0 - 1.0) as f32,
            // Within 2^-12 of 0, 1 and -1, and of the zeros of SiLU's and
            // GELU's derivatives.
            2 => {
                let end =
                    [0.0f32, 1.0, -1.0, -1.278_464_5, -0.752_461_4, -0.751_791_5][rng.below(6)];
                end + ((rng.unit() - 0.5) * 2f64.powi(-11)) as f32
            }
            // Tiny y, every binade, subnormals included.
            3 => f32::from_bits(rng.next_u64() as u32 & 0xbf7f_ffff),
            // Out of range, below 2^24.
            4 => (rng.normal() * 1000.0) as f32,
            _ => f32::from_bits((rng.next_u64() as u32 & 0x807f_ffff) | 0x3f00_0000),
        };
        let g = match i % 5 {
            0 => 1.0,
            // Any finite gradient.
            1 | 2 => loop {
                let v = rng.any_f32();
                if v.is_finite() {
                    break v;
                }
            },
            // Products in the subnormal range.
            3 => f32::from_bits((rng.next_u64() as u32 & 0x80ff_ffff) | 0x0080_0000),
            _ => (rng.normal() * 0.1) as f32,
        };
        ys.push(y);
        gs.push(g);
    }
    (ys, gs)
}

#[test]
fn within_bound_at_every_width_and_level() {
    println!("build: {}", common::build_features());
    let mut rng = Rng(0xbac_4a2d);
    let (ys, gs) = pairs(&mut rng);
    for k in backward() {
        for p in k.paths() {
            let mut out = vec![0f32; ys.len()];
            (p.out)(&ys, &gs, &mut out).unwrap();
            let mut worst = (0.0f64, 0.0f32, 0.0f32, 0.0f32);
            for ((&y, &g), &o) in ys.iter().zip(&gs).zip(&out) {
                // (The input-taking kernels are bounded for every x.)
                if k.takes_output && !bounded(y) {
                    continue;
                }
                let e = reference::ulp_error_or_overflow(o, (k.reference)(y, g));
                if e > worst.0 || e.is_nan() {
                    worst = (e, y, g, o);
                }
            }
            let (e, y, g, o) = worst;
            println!(
                "{} {}: max {e:.6} ULP (bound {}) at y = {y:e} ({:#010x}), g = {g:e} ({:#010x}): {o:e}",
                k.name,
                p.label,
                k.bound,
                y.to_bits(),
                g.to_bits()
            );
            assert!(e <= f64::from(k.bound), "{} {}", k.name, p.label);
            // ReLU and leaky ReLU: exact, bit for bit (every y, not only |y| < 2^24).
            if k.exact {
                for ((&x, &g), &o) in ys.iter().zip(&gs).zip(&out) {
                    let want = (k.reference)(x, g) as f32;
                    assert!(
                        o.to_bits() == want.to_bits() || (x.is_nan() && o.to_bits() == x.to_bits()),
                        "{} {}: x = {x:e}, g = {g:e}: {o:e} want {want:e}",
                        k.name,
                        p.label
                    );
                }
            }
        }
    }
}

/// The expected output bits for special inputs `(forward, g, want)`.
fn cases(k: &BackwardKernel) -> Vec<(f32, f32, f32)> {
    let sub = f32::from_bits(1);
    let inf = f32::INFINITY;
    let nan = f32::NAN;
    let p2 = |e: i32| 2f32.powi(e);
    let mut c: Vec<(f32, f32, f32)> = match k.name {
        "sigmoid_backward" => vec![
            (0.5, 1.0, 0.25),
            (0.5, -4.0, -1.0),
            (0.75, 2.0, 0.375),
            // Zeros of the derivative: +0 times g.
            (1.0, 3.0, 0.0),
            (1.0, -3.0, -0.0),
            (0.0, 3.0, 0.0),
            (0.0, -3.0, -0.0),
            (-0.0, 3.0, 0.0),
            (-0.0, -3.0, -0.0),
            // Zero gradients: the sign of g × d.
            (0.25, 0.0, 0.0),
            (0.25, -0.0, -0.0),
            (1.5, 0.0, -0.0),
            (1.5, -0.0, 0.0),
            // Infinite gradients.
            (0.5, inf, inf),
            (0.5, -inf, -inf),
            (2.0, inf, -inf),
            (1.0, inf, nan),
            (0.0, -inf, nan),
            // Infinite y: the formula in plain f32.
            (inf, 1.0, -inf),
            (-inf, 1.0, -inf),
            (inf, -1.0, inf),
            (inf, 0.0, nan),
            // Out of the forward's range: just the formula.
            (2.0, 1.0, -2.0),
            (-1.0, 1.0, -2.0),
            (p2(24), 1.0, -(p2(48) - p2(24))),
            // Subnormal y: d = y (y² is far below half an ulp of it).
            (sub, 1.0, sub),
            (
                f32::from_bits(0x007f_ffff),
                -1.0,
                f32::from_bits(0x807f_ffff),
            ),
            // Subnormal results, exact and rounded (ties to even).
            (0.5, f32::MIN_POSITIVE, f32::from_bits(0x0020_0000)),
            (0.5, f32::from_bits(3), sub),
            (0.5, f32::from_bits(2), 0.0),
            (0.5, f32::from_bits(6), f32::from_bits(2)),
            (0.5, -f32::from_bits(6), -f32::from_bits(2)),
            // Extreme gradients (both scaled in step 4).
            (0.5, f32::MAX, f32::MAX / 4.0),
            (0.5, p2(100), p2(98)),
            (0.5, p2(-100), p2(-102)),
        ],
        "tanh_backward" => vec![
            (0.0, 1.5, 1.5),
            (0.0, -0.0, -0.0),
            (-0.0, 2.0, 2.0),
            (0.0, sub, sub),
            (0.0, f32::MAX, f32::MAX),
            (0.0, inf, inf),
            (0.5, 1.0, 0.75),
            (-0.5, 4.0, 3.0),
            (2.0, 1.0, -3.0),
            (1.0, 3.0, 0.0),
            (1.0, -3.0, -0.0),
            (-1.0, 3.0, 0.0),
            (-1.0, -3.0, -0.0),
            (0.5, 0.0, 0.0),
            (0.5, -0.0, -0.0),
            (2.0, 0.0, -0.0),
            (1.0, inf, nan),
            (-1.0, -inf, nan),
            (0.5, -inf, -inf),
            (inf, 1.0, -inf),
            (-inf, 2.0, -inf),
            (inf, -1.0, inf),
            (inf, 0.0, nan),
            (p2(24), 1.0, -p2(48)),
            (0.5, f32::from_bits(4), f32::from_bits(3)),
            (0.5, f32::from_bits(2), f32::from_bits(2)),
            (0.5, p2(100), 0.75 * p2(100)),
            (0.5, p2(-100), 0.75 * p2(-100)),
        ],
        "relu_backward" => {
            let mut v = vec![
                (inf, 3.0, 3.0),
                (sub, 3.0, 3.0),
                (0.0, 5.0, 0.0),
                (-0.0, 5.0, 0.0),
                (-1.0, -5.0, 0.0),
                (f32::NEG_INFINITY, 5.0, 0.0),
                (-1.0, f32::from_bits(0x7fc1_2345), 0.0),
                (0.0, inf, 0.0),
                (-sub, 2.0, 0.0),
            ];
            for g in [2.5, -0.0, f32::from_bits(0xffc1_2345), inf, sub] {
                v.push((1.0, g, g));
            }
            v
        }
        n if n.starts_with("leaky_relu_backward") => {
            let s = if n.contains("0.01") {
                LEAKY_SLOPE
            } else {
                LEAKY_SLOPE_2
            };
            vec![
                (1.0, 2.5, 2.5),
                (inf, -3.0, -3.0),
                (
                    1.0,
                    f32::from_bits(0x7fc1_2345),
                    f32::from_bits(0x7fc1_2345),
                ),
                (-1.0, 2.0, 2.0 * s),
                (-1.0, 3.0, 3.0 * s),
                (0.0, 2.0, 2.0 * s),
                (-0.0, 2.0, 2.0 * s),
                (f32::NEG_INFINITY, 2.0, 2.0 * s),
                (-1.0, -0.0, -0.0),
                (-1.0, inf, inf),
                (
                    -1.0,
                    f32::from_bits(0xffc1_2345),
                    f32::from_bits(0xffc1_2345),
                ),
                (-1.0, sub, sub * s),
            ]
        }
        "silu_backward" => vec![
            // silu'(0) = 1/2, exactly.
            (0.0, 2.0, 1.0),
            (-0.0, 2.0, 1.0),
            (0.0, -3.0, -1.5),
            // silu'(x) rounds to 1 above 24: g bit for bit.
            (30.0, 3.0, 3.0),
            (25.0, sub, sub),
            (inf, -2.5, -2.5),
            (inf, inf, inf),
            (inf, -0.0, -0.0),
            // x = -inf: g * +0.
            (f32::NEG_INFINITY, 3.0, 0.0),
            (f32::NEG_INFINITY, -3.0, -0.0),
            (f32::NEG_INFINITY, inf, nan),
            // Underflow keeps the sign of g × silu' (negative below x0).
            (-300.0, 1.0, -0.0),
            (-300.0, -1.0, 0.0),
            (-300.0, f32::MAX, -0.0),
            // Zero gradients: the sign of g × silu'.
            (-1.0, 0.0, 0.0),
            (-2.0, 0.0, -0.0),
            (-2.0, -0.0, 0.0),
            (1.0, -0.0, -0.0),
            // Infinite gradients at finite x.
            (-2.0, inf, -inf),
            (1.0, inf, inf),
            (1.0, -inf, -inf),
            (-150.0, inf, -inf),
            // Subnormal results, exact and rounded (ties to even).
            (0.0, f32::MIN_POSITIVE, f32::from_bits(0x0040_0000)),
            (0.0, f32::from_bits(3), f32::from_bits(2)),
            (0.0, f32::from_bits(1), 0.0),
            (0.0, -f32::from_bits(5), -f32::from_bits(2)),
            // Extreme gradients (scaled in step 4).
            (0.0, f32::MAX, f32::MAX / 2.0),
            (0.0, p2(100), p2(99)),
            (0.0, p2(-100), p2(-101)),
        ],
        "softplus_backward" => vec![
            (0.0, 1.0, 0.5),
            (-0.0, -4.0, -2.0),
            (25.0, 3.0, 3.0),
            (inf, -2.0, -2.0),
            (inf, inf, inf),
            (f32::NEG_INFINITY, 3.0, 0.0),
            (f32::NEG_INFINITY, -3.0, -0.0),
            (f32::NEG_INFINITY, inf, nan),
            (-300.0, 1.0, 0.0),
            (-300.0, -1.0, -0.0),
            (-1.0, 0.0, 0.0),
            (-1.0, -0.0, -0.0),
            (-1.0, inf, inf),
            (-1.0, -inf, -inf),
            (-150.0, inf, inf),
            (0.0, f32::MAX, f32::MAX / 2.0),
            (0.0, f32::from_bits(3), f32::from_bits(2)),
            (0.0, f32::from_bits(1), 0.0),
            (0.0, p2(-100), p2(-101)),
        ],
        n if n.starts_with("elu_backward") => {
            let a: f32 = if n.contains("0.3") { 0.3 } else { 1.0 };
            vec![
                // x > 0: g bit for bit.
                (2.0, 3.0, 3.0),
                (inf, -2.0, -2.0),
                (sub, 5.0, 5.0),
                (2.0, inf, inf),
                // x = ±0: alpha (the left derivative), g * alpha rounded once.
                (0.0, 3.0, 3.0 * a),
                (-0.0, 3.0, 3.0 * a),
                (-0.0, -0.0, -0.0),
                (0.0, f32::MAX, f32::MAX * a),
                (0.0, f32::from_bits(3), f32::from_bits(3) * a),
                (-sub, 2.0, 2.0 * a),
                // x = -inf: g * +0.
                (f32::NEG_INFINITY, 3.0, 0.0),
                (f32::NEG_INFINITY, -3.0, -0.0),
                (f32::NEG_INFINITY, inf, nan),
                // Underflow and zero gradients: the sign of g × alpha.
                (-1000.0, 1.0, 0.0),
                (-1000.0, -1.0, -0.0),
                (-1.0, 0.0, 0.0),
                (-1.0, -0.0, -0.0),
                // Infinite gradients.
                (-1.0, inf, inf),
                (-1.0, -inf, -inf),
                (-150.0, inf, inf),
            ]
        }
        "selu_backward" => vec![
            (1.0, 1.0, 1.050_701),
            (inf, 1.0, 1.050_701),
            (0.0, 1.0, 1.758_099_3),
            (-0.0, 1.0, 1.758_099_3),
            (inf, inf, inf),
            (2.0, f32::MAX, inf),
            (f32::NEG_INFINITY, 2.0, 0.0),
            (f32::NEG_INFINITY, -2.0, -0.0),
            (f32::NEG_INFINITY, inf, nan),
            (-1000.0, 1.0, 0.0),
            (-1000.0, -1.0, -0.0),
            (1.0, -0.0, -0.0),
            (-1.0, inf, inf),
            (-1.0, -inf, -inf),
        ],
        "gelu_tanh_backward" => vec![
            (0.0, 2.0, 1.0),
            (-0.0, -4.0, -2.0),
            (7.0, 3.0, 3.0),
            (inf, -2.5, -2.5),
            (inf, inf, inf),
            (f32::NEG_INFINITY, 3.0, 0.0),
            (f32::NEG_INFINITY, -3.0, -0.0),
            (f32::NEG_INFINITY, inf, nan),
            // Below x1 = -0.7525 the derivative is negative.
            (-20.0, 1.0, -0.0),
            (-20.0, -1.0, 0.0),
            (-20.0, f32::MAX, -0.0),
            (-2.0, 0.0, -0.0),
            (-0.5, 0.0, 0.0),
            (-2.0, inf, -inf),
            (1.0, inf, inf),
            (0.0, f32::MAX, f32::MAX / 2.0),
            (0.0, f32::from_bits(3), f32::from_bits(2)),
            (0.0, f32::from_bits(1), 0.0),
        ],
        "gelu_backward" => vec![
            (0.0, 2.0, 1.0),
            (-0.0, -4.0, -2.0),
            (7.0, 3.0, 3.0),
            (inf, -2.5, -2.5),
            (inf, inf, inf),
            (f32::NEG_INFINITY, 3.0, 0.0),
            (f32::NEG_INFINITY, -3.0, -0.0),
            (f32::NEG_INFINITY, inf, nan),
            // Below x0 = -0.7518 the derivative is negative.
            (-20.0, 1.0, -0.0),
            (-20.0, -1.0, 0.0),
            (-20.0, f32::MAX, -0.0),
            (-2.0, 0.0, -0.0),
            (-0.5, 0.0, 0.0),
            (-2.0, inf, -inf),
            (1.0, inf, inf),
            (0.0, f32::MAX, f32::MAX / 2.0),
            (0.0, f32::from_bits(3), f32::from_bits(2)),
            (0.0, f32::from_bits(1), 0.0),
        ],
        other => panic!("no special cases for {other}"),
    };
    // A NaN forward value comes out as it is, whatever g; then a NaN g.
    for &b in &NAN_PATTERNS {
        let n = f32::from_bits(b);
        c.push((n, 1.0, n));
        c.push((n, f32::from_bits(0x7fc0_0bad), n));
        if k.name != "relu_backward" {
            c.push((0.5, n, n));
        }
    }
    c
}

fn check_at_every_position(k: &BackwardKernel, y: f32, g: f32, want: f32) {
    let (fy, fg) = (0.375f32, 0.625f32);
    for p in k.paths() {
        let mut filler_out = [0f32];
        (p.out)(&[fy], &[fg], &mut filler_out).unwrap();
        for len in [1, p.lanes - 1, p.lanes, p.lanes + 1, 2 * p.lanes + 3] {
            for pos in 0..len {
                let mut ys = vec![fy; len];
                let mut gs = vec![fg; len];
                ys[pos] = y;
                gs[pos] = g;
                let mut out = vec![0f32; len];
                (p.out)(&ys, &gs, &mut out).unwrap();
                assert!(
                    out[pos].to_bits() == want.to_bits(),
                    "{} {} len {len} pos {pos}: f({y:e} = {:#010x}, {g:e} = {:#010x}) = {:e} ({:#010x}), want {want:e} ({:#010x})",
                    k.name,
                    p.label,
                    y.to_bits(),
                    g.to_bits(),
                    out[pos],
                    out[pos].to_bits(),
                    want.to_bits()
                );
                for (i, o) in out.iter().enumerate().filter(|&(i, _)| i != pos) {
                    assert_eq!(
                        o.to_bits(),
                        filler_out[0].to_bits(),
                        "{} neighbour {i}",
                        k.name
                    );
                }
                (p.in_place)(&ys, &mut gs).unwrap();
                assert_eq!(
                    gs[pos].to_bits(),
                    want.to_bits(),
                    "{} in place {}",
                    k.name,
                    p.label
                );
            }
        }
    }
}

#[test]
fn special_values_bit_for_bit() {
    for k in backward() {
        for (y, g, want) in cases(&k) {
            check_at_every_position(&k, y, g, want);
        }
    }
}

#[test]
fn leaky_relu_backward_slopes() {
    let xs = [-2.0f32, -0.0, 0.0, 3.0, f32::NEG_INFINITY];
    let gs = [1.5f32, f32::INFINITY, -2.0, 7.0, 0.0];
    for slope in [
        0.0f32,
        -0.5,
        1.0 / 3.0,
        5.5,
        f32::INFINITY,
        f32::from_bits(1),
    ] {
        let mut y = [0f32; 5];
        activations::leaky_relu_backward(&xs, &gs, &mut y, slope).unwrap();
        for i in 0..5 {
            let p = gs[i] * slope;
            let want = if xs[i] > 0.0 {
                gs[i]
            } else if p.is_nan() {
                f32::NAN
            } else {
                p
            };
            assert_eq!(y[i].to_bits(), want.to_bits(), "slope {slope} x {}", xs[i]);
        }
    }
    // A NaN slope: every x <= 0 gives the canonical NaN, x > 0 gives g.
    for slope in [f32::NAN, f32::from_bits(0xff81_2345)] {
        let mut y = [0f32; 5];
        activations::leaky_relu_backward(&xs, &gs, &mut y, slope).unwrap();
        assert_eq!(
            bits(&y),
            [
                f32::NAN.to_bits(),
                f32::NAN.to_bits(),
                f32::NAN.to_bits(),
                7.0f32.to_bits(),
                f32::NAN.to_bits()
            ]
        );
    }
}

/// ELU backward with other `alpha`: negative, zero, subnormal, huge, tiny
/// (split into `m 2^k`, `k` joining the final scale): within the bound of
/// the f64 reference for random `(x, g)`, `g` bit for bit for `x > 0`, and
/// the sign rules for zero results and infinite gradients.
#[test]
fn elu_backward_alphas() {
    let mut rng = Rng(0xe1_u64);
    let n = 1 << 16;
    for alpha in [
        0.0f32,
        -0.0,
        -0.5,
        2.5,
        f32::from_bits(1),
        1.0e-40,
        -3.0e-39,
        f32::MIN_POSITIVE,
        1.0e-30,
        3.0e38,
        -f32::MAX,
    ] {
        let xs: Vec<f32> = (0..n)
            .map(|i| match i % 4 {
                0 => (rng.unit() * 60.0 - 50.0) as f32,
                1 => (-rng.unit() * 300.0) as f32,
                2 => rng.any_f32(),
                _ => (rng.normal() * 2.0) as f32,
            })
            .collect();
        let gs: Vec<f32> = (0..n)
            .map(|i| match i % 3 {
                0 => (rng.normal() * 4.0) as f32,
                _ => loop {
                    let v = rng.any_f32();
                    if !v.is_nan() {
                        break v;
                    }
                },
            })
            .collect();
        let mut out = vec![0f32; n];
        for l in common::levels() {
            l.elu_backward(&xs, &gs, &mut out, alpha).unwrap();
            for ((&x, &g), &o) in xs.iter().zip(&gs).zip(&out) {
                let ctx = format!("alpha {alpha:e} {l}: x = {x:e}, g = {g:e}: {o:e}");
                if x.is_nan() {
                    assert_eq!(o.to_bits(), x.to_bits(), "{ctx}");
                } else if x > 0.0 {
                    assert_eq!(o.to_bits(), g.to_bits(), "{ctx}");
                } else if x == f32::NEG_INFINITY {
                    let p = g * 0.0;
                    assert!(
                        o.to_bits() == p.to_bits() || (p.is_nan() && o.is_nan()),
                        "{ctx}"
                    );
                } else if g.is_infinite() {
                    if alpha == 0.0 {
                        assert!(o.is_nan(), "{ctx}");
                    } else {
                        let neg = g.is_sign_negative() != alpha.is_sign_negative();
                        assert_eq!(o, if neg { -inf() } else { inf() }, "{ctx}");
                    }
                } else {
                    let r = reference::elu_backward(x, g, alpha);
                    let e = reference::ulp_error_or_overflow(o, r);
                    assert!(
                        e <= f64::from(activations::accuracy::ELU_BACKWARD),
                        "{ctx}: {e} ULP"
                    );
                    if o == 0.0 {
                        let neg = g.is_sign_negative() != alpha.is_sign_negative();
                        assert_eq!(o.is_sign_negative(), neg, "{ctx}: zero sign");
                    }
                }
            }
        }
    }
}

fn inf() -> f32 {
    f32::INFINITY
}

fn interesting(rng: &mut Rng, n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| match i % 4 {
            0 => rng.any_f32(),
            1 => rng.unit() as f32,
            2 => (rng.normal() * 10.0) as f32,
            _ => (rng.normal() * 0.01) as f32,
        })
        .collect()
}

#[test]
fn every_length_position_independent_and_in_place_equal() {
    let mut rng = Rng(7);
    for k in backward() {
        for p in k.paths() {
            for len in 0..=3 * p.lanes + 1 {
                let ys = interesting(&mut rng, len);
                let gs = interesting(&mut rng, len);
                let mut out = vec![0f32; len];
                (p.out)(&ys, &gs, &mut out).unwrap();
                for i in 0..len {
                    let mut alone = [0f32];
                    (p.out)(&ys[i..=i], &gs[i..=i], &mut alone).unwrap();
                    assert_eq!(
                        out[i].to_bits(),
                        alone[0].to_bits(),
                        "{} {} len {len} i {i}",
                        k.name,
                        p.label
                    );
                }
                let mut g2 = gs.clone();
                (p.in_place)(&ys, &mut g2).unwrap();
                assert_eq!(
                    bits(&g2),
                    bits(&out),
                    "{} {} in place, len {len}",
                    k.name,
                    p.label
                );
            }
        }
    }
}

#[test]
fn widths_and_levels_agree_bit_for_bit() {
    let mut rng = Rng(8);
    let ys = interesting(&mut rng, 100_003);
    let gs = interesting(&mut rng, 100_003);
    for k in backward() {
        let paths = k.paths();
        let outs: Vec<Vec<u32>> = paths
            .iter()
            .map(|p| {
                let mut o = vec![0f32; ys.len()];
                (p.out)(&ys, &gs, &mut o).unwrap();
                bits(&o)
            })
            .collect();
        for (i, p) in paths.iter().enumerate() {
            // Sigmoid, tanh, silu, ...: the same bits within a kind of
            // multiply-add; ReLU and leaky ReLU do no multiply-add: the same
            // bits everywhere.
            let same_group = |q: &common::Path2| q.fused == p.fused || k.exact;
            if let Some(j) = paths[..i].iter().position(same_group) {
                assert!(
                    outs[i] == outs[j],
                    "{}: {} vs {}",
                    k.name,
                    p.label,
                    paths[j].label
                );
            }
        }
        // The crate root runs at the current level.
        let level = activations::Level::current();
        let (mut a, mut b) = (vec![0f32; ys.len()], vec![0f32; ys.len()]);
        (k.root)(&ys, &gs, &mut a).unwrap();
        (k.at_level)(level, &ys, &gs, &mut b).unwrap();
        assert_eq!(bits(&a), bits(&b), "{} crate root vs {level}", k.name);
        let mut c = gs.clone();
        (k.root_in_place)(&ys, &mut c).unwrap();
        assert_eq!(bits(&a), bits(&c), "{} crate root in place", k.name);
    }
}

/// A training-loop round trip: the crate's forward output fed to the
/// backward kernel gives the analytic derivative within the forward's error
/// (1 ULP of y) plus the backward's.
#[test]
fn backward_of_the_forward_output_is_the_derivative() {
    let xs: Vec<f32> = (-2000..=2000).map(|i| i as f32 * 0.01).collect();
    let ones = vec![1.0f32; xs.len()];
    let mut y = vec![0f32; xs.len()];
    let mut d = vec![0f32; xs.len()];
    activations::sigmoid(&xs, &mut y).unwrap();
    activations::sigmoid_backward(&y, &ones, &mut d).unwrap();
    for ((&x, &y), &d) in xs.iter().zip(&y).zip(&d) {
        let s = reference::sigmoid(x);
        let exact = s * (1.0 - s);
        // |d/dy y(1-y)| <= 1, and y is within 1 ULP.
        let tol = reference::ulp_f32_at(f64::from(y)) + reference::ulp_f32_at(exact);
        assert!(
            (f64::from(d) - exact).abs() <= tol,
            "sigmoid' at {x}: {d} vs {exact}"
        );
    }
    activations::tanh(&xs, &mut y).unwrap();
    activations::tanh_backward(&y, &ones, &mut d).unwrap();
    for ((&x, &y), &d) in xs.iter().zip(&y).zip(&d) {
        let t = reference::tanh(x);
        let exact = 1.0 - t * t;
        let tol = 2.0 * reference::ulp_f32_at(f64::from(y)) + reference::ulp_f32_at(exact);
        assert!(
            (f64::from(d) - exact).abs() <= tol,
            "tanh' at {x}: {d} vs {exact}"
        );
    }
}
