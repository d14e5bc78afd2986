//! The whole contract of the row backward kernels (`softmax_backward`,
//! `log_softmax_backward`, their `_in_place`, `_rows` and `_rows_in_place`
//! forms) as one check that takes raw bytes: decode them into a call, run
//! it at the crate root, every width and every supported level, in place
//! and out of place, and panic with a precise message on any violation.
//!
//! Used by the cargo-fuzz target `fuzz/fuzz_targets/softmax_backward.rs`
//! and by `tests/fuzz_replay.rs` (the checked-in corpus
//! `fuzz/corpus/softmax_backward/` and seeded inputs). `fuzz/seeds.py`
//! writes the same format.
//!
//! # Input format
//!
//! | bytes | meaning |
//! |---|---|
//! | 0 | flags: bit 0 = in place is the primary call, bit 1 = scaled values, bit 2 = the `_rows` form |
//! | 1 | kernel, `% 2`: softmax, log_softmax (backward) |
//! | 2 | gradient length, relative to the `n` forward values ([`super::contract::out_len`]); a longer gradient is padded with 1.0 |
//! | 3 | `grad_input` length, the same rule |
//! | 4, 5..7 | row selector and u16 LE argument ([`super::contract::row_len`]; `_rows` only) |
//! | rest | pairs of u32 LE: the forward output `y`, then the gradient `g`; at most [`MAX_PAIRS`] |
//!
//! Raw values are the f32 with those bits; scaled values are the bits read
//! as an `i32` times `2^-24`. Missing header bytes read as 0.
//!
//! # What is checked
//! - `Err` exactly when the arguments are bad (the gradient's length, then
//!   `grad_input`'s, then the row length), the same at every variant;
//!   nothing written then.
//! - In place equal to out of place, bit for bit; `_rows` rows equal to the
//!   single-row call on that row, bit for bit.
//! - Every row of every variant against the rules of the docs: a row whose
//!   sum is not finite all NaN (also accepted where a partial sum may
//!   overflow f32, `Σ|terms| >= 2^127`); log-softmax's `-inf` entries give
//!   `g`, NaN `y` that NaN; and, for rows of moderate values (every `|y|`,
//!   `|g|` of the row below `2^60`, `y <= 80`), the bound `B ulp + A scale + 2^-147` of
//!   `activations::accuracy` against the f64 reference.

#![allow(dead_code)]

use super::contract::{out_len, row_len};
use super::reference::{self, ulp_f32_at};
use activations::{accuracy, f32x16, f32x4, f32x8, generic, Error, Level};

/// The most pairs one input decodes to.
pub const MAX_PAIRS: usize = 2048;
/// Header bytes before the pairs.
pub const HEADER_LEN: usize = 7;
/// Flag bit: the `_rows` form, with the decoded row length.
pub const FLAG_ROWS: u8 = 4;

/// One decoded call.
#[derive(Clone, Debug)]
pub struct Case {
    pub log: bool,
    pub in_place: bool,
    pub rows: bool,
    pub y: Vec<f32>,
    pub g: Vec<f32>,
    pub out_len: usize,
    pub row_len: usize,
}

/// Builds an input in the format above.
pub fn encode(
    flags: u8,
    kernel: u8,
    grad_sel: u8,
    out_sel: u8,
    rows: (u8, u16),
    pairs: &[(u32, u32)],
) -> Vec<u8> {
    let mut out = vec![flags, kernel, grad_sel, out_sel, rows.0];
    out.extend_from_slice(&rows.1.to_le_bytes());
    for (a, b) in pairs {
        out.extend_from_slice(&a.to_le_bytes());
        out.extend_from_slice(&b.to_le_bytes());
    }
    out
}

/// Decodes `data`.
pub fn decode(data: &[u8]) -> Case {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let flags = byte(0);
    let scaled = flags & 2 != 0;
    let val = |c: &[u8]| {
        let bits = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        if scaled {
            (bits as i32) as f32 * (1.0 / 16_777_216.0)
        } else {
            f32::from_bits(bits)
        }
    };
    let body = data.get(HEADER_LEN..).unwrap_or(&[]);
    let (mut y, mut g) = (Vec::new(), Vec::new());
    for c in body.chunks_exact(8).take(MAX_PAIRS) {
        y.push(val(&c[..4]));
        g.push(val(&c[4..]));
    }
    let n = y.len();
    g.resize(out_len(n, byte(2)), 1.0);
    Case {
        log: byte(1) % 2 == 1,
        in_place: flags & 1 != 0,
        rows: flags & FLAG_ROWS != 0,
        y,
        g,
        out_len: out_len(n, byte(3)),
        row_len: row_len(n, byte(4), u16::from_le_bytes([byte(5), byte(6)])),
    }
}

type OutFn = Box<dyn Fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>>;
type InFn = Box<dyn Fn(&[f32], &mut [f32]) -> Result<(), Error>>;

/// Every variant: `(label, out of place, in place)`; `row_len` `None` for
/// the single-row functions.
fn variants(log: bool, row_len: Option<usize>) -> Vec<(String, OutFn, InFn)> {
    macro_rules! fns {
        ($f:ident, $fi:ident, $fr:ident, $fri:ident) => {{
            let mut v: Vec<(String, OutFn, InFn)> = Vec::new();
            match row_len {
                None => {
                    v.push((
                        "root".into(),
                        Box::new(activations::$f),
                        Box::new(activations::$fi),
                    ));
                    v.push((
                        "f32x4".into(),
                        Box::new(generic::$f::<f32x4>),
                        Box::new(generic::$fi::<f32x4>),
                    ));
                    v.push((
                        "f32x8".into(),
                        Box::new(generic::$f::<f32x8>),
                        Box::new(generic::$fi::<f32x8>),
                    ));
                    v.push((
                        "f32x16".into(),
                        Box::new(generic::$f::<f32x16>),
                        Box::new(generic::$fi::<f32x16>),
                    ));
                    for l in super::levels() {
                        v.push((
                            super::level_label(l).into(),
                            Box::new(move |y, g, d| Level::$f(l, y, g, d)),
                            Box::new(move |y, g| Level::$fi(l, y, g)),
                        ));
                    }
                }
                Some(r) => {
                    v.push((
                        "root".into(),
                        Box::new(move |y, g, d| activations::$fr(y, g, d, r)),
                        Box::new(move |y, g| activations::$fri(y, g, r)),
                    ));
                    v.push((
                        "f32x4".into(),
                        Box::new(move |y, g, d| generic::$fr::<f32x4>(y, g, d, r)),
                        Box::new(move |y, g| generic::$fri::<f32x4>(y, g, r)),
                    ));
                    v.push((
                        "f32x16".into(),
                        Box::new(move |y, g, d| generic::$fr::<f32x16>(y, g, d, r)),
                        Box::new(move |y, g| generic::$fri::<f32x16>(y, g, r)),
                    ));
                    for l in super::levels() {
                        v.push((
                            super::level_label(l).into(),
                            Box::new(move |y, g, d| Level::$fr(l, y, g, d, r)),
                            Box::new(move |y, g| Level::$fri(l, y, g, r)),
                        ));
                    }
                }
            }
            v
        }};
    }
    if log {
        fns!(
            log_softmax_backward,
            log_softmax_backward_in_place,
            log_softmax_backward_rows,
            log_softmax_backward_rows_in_place
        )
    } else {
        fns!(
            softmax_backward,
            softmax_backward_in_place,
            softmax_backward_rows,
            softmax_backward_rows_in_place
        )
    }
}

/// Checks one row's result `d` against the rules and the reference.
pub fn check_row(log: bool, y: &[f32], g: &[f32], d: &[f32]) -> Result<(), String> {
    let nan = f32::NAN.to_bits();
    let all_nan = d.iter().all(|v| v.to_bits() == nan);
    // The row's sum and the size of its terms, exactly enough in f64.
    let (sum, size) = if log {
        (
            reference::sum_compensated(g.iter().map(|&g| f64::from(g))),
            g.iter().map(|&g| f64::from(g).abs()).sum::<f64>(),
        )
    } else {
        let p = |(&y, &g): (&f32, &f32)| f64::from(y) * f64::from(g);
        (
            reference::sum_compensated(y.iter().zip(g).map(p)),
            y.iter().zip(g).map(p).map(f64::abs).sum::<f64>(),
        )
    };
    let big = 2f64.powi(127);
    if !sum.is_finite() || sum.is_nan() {
        return if all_nan {
            Ok(())
        } else {
            Err(format!(
                "the row's sum is {sum:e}: want all canonical NaN, got {d:?}"
            ))
        };
    }
    if all_nan && size >= big {
        return Ok(()); // a partial f32 sum may have overflowed
    }
    let moderate = |v: f32| v.abs() < 2f32.powi(60);
    let row_moderate = y
        .iter()
        .zip(g)
        .all(|(&y, &g)| (moderate(y) || (log && (y.is_nan() || y < -125.0))) && moderate(g));
    let (r, scale) = if log {
        reference::log_softmax_backward(y, g)
    } else {
        reference::softmax_backward(y, g)
    };
    let (b, a) = if log {
        (
            accuracy::LOG_SOFTMAX_BACKWARD,
            accuracy::LOG_SOFTMAX_BACKWARD_ABS,
        )
    } else {
        (accuracy::SOFTMAX_BACKWARD, accuracy::SOFTMAX_BACKWARD_ABS)
    };
    for i in 0..y.len() {
        let at = || {
            format!(
                "[{i}]: y = {:e} ({:#010x}), g = {:e}, got {:e}, reference {:e}",
                y[i],
                y[i].to_bits(),
                g[i],
                d[i],
                r[i]
            )
        };
        if log {
            if y[i].is_nan() {
                if d[i].to_bits() != y[i].to_bits() {
                    return Err(format!("NaN y must give that NaN {}", at()));
                }
                continue;
            }
            if y[i] < -125.0 {
                if d[i].to_bits() != g[i].to_bits() {
                    return Err(format!("y < -125 (or -inf) must give g exactly {}", at()));
                }
                continue;
            }
            if y[i] > 80.0 {
                // Not a log-softmax output; without FMA beyond Dekker's range.
                continue;
            }
        }
        // The bound holds for rows of moderate values (without FMA,
        // Dekker's products need every factor below 2^115).
        if !(row_moderate && size < 2f64.powi(60)) {
            continue;
        }
        if r[i].abs() >= big {
            // At the edge of the f32 range: the sign is all that is asked.
            if d[i].is_nan() || (d[i] != 0.0 && (d[i] > 0.0) != (r[i] > 0.0)) {
                return Err(format!("near overflow, wrong sign {}", at()));
            }
            continue;
        }
        let tiny = if log {
            accuracy::SOFTMAX_BACKWARD_TINY
        } else {
            accuracy::SOFTMAX_BACKWARD_TINY * (1.0 + y.len() as f64 * f64::from(y[i]).abs())
        };
        let err = (f64::from(d[i]) - r[i]).abs() - a * scale[i] - tiny;
        if d[i].is_nan() || err > f64::from(b) * ulp_f32_at(r[i]) {
            return Err(format!("beyond B ulp + A scale + 2^-147 {}", at()));
        }
    }
    Ok(())
}

/// Out-of-place sentinels.
fn sentinel(i: usize) -> f32 {
    f32::from_bits(0x7f80_5b00 + i as u32)
}

fn bits_eq(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Decodes `data` and asserts the whole contract.
pub fn check(data: &[u8]) {
    let case = decode(data);
    let name = if case.log {
        "log_softmax_backward"
    } else {
        "softmax_backward"
    };
    let (y, g) = (&case.y, &case.g);
    let n = y.len();
    let rl = case.row_len;
    let rows = case.rows.then_some(rl);
    let bad_rows = case.rows && (rl == 0 || !n.is_multiple_of(rl));
    let row_err = Error::InvalidRowLength {
        len: n,
        row_len: rl,
    };
    let want_out = if g.len() != n {
        Some(Error::LengthMismatch {
            input: n,
            output: g.len(),
        })
    } else if case.out_len != n {
        Some(Error::LengthMismatch {
            input: n,
            output: case.out_len,
        })
    } else if bad_rows {
        Some(row_err)
    } else {
        None
    };
    let want_in = if g.len() != n {
        Some(Error::LengthMismatch {
            input: n,
            output: g.len(),
        })
    } else if bad_rows {
        Some(row_err)
    } else {
        None
    };
    let row = if case.rows { rl } else { n.max(1) };
    for (k, (label, out, inp)) in variants(case.log, rows).into_iter().enumerate() {
        let mut d = vec![sentinel(k); case.out_len];
        let r = out(y, g, &mut d);
        let mut gi = g.clone();
        let ri = inp(y, &mut gi);
        match want_out {
            Some(e) => {
                assert_eq!(
                    r,
                    Err(e),
                    "{name} {label}: out of place, n {n}, rows {rows:?}"
                );
                assert!(
                    d.iter().all(|v| v.to_bits() == sentinel(k).to_bits()),
                    "{name} {label}: wrote on Err"
                );
            }
            None => assert_eq!(
                r,
                Ok(()),
                "{name} {label}: out of place, n {n}, rows {rows:?}"
            ),
        }
        match want_in {
            Some(e) => {
                assert_eq!(ri, Err(e), "{name} {label}: in place, n {n}, rows {rows:?}");
                assert!(bits_eq(&gi, g), "{name} {label}: in place wrote on Err");
            }
            None => assert_eq!(ri, Ok(()), "{name} {label}: in place"),
        }
        if want_out.is_some() || want_in.is_some() || n == 0 {
            continue;
        }
        assert!(
            bits_eq(&d, &gi),
            "{name} {label}: in place differs from out of place"
        );
        let primary = if case.in_place { &gi } else { &d };
        for (j, ((yr, gr), dr)) in y
            .chunks(row)
            .zip(g.chunks(row))
            .zip(primary.chunks(row))
            .enumerate()
        {
            if let Err(why) = check_row(case.log, yr, gr, dr) {
                panic!("{name} {label}, n {n}, row {j} (row_len {row}): {why}");
            }
            if case.rows && k == 0 {
                let single = if case.log {
                    activations::log_softmax_backward
                } else {
                    activations::softmax_backward
                };
                let mut one = vec![0f32; row];
                single(yr, gr, &mut one).unwrap();
                assert!(
                    bits_eq(&one, dr),
                    "{name} root: row {j} differs from the single-row call"
                );
            }
        }
    }
}
