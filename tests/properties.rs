//! quickcheck properties, at every width.

mod common;

use activations::{f32x16, f32x4, f32x8, generic, Error};
use common::reference::{ulp_error, ulp_f32_at};
use quickcheck::{QuickCheck, TestResult};

type F = fn(&[f32], &mut [f32]) -> Result<(), Error>;
const SIGMOID: [F; 3] = [
    generic::sigmoid::<f32x4>,
    generic::sigmoid::<f32x8>,
    generic::sigmoid::<f32x16>,
];
const TANH: [F; 3] = [
    generic::tanh::<f32x4>,
    generic::tanh::<f32x8>,
    generic::tanh::<f32x16>,
];
const SOFTMAX: [F; 3] = [
    generic::softmax::<f32x4>,
    generic::softmax::<f32x8>,
    generic::softmax::<f32x16>,
];

fn one(f: F, x: f32) -> f32 {
    let mut y = [0f32];
    f(&[x], &mut y).unwrap();
    y[0]
}

/// quickcheck's f32 generator favours small values and specials; mix in raw
/// bit patterns so every binade is reached.
fn widen(x: f32, bits: u32, raw: bool) -> f32 {
    if raw {
        f32::from_bits(bits)
    } else {
        x
    }
}

fn qc() -> QuickCheck {
    QuickCheck::new().tests(20_000).max_tests(200_000)
}

#[test]
fn sigmoid_symmetry_within_bound() {
    fn prop(x: f32, bits: u32, raw: bool) -> TestResult {
        let x = widen(x, bits, raw);
        if x.is_nan() {
            return TestResult::discard();
        }
        let b = f64::from(activations::accuracy::SIGMOID);
        for f in SIGMOID {
            let (p, n) = (f64::from(one(f, x)), f64::from(one(f, -x)));
            // sigma(x) + sigma(-x) = 1: each side errs by <= b ulps of itself.
            let tol = b * (ulp_f32_at(p) + ulp_f32_at(n));
            if (p + n - 1.0).abs() > tol {
                return TestResult::error(format!("x={x:e}: {p} + {n} - 1 > {tol}"));
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(f32, u32, bool) -> TestResult);
}

#[test]
fn sigmoid_and_tanh_monotone_on_neighbours() {
    fn prop(x: f32, bits: u32, raw: bool, gap: u8) -> TestResult {
        let x = widen(x, bits, raw);
        if !x.is_finite() {
            return TestResult::discard();
        }
        // x and a float a few ulps above it (towards +inf).
        let up = if x >= 0.0 {
            f32::from_bits(x.to_bits().saturating_add(u32::from(gap % 4 + 1)))
        } else {
            let b = x.to_bits().saturating_sub(u32::from(gap % 4 + 1));
            if b < 0x8000_0000 {
                0.0
            } else {
                f32::from_bits(b)
            }
        };
        if up < x || !up.is_finite() {
            return TestResult::discard();
        }
        for f in SIGMOID.iter().chain(TANH.iter()) {
            if one(*f, x) > one(*f, up) {
                return TestResult::error(format!("not monotone at {x:e} .. {up:e}"));
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(f32, u32, bool, u8) -> TestResult);
}

#[test]
fn tanh_odd_bit_for_bit_and_bounded() {
    fn prop(x: f32, bits: u32, raw: bool) -> TestResult {
        let x = widen(x, bits, raw);
        if x.is_nan() {
            return TestResult::discard();
        }
        for f in TANH {
            let (p, n) = (one(f, x), one(f, -x));
            if p.to_bits() ^ 0x8000_0000 != n.to_bits() || p.abs() > 1.0 {
                return TestResult::error(format!("tanh({x:e}) = {p:e}, tanh(-x) = {n:e}"));
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(f32, u32, bool) -> TestResult);
}

#[test]
fn sigmoid_in_unit_interval() {
    fn prop(bits: u32) -> bool {
        let x = f32::from_bits(bits);
        SIGMOID.iter().all(|&f| {
            let y = one(f, x);
            x.is_nan() || (0.0..=1.0).contains(&y)
        })
    }
    qc().quickcheck(prop as fn(u32) -> bool);
}

/// Softmax outputs lie in [0, 1] and sum to 1 within `SOFTMAX * 2^-23`: each
/// output errs by at most `SOFTMAX` ulps, and an ulp of `y` is at most
/// `2^-23 y`, so the errors add up to at most `SOFTMAX * 2^-23 * sum(y)`.
#[test]
fn softmax_in_unit_interval_and_sums_to_one() {
    fn prop(row: Vec<f32>, scale: u8) -> TestResult {
        let row: Vec<f32> = row
            .into_iter()
            .filter(|v| v.is_finite())
            .map(|v| v * f32::from(scale % 50 + 1))
            .collect();
        if row.is_empty() || row.iter().any(|v| !v.is_finite()) {
            return TestResult::discard();
        }
        let b = f64::from(activations::accuracy::SOFTMAX);
        let tol = b * 2f64.powi(-23) + row.len() as f64 * 2f64.powi(-52);
        for f in SOFTMAX {
            let mut y = vec![0f32; row.len()];
            f(&row, &mut y).unwrap();
            if y.iter().any(|v| !(0.0..=1.0).contains(v)) {
                return TestResult::error(format!("out of [0,1]: {y:?}"));
            }
            let s: f64 = y.iter().map(|&v| f64::from(v)).sum();
            if (s - 1.0).abs() > tol {
                return TestResult::error(format!("sum {s} for {row:?}"));
            }
        }
        TestResult::passed()
    }
    qc().tests(5_000)
        .max_tests(50_000)
        .quickcheck(prop as fn(Vec<f32>, u8) -> TestResult);
}

/// Adding an integer to an integer-valued row is exact in f32, and the
/// kernel only ever sees `x - max`, which is then identical: the outputs are
/// equal bit for bit (stronger than "within the bound").
#[test]
fn softmax_shift_invariant_for_exact_shifts() {
    fn prop(row: Vec<i16>, shift: i16) -> TestResult {
        if row.is_empty() {
            return TestResult::discard();
        }
        let a: Vec<f32> = row.iter().map(|&v| f32::from(v)).collect();
        let b: Vec<f32> = row
            .iter()
            .map(|&v| f32::from(v) + f32::from(shift))
            .collect();
        let want = common::reference::softmax(&a);
        for f in SOFTMAX {
            let (mut ya, mut yb) = (vec![0f32; a.len()], vec![0f32; a.len()]);
            f(&a, &mut ya).unwrap();
            f(&b, &mut yb).unwrap();
            if ya.iter().zip(&yb).any(|(p, q)| p.to_bits() != q.to_bits()) {
                return TestResult::error(format!("shift {shift} changed {row:?}"));
            }
            let b = f64::from(activations::accuracy::SOFTMAX);
            if ya.iter().zip(&want).any(|(&y, &r)| ulp_error(y, r) > b) {
                return TestResult::error(format!("bound exceeded for {row:?}"));
            }
        }
        TestResult::passed()
    }
    qc().tests(5_000)
        .max_tests(50_000)
        .quickcheck(prop as fn(Vec<i16>, i16) -> TestResult);
}

#[test]
fn elu_any_finite_alpha_within_bound_at_every_path() {
    fn prop(x: f32, bits: u32, raw: bool, alpha_bits: u32, raw_alpha: bool, a: f32) -> TestResult {
        let x = widen(x, bits, raw);
        let alpha = widen(a, alpha_bits, raw_alpha);
        if !alpha.is_finite() {
            return TestResult::discard();
        }
        let want = common::reference::elu(x, alpha);
        let mut outs: Vec<(String, f32)> = Vec::new();
        for (w, f) in [
            (
                "f32x4",
                generic::elu::<f32x4> as fn(&[f32], &mut [f32], f32) -> Result<(), Error>,
            ),
            ("f32x8", generic::elu::<f32x8>),
            ("f32x16", generic::elu::<f32x16>),
        ] {
            let mut y = [0f32];
            f(&[x], &mut y, alpha).unwrap();
            outs.push((w.to_string(), y[0]));
        }
        for l in common::levels() {
            let mut y = [0f32];
            l.elu(&[x], &mut y, alpha).unwrap();
            outs.push((l.to_string(), y[0]));
        }
        for (w, y) in outs {
            let e = ulp_error(y, want);
            if e > f64::from(activations::accuracy::ELU)
                || (x.is_nan() && y.to_bits() != x.to_bits())
            {
                return TestResult::error(format!(
                    "{w}: elu({x:e}, alpha {alpha:e} = {:#010x}) = {y:e}, want {want:e} ({e:.3} ULP)",
                    alpha.to_bits()
                ));
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(f32, u32, bool, u32, bool, f32) -> TestResult);
}

#[test]
fn hard_swish_is_x_times_hard_sigmoid_within_two_roundings() {
    const HS: [F; 3] = [
        generic::hard_sigmoid::<f32x4>,
        generic::hard_sigmoid::<f32x8>,
        generic::hard_sigmoid::<f32x16>,
    ];
    const HW: [F; 3] = [
        generic::hard_swish::<f32x4>,
        generic::hard_swish::<f32x8>,
        generic::hard_swish::<f32x16>,
    ];
    fn prop(x: f32, bits: u32, raw: bool) -> TestResult {
        let x = widen(x, bits, raw);
        if !x.is_finite() {
            return TestResult::discard();
        }
        for (s, w) in HS.into_iter().zip(HW) {
            let (sig, sw) = (f64::from(one(s, x)), f64::from(one(w, x)));
            // sw errs by <= bound ulp of itself, x * sig by the bound of sig
            // scaled by |x| (plus the subnormal grid).
            let tol = f64::from(activations::accuracy::HARD_SWISH) * ulp_f32_at(sw)
                + f64::from(activations::accuracy::HARD_SIGMOID)
                    * f64::from(x).abs()
                    * ulp_f32_at(sig)
                + 2f64.powi(-149);
            if (sw - f64::from(x) * sig).abs() > tol {
                return TestResult::error(format!("x={x:e}: {sw:e} vs {x:e} * {sig:e}"));
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(f32, u32, bool) -> TestResult);
}

type Fwd = fn(&[f32], &mut [f32]) -> Result<(), Error>;
type Bwd = fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>;

/// One row of the finite-difference check: name, forward, backward, whether
/// the backward takes the forward output, `h`, `max|f'''|`, `max|dd/dy|`,
/// the forward's and the backward's bounds.
type FdCase = (&'static str, Fwd, Bwd, bool, f64, f64, f64, f32, f32);

fn fd_cases() -> [FdCase; 10] {
    use activations::accuracy;
    [
        (
            "sigmoid",
            activations::sigmoid,
            activations::sigmoid_backward,
            true,
            2f64.powi(-6),
            0.125,
            1.0,
            accuracy::SIGMOID,
            accuracy::SIGMOID_BACKWARD,
        ),
        (
            "tanh",
            activations::tanh,
            activations::tanh_backward,
            true,
            2f64.powi(-8),
            2.0,
            2.0,
            accuracy::TANH,
            accuracy::TANH_BACKWARD,
        ),
        (
            "relu",
            activations::relu,
            activations::relu_backward,
            false,
            2f64.powi(-8),
            0.0,
            0.0,
            accuracy::RELU,
            accuracy::RELU_BACKWARD,
        ),
        (
            "leaky_relu(0.3)",
            |x, y| activations::leaky_relu(x, y, 0.3),
            |x, g, y| activations::leaky_relu_backward(x, g, y, 0.3),
            false,
            2f64.powi(-8),
            0.0,
            0.0,
            accuracy::LEAKY_RELU,
            accuracy::LEAKY_RELU_BACKWARD,
        ),
        (
            "silu",
            activations::silu,
            activations::silu_backward,
            false,
            2f64.powi(-6),
            0.31,
            0.0,
            accuracy::SILU,
            accuracy::SILU_BACKWARD,
        ),
        (
            "softplus",
            activations::softplus,
            activations::softplus_backward,
            false,
            2f64.powi(-6),
            0.1,
            0.0,
            accuracy::SOFTPLUS,
            accuracy::SOFTPLUS_BACKWARD,
        ),
        (
            "elu(0.7)",
            |x, y| activations::elu(x, y, 0.7),
            |x, g, y| activations::elu_backward(x, g, y, 0.7),
            false,
            2f64.powi(-8),
            0.7,
            0.0,
            accuracy::ELU,
            accuracy::ELU_BACKWARD,
        ),
        (
            "selu",
            activations::selu,
            activations::selu_backward,
            false,
            2f64.powi(-8),
            1.76,
            0.0,
            accuracy::SELU,
            accuracy::SELU_BACKWARD,
        ),
        (
            "gelu_tanh",
            activations::gelu_tanh,
            activations::gelu_tanh_backward,
            false,
            2f64.powi(-6),
            0.78,
            0.0,
            accuracy::GELU_TANH,
            accuracy::GELU_TANH_BACKWARD,
        ),
        (
            "gelu",
            activations::gelu,
            activations::gelu_backward,
            false,
            2f64.powi(-6),
            0.78,
            0.0,
            accuracy::GELU,
            accuracy::GELU_BACKWARD,
        ),
    ]
}

/// The backward kernels against a central finite difference of the crate's
/// own forward kernel: `(f(x + h) - f(x - h)) / 2h`, in f64 from the f32
/// outputs, with `x` on a grid of `2^-11` in `(-16, 16)` and `h` a power of
/// two, so `x ± h` are exact. The tolerance is the sum of
/// - the truncation error `max|f'''| h² / 6` (sigmoid: `|σ'''| <= 1/8`;
///   tanh: `|tanh'''| <= 2`; silu: `<= 0.31`; softplus: `|σ''| <= 0.1`;
///   elu: `alpha`; selu: `scale alpha`; gelu_tanh: `<= 0.78`),
/// - the forward's rounding in the difference quotient:
///   `B (ulp(f(x+h)) + ulp(f(x-h))) / 2h`, `B` its bound,
/// - the backward's own error on the forward output `y` (within `B` ulps):
///   `max|dd/dy| B ulp(y)` (`|1 - 2y| <= 1`, `|2y| <= 2`; 0 for the kernels
///   that take the exact input `x`), plus its bound in ulps of the result.
///
/// With `g = 1` the backward result is the derivative; wrong derivatives
/// (tanh's formula for sigmoid's, a factor 1.001) fail this test.
#[test]
fn backward_matches_central_difference_of_forward() {
    fn prop(k: i16, which: u8) -> TestResult {
        let (name, fwd, bwd, takes_output, h, m3, ddy, b_fwd, b_bwd) =
            fd_cases()[usize::from(which) % 9];
        let x = f64::from(k) * 2f64.powi(-11);
        // relu and leaky relu (exact forwards), elu and selu: no derivative
        // (or a jump of the second) within h of 0.
        let kinked = b_fwd == 0.0;
        if (kinked || name.starts_with("elu") || name == "selu") && x.abs() <= h {
            return TestResult::discard();
        }
        let xs = [(x - h) as f32, x as f32, (x + h) as f32];
        let mut ys = [0f32; 3];
        fwd(&xs, &mut ys).unwrap();
        let (ym, y, yp) = (f64::from(ys[0]), ys[1], f64::from(ys[2]));
        let fd = (yp - ym) / (2.0 * h);
        let mut d = [0f32];
        let first = if takes_output { y } else { xs[1] };
        bwd(&[first], &[1.0], &mut d).unwrap();
        let d = f64::from(d[0]);
        let (bf, bb) = (f64::from(b_fwd), f64::from(b_bwd));
        // (relu and leaky relu are exact, but leaky's products round: half
        // an ulp each.)
        let bf_fd = if kinked { 0.5 } else { bf };
        let tol = m3 * h * h / 6.0
            + bf_fd * (ulp_f32_at(yp) + ulp_f32_at(ym)) / (2.0 * h)
            + ddy * bf * ulp_f32_at(f64::from(y))
            + bb.max(0.5) * ulp_f32_at(d);
        if (d - fd).abs() > tol {
            return TestResult::error(format!(
                "{name}'({x}) = {d:e} by the backward kernel, {fd:e} by the central difference (h = {h}): |diff| {:e} > tolerance {tol:e}",
                (d - fd).abs()
            ));
        }
        TestResult::passed()
    }
    qc().tests(40_000)
        .quickcheck(prop as fn(i16, u8) -> TestResult);
}

/// Softmax and log-softmax backward against a central finite difference of
/// the crate's own forward kernels: for a random row `x` (on a grid of
/// `2^-8` in `(-4, 4)`, up to 9 entries) and gradient `g`, the derivative
/// of `L(x) = Σ_i g_i f(x)_i` along `x_j` is `(L(x + h e_j) - L(x - h e_j)) / 2h`
/// (`h = 2^-7`, exact shifts), in f64 from the f32 outputs. Tolerance:
/// truncation `h² Σ|g|` (the third derivatives of softmax and log-sum-exp
/// are below 1 in size); the forward's rounding in the quotient,
/// `Σ_i |g_i| B (ulp(f(x+h)_i) + ulp(f(x-h)_i)) / 2h`; the backward's
/// sensitivity to the forward's error in `y`, `2 Σ|g| n B max ulp(y)`;
/// and the backward's own bound. A wrong formula (no `y` factor, the other
/// kernel's formula, a sign) is off by far more.
#[test]
fn softmax_backward_matches_central_difference_of_forward() {
    fn prop(xs: Vec<i16>, gs: Vec<i8>, j: u8, log: bool) -> TestResult {
        use activations::accuracy;
        let n = xs.len().min(gs.len()).min(9);
        if n == 0 {
            return TestResult::discard();
        }
        let x: Vec<f32> = xs[..n]
            .iter()
            .map(|&k| f32::from(k % 1024) * 2f32.powi(-8))
            .collect();
        let g: Vec<f32> = gs[..n].iter().map(|&k| f32::from(k) / 16.0).collect();
        let j = usize::from(j) % n;
        let h = 2f64.powi(-7);
        let (fwd, bwd, b_fwd, b_bwd, abs): (F, Bwd, f32, f32, f64) = if log {
            (
                activations::log_softmax,
                activations::log_softmax_backward,
                accuracy::LOG_SOFTMAX,
                accuracy::LOG_SOFTMAX_BACKWARD,
                accuracy::LOG_SOFTMAX_BACKWARD_ABS,
            )
        } else {
            (
                activations::softmax,
                activations::softmax_backward,
                accuracy::SOFTMAX,
                accuracy::SOFTMAX_BACKWARD,
                accuracy::SOFTMAX_BACKWARD_ABS,
            )
        };
        let eval = |x: &[f32]| {
            let mut y = vec![0f32; n];
            fwd(x, &mut y).unwrap();
            y
        };
        let y = eval(&x);
        let (mut xp, mut xm) = (x.clone(), x.clone());
        xp[j] = (f64::from(x[j]) + h) as f32;
        xm[j] = (f64::from(x[j]) - h) as f32;
        let (yp, ym) = (eval(&xp), eval(&xm));
        let dot = |y: &[f32]| -> f64 {
            y.iter()
                .zip(&g)
                .map(|(&y, &g)| f64::from(y) * f64::from(g))
                .sum()
        };
        let fd = (dot(&yp) - dot(&ym)) / (2.0 * h);
        let mut dx = vec![0f32; n];
        bwd(&y, &g, &mut dx).unwrap();
        let d = f64::from(dx[j]);
        let sg: f64 = g.iter().map(|g| f64::from(g.abs())).sum();
        let bf = f64::from(b_fwd);
        let rounding: f64 = g
            .iter()
            .zip(yp.iter().zip(&ym))
            .map(|(&g, (&a, &b))| {
                f64::from(g.abs()) * bf * (ulp_f32_at(f64::from(a)) + ulp_f32_at(f64::from(b)))
            })
            .sum::<f64>()
            / (2.0 * h);
        let max_ulp_y = y
            .iter()
            .map(|&y| ulp_f32_at(f64::from(y)))
            .fold(0.0, f64::max);
        let tol = h * h * sg
            + rounding
            + 2.0 * sg * n as f64 * bf * max_ulp_y
            + f64::from(b_bwd) * ulp_f32_at(d)
            + abs * sg;
        if (d - fd).abs() > tol {
            return TestResult::error(format!(
                "{} backward at x = {x:?}, g = {g:?}, j = {j}: {d:e}, central difference {fd:e}, |diff| {:e} > {tol:e}",
                if log { "log_softmax" } else { "softmax" },
                (d - fd).abs()
            ));
        }
        TestResult::passed()
    }
    qc().tests(20_000)
        .quickcheck(prop as fn(Vec<i16>, Vec<i8>, u8, bool) -> TestResult);
}
