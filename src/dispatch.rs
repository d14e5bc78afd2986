//! Run-time choice of the instruction set: [`Level`], CPU detection, and
//! the entry points every crate-root function goes through.
//!
//! A default x86-64 build is compiled for SSE2, but most machines it runs
//! on have AVX2 and FMA, many AVX-512. Every kernel is therefore compiled
//! three times from its one generic source:
//!
//! - [`Level::Portable`]: `wide`'s vectors at the build's own features,
//!   [`Native`] wide (SSE2 `f32x4` in a default build, AVX-512 `f32x16`
//!   with `-C target-cpu=native`, NEON on aarch64);
//! - [`Level::Avx2Fma`] and [`Level::Avx512`] (x86-64 only): the
//!   `core::arch` lane types of `src/x86.rs`, inside `#[target_feature]`
//!   functions, so they run at full width in a default build.
//!
//! The first call of any crate-root function picks the level (the
//! `ACTIVATIONS_LEVEL` environment variable with the `std` feature, else the
//! best one the CPU supports) and caches it in an atomic; every later call
//! costs one relaxed load and a jump. The CPU is probed with CPUID and
//! XGETBV (the operating system must save the wide registers), without
//! `std`, so `no_std` builds dispatch too; when the build already enables
//! AVX-512F the probe is skipped.
//!
//! The `unsafe` here is the calls into `#[target_feature]` functions; each
//! is made only through [`Supported`], which exists only for levels the CPU
//! was found to support.
#![allow(unsafe_code)]

use core::sync::atomic::{AtomicU8, Ordering};

use crate::error::Error;
use crate::lanes::{Native, FMA_BUILD};

/// An instruction-set level the kernels can run at.
///
/// Levels are ordered: a CPU that supports one supports every lower one.
/// Every level gives the same special values (NaN, infinities, signed
/// zeros, subnormals) and stays within the same [error
/// bounds](crate::accuracy); the FMA levels give the same bits as each
/// other and as a build with the same features (see [`Level::fused`]),
/// with one exception: softmax (and `softmax_rows`) sums a row lane by
/// lane, so for rows of more than 8 elements its last bits depend on the
/// lane count (8 at [`Level::Avx2Fma`], 16 at [`Level::Avx512`]; each
/// within the bound). Log-softmax and every other kernel give the same
/// bits at every lane count.
///
/// # Choosing a level
/// - By default the crate-root functions ([`crate::sigmoid`], ...) run at
///   [`Level::best`].
/// - With the `std` feature, the environment variable `ACTIVATIONS_LEVEL`
///   (`portable`, `avx2` or `avx512`), read once at the first call, caps the
///   level: the best supported level not above the one named. An unknown
///   value is ignored.
/// - [`Level::force`] sets it from code, for the whole process.
/// - Each level's methods ([`Level::sigmoid`], ...) run one call at that
///   level, without touching the global choice.
///
/// ```
/// use activations::Level;
/// let x = [0.5f32; 20];
/// let (mut a, mut b) = ([0.0; 20], [0.0; 20]);
/// Level::Portable.sigmoid(&x, &mut a)?;
/// Level::best().sigmoid(&x, &mut b)?;
/// assert!(a.iter().zip(&b).all(|(a, b)| (a - b).abs() <= f32::EPSILON));
/// # Ok::<(), activations::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Level {
    /// `wide`'s vectors at the build's compile-time features
    /// ([`Native`](crate::Native)): always available.
    Portable,
    /// AVX2 and FMA, 8 lanes (x86-64).
    Avx2Fma,
    /// AVX-512F, 16 lanes (x86-64).
    Avx512,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 3] = [Level::Portable, Level::Avx2Fma, Level::Avx512];

    /// The name `ACTIVATIONS_LEVEL` takes: `portable`, `avx2` or `avx512`.
    pub const fn name(self) -> &'static str {
        match self {
            Level::Portable => "portable",
            Level::Avx2Fma => "avx2",
            Level::Avx512 => "avx512",
        }
    }

    /// The level called `name` (as [`Level::name`] spells it, any case).
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name))
    }

    /// Number of `f32` lanes of one vector at this level.
    pub const fn lanes(self) -> usize {
        match self {
            Level::Portable => <Native as crate::Lanes>::LANES,
            Level::Avx2Fma => 8,
            Level::Avx512 => 16,
        }
    }

    /// Whether this level's multiply-adds are fused (one rounding): the
    /// column of the [accuracy table](crate::accuracy) that applies.
    /// [`Level::Portable`] follows the build; the x86 levels always are.
    pub const fn fused(self) -> bool {
        match self {
            Level::Portable => FMA_BUILD,
            Level::Avx2Fma | Level::Avx512 => true,
        }
    }

    /// Whether this CPU (and operating system) can run this level.
    pub fn is_supported(self) -> bool {
        self <= Level::best()
    }

    /// The highest level this CPU supports (detected once, then cached).
    #[inline]
    pub fn best() -> Level {
        match decode(BEST.load(Ordering::Relaxed)) {
            Some(l) => l,
            None => detect_and_cache(),
        }
    }

    /// The level the crate-root functions run at.
    pub fn current() -> Level {
        current().0
    }

    /// Makes the crate-root functions run at `self` from now on, in every
    /// thread; returns the level they ran at before.
    ///
    /// # Errors
    /// [`Error::UnsupportedLevel`] when this CPU cannot run `self`; the
    /// level is left unchanged then.
    pub fn force(self) -> Result<Level, Error> {
        let s = self.check()?;
        Ok(decode(CURRENT.swap(encode(s.0), Ordering::Relaxed)).unwrap_or_else(initial))
    }

    /// `self` as a [`Supported`] level, or the error.
    #[inline]
    fn check(self) -> Result<Supported, Error> {
        if self.is_supported() {
            Ok(Supported(self))
        } else {
            Err(Error::UnsupportedLevel { level: self })
        }
    }
}

impl core::fmt::Display for Level {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// 0 = not chosen yet, else `1 + index in Level::ALL`.
static CURRENT: AtomicU8 = AtomicU8::new(0);
/// Cache of [`detect`], same encoding.
static BEST: AtomicU8 = AtomicU8::new(0);

fn encode(l: Level) -> u8 {
    match l {
        Level::Portable => 1,
        Level::Avx2Fma => 2,
        Level::Avx512 => 3,
    }
}

#[inline(always)]
fn decode(v: u8) -> Option<Level> {
    match v {
        1 => Some(Level::Portable),
        2 => Some(Level::Avx2Fma),
        3 => Some(Level::Avx512),
        _ => None,
    }
}

/// The level a process starts at: `ACTIVATIONS_LEVEL` (capped at the best
/// supported) when set and valid, else the best.
#[cold]
fn initial() -> Level {
    let best = Level::best();
    match requested() {
        Some(l) if l < best => l,
        _ => best,
    }
}

#[cfg(feature = "std")]
fn requested() -> Option<Level> {
    Level::from_name(std::env::var("ACTIVATIONS_LEVEL").ok()?.trim())
}

#[cfg(not(feature = "std"))]
fn requested() -> Option<Level> {
    None
}

/// The current level; picks it on the first call.
#[inline(always)]
pub(crate) fn current() -> Supported {
    match decode(CURRENT.load(Ordering::Relaxed)) {
        Some(l) => Supported(l),
        None => Supported(init_current()),
    }
}

#[cold]
fn init_current() -> Level {
    let l = initial();
    // A concurrent `force` or first call may have stored first: keep theirs.
    match CURRENT.compare_exchange(0, encode(l), Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => l,
        Err(v) => decode(v).unwrap_or(l),
    }
}

/// [`detect`], cached in `BEST`: the first call only, out of line, so that
/// the `Level` methods, which check their level against [`Level::best`],
/// stay a load and a compare (with the CPUID code inlined, every one of
/// them saved and restored six registers: `Level::Avx512.relu` on 7
/// elements took 2.5 ns longer than the crate root).
/// (Only x86-64 detects anything: elsewhere `detect` is a constant, and
/// out of line this cost 44 bytes of Cortex-M4F flash.)
#[cold]
#[cfg_attr(all(target_arch = "x86_64", not(miri)), inline(never))]
fn detect_and_cache() -> Level {
    let l = detect();
    BEST.store(encode(l), Ordering::Relaxed);
    l
}

/// The best level of this CPU, by CPUID and XGETBV.
#[cfg(all(target_arch = "x86_64", not(miri)))]
fn detect() -> Level {
    if cfg!(target_feature = "avx512f") {
        // The build already requires AVX-512F (and with it AVX2 and FMA).
        return Level::Avx512;
    }
    // SAFETY: CPUID exists on every x86-64 CPU. (`__cpuid` is a safe
    // function from Rust 1.94; the `unsafe` block is for the MSRV, 1.89.)
    #[allow(unused_unsafe)]
    let (max_leaf, l1) = unsafe { (__cpuid(0).eax, __cpuid(1)) };
    let fma = l1.ecx & (1 << 12) != 0;
    let osxsave = l1.ecx & (1 << 27) != 0;
    let avx = l1.ecx & (1 << 28) != 0;
    if !(osxsave && avx && fma) || max_leaf < 7 {
        return Level::Portable;
    }
    // SAFETY: CPUID.1:ECX.OSXSAVE is set, so XGETBV is enabled.
    let xcr0 = unsafe { _xgetbv(0) };
    // XCR0 bits 1-2: the OS saves SSE and AVX state; 5-7: opmask, ZMM0-15
    // upper halves, ZMM16-31.
    let ymm_saved = xcr0 & 0b110 == 0b110;
    let zmm_saved = xcr0 & 0b1110_0110 == 0b1110_0110;
    // SAFETY: as above; leaf 7 exists (`max_leaf >= 7` was checked).
    #[allow(unused_unsafe)]
    let l7 = unsafe { __cpuid_count(7, 0) };
    let avx2 = l7.ebx & (1 << 5) != 0;
    let avx512f = l7.ebx & (1 << 16) != 0;
    if !(ymm_saved && avx2) {
        Level::Portable
    } else if avx512f && zmm_saved {
        Level::Avx512
    } else {
        Level::Avx2Fma
    }
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
use core::arch::x86_64::{__cpuid, __cpuid_count, _xgetbv};

/// Only [`Level::Portable`] off x86-64 (and under Miri, which does not
/// interpret CPUID).
#[cfg(not(all(target_arch = "x86_64", not(miri))))]
fn detect() -> Level {
    Level::Portable
}

/// A level this CPU supports: made only by [`Level::check`] and
/// [`current`], which establish it. The x86 entry points below are called
/// only through it.
#[derive(Clone, Copy)]
pub(crate) struct Supported(Level);

/// Declares every kernel entry point once: the `#[target_feature]`
/// instantiations per x86 level, the dispatching method of [`Supported`],
/// and the public method of [`Level`].
macro_rules! entry_points {
    ($(
        $(#[$doc:meta])*
        $kind:ident fn $name:ident($first:ident: $fty:ty $(, $arg:ident: $ty:ty)*) = $($path:ident)::+;
    )*) => {
        /// `Level::Portable`, out of line so that the dispatching function
        /// stays a few instructions ending in a tail call (measured: an
        /// empty call cost 3.3-3.7 ns with this path inlined into it, against
        /// 1.1 ns without dispatch).
        mod portable {
            use crate::error::Error;
            $(
                #[inline(never)]
                pub(super) fn $name($first: $fty $(, $arg: $ty)*) -> entry_points!(@ret $kind) {
                    $($path)::+::<crate::lanes::Native>($first $(, $arg)*)
                }
            )*
        }
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        mod avx2 {
            use crate::error::Error;
            $(
                #[target_feature(enable = "avx2,fma")]
                pub(super) fn $name($first: $fty $(, $arg: $ty)*) -> entry_points!(@ret $kind) {
                    $($path)::+::<crate::x86::Avx2>($first $(, $arg)*)
                }
            )*
        }
        /// AVX-512. A call whose first slice has at most 8 elements runs
        /// the kernel on 8 lanes (`Avx2`, valid here: this level enables
        /// AVX2 and FMA too): one vector where 16 lanes would do twice the
        /// work per instruction, for the same bits (see [`Level`]: the
        /// x86 levels differ only in softmax's sums, and only for rows of
        /// more than 8 elements). Measured 2026-12-07, 7 elements through
        /// the crate root, the minimum of 30 timed loops: sigmoid 9.45 ->
        /// 8.55 ns, tanh 10.1 -> 9.4, SiLU 19.2 -> 16.7, Mish 18.2 -> 16.1;
        /// log-softmax (a row of 7 at this level) 66 -> 51; softmax
        /// unchanged (18.5: its short rows already ran on 8 lanes).
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        mod avx512 {
            use crate::error::Error;
            $(
                #[target_feature(enable = "avx512f,avx2,fma")]
                pub(super) fn $name($first: $fty $(, $arg: $ty)*) -> entry_points!(@ret $kind) {
                    if $first.len() <= 8 {
                        return $($path)::+::<crate::x86::Avx2>($first $(, $arg)*);
                    }
                    $($path)::+::<crate::x86::Avx512>($first $(, $arg)*)
                }
            )*
        }
        /// The crate-root entry points: one load of the cached level and a
        /// tail call; the first call of the process goes through `first`.
        pub(crate) mod root {
            use super::*;
            $(
                #[inline(always)]
                pub(crate) fn $name($first: $fty $(, $arg: $ty)*) -> entry_points!(@ret $kind) {
                    match CURRENT.load(Ordering::Relaxed) {
                        // SAFETY: CURRENT holds 3 only when `init_current`
                        // or `Level::force` stored a supported `Avx512`.
                        #[cfg(all(target_arch = "x86_64", not(miri)))]
                        3 => unsafe { avx512::$name($first $(, $arg)*) },
                        // SAFETY: as above, for `Avx2Fma`.
                        #[cfg(all(target_arch = "x86_64", not(miri)))]
                        2 => unsafe { avx2::$name($first $(, $arg)*) },
                        1 => portable::$name($first $(, $arg)*),
                        _ => first::$name($first $(, $arg)*),
                    }
                }
            )*
        }
        /// The first call: choose the level, then run at it.
        mod first {
            use super::*;
            $(
                #[cold]
                #[inline(never)]
                pub(super) fn $name($first: $fty $(, $arg: $ty)*) -> entry_points!(@ret $kind) {
                    current().$name($first $(, $arg)*)
                }
            )*
        }
        /// A `Level` method's first call, before the CPU detection.
        mod level_first {
            use super::*;
            $(
                #[cold]
                #[inline(never)]
                pub(super) fn $name(level: Level, $first: $fty $(, $arg: $ty)*) -> Result<(), Error> {
                    entry_points!(@call $kind, level.check()?.$name($first $(, $arg)*))
                }
            )*
        }
        impl Supported {
            $(
                #[inline(always)]
                pub(crate) fn $name(self, $first: $fty $(, $arg: $ty)*) -> entry_points!(@ret $kind) {
                    match self.0 {
                        // SAFETY: `Supported(Level::Avx2Fma)` exists only
                        // when the CPU has AVX2 and FMA (see `Supported`).
                        #[cfg(all(target_arch = "x86_64", not(miri)))]
                        Level::Avx2Fma => unsafe { avx2::$name($first $(, $arg)*) },
                        // SAFETY: as above, for AVX-512F (and AVX2, FMA).
                        #[cfg(all(target_arch = "x86_64", not(miri)))]
                        Level::Avx512 => unsafe { avx512::$name($first $(, $arg)*) },
                        _ => portable::$name($first $(, $arg)*),
                    }
                }
            )*
        }
        impl Level {
            $(
                $(#[$doc])*
                ///
                /// # Errors
                /// [`Error::UnsupportedLevel`] when this CPU cannot run the
                /// level (nothing is written then), and the errors of the
                /// crate-root function.
                pub fn $name(self, $first: $fty $(, $arg: $ty)*) -> Result<(), Error> {
                    // The check against the cached best level, then a tail
                    // call; the first call of the process, before the
                    // detection, goes through `level_first` (which keeps
                    // this function free of register saves).
                    match decode(BEST.load(Ordering::Relaxed)) {
                        Some(best) if self <= best => {
                            entry_points!(@call $kind, Supported(self).$name($first $(, $arg)*))
                        }
                        Some(_) => Err(Error::UnsupportedLevel { level: self }),
                        None => level_first::$name(self, $first $(, $arg)*),
                    }
                }
            )*
        }
    };
    (@ret fallible) => { Result<(), Error> };
    (@ret infallible) => { () };
    (@call fallible, $e:expr) => { $e };
    (@call infallible, $e:expr) => {{ $e; Ok(()) }};
}

entry_points! {
    /// [`crate::sigmoid`] at this level.
    fallible fn sigmoid(input: &[f32], output: &mut [f32]) = crate::sigmoid::slice;
    /// [`crate::sigmoid_in_place`] at this level.
    infallible fn sigmoid_in_place(values: &mut [f32]) = crate::sigmoid::slice_in_place;
    /// [`crate::sigmoid_fast`] at this level.
    fallible fn sigmoid_fast(input: &[f32], output: &mut [f32]) = crate::sigmoid::fast_slice;
    /// [`crate::sigmoid_fast_in_place`] at this level.
    infallible fn sigmoid_fast_in_place(values: &mut [f32]) = crate::sigmoid::fast_slice_in_place;
    /// [`crate::silu`] at this level.
    fallible fn silu(input: &[f32], output: &mut [f32]) = crate::silu::slice;
    /// [`crate::silu_in_place`] at this level.
    infallible fn silu_in_place(values: &mut [f32]) = crate::silu::slice_in_place;
    /// [`crate::tanh`] at this level.
    fallible fn tanh(input: &[f32], output: &mut [f32]) = crate::tanh::slice;
    /// [`crate::tanh_in_place`] at this level.
    infallible fn tanh_in_place(values: &mut [f32]) = crate::tanh::slice_in_place;
    /// [`crate::tanh_fast`] at this level.
    fallible fn tanh_fast(input: &[f32], output: &mut [f32]) = crate::tanh::fast_slice;
    /// [`crate::tanh_fast_in_place`] at this level.
    infallible fn tanh_fast_in_place(values: &mut [f32]) = crate::tanh::fast_slice_in_place;
    /// [`crate::relu`] at this level.
    fallible fn relu(input: &[f32], output: &mut [f32]) = crate::relu::relu_slice;
    /// [`crate::relu_in_place`] at this level.
    infallible fn relu_in_place(values: &mut [f32]) = crate::relu::relu_slice_in_place;
    /// [`crate::leaky_relu`] at this level.
    fallible fn leaky_relu(input: &[f32], output: &mut [f32], negative_slope: f32)
        = crate::relu::leaky_slice;
    /// [`crate::leaky_relu_in_place`] at this level.
    infallible fn leaky_relu_in_place(values: &mut [f32], negative_slope: f32)
        = crate::relu::leaky_slice_in_place;
    /// [`crate::elu`] at this level.
    fallible fn elu(input: &[f32], output: &mut [f32], alpha: f32) = crate::elu::elu_slice;
    /// [`crate::elu_in_place`] at this level.
    fallible fn elu_in_place(values: &mut [f32], alpha: f32) = crate::elu::elu_slice_in_place;
    /// [`crate::selu`] at this level.
    fallible fn selu(input: &[f32], output: &mut [f32]) = crate::elu::selu_slice;
    /// [`crate::selu_in_place`] at this level.
    infallible fn selu_in_place(values: &mut [f32]) = crate::elu::selu_slice_in_place;
    /// [`crate::gelu`] at this level.
    fallible fn gelu(input: &[f32], output: &mut [f32]) = crate::gelu_erf::slice;
    /// [`crate::gelu_in_place`] at this level.
    infallible fn gelu_in_place(values: &mut [f32]) = crate::gelu_erf::slice_in_place;
    /// [`crate::gelu_tanh`] at this level.
    fallible fn gelu_tanh(input: &[f32], output: &mut [f32]) = crate::gelu::tanh_slice;
    /// [`crate::gelu_tanh_in_place`] at this level.
    infallible fn gelu_tanh_in_place(values: &mut [f32]) = crate::gelu::tanh_slice_in_place;
    /// [`crate::mish`] at this level.
    fallible fn mish(input: &[f32], output: &mut [f32]) = crate::mish::slice;
    /// [`crate::mish_in_place`] at this level.
    infallible fn mish_in_place(values: &mut [f32]) = crate::mish::slice_in_place;
    /// [`crate::softplus`] at this level.
    fallible fn softplus(input: &[f32], output: &mut [f32]) = crate::softplus::slice;
    /// [`crate::softplus_in_place`] at this level.
    infallible fn softplus_in_place(values: &mut [f32]) = crate::softplus::slice_in_place;
    /// [`crate::hard_sigmoid`] at this level.
    fallible fn hard_sigmoid(input: &[f32], output: &mut [f32]) = crate::hard::sigmoid_slice;
    /// [`crate::hard_sigmoid_in_place`] at this level.
    infallible fn hard_sigmoid_in_place(values: &mut [f32]) = crate::hard::sigmoid_slice_in_place;
    /// [`crate::hard_swish`] at this level.
    fallible fn hard_swish(input: &[f32], output: &mut [f32]) = crate::hard::swish_slice;
    /// [`crate::hard_swish_in_place`] at this level.
    infallible fn hard_swish_in_place(values: &mut [f32]) = crate::hard::swish_slice_in_place;
    /// [`crate::softmax`] at this level.
    fallible fn softmax(input: &[f32], output: &mut [f32]) = crate::softmax::slice;
    /// [`crate::softmax_in_place`] at this level.
    infallible fn softmax_in_place(values: &mut [f32]) = crate::softmax::slice_in_place;
    /// [`crate::softmax_rows`] at this level.
    fallible fn softmax_rows(input: &[f32], output: &mut [f32], row_len: usize)
        = crate::softmax::rows;
    /// [`crate::softmax_rows_in_place`] at this level.
    fallible fn softmax_rows_in_place(values: &mut [f32], row_len: usize)
        = crate::softmax::rows_in_place;
    /// [`crate::gelu_backward`] at this level.
    fallible fn gelu_backward(input: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::gelu_erf::backward_slice;
    /// [`crate::gelu_backward_in_place`] at this level.
    fallible fn gelu_backward_in_place(input: &[f32], grad: &mut [f32])
        = crate::gelu_erf::backward_slice_in_place;
    /// [`crate::log_softmax`] at this level.
    fallible fn log_softmax(input: &[f32], output: &mut [f32]) = crate::log_softmax::slice;
    /// [`crate::log_softmax_in_place`] at this level.
    infallible fn log_softmax_in_place(values: &mut [f32]) = crate::log_softmax::slice_in_place;
    /// [`crate::log_softmax_rows`] at this level.
    fallible fn log_softmax_rows(input: &[f32], output: &mut [f32], row_len: usize)
        = crate::log_softmax::rows;
    /// [`crate::log_softmax_rows_in_place`] at this level.
    fallible fn log_softmax_rows_in_place(values: &mut [f32], row_len: usize)
        = crate::log_softmax::rows_in_place;
    /// [`crate::sigmoid_backward`] at this level.
    fallible fn sigmoid_backward(output: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::backward::sigmoid_slice;
    /// [`crate::sigmoid_backward_in_place`] at this level.
    fallible fn sigmoid_backward_in_place(output: &[f32], grad: &mut [f32])
        = crate::backward::sigmoid_slice_in_place;
    /// [`crate::tanh_backward`] at this level.
    fallible fn tanh_backward(output: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::backward::tanh_slice;
    /// [`crate::tanh_backward_in_place`] at this level.
    fallible fn tanh_backward_in_place(output: &[f32], grad: &mut [f32])
        = crate::backward::tanh_slice_in_place;
    /// [`crate::relu_backward`] at this level.
    fallible fn relu_backward(input: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::backward::relu_slice;
    /// [`crate::relu_backward_in_place`] at this level.
    fallible fn relu_backward_in_place(input: &[f32], grad: &mut [f32])
        = crate::backward::relu_slice_in_place;
    /// [`crate::leaky_relu_backward`] at this level.
    fallible fn leaky_relu_backward(
        input: &[f32],
        grad_output: &[f32],
        grad_input: &mut [f32],
        negative_slope: f32
    ) = crate::backward::leaky_slice;
    /// [`crate::leaky_relu_backward_in_place`] at this level.
    fallible fn leaky_relu_backward_in_place(input: &[f32], grad: &mut [f32], negative_slope: f32)
        = crate::backward::leaky_slice_in_place;
    /// [`crate::softmax_backward`] at this level.
    fallible fn softmax_backward(output: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::softmax_backward::softmax_slice;
    /// [`crate::softmax_backward_in_place`] at this level.
    fallible fn softmax_backward_in_place(output: &[f32], grad: &mut [f32])
        = crate::softmax_backward::softmax_slice_in_place;
    /// [`crate::softmax_backward_rows`] at this level.
    fallible fn softmax_backward_rows(
        output: &[f32],
        grad_output: &[f32],
        grad_input: &mut [f32],
        row_len: usize
    ) = crate::softmax_backward::softmax_rows;
    /// [`crate::softmax_backward_rows_in_place`] at this level.
    fallible fn softmax_backward_rows_in_place(output: &[f32], grad: &mut [f32], row_len: usize)
        = crate::softmax_backward::softmax_rows_in_place;
    /// [`crate::log_softmax_backward`] at this level.
    fallible fn log_softmax_backward(output: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::softmax_backward::log_softmax_slice;
    /// [`crate::log_softmax_backward_in_place`] at this level.
    fallible fn log_softmax_backward_in_place(output: &[f32], grad: &mut [f32])
        = crate::softmax_backward::log_softmax_slice_in_place;
    /// [`crate::log_softmax_backward_rows`] at this level.
    fallible fn log_softmax_backward_rows(
        output: &[f32],
        grad_output: &[f32],
        grad_input: &mut [f32],
        row_len: usize
    ) = crate::softmax_backward::log_softmax_rows;
    /// [`crate::log_softmax_backward_rows_in_place`] at this level.
    fallible fn log_softmax_backward_rows_in_place(output: &[f32], grad: &mut [f32], row_len: usize)
        = crate::softmax_backward::log_softmax_rows_in_place;
    /// [`crate::silu_backward`] at this level.
    fallible fn silu_backward(input: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::backward_exp::silu_slice;
    /// [`crate::silu_backward_in_place`] at this level.
    fallible fn silu_backward_in_place(input: &[f32], grad: &mut [f32])
        = crate::backward_exp::silu_slice_in_place;
    /// [`crate::softplus_backward`] at this level.
    fallible fn softplus_backward(input: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::backward_exp::softplus_slice;
    /// [`crate::softplus_backward_in_place`] at this level.
    fallible fn softplus_backward_in_place(input: &[f32], grad: &mut [f32])
        = crate::backward_exp::softplus_slice_in_place;
    /// [`crate::elu_backward`] at this level.
    fallible fn elu_backward(input: &[f32], grad_output: &[f32], grad_input: &mut [f32], alpha: f32)
        = crate::backward_exp::elu_slice;
    /// [`crate::elu_backward_in_place`] at this level.
    fallible fn elu_backward_in_place(input: &[f32], grad: &mut [f32], alpha: f32)
        = crate::backward_exp::elu_slice_in_place;
    /// [`crate::selu_backward`] at this level.
    fallible fn selu_backward(input: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::backward_exp::selu_slice;
    /// [`crate::selu_backward_in_place`] at this level.
    fallible fn selu_backward_in_place(input: &[f32], grad: &mut [f32])
        = crate::backward_exp::selu_slice_in_place;
    /// [`crate::gelu_tanh_backward`] at this level.
    fallible fn gelu_tanh_backward(input: &[f32], grad_output: &[f32], grad_input: &mut [f32])
        = crate::backward_exp::gelu_tanh_slice;
    /// [`crate::gelu_tanh_backward_in_place`] at this level.
    fallible fn gelu_tanh_backward_in_place(input: &[f32], grad: &mut [f32])
        = crate::backward_exp::gelu_tanh_slice_in_place;
}
