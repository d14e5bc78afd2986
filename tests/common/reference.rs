//! The f64 oracle and the ULP measure. Shared by the tests and the examples
//! (`#[path]`-included), so the number a test asserts and the number the
//! README quotes are computed by the same code.
#![allow(dead_code)]

/// Spacing of f32 at `|r|`: `2^(e-23)` for `|r|` in `[2^e, 2^(e+1))`, `2^-149`
/// below `2^-126` (the subnormal grid).
pub fn ulp_f32_at(r: f64) -> f64 {
    let a = r.abs();
    if a < f64::from(f32::MIN_POSITIVE) {
        return 2f64.powi(-149);
    }
    let e = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    2f64.powi(e - 23)
}

/// Error of `y` against `r` in units of the f32 ulp at `r`. Equal values
/// (including equal infinities) and NaN-vs-NaN give 0; any other mismatch
/// of NaN or infinity gives `f64::INFINITY`.
pub fn ulp_error(y: f32, r: f64) -> f64 {
    let y = f64::from(y);
    if y == r || (y.is_nan() && r.is_nan()) {
        return 0.0;
    }
    if y.is_nan() || r.is_nan() || y.is_infinite() || r.is_infinite() {
        return f64::INFINITY;
    }
    (y - r).abs() / ulp_f32_at(r)
}

/// SiLU `x * sigmoid(x)` (the limit `-0.0` at `-inf`, where the product is NaN).
pub fn silu(x: f32) -> f64 {
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    f64::from(x) * sigmoid(x)
}

/// GELU, exact form: `x Φ(x) = x erfc(-x / sqrt(2)) / 2` (erfc, so the
/// negative tail keeps its relative accuracy; libm's f64 erfc is within an
/// ulp or so of f64).
pub fn gelu(x: f32) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f32::INFINITY {
        return f64::INFINITY;
    }
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    let x = f64::from(x);
    x * libm::erfc(-x * core::f64::consts::FRAC_1_SQRT_2) * 0.5
}

/// GELU, tanh form: `0.5 x (1 + tanh(v))` computed as `x sigmoid(2v)`
/// (the same function; no cancellation in the negative tail),
/// `2v = 2 sqrt(2/pi) (x + 0.044715 x^3)`.
pub fn gelu_tanh(x: f32) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f32::INFINITY {
        return f64::INFINITY;
    }
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    let a = 2.0 * (2.0 / std::f64::consts::PI).sqrt();
    let v = f64::from(x);
    v * sigmoid_f64(a * (v + 0.044715 * v * v * v))
}

/// Mish `x tanh(ln(1 + e^x))`, as the rational form of `G = e^-|x|`
/// (no cancellation): `(1 + 2G) / (1 + 2G + 2G^2)` for `x >= 0`,
/// `(G^2 + 2G) / (G^2 + 2G + 2)` for `x < 0`.
pub fn mish(x: f32) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f32::INFINITY {
        return f64::INFINITY;
    }
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    let v = f64::from(x);
    let g = (-v.abs()).exp();
    let t = if v >= 0.0 {
        (1.0 + 2.0 * g) / (1.0 + 2.0 * g + 2.0 * g * g)
    } else {
        (g * g + 2.0 * g) / (g * g + 2.0 * g + 2.0)
    };
    v * t
}

/// Softplus `ln(1 + e^x) = max(x, 0) + log1p(e^-|x|)`.
pub fn softplus(x: f32) -> f64 {
    if x.is_nan() || x == f32::INFINITY {
        return f64::from(x);
    }
    let v = f64::from(x);
    v.max(0.0) + (-v.abs()).exp().ln_1p()
}

/// ELU `alpha (e^x - 1)` for `x < 0`, `x` otherwise (zeros and NaN included).
pub fn elu(x: f32, alpha: f32) -> f64 {
    if x < 0.0 {
        f64::from(alpha) * f64::from(x).exp_m1()
    } else {
        f64::from(x)
    }
}

/// SELU's constants (Klambauer et al.), to f64 precision.
pub const SELU_ALPHA: f64 = 1.673_263_242_354_377_284_817_042_991_671_7;
pub const SELU_SCALE: f64 = 1.050_700_987_355_480_493_419_334_985_294_6;

/// SELU `scale * (x > 0 ? x : alpha (e^x - 1))`; `+inf` where the value
/// rounds past `f32::MAX` (from `x >= 3.2385e38`).
pub fn selu(x: f32) -> f64 {
    if x < 0.0 {
        SELU_SCALE * SELU_ALPHA * f64::from(x).exp_m1()
    } else {
        let r = SELU_SCALE * f64::from(x);
        if (r as f32).is_infinite() {
            f64::INFINITY
        } else {
            r
        }
    }
}

/// Hard sigmoid `clamp(x + 3, 0, 6) / 6` (x + 3 in f64 is exact but for
/// |x| < 2^-27, where its rounding is far below an f32 ulp of 0.5).
pub fn hard_sigmoid(x: f32) -> f64 {
    let x = f64::from(x);
    if x.is_nan() {
        x
    } else {
        (x + 3.0).clamp(0.0, 6.0) / 6.0
    }
}

/// Hard swish `x * clamp(x + 3, 0, 6) / 6`; `x` itself from 3 up (so
/// `+inf` gives `+inf`, not `inf * 6 / 6`), `-0.0` at and below `-3`.
pub fn hard_swish(x: f32) -> f64 {
    let x = f64::from(x);
    if x >= 3.0 {
        x
    } else if x <= -3.0 {
        -0.0
    } else {
        x * (x + 3.0) / 6.0
    }
}

pub fn sigmoid(x: f32) -> f64 {
    sigmoid_f64(f64::from(x))
}

/// `1 / (1 + e^-u)`, written so that neither tail cancels.
pub fn sigmoid_f64(u: f64) -> f64 {
    if u >= 0.0 {
        1.0 / (1.0 + (-u).exp())
    } else {
        let e = u.exp();
        e / (1.0 + e)
    }
}

pub fn tanh(x: f32) -> f64 {
    f64::from(x).tanh()
}

pub fn relu(x: f32) -> f64 {
    if x.is_nan() {
        f64::NAN
    } else if x > 0.0 {
        f64::from(x)
    } else {
        0.0
    }
}

/// Leaky ReLU; the f32 product is the reference (it is the correctly
/// rounded `x * slope`, which the kernel must reproduce exactly).
pub fn leaky_relu(x: f32, slope: f32) -> f64 {
    if x < 0.0 {
        f64::from(x * slope)
    } else {
        f64::from(x)
    }
}

/// The f64 softmax of a row of finite values.
pub fn softmax(row: &[f32]) -> Vec<f64> {
    let m = row
        .iter()
        .fold(f64::NEG_INFINITY, |a, &b| a.max(f64::from(b)));
    let e: Vec<f64> = row.iter().map(|&x| (f64::from(x) - m).exp()).collect();
    // Pairwise-free but compensated enough: f64 sums of <= 2^16 terms in [0, 1]
    // carry < 2^-36 relative error, far below an f32 ulp.
    let s: f64 = e.iter().sum();
    e.iter().map(|v| v / s).collect()
}

/// The f64 log-softmax of a row of finite values and `-inf` (at least one
/// finite): `x - M - ln(K + T)`, `K` the count of entries equal to the
/// maximum `M`, `T` the sum of `e^(x - M)` over the others, the logarithm
/// taken as `ln_1p((K - 1) + T)` so that a tiny `T` is not rounded into 1.
pub fn log_softmax(row: &[f32]) -> Vec<f64> {
    let m = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let k = row.iter().filter(|&&x| x == m).count() as f64;
    let m = f64::from(m);
    let t: f64 = row
        .iter()
        .filter(|&&x| f64::from(x) != m)
        .map(|&x| (f64::from(x) - m).exp())
        .sum();
    let l = ((k - 1.0) + t).ln_1p();
    row.iter().map(|&x| (f64::from(x) - m) - l).collect()
}

/// Sum of f64 terms with two-sum compensation (Neumaier): for f32 inputs
/// and their exact f64 products, within `2^-100` or so of the exact sum.
pub fn sum_compensated(terms: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0f64, 0f64);
    for t in terms {
        let u = s + t;
        c += if s.abs() >= t.abs() {
            (s - u) + t
        } else {
            (t - u) + s
        };
        s = u;
    }
    s + c
}

/// Softmax backward `y_i (g_i - Σ_j g_j y_j)` from the given f32 `y`, `g`
/// (the products are exact in f64, the sum compensated), and the scale of
/// what cancels, `|y_i| Σ_j |g_j y_j|`.
pub fn softmax_backward(y: &[f32], g: &[f32]) -> (Vec<f64>, Vec<f64>) {
    let prod = |(&a, &b): (&f32, &f32)| f64::from(a) * f64::from(b);
    let d = sum_compensated(y.iter().zip(g).map(prod));
    let s: f64 = y.iter().zip(g).map(prod).map(f64::abs).sum();
    let r = y
        .iter()
        .zip(g)
        .map(|(&y, &g)| f64::from(y) * (f64::from(g) - d))
        .collect();
    (r, y.iter().map(|&y| f64::from(y).abs() * s).collect())
}

/// Log-softmax backward `g_i - e^(y_i) Σ_j g_j` from the given f32 `y`,
/// `g`, and the scale of what cancels, `e^(y_i) Σ_j |g_j|`.
pub fn log_softmax_backward(y: &[f32], g: &[f32]) -> (Vec<f64>, Vec<f64>) {
    let s = sum_compensated(g.iter().map(|&g| f64::from(g)));
    let a: f64 = g.iter().map(|&g| f64::from(g).abs()).sum();
    let r = y
        .iter()
        .zip(g)
        .map(|(&y, &g)| f64::from(g) - f64::from(y).exp() * s)
        .collect();
    (r, y.iter().map(|&y| f64::from(y).exp() * a).collect())
}

/// Sigmoid backward `g * y * (1 - y)` from the given f32 `y` and `g`
/// (`y (1 - y)` is exact in f64 for `|y| < 2^24`, the product rounds once).
pub fn sigmoid_backward(y: f32, g: f32) -> f64 {
    let y = f64::from(y);
    f64::from(g) * (y * (1.0 - y))
}

/// Tanh backward `g * (1 - y²)` from the given f32 `y` and `g`.
pub fn tanh_backward(y: f32, g: f32) -> f64 {
    let y = f64::from(y);
    f64::from(g) * (1.0 - y * y)
}

/// ReLU backward: `g` where `x > 0`, `+0` where `x <= 0`, NaN for NaN `x`.
pub fn relu_backward(x: f32, g: f32) -> f64 {
    if x.is_nan() {
        f64::NAN
    } else if x > 0.0 {
        f64::from(g)
    } else {
        0.0
    }
}

/// Leaky ReLU backward: `g` where `x > 0`, the rounded f32 `g * slope`
/// (the kernel must reproduce it exactly) where `x <= 0`.
pub fn leaky_relu_backward(x: f32, g: f32, slope: f32) -> f64 {
    if x.is_nan() {
        f64::NAN
    } else if x > 0.0 {
        f64::from(g)
    } else {
        f64::from(g * slope)
    }
}

/// SiLU's zero of `S = 1 + x + e^x`, `x0 = -1 - W(1/e)`, as an f64 pair
/// (`-1.27846454276107379510935873902298...`).
pub const SILU_X0: (f64, f64) = (-1.278_464_542_761_073_7, -1.094_699_418_309_343_7e-16);

/// SiLU backward `g * σ(x)(1 + x(1 - σ(x)))` from the given f32 `x`, `g`.
/// With `E = e^-|x|`: `(1 + E(1 + x)) / (1 + E)^2` for `x >= 0`, and
/// `E S / (1 + E)^2` for `x < 0`, where `S = 1 + x + E` is evaluated as
/// `t + e^x0 expm1(t)` with `t = x - x0` (the same value, since
/// `1 + x0 + e^x0 = 0`, and both terms have the sign of `t`: no
/// cancellation at the zero `x0`). `x = -inf` gives `g * 0`, `+inf` `g`.
pub fn silu_backward(x: f32, g: f32) -> f64 {
    let gd = f64::from(g);
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f32::INFINITY {
        return gd;
    }
    if x == f32::NEG_INFINITY {
        return gd * 0.0;
    }
    let v = f64::from(x);
    let d = if v >= 0.0 {
        let e = (-v).exp();
        (1.0 + e * (1.0 + v)) / ((1.0 + e) * (1.0 + e))
    } else {
        let e = v.exp();
        let t = (v - SILU_X0.0) - SILU_X0.1;
        let e0 = -(1.0 + SILU_X0.0) - SILU_X0.1;
        e * (t + e0 * t.exp_m1()) / ((1.0 + e) * (1.0 + e))
    };
    gd * d
}

/// Softplus backward `g * σ(x)` from the given f32 `x`, `g`
/// (`x = -inf`: `g * 0`; `+inf`: `g`).
pub fn softplus_backward(x: f32, g: f32) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    f64::from(g) * sigmoid_f64(f64::from(x))
}

/// ELU backward: `g` for `x > 0`, `g * alpha * e^x` for `x <= 0` (f64;
/// `x = -inf`: `g * 0`).
pub fn elu_backward(x: f32, g: f32, alpha: f32) -> f64 {
    let gd = f64::from(g);
    if x.is_nan() {
        f64::NAN
    } else if x > 0.0 {
        gd
    } else if x == f32::NEG_INFINITY {
        gd * 0.0
    } else {
        gd * f64::from(alpha) * f64::from(x).exp()
    }
}

/// SELU backward: `g scale` for `x > 0`, `g scale alpha e^x` for `x <= 0`
/// (the f64 constants; `x = -inf`: `g * 0`).
pub fn selu_backward(x: f32, g: f32) -> f64 {
    let gd = f64::from(g);
    if x.is_nan() {
        f64::NAN
    } else if x > 0.0 {
        gd * SELU_SCALE
    } else if x == f32::NEG_INFINITY {
        gd * 0.0
    } else {
        gd * SELU_SCALE * SELU_ALPHA * f64::from(x).exp()
    }
}

/// GELU's (tanh form) zero of `S = 1 + e^u + x u'`, as an f64 pair
/// (`-0.75246142207101625848795444328891...`).
pub const GELU_X1: (f64, f64) = (-0.752_461_422_071_016_3, 3.635_560_509_207_687e-17);

/// GELU (tanh form) backward `g * (σ(u) + x σ(u)(1 - σ(u)) u')`,
/// `u = a x + b x^3`, `a = 2 sqrt(2/pi)`, `b = 0.044715 a`, from the given
/// f32 `x`, `g`. With `E = e^-|u|` and `v = x u' = a x + 3b x^3`:
/// `(1 + E(1 + v)) / (1 + E)^2` for `x >= 0`, `E S / (1 + E)^2` for
/// `x < 0` with `S = 1 + v + E` evaluated as
/// `(v - v(x1)) + e^u(x1) expm1(u - u(x1))` (the same value, since
/// `S(x1) = 0`; both terms have the sign of `x - x1` and are products by
/// it: no cancellation at `x1`).
pub fn gelu_tanh_backward(x: f32, g: f32) -> f64 {
    let gd = f64::from(g);
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f32::INFINITY {
        return gd;
    }
    if x == f32::NEG_INFINITY {
        return gd * 0.0;
    }
    let a = 2.0 * (2.0 / std::f64::consts::PI).sqrt();
    let b = 0.044715 * a;
    let v = f64::from(x);
    let d = if v >= 0.0 {
        let e = (-(v * (a + b * v * v))).exp();
        let vp = v * (a + 3.0 * b * v * v);
        (1.0 + e * (1.0 + vp)) / ((1.0 + e) * (1.0 + e))
    } else {
        let e = (v * (a + b * v * v)).exp();
        let x1 = GELU_X1.0;
        let t = (v - x1) - GELU_X1.1;
        let q = v * v + v * x1 + x1 * x1;
        let dv = t * (a + 3.0 * b * q);
        let du = t * (a + b * q);
        let e1 = -(1.0 + x1 * (a + 3.0 * b * x1 * x1));
        e * (dv + e1 * du.exp_m1()) / ((1.0 + e) * (1.0 + e))
    };
    gd * d
}

/// The smallest magnitude that rounds to infinity in f32: `2^128 - 2^103`.
pub const F32_OVERFLOW: f64 = 340_282_356_779_733_661_637_539_395_458_142_568_448.0;

/// [`ulp_error`], except that a reference at or beyond [`F32_OVERFLOW`] wants
/// the infinity of its sign exactly (what a correctly rounded result is).
pub fn ulp_error_or_overflow(y: f32, r: f64) -> f64 {
    if r.abs() >= F32_OVERFLOW {
        let want = if r > 0.0 {
            f32::INFINITY
        } else {
            f32::NEG_INFINITY
        };
        return if y == want { 0.0 } else { f64::INFINITY };
    }
    ulp_error(y, r)
}

/// The zero of `gelu'(x) = Φ(x) + x φ(x)`, as an f64 pair
/// (`-0.75179152469356445745790494677952...`, mpmath `findroot`).
pub const GELU_X0: (f64, f64) = (-0.751_791_524_693_564_5, 1.495_675_917_700_988_3e-17);

/// GELU (exact form) backward `g (Φ(x) + x φ(x))` from the given f32 `x`,
/// `g`, in f64: `Q(t) - t φ(t)` for `x < 0`, `1 - Q(t) + t φ(t)` for
/// `x >= 0` (`Q(t) = erfc(t / sqrt 2) / 2`, `t = |x|`), and within 0.25 of
/// the zero `x0`, where those terms cancel, the Taylor series at `x0`
/// (`gelu^(k+1) = φ P_k`, `P_1 = 2 - x²`, `P_(k+1) = P_k' - x P_k`, to
/// `t^18`), a product by `x - x0`: no cancellation. `x = -inf` gives
/// `g * 0`, `+inf` gives `g`.
pub fn gelu_backward(x: f32, g: f32) -> f64 {
    let gd = f64::from(g);
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f32::INFINITY {
        return gd;
    }
    if x == f32::NEG_INFINITY {
        return gd * 0.0;
    }
    let v = f64::from(x);
    let phi = |s: f64| (-0.5 * s * s).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let dt = (v - GELU_X0.0) - GELU_X0.1;
    if dt.abs() <= 0.25 {
        let x0 = GELU_X0.0;
        let mut p = vec![2.0, 0.0, -1.0];
        let (mut sum, mut power, mut factorial) = (0.0, dt, 1.0);
        for k in 1..=18 {
            let at_x0 = p.iter().rev().fold(0.0, |acc, &c| acc * x0 + c);
            factorial *= k as f64;
            sum += at_x0 / factorial * power;
            power *= dt;
            let mut next = vec![0.0; p.len() + 1];
            for (i, &c) in p.iter().enumerate() {
                if i > 0 {
                    next[i - 1] += c * i as f64;
                }
                next[i + 1] -= c;
            }
            p = next;
        }
        return gd * (phi(x0) * sum);
    }
    let t = v.abs();
    let q = 0.5 * libm::erfc(t * std::f64::consts::FRAC_1_SQRT_2);
    let d = if v < 0.0 {
        -(t * phi(t) - q)
    } else {
        (1.0 - q) + t * phi(t)
    };
    gd * d
}
