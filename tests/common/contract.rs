//! The whole contract of every kernel family, as one check per family that
//! takes raw bytes: decode them into a call, run it at every width, in place
//! and out of place, and panic with a precise message on any violation.
//!
//! Used by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, which include
//! `tests/common/mod.rs` by `#[path]`) and by `tests/fuzz_replay.rs`, which
//! replays the checked-in corpus and seeded inputs on stable. `fuzz/seeds.py`
//! writes the same format.
//!
//! # Input format
//!
//! | bytes | meaning |
//! |---|---|
//! | 0 | flags: bit 0 = in place is the primary call, bit 1 = scaled values |
//! | 1 | output length: `< 0xE0` equal to the input's; else `k = (b & 0x0f) + 1` and bit 4 clear = `n + k`, set = `n - k` (saturating) |
//! | 2..6 | `leaky_relu` and `elu` only: `negative_slope` / `alpha` bits (u32 LE, raw) |
//! | 2, 3..5 | `softmax_rows` and `log_softmax_rows` only: row selector and a u16 LE argument, see [`row_len`] |
//! | rest | values, 4 bytes each (u32 LE), at most [`MAX_VALUES`]; a trailing 1-3 bytes are ignored |
//!
//! Raw values are the f32 with those bits (every NaN payload, subnormal,
//! signed zero and infinity reachable). Scaled values are the bits read as
//! an `i32` times `2^-24`: `[-128, 128)` on a fine grid, where sigmoid, tanh
//! and softmax do their interesting work. Missing header bytes read as 0.
//!
//! # What is checked
//!
//! Every call runs through the crate root (the dispatched level), at
//! `f32x4`, `f32x8` and `f32x16` (`activations::generic`), and at every
//! instruction-set level this CPU supports (`activations::Level`), both out
//! of place (into an output of the decoded length, filled with a sentinel
//! first) and in place.
//! - `Err` exactly when the arguments are bad, with the right variant and
//!   fields, the same at every width; nothing written on `Err`.
//! - In place equal to out of place, bit for bit, at every width.
//! - The primary result (the mode chosen by flag bit 0) against the f64
//!   reference within the bound of `activations::accuracy`, and the special
//!   value rules each kernel documents.
//! - Element-wise kernels: every variant with the primary's kind of
//!   multiply-add (fused or not) bit for bit equal to the primary; the
//!   others each checked against the rules and the reference. Softmax: every
//!   variant's result checked against the reference, at its level's bound.

#![allow(dead_code)]

use super::reference::{self, ulp_error};
use activations::{accuracy, f32x16, f32x4, f32x8, generic, Error, Level};

/// The most values one input decodes to (keeps fuzz iterations fast).
pub const MAX_VALUES: usize = 4096;

/// Flag bit: the in-place call is the primary one.
pub const FLAG_IN_PLACE: u8 = 1;
/// Flag bit: values are `i32 * 2^-24` instead of raw f32 bits.
pub const FLAG_SCALED: u8 = 2;

/// The kernel families, one fuzz target each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Sigmoid,
    SigmoidFast,
    TanhFast,
    Tanh,
    Silu,
    GeluTanh,
    Gelu,
    Mish,
    Softplus,
    Elu,
    Selu,
    HardSigmoid,
    HardSwish,
    Relu,
    LeakyRelu,
    Softmax,
    SoftmaxRows,
    LogSoftmax,
    LogSoftmaxRows,
}

impl Family {
    /// In the order the families were added: `tests/fuzz_replay.rs` seeds
    /// each family's random inputs from its index, so new families go last.
    pub const ALL: [Family; 19] = [
        Family::Sigmoid,
        Family::Tanh,
        Family::Silu,
        Family::GeluTanh,
        Family::Gelu,
        Family::Mish,
        Family::Softplus,
        Family::Elu,
        Family::Selu,
        Family::HardSigmoid,
        Family::HardSwish,
        Family::Relu,
        Family::LeakyRelu,
        Family::Softmax,
        Family::SoftmaxRows,
        Family::LogSoftmax,
        Family::LogSoftmaxRows,
        Family::SigmoidFast,
        Family::TanhFast,
    ];

    /// The fuzz target's name (and its corpus folder).
    pub fn name(self) -> &'static str {
        match self {
            Family::Sigmoid => "sigmoid",
            Family::SigmoidFast => "sigmoid_fast",
            Family::TanhFast => "tanh_fast",
            Family::Tanh => "tanh",
            Family::Silu => "silu",
            Family::GeluTanh => "gelu_tanh",
            Family::Gelu => "gelu",
            Family::Mish => "mish",
            Family::Softplus => "softplus",
            Family::Elu => "elu",
            Family::Selu => "selu",
            Family::HardSigmoid => "hard_sigmoid",
            Family::HardSwish => "hard_swish",
            Family::Relu => "relu",
            Family::LeakyRelu => "leaky_relu",
            Family::Softmax => "softmax",
            Family::SoftmaxRows => "softmax_rows",
            Family::LogSoftmax => "log_softmax",
            Family::LogSoftmaxRows => "log_softmax_rows",
        }
    }

    /// Header bytes before the values.
    pub fn header_len(self) -> usize {
        match self {
            Family::LeakyRelu | Family::Elu => 6,
            Family::SoftmaxRows | Family::LogSoftmaxRows => 5,
            _ => 2,
        }
    }

    /// Runs the family's check on `data`.
    pub fn check(self, data: &[u8]) {
        match self {
            Family::Sigmoid => check_sigmoid(data),
            Family::SigmoidFast => check_sigmoid_fast(data),
            Family::TanhFast => check_tanh_fast(data),
            Family::Tanh => check_tanh(data),
            Family::Silu => check_silu(data),
            Family::GeluTanh => check_gelu_tanh(data),
            Family::Gelu => check_gelu(data),
            Family::Mish => check_mish(data),
            Family::Softplus => check_softplus(data),
            Family::Elu => check_elu(data),
            Family::Selu => check_selu(data),
            Family::HardSigmoid => check_hard_sigmoid(data),
            Family::HardSwish => check_hard_swish(data),
            Family::Relu => check_relu(data),
            Family::LeakyRelu => check_leaky_relu(data),
            Family::Softmax => check_softmax(data),
            Family::SoftmaxRows => check_softmax_rows(data),
            Family::LogSoftmax => check_log_softmax(data),
            Family::LogSoftmaxRows => check_log_softmax_rows(data),
        }
    }
}

/// Builds an input in the format above. `param` is the slope bits for
/// `leaky_relu`, the `alpha` bits for `elu`, and `selector | arg << 8` for `softmax_rows`; ignored otherwise.
pub fn encode(family: Family, flags: u8, len_sel: u8, param: u32, values: &[u32]) -> Vec<u8> {
    let mut out = vec![flags, len_sel];
    match family {
        Family::LeakyRelu | Family::Elu => out.extend_from_slice(&param.to_le_bytes()),
        Family::SoftmaxRows | Family::LogSoftmaxRows => {
            out.extend_from_slice(&param.to_le_bytes()[..3])
        }
        _ => {}
    }
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// One decoded call.
#[derive(Clone, Debug)]
pub struct Case {
    pub in_place: bool,
    pub values: Vec<f32>,
    pub out_len: usize,
    /// `leaky_relu`'s slope, `elu`'s alpha.
    pub slope: f32,
    /// `softmax_rows` only.
    pub row_len: usize,
}

/// Decodes `data` for `family`.
pub fn decode(family: Family, data: &[u8]) -> Case {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let flags = byte(0);
    let scaled = flags & FLAG_SCALED != 0;
    let body = data.get(family.header_len()..).unwrap_or(&[]);
    let values: Vec<f32> = body
        .chunks_exact(4)
        .take(MAX_VALUES)
        .map(|c| {
            let bits = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            if scaled {
                // Exact: an i32 rounded to f32, times a power of two.
                (bits as i32) as f32 * (1.0 / 16_777_216.0)
            } else {
                f32::from_bits(bits)
            }
        })
        .collect();
    let n = values.len();
    let slope = match family {
        Family::LeakyRelu | Family::Elu => {
            f32::from_bits(u32::from_le_bytes([byte(2), byte(3), byte(4), byte(5)]))
        }
        _ => 0.0,
    };
    let row_len = match family {
        Family::SoftmaxRows | Family::LogSoftmaxRows => {
            row_len(n, byte(2), u16::from_le_bytes([byte(3), byte(4)]))
        }
        _ => 0,
    };
    Case {
        in_place: flags & FLAG_IN_PLACE != 0,
        values,
        out_len: out_len(n, byte(1)),
        slope,
        row_len,
    }
}

/// The output length for `n` inputs and selector byte `sel`.
pub fn out_len(n: usize, sel: u8) -> usize {
    if sel < 0xE0 {
        return n;
    }
    let k = usize::from(sel & 0x0f) + 1;
    if sel & 0x10 == 0 {
        n + k
    } else {
        n.saturating_sub(k)
    }
}

/// The row length for `n` values: selector `sel % 8` in `0..=4` picks a
/// divisor of `n` (the `arg % count`-th; for `n = 0`, `max(arg, 1)`), 5 takes
/// `arg` as is (may be 0 or not divide), 6 gives 0, 7 gives one of `n + 1`,
/// `usize::MAX`, `2n + 3`, `n - 1`.
pub fn row_len(n: usize, sel: u8, arg: u16) -> usize {
    let arg = usize::from(arg);
    match sel % 8 {
        0..=4 => {
            if n == 0 {
                return arg.max(1);
            }
            let divisors: Vec<usize> = (1..=n).filter(|&d| n.is_multiple_of(d)).collect();
            divisors[arg % divisors.len()]
        }
        5 => arg,
        6 => 0,
        _ => match arg % 4 {
            0 => n + 1,
            1 => usize::MAX,
            2 => 2 * n + 3,
            _ => n.saturating_sub(1),
        },
    }
}

// ---------------------------------------------------------------------------
// Running every variant.

type OutFn<'a> = Box<dyn Fn(&[f32], &mut [f32]) -> Result<(), Error> + 'a>;
type InFn<'a> = Box<dyn Fn(&mut [f32]) -> Result<(), Error> + 'a>;

/// One width of one kernel: out of place and in place.
struct Variant<'a> {
    width: &'static str,
    /// Whether its multiply-adds are fused (the accuracy column it is in).
    fused: bool,
    out: OutFn<'a>,
    in_place: InFn<'a>,
}

/// `Native` then `f32x4`, `f32x8`, `f32x16`.
const WIDTH_NAMES: [&str; 4] = ["native", "f32x4", "f32x8", "f32x16"];

/// The crate root and the widths, then one variant per supported level
/// made by `out_at` / `in_at`.
fn variants<'a>(
    outs: [OutFn<'a>; 4],
    ins: [InFn<'a>; 4],
    out_at: impl Fn(Level) -> OutFn<'a>,
    in_at: impl Fn(Level) -> InFn<'a>,
) -> Vec<Variant<'a>> {
    let fused = [
        Level::current().fused(),
        accuracy::FMA,
        accuracy::FMA,
        accuracy::FMA,
    ];
    let mut vs: Vec<Variant<'a>> = outs
        .into_iter()
        .zip(ins)
        .zip(WIDTH_NAMES.into_iter().zip(fused))
        .map(|((out, in_place), (width, fused))| Variant {
            width,
            fused,
            out,
            in_place,
        })
        .collect();
    for l in super::levels() {
        vs.push(Variant {
            width: super::level_label(l),
            fused: l.fused(),
            out: out_at(l),
            in_place: in_at(l),
        });
    }
    vs
}

/// Out-of-place sentinels (signalling NaNs, one per width, so an element a
/// width forgot to write cannot agree with another width).
fn sentinel(i: usize) -> f32 {
    f32::from_bits(0x7f80_5a00 + i as u32)
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|v| v.to_bits()).collect()
}

/// Index of the first bitwise difference.
fn first_diff(a: &[f32], b: &[f32]) -> Option<usize> {
    if a.len() != b.len() {
        return Some(a.len().min(b.len()));
    }
    a.iter()
        .zip(b)
        .position(|(x, y)| x.to_bits() != y.to_bits())
}

/// What one width produced.
struct Run {
    width: &'static str,
    fused: bool,
    /// Out of place, when the call succeeded.
    out: Option<Vec<f32>>,
    /// In place, when the call succeeded.
    in_place: Option<Vec<f32>>,
}

impl Run {
    /// The result of the chosen mode, or of the other one if that failed.
    fn primary(&self, in_place: bool) -> Option<(&'static str, &[f32])> {
        let (a, b) = if in_place {
            (("in place", &self.in_place), ("out of place", &self.out))
        } else {
            (("out of place", &self.out), ("in place", &self.in_place))
        };
        a.1.as_deref()
            .map(|v| (a.0, v))
            .or(b.1.as_deref().map(|v| (b.0, v)))
    }
}

/// Runs every variant on `case`, asserting the error contract and
/// in place == out of place. `out_errs` are the acceptable errors out of
/// place (empty: must succeed), `in_err` the error in place.
fn run_all(
    name: &str,
    case: &Case,
    vs: &[Variant],
    out_errs: &[Error],
    in_err: Option<Error>,
) -> Vec<Run> {
    let x = &case.values;
    let (n, m) = (x.len(), case.out_len);
    let mut runs = Vec::new();
    let mut first_err: Option<(&str, Error)> = None;
    for (i, v) in vs.iter().enumerate() {
        let ctx = format!("{name} {} (input len {n}, output len {m})", v.width);
        // Out of place.
        let mut y = vec![sentinel(i); m];
        let r = (v.out)(x, &mut y);
        let out = match r {
            Ok(()) => {
                assert!(
                    out_errs.is_empty(),
                    "{ctx}: out of place returned Ok, want Err({out_errs:?})"
                );
                Some(y)
            }
            Err(e) => {
                assert!(
                    out_errs.contains(&e),
                    "{ctx}: out of place returned Err({e:?}), want {}",
                    if out_errs.is_empty() {
                        "Ok".to_string()
                    } else {
                        format!("one of {out_errs:?}")
                    }
                );
                if let Some((w, e0)) = first_err {
                    assert_eq!(e, e0, "{ctx}: error differs from {w}'s");
                } else {
                    first_err = Some((v.width, e));
                }
                if let Some(j) = y.iter().position(|v| v.to_bits() != sentinel(i).to_bits()) {
                    panic!(
                        "{ctx}: out of place wrote output[{j}] = {:#010x} despite Err({e:?})",
                        y[j].to_bits()
                    );
                }
                None
            }
        };
        // In place.
        let mut z = x.clone();
        let r = (v.in_place)(&mut z);
        let in_place = match (r, in_err) {
            (Ok(()), None) => Some(z),
            (Err(e), Some(want)) if e == want => {
                if let Some(j) = first_diff(&z, x) {
                    panic!(
                        "{ctx}: in place changed values[{j}] from {:#010x} to {:#010x} despite Err({e:?})",
                        x[j].to_bits(),
                        z[j].to_bits()
                    );
                }
                None
            }
            (r, want) => panic!("{ctx}: in place returned {r:?}, want {:?}", want.ok_or(())),
        };
        if let (Some(a), Some(b)) = (&out, &in_place) {
            if let Some(j) = first_diff(a, b) {
                panic!(
                    "{ctx}: in place != out of place at [{j}]: x = {:e} ({:#010x}), out of place {:e} ({:#010x}), in place {:e} ({:#010x})",
                    x[j],
                    x[j].to_bits(),
                    a[j],
                    a[j].to_bits(),
                    b[j],
                    b[j].to_bits()
                );
            }
        }
        runs.push(Run {
            width: v.width,
            fused: v.fused,
            out,
            in_place,
        });
    }
    runs
}

// ---------------------------------------------------------------------------
// Element-wise kernels.

/// Checks one element against the family's rules; `Err` describes the violation.
pub fn check_element(family: Family, x: f32, y: f32, slope: f32) -> Result<(), String> {
    let (xb, yb) = (x.to_bits(), y.to_bits());
    if x.is_nan() {
        return if yb == xb {
            Ok(())
        } else {
            Err("NaN input must come out with the same bits".into())
        };
    }
    let within = |r: f64, bound: f32| -> Result<(), String> {
        let e = ulp_error(y, r);
        if e <= f64::from(bound) {
            Ok(())
        } else {
            Err(format!(
                "error {e:.3} ULP > bound {bound} (reference {r:e})"
            ))
        }
    };
    match family {
        Family::Sigmoid | Family::SigmoidFast => {
            let name = family.name();
            if y.is_nan() || !(0.0..=1.0).contains(&y) || y.is_sign_negative() {
                return Err(format!("{name} must lie in [+0, 1]"));
            }
            within(reference::sigmoid(x), bound(name))?;
            // Documented: exactly 1.0 for x >= 17.3287 (25 ln 2 = 17.32868;
            // sigmoid_fast from 16.635532 = 24 ln 2, where 1 + e^-x rounds
            // to 1), and +0.0 only below half the smallest subnormal.
            let one_from = if family == Family::Sigmoid {
                17.3287
            } else {
                16.635_532
            };
            if x >= one_from && y != 1.0 {
                return Err(format!("{name}(x >= {one_from}) must be exactly 1.0"));
            }
            // (The docs round the threshold to -103.9721; the exact one is
            // -150 ln 2 = -103.97207708, where e^x = 2^-150.)
            if y == 0.0 && reference::sigmoid(x) > 2f64.powi(-150) {
                return Err(format!(
                    "{name} is +0.0 only where the exact value is <= 2^-150 (x <= -103.97208)"
                ));
            }
            Ok(())
        }
        Family::Silu => {
            // The minimum of x * sigmoid(x) is -0.278464542761074 (x = -1.27846).
            if y.is_nan() || y < -0.278_464_56 {
                return Err("silu must be a number >= -0.27846456".into());
            }
            if y != 0.0 && y.is_sign_negative() != x.is_sign_negative() {
                return Err("silu must have the sign of x (or be zero)".into());
            }
            within(reference::silu(x), bound("silu"))?;
            if x > 20.0 && yb != xb {
                return Err("silu(x > 20) must be x exactly".into());
            }
            Ok(())
        }
        Family::Tanh | Family::TanhFast => {
            if y.is_nan() || y.abs() > 1.0 {
                return Err("|tanh| must be <= 1".into());
            }
            if y.is_sign_negative() != x.is_sign_negative() {
                return Err("tanh must keep the sign of x".into());
            }
            within(reference::tanh(x), bound(family.name()))?;
            // Documented: ±0 -> ±0 and subnormal x -> x, bit for bit; exactly
            // ±1 for |x| >= 9.0109. That decimal is a little below 13 ln 2 =
            // 9.0109133, where the exact value comes within half an ulp of 1;
            // just below it the correctly rounded result is 1 - 2^-24 (e.g.
            // x = 0x41102cb0 = 9.01091), so the exact threshold is checked.
            if x.abs() < f32::MIN_POSITIVE && yb != xb {
                return Err("tanh of a zero or subnormal x must be x".into());
            }
            if f64::from(x.abs()) >= 13.0 * core::f64::consts::LN_2 && y.abs() != 1.0 {
                return Err("tanh(|x| >= 13 ln 2 = 9.0109133) must be exactly ±1".into());
            }
            Ok(())
        }
        Family::GeluTanh => {
            // The minimum of x sigmoid(1.5958 x + 0.0714 x^3) is -0.1700 (x = -0.7517).
            if y.is_nan() || y < -0.170_041 {
                return Err("gelu_tanh must be a number >= -0.170041".into());
            }
            if y != 0.0 && y.is_sign_negative() != x.is_sign_negative() {
                return Err("gelu_tanh must have the sign of x (or be zero)".into());
            }
            within(reference::gelu_tanh(x), bound("gelu_tanh"))?;
            if x > 6.0 && yb != xb {
                return Err("gelu_tanh(x > 6) must be x exactly".into());
            }
            if x <= -11.0 && yb != (-0.0f32).to_bits() {
                return Err("gelu_tanh(x <= -11) must be -0.0".into());
            }
            Ok(())
        }
        Family::Gelu => {
            // The minimum of x Φ(x) is -0.16997120747990 (x = -0.7517916).
            if y.is_nan() || y < -0.169_971_3 {
                return Err("gelu must be a number >= -0.1699713".into());
            }
            if y != 0.0 && y.is_sign_negative() != x.is_sign_negative() {
                return Err("gelu must have the sign of x (or be zero)".into());
            }
            within(reference::gelu(x), bound("gelu"))?;
            if x > 6.0 && yb != xb {
                return Err("gelu(x > 6) must be x exactly".into());
            }
            if x <= -14.5 && yb != (-0.0f32).to_bits() {
                return Err("gelu(x <= -14.5) must be -0.0".into());
            }
            Ok(())
        }
        Family::Mish => {
            // The minimum of x tanh(softplus(x)) is -0.30884341 (x = -1.19243).
            if y.is_nan() || y < -0.308_843_5 {
                return Err("mish must be a number >= -0.3088435".into());
            }
            if y != 0.0 && y.is_sign_negative() != x.is_sign_negative() {
                return Err("mish must have the sign of x (or be zero)".into());
            }
            within(reference::mish(x), bound("mish"))?;
            if x > 9.1 && yb != xb {
                return Err("mish(x > 9.1) must be x exactly".into());
            }
            Ok(())
        }
        Family::Softplus => {
            if y.is_nan() || y.is_sign_negative() || y < x {
                return Err("softplus must be a number >= max(x, +0)".into());
            }
            within(reference::softplus(x), bound("softplus"))?;
            if x > 16.0 && yb != xb {
                return Err("softplus(x > 16) must be x exactly".into());
            }
            Ok(())
        }
        Family::Elu => {
            let alpha = slope;
            within(reference::elu(x, alpha), bound("elu(1)"))?;
            if x >= 0.0 && yb != xb {
                return Err("elu(x >= 0) must be x exactly (zeros keep their sign)".into());
            }
            if x < 0.0 {
                // The sign of -alpha, zeros included; never past -alpha.
                if y.is_sign_negative() == alpha.is_sign_negative() {
                    return Err("elu(x < 0) must have the sign of -alpha".into());
                }
                if y.abs() > alpha.abs() {
                    return Err("|elu(x < 0)| must be <= |alpha|".into());
                }
                // e^x < 2^-25 (x < -25 ln 2 = -17.3287): exactly -alpha.
                if f64::from(x) < -25.0 * core::f64::consts::LN_2 && y != -alpha {
                    return Err("elu(x < -25 ln 2 = -17.3287) must be -alpha exactly".into());
                }
            }
            Ok(())
        }
        Family::Selu => {
            within(reference::selu(x), bound("selu"))?;
            if x == 0.0 && yb != xb {
                return Err("selu(±0) must be ±0".into());
            }
            if y.is_nan() || y < -1.758_099_4 || y.is_sign_negative() != x.is_sign_negative() {
                return Err("selu must be a number >= -1.7580994 with the sign of x".into());
            }
            Ok(())
        }
        Family::HardSigmoid => {
            within(reference::hard_sigmoid(x), bound("hard_sigmoid"))?;
            if y.is_nan() || y.is_sign_negative() || y > 1.0 {
                return Err("hard_sigmoid must lie in [+0, 1]".into());
            }
            if (x <= -3.0 && yb != 0) || (x >= 3.0 && y != 1.0) {
                return Err("hard_sigmoid must be +0 at and below -3, 1 at and above 3".into());
            }
            Ok(())
        }
        Family::HardSwish => {
            within(reference::hard_swish(x), bound("hard_swish"))?;
            if y.is_nan() || y < -0.375 {
                return Err("hard_swish must be a number >= -0.375".into());
            }
            if (x <= -3.0 && yb != (-0.0f32).to_bits()) || (x >= 3.0 && yb != xb) {
                return Err("hard_swish must be -0 at and below -3, x at and above 3".into());
            }
            if y != 0.0 && y.is_sign_negative() != x.is_sign_negative() {
                return Err("hard_swish must have the sign of x (or be zero)".into());
            }
            Ok(())
        }
        Family::Relu => {
            within(reference::relu(x), bound("relu"))?;
            let want = if x > 0.0 { x } else { 0.0 };
            if yb != want.to_bits() {
                return Err(format!(
                    "relu must be {want:e} ({:#010x}) exactly",
                    want.to_bits()
                ));
            }
            Ok(())
        }
        Family::LeakyRelu => {
            // The rounded f32 product is the reference, bit for bit.
            let want = if x < 0.0 { x * slope } else { x };
            if want.is_nan() {
                // x < 0 with a NaN slope, or -inf * 0: any NaN.
                return if y.is_nan() {
                    Ok(())
                } else {
                    Err("x * slope is NaN: want a NaN".into())
                };
            }
            within(reference::leaky_relu(x, slope), accuracy::LEAKY_RELU)?;
            if yb != want.to_bits() {
                return Err(format!(
                    "leaky_relu must be {want:e} ({:#010x}) exactly",
                    want.to_bits()
                ));
            }
            Ok(())
        }
        Family::Softmax | Family::SoftmaxRows | Family::LogSoftmax | Family::LogSoftmaxRows => {
            unreachable!()
        }
    }
}

/// The bound of an element-wise kernel, from the tests' table (which takes
/// it from `activations::accuracy`).
fn bound(name: &str) -> f32 {
    super::elementwise()
        .iter()
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("no kernel {name} in common::elementwise()"))
        .bound
}

fn elementwise_variants(family: Family, slope: f32) -> Vec<Variant<'static>> {
    macro_rules! table {
        ($name:literal, $root:path, $root_in:path) => {{
            let k = super::elementwise()
                .into_iter()
                .find(|k| k.name == $name)
                .expect($name);
            let [s4, s8, s16] = k.slice;
            let [i4, i8, i16] = k.in_place;
            let wrap = |f: fn(&mut [f32])| -> InFn<'static> {
                Box::new(move |v: &mut [f32]| {
                    f(v);
                    Ok(())
                })
            };
            let (at, at_in) = (k.at_level, k.at_level_in_place);
            variants(
                [Box::new($root), Box::new(s4), Box::new(s8), Box::new(s16)],
                [wrap($root_in), wrap(i4), wrap(i8), wrap(i16)],
                move |l| Box::new(move |x: &[f32], y: &mut [f32]| at(l, x, y)),
                move |l| Box::new(move |v: &mut [f32]| at_in(l, v)),
            )
        }};
    }
    match family {
        Family::Sigmoid => table!(
            "sigmoid",
            activations::sigmoid,
            activations::sigmoid_in_place
        ),
        Family::SigmoidFast => table!(
            "sigmoid_fast",
            activations::sigmoid_fast,
            activations::sigmoid_fast_in_place
        ),
        Family::Tanh => table!("tanh", activations::tanh, activations::tanh_in_place),
        Family::TanhFast => table!(
            "tanh_fast",
            activations::tanh_fast,
            activations::tanh_fast_in_place
        ),
        Family::Silu => table!("silu", activations::silu, activations::silu_in_place),
        Family::Relu => table!("relu", activations::relu, activations::relu_in_place),
        Family::Selu => table!("selu", activations::selu, activations::selu_in_place),
        Family::Mish => table!("mish", activations::mish, activations::mish_in_place),
        Family::Softplus => table!(
            "softplus",
            activations::softplus,
            activations::softplus_in_place
        ),
        Family::Gelu => table!("gelu", activations::gelu, activations::gelu_in_place),
        Family::GeluTanh => table!(
            "gelu_tanh",
            activations::gelu_tanh,
            activations::gelu_tanh_in_place
        ),
        Family::HardSigmoid => table!(
            "hard_sigmoid",
            activations::hard_sigmoid,
            activations::hard_sigmoid_in_place
        ),
        Family::HardSwish => table!(
            "hard_swish",
            activations::hard_swish,
            activations::hard_swish_in_place
        ),
        Family::Elu => {
            let alpha = slope;
            macro_rules! out {
                ($f:expr) => {
                    Box::new(move |x: &[f32], y: &mut [f32]| $f(x, y, alpha))
                };
            }
            macro_rules! inp {
                ($f:expr) => {
                    Box::new(move |v: &mut [f32]| $f(v, alpha))
                };
            }
            variants(
                [
                    out!(activations::elu),
                    out!(generic::elu::<f32x4>),
                    out!(generic::elu::<f32x8>),
                    out!(generic::elu::<f32x16>),
                ],
                [
                    inp!(activations::elu_in_place),
                    inp!(generic::elu_in_place::<f32x4>),
                    inp!(generic::elu_in_place::<f32x8>),
                    inp!(generic::elu_in_place::<f32x16>),
                ],
                move |l| Box::new(move |x: &[f32], y: &mut [f32]| l.elu(x, y, alpha)),
                move |l| Box::new(move |v: &mut [f32]| l.elu_in_place(v, alpha)),
            )
        }
        Family::LeakyRelu => {
            macro_rules! out {
                ($f:expr) => {
                    Box::new(move |x: &[f32], y: &mut [f32]| $f(x, y, slope))
                };
            }
            macro_rules! inp {
                ($f:expr) => {
                    Box::new(move |v: &mut [f32]| {
                        $f(v, slope);
                        Ok(())
                    })
                };
            }
            variants(
                [
                    out!(activations::leaky_relu),
                    out!(generic::leaky_relu::<f32x4>),
                    out!(generic::leaky_relu::<f32x8>),
                    out!(generic::leaky_relu::<f32x16>),
                ],
                [
                    inp!(activations::leaky_relu_in_place),
                    inp!(generic::leaky_relu_in_place::<f32x4>),
                    inp!(generic::leaky_relu_in_place::<f32x8>),
                    inp!(generic::leaky_relu_in_place::<f32x16>),
                ],
                move |l| Box::new(move |x: &[f32], y: &mut [f32]| l.leaky_relu(x, y, slope)),
                move |l| Box::new(move |v: &mut [f32]| l.leaky_relu_in_place(v, slope)),
            )
        }
        Family::Softmax | Family::SoftmaxRows | Family::LogSoftmax | Family::LogSoftmaxRows => {
            unreachable!()
        }
    }
}

fn check_elementwise(family: Family, data: &[u8]) {
    let case = decode(family, data);
    let name = match family {
        Family::LeakyRelu => format!(
            "leaky_relu(slope {:e} = {:#010x})",
            case.slope,
            case.slope.to_bits()
        ),
        Family::Elu => format!(
            "elu(alpha {:e} = {:#010x})",
            case.slope,
            case.slope.to_bits()
        ),
        f => f.name().to_string(),
    };
    let (x, n, m) = (&case.values, case.values.len(), case.out_len);
    // ELU refuses a non-finite alpha first, in both modes.
    let bad_param = family == Family::Elu && !case.slope.is_finite();
    let out_errs: Vec<Error> = if bad_param {
        vec![Error::InvalidParameter { name: "alpha" }]
    } else if n == m {
        vec![]
    } else {
        vec![Error::LengthMismatch {
            input: n,
            output: m,
        }]
    };
    let in_err = bad_param.then_some(Error::InvalidParameter { name: "alpha" });
    let vs = elementwise_variants(family, case.slope);
    let runs = run_all(&name, &case, &vs, &out_errs, in_err);
    if bad_param {
        return;
    }
    // The primary result against the reference and the special-value rules.
    let (mode, y) = runs[0]
        .primary(case.in_place)
        .expect("in place always succeeds");
    for (i, (&x, &y)) in x.iter().zip(y).enumerate() {
        if let Err(why) = check_element(family, x, y, case.slope) {
            panic!(
                "{name} native {mode}, len {n}, index {i}: f({x:e} = {:#010x}) = {y:e} ({:#010x}): {why}",
                x.to_bits(),
                y.to_bits()
            );
        }
    }
    // Every width and mode with the same kind of multiply-add bit for bit
    // equal to it; the others each meet the rules on their own.
    for r in &runs {
        for (other_mode, other) in [("out of place", &r.out), ("in place", &r.in_place)] {
            if let (Some(other), false) = (other, r.fused == runs[0].fused) {
                for (i, (&x, &y)) in x.iter().zip(other).enumerate() {
                    if let Err(why) = check_element(family, x, y, case.slope) {
                        panic!(
                            "{name} {} {other_mode}, len {n}, index {i}: f({x:e} = {:#010x}) = {y:e} ({:#010x}): {why}",
                            r.width,
                            x.to_bits(),
                            y.to_bits()
                        );
                    }
                }
            } else if let Some(other) = other {
                if let Some(j) = first_diff(y, other) {
                    panic!(
                        "{name}: {} {other_mode} differs from native {mode} at [{j}]: x = {:e} ({:#010x}), {:e} ({:#010x}) vs {:e} ({:#010x})",
                        r.width,
                        x[j],
                        x[j].to_bits(),
                        other[j],
                        other[j].to_bits(),
                        y[j],
                        y[j].to_bits()
                    );
                }
            }
        }
    }
    // tanh is odd bit for bit: tanh(-x) = -tanh(x) (NaN: same bits, flipped sign).
    if family == Family::Tanh {
        let mut neg: Vec<f32> = x.iter().map(|&v| -v).collect();
        activations::tanh_in_place(&mut neg);
        for (i, (&a, &b)) in y.iter().zip(&neg).enumerate() {
            if b.to_bits() != (-a).to_bits() {
                panic!(
                    "tanh not odd at [{i}]: tanh({:e} = {:#010x}) = {a:e} ({:#010x}) but tanh(-x) = {b:e} ({:#010x})",
                    x[i],
                    x[i].to_bits(),
                    a.to_bits(),
                    b.to_bits()
                );
            }
        }
    }
}

/// Sigmoid: decode `data` and assert the whole contract.
pub fn check_sigmoid(data: &[u8]) {
    check_elementwise(Family::Sigmoid, data)
}

/// Fast sigmoid: decode `data` and assert the whole contract.
pub fn check_sigmoid_fast(data: &[u8]) {
    check_elementwise(Family::SigmoidFast, data)
}

/// Fast tanh: decode `data` and assert the whole contract.
pub fn check_tanh_fast(data: &[u8]) {
    check_elementwise(Family::TanhFast, data)
}

/// SiLU: decode `data` and assert the whole contract.
pub fn check_silu(data: &[u8]) {
    check_elementwise(Family::Silu, data)
}

/// GELU (tanh form): decode `data` and assert the whole contract.
pub fn check_gelu_tanh(data: &[u8]) {
    check_elementwise(Family::GeluTanh, data)
}

/// GELU (exact form): decode `data` and assert the whole contract.
pub fn check_gelu(data: &[u8]) {
    check_elementwise(Family::Gelu, data)
}

/// Mish: decode `data` and assert the whole contract.
pub fn check_mish(data: &[u8]) {
    check_elementwise(Family::Mish, data)
}

/// Softplus: decode `data` and assert the whole contract.
pub fn check_softplus(data: &[u8]) {
    check_elementwise(Family::Softplus, data)
}

/// ELU (alpha from the header): decode `data` and assert the whole contract.
pub fn check_elu(data: &[u8]) {
    check_elementwise(Family::Elu, data)
}

/// SELU: decode `data` and assert the whole contract.
pub fn check_selu(data: &[u8]) {
    check_elementwise(Family::Selu, data)
}

/// Hard sigmoid: decode `data` and assert the whole contract.
pub fn check_hard_sigmoid(data: &[u8]) {
    check_elementwise(Family::HardSigmoid, data)
}

/// Hard swish: decode `data` and assert the whole contract.
pub fn check_hard_swish(data: &[u8]) {
    check_elementwise(Family::HardSwish, data)
}

/// Tanh: decode `data` and assert the whole contract.
pub fn check_tanh(data: &[u8]) {
    check_elementwise(Family::Tanh, data)
}

/// ReLU: decode `data` and assert the whole contract.
pub fn check_relu(data: &[u8]) {
    check_elementwise(Family::Relu, data)
}

/// Leaky ReLU (slope from the input): decode `data` and assert the whole contract.
pub fn check_leaky_relu(data: &[u8]) {
    check_elementwise(Family::LeakyRelu, data)
}

// ---------------------------------------------------------------------------
// Softmax.

/// Checks one softmax row's output against the rules and the reference.
/// `fused`: whether the level that computed `y` uses FMA (its bound).
pub fn check_softmax_row(row: &[f32], y: &[f32], fused: bool) -> Result<(), String> {
    assert_eq!(row.len(), y.len());
    let nan = f32::NAN.to_bits();
    if row.iter().any(|&v| v.is_nan() || v == f32::INFINITY) {
        return match y.iter().position(|v| v.to_bits() != nan) {
            None => Ok(()),
            Some(i) => Err(format!(
                "row with a NaN or +inf: want all canonical NaN ({nan:#010x}), [{i}] = {:e} ({:#010x})",
                y[i],
                y[i].to_bits()
            )),
        };
    }
    if row.iter().all(|&v| v == f32::NEG_INFINITY) {
        return match y.iter().position(|v| v.to_bits() != 0) {
            None => Ok(()),
            Some(i) => Err(format!(
                "fully masked row: want all +0.0, [{i}] = {:e} ({:#010x})",
                y[i],
                y[i].to_bits()
            )),
        };
    }
    let r = reference::softmax(row);
    let b = accuracy::softmax_bound(fused);
    for (i, ((&x, &y), &r)) in row.iter().zip(y).zip(&r).enumerate() {
        let at = || {
            format!(
                "[{i}]: x = {x:e} ({:#010x}), y = {y:e} ({:#010x}), reference {r:e}",
                x.to_bits(),
                y.to_bits()
            )
        };
        if x == f32::NEG_INFINITY && y.to_bits() != 0 {
            return Err(format!("-inf entry must give +0.0 {}", at()));
        }
        if y.is_nan() || !(0.0..=1.0).contains(&y) || y.is_sign_negative() {
            return Err(format!("output outside [+0, 1] {}", at()));
        }
        let e = ulp_error(y, r);
        if e > f64::from(b) {
            return Err(format!("error {e:.3} ULP > bound {b} {}", at()));
        }
    }
    if row.len() == 1 && y[0] != 1.0 {
        return Err(format!(
            "row of length 1 must give exactly 1.0, got {:e} ({:#010x})",
            y[0],
            y[0].to_bits()
        ));
    }
    Ok(())
}

/// Summary of a row for messages (its bits when short).
fn describe_row(row: &[f32]) -> String {
    if row.len() <= 16 {
        format!("{:#010x?}", bits(row))
    } else {
        let max = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        format!("{} values, max {max:e}", row.len())
    }
}

/// Checks every run's rows (`row_len` 0 means the whole slice is one row).
fn check_softmax_runs(name: &str, case: &Case, runs: &[Run], row_len: usize) {
    check_row_runs(name, case, runs, row_len, check_softmax_row)
}

/// A row rule: the input row, its output, whether computed with FMA.
type RowCheck = fn(&[f32], &[f32], bool) -> Result<(), String>;

/// Checks every run's rows against `check`.
fn check_row_runs(name: &str, case: &Case, runs: &[Run], row_len: usize, check: RowCheck) {
    let x = &case.values;
    if x.is_empty() {
        return;
    }
    // Primary first, so its violation is the one reported.
    let mut results: Vec<(&str, bool, &str, &[f32])> = Vec::new();
    for r in runs {
        if let Some((mode, y)) = r.primary(case.in_place) {
            results.push((r.width, r.fused, mode, y));
        }
    }
    for (width, fused, mode, y) in results {
        for (k, (row, yr)) in x.chunks(row_len).zip(y.chunks(row_len)).enumerate() {
            if let Err(why) = check(row, yr, fused) {
                panic!(
                    "{name} {width} {mode}, len {}, row {k} (row_len {row_len}): {why}; row {}",
                    x.len(),
                    describe_row(row)
                );
            }
        }
    }
}

fn softmax_variants() -> Vec<Variant<'static>> {
    let wrap = |f: fn(&mut [f32])| -> InFn<'static> {
        Box::new(move |v: &mut [f32]| {
            f(v);
            Ok(())
        })
    };
    variants(
        [
            Box::new(activations::softmax),
            Box::new(generic::softmax::<f32x4>),
            Box::new(generic::softmax::<f32x8>),
            Box::new(generic::softmax::<f32x16>),
        ],
        [
            wrap(activations::softmax_in_place),
            wrap(generic::softmax_in_place::<f32x4>),
            wrap(generic::softmax_in_place::<f32x8>),
            wrap(generic::softmax_in_place::<f32x16>),
        ],
        |l| Box::new(move |x: &[f32], y: &mut [f32]| l.softmax(x, y)),
        |l| Box::new(move |v: &mut [f32]| l.softmax_in_place(v)),
    )
}

fn softmax_rows_variants(row_len: usize) -> Vec<Variant<'static>> {
    macro_rules! out {
        ($f:expr) => {
            Box::new(move |x: &[f32], y: &mut [f32]| $f(x, y, row_len))
        };
    }
    macro_rules! inp {
        ($f:expr) => {
            Box::new(move |v: &mut [f32]| $f(v, row_len))
        };
    }
    variants(
        [
            out!(activations::softmax_rows),
            out!(generic::softmax_rows::<f32x4>),
            out!(generic::softmax_rows::<f32x8>),
            out!(generic::softmax_rows::<f32x16>),
        ],
        [
            inp!(activations::softmax_rows_in_place),
            inp!(generic::softmax_rows_in_place::<f32x4>),
            inp!(generic::softmax_rows_in_place::<f32x8>),
            inp!(generic::softmax_rows_in_place::<f32x16>),
        ],
        move |l| Box::new(move |x: &[f32], y: &mut [f32]| l.softmax_rows(x, y, row_len)),
        move |l| Box::new(move |v: &mut [f32]| l.softmax_rows_in_place(v, row_len)),
    )
}

/// Softmax of the whole slice as one row: decode `data` and assert the whole contract.
pub fn check_softmax(data: &[u8]) {
    let case = decode(Family::Softmax, data);
    let (n, m) = (case.values.len(), case.out_len);
    let out_errs: Vec<Error> = if n == m {
        vec![]
    } else {
        vec![Error::LengthMismatch {
            input: n,
            output: m,
        }]
    };
    let runs = run_all("softmax", &case, &softmax_variants(), &out_errs, None);
    check_softmax_runs("softmax", &case, &runs, n.max(1));
}

/// Softmax of each row of a batch: decode `data` and assert the whole contract.
pub fn check_softmax_rows(data: &[u8]) {
    let case = decode(Family::SoftmaxRows, data);
    let (n, m, rl) = (case.values.len(), case.out_len, case.row_len);
    let bad_rows = rl == 0 || !n.is_multiple_of(rl);
    let row_err = Error::InvalidRowLength {
        len: n,
        row_len: rl,
    };
    let len_err = Error::LengthMismatch {
        input: n,
        output: m,
    };
    // Both wrong: the docs do not rank the two errors, so either will do
    // (but every width must agree, which run_all checks).
    let out_errs: Vec<Error> = match (n != m, bad_rows) {
        (false, false) => vec![],
        (true, false) => vec![len_err],
        (false, true) => vec![row_err],
        (true, true) => vec![len_err, row_err],
    };
    let in_err = bad_rows.then_some(row_err);
    let name = format!("softmax_rows(row_len {rl})");
    let runs = run_all(&name, &case, &softmax_rows_variants(rl), &out_errs, in_err);
    if !bad_rows {
        check_softmax_runs(&name, &case, &runs, rl);
    }
}

// ---------------------------------------------------------------------------
// Log-softmax.

/// Checks one log-softmax row's output against the rules and the reference.
pub fn check_log_softmax_row(row: &[f32], y: &[f32], _fused: bool) -> Result<(), String> {
    assert_eq!(row.len(), y.len());
    let nan = f32::NAN.to_bits();
    if row.iter().any(|&v| v.is_nan() || v == f32::INFINITY) {
        return match y.iter().position(|v| v.to_bits() != nan) {
            None => Ok(()),
            Some(i) => Err(format!(
                "row with a NaN or +inf: want all canonical NaN, [{i}] = {:e} ({:#010x})",
                y[i],
                y[i].to_bits()
            )),
        };
    }
    if row.iter().all(|&v| v == f32::NEG_INFINITY) {
        return match y.iter().position(|&v| v != f32::NEG_INFINITY) {
            None => Ok(()),
            Some(i) => Err(format!(
                "fully masked row: want all -inf, [{i}] = {:e}",
                y[i]
            )),
        };
    }
    let r = reference::log_softmax(row);
    let b = f64::from(accuracy::LOG_SOFTMAX);
    for (i, ((&x, &y), &r)) in row.iter().zip(y).zip(&r).enumerate() {
        let at = || {
            format!(
                "[{i}]: x = {x:e} ({:#010x}), y = {y:e} ({:#010x}), reference {r:e}",
                x.to_bits(),
                y.to_bits()
            )
        };
        if x == f32::NEG_INFINITY {
            if y != f32::NEG_INFINITY {
                return Err(format!("-inf entry must give -inf {}", at()));
            }
            continue;
        }
        if y.is_nan() || y > 0.0 || (y == 0.0 && y.is_sign_negative()) {
            return Err(format!("output not in [-inf, +0] {}", at()));
        }
        let e = reference::ulp_error_or_overflow(y, r);
        if e > b {
            return Err(format!("error {e:.3} ULP > bound {b} {}", at()));
        }
    }
    if row.len() == 1 && y[0].to_bits() != 0 {
        return Err(format!("row of length 1 must give +0.0, got {:e}", y[0]));
    }
    Ok(())
}

fn log_softmax_variants() -> Vec<Variant<'static>> {
    let wrap = |f: fn(&mut [f32])| -> InFn<'static> {
        Box::new(move |v: &mut [f32]| {
            f(v);
            Ok(())
        })
    };
    variants(
        [
            Box::new(activations::log_softmax),
            Box::new(generic::log_softmax::<f32x4>),
            Box::new(generic::log_softmax::<f32x8>),
            Box::new(generic::log_softmax::<f32x16>),
        ],
        [
            wrap(activations::log_softmax_in_place),
            wrap(generic::log_softmax_in_place::<f32x4>),
            wrap(generic::log_softmax_in_place::<f32x8>),
            wrap(generic::log_softmax_in_place::<f32x16>),
        ],
        |l| Box::new(move |x: &[f32], y: &mut [f32]| l.log_softmax(x, y)),
        |l| Box::new(move |v: &mut [f32]| l.log_softmax_in_place(v)),
    )
}

fn log_softmax_rows_variants(row_len: usize) -> Vec<Variant<'static>> {
    macro_rules! out {
        ($f:expr) => {
            Box::new(move |x: &[f32], y: &mut [f32]| $f(x, y, row_len))
        };
    }
    macro_rules! inp {
        ($f:expr) => {
            Box::new(move |v: &mut [f32]| $f(v, row_len))
        };
    }
    variants(
        [
            out!(activations::log_softmax_rows),
            out!(generic::log_softmax_rows::<f32x4>),
            out!(generic::log_softmax_rows::<f32x8>),
            out!(generic::log_softmax_rows::<f32x16>),
        ],
        [
            inp!(activations::log_softmax_rows_in_place),
            inp!(generic::log_softmax_rows_in_place::<f32x4>),
            inp!(generic::log_softmax_rows_in_place::<f32x8>),
            inp!(generic::log_softmax_rows_in_place::<f32x16>),
        ],
        move |l| Box::new(move |x: &[f32], y: &mut [f32]| l.log_softmax_rows(x, y, row_len)),
        move |l| Box::new(move |v: &mut [f32]| l.log_softmax_rows_in_place(v, row_len)),
    )
}

/// Log-softmax of the whole slice as one row: decode `data` and assert the whole contract.
pub fn check_log_softmax(data: &[u8]) {
    let case = decode(Family::LogSoftmax, data);
    let (n, m) = (case.values.len(), case.out_len);
    let out_errs: Vec<Error> = if n == m {
        vec![]
    } else {
        vec![Error::LengthMismatch {
            input: n,
            output: m,
        }]
    };
    let runs = run_all(
        "log_softmax",
        &case,
        &log_softmax_variants(),
        &out_errs,
        None,
    );
    check_row_runs("log_softmax", &case, &runs, n.max(1), check_log_softmax_row);
}

/// Log-softmax of each row of a batch: decode `data` and assert the whole contract.
pub fn check_log_softmax_rows(data: &[u8]) {
    let case = decode(Family::LogSoftmaxRows, data);
    let (n, m, rl) = (case.values.len(), case.out_len, case.row_len);
    let bad_rows = rl == 0 || !n.is_multiple_of(rl);
    let row_err = Error::InvalidRowLength {
        len: n,
        row_len: rl,
    };
    let len_err = Error::LengthMismatch {
        input: n,
        output: m,
    };
    let out_errs: Vec<Error> = match (n != m, bad_rows) {
        (false, false) => vec![],
        (true, false) => vec![len_err],
        (false, true) => vec![row_err],
        (true, true) => vec![len_err, row_err],
    };
    let in_err = bad_rows.then_some(row_err);
    let name = format!("log_softmax_rows(row_len {rl})");
    let runs = run_all(
        &name,
        &case,
        &log_softmax_rows_variants(rl),
        &out_errs,
        in_err,
    );
    if !bad_rows {
        check_row_runs(&name, &case, &runs, rl, check_log_softmax_row);
    }
}
