//! Special values, bit for bit, at every width, in the body and in the tail.

mod common;

use common::{elementwise, Kernel, SOFTMAX_ROWS, WIDTHS};

const NAN_PATTERNS: [u32; 5] = [
    0x7fc0_0000,
    0xffc0_0000,
    0x7fc1_2345,
    0xffff_ffff,
    0x7fa0_0001,
];

/// The expected output bits for special inputs, per kernel (by name).
fn cases(name: &str) -> Vec<(f32, f32)> {
    let sub = f32::from_bits(1); // smallest positive subnormal
    let big_sub = f32::from_bits(0x007f_ffff); // largest subnormal
    let mut c: Vec<(f32, f32)> = match name {
        // sigmoid_fast: the same (its general path is sigmoid's), plus its
        // saturation an ulp early, below.
        "sigmoid" | "sigmoid_fast" => vec![
            (f32::INFINITY, 1.0),
            (f32::NEG_INFINITY, 0.0),
            (0.0, 0.5),
            (-0.0, 0.5),
            (sub, 0.5),
            (-sub, 0.5),
            (f32::MAX, 1.0),
            (f32::MIN, 0.0),
            (17.5, 1.0),
            (-104.0, 0.0),               // e^-104 < 2^-150: rounds to +0
            (-103.0, f32::from_bits(1)), // e^-103 = 1.3 * 2^-149: smallest subnormal
        ],
        "silu" => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (20.5, 20.5),
            (30.0, 30.0),
            (-120.0, -0.0), // |x e^x| < 2^-151
            (-1.0e30, -0.0),
        ],
        "tanh" | "tanh_fast" => vec![
            (f32::INFINITY, 1.0),
            (f32::NEG_INFINITY, -1.0),
            (0.0, 0.0),
            (-0.0, -0.0),
            (sub, sub),
            (-sub, -sub),
            (big_sub, big_sub),
            (f32::MIN_POSITIVE, f32::MIN_POSITIVE),
            (f32::MAX, 1.0),
            (f32::MIN, -1.0),
            (9.1, 1.0),
            (-9.1, -1.0),
        ],
        n if n.starts_with("elu") => {
            let a = if n == "elu(1)" { 1.0 } else { 0.3 };
            vec![
                (f32::INFINITY, f32::INFINITY),
                (f32::NEG_INFINITY, -a),
                (0.0, 0.0),
                (-0.0, -0.0),
                (sub, sub),
                (-sub, -sub * a), // alpha * x, correctly rounded
                (f32::MAX, f32::MAX),
                (f32::MIN, -a),
                (-17.4, -a),
                (-18.0, -a),
                (-1.0e30, -a),
            ]
        }
        "selu" => {
            let sa = (common::reference::SELU_SCALE * common::reference::SELU_ALPHA) as f32;
            vec![
                (f32::INFINITY, f32::INFINITY),
                (f32::NEG_INFINITY, -sa),
                (0.0, 0.0),
                (-0.0, -0.0),
                (1.0, common::reference::SELU_SCALE as f32),
                (f32::MAX, f32::INFINITY),
                (f32::MIN, -sa),
                (-20.0, -sa),
            ]
        }
        "gelu" => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (0.0, 0.0),
            (-0.0, -0.0),
            (6.5, 6.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (-14.5, -0.0),
            (-1.0e30, -0.0),
        ],
        "gelu_tanh" => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (0.0, 0.0),
            (-0.0, -0.0),
            (6.5, 6.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (-11.0, -0.0),
            (-1.0e30, -0.0),
        ],
        "mish" => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (0.0, 0.0),
            (-0.0, -0.0),
            (9.5, 9.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (-120.0, -0.0),
        ],
        "softplus" => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, 0.0),
            (0.0, core::f32::consts::LN_2),
            (-0.0, core::f32::consts::LN_2),
            (16.5, 16.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, 0.0),
            (-104.0, 0.0),
            (-103.0, f32::from_bits(1)), // e^-103 = 1.3 * 2^-149
        ],
        "hard_sigmoid" => vec![
            (f32::INFINITY, 1.0),
            (f32::NEG_INFINITY, 0.0),
            (0.0, 0.5),
            (-0.0, 0.5),
            (sub, 0.5),
            (-sub, 0.5),
            (3.0, 1.0),
            (-3.0, 0.0),
            (1.5, 0.75),
            (-1.5, 0.25),
            (f32::MAX, 1.0),
            (f32::MIN, 0.0),
        ],
        "hard_swish" => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::from_bits(2), sub), // x / 2, exact
            // |x| < 2^-50 is x * 0.5 (documented): 2^-150 is a tie, to even.
            (sub, 0.0),
            (-sub, -0.0),
            (3.0, 3.0),
            (-3.0, -0.0),
            (-1.5, -0.375),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
        ],
        "relu" => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, 0.0),
            (0.0, 0.0),
            (-0.0, 0.0),
            (sub, sub),
            (-sub, 0.0),
            (f32::MAX, f32::MAX),
            (f32::MIN, 0.0),
        ],
        n if n.starts_with("leaky_relu") => vec![
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, f32::NEG_INFINITY),
            (0.0, 0.0),
            (-0.0, -0.0),
            (sub, sub),
            (f32::MAX, f32::MAX),
        ],
        other => panic!("no special cases for {other}"),
    };
    // sigmoid_fast: 1 + e^-x rounds to 1 from x = 24 ln 2; just below, it
    // rounds up to 1 + 2^-23, and 1 / (1 + 2^-23) to 1 - 2^-23 (the correct
    // result is 1 - 2^-24).
    if name == "sigmoid_fast" {
        c.push((16.635532, 1.0));
        c.push((16.63553, f32::from_bits(0x3f7f_fffe)));
    }
    // sigmoid(-100): the reference, correctly rounded onto the subnormal grid.
    if name == "sigmoid" || name == "sigmoid_fast" {
        let want = common::reference::sigmoid(-100.0) as f32;
        c.retain(|&(x, _)| x != -100.0);
        c.push((-100.0, want));
        assert!(want > 0.0 && want < f32::MIN_POSITIVE);
    }
    // NaN in gives the same NaN out.
    c.extend(
        NAN_PATTERNS
            .iter()
            .map(|&b| (f32::from_bits(b), f32::from_bits(b))),
    );
    c
}

fn check_at_every_position(k: &Kernel, x: f32, want: f32) {
    let filler = 0.375f32;
    for path in k.paths() {
        let (w, lanes, f, fi) = (&path.label, path.lanes, &path.out, &path.in_place);
        let mut filler_out = [0f32];
        f(&[filler], &mut filler_out).unwrap();
        for len in [1, lanes - 1, lanes, lanes + 1, 2 * lanes + 3]
            .into_iter()
            .filter(|&l| l > 0)
        {
            for p in 0..len {
                let mut input = vec![filler; len];
                input[p] = x;
                let mut out = vec![0f32; len];
                f(&input, &mut out).unwrap();
                assert_eq!(
                    out[p].to_bits(),
                    want.to_bits(),
                    "{} {w} len {len} pos {p}: f({x:e} = {:#010x}) = {:e} ({:#010x}), want {want:e} ({:#010x})",
                    k.name,
                    x.to_bits(),
                    out[p],
                    out[p].to_bits(),
                    want.to_bits()
                );
                for (i, o) in out.iter().enumerate().filter(|&(i, _)| i != p) {
                    assert_eq!(
                        o.to_bits(),
                        filler_out[0].to_bits(),
                        "{} neighbour {i}",
                        k.name
                    );
                }
                fi(&mut input);
                assert_eq!(
                    input[p].to_bits(),
                    want.to_bits(),
                    "{} in place {w}",
                    k.name
                );
            }
        }
    }
}

#[test]
fn elementwise_special_values_bit_for_bit() {
    println!("build: {}", common::build_features());
    for k in elementwise() {
        for (x, want) in cases(k.name) {
            check_at_every_position(&k, x, want);
        }
    }
}

/// The f32 routes that x86-64 replaces by f64 routes (bare-metal targets
/// run them) give the same special values, bit for bit, at every width, in
/// the body and in the tail: the paths of one kernel agree on NaN, the
/// infinities, signed zeros, subnormals and saturation.
#[test]
fn f32_routes_special_values_bit_for_bit() {
    let routes = common::f32_routes();
    assert_eq!(routes.len(), 10, "a kernel's f32 route left the table");
    let filler = 0.375f32;
    for k in routes {
        let name = k.name.trim_end_matches("_f32_route");
        for (x, want) in cases(name) {
            for (w, f) in WIDTHS.iter().zip(k.slice) {
                // `x` first (in the body) and last (in the tail).
                for len in [1, w + 3] {
                    let mut input = vec![filler; len];
                    (input[0], input[len - 1]) = (x, x);
                    let mut out = vec![0f32; len];
                    f(&input, &mut out).unwrap();
                    for p in [0, len - 1] {
                        assert_eq!(
                            out[p].to_bits(),
                            want.to_bits(),
                            "{} f32x{w} len {len} pos {p}: f({x:e} = {:#010x}) = {:e} ({:#010x}), want {want:e}",
                            k.name,
                            x.to_bits(),
                            out[p],
                            out[p].to_bits(),
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn leaky_relu_negative_inputs_are_the_rounded_product() {
    for slope in [0.01f32, 0.1, 0.2, 0.3, 1.0 / 3.0, 5.5, 0.0, -0.5] {
        let xs: Vec<f32> = (0..10_000)
            .map(|i| -(i as f32) * 0.731 - f32::from_bits(i as u32))
            .collect();
        for (w, f) in WIDTHS.iter().zip([
            activations::generic::leaky_relu::<activations::f32x4>,
            activations::generic::leaky_relu::<activations::f32x8>,
            activations::generic::leaky_relu::<activations::f32x16>,
        ]) {
            let mut y = vec![0f32; xs.len()];
            f(&xs, &mut y, slope).unwrap();
            for (&x, &y) in xs.iter().zip(&y) {
                let want = if x < 0.0 { x * slope } else { x };
                assert_eq!(y.to_bits(), want.to_bits(), "f32x{w} slope {slope} x {x:e}");
            }
        }
    }
    for l in common::levels() {
        for slope in [0.01f32, 0.3, 1.0 / 3.0, -0.5] {
            let xs: Vec<f32> = (0..1000).map(|i| -(i as f32) * 0.731).collect();
            let mut y = vec![0f32; xs.len()];
            l.leaky_relu(&xs, &mut y, slope).unwrap();
            for (&x, &y) in xs.iter().zip(&y) {
                let want = if x < 0.0 { x * slope } else { x };
                assert_eq!(y.to_bits(), want.to_bits(), "{l} slope {slope} x {x:e}");
            }
        }
    }
    // A zero slope times -inf is NaN (IEEE), as documented.
    let mut y = [0.0f32];
    activations::leaky_relu(&[f32::NEG_INFINITY], &mut y, 0.0).unwrap();
    assert!(y[0].is_nan());
}

fn softmax_all_widths(row: &[f32]) -> Vec<Vec<f32>> {
    let mut outs = Vec::new();
    for p in common::softmax_paths() {
        let mut out = vec![9.0f32; row.len()];
        (p.out)(row, &mut out).unwrap();
        let mut inp = row.to_vec();
        (p.in_place)(&mut inp);
        assert_eq!(
            out.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            inp.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        outs.push(out);
    }
    outs
}

#[test]
fn softmax_special_rows() {
    let inf = f32::INFINITY;
    let nan_bits = f32::NAN.to_bits();
    for len in [1usize, 3, 4, 5, 8, 15, 16, 17, 33, 100] {
        for p in 0..len {
            // Fully masked row: all +0.0.
            for out in softmax_all_widths(&vec![-inf; len]) {
                assert!(out.iter().all(|v| v.to_bits() == 0), "masked len {len}");
            }
            // One NaN (any payload) or one +inf anywhere: all canonical NaN.
            for special in [f32::NAN, f32::from_bits(0xffc1_2345), inf] {
                let mut row: Vec<f32> = (0..len).map(|i| i as f32 * 0.5).collect();
                row[p] = special;
                for out in softmax_all_widths(&row) {
                    assert!(
                        out.iter().all(|v| v.to_bits() == nan_bits),
                        "len {len} pos {p} special {special}: {out:?}"
                    );
                }
            }
            // A NaN in an otherwise masked row is still NaN, not masked.
            let mut row = vec![-inf; len];
            row[p] = f32::NAN;
            for out in softmax_all_widths(&row) {
                assert!(out.iter().all(|v| v.to_bits() == nan_bits));
            }
            // One finite entry among -inf: exactly 1.0 there, +0.0 elsewhere.
            let mut row = vec![-inf; len];
            row[p] = -3.5;
            for out in softmax_all_widths(&row) {
                for (i, v) in out.iter().enumerate() {
                    let want = if i == p { 1.0f32 } else { 0.0 };
                    assert_eq!(v.to_bits(), want.to_bits(), "len {len} pos {p} i {i}");
                }
            }
        }
    }
    // Length 1 gives 1.0 for any finite value.
    for x in [0.0f32, -0.0, 1e30, -1e30, f32::MAX, f32::MIN, 1e-40] {
        for out in softmax_all_widths(&[x]) {
            assert_eq!(out[0].to_bits(), 1.0f32.to_bits(), "x = {x:e}");
        }
    }
    // Extreme finite values: no overflow, no NaN.
    for out in softmax_all_widths(&[f32::MAX, f32::MIN, f32::MAX]) {
        assert_eq!(out, vec![0.5, 0.0, 0.5]);
    }
    // Subnormal outputs are kept: e^-100 / (1 + e^-100) is ~3.7e-44.
    for out in softmax_all_widths(&[0.0, -100.0]) {
        assert_eq!(out[0], 1.0);
        assert!(out[1] > 0.0 && out[1] < f32::MIN_POSITIVE, "{:e}", out[1]);
        let want = (-100f64).exp() / (1.0 + (-100f64).exp());
        assert!(common::reference::ulp_error(out[1], want) <= 1.0);
    }
    // Empty row: a no-op that succeeds.
    for out in softmax_all_widths(&[]) {
        assert!(out.is_empty());
    }
}

#[test]
fn softmax_rows_keep_special_rows_to_themselves() {
    let inf = f32::INFINITY;
    let x = [
        1.0,
        2.0,
        3.0, // normal
        -inf,
        -inf,
        -inf, // masked
        0.0,
        f32::NAN,
        1.0, // NaN
        inf,
        0.0,
        0.0, // +inf
        5.0,
        -inf,
        5.0, // partly masked
    ];
    for f in SOFTMAX_ROWS {
        let mut y = [7.0f32; 15];
        f(&x, &mut y, 3).unwrap();
        assert!((y[0] + y[1] + y[2] - 1.0).abs() < 1e-6);
        assert!(y[3..6].iter().all(|v| v.to_bits() == 0));
        assert!(y[6..12].iter().all(|v| v.is_nan()));
        assert_eq!(&y[12..], &[0.5, 0.0, 0.5]);
    }
    // Empty batch with a valid row length: a no-op.
    for f in SOFTMAX_ROWS {
        f(&[], &mut [], 4).unwrap();
    }
}
