//! CI only: runs every public kernel of `activations` on a Cortex-M4F
//! (`thumbv7em-none-eabihf`: single-precision FPU, no SIMD, no fused
//! multiply-add in the kernels) under QEMU's mps2-an386 machine.
//!
//! Each output is checked either against its exact expected bits or against
//! an f64 reference (the `libm` crate's `exp` and `tanh`) within the bound
//! that `activations::accuracy` states for this build. A summary is printed
//! over semihosting and the firmware exits with a failure status if any
//! check failed (so `cargo run` fails), and on a panic or a HardFault.
//!
//! Run from this folder: `cargo run --release` (or `--profile release-s`).

#![no_std]
#![no_main]

use activations::{accuracy, f32x16, f32x8, generic, Error};
use core::fmt;
use cortex_m_rt::{entry, exception, ExceptionFrame};
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;

/// Longest slice used; buffers live on the stack (256 KiB of RAM).
const MAX_LEN: usize = 1024;
/// Failures printed in full; the rest are only counted.
const MAX_PRINTED: u32 = 40;

// ---------------------------------------------------------------- helpers

/// xorshift32: small, deterministic, no_std.
struct Rng(u32);

impl Rng {
    fn next_u32(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
    /// Uniform in `[lo, hi)`.
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        let u = (self.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0);
        lo + (hi - lo) * u
    }
    /// Any bit pattern: NaNs, infinities, subnormals, zeros included.
    fn any_bits(&mut self) -> f32 {
        f32::from_bits(self.next_u32())
    }
    /// Random sign and mantissa, biased exponent uniform in `[0, 127 + max_exp]`:
    /// magnitudes log-uniform from the subnormals up to `2^(max_exp + 1)`.
    fn log_uniform(&mut self, max_exp: u32) -> f32 {
        let r = self.next_u32();
        let e = r % (128 + max_exp);
        f32::from_bits((r & 0x8000_0000) | (e << 23) | (self.next_u32() & 0x007f_ffff))
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next_u32() % n
    }
}

/// `2^k` as f64, for `-1022 <= k <= 1023`.
fn pow2(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// The spacing of f32 at `|r|`: `2^(e-23)` for `|r|` in `[2^e, 2^(e+1))`,
/// `2^-149` below `2^-126`.
fn ulp_f32_at(r: f64) -> f64 {
    let a = libm::fabs(r);
    if a < pow2(-126) {
        return pow2(-149);
    }
    let e = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    pow2(e - 23)
}

/// `|y - r| / ulp(r)`; equal values give 0, any NaN/infinity mismatch infinity.
fn ulp_error(y: f32, r: f64) -> f64 {
    let y = f64::from(y);
    if y == r || (y.is_nan() && r.is_nan()) {
        return 0.0;
    }
    if y.is_nan() || r.is_nan() || y.is_infinite() || r.is_infinite() {
        return f64::INFINITY;
    }
    libm::fabs(y - r) / ulp_f32_at(r)
}

fn sigmoid_ref(x: f32) -> f64 {
    sigmoid_f64(f64::from(x))
}

/// `1 / (1 + e^-u)`, written so that neither tail cancels.
fn sigmoid_f64(u: f64) -> f64 {
    if u >= 0.0 {
        1.0 / (1.0 + libm::exp(-u))
    } else {
        let e = libm::exp(u);
        e / (1.0 + e)
    }
}

fn tanh_ref(x: f32) -> f64 {
    libm::tanh(f64::from(x))
}

fn silu_ref(x: f32) -> f64 {
    if x == f32::NEG_INFINITY {
        -0.0
    } else {
        f64::from(x) * sigmoid_ref(x)
    }
}

fn gelu_tanh_ref(x: f32) -> f64 {
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    if x == f32::INFINITY {
        return f64::INFINITY;
    }
    let a = 2.0 * libm::sqrt(2.0 / core::f64::consts::PI);
    let v = f64::from(x);
    v * sigmoid_f64(a * (v + 0.044715 * v * v * v))
}

fn gelu_ref(x: f32) -> f64 {
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    if x == f32::INFINITY {
        return f64::INFINITY;
    }
    let v = f64::from(x);
    v * libm::erfc(-v * core::f64::consts::FRAC_1_SQRT_2) * 0.5
}

fn mish_ref(x: f32) -> f64 {
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    if x == f32::INFINITY {
        return f64::INFINITY;
    }
    let v = f64::from(x);
    let g = libm::exp(-libm::fabs(v));
    v * if v >= 0.0 {
        (1.0 + 2.0 * g) / (1.0 + 2.0 * g + 2.0 * g * g)
    } else {
        (g * g + 2.0 * g) / (g * g + 2.0 * g + 2.0)
    }
}

fn softplus_ref(x: f32) -> f64 {
    if x == f32::INFINITY {
        return f64::INFINITY;
    }
    let v = f64::from(x);
    (if v > 0.0 { v } else { 0.0 }) + libm::log1p(libm::exp(-libm::fabs(v)))
}

fn elu1_ref(x: f32) -> f64 {
    if x < 0.0 {
        libm::expm1(f64::from(x))
    } else {
        f64::from(x)
    }
}

const SELU_ALPHA: f64 = 1.673_263_242_354_377_284_817_042_991_671_7;
const SELU_SCALE: f64 = 1.050_700_987_355_480_493_419_334_985_294_6;

fn selu_ref(x: f32) -> f64 {
    if x < 0.0 {
        SELU_SCALE * SELU_ALPHA * libm::expm1(f64::from(x))
    } else {
        let r = SELU_SCALE * f64::from(x);
        if (r as f32).is_infinite() {
            f64::INFINITY
        } else {
            r
        }
    }
}

fn hard_sigmoid_ref(x: f32) -> f64 {
    let x = f64::from(x);
    if x.is_nan() {
        x
    } else {
        (x + 3.0).clamp(0.0, 6.0) / 6.0
    }
}

fn hard_swish_ref(x: f32) -> f64 {
    let x = f64::from(x);
    if x >= 3.0 {
        x
    } else if x <= -3.0 {
        -0.0
    } else {
        x * (x + 3.0) / 6.0
    }
}

/// What the f64 reference softmax of a row is.
enum RowRef {
    /// A NaN or `+inf` in the row: all NaN expected.
    Nan,
    /// All `-inf`: all `+0.0` expected.
    Masked,
    /// Reference values written to the output slice.
    Values,
}

fn softmax_ref(row: &[f32], out: &mut [f64]) -> RowRef {
    if row.iter().any(|x| x.is_nan() || *x == f32::INFINITY) {
        return RowRef::Nan;
    }
    let m = row
        .iter()
        .fold(f32::NEG_INFINITY, |a, &b| if a < b { b } else { a });
    if m == f32::NEG_INFINITY {
        return RowRef::Masked;
    }
    let m = f64::from(m);
    let mut sum = 0.0f64;
    for (o, &x) in out.iter_mut().zip(row) {
        *o = libm::exp(f64::from(x) - m);
        sum += *o;
    }
    for o in out.iter_mut().take(row.len()) {
        *o /= sum;
    }
    RowRef::Values
}

/// Pass/fail counters, and the largest ULP error seen per kernel.
struct Checker {
    passed: u32,
    failed: u32,
}

#[derive(Clone, Copy)]
struct MaxErr {
    name: &'static str,
    bound: f32,
    count: u32,
    max: f64,
    worst_x: f32,
}

impl MaxErr {
    const fn new(name: &'static str, bound: f32) -> Self {
        MaxErr {
            name,
            bound,
            count: 0,
            max: 0.0,
            worst_x: 0.0,
        }
    }
}

impl Checker {
    fn pass(&mut self) {
        self.passed += 1;
    }

    fn fail(&mut self, what: &str, args: fmt::Arguments<'_>) {
        self.failed += 1;
        if self.failed <= MAX_PRINTED {
            hprintln!("FAIL {}: {}", what, args);
        } else if self.failed == MAX_PRINTED + 1 {
            hprintln!("(further failures are counted, not printed)");
        }
    }

    /// A condition with no numbers attached.
    fn ok(&mut self, what: &str, cond: bool) {
        if cond {
            self.pass();
        } else {
            self.fail(what, format_args!("condition is false"));
        }
    }

    /// `got` must have exactly the bits of `want`.
    fn bits(&mut self, what: &str, x: f32, got: f32, want: f32) {
        if got.to_bits() == want.to_bits() {
            self.pass();
        } else {
            self.fail(
                what,
                format_args!(
                    "x = {:#010x} ({:e}): got {:#010x} ({:e}), want {:#010x} ({:e})",
                    x.to_bits(),
                    x,
                    got.to_bits(),
                    got,
                    want.to_bits(),
                    want
                ),
            );
        }
    }

    /// `got` must satisfy `cond` (described by `want`).
    fn holds(&mut self, what: &str, x: f32, got: f32, cond: bool, want: &str) {
        if cond {
            self.pass();
        } else {
            self.fail(
                what,
                format_args!(
                    "x = {:#010x} ({:e}): got {:#010x} ({:e}), want {}",
                    x.to_bits(),
                    x,
                    got.to_bits(),
                    got,
                    want
                ),
            );
        }
    }

    /// `got` must be within `stats.bound` ULP of the reference `r`.
    fn ulp(&mut self, what: &str, x: f32, got: f32, r: f64, stats: &mut MaxErr) {
        let err = ulp_error(got, r);
        stats.count += 1;
        if err > stats.max || err.is_nan() {
            stats.max = err;
            stats.worst_x = x;
        }
        if err <= f64::from(stats.bound) {
            self.pass();
        } else {
            self.fail(
                what,
                format_args!(
                    "x = {:#010x} ({:e}): got {:#010x} ({:e}), reference {:e} (f32 {:#010x}), error {} ulp > bound {}",
                    x.to_bits(),
                    x,
                    got.to_bits(),
                    got,
                    r,
                    (r as f32).to_bits(),
                    err,
                    stats.bound
                ),
            );
        }
    }

    /// `r` must be `Ok`.
    fn is_ok(&mut self, what: &str, r: Result<(), Error>) {
        match r {
            Ok(()) => self.pass(),
            Err(e) => self.fail(what, format_args!("returned Err({:?})", e)),
        }
    }

    /// `r` must be exactly `Err(want)`.
    fn is_err(&mut self, what: &str, r: Result<(), Error>, want: Error) {
        if r == Err(want) {
            self.pass();
        } else {
            self.fail(what, format_args!("returned {:?}, want Err({:?})", r, want));
        }
    }
}

// ------------------------------------------------------ elementwise kernels

type OutOfPlace = fn(&[f32], &mut [f32]) -> Result<(), Error>;
type InPlace = fn(&mut [f32]);

struct Elementwise {
    name: &'static str,
    f: OutOfPlace,
    f_in_place: InPlace,
    f_x8: OutOfPlace,
    f_x16: OutOfPlace,
    reference: fn(f32) -> f64,
}

const SIGMOID: Elementwise = Elementwise {
    name: "sigmoid",
    f: activations::sigmoid,
    f_in_place: activations::sigmoid_in_place,
    f_x8: generic::sigmoid::<f32x8>,
    f_x16: generic::sigmoid::<f32x16>,
    reference: sigmoid_ref,
};

const TANH_FAST: Elementwise = Elementwise {
    name: "tanh_fast",
    f: activations::tanh_fast,
    f_in_place: activations::tanh_fast_in_place,
    f_x8: generic::tanh_fast::<f32x8>,
    f_x16: generic::tanh_fast::<f32x16>,
    reference: tanh_ref,
};

const SIGMOID_FAST: Elementwise = Elementwise {
    name: "sigmoid_fast",
    f: activations::sigmoid_fast,
    f_in_place: activations::sigmoid_fast_in_place,
    f_x8: generic::sigmoid_fast::<f32x8>,
    f_x16: generic::sigmoid_fast::<f32x16>,
    reference: sigmoid_ref,
};

const SILU: Elementwise = Elementwise {
    name: "silu",
    f: activations::silu,
    f_in_place: activations::silu_in_place,
    f_x8: generic::silu::<f32x8>,
    f_x16: generic::silu::<f32x16>,
    reference: silu_ref,
};

const GELU_TANH: Elementwise = Elementwise {
    name: "gelu_tanh",
    f: activations::gelu_tanh,
    f_in_place: activations::gelu_tanh_in_place,
    f_x8: generic::gelu_tanh::<f32x8>,
    f_x16: generic::gelu_tanh::<f32x16>,
    reference: gelu_tanh_ref,
};

const GELU: Elementwise = Elementwise {
    name: "gelu",
    f: activations::gelu,
    f_in_place: activations::gelu_in_place,
    f_x8: generic::gelu::<f32x8>,
    f_x16: generic::gelu::<f32x16>,
    reference: gelu_ref,
};

const MISH: Elementwise = Elementwise {
    name: "mish",
    f: activations::mish,
    f_in_place: activations::mish_in_place,
    f_x8: generic::mish::<f32x8>,
    f_x16: generic::mish::<f32x16>,
    reference: mish_ref,
};

const SOFTPLUS: Elementwise = Elementwise {
    name: "softplus",
    f: activations::softplus,
    f_in_place: activations::softplus_in_place,
    f_x8: generic::softplus::<f32x8>,
    f_x16: generic::softplus::<f32x16>,
    reference: softplus_ref,
};

const ELU1: Elementwise = Elementwise {
    name: "elu(1)",
    f: |x, y| activations::elu(x, y, 1.0),
    f_in_place: |v| {
        let _ = activations::elu_in_place(v, 1.0);
    },
    f_x8: |x, y| generic::elu::<f32x8>(x, y, 1.0),
    f_x16: |x, y| generic::elu::<f32x16>(x, y, 1.0),
    reference: elu1_ref,
};

const SELU: Elementwise = Elementwise {
    name: "selu",
    f: activations::selu,
    f_in_place: activations::selu_in_place,
    f_x8: generic::selu::<f32x8>,
    f_x16: generic::selu::<f32x16>,
    reference: selu_ref,
};

const HARD_SIGMOID: Elementwise = Elementwise {
    name: "hard_sigmoid",
    f: activations::hard_sigmoid,
    f_in_place: activations::hard_sigmoid_in_place,
    f_x8: generic::hard_sigmoid::<f32x8>,
    f_x16: generic::hard_sigmoid::<f32x16>,
    reference: hard_sigmoid_ref,
};

const HARD_SWISH: Elementwise = Elementwise {
    name: "hard_swish",
    f: activations::hard_swish,
    f_in_place: activations::hard_swish_in_place,
    f_x8: generic::hard_swish::<f32x8>,
    f_x16: generic::hard_swish::<f32x16>,
    reference: hard_swish_ref,
};

const TANH: Elementwise = Elementwise {
    name: "tanh",
    f: activations::tanh,
    f_in_place: activations::tanh_in_place,
    f_x8: generic::tanh::<f32x8>,
    f_x16: generic::tanh::<f32x16>,
    reference: tanh_ref,
};

/// One block through the out-of-place kernel (checked element by element:
/// NaN must come back with the same bits, anything else within the bound),
/// then through the in-place kernel and the 8- and 16-lane generic versions,
/// which must give the same bits.
fn elementwise_block(c: &mut Checker, k: &Elementwise, stats: &mut MaxErr, input: &[f32]) {
    let n = input.len();
    let mut out = [0.0f32; MAX_LEN];
    let out = &mut out[..n];
    c.is_ok(k.name, (k.f)(input, out));
    for (&x, &y) in input.iter().zip(out.iter()) {
        if x.is_nan() {
            c.bits(k.name, x, y, x);
        } else {
            c.ulp(k.name, x, y, (k.reference)(x), stats);
        }
    }
    let mut same = [0.0f32; MAX_LEN];
    let same = &mut same[..n];
    same.copy_from_slice(input);
    (k.f_in_place)(same);
    for (i, (&a, &b)) in same.iter().zip(out.iter()).enumerate() {
        c.bits("in place == out of place", input[i], a, b);
    }
    for wide in [k.f_x8, k.f_x16] {
        c.is_ok(k.name, wide(input, same));
        for (i, (&a, &b)) in same.iter().zip(out.iter()).enumerate() {
            c.bits("generic f32x8/f32x16 == native", input[i], a, b);
        }
    }
}

/// Exact special values: each one alone (a length-1 slice: the padded tail
/// path) and all together in one slice (full vectors and a tail).
/// [`elementwise_random`] and [`elementwise_sweep`] of one kernel, into one
/// maximum-error record.
fn random_and_sweep(c: &mut Checker, k: &Elementwise, bound: f32, rng: &mut Rng) -> MaxErr {
    let mut stats = MaxErr::new(k.name, bound);
    elementwise_random(c, k, &mut stats, rng);
    elementwise_sweep(c, k, &mut stats, rng);
    stats
}

/// [`elementwise_specials`] for `cases` plus every NaN of [`NAN_BITS`], which
/// must come back with the same bits.
fn specials_with_nans(c: &mut Checker, k: &Elementwise, cases: &[(f32, f32)]) {
    let mut all = [(0.0f32, 0.0f32); 32];
    let mut n = 0;
    for &b in NAN_BITS.iter() {
        all[n] = (nan(b), nan(b));
        n += 1;
    }
    for &case in cases {
        all[n] = case;
        n += 1;
    }
    elementwise_specials(c, k, &all[..n]);
}

fn elementwise_specials(c: &mut Checker, k: &Elementwise, cases: &[(f32, f32)]) {
    let mut xs = [0.0f32; 64];
    let mut ys = [0.0f32; 64];
    let n = cases.len();
    for (i, &(x, want)) in cases.iter().enumerate() {
        let mut one = [0.0f32];
        c.is_ok(k.name, (k.f)(&[x], &mut one));
        c.bits(k.name, x, one[0], want);
        let mut one = [x];
        (k.f_in_place)(&mut one);
        c.bits(k.name, x, one[0], want);
        xs[i] = x;
    }
    c.is_ok(k.name, (k.f)(&xs[..n], &mut ys[..n]));
    for (i, &(x, want)) in cases.iter().enumerate() {
        c.bits(k.name, x, ys[i], want);
    }
    (k.f_in_place)(&mut xs[..n]);
    for (i, &(x, want)) in cases.iter().enumerate() {
        c.bits(k.name, x, xs[i], want);
    }
}

const LENGTHS: [usize; 20] = [
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 256, 513, 1024,
];

/// Passes over [`LENGTHS`] with random inputs, per elementwise kernel
/// (a quarter in the unoptimised `dev` profile, which is there for its
/// debug assertions and runs about 20 times slower under QEMU).
const RANDOM_PASSES: usize = if cfg!(debug_assertions) { 4 } else { 16 };
/// Inputs of the strided sweep over all 2^32 bit patterns, per elementwise
/// kernel (a quarter in `dev`, as above).
const SWEEP: u32 = if cfg!(debug_assertions) {
    1 << 16
} else {
    1 << 18
};

fn elementwise_random(c: &mut Checker, k: &Elementwise, stats: &mut MaxErr, rng: &mut Rng) {
    let mut input = [0.0f32; MAX_LEN];
    let rounds = LENGTHS.iter().cycle().take(LENGTHS.len() * RANDOM_PASSES);
    for (round, &n) in rounds.enumerate() {
        for (i, x) in input[..n].iter_mut().enumerate() {
            *x = match (round + i) % 5 {
                0 => rng.range(-4.0, 4.0),
                1 => rng.range(-20.0, 20.0),
                2 => rng.range(-120.0, 120.0),
                3 => rng.log_uniform(8),
                _ => rng.any_bits(),
            };
        }
        elementwise_block(c, k, stats, &input[..n]);
    }
}

/// Every `2^32 / SWEEP`-th bit pattern from a random start: all signs and
/// exponents, NaNs and infinities included, in blocks of `MAX_LEN`.
fn elementwise_sweep(c: &mut Checker, k: &Elementwise, stats: &mut MaxErr, rng: &mut Rng) {
    let stride = (1u64 << 32) / u64::from(SWEEP);
    let start = rng.next_u32() % stride as u32;
    let mut input = [0.0f32; MAX_LEN];
    let mut i = 0u32;
    while i < SWEEP {
        for x in input.iter_mut() {
            *x = f32::from_bits((u64::from(i) * stride) as u32 + start);
            i += 1;
        }
        elementwise_block(c, k, stats, &input);
    }
}

/// Outputs of a sorted sweep must not decrease.
fn monotone(c: &mut Checker, k: &Elementwise, lo: f32, hi: f32) {
    let mut x = [0.0f32; MAX_LEN];
    let mut y = [0.0f32; MAX_LEN];
    let step = (hi - lo) / MAX_LEN as f32;
    for (i, v) in x.iter_mut().enumerate() {
        *v = lo + step * i as f32;
    }
    c.is_ok(k.name, (k.f)(&x, &mut y));
    for i in 1..MAX_LEN {
        c.holds(
            k.name,
            x[i],
            y[i],
            y[i] >= y[i - 1],
            "a value >= the previous output (monotone)",
        );
    }
}

fn nan(bits: u32) -> f32 {
    f32::from_bits(bits)
}

/// NaN inputs with various payloads, signs, quiet and signalling.
const NAN_BITS: [u32; 6] = [
    0x7fc0_0000,
    0xffc0_0000,
    0x7fc1_2345,
    0xffc0_0001,
    0x7f80_0001,
    0xff81_2345,
];

fn sigmoid_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    let mut cases = [(0.0f32, 0.0f32); 32];
    let mut n = 0;
    let mut push = |x: f32, y: f32| {
        cases[n] = (x, y);
        n += 1;
    };
    for b in NAN_BITS {
        push(nan(b), nan(b));
    }
    push(f32::INFINITY, 1.0);
    push(f32::NEG_INFINITY, 0.0);
    push(0.0, 0.5);
    push(-0.0, 0.5);
    push(f32::from_bits(1), 0.5);
    push(20.0, 1.0);
    push(17.33, 1.0);
    push(1.0e30, 1.0);
    push(f32::MAX, 1.0);
    push(-104.0, 0.0);
    push(-1.0e30, 0.0);
    push(f32::MIN, 0.0);
    elementwise_specials(c, &SIGMOID, &cases[..n]);

    let mut stats = MaxErr::new("sigmoid", accuracy::SIGMOID);
    // The lower tail: subnormal results, not flushed.
    for x in [-100.0f32, -95.0, -90.0, -88.0, -87.5, -87.3, -103.0] {
        let mut y = [0.0f32];
        c.is_ok("sigmoid", activations::sigmoid(&[x], &mut y));
        let y = y[0];
        c.holds(
            "sigmoid tail",
            x,
            y,
            y > 0.0 && y < f32::MIN_POSITIVE || x > -87.4,
            "a positive subnormal",
        );
        c.ulp("sigmoid tail", x, y, sigmoid_ref(x), &mut stats);
    }
    // The upper tail reaches exactly 1.0 (and never above).
    for x in [5.0f32, 10.0, 16.0, 17.0, 17.3] {
        let mut y = [0.0f32];
        c.is_ok("sigmoid", activations::sigmoid(&[x], &mut y));
        c.holds("sigmoid upper tail", x, y[0], y[0] <= 1.0, "<= 1.0");
        c.ulp("sigmoid upper tail", x, y[0], sigmoid_ref(x), &mut stats);
    }
    elementwise_random(c, &SIGMOID, &mut stats, rng);
    elementwise_sweep(c, &SIGMOID, &mut stats, rng);
    monotone(c, &SIGMOID, -110.0, 30.0);
    monotone(c, &SIGMOID, -2.0, 2.0);
    stats
}

fn tanh_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    let mut cases = [(0.0f32, 0.0f32); 32];
    let mut n = 0;
    let mut push = |x: f32, y: f32| {
        cases[n] = (x, y);
        n += 1;
    };
    for b in NAN_BITS {
        push(nan(b), nan(b));
    }
    push(0.0, 0.0);
    push(-0.0, -0.0);
    push(f32::INFINITY, 1.0);
    push(f32::NEG_INFINITY, -1.0);
    for b in [
        0x0000_0001u32,
        0x8000_0001,
        0x0040_0000,
        0x8040_0000,
        0x807f_ffff,
    ] {
        push(f32::from_bits(b), f32::from_bits(b)); // subnormal x -> x
    }
    push(9.1, 1.0);
    push(-9.1, -1.0);
    push(20.0, 1.0);
    push(-20.0, -1.0);
    push(f32::MAX, 1.0);
    push(f32::MIN, -1.0);
    elementwise_specials(c, &TANH, &cases[..n]);

    let stats = random_and_sweep(c, &TANH, accuracy::TANH, rng);
    // Odd bit for bit.
    let mut x = [0.0f32; 256];
    let mut neg = [0.0f32; 256];
    for (a, b) in x.iter_mut().zip(neg.iter_mut()) {
        *a = rng.range(-12.0, 12.0);
        *b = -*a;
    }
    let (mut y, mut y_neg) = ([0.0f32; 256], [0.0f32; 256]);
    c.is_ok("tanh", activations::tanh(&x, &mut y));
    c.is_ok("tanh", activations::tanh(&neg, &mut y_neg));
    for i in 0..x.len() {
        c.bits("tanh odd", neg[i], y_neg[i], -y[i]);
    }
    monotone(c, &TANH, -10.0, 10.0);
    monotone(c, &TANH, -0.5, 0.5);
    stats
}

fn sigmoid_fast_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &SIGMOID_FAST,
        &[
            (0.0, 0.5),
            (-0.0, 0.5),
            (f32::from_bits(1), 0.5),
            (f32::INFINITY, 1.0),
            (f32::NEG_INFINITY, 0.0),
            (16.635_532, 1.0), // 24 ln 2: 1 + e^-x rounds to 1
            (f32::MAX, 1.0),
            (-104.0, 0.0),
            (-103.0, f32::from_bits(1)), // sigmoid's subnormal tail
            (f32::MIN, 0.0),
        ],
    );
    random_and_sweep(c, &SIGMOID_FAST, accuracy::SIGMOID_FAST, rng)
}

fn tanh_fast_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &TANH_FAST,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::from_bits(1), f32::from_bits(1)), // subnormal x -> x
            (f32::from_bits(0x807f_ffff), f32::from_bits(0x807f_ffff)),
            (f32::INFINITY, 1.0),
            (f32::NEG_INFINITY, -1.0),
            (9.1, 1.0),
            (-9.1, -1.0),
            (f32::MAX, 1.0),
            (f32::MIN, -1.0),
        ],
    );
    random_and_sweep(c, &TANH_FAST, accuracy::TANH_FAST, rng)
}

fn silu_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &SILU,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (20.5, 20.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (-120.0, -0.0),
        ],
    );

    let stats = random_and_sweep(c, &SILU, accuracy::SILU, rng);
    // Monotone where silu is: above its minimum at -1.2785.
    monotone(c, &SILU, -1.25, 25.0);
    stats
}

fn gelu_tanh_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &GELU_TANH,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (6.5, 6.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (-11.0, -0.0),
        ],
    );
    let stats = random_and_sweep(c, &GELU_TANH, accuracy::GELU_TANH, rng);
    // Monotone where it is: above its minimum at -0.7525.
    monotone(c, &GELU_TANH, -0.75, 8.0);
    stats
}

fn gelu_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &GELU,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (6.5, 6.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (-14.5, -0.0),
        ],
    );
    let stats = random_and_sweep(c, &GELU, accuracy::GELU, rng);
    // Monotone where it is: above its minimum at -0.7518.
    monotone(c, &GELU, -0.75, 8.0);
    stats
}

fn mish_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &MISH,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (9.5, 9.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, -0.0),
            (-120.0, -0.0),
        ],
    );
    let stats = random_and_sweep(c, &MISH, accuracy::MISH, rng);
    // Monotone where it is: above its minimum at -1.1924.
    monotone(c, &MISH, -1.19, 12.0);
    stats
}

fn softplus_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &SOFTPLUS,
        &[
            (0.0, core::f32::consts::LN_2),
            (-0.0, core::f32::consts::LN_2),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, 0.0),
            (16.5, 16.5),
            (f32::MAX, f32::MAX),
            (f32::MIN, 0.0),
            (-104.0, 0.0),
            (-103.0, f32::from_bits(1)),
        ],
    );
    let stats = random_and_sweep(c, &SOFTPLUS, accuracy::SOFTPLUS, rng);
    monotone(c, &SOFTPLUS, -110.0, 20.0);
    monotone(c, &SOFTPLUS, -2.0, 2.0);
    stats
}

fn elu_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    specials_with_nans(
        c,
        &ELU1,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -1.0),
            (-18.0, -1.0),
            (f32::MAX, f32::MAX),
            (f32::MIN, -1.0),
            (f32::from_bits(0x8000_0001), f32::from_bits(0x8000_0001)),
        ],
    );
    // A non-finite alpha is refused, and nothing is written.
    let mut y = [7.0f32; 4];
    c.ok(
        "elu NaN alpha refused",
        activations::elu(&[-1.0; 4], &mut y, f32::NAN)
            == Err(Error::InvalidParameter { name: "alpha" })
            && y == [7.0; 4],
    );

    let stats = random_and_sweep(c, &ELU1, accuracy::ELU, rng);
    monotone(c, &ELU1, -20.0, 5.0);
    monotone(c, &ELU1, -0.5, 0.5);
    stats
}

fn selu_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    let sa = (SELU_SCALE * SELU_ALPHA) as f32;
    specials_with_nans(
        c,
        &SELU,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -sa),
            (1.0, SELU_SCALE as f32),
            (f32::MAX, f32::INFINITY),
            (f32::MIN, -sa),
        ],
    );
    let stats = random_and_sweep(c, &SELU, accuracy::SELU, rng);
    monotone(c, &SELU, -20.0, 5.0);
    stats
}

fn hard_checks(c: &mut Checker, rng: &mut Rng) -> [MaxErr; 2] {
    specials_with_nans(
        c,
        &HARD_SIGMOID,
        &[
            (0.0, 0.5),
            (-0.0, 0.5),
            (f32::INFINITY, 1.0),
            (f32::NEG_INFINITY, 0.0),
            (3.0, 1.0),
            (-3.0, 0.0),
            (1.5, 0.75),
            (f32::MIN, 0.0),
        ],
    );
    let sig = random_and_sweep(c, &HARD_SIGMOID, accuracy::HARD_SIGMOID, rng);
    monotone(c, &HARD_SIGMOID, -4.0, 4.0);

    specials_with_nans(
        c,
        &HARD_SWISH,
        &[
            (0.0, 0.0),
            (-0.0, -0.0),
            (f32::INFINITY, f32::INFINITY),
            (f32::NEG_INFINITY, -0.0),
            (-3.0, -0.0),
            (-1.5, -0.375),
            (3.0, 3.0),
            (f32::MAX, f32::MAX),
            (f32::from_bits(1), 0.0),
        ],
    );
    let swish = random_and_sweep(c, &HARD_SWISH, accuracy::HARD_SWISH, rng);
    monotone(c, &HARD_SWISH, -1.5, 8.0);
    [sig, swish]
}

// --------------------------------------------------------------- ReLU

fn relu_model(x: f32) -> f32 {
    if x <= 0.0 {
        0.0
    } else {
        x
    }
}

fn leaky_model(x: f32, slope: f32) -> f32 {
    if x < 0.0 {
        x * slope
    } else {
        x
    }
}

fn relu_checks(c: &mut Checker, rng: &mut Rng) {
    // Specials.
    let mut xs = [0.0f32; 32];
    let mut n = 0;
    for b in NAN_BITS {
        xs[n] = nan(b);
        n += 1;
    }
    for x in [
        -0.0,
        0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -1.5,
        2.5,
        f32::from_bits(1),
        f32::from_bits(0x8000_0001),
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
    ] {
        xs[n] = x;
        n += 1;
    }
    let want = |x: f32| {
        if x.is_nan() {
            x
        } else if x.to_bits() & 0x8000_0000 != 0 {
            0.0 // every negative, -0.0 and -inf included, gives +0.0
        } else {
            x
        }
    };
    let mut y = [0.0f32; 32];
    c.is_ok("relu", activations::relu(&xs[..n], &mut y[..n]));
    for i in 0..n {
        c.bits("relu", xs[i], y[i], want(xs[i]));
    }
    let mut v = xs;
    activations::relu_in_place(&mut v[..n]);
    for i in 0..n {
        c.bits("relu_in_place", xs[i], v[i], want(xs[i]));
    }
    for slope in [0.01f32, 0.0, 0.2] {
        let lwant = |x: f32| {
            if x.is_nan() || x.to_bits() == 0x8000_0000 || x >= 0.0 {
                x // NaN and -0.0 pass through unchanged
            } else {
                x * slope
            }
        };
        c.is_ok(
            "leaky_relu",
            activations::leaky_relu(&xs[..n], &mut y[..n], slope),
        );
        for i in 0..n {
            c.bits("leaky_relu", xs[i], y[i], lwant(xs[i]));
        }
        let mut v = xs;
        activations::leaky_relu_in_place(&mut v[..n], slope);
        for i in 0..n {
            c.bits("leaky_relu_in_place", xs[i], v[i], lwant(xs[i]));
        }
    }
    let mut one = [0.0f32];
    c.is_ok(
        "leaky_relu",
        activations::leaky_relu(&[-2.0], &mut one, 0.01),
    );
    c.bits("leaky_relu", -2.0, one[0], -0.02);
    c.is_ok(
        "leaky_relu",
        activations::leaky_relu(&[f32::NEG_INFINITY], &mut one, 0.0),
    );
    c.holds(
        "leaky_relu(-inf, slope 0)",
        f32::NEG_INFINITY,
        one[0],
        one[0].is_nan(),
        "NaN",
    );

    // Random blocks, bit for bit against the scalar model.
    let mut input = [0.0f32; MAX_LEN];
    let mut out = [0.0f32; MAX_LEN];
    for (round, &n) in LENGTHS.iter().enumerate() {
        for (i, x) in input[..n].iter_mut().enumerate() {
            *x = if (round + i) % 2 == 0 {
                rng.range(-10.0, 10.0)
            } else {
                rng.any_bits()
            };
        }
        let x = &input[..n];
        c.is_ok("relu", activations::relu(x, &mut out[..n]));
        for i in 0..n {
            c.bits("relu", x[i], out[i], relu_model(x[i]));
        }
        let mut v = input;
        activations::relu_in_place(&mut v[..n]);
        for i in 0..n {
            c.bits("relu_in_place", x[i], v[i], relu_model(x[i]));
        }
        let slope = [0.01f32, 0.1, 0.3, -0.5, 1.0e-30, 3.0][round % 6];
        c.is_ok(
            "leaky_relu",
            activations::leaky_relu(x, &mut out[..n], slope),
        );
        for i in 0..n {
            c.bits("leaky_relu", x[i], out[i], leaky_model(x[i], slope));
        }
        let mut v = input;
        activations::leaky_relu_in_place(&mut v[..n], slope);
        for i in 0..n {
            c.bits("leaky_relu_in_place", x[i], v[i], leaky_model(x[i], slope));
        }
        let mut wide = [0.0f32; MAX_LEN];
        c.is_ok("relu", generic::relu::<f32x16>(x, &mut wide[..n]));
        for i in 0..n {
            c.bits(
                "generic relu f32x16 == native",
                x[i],
                wide[i],
                relu_model(x[i]),
            );
        }
    }
}

// ------------------------------------------------------------- softmax

/// Checks `y`, the softmax of `row`, against the f64 reference.
fn softmax_check_row(c: &mut Checker, what: &str, row: &[f32], y: &[f32], stats: &mut MaxErr) {
    let mut r = [0.0f64; MAX_LEN];
    match softmax_ref(row, &mut r) {
        RowRef::Nan => {
            for (&x, &v) in row.iter().zip(y) {
                c.bits(what, x, v, f32::NAN); // the canonical NaN
            }
        }
        RowRef::Masked => {
            for (&x, &v) in row.iter().zip(y) {
                c.bits(what, x, v, 0.0);
            }
        }
        RowRef::Values => {
            for (i, (&x, &v)) in row.iter().zip(y).enumerate() {
                c.ulp(what, x, v, r[i], stats);
            }
        }
    }
}

/// softmax and softmax_in_place of one row: within the bound of the
/// reference, and the two bit-identical.
fn softmax_row(c: &mut Checker, row: &[f32], stats: &mut MaxErr) {
    let n = row.len();
    let mut y = [0.0f32; MAX_LEN];
    c.is_ok("softmax", activations::softmax(row, &mut y[..n]));
    softmax_check_row(c, "softmax", row, &y[..n], stats);
    let mut v = [0.0f32; MAX_LEN];
    v[..n].copy_from_slice(row);
    activations::softmax_in_place(&mut v[..n]);
    for i in 0..n {
        c.bits("softmax_in_place == softmax", row[i], v[i], y[i]);
    }
}

fn softmax_exact(c: &mut Checker, what: &str, row: &[f32], want: &[f32]) {
    let n = row.len();
    let mut y = [0.0f32; 64];
    c.is_ok(what, activations::softmax(row, &mut y[..n]));
    for i in 0..n {
        c.bits(what, row[i], y[i], want[i]);
    }
    let mut v = [0.0f32; 64];
    v[..n].copy_from_slice(row);
    activations::softmax_in_place(&mut v[..n]);
    for i in 0..n {
        c.bits(what, row[i], v[i], want[i]);
    }
}

/// Passes over [`LENGTHS`] x spreads with random rows.
const SOFTMAX_PASSES: usize = 4;

fn softmax_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    let mut stats = MaxErr::new("softmax", accuracy::SOFTMAX);
    let ninf = f32::NEG_INFINITY;

    // Special rows, exact.
    for n in [1usize, 3, 4, 5, 9, 16, 17] {
        softmax_exact(c, "softmax masked row", &[ninf; 17][..n], &[0.0; 17][..n]);
    }
    let nan_row = [1.0, f32::NAN, 3.0, 4.0, 5.0];
    softmax_exact(c, "softmax NaN row", &nan_row, &[f32::NAN; 5]);
    let nan_row = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, nan(0xffc1_2345)];
    softmax_exact(c, "softmax NaN row", &nan_row, &[f32::NAN; 9]);
    softmax_exact(
        c,
        "softmax +inf row",
        &[0.0, f32::INFINITY, 1.0],
        &[f32::NAN; 3],
    );
    softmax_exact(
        c,
        "softmax -inf entries",
        &[ninf, 0.0, ninf],
        &[0.0, 1.0, 0.0],
    );
    for x in [
        123.0f32,
        0.0,
        -0.0,
        -1.0e30,
        f32::MAX,
        f32::MIN,
        f32::from_bits(1),
    ] {
        softmax_exact(c, "softmax length 1", &[x], &[1.0]);
    }
    softmax_exact(c, "softmax length 1", &[ninf], &[0.0]);
    softmax_exact(c, "softmax equal", &[7.0; 2], &[0.5; 2]);
    softmax_exact(c, "softmax equal", &[-3.0; 4], &[0.25; 4]);
    softmax_exact(c, "softmax equal", &[1.0e30; 16], &[0.0625; 16]);
    softmax_exact(c, "softmax equal", &[0.5; 32], &[0.03125; 32]);
    c.is_ok("softmax empty", activations::softmax(&[], &mut []));
    activations::softmax_in_place(&mut []);
    c.pass();

    // Fixed rows against the reference.
    softmax_row(c, &[1.0, 2.0, 3.0], &mut stats);
    softmax_row(c, &[0.0, -100.0, -200.0, 50.0, 49.0], &mut stats);
    softmax_row(
        c,
        &[0.0, -87.0, -95.0, -103.0, -104.0, -110.0, -150.0],
        &mut stats,
    );
    softmax_row(c, &[88.0, 87.9, -1.0e30, 88.0, ninf, 0.0], &mut stats);

    // Random rows: several lengths and spreads, some with -inf (masked) entries.
    let mut row = [0.0f32; MAX_LEN];
    let spreads = [1.0f32, 10.0, 40.0, 100.0, 1000.0];
    let rounds = LENGTHS.iter().cycle().take(LENGTHS.len() * SOFTMAX_PASSES);
    for (round, &n) in rounds.enumerate() {
        for (s, &spread) in spreads.iter().enumerate() {
            let masked = (round + s) % 3 == 0;
            for x in row[..n].iter_mut() {
                *x = if masked && rng.below(8) == 0 {
                    ninf
                } else {
                    rng.range(-spread, spread)
                };
            }
            softmax_row(c, &row[..n], &mut stats);
        }
    }

    // softmax_rows: each row of a batch equals softmax of that row, bit for bit.
    let mut batch = [0.0f32; MAX_LEN];
    let mut y = [0.0f32; MAX_LEN];
    let mut one = [0.0f32; MAX_LEN];
    for &(row_len, rows) in &[
        (1usize, 3usize),
        (2, 5),
        (3, 7),
        (4, 4),
        (5, 3),
        (8, 9),
        (13, 4),
        (64, 3),
        (250, 4),
    ] {
        let n = row_len * rows;
        for x in batch[..n].iter_mut() {
            *x = rng.range(-30.0, 30.0);
        }
        if rows > 2 {
            batch[row_len] = f32::NAN; // row 1 is all NaN
            batch[2 * row_len..3 * row_len].fill(ninf); // row 2 is masked
        }
        c.is_ok(
            "softmax_rows",
            activations::softmax_rows(&batch[..n], &mut y[..n], row_len),
        );
        let mut v = batch;
        c.is_ok(
            "softmax_rows_in_place",
            activations::softmax_rows_in_place(&mut v[..n], row_len),
        );
        for r in 0..rows {
            let span = r * row_len..(r + 1) * row_len;
            c.is_ok(
                "softmax",
                activations::softmax(&batch[span.clone()], &mut one[..row_len]),
            );
            for (i, j) in span.clone().enumerate() {
                c.bits("softmax_rows row == softmax", batch[j], y[j], one[i]);
                c.bits(
                    "softmax_rows_in_place row == softmax",
                    batch[j],
                    v[j],
                    one[i],
                );
            }
            softmax_check_row(
                c,
                "softmax_rows",
                &batch[span.clone()],
                &y[span],
                &mut stats,
            );
        }
    }
    let x = [0.0, 0.0, 5.0, ninf];
    let mut y4 = [9.0f32; 4];
    c.is_ok("softmax_rows", activations::softmax_rows(&x, &mut y4, 2));
    for i in 0..4 {
        c.bits("softmax_rows", x[i], y4[i], [0.5, 0.5, 1.0, 0.0][i]);
    }
    c.is_ok(
        "softmax_rows empty",
        activations::softmax_rows(&[], &mut [], 3),
    );
    c.is_ok(
        "softmax_rows_in_place empty",
        activations::softmax_rows_in_place(&mut [], 3),
    );
    stats
}

// --------------------------------------------------------- log_softmax

/// The smallest magnitude that rounds to infinity in f32: `2^128 - 2^103`.
const F32_OVERFLOW: f64 = 340_282_356_779_733_661_637_539_395_458_142_568_448.0;

/// The f64 log-softmax of a row: `x - M - log1p((K - 1) + T)`.
fn log_softmax_ref(row: &[f32], out: &mut [f64]) -> RowRef {
    if row.iter().any(|x| x.is_nan() || *x == f32::INFINITY) {
        return RowRef::Nan;
    }
    let m = row
        .iter()
        .fold(f32::NEG_INFINITY, |a, &b| if a < b { b } else { a });
    if m == f32::NEG_INFINITY {
        return RowRef::Masked;
    }
    let (mut k, mut t) = (0.0f64, 0.0f64);
    for &x in row {
        if x == m {
            k += 1.0;
        } else {
            t += libm::exp(f64::from(x) - f64::from(m));
        }
    }
    let l = libm::log1p((k - 1.0) + t);
    for (o, &x) in out.iter_mut().zip(row) {
        *o = (f64::from(x) - f64::from(m)) - l;
    }
    RowRef::Values
}

/// Checks `y`, the log-softmax of `row`, against the reference and the rules.
fn log_softmax_check_row(c: &mut Checker, what: &str, row: &[f32], y: &[f32], stats: &mut MaxErr) {
    let mut r = [0.0f64; MAX_LEN];
    match log_softmax_ref(row, &mut r) {
        RowRef::Nan => {
            for (&x, &v) in row.iter().zip(y) {
                c.bits(what, x, v, f32::NAN);
            }
        }
        RowRef::Masked => {
            for (&x, &v) in row.iter().zip(y) {
                c.bits(what, x, v, f32::NEG_INFINITY);
            }
        }
        RowRef::Values => {
            for (i, (&x, &v)) in row.iter().zip(y).enumerate() {
                // -inf entries, and x - max beyond the f32 range (at or
                // past 2^128 - 2^103 rounds to -inf): -inf exactly.
                if x == f32::NEG_INFINITY || r[i] <= -F32_OVERFLOW {
                    c.bits(what, x, v, f32::NEG_INFINITY);
                } else {
                    c.ulp(what, x, v, r[i], stats);
                }
            }
        }
    }
}

/// log_softmax and log_softmax_in_place of one row: within the bound, and
/// the two bit-identical.
fn log_softmax_row(c: &mut Checker, row: &[f32], stats: &mut MaxErr) {
    let n = row.len();
    let mut y = [0.0f32; MAX_LEN];
    c.is_ok("log_softmax", activations::log_softmax(row, &mut y[..n]));
    log_softmax_check_row(c, "log_softmax", row, &y[..n], stats);
    let mut v = [0.0f32; MAX_LEN];
    v[..n].copy_from_slice(row);
    activations::log_softmax_in_place(&mut v[..n]);
    for i in 0..n {
        c.bits("log_softmax_in_place == log_softmax", row[i], v[i], y[i]);
    }
}

fn log_softmax_checks(c: &mut Checker, rng: &mut Rng) -> MaxErr {
    let mut stats = MaxErr::new("log_softmax", accuracy::LOG_SOFTMAX);
    let ninf = f32::NEG_INFINITY;
    // Special rows, through the reference's rules (exact where it is exact).
    for n in [1usize, 3, 4, 5, 9, 16, 17] {
        log_softmax_row(c, &[ninf; 17][..n], &mut stats);
    }
    log_softmax_row(c, &[1.0, f32::NAN, 3.0, 4.0, 5.0], &mut stats);
    log_softmax_row(c, &[0.0, f32::INFINITY, 1.0], &mut stats);
    log_softmax_row(c, &[ninf, 0.0, ninf], &mut stats);
    for x in [
        123.0f32,
        0.0,
        -0.0,
        -1.0e30,
        f32::MAX,
        f32::MIN,
        f32::from_bits(1),
    ] {
        let mut y = [9.0f32];
        c.is_ok(
            "log_softmax length 1",
            activations::log_softmax(&[x], &mut y),
        );
        c.bits("log_softmax length 1", x, y[0], 0.0);
    }
    let mut y2 = [0.0f32; 2];
    c.is_ok("log_softmax", activations::log_softmax(&[7.0; 2], &mut y2));
    c.bits("log_softmax equal", 7.0, y2[0], -core::f32::consts::LN_2);
    c.is_ok("log_softmax empty", activations::log_softmax(&[], &mut []));
    activations::log_softmax_in_place(&mut []);
    // Fixed rows: tiny outputs of a dominant entry, overflowing x - max.
    log_softmax_row(c, &[1.0, 2.0, 3.0], &mut stats);
    log_softmax_row(c, &[0.0, -100.0, -200.0, 50.0, 49.0], &mut stats);
    log_softmax_row(
        c,
        &[0.0, -87.0, -95.0, -103.0, -104.0, -110.0, -150.0],
        &mut stats,
    );
    log_softmax_row(c, &[0.0, -90.0, -91.0, -92.5, -100.0], &mut stats);
    log_softmax_row(c, &[f32::MAX, f32::MIN, 0.0], &mut stats);
    // Random rows: lengths and spreads, some masked entries, some dominant.
    let mut row = [0.0f32; MAX_LEN];
    let spreads = [1.0f32, 10.0, 40.0, 100.0, 1000.0];
    let rounds = LENGTHS.iter().cycle().take(LENGTHS.len() * SOFTMAX_PASSES);
    for (round, &n) in rounds.enumerate() {
        for (s, &spread) in spreads.iter().enumerate() {
            let masked = (round + s) % 3 == 0;
            for x in row[..n].iter_mut() {
                *x = if masked && rng.below(8) == 0 {
                    ninf
                } else {
                    rng.range(-spread, spread)
                };
            }
            if (round + s) % 4 == 1 && n > 0 {
                // One entry far above the rest: tiny outputs.
                let gap = rng.range(20.0, 104.0);
                for x in row[..n].iter_mut() {
                    *x = -gap - rng.range(0.0, 2.0);
                }
                row[rng.below(n as u32) as usize] = 0.0;
            }
            log_softmax_row(c, &row[..n], &mut stats);
        }
    }
    // log_softmax_rows: each row equals log_softmax of that row, bit for bit.
    let mut batch = [0.0f32; MAX_LEN];
    let mut y = [0.0f32; MAX_LEN];
    let mut one = [0.0f32; MAX_LEN];
    for &(row_len, rows) in &[(1usize, 3usize), (3, 7), (5, 3), (8, 9), (13, 4), (250, 4)] {
        let n = row_len * rows;
        for x in batch[..n].iter_mut() {
            *x = rng.range(-30.0, 30.0);
        }
        if rows > 2 {
            batch[row_len] = f32::NAN;
            batch[2 * row_len..3 * row_len].fill(ninf);
        }
        c.is_ok(
            "log_softmax_rows",
            activations::log_softmax_rows(&batch[..n], &mut y[..n], row_len),
        );
        let mut v = batch;
        c.is_ok(
            "log_softmax_rows_in_place",
            activations::log_softmax_rows_in_place(&mut v[..n], row_len),
        );
        for r in 0..rows {
            let span = r * row_len..(r + 1) * row_len;
            c.is_ok(
                "log_softmax",
                activations::log_softmax(&batch[span.clone()], &mut one[..row_len]),
            );
            for (i, j) in span.clone().enumerate() {
                c.bits(
                    "log_softmax_rows row == log_softmax",
                    batch[j],
                    y[j],
                    one[i],
                );
                c.bits("log_softmax_rows_in_place row", batch[j], v[j], one[i]);
            }
            log_softmax_check_row(
                c,
                "log_softmax_rows",
                &batch[span.clone()],
                &y[span],
                &mut stats,
            );
        }
    }
    c.is_err(
        "log_softmax length",
        activations::log_softmax(&[1.0; 3], &mut [0.0; 2]),
        Error::LengthMismatch {
            input: 3,
            output: 2,
        },
    );
    c.is_err(
        "log_softmax_rows row_len",
        activations::log_softmax_rows_in_place(&mut [0.0; 6], 4),
        Error::InvalidRowLength { len: 6, row_len: 4 },
    );
    stats
}

// ------------------------------------------- softmax / log_softmax backward

/// Compensated f64 sum (the products of f32 pairs are exact in f64).
fn sum_compensated(terms: impl Iterator<Item = f64>) -> f64 {
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

/// Checks a softmax (`log = false`) or log-softmax backward result `d` of
/// one row against `B ulp + A scale + 2^-147`; returns the ULP part needed.
fn row_backward_check(
    c: &mut Checker,
    what: &str,
    log: bool,
    y: &[f32],
    g: &[f32],
    d: &[f32],
    stats: &mut MaxErr,
) {
    let (abs, tiny) = if log {
        (
            accuracy::LOG_SOFTMAX_BACKWARD_ABS,
            accuracy::SOFTMAX_BACKWARD_TINY,
        )
    } else {
        (
            accuracy::SOFTMAX_BACKWARD_ABS,
            accuracy::SOFTMAX_BACKWARD_TINY,
        )
    };
    let (s, sa) = if log {
        (
            sum_compensated(g.iter().map(|&g| f64::from(g))),
            g.iter().map(|&g| f64::from(g).abs()).sum::<f64>(),
        )
    } else {
        (
            sum_compensated(y.iter().zip(g).map(|(&y, &g)| f64::from(y) * f64::from(g))),
            y.iter()
                .zip(g)
                .map(|(&y, &g)| (f64::from(y) * f64::from(g)).abs())
                .sum::<f64>(),
        )
    };
    for i in 0..y.len() {
        let (yi, gi) = (f64::from(y[i]), f64::from(g[i]));
        let (r, scale) = if log {
            (gi - libm::exp(yi) * s, libm::exp(yi) * sa)
        } else {
            (yi * (gi - s), yi.abs() * sa)
        };
        // Softmax: each underflowing product of the dot product adds 2^-149.
        let tiny = if log {
            tiny
        } else {
            tiny * (1.0 + y.len() as f64 * yi.abs())
        };
        let err = (f64::from(d[i]) - r).abs() - abs * scale - tiny;
        let need = if err <= 0.0 { 0.0 } else { err / ulp_f32_at(r) };
        stats.count += 1;
        if need > stats.max {
            stats.max = need;
            stats.worst_x = y[i];
        }
        c.holds(
            what,
            y[i],
            d[i],
            need <= f64::from(stats.bound),
            "within the bound (accuracy::SOFTMAX_BACKWARD_TINY)",
        );
    }
}

fn softmax_backward_checks(c: &mut Checker, rng: &mut Rng) -> [MaxErr; 2] {
    let mut out = [
        MaxErr::new("softmax_backward (ULP part)", accuracy::SOFTMAX_BACKWARD),
        MaxErr::new(
            "log_softmax_backward (ULP part)",
            accuracy::LOG_SOFTMAX_BACKWARD,
        ),
    ];
    let mut x = [0.0f32; MAX_LEN];
    let mut y = [0.0f32; MAX_LEN];
    let mut g = [0.0f32; MAX_LEN];
    let mut d = [0.0f32; MAX_LEN];
    let mut e = [0.0f32; MAX_LEN];
    for (k, stats) in out.iter_mut().enumerate() {
        let log = k == 1;
        let (f, f_in, f_rows): (
            fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>,
            fn(&[f32], &mut [f32]) -> Result<(), Error>,
            fn(&[f32], &[f32], &mut [f32], usize) -> Result<(), Error>,
        ) = if log {
            (
                activations::log_softmax_backward,
                activations::log_softmax_backward_in_place,
                activations::log_softmax_backward_rows,
            )
        } else {
            (
                activations::softmax_backward,
                activations::softmax_backward_in_place,
                activations::softmax_backward_rows,
            )
        };
        let name = if log {
            "log_softmax_backward"
        } else {
            "softmax_backward"
        };
        for (round, &n) in LENGTHS
            .iter()
            .cycle()
            .take(LENGTHS.len() * SOFTMAX_PASSES)
            .enumerate()
        {
            let spread = [1.0f32, 10.0, 100.0][round % 3];
            for v in x[..n].iter_mut() {
                *v = rng.range(-spread, spread);
            }
            if log {
                c.is_ok(name, activations::log_softmax(&x[..n], &mut y[..n]));
            } else {
                c.is_ok(name, activations::softmax(&x[..n], &mut y[..n]));
            }
            let base = rng.range(-3.0, 3.0);
            for v in g[..n].iter_mut() {
                *v = match round % 4 {
                    0 => rng.range(-1.0, 1.0),
                    1 => base + rng.range(-1e-4, 1e-4), // cancelling
                    2 => base,
                    _ => rng.range(-1e4, 1e4),
                };
            }
            c.is_ok(name, f(&y[..n], &g[..n], &mut d[..n]));
            row_backward_check(c, name, log, &y[..n], &g[..n], &d[..n], stats);
            e[..n].copy_from_slice(&g[..n]);
            c.is_ok(name, f_in(&y[..n], &mut e[..n]));
            for i in 0..n {
                c.bits("backward in place == out of place", y[i], e[i], d[i]);
            }
        }
        // Rows of a batch equal single rows; a NaN gradient makes its row NaN.
        let (row_len, rows) = (7usize, 5usize);
        let n = row_len * rows;
        for v in y[..n].iter_mut() {
            *v = rng.range(-3.0, 0.0);
        }
        for v in g[..n].iter_mut() {
            *v = rng.range(-1.0, 1.0);
        }
        g[row_len] = f32::NAN;
        c.is_ok(name, f_rows(&y[..n], &g[..n], &mut d[..n], row_len));
        for r in 0..rows {
            let span = r * row_len..(r + 1) * row_len;
            c.is_ok(
                name,
                f(&y[span.clone()], &g[span.clone()], &mut e[..row_len]),
            );
            for (i, j) in span.enumerate() {
                c.bits("backward rows row == single row", y[j], d[j], e[i]);
                if r == 1 {
                    c.bits("backward NaN-gradient row", y[j], d[j], f32::NAN);
                }
            }
        }
        c.is_err(
            name,
            f(&y[..4], &g[..3], &mut d[..4]),
            Error::LengthMismatch {
                input: 4,
                output: 3,
            },
        );
        c.is_err(
            name,
            f_rows(&y[..6], &g[..6], &mut d[..6], 4),
            Error::InvalidRowLength { len: 6, row_len: 4 },
        );
        c.is_ok(name, f(&[], &[], &mut []));
    }
    out
}

// ------------------------------------------------------- backward kernels

type Backward = fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>;
type BackwardInPlace = fn(&[f32], &mut [f32]) -> Result<(), Error>;

struct BackwardKernel {
    name: &'static str,
    f: Backward,
    f_in_place: BackwardInPlace,
    f_x8: Backward,
    f_x16: Backward,
    /// `d(y)` in f64, `+0` at its zeros.
    derivative: fn(f64) -> f64,
    /// The formula in plain f32, for `|y| >= 2^24`.
    plain: fn(f32, f32) -> f32,
}

const SIGMOID_BACKWARD: BackwardKernel = BackwardKernel {
    name: "sigmoid_backward",
    f: activations::sigmoid_backward,
    f_in_place: activations::sigmoid_backward_in_place,
    f_x8: generic::sigmoid_backward::<f32x8>,
    f_x16: generic::sigmoid_backward::<f32x16>,
    derivative: |y| y * (1.0 - y) + 0.0,
    plain: |y, g| g * (y * (1.0 - y)),
};

const TANH_BACKWARD: BackwardKernel = BackwardKernel {
    name: "tanh_backward",
    f: activations::tanh_backward,
    f_in_place: activations::tanh_backward_in_place,
    f_x8: generic::tanh_backward::<f32x8>,
    f_x16: generic::tanh_backward::<f32x16>,
    derivative: |y| (1.0 - y * y) + 0.0,
    plain: |y, g| g * (1.0 - y * y),
};

/// What `k` must give for `(y, g)`: `Ok(bits)` when exact, `Err(reference)`
/// when within the bound of the reference.
fn backward_want(k: &BackwardKernel, y: f32, g: f32) -> Result<f32, f64> {
    if y.is_nan() {
        return Ok(y);
    }
    if g.is_nan() {
        return Ok(g);
    }
    if libm::fabsf(y) >= 16_777_216.0 {
        let p = (k.plain)(y, g);
        return Ok(if p.is_nan() { f32::NAN } else { p });
    }
    let d = (k.derivative)(f64::from(y));
    if g.is_infinite() {
        return Ok(if d == 0.0 {
            f32::NAN
        } else if (g > 0.0) == (d > 0.0) {
            f32::INFINITY
        } else {
            f32::NEG_INFINITY
        });
    }
    let r = f64::from(g) * d;
    if r == 0.0 {
        // The sign of g × d, d = +0 at its zeros.
        let neg = g.is_sign_negative() != d.is_sign_negative();
        return Ok(if neg { -0.0 } else { 0.0 });
    }
    // At or past the overflow threshold 2^128 - 2^103: the infinity.
    if libm::fabs(r) >= 340_282_356_779_733_661_637_539_395_458_142_568_448.0 {
        return Ok(if r > 0.0 {
            f32::INFINITY
        } else {
            f32::NEG_INFINITY
        });
    }
    Err(r)
}

fn backward_block(c: &mut Checker, k: &BackwardKernel, stats: &mut MaxErr, y: &[f32], g: &[f32]) {
    let n = y.len();
    let mut out = [0.0f32; MAX_LEN];
    let out = &mut out[..n];
    c.is_ok(k.name, (k.f)(y, g, out));
    for i in 0..n {
        match backward_want(k, y[i], g[i]) {
            Ok(want) => c.bits(k.name, y[i], out[i], want),
            Err(r) => c.ulp(k.name, y[i], out[i], r, stats),
        }
    }
    let mut same = [0.0f32; MAX_LEN];
    let same = &mut same[..n];
    same.copy_from_slice(g);
    c.is_ok(k.name, (k.f_in_place)(y, same));
    for i in 0..n {
        c.bits("backward in place == out of place", y[i], same[i], out[i]);
    }
    for wide in [k.f_x8, k.f_x16] {
        c.is_ok(k.name, wide(y, g, same));
        for i in 0..n {
            c.bits(
                "generic backward f32x8/f32x16 == native",
                y[i],
                same[i],
                out[i],
            );
        }
    }
}

fn backward_checks(c: &mut Checker, rng: &mut Rng) -> [MaxErr; 2] {
    let mut stats = [
        MaxErr::new("sigmoid_backward", accuracy::SIGMOID_BACKWARD),
        MaxErr::new("tanh_backward", accuracy::TANH_BACKWARD),
    ];
    // Specials: each forward value with each gradient.
    let ys = [
        0.0f32,
        -0.0,
        0.5,
        1.0,
        -1.0,
        2.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        16_777_216.0,
        f32::from_bits(1),
        nan(0x7fc1_2345),
    ];
    let gs = [
        1.0f32,
        -3.0,
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::from_bits(3),
        f32::MAX,
        nan(0xffc0_0001),
    ];
    let mut y = [0.0f32; 99];
    let mut g = [0.0f32; 99];
    let mut n = 0;
    for &a in &ys {
        for &b in &gs {
            y[n] = a;
            g[n] = b;
            n += 1;
        }
    }
    for (k, s) in [&SIGMOID_BACKWARD, &TANH_BACKWARD]
        .into_iter()
        .zip(stats.iter_mut())
    {
        backward_block(c, k, s, &y[..n], &g[..n]);
    }
    // Random blocks of every length: forward values in range, near the
    // ends, any bits; gradients ordinary, subnormal-producing, any bits.
    let mut y = [0.0f32; MAX_LEN];
    let mut g = [0.0f32; MAX_LEN];
    let rounds = LENGTHS.iter().cycle().take(LENGTHS.len() * RANDOM_PASSES);
    for (round, &n) in rounds.enumerate() {
        for i in 0..n {
            y[i] = match (round + i) % 5 {
                0 => rng.range(0.0, 1.0),
                1 => rng.range(-1.0, 1.0),
                2 => 1.0 - rng.range(0.0, 1.0e-4),
                3 => rng.log_uniform(8),
                _ => rng.any_bits(),
            };
            g[i] = match (round + 2 * i) % 4 {
                0 => 1.0,
                1 => rng.range(-10.0, 10.0),
                2 => f32::from_bits((rng.next_u32() & 0x80ff_ffff) | 0x0080_0000),
                _ => rng.any_bits(),
            };
        }
        for (k, s) in [&SIGMOID_BACKWARD, &TANH_BACKWARD]
            .into_iter()
            .zip(stats.iter_mut())
        {
            backward_block(c, k, s, &y[..n], &g[..n]);
        }
    }
    // ReLU and leaky ReLU backward: bit for bit against the model.
    for (round, &n) in LENGTHS.iter().enumerate() {
        for i in 0..n {
            y[i] = if (round + i) % 2 == 0 {
                rng.range(-10.0, 10.0)
            } else {
                rng.any_bits()
            };
            g[i] = if i % 3 == 0 {
                rng.any_bits()
            } else {
                rng.range(-5.0, 5.0)
            };
        }
        if n > 3 {
            y[0] = 0.0;
            y[1] = -0.0;
            y[2] = nan(0x7fc0_0bad);
        }
        let (x, gr) = (&y[..n], &g[..n]);
        let mut out = [0.0f32; MAX_LEN];
        c.is_ok(
            "relu_backward",
            activations::relu_backward(x, gr, &mut out[..n]),
        );
        for i in 0..n {
            let want = if x[i].is_nan() {
                x[i]
            } else if x[i] > 0.0 {
                gr[i]
            } else {
                0.0
            };
            c.bits("relu_backward", x[i], out[i], want);
        }
        let mut v = g;
        c.is_ok(
            "relu_backward_in_place",
            activations::relu_backward_in_place(x, &mut v[..n]),
        );
        for i in 0..n {
            c.bits("relu_backward_in_place", x[i], v[i], out[i]);
        }
        let slope = [0.01f32, 0.1, 0.3, -0.5, 0.0, 3.0][round % 6];
        c.is_ok(
            "leaky_relu_backward",
            activations::leaky_relu_backward(x, gr, &mut out[..n], slope),
        );
        for i in 0..n {
            let p = gr[i] * slope;
            let want = if x[i].is_nan() {
                x[i]
            } else if gr[i].is_nan() || x[i] > 0.0 {
                gr[i]
            } else if p.is_nan() {
                f32::NAN
            } else {
                p
            };
            c.bits("leaky_relu_backward", x[i], out[i], want);
        }
        let mut v = g;
        c.is_ok(
            "leaky_relu_backward_in_place",
            activations::leaky_relu_backward_in_place(x, &mut v[..n], slope),
        );
        for i in 0..n {
            c.bits("leaky_relu_backward_in_place", x[i], v[i], out[i]);
        }
    }
    // Length mismatches: Err and nothing written.
    let x = [0.5f32; 4];
    let sentinel = f32::from_bits(0x7f80_4321);
    let mut o = [sentinel; 5];
    let mismatch = |output: usize| Error::LengthMismatch { input: 4, output };
    c.is_err(
        "sigmoid_backward gradient length",
        activations::sigmoid_backward(&x, &x[..3], &mut o[..4]),
        mismatch(3),
    );
    c.is_err(
        "tanh_backward output length",
        activations::tanh_backward(&x, &x, &mut o[..5]),
        mismatch(5),
    );
    c.is_err(
        "relu_backward_in_place length",
        activations::relu_backward_in_place(&x, &mut o[..3]),
        mismatch(3),
    );
    c.is_err(
        "leaky_relu_backward length",
        activations::leaky_relu_backward(&x, &x, &mut o[..2], 0.1),
        mismatch(2),
    );
    c.ok(
        "nothing written on Err",
        o.iter().all(|v| v.to_bits() == sentinel.to_bits()),
    );
    stats
}

// -------------------------------------------------------------- errors

fn error_checks(c: &mut Checker) {
    let x = [1.0f32, -2.0, 3.0, f32::NAN];
    let sentinel = f32::from_bits(0x7f80_1234);
    let untouched = |y: &[f32]| y.iter().all(|v| v.to_bits() == sentinel.to_bits());
    let mismatch = |output: usize| Error::LengthMismatch { input: 4, output };
    for len in [3usize, 5] {
        let mut y = [sentinel; 5];
        let y = &mut y[..len];
        c.is_err("sigmoid length", activations::sigmoid(&x, y), mismatch(len));
        c.is_err("tanh length", activations::tanh(&x, y), mismatch(len));
        c.is_err("relu length", activations::relu(&x, y), mismatch(len));
        c.is_err(
            "leaky_relu length",
            activations::leaky_relu(&x, y, 0.1),
            mismatch(len),
        );
        c.is_err("softmax length", activations::softmax(&x, y), mismatch(len));
        c.is_err(
            "softmax_rows length",
            activations::softmax_rows(&x, y, 2),
            mismatch(len),
        );
        c.ok("nothing written on Err", untouched(y));
    }
    let mut y = [sentinel; 4];
    for row_len in [0usize, 3, 5] {
        let want = Error::InvalidRowLength { len: 4, row_len };
        c.is_err(
            "softmax_rows row_len",
            activations::softmax_rows(&x, &mut y, row_len),
            want,
        );
        c.ok("nothing written on Err", untouched(&y));
        let mut v = x;
        c.is_err(
            "softmax_rows_in_place row_len",
            activations::softmax_rows_in_place(&mut v, row_len),
            want,
        );
        c.ok(
            "nothing written on Err",
            v.iter().zip(&x).all(|(a, b)| a.to_bits() == b.to_bits()),
        );
    }
    let want = Error::InvalidRowLength { len: 0, row_len: 0 };
    c.is_err(
        "softmax_rows row_len 0, empty",
        activations::softmax_rows(&[], &mut [], 0),
        want,
    );
}

// ------------------------------------- backward kernels taking the input

/// A backward kernel whose first argument is the forward input `x`
/// (silu, softplus, ...): exact rules at the specials, the f64 reference
/// elsewhere.
struct InputBackward {
    name: &'static str,
    f: Backward,
    f_in_place: BackwardInPlace,
    f_x8: Backward,
    f_x16: Backward,
    /// `g f'(x)` in f64 (finite `x`).
    reference: fn(f32, f32) -> f64,
    /// Above this (and at `+inf`) the result is `g` bit for bit.
    x_one: f32,
}

/// SiLU's zero of `1 + x + e^x` as an f64 pair.
const SILU_X0: (f64, f64) = (-1.278_464_542_761_073_7, -1.094_699_418_309_343_7e-16);

/// `g silu'(x)`: `(1 + E(1 + x)) / (1 + E)^2` for `x >= 0`, else
/// `E (t + e^x0 expm1(t)) / (1 + E)^2`, `t = x - x0` (no cancellation at x0).
fn silu_backward_ref(x: f32, g: f32) -> f64 {
    let v = f64::from(x);
    let d = if v >= 0.0 {
        let e = libm::exp(-v);
        (1.0 + e * (1.0 + v)) / ((1.0 + e) * (1.0 + e))
    } else {
        let e = libm::exp(v);
        let t = (v - SILU_X0.0) - SILU_X0.1;
        let e0 = -(1.0 + SILU_X0.0) - SILU_X0.1;
        e * (t + e0 * libm::expm1(t)) / ((1.0 + e) * (1.0 + e))
    };
    f64::from(g) * d
}

fn softplus_backward_ref(x: f32, g: f32) -> f64 {
    f64::from(g) * sigmoid_f64(f64::from(x))
}

const SILU_BACKWARD: InputBackward = InputBackward {
    name: "silu_backward",
    f: activations::silu_backward,
    f_in_place: activations::silu_backward_in_place,
    f_x8: generic::silu_backward::<f32x8>,
    f_x16: generic::silu_backward::<f32x16>,
    reference: silu_backward_ref,
    x_one: 24.0,
};

const SOFTPLUS_BACKWARD: InputBackward = InputBackward {
    name: "softplus_backward",
    f: activations::softplus_backward,
    f_in_place: activations::softplus_backward_in_place,
    f_x8: generic::softplus_backward::<f32x8>,
    f_x16: generic::softplus_backward::<f32x16>,
    reference: softplus_backward_ref,
    x_one: 20.0,
};

fn elu1_backward_ref(x: f32, g: f32) -> f64 {
    f64::from(g) * libm::exp(f64::from(x))
}

fn selu_backward_ref(x: f32, g: f32) -> f64 {
    let gd = f64::from(g);
    if x > 0.0 {
        gd * SELU_SCALE
    } else {
        gd * SELU_SCALE * SELU_ALPHA * libm::exp(f64::from(x))
    }
}

/// GELU's (tanh form) zero of `1 + e^u + x u'` as an f64 pair.
const GELU_X1: (f64, f64) = (-0.752_461_422_071_016_3, 3.635_560_509_207_687e-17);

/// `g gelu_tanh'(x)`; for `x < 0`, `S = 1 + v + E` as
/// `(v - v(x1)) + e^u(x1) expm1(u - u(x1))` (no cancellation at x1).
fn gelu_tanh_backward_ref(x: f32, g: f32) -> f64 {
    let a = 2.0 * libm::sqrt(2.0 / core::f64::consts::PI);
    let b = 0.044715 * a;
    let v = f64::from(x);
    let d = if v >= 0.0 {
        let e = libm::exp(-(v * (a + b * v * v)));
        let vp = v * (a + 3.0 * b * v * v);
        (1.0 + e * (1.0 + vp)) / ((1.0 + e) * (1.0 + e))
    } else {
        let e = libm::exp(v * (a + b * v * v));
        let x1 = GELU_X1.0;
        let t = (v - x1) - GELU_X1.1;
        let q = v * v + v * x1 + x1 * x1;
        let dv = t * (a + 3.0 * b * q);
        let du = t * (a + b * q);
        let e1 = -(1.0 + x1 * (a + 3.0 * b * x1 * x1));
        e * (dv + e1 * libm::expm1(du)) / ((1.0 + e) * (1.0 + e))
    };
    f64::from(g) * d
}

/// GELU's (exact form) zero of `Φ(x) + x φ(x)` as an f64 pair.
const GELU_X0: (f64, f64) = (-0.751_791_524_693_564_5, 1.495_675_917_700_988_3e-17);

/// `g (Φ(x) + x φ(x))` in f64; within 0.25 of the zero `x0` the Taylor
/// series there (`gelu^(k+1) = φ P_k`, `P_1 = 2 - x²`,
/// `P_(k+1) = P_k' - x P_k`), a product by `x - x0` (no cancellation).
fn gelu_backward_ref(x: f32, g: f32) -> f64 {
    let v = f64::from(x);
    let phi = |s: f64| libm::exp(-0.5 * s * s) / libm::sqrt(2.0 * core::f64::consts::PI);
    let dt = (v - GELU_X0.0) - GELU_X0.1;
    let d = if libm::fabs(dt) <= 0.25 {
        let x0 = GELU_X0.0;
        let mut p = [0.0f64; 21];
        p[0] = 2.0;
        p[2] = -1.0;
        let (mut sum, mut power, mut factorial) = (0.0, dt, 1.0);
        for k in 1..=18 {
            let at_x0 = p.iter().rev().fold(0.0, |acc, &c| acc * x0 + c);
            factorial *= k as f64;
            sum += at_x0 / factorial * power;
            power *= dt;
            let mut next = [0.0f64; 21];
            for i in 0..20 {
                next[i] = p[i + 1] * (i + 1) as f64 - if i > 0 { p[i - 1] } else { 0.0 };
            }
            p = next;
        }
        phi(x0) * sum
    } else {
        let t = libm::fabs(v);
        let q = 0.5 * libm::erfc(t * core::f64::consts::FRAC_1_SQRT_2);
        if v < 0.0 {
            -(t * phi(t) - q)
        } else {
            (1.0 - q) + t * phi(t)
        }
    };
    f64::from(g) * d
}

const GELU_BACKWARD: InputBackward = InputBackward {
    name: "gelu_backward",
    f: activations::gelu_backward,
    f_in_place: activations::gelu_backward_in_place,
    f_x8: generic::gelu_backward::<f32x8>,
    f_x16: generic::gelu_backward::<f32x16>,
    reference: gelu_backward_ref,
    x_one: 6.5,
};

const ELU1_BACKWARD: InputBackward = InputBackward {
    name: "elu_backward(1)",
    f: |x, g, o| activations::elu_backward(x, g, o, 1.0),
    f_in_place: |x, g| activations::elu_backward_in_place(x, g, 1.0),
    f_x8: |x, g, o| generic::elu_backward::<f32x8>(x, g, o, 1.0),
    f_x16: |x, g, o| generic::elu_backward::<f32x16>(x, g, o, 1.0),
    reference: elu1_backward_ref,
    x_one: 0.0,
};

const SELU_BACKWARD: InputBackward = InputBackward {
    name: "selu_backward",
    f: activations::selu_backward,
    f_in_place: activations::selu_backward_in_place,
    f_x8: generic::selu_backward::<f32x8>,
    f_x16: generic::selu_backward::<f32x16>,
    reference: selu_backward_ref,
    x_one: f32::INFINITY,
};

const GELU_TANH_BACKWARD: InputBackward = InputBackward {
    name: "gelu_tanh_backward",
    f: activations::gelu_tanh_backward,
    f_in_place: activations::gelu_tanh_backward_in_place,
    f_x8: generic::gelu_tanh_backward::<f32x8>,
    f_x16: generic::gelu_tanh_backward::<f32x16>,
    reference: gelu_tanh_backward_ref,
    x_one: 6.0,
};

/// What `k` must give for `(x, g)`: `Ok(bits)` when exact, `Err(reference)`
/// when within the bound of the reference.
fn input_backward_want(k: &InputBackward, x: f32, g: f32) -> Result<f32, f64> {
    if x.is_nan() {
        return Ok(x);
    }
    if g.is_nan() {
        return Ok(g);
    }
    if x > k.x_one {
        return Ok(g);
    }
    if x == f32::NEG_INFINITY {
        let p = g * 0.0;
        return Ok(if p.is_nan() { f32::NAN } else { p });
    }
    // The sign of f'(x) (nonzero at every finite x; an f64 zero in the far
    // tail keeps it).
    let d_neg = (k.reference)(x, 1.0).is_sign_negative();
    if g.is_infinite() {
        return Ok(if g.is_sign_negative() != d_neg {
            f32::NEG_INFINITY
        } else {
            f32::INFINITY
        });
    }
    let r = (k.reference)(x, g);
    if r == 0.0 {
        return Ok(if g.is_sign_negative() != d_neg {
            -0.0
        } else {
            0.0
        });
    }
    if libm::fabs(r) >= 340_282_356_779_733_661_637_539_395_458_142_568_448.0 {
        return Ok(if r > 0.0 {
            f32::INFINITY
        } else {
            f32::NEG_INFINITY
        });
    }
    Err(r)
}

fn input_backward_block(
    c: &mut Checker,
    k: &InputBackward,
    stats: &mut MaxErr,
    x: &[f32],
    g: &[f32],
) {
    let n = x.len();
    let mut out = [0.0f32; MAX_LEN];
    let out = &mut out[..n];
    c.is_ok(k.name, (k.f)(x, g, out));
    for i in 0..n {
        match input_backward_want(k, x[i], g[i]) {
            Ok(want) => c.bits(k.name, x[i], out[i], want),
            Err(r) => c.ulp(k.name, x[i], out[i], r, stats),
        }
    }
    let mut same = [0.0f32; MAX_LEN];
    let same = &mut same[..n];
    same.copy_from_slice(g);
    c.is_ok(k.name, (k.f_in_place)(x, same));
    for i in 0..n {
        c.bits("backward in place == out of place", x[i], same[i], out[i]);
    }
    for wide in [k.f_x8, k.f_x16] {
        c.is_ok(k.name, wide(x, g, same));
        for i in 0..n {
            c.bits(
                "generic backward f32x8/f32x16 == native",
                x[i],
                same[i],
                out[i],
            );
        }
    }
}

/// The backward kernels that take the input: specials × specials, then
/// random blocks of every length (x in the working range, near SiLU's zero,
/// in the deep tail; gradients ordinary, huge, subnormal-producing, any).
fn input_backward_checks(c: &mut Checker, rng: &mut Rng) -> [MaxErr; 6] {
    let kernels = [
        &SILU_BACKWARD,
        &SOFTPLUS_BACKWARD,
        &ELU1_BACKWARD,
        &SELU_BACKWARD,
        &GELU_TANH_BACKWARD,
        &GELU_BACKWARD,
    ];
    let mut stats = [
        MaxErr::new("silu_backward", accuracy::SILU_BACKWARD),
        MaxErr::new("softplus_backward", accuracy::SOFTPLUS_BACKWARD),
        MaxErr::new("elu_backward(1)", accuracy::ELU_BACKWARD),
        MaxErr::new("selu_backward", accuracy::SELU_BACKWARD),
        MaxErr::new("gelu_tanh_backward", accuracy::GELU_TANH_BACKWARD),
        MaxErr::new("gelu_backward", accuracy::GELU_BACKWARD),
    ];
    let xs = [
        0.0f32,
        -0.0,
        1.0,
        -1.278_464_5,
        -0.752_461_4,
        -0.751_791_5,
        -9.5,
        -2.0,
        24.5,
        -150.0,
        -300.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::from_bits(1),
        nan(0x7fc1_2345),
    ];
    let gs = [
        1.0f32,
        -3.0,
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::from_bits(3),
        f32::MAX,
        nan(0xffc0_0001),
    ];
    let mut x = [0.0f32; 135];
    let mut g = [0.0f32; 135];
    let mut n = 0;
    for &a in &xs {
        for &b in &gs {
            x[n] = a;
            g[n] = b;
            n += 1;
        }
    }
    for (k, s) in kernels.into_iter().zip(stats.iter_mut()) {
        input_backward_block(c, k, s, &x[..n], &g[..n]);
    }
    let mut x = [0.0f32; MAX_LEN];
    let mut g = [0.0f32; MAX_LEN];
    // (One pass in the dev profile: five kernels of pair arithmetic,
    // unoptimised, under QEMU's 120 s timeout on a loaded machine.)
    let passes = if cfg!(debug_assertions) {
        1
    } else {
        RANDOM_PASSES
    };
    let rounds = LENGTHS.iter().cycle().take(LENGTHS.len() * passes);
    for (round, &n) in rounds.enumerate() {
        for i in 0..n {
            x[i] = match (round + i) % 5 {
                0 => rng.range(-30.0, 30.0),
                1 => [-1.278_464_5, -0.752_461_4, -0.751_791_5][i % 3] + rng.range(-1.0e-3, 1.0e-3),
                2 => rng.range(-200.0, -80.0),
                3 => rng.range(-3.0, 3.0),
                _ => rng.any_bits(),
            };
            g[i] = match (round + 2 * i) % 4 {
                0 => 1.0,
                1 => rng.range(-10.0, 10.0),
                2 => f32::from_bits((rng.next_u32() & 0x80ff_ffff) | 0x0080_0000),
                _ => rng.any_bits(),
            };
        }
        for (k, s) in kernels.into_iter().zip(stats.iter_mut()) {
            input_backward_block(c, k, s, &x[..n], &g[..n]);
        }
    }
    let v = [0.5f32; 4];
    let sentinel = f32::from_bits(0x7f80_4321);
    let mut o = [sentinel; 5];
    let mismatch = |output: usize| Error::LengthMismatch { input: 4, output };
    c.is_err(
        "silu_backward output length",
        activations::silu_backward(&v, &v, &mut o[..5]),
        mismatch(5),
    );
    c.is_err(
        "softplus_backward_in_place length",
        activations::softplus_backward_in_place(&v, &mut o[..3]),
        mismatch(3),
    );
    c.is_err(
        "elu_backward alpha",
        activations::elu_backward(&v, &v, &mut o[..4], f32::NAN),
        Error::InvalidParameter { name: "alpha" },
    );
    c.is_err(
        "gelu_tanh_backward gradient length",
        activations::gelu_tanh_backward(&v, &v[..2], &mut o[..4]),
        mismatch(2),
    );
    c.ok(
        "nothing written on Err",
        o.iter().all(|v| v.to_bits() == sentinel.to_bits()),
    );
    stats
}

// ----------------------------------------------------------------- main

#[entry]
fn main() -> ! {
    hprintln!(
        "activations on Cortex-M4F (thumbv7em-none-eabihf, QEMU mps2-an386): FMA build = {}, bounds: sigmoid {} ulp, tanh {} ulp, softmax {} ulp",
        accuracy::FMA,
        accuracy::SIGMOID,
        accuracy::TANH,
        accuracy::SOFTMAX
    );
    let mut c = Checker {
        passed: 0,
        failed: 0,
    };
    let mut rng = Rng(0x9e37_79b9);

    let sig = sigmoid_checks(&mut c, &mut rng);
    let tanh = tanh_checks(&mut c, &mut rng);
    let silu = silu_checks(&mut c, &mut rng);
    let sig_fast = sigmoid_fast_checks(&mut c, &mut rng);
    let tanh_fast = tanh_fast_checks(&mut c, &mut rng);
    let gelu = gelu_tanh_checks(&mut c, &mut rng);
    let gelu_erf = gelu_checks(&mut c, &mut rng);
    let mish = mish_checks(&mut c, &mut rng);
    let softplus = softplus_checks(&mut c, &mut rng);
    let elu = elu_checks(&mut c, &mut rng);
    let selu = selu_checks(&mut c, &mut rng);
    let [hsig, hswish] = hard_checks(&mut c, &mut rng);
    relu_checks(&mut c, &mut rng);
    let soft = softmax_checks(&mut c, &mut rng);
    let [sig_b, tanh_b] = backward_checks(&mut c, &mut rng);
    let log_soft = log_softmax_checks(&mut c, &mut rng);
    let [soft_b, log_soft_b] = softmax_backward_checks(&mut c, &mut rng);
    let [silu_b, softplus_b, elu_b, selu_b, gelu_b, gelu_erf_b] =
        input_backward_checks(&mut c, &mut rng);
    error_checks(&mut c);

    #[cfg(feature = "inject-failure")]
    {
        // Deliberately wrong: sigmoid(0) is 0.5 (0x3f000000), not 0x3f000001.
        let mut y = [0.0f32];
        c.is_ok("injected", activations::sigmoid(&[0.0], &mut y));
        c.bits(
            "injected failure (expected to fail)",
            0.0,
            y[0],
            f32::from_bits(0x3f00_0001),
        );
    }

    for s in [
        sig, sig_fast, tanh, tanh_fast, silu, gelu, gelu_erf, mish, softplus, elu, selu, hsig,
        hswish, soft, sig_b, tanh_b, log_soft, soft_b, log_soft_b, silu_b, softplus_b, elu_b,
        selu_b, gelu_b, gelu_erf_b,
    ] {
        hprintln!(
            "{}: {} values vs f64 reference, max error {} ulp (bound {}) at x = {:e} ({:#010x})",
            s.name,
            s.count,
            s.max,
            s.bound,
            s.worst_x,
            s.worst_x.to_bits()
        );
    }
    hprintln!("cortex-m4: {} passed, {} failed", c.passed, c.failed);
    if c.failed == 0 {
        debug::exit(debug::EXIT_SUCCESS);
    } else {
        debug::exit(debug::EXIT_FAILURE);
    }
    loop {
        cortex_m::asm::bkpt();
    }
}

#[exception]
unsafe fn HardFault(ef: &ExceptionFrame) -> ! {
    hprintln!("HardFault: {:?}", ef);
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
