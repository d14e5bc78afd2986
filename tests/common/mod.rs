//! Shared test support: the kernel table, the f64 references, a seeded RNG.
#![allow(dead_code)]

pub mod backward_contract;
pub mod contract;
pub mod reference;
pub mod row_backward_contract;

use activations::{accuracy, f32x16, f32x4, f32x8, generic, Error, Level};

pub type SliceFn = fn(&[f32], &mut [f32]) -> Result<(), Error>;
pub type InPlaceFn = fn(&mut [f32]);
/// A slice function at an explicit `Level`.
pub type LevelFn = fn(Level, &[f32], &mut [f32]) -> Result<(), Error>;
pub type LevelInPlaceFn = fn(Level, &mut [f32]) -> Result<(), Error>;

/// Every instruction-set level this CPU supports (the tests run them all,
/// not only the one the crate root dispatches to).
pub fn levels() -> Vec<Level> {
    Level::ALL
        .into_iter()
        .filter(|l| l.is_supported())
        .collect()
}

/// A label for a level in messages.
pub fn level_label(l: Level) -> &'static str {
    match l {
        Level::Portable => "level portable",
        Level::Avx2Fma => "level avx2",
        Level::Avx512 => "level avx512",
        _ => "level ?",
    }
}

/// One element-wise kernel: its slice functions at each width, its f64
/// reference and its bound from the crate's accuracy table. Adding an
/// element-wise activation adds a row to [`elementwise`].
#[derive(Clone, Copy)]
pub struct Kernel {
    pub name: &'static str,
    /// Out of place, at widths 4, 8, 16.
    pub slice: [SliceFn; 3],
    /// In place, at widths 4, 8, 16.
    pub in_place: [InPlaceFn; 3],
    /// Out of place and in place at an explicit level.
    pub at_level: LevelFn,
    pub at_level_in_place: LevelInPlaceFn,
    pub reference: fn(f32) -> f64,
    /// Maximum error in ULP for this build (from `activations::accuracy`).
    pub bound: f32,
    /// Whether it is odd (f(-x) = -f(x) bit for bit) / monotone non-decreasing.
    pub odd: bool,
    pub monotone: bool,
}

pub const WIDTHS: [usize; 3] = [4, 8, 16];

macro_rules! widths {
    ($f:ident) => {
        [
            generic::$f::<f32x4>,
            generic::$f::<f32x8>,
            generic::$f::<f32x16>,
        ]
    };
    ($f:ident, $slope:expr) => {
        [
            |x: &[f32], y: &mut [f32]| generic::$f::<f32x4>(x, y, $slope),
            |x: &[f32], y: &mut [f32]| generic::$f::<f32x8>(x, y, $slope),
            |x: &[f32], y: &mut [f32]| generic::$f::<f32x16>(x, y, $slope),
        ]
    };
}
macro_rules! widths_in_place {
    ($f:ident) => {
        [
            generic::$f::<f32x4>,
            generic::$f::<f32x8>,
            generic::$f::<f32x16>,
        ]
    };
    ($f:ident, $slope:expr) => {
        [
            |x: &mut [f32]| generic::$f::<f32x4>(x, $slope),
            |x: &mut [f32]| generic::$f::<f32x8>(x, $slope),
            |x: &mut [f32]| generic::$f::<f32x16>(x, $slope),
        ]
    };
}

/// Width-explicit calls of a kernel with a fallible in-place form and a
/// parameter (ELU's `alpha`): out of place, then in place (unwrapped).
macro_rules! widths_param {
    ($f:ident, $fi:ident, $p:expr) => {
        (
            [
                |x: &[f32], y: &mut [f32]| generic::$f::<f32x4>(x, y, $p),
                |x: &[f32], y: &mut [f32]| generic::$f::<f32x8>(x, y, $p),
                |x: &[f32], y: &mut [f32]| generic::$f::<f32x16>(x, y, $p),
            ],
            [
                |x: &mut [f32]| generic::$fi::<f32x4>(x, $p).unwrap(),
                |x: &mut [f32]| generic::$fi::<f32x8>(x, $p).unwrap(),
                |x: &mut [f32]| generic::$fi::<f32x16>(x, $p).unwrap(),
            ],
        )
    };
}

/// The `alpha` values the ELU rows use.
pub const ELU_ALPHA: f32 = 1.0;
pub const ELU_ALPHA_2: f32 = 0.3;

/// The slopes the leaky ReLU rows use.
pub const LEAKY_SLOPE: f32 = 0.01;
pub const LEAKY_SLOPE_2: f32 = 0.3;

/// The table of element-wise kernels.
pub fn elementwise() -> Vec<Kernel> {
    vec![
        Kernel {
            name: "sigmoid",
            at_level: |l, x, y| l.sigmoid(x, y),
            at_level_in_place: |l, v| l.sigmoid_in_place(v),
            slice: widths!(sigmoid),
            in_place: widths_in_place!(sigmoid_in_place),
            reference: reference::sigmoid,
            bound: accuracy::SIGMOID,
            odd: false,
            monotone: true,
        },
        Kernel {
            name: "sigmoid_fast",
            at_level: |l, x, y| l.sigmoid_fast(x, y),
            at_level_in_place: |l, v| l.sigmoid_fast_in_place(v),
            slice: widths!(sigmoid_fast),
            in_place: widths_in_place!(sigmoid_fast_in_place),
            reference: reference::sigmoid,
            bound: accuracy::SIGMOID_FAST,
            odd: false,
            monotone: false,
        },
        Kernel {
            name: "tanh",
            at_level: |l, x, y| l.tanh(x, y),
            at_level_in_place: |l, v| l.tanh_in_place(v),
            slice: widths!(tanh),
            in_place: widths_in_place!(tanh_in_place),
            reference: reference::tanh,
            bound: accuracy::TANH,
            odd: true,
            monotone: true,
        },
        Kernel {
            name: "tanh_fast",
            at_level: |l, x, y| l.tanh_fast(x, y),
            at_level_in_place: |l, v| l.tanh_fast_in_place(v),
            slice: widths!(tanh_fast),
            in_place: widths_in_place!(tanh_fast_in_place),
            reference: reference::tanh,
            bound: accuracy::TANH_FAST,
            odd: true,
            monotone: false,
        },
        Kernel {
            name: "silu",
            at_level: |l, x, y| l.silu(x, y),
            at_level_in_place: |l, v| l.silu_in_place(v),
            slice: widths!(silu),
            in_place: widths_in_place!(silu_in_place),
            reference: reference::silu,
            bound: accuracy::SILU,
            odd: false,
            monotone: false,
        },
        Kernel {
            name: "gelu",
            at_level: |l, x, y| l.gelu(x, y),
            at_level_in_place: |l, v| l.gelu_in_place(v),
            slice: widths!(gelu),
            in_place: widths_in_place!(gelu_in_place),
            reference: reference::gelu,
            bound: accuracy::GELU,
            odd: false,
            monotone: false,
        },
        Kernel {
            name: "gelu_tanh",
            at_level: |l, x, y| l.gelu_tanh(x, y),
            at_level_in_place: |l, v| l.gelu_tanh_in_place(v),
            slice: widths!(gelu_tanh),
            in_place: widths_in_place!(gelu_tanh_in_place),
            reference: reference::gelu_tanh,
            bound: accuracy::GELU_TANH,
            odd: false,
            monotone: false,
        },
        Kernel {
            name: "mish",
            at_level: |l, x, y| l.mish(x, y),
            at_level_in_place: |l, v| l.mish_in_place(v),
            slice: widths!(mish),
            in_place: widths_in_place!(mish_in_place),
            reference: reference::mish,
            bound: accuracy::MISH,
            odd: false,
            monotone: false,
        },
        Kernel {
            name: "softplus",
            at_level: |l, x, y| l.softplus(x, y),
            at_level_in_place: |l, v| l.softplus_in_place(v),
            slice: widths!(softplus),
            in_place: widths_in_place!(softplus_in_place),
            reference: reference::softplus,
            bound: accuracy::SOFTPLUS,
            odd: false,
            // Within 0.81 ULP but not monotone: where softplus is flat
            // relative to the spacing of x (|x| small), the exponential's and
            // polynomial's last-bit jitter (a few hundredths of an ulp)
            // reorders neighbours (159 130 pairs over all 2^32 inputs).
            monotone: false,
        },
        Kernel {
            name: "elu(1)",
            at_level: |l, x, y| l.elu(x, y, ELU_ALPHA),
            at_level_in_place: |l, v| l.elu_in_place(v, ELU_ALPHA),
            slice: widths_param!(elu, elu_in_place, ELU_ALPHA).0,
            in_place: widths_param!(elu, elu_in_place, ELU_ALPHA).1,
            reference: |x| reference::elu(x, ELU_ALPHA),
            bound: accuracy::ELU,
            odd: false,
            monotone: true,
        },
        Kernel {
            name: "elu(0.3)",
            at_level: |l, x, y| l.elu(x, y, ELU_ALPHA_2),
            at_level_in_place: |l, v| l.elu_in_place(v, ELU_ALPHA_2),
            slice: widths_param!(elu, elu_in_place, ELU_ALPHA_2).0,
            in_place: widths_param!(elu, elu_in_place, ELU_ALPHA_2).1,
            reference: |x| reference::elu(x, ELU_ALPHA_2),
            bound: accuracy::ELU,
            odd: false,
            monotone: true,
        },
        Kernel {
            name: "selu",
            at_level: |l, x, y| l.selu(x, y),
            at_level_in_place: |l, v| l.selu_in_place(v),
            slice: widths!(selu),
            in_place: widths_in_place!(selu_in_place),
            reference: reference::selu,
            bound: accuracy::SELU,
            odd: false,
            monotone: true,
        },
        Kernel {
            name: "hard_sigmoid",
            at_level: |l, x, y| l.hard_sigmoid(x, y),
            at_level_in_place: |l, v| l.hard_sigmoid_in_place(v),
            slice: widths!(hard_sigmoid),
            in_place: widths_in_place!(hard_sigmoid_in_place),
            reference: reference::hard_sigmoid,
            bound: accuracy::HARD_SIGMOID,
            odd: false,
            monotone: true,
        },
        Kernel {
            name: "hard_swish",
            at_level: |l, x, y| l.hard_swish(x, y),
            at_level_in_place: |l, v| l.hard_swish_in_place(v),
            slice: widths!(hard_swish),
            in_place: widths_in_place!(hard_swish_in_place),
            reference: reference::hard_swish,
            bound: accuracy::HARD_SWISH,
            odd: false,
            monotone: false,
        },
        Kernel {
            name: "relu",
            at_level: |l, x, y| l.relu(x, y),
            at_level_in_place: |l, v| l.relu_in_place(v),
            slice: widths!(relu),
            in_place: widths_in_place!(relu_in_place),
            reference: reference::relu,
            bound: accuracy::RELU,
            odd: false,
            monotone: true,
        },
        Kernel {
            name: "leaky_relu(0.01)",
            at_level: |l, x, y| l.leaky_relu(x, y, LEAKY_SLOPE),
            at_level_in_place: |l, v| l.leaky_relu_in_place(v, LEAKY_SLOPE),
            slice: widths!(leaky_relu, LEAKY_SLOPE),
            in_place: widths_in_place!(leaky_relu_in_place, LEAKY_SLOPE),
            reference: |x| reference::leaky_relu(x, LEAKY_SLOPE),
            bound: accuracy::LEAKY_RELU,
            odd: false,
            monotone: true,
        },
        Kernel {
            name: "leaky_relu(0.3)",
            at_level: |l, x, y| l.leaky_relu(x, y, LEAKY_SLOPE_2),
            at_level_in_place: |l, v| l.leaky_relu_in_place(v, LEAKY_SLOPE_2),
            slice: widths!(leaky_relu, LEAKY_SLOPE_2),
            in_place: widths_in_place!(leaky_relu_in_place, LEAKY_SLOPE_2),
            reference: |x| reference::leaky_relu(x, LEAKY_SLOPE_2),
            bound: accuracy::LEAKY_RELU,
            odd: false,
            monotone: true,
        },
    ]
}

/// Softmax at each width (out of place, in place, rows, rows in place).
pub const SOFTMAX: [SliceFn; 3] = widths!(softmax);
pub const SOFTMAX_IN_PLACE: [InPlaceFn; 3] = widths_in_place!(softmax_in_place);
pub const SOFTMAX_AT: LevelFn = |l, x, y| l.softmax(x, y);
pub const SOFTMAX_IN_PLACE_AT: LevelInPlaceFn = |l, v| l.softmax_in_place(v);
pub type RowsFn = fn(&[f32], &mut [f32], usize) -> Result<(), Error>;
pub type RowsInPlaceFn = fn(&mut [f32], usize) -> Result<(), Error>;
pub const SOFTMAX_ROWS: [RowsFn; 3] = [
    generic::softmax_rows::<f32x4>,
    generic::softmax_rows::<f32x8>,
    generic::softmax_rows::<f32x16>,
];
pub const SOFTMAX_ROWS_IN_PLACE: [RowsInPlaceFn; 3] = [
    generic::softmax_rows_in_place::<f32x4>,
    generic::softmax_rows_in_place::<f32x8>,
    generic::softmax_rows_in_place::<f32x16>,
];

/// Log-softmax at each width (out of place, in place, rows, rows in place).
pub const LOG_SOFTMAX: [SliceFn; 3] = widths!(log_softmax);
pub const LOG_SOFTMAX_IN_PLACE: [InPlaceFn; 3] = widths_in_place!(log_softmax_in_place);
pub const LOG_SOFTMAX_AT: LevelFn = |l, x, y| l.log_softmax(x, y);
pub const LOG_SOFTMAX_IN_PLACE_AT: LevelInPlaceFn = |l, v| l.log_softmax_in_place(v);
pub const LOG_SOFTMAX_ROWS: [RowsFn; 3] = [
    generic::log_softmax_rows::<f32x4>,
    generic::log_softmax_rows::<f32x8>,
    generic::log_softmax_rows::<f32x16>,
];
pub const LOG_SOFTMAX_ROWS_IN_PLACE: [RowsInPlaceFn; 3] = [
    generic::log_softmax_rows_in_place::<f32x4>,
    generic::log_softmax_rows_in_place::<f32x8>,
    generic::log_softmax_rows_in_place::<f32x16>,
];

/// SplitMix64: small, seeded, good enough for test inputs.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Any f32 bit pattern.
    pub fn any_f32(&mut self) -> f32 {
        f32::from_bits(self.next_u64() as u32)
    }
}

/// Target features compiled in, for the log (so CI shows which paths ran).
pub fn build_features() -> String {
    let mut f = Vec::new();
    if cfg!(target_feature = "sse2") {
        f.push("sse2");
    }
    if cfg!(target_feature = "avx2") {
        f.push("avx2");
    }
    if cfg!(target_feature = "fma") {
        f.push("fma");
    }
    if cfg!(target_feature = "avx512f") {
        f.push("avx512f");
    }
    if cfg!(target_feature = "neon") {
        f.push("neon");
    }
    format!(
        "{} (fma build: {}, native width: {})",
        f.join("+"),
        accuracy::FMA,
        <activations::Native as activations::Lanes>::LANES
    )
}

/// A boxed out-of-place call.
pub type BoxedFn = Box<dyn Fn(&[f32], &mut [f32]) -> Result<(), Error>>;
/// A boxed in-place call.
pub type BoxedInPlaceFn = Box<dyn Fn(&mut [f32])>;

/// One way to run a kernel: a `wide` width or an instruction-set level.
pub struct Path {
    /// `f32x4`, `f32x8`, `f32x16`, or `level avx2`, ...
    pub label: String,
    /// Lanes per vector.
    pub lanes: usize,
    /// Whether its multiply-adds are fused (which accuracy column applies).
    pub fused: bool,
    pub out: BoxedFn,
    pub in_place: BoxedInPlaceFn,
}

/// The three widths, then every supported level.
fn paths(
    slice: [SliceFn; 3],
    in_place: [InPlaceFn; 3],
    at: LevelFn,
    at_in: LevelInPlaceFn,
) -> Vec<Path> {
    let mut ps: Vec<Path> = WIDTHS
        .iter()
        .zip(slice.into_iter().zip(in_place))
        .map(|(&w, (f, fi))| Path {
            label: format!("f32x{w}"),
            lanes: w,
            fused: accuracy::FMA,
            out: Box::new(f),
            in_place: Box::new(fi),
        })
        .collect();
    for l in levels() {
        ps.push(Path {
            label: level_label(l).to_string(),
            lanes: l.lanes(),
            fused: l.fused(),
            out: Box::new(move |x, y| at(l, x, y)),
            in_place: Box::new(move |v| at_in(l, v).expect("supported level")),
        });
    }
    ps
}

impl Kernel {
    /// Every width and supported level of this kernel.
    pub fn paths(&self) -> Vec<Path> {
        paths(
            self.slice,
            self.in_place,
            self.at_level,
            self.at_level_in_place,
        )
    }
}

/// Every width and supported level of softmax.
pub fn softmax_paths() -> Vec<Path> {
    paths(SOFTMAX, SOFTMAX_IN_PLACE, SOFTMAX_AT, SOFTMAX_IN_PLACE_AT)
}

/// Every width and supported level of log-softmax.
pub fn log_softmax_paths() -> Vec<Path> {
    paths(
        LOG_SOFTMAX,
        LOG_SOFTMAX_IN_PLACE,
        LOG_SOFTMAX_AT,
        LOG_SOFTMAX_IN_PLACE_AT,
    )
}

// ---------------------------------------------------------------------------
// Backward (derivative) kernels: two inputs, the forward tensor and the
// incoming gradient.

/// `f(forward, grad_output, grad_input)`.
pub type Slice2Fn = fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>;
/// `f(forward, grad)`, the gradient overwritten.
pub type InPlace2Fn = fn(&[f32], &mut [f32]) -> Result<(), Error>;
pub type Level2Fn = fn(Level, &[f32], &[f32], &mut [f32]) -> Result<(), Error>;
pub type LevelInPlace2Fn = fn(Level, &[f32], &mut [f32]) -> Result<(), Error>;

/// One backward kernel: its slice functions at each width and at an
/// explicit level, its f64 reference and its bound.
#[derive(Clone, Copy)]
pub struct BackwardKernel {
    pub name: &'static str,
    pub slice: [Slice2Fn; 3],
    pub in_place: [InPlace2Fn; 3],
    pub at_level: Level2Fn,
    pub at_level_in_place: LevelInPlace2Fn,
    /// The crate-root functions.
    pub root: Slice2Fn,
    pub root_in_place: InPlace2Fn,
    /// `reference(forward, g)`.
    pub reference: fn(f32, f32) -> f64,
    /// Maximum error in ULP for this build (from `activations::accuracy`),
    /// for `|forward| < 2^24`.
    pub bound: f32,
    /// The forward kernel (a name in [`elementwise`]) whose derivative this is.
    pub forward: &'static str,
    /// Whether the first argument is the forward *output* (sigmoid, tanh)
    /// rather than its input (relu, leaky relu, silu, softplus, ...).
    pub takes_output: bool,
    /// Whether the kernel is exact (relu, leaky relu: bit for bit against
    /// the reference, and the same bits with and without FMA).
    pub exact: bool,
}

macro_rules! widths2 {
    ($f:ident) => {
        [
            generic::$f::<f32x4>,
            generic::$f::<f32x8>,
            generic::$f::<f32x16>,
        ]
    };
    ($f:ident, $slope:expr) => {
        [
            |x: &[f32], g: &[f32], y: &mut [f32]| generic::$f::<f32x4>(x, g, y, $slope),
            |x: &[f32], g: &[f32], y: &mut [f32]| generic::$f::<f32x8>(x, g, y, $slope),
            |x: &[f32], g: &[f32], y: &mut [f32]| generic::$f::<f32x16>(x, g, y, $slope),
        ]
    };
}
macro_rules! widths2_in_place {
    ($f:ident) => {
        [
            generic::$f::<f32x4>,
            generic::$f::<f32x8>,
            generic::$f::<f32x16>,
        ]
    };
    ($f:ident, $slope:expr) => {
        [
            |x: &[f32], g: &mut [f32]| generic::$f::<f32x4>(x, g, $slope),
            |x: &[f32], g: &mut [f32]| generic::$f::<f32x8>(x, g, $slope),
            |x: &[f32], g: &mut [f32]| generic::$f::<f32x16>(x, g, $slope),
        ]
    };
}

/// The table of backward kernels.
pub fn backward() -> Vec<BackwardKernel> {
    vec![
        BackwardKernel {
            name: "sigmoid_backward",
            slice: widths2!(sigmoid_backward),
            in_place: widths2_in_place!(sigmoid_backward_in_place),
            at_level: |l, y, g, o| l.sigmoid_backward(y, g, o),
            at_level_in_place: |l, y, g| l.sigmoid_backward_in_place(y, g),
            root: activations::sigmoid_backward,
            root_in_place: activations::sigmoid_backward_in_place,
            reference: reference::sigmoid_backward,
            bound: accuracy::SIGMOID_BACKWARD,
            forward: "sigmoid",
            takes_output: true,
            exact: false,
        },
        BackwardKernel {
            name: "tanh_backward",
            slice: widths2!(tanh_backward),
            in_place: widths2_in_place!(tanh_backward_in_place),
            at_level: |l, y, g, o| l.tanh_backward(y, g, o),
            at_level_in_place: |l, y, g| l.tanh_backward_in_place(y, g),
            root: activations::tanh_backward,
            root_in_place: activations::tanh_backward_in_place,
            reference: reference::tanh_backward,
            bound: accuracy::TANH_BACKWARD,
            forward: "tanh",
            takes_output: true,
            exact: false,
        },
        BackwardKernel {
            name: "relu_backward",
            slice: widths2!(relu_backward),
            in_place: widths2_in_place!(relu_backward_in_place),
            at_level: |l, x, g, o| l.relu_backward(x, g, o),
            at_level_in_place: |l, x, g| l.relu_backward_in_place(x, g),
            root: activations::relu_backward,
            root_in_place: activations::relu_backward_in_place,
            reference: reference::relu_backward,
            bound: accuracy::RELU_BACKWARD,
            forward: "relu",
            takes_output: false,
            exact: true,
        },
        BackwardKernel {
            name: "leaky_relu_backward(0.01)",
            slice: widths2!(leaky_relu_backward, LEAKY_SLOPE),
            in_place: widths2_in_place!(leaky_relu_backward_in_place, LEAKY_SLOPE),
            at_level: |l, x, g, o| l.leaky_relu_backward(x, g, o, LEAKY_SLOPE),
            at_level_in_place: |l, x, g| l.leaky_relu_backward_in_place(x, g, LEAKY_SLOPE),
            root: |x, g, o| activations::leaky_relu_backward(x, g, o, LEAKY_SLOPE),
            root_in_place: |x, g| activations::leaky_relu_backward_in_place(x, g, LEAKY_SLOPE),
            reference: |x, g| reference::leaky_relu_backward(x, g, LEAKY_SLOPE),
            bound: accuracy::LEAKY_RELU_BACKWARD,
            forward: "leaky_relu(0.01)",
            takes_output: false,
            exact: true,
        },
        BackwardKernel {
            name: "leaky_relu_backward(0.3)",
            slice: widths2!(leaky_relu_backward, LEAKY_SLOPE_2),
            in_place: widths2_in_place!(leaky_relu_backward_in_place, LEAKY_SLOPE_2),
            at_level: |l, x, g, o| l.leaky_relu_backward(x, g, o, LEAKY_SLOPE_2),
            at_level_in_place: |l, x, g| l.leaky_relu_backward_in_place(x, g, LEAKY_SLOPE_2),
            root: |x, g, o| activations::leaky_relu_backward(x, g, o, LEAKY_SLOPE_2),
            root_in_place: |x, g| activations::leaky_relu_backward_in_place(x, g, LEAKY_SLOPE_2),
            reference: |x, g| reference::leaky_relu_backward(x, g, LEAKY_SLOPE_2),
            bound: accuracy::LEAKY_RELU_BACKWARD,
            forward: "leaky_relu(0.3)",
            takes_output: false,
            exact: true,
        },
        BackwardKernel {
            name: "silu_backward",
            slice: widths2!(silu_backward),
            in_place: widths2_in_place!(silu_backward_in_place),
            at_level: |l, x, g, o| l.silu_backward(x, g, o),
            at_level_in_place: |l, x, g| l.silu_backward_in_place(x, g),
            root: activations::silu_backward,
            root_in_place: activations::silu_backward_in_place,
            reference: reference::silu_backward,
            bound: accuracy::SILU_BACKWARD,
            forward: "silu",
            takes_output: false,
            exact: false,
        },
        BackwardKernel {
            name: "softplus_backward",
            slice: widths2!(softplus_backward),
            in_place: widths2_in_place!(softplus_backward_in_place),
            at_level: |l, x, g, o| l.softplus_backward(x, g, o),
            at_level_in_place: |l, x, g| l.softplus_backward_in_place(x, g),
            root: activations::softplus_backward,
            root_in_place: activations::softplus_backward_in_place,
            reference: reference::softplus_backward,
            bound: accuracy::SOFTPLUS_BACKWARD,
            forward: "softplus",
            takes_output: false,
            exact: false,
        },
        BackwardKernel {
            name: "elu_backward(1)",
            slice: widths2!(elu_backward, 1.0),
            in_place: widths2_in_place!(elu_backward_in_place, 1.0),
            at_level: |l, x, g, o| l.elu_backward(x, g, o, 1.0),
            at_level_in_place: |l, x, g| l.elu_backward_in_place(x, g, 1.0),
            root: |x, g, o| activations::elu_backward(x, g, o, 1.0),
            root_in_place: |x, g| activations::elu_backward_in_place(x, g, 1.0),
            reference: |x, g| reference::elu_backward(x, g, 1.0),
            bound: accuracy::ELU_BACKWARD,
            forward: "elu(1)",
            takes_output: false,
            exact: false,
        },
        BackwardKernel {
            name: "elu_backward(0.3)",
            slice: widths2!(elu_backward, 0.3),
            in_place: widths2_in_place!(elu_backward_in_place, 0.3),
            at_level: |l, x, g, o| l.elu_backward(x, g, o, 0.3),
            at_level_in_place: |l, x, g| l.elu_backward_in_place(x, g, 0.3),
            root: |x, g, o| activations::elu_backward(x, g, o, 0.3),
            root_in_place: |x, g| activations::elu_backward_in_place(x, g, 0.3),
            reference: |x, g| reference::elu_backward(x, g, 0.3),
            bound: accuracy::ELU_BACKWARD,
            forward: "elu(0.3)",
            takes_output: false,
            exact: false,
        },
        BackwardKernel {
            name: "selu_backward",
            slice: widths2!(selu_backward),
            in_place: widths2_in_place!(selu_backward_in_place),
            at_level: |l, x, g, o| l.selu_backward(x, g, o),
            at_level_in_place: |l, x, g| l.selu_backward_in_place(x, g),
            root: activations::selu_backward,
            root_in_place: activations::selu_backward_in_place,
            reference: reference::selu_backward,
            bound: accuracy::SELU_BACKWARD,
            forward: "selu",
            takes_output: false,
            exact: false,
        },
        BackwardKernel {
            name: "gelu_backward",
            slice: widths2!(gelu_backward),
            in_place: widths2_in_place!(gelu_backward_in_place),
            at_level: |l, x, g, o| l.gelu_backward(x, g, o),
            at_level_in_place: |l, x, g| l.gelu_backward_in_place(x, g),
            root: activations::gelu_backward,
            root_in_place: activations::gelu_backward_in_place,
            reference: reference::gelu_backward,
            bound: accuracy::GELU_BACKWARD,
            forward: "gelu",
            takes_output: false,
            exact: false,
        },
        BackwardKernel {
            name: "gelu_tanh_backward",
            slice: widths2!(gelu_tanh_backward),
            in_place: widths2_in_place!(gelu_tanh_backward_in_place),
            at_level: |l, x, g, o| l.gelu_tanh_backward(x, g, o),
            at_level_in_place: |l, x, g| l.gelu_tanh_backward_in_place(x, g),
            root: activations::gelu_tanh_backward,
            root_in_place: activations::gelu_tanh_backward_in_place,
            reference: reference::gelu_tanh_backward,
            bound: accuracy::GELU_TANH_BACKWARD,
            forward: "gelu_tanh",
            takes_output: false,
            exact: false,
        },
    ]
}

pub type Boxed2Fn = Box<dyn Fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error> + Sync>;
pub type BoxedInPlace2Fn = Box<dyn Fn(&[f32], &mut [f32]) -> Result<(), Error> + Sync>;

/// One way to run a backward kernel: a `wide` width or an instruction-set level.
pub struct Path2 {
    pub label: String,
    pub lanes: usize,
    /// Whether its multiply-adds are fused.
    pub fused: bool,
    pub out: Boxed2Fn,
    pub in_place: BoxedInPlace2Fn,
}

impl BackwardKernel {
    /// The three widths, then every supported level.
    pub fn paths(&self) -> Vec<Path2> {
        let mut ps: Vec<Path2> = WIDTHS
            .iter()
            .zip(self.slice.into_iter().zip(self.in_place))
            .map(|(&w, (f, fi))| Path2 {
                label: format!("f32x{w}"),
                lanes: w,
                fused: accuracy::FMA,
                out: Box::new(f),
                in_place: Box::new(fi),
            })
            .collect();
        let (at, at_in) = (self.at_level, self.at_level_in_place);
        for l in levels() {
            ps.push(Path2 {
                label: level_label(l).to_string(),
                lanes: l.lanes(),
                fused: l.fused(),
                out: Box::new(move |x, g, y| at(l, x, g, y)),
                in_place: Box::new(move |x, g| at_in(l, x, g)),
            });
        }
        ps
    }
}

/// `ACTIVATIONS_SWEEP_SHIFT` (default 0): the big sweeps of the accuracy
/// and backward tests run `2^-shift` of their inputs. CI sets 2 for the
/// aarch64 run under qemu-user, where the full sweeps took 10 minutes; the
/// native x86 runs keep the full size.
#[allow(dead_code)]
pub fn sweep_shift() -> u32 {
    std::env::var("ACTIVATIONS_SWEEP_SHIFT")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(0, |s: u32| s.min(8))
}

/// The f32 routes of sigmoid, SiLU, tanh, GELU, GELU-tanh, Mish, softplus, ELU and
/// SELU (`generic::*_f32_route`, which x86-64 builds without FMA replace by
/// f64 routes and bare-metal targets run) as kernels of their own, named
/// `<name>_f32_route`. Only `slice` is the route's (widths 4, 8, 16); the
/// in-place and level entries are the kernel's own. The exhaustive sweep,
/// `tests/accuracy.rs` and `tests/special.rs` use them.
pub fn f32_routes() -> Vec<Kernel> {
    let mut ks = Vec::new();
    for mut k in elementwise() {
        let (name, slice): (_, [SliceFn; 3]) = match k.name {
            "sigmoid" => ("sigmoid_f32_route", widths!(sigmoid_f32_route)),
            "silu" => ("silu_f32_route", widths!(silu_f32_route)),
            "tanh" => ("tanh_f32_route", widths!(tanh_f32_route)),
            "gelu" => ("gelu_f32_route", widths!(gelu_f32_route)),
            "gelu_tanh" => ("gelu_tanh_f32_route", widths!(gelu_tanh_f32_route)),
            "mish" => ("mish_f32_route", widths!(mish_f32_route)),
            "softplus" => ("softplus_f32_route", widths!(softplus_f32_route)),
            "elu(1)" => ("elu(1)_f32_route", widths!(elu_f32_route, 1.0)),
            "elu(0.3)" => ("elu(0.3)_f32_route", widths!(elu_f32_route, 0.3)),
            "selu" => ("selu_f32_route", widths!(selu_f32_route)),
            _ => continue,
        };
        (k.name, k.slice) = (name, slice);
        ks.push(k);
    }
    ks
}
