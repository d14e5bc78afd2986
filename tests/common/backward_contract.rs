//! The whole contract of the backward kernels (`sigmoid_backward`,
//! `tanh_backward`, `relu_backward`, `leaky_relu_backward`,
//! `silu_backward`, `softplus_backward`, `elu_backward`, `selu_backward`,
//! `gelu_tanh_backward` and their `_in_place` forms) as one check that takes raw bytes: decode them into a
//! call, run it at the crate root, every width and every supported level,
//! in place and out of place, and panic with a precise message on any
//! violation. The unary contract (`contract.rs`) decodes one input slice;
//! these functions take two, so they have their own format.
//!
//! Used by the cargo-fuzz target `fuzz/fuzz_targets/backward.rs` and by
//! `tests/fuzz_replay.rs` (the checked-in corpus `fuzz/corpus/backward/`
//! and seeded inputs). `fuzz/seeds.py` writes the same format.
//!
//! # Input format
//!
//! | bytes | meaning |
//! |---|---|
//! | 0 | flags: bit 0 = in place is the primary call, bit 1 = scaled values |
//! | 1 | kernel, `% Kernel::ALL.len()`: sigmoid, tanh, relu, leaky_relu, silu, softplus, elu, selu, gelu_tanh, gelu (backward) |
//! | 2 | gradient length, relative to the `n` forward values (the rule of [`super::contract::out_len`]); a longer gradient is padded with 1.0 |
//! | 3 | `grad_input` length, the same rule |
//! | 4..8 | `negative_slope` (leaky) or `alpha` (elu) bits (u32 LE, raw) |
//! | rest | pairs of u32 LE, 8 bytes each: the forward value (`y` or `x`), then the gradient `g`; at most [`MAX_PAIRS`] |
//!
//! Raw values are the f32 with those bits; scaled values are the bits read
//! as an `i32` times `2^-24`. Missing header bytes read as 0.
//!
//! # What is checked
//! - `Err(InvalidParameter)` for ELU's non-finite `alpha`, before the
//!   lengths; else `Err(LengthMismatch)` exactly when a length differs from
//!   `n` (the gradient's first, then `grad_input`'s; in place only the
//!   gradient's),
//!   the same at every variant, and nothing written then.
//! - In place equal to out of place, bit for bit.
//! - Every element of every variant against the rules each function
//!   documents ([`check_element`]): NaN propagation, the plain-f32 formula
//!   for `|y| >= 2^24`, infinite gradients, signed zeros, and the f64
//!   reference within the bound of `activations::accuracy`.
//! - Variants with the same kind of multiply-add (all of them, for relu and
//!   leaky relu) bit for bit equal to each other.

#![allow(dead_code)]

use super::contract::out_len;
use super::reference::{self, ulp_error_or_overflow};
use activations::{accuracy, f32x16, f32x4, f32x8, generic, Error, Level};

/// The most pairs one input decodes to.
pub const MAX_PAIRS: usize = 2048;
/// Header bytes before the pairs.
pub const HEADER_LEN: usize = 8;

/// The backward kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
    Silu,
    Softplus,
    Elu,
    Selu,
    GeluTanh,
    Gelu,
}

impl Kernel {
    pub const ALL: [Kernel; 10] = [
        Kernel::Sigmoid,
        Kernel::Tanh,
        Kernel::Relu,
        Kernel::LeakyRelu,
        Kernel::Silu,
        Kernel::Softplus,
        Kernel::Elu,
        Kernel::Selu,
        Kernel::GeluTanh,
        Kernel::Gelu,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kernel::Sigmoid => "sigmoid_backward",
            Kernel::Tanh => "tanh_backward",
            Kernel::Relu => "relu_backward",
            Kernel::LeakyRelu => "leaky_relu_backward",
            Kernel::Silu => "silu_backward",
            Kernel::Softplus => "softplus_backward",
            Kernel::Elu => "elu_backward",
            Kernel::Selu => "selu_backward",
            Kernel::GeluTanh => "gelu_tanh_backward",
            Kernel::Gelu => "gelu_backward",
        }
    }
}

/// One decoded call.
#[derive(Clone, Debug)]
pub struct Case {
    pub kernel: Kernel,
    pub in_place: bool,
    /// The forward tensor (`y` for sigmoid and tanh, `x` for the relus).
    pub forward: Vec<f32>,
    pub grad: Vec<f32>,
    pub out_len: usize,
    pub slope: f32,
}

/// Builds an input in the format above.
pub fn encode(
    kernel: u8,
    flags: u8,
    grad_sel: u8,
    out_sel: u8,
    slope_bits: u32,
    pairs: &[(u32, u32)],
) -> Vec<u8> {
    let mut v = vec![flags, kernel, grad_sel, out_sel];
    v.extend_from_slice(&slope_bits.to_le_bytes());
    for (a, b) in pairs {
        v.extend_from_slice(&a.to_le_bytes());
        v.extend_from_slice(&b.to_le_bytes());
    }
    v
}

/// Decodes `data`.
pub fn decode(data: &[u8]) -> Case {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let flags = byte(0);
    let scaled = flags & 2 != 0;
    let kernel = Kernel::ALL[usize::from(byte(1)) % Kernel::ALL.len()];
    let value = |c: &[u8]| {
        let bits = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        if scaled {
            (bits as i32) as f32 * (1.0 / 16_777_216.0)
        } else {
            f32::from_bits(bits)
        }
    };
    let body = data.get(HEADER_LEN..).unwrap_or(&[]);
    let (forward, mut grad): (Vec<f32>, Vec<f32>) = body
        .chunks_exact(8)
        .take(MAX_PAIRS)
        .map(|c| (value(&c[..4]), value(&c[4..])))
        .unzip();
    let n = forward.len();
    grad.resize(out_len(n, byte(2)), 1.0);
    Case {
        kernel,
        in_place: flags & 1 != 0,
        forward,
        grad,
        out_len: out_len(n, byte(3)),
        slope: f32::from_bits(u32::from_le_bytes([byte(4), byte(5), byte(6), byte(7)])),
    }
}

/// `Ok` when `out` is what `kernel` must give for `(f, g)` (`f` the forward
/// value); `Err` describes the violation.
pub fn check_element(kernel: Kernel, f: f32, g: f32, out: f32, slope: f32) -> Result<(), String> {
    let ob = out.to_bits();
    let exact = |want: f32, why: &str| -> Result<(), String> {
        if ob == want.to_bits() {
            Ok(())
        } else {
            Err(format!("{why}: want {want:e} ({:#010x})", want.to_bits()))
        }
    };
    if f.is_nan() {
        return exact(f, "a NaN forward value must come out with the same bits");
    }
    match kernel {
        Kernel::Relu => {
            if f > 0.0 {
                exact(g, "x > 0 must give g bit for bit")
            } else {
                exact(0.0, "x <= 0 must give +0.0")
            }
        }
        Kernel::LeakyRelu => {
            if g.is_nan() {
                return exact(g, "a NaN g must come out with the same bits");
            }
            if f > 0.0 {
                return exact(g, "x > 0 must give g bit for bit");
            }
            let p = g * slope;
            if p.is_nan() {
                exact(f32::NAN, "a NaN product must be f32::NAN")
            } else {
                exact(p, "x <= 0 must give the rounded g * slope")
            }
        }
        Kernel::Elu => {
            if g.is_nan() {
                return exact(g, "a NaN g must come out with the same bits");
            }
            if f > 0.0 {
                return exact(g, "x > 0 must give g bit for bit");
            }
            if f == f32::NEG_INFINITY {
                let p = g * 0.0;
                let want = if p.is_nan() { f32::NAN } else { p };
                return exact(
                    want,
                    "x = -inf must give g * +0 (f32::NAN for an infinite g)",
                );
            }
            let neg = g.is_sign_negative() != slope.is_sign_negative();
            if g.is_infinite() {
                let want = if slope == 0.0 {
                    f32::NAN
                } else if neg {
                    f32::NEG_INFINITY
                } else {
                    f32::INFINITY
                };
                return exact(
                    want,
                    "an infinite g must give ±inf of the sign of g × alpha (NaN for alpha 0)",
                );
            }
            if out == 0.0 && out.is_sign_negative() != neg {
                return Err("a zero result must have the sign of g × alpha".into());
            }
            let r = reference::elu_backward(f, g, slope);
            let e = ulp_error_or_overflow(out, r);
            let bound = accuracy::ELU_BACKWARD;
            if e <= f64::from(bound) {
                Ok(())
            } else {
                Err(format!(
                    "error {e:.4} ULP > bound {bound} (reference {r:e})"
                ))
            }
        }
        Kernel::Silu | Kernel::Softplus | Kernel::Selu | Kernel::GeluTanh | Kernel::Gelu => {
            if g.is_nan() {
                return exact(g, "a NaN g must come out with the same bits");
            }
            let (x_one, reference, bound): (f32, fn(f32, f32) -> f64, f32) = match kernel {
                Kernel::Silu => (24.0, reference::silu_backward, accuracy::SILU_BACKWARD),
                Kernel::Selu => (
                    f32::INFINITY,
                    reference::selu_backward,
                    accuracy::SELU_BACKWARD,
                ),
                Kernel::GeluTanh => (
                    6.0,
                    reference::gelu_tanh_backward,
                    accuracy::GELU_TANH_BACKWARD,
                ),
                Kernel::Gelu => (6.5, reference::gelu_backward, accuracy::GELU_BACKWARD),
                _ => (
                    20.0,
                    reference::softplus_backward,
                    accuracy::SOFTPLUS_BACKWARD,
                ),
            };
            if f > x_one {
                return exact(
                    g,
                    "where f'(x) rounds to 1 (and +inf) the result is g bit for bit",
                );
            }
            if f == f32::NEG_INFINITY {
                let p = g * 0.0;
                let want = if p.is_nan() { f32::NAN } else { p };
                return exact(
                    want,
                    "x = -inf must give g * +0 (f32::NAN for an infinite g)",
                );
            }
            // The derivative's sign (nonzero at every finite x; an f64 zero
            // in the far tail keeps the sign).
            let d_negative = reference(f, 1.0).is_sign_negative();
            if g.is_infinite() {
                let want = if g.is_sign_negative() != d_negative {
                    f32::NEG_INFINITY
                } else {
                    f32::INFINITY
                };
                return exact(
                    want,
                    "an infinite g must give ±inf of the sign of g × f'(x)",
                );
            }
            if out == 0.0 && out.is_sign_negative() != (g.is_sign_negative() != d_negative) {
                return Err("a zero result must have the sign of g × f'(x)".into());
            }
            let r = reference(f, g);
            let e = ulp_error_or_overflow(out, r);
            if e <= f64::from(bound) {
                Ok(())
            } else {
                Err(format!(
                    "error {e:.4} ULP > bound {bound} (reference {r:e})"
                ))
            }
        }
        Kernel::Sigmoid | Kernel::Tanh => {
            if g.is_nan() {
                return exact(g, "a NaN g must come out with the same bits");
            }
            let plain = match kernel {
                Kernel::Sigmoid => g * (f * (1.0 - f)),
                _ => g * (1.0 - f * f),
            };
            if f.abs() >= 16_777_216.0 {
                // Including infinite y: the formula in plain f32.
                let want = if plain.is_nan() { f32::NAN } else { plain };
                return exact(want, "|y| >= 2^24 must give the formula in plain f32");
            }
            // The derivative at y, exact in f64, +0 at its zeros.
            let d = match kernel {
                Kernel::Sigmoid => reference::sigmoid_backward(f, 1.0),
                _ => reference::tanh_backward(f, 1.0),
            };
            let d = if d == 0.0 { 0.0 } else { d };
            if g.is_infinite() {
                let want = if d == 0.0 {
                    f32::NAN
                } else if (g > 0.0) == (d > 0.0) {
                    f32::INFINITY
                } else {
                    f32::NEG_INFINITY
                };
                return exact(want, "an infinite g must give ±inf (f32::NAN where d = 0)");
            }
            if out == 0.0 {
                let negative = g.is_sign_negative() != d.is_sign_negative();
                if out.is_sign_negative() != negative {
                    return Err("a zero result must have the sign of g × d".into());
                }
            }
            let bound = match kernel {
                Kernel::Sigmoid => accuracy::SIGMOID_BACKWARD,
                _ => accuracy::TANH_BACKWARD,
            };
            let r = f64::from(g) * d;
            let e = ulp_error_or_overflow(out, r);
            if e <= f64::from(bound) {
                Ok(())
            } else {
                Err(format!(
                    "error {e:.4} ULP > bound {bound} (reference {r:e})"
                ))
            }
        }
    }
}

type OutFn = Box<dyn Fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>>;
type InFn = Box<dyn Fn(&[f32], &mut [f32]) -> Result<(), Error>>;

/// (label, fused, out of place, in place): the crate root, the widths, the
/// supported levels.
fn variants(kernel: Kernel, slope: f32) -> Vec<(String, bool, OutFn, InFn)> {
    macro_rules! four {
        ($out:ident, $inp:ident) => {{
            let v: Vec<(String, bool, OutFn, InFn)> = vec![
                (
                    "crate root".to_string(),
                    Level::current().fused(),
                    Box::new(activations::$out),
                    Box::new(activations::$inp),
                ),
                (
                    "f32x4".to_string(),
                    accuracy::FMA,
                    Box::new(generic::$out::<f32x4>),
                    Box::new(generic::$inp::<f32x4>),
                ),
                (
                    "f32x8".to_string(),
                    accuracy::FMA,
                    Box::new(generic::$out::<f32x8>),
                    Box::new(generic::$inp::<f32x8>),
                ),
                (
                    "f32x16".to_string(),
                    accuracy::FMA,
                    Box::new(generic::$out::<f32x16>),
                    Box::new(generic::$inp::<f32x16>),
                ),
            ];
            v
        }};
    }
    let mut v = match kernel {
        Kernel::Sigmoid => four!(sigmoid_backward, sigmoid_backward_in_place),
        Kernel::Tanh => four!(tanh_backward, tanh_backward_in_place),
        Kernel::Relu => four!(relu_backward, relu_backward_in_place),
        Kernel::Silu => four!(silu_backward, silu_backward_in_place),
        Kernel::Softplus => four!(softplus_backward, softplus_backward_in_place),
        Kernel::Selu => four!(selu_backward, selu_backward_in_place),
        Kernel::GeluTanh => four!(gelu_tanh_backward, gelu_tanh_backward_in_place),
        Kernel::Gelu => four!(gelu_backward, gelu_backward_in_place),
        Kernel::LeakyRelu | Kernel::Elu => {
            macro_rules! pair {
                ($label:expr, $fused:expr, $out:expr, $inp:expr) => {
                    (
                        $label.to_string(),
                        $fused,
                        Box::new(move |x: &[f32], g: &[f32], y: &mut [f32]| $out(x, g, y, slope))
                            as OutFn,
                        Box::new(move |x: &[f32], g: &mut [f32]| $inp(x, g, slope)) as InFn,
                    )
                };
            }
            if kernel == Kernel::Elu {
                return elu_variants(slope);
            }
            vec![
                pair!(
                    "crate root",
                    Level::current().fused(),
                    activations::leaky_relu_backward,
                    activations::leaky_relu_backward_in_place
                ),
                pair!(
                    "f32x4",
                    accuracy::FMA,
                    generic::leaky_relu_backward::<f32x4>,
                    generic::leaky_relu_backward_in_place::<f32x4>
                ),
                pair!(
                    "f32x8",
                    accuracy::FMA,
                    generic::leaky_relu_backward::<f32x8>,
                    generic::leaky_relu_backward_in_place::<f32x8>
                ),
                pair!(
                    "f32x16",
                    accuracy::FMA,
                    generic::leaky_relu_backward::<f32x16>,
                    generic::leaky_relu_backward_in_place::<f32x16>
                ),
            ]
        }
    };
    for l in super::levels() {
        let label = super::level_label(l).to_string();
        let (out, inp): (OutFn, InFn) = match kernel {
            Kernel::Sigmoid => (
                Box::new(move |y, g, o| l.sigmoid_backward(y, g, o)),
                Box::new(move |y, g| l.sigmoid_backward_in_place(y, g)),
            ),
            Kernel::Tanh => (
                Box::new(move |y, g, o| l.tanh_backward(y, g, o)),
                Box::new(move |y, g| l.tanh_backward_in_place(y, g)),
            ),
            Kernel::Relu => (
                Box::new(move |x, g, o| l.relu_backward(x, g, o)),
                Box::new(move |x, g| l.relu_backward_in_place(x, g)),
            ),
            Kernel::LeakyRelu => (
                Box::new(move |x, g, o| l.leaky_relu_backward(x, g, o, slope)),
                Box::new(move |x, g| l.leaky_relu_backward_in_place(x, g, slope)),
            ),
            Kernel::Silu => (
                Box::new(move |x, g, o| l.silu_backward(x, g, o)),
                Box::new(move |x, g| l.silu_backward_in_place(x, g)),
            ),
            Kernel::Softplus => (
                Box::new(move |x, g, o| l.softplus_backward(x, g, o)),
                Box::new(move |x, g| l.softplus_backward_in_place(x, g)),
            ),
            Kernel::Selu => (
                Box::new(move |x, g, o| l.selu_backward(x, g, o)),
                Box::new(move |x, g| l.selu_backward_in_place(x, g)),
            ),
            Kernel::GeluTanh => (
                Box::new(move |x, g, o| l.gelu_tanh_backward(x, g, o)),
                Box::new(move |x, g| l.gelu_tanh_backward_in_place(x, g)),
            ),
            Kernel::Gelu => (
                Box::new(move |x, g, o| l.gelu_backward(x, g, o)),
                Box::new(move |x, g| l.gelu_backward_in_place(x, g)),
            ),
            Kernel::Elu => unreachable!("elu_variants"),
        };
        v.push((label, l.fused(), out, inp));
    }
    v
}

/// [`variants`] of `elu_backward` with `alpha`: the crate root, the widths,
/// the supported levels.
fn elu_variants(alpha: f32) -> Vec<(String, bool, OutFn, InFn)> {
    type Out = fn(&[f32], &[f32], &mut [f32], f32) -> Result<(), Error>;
    type In = fn(&[f32], &mut [f32], f32) -> Result<(), Error>;
    let fns: [(&str, bool, Out, In); 4] = [
        (
            "crate root",
            Level::current().fused(),
            activations::elu_backward,
            activations::elu_backward_in_place,
        ),
        (
            "f32x4",
            accuracy::FMA,
            generic::elu_backward::<f32x4>,
            generic::elu_backward_in_place::<f32x4>,
        ),
        (
            "f32x8",
            accuracy::FMA,
            generic::elu_backward::<f32x8>,
            generic::elu_backward_in_place::<f32x8>,
        ),
        (
            "f32x16",
            accuracy::FMA,
            generic::elu_backward::<f32x16>,
            generic::elu_backward_in_place::<f32x16>,
        ),
    ];
    let mut v: Vec<(String, bool, OutFn, InFn)> = fns
        .into_iter()
        .map(|(label, fused, out, inp)| {
            (
                label.to_string(),
                fused,
                Box::new(move |x: &[f32], g: &[f32], y: &mut [f32]| out(x, g, y, alpha)) as OutFn,
                Box::new(move |x: &[f32], g: &mut [f32]| inp(x, g, alpha)) as InFn,
            )
        })
        .collect();
    for l in super::levels() {
        v.push((
            super::level_label(l).to_string(),
            l.fused(),
            Box::new(move |x, g, o| l.elu_backward(x, g, o, alpha)),
            Box::new(move |x, g| l.elu_backward_in_place(x, g, alpha)),
        ));
    }
    v
}

/// Signalling NaN sentinels, one per variant.
fn sentinel(i: usize) -> f32 {
    f32::from_bits(0x7f80_6b00 + i as u32)
}

/// Decodes `data` and asserts the whole contract (see the module docs).
pub fn check(data: &[u8]) {
    let c = decode(data);
    let (n, m_g, m_o) = (c.forward.len(), c.grad.len(), c.out_len);
    let name = format!(
        "{}{}",
        c.kernel.name(),
        if c.kernel == Kernel::LeakyRelu {
            format!("(slope {:e} = {:#010x})", c.slope, c.slope.to_bits())
        } else if c.kernel == Kernel::Elu {
            format!("(alpha {:e} = {:#010x})", c.slope, c.slope.to_bits())
        } else {
            String::new()
        }
    );
    let alpha_err = (c.kernel == Kernel::Elu && !c.slope.is_finite())
        .then_some(Error::InvalidParameter { name: "alpha" });
    let out_err = if alpha_err.is_some() {
        alpha_err
    } else if m_g != n {
        Some(Error::LengthMismatch {
            input: n,
            output: m_g,
        })
    } else if m_o != n {
        Some(Error::LengthMismatch {
            input: n,
            output: m_o,
        })
    } else {
        None
    };
    let in_err = alpha_err.or((m_g != n).then_some(Error::LengthMismatch {
        input: n,
        output: m_g,
    }));
    // (label, fused, result): the primary mode's result of each variant.
    let mut results: Vec<(String, bool, Vec<f32>)> = Vec::new();
    for (i, (label, fused, out, inp)) in variants(c.kernel, c.slope).into_iter().enumerate() {
        let ctx = format!("{name} {label} (n {n}, gradient {m_g}, grad_input {m_o})");
        let mut o = vec![sentinel(i); m_o];
        let r = out(&c.forward, &c.grad, &mut o);
        assert_eq!(r, out_err.map_or(Ok(()), Err), "{ctx}: out of place");
        if r.is_err() {
            assert!(
                o.iter().all(|v| v.to_bits() == sentinel(i).to_bits()),
                "{ctx}: out of place wrote despite {r:?}"
            );
        }
        let mut gi = c.grad.clone();
        let ri = inp(&c.forward, &mut gi);
        assert_eq!(ri, in_err.map_or(Ok(()), Err), "{ctx}: in place");
        if ri.is_err() {
            assert!(
                gi.iter()
                    .zip(&c.grad)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "{ctx}: in place changed the gradient despite {ri:?}"
            );
        }
        if r.is_ok() && ri.is_ok() {
            if let Some(j) = o
                .iter()
                .zip(&gi)
                .position(|(a, b)| a.to_bits() != b.to_bits())
            {
                panic!(
                    "{ctx}: in place != out of place at [{j}]: {:#010x} vs {:#010x}",
                    gi[j].to_bits(),
                    o[j].to_bits()
                );
            }
        }
        let primary = match (c.in_place, r.is_ok(), ri.is_ok()) {
            (true, _, true) | (false, false, true) => Some(gi),
            (_, true, _) => Some(o),
            _ => None,
        };
        if let Some(y) = primary {
            for (j, ((&f, &g), &v)) in c.forward.iter().zip(&c.grad).zip(&y).enumerate() {
                if let Err(why) = check_element(c.kernel, f, g, v, c.slope) {
                    panic!(
                        "{ctx}, index {j}: f({f:e} = {:#010x}, g = {g:e} = {:#010x}) = {v:e} ({:#010x}): {why}",
                        f.to_bits(),
                        g.to_bits(),
                        v.to_bits()
                    );
                }
            }
            results.push((label, fused, y));
        }
    }
    // The same bits within a kind of multiply-add (everywhere for the relus).
    let exact_kernel = matches!(c.kernel, Kernel::Relu | Kernel::LeakyRelu);
    for (i, (label, fused, y)) in results.iter().enumerate() {
        if let Some((l0, _, y0)) = results[..i]
            .iter()
            .find(|(_, f0, _)| *f0 == *fused || exact_kernel)
        {
            if let Some(j) = y
                .iter()
                .zip(y0)
                .position(|(a, b)| a.to_bits() != b.to_bits())
            {
                panic!(
                    "{name}: {label} differs from {l0} at [{j}] (forward {:#010x}, g {:#010x}): {:#010x} vs {:#010x}",
                    c.forward[j].to_bits(),
                    c.grad[j].to_bits(),
                    y[j].to_bits(),
                    y0[j].to_bits()
                );
            }
        }
    }
}
