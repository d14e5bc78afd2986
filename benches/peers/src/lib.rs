//! Bench-only helper crate: thin, uniform wrappers around the peers that
//! `benches/peers.rs` (speed) and `examples/ulp.rs` (accuracy) compare against
//! `activations`. See README.md.
//!
//! Every wrapper is a plain function or a method on a struct built once, so the
//! timed loop measures the kernel call and not the peer's dispatch set-up.

use std::mem::MaybeUninit;

/// Deterministic inputs: a 32-bit LCG (Numerical Recipes constants) mapped to
/// `[lo, hi]`. The same seed always gives the same slice.
pub fn lcg_inputs(n: usize, lo: f32, hi: f32, seed: u32) -> Vec<f32> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            // Top 24 bits -> [0, 1) exactly representable in f32.
            let unit = (state >> 8) as f32 * (1.0 / (1u32 << 24) as f32);
            lo + (hi - lo) * unit
        })
        .collect()
}

/// The naive scalar baseline: what a straightforward loop over `f32` gives.
pub mod scalar {
    /// `1 / (1 + exp(-x))` with `f32::exp`.
    pub fn sigmoid(input: &[f32], output: &mut [f32]) {
        for (y, &x) in output.iter_mut().zip(input) {
            *y = 1.0 / (1.0 + (-x).exp());
        }
    }

    /// `f32::tanh` (the platform libm's `tanhf`).
    pub fn tanh(input: &[f32], output: &mut [f32]) {
        for (y, &x) in output.iter_mut().zip(input) {
            *y = x.tanh();
        }
    }

    /// Max-subtracted softmax: `exp(x - max)` in `f32`, summed in `f32`, then
    /// each divided by the sum.
    pub fn softmax(input: &[f32], output: &mut [f32]) {
        let max = input.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0f32;
        for (y, &x) in output.iter_mut().zip(input) {
            let e = (x - max).exp();
            *y = e;
            sum += e;
        }
        for y in output.iter_mut() {
            *y /= sum;
        }
    }
}

/// `rten-vecmath` (runtime-dispatched: AVX-512 / AVX2+FMA / generic on x86_64).
pub mod rten {
    use super::as_uninit;
    use rten_simd::{SimdOp, SimdUnaryOp};
    use rten_vecmath::{Sigmoid, Softmax, Tanh};

    /// `Sigmoid.map(input, output)`.
    pub fn sigmoid(input: &[f32], output: &mut [f32]) {
        Sigmoid {}.map(input, as_uninit(output));
    }

    /// `Tanh.map(input, output)`.
    pub fn tanh(input: &[f32], output: &mut [f32]) {
        Tanh {}.map(input, as_uninit(output));
    }

    /// `Softmax::new(input, output).dispatch()` (max, exp-sum, scale: three passes).
    pub fn softmax(input: &[f32], output: &mut [f32]) {
        Softmax::new(input, as_uninit(output)).dispatch();
    }
}

/// `tract-linalg` (runtime-dispatched through its routine registry).
///
/// tract's element-wise kernels are **in place only** (`ElementWise::run(&mut
/// [f32])`), so every method here works in place; callers copy the input first.
///
/// tract-linalg 0.23 has no single "softmax of one slice" call on x86_64: the
/// fused `Func::SoftmaxRows` routine is only registered for aarch64 and wasm32.
/// The softmax here is therefore the same three per-row kernels tract's own
/// softmax op runs (and that tract's `SoftmaxRows` tests treat as the
/// reference): `Func::ReduceMax`, then `Func::Softmax2` (a map-reduce that
/// writes `exp(x - max)` in place and returns the sum), then
/// `Func::MulByScalar` with `1 / sum`.
///
/// **Upper-state hygiene.** tract-linalg 0.23.9's x86_64 AVX-512 kernels
/// (hand-written asm) return without `vzeroupper`. Every legacy-SSE
/// instruction the process runs afterwards (a default build's scalar loops,
/// glibc's `expf`/`tanhf`, `activations` at its `Portable` level) then runs
/// ~3.7x slower until something runs `vzeroupper` (`examples/sse_after_peers.rs`
/// shows it). So that one tract call does not skew every later row of the
/// run, [`Tract::new`] clears the upper state after each tract call (one
/// `vzeroupper`, a cycle or so per call); [`Tract::raw`] does not.
pub mod tract {
    use tract_linalg::element_wise::ElementWise;
    use tract_linalg::reduce::{MapReduce, Reduce};
    use tract_linalg::Func;

    /// The kernels this host's tract-linalg dispatches to, fetched once.
    pub struct Tract {
        sigmoid: Box<dyn ElementWise<f32>>,
        tanh: Box<dyn ElementWise<f32>>,
        max: Box<dyn Reduce<f32>>,
        exp_sum: Box<dyn MapReduce<f32, f32>>,
        scale: Box<dyn ElementWise<f32, f32>>,
        zero_upper: bool,
    }

    impl Tract {
        /// Look up the best kernel of each function for this machine; clear
        /// the upper vector state after every call (see the module docs).
        pub fn new() -> Self {
            Tract { zero_upper: true, ..Self::raw() }
        }

        /// As [`Tract::new`], but leave the vector state as tract does.
        pub fn raw() -> Self {
            Tract {
                zero_upper: false,
                sigmoid: Func::Sigmoid.ew_f32().expect("tract: no f32 sigmoid kernel"),
                tanh: Func::Tanh.ew_f32().expect("tract: no f32 tanh kernel"),
                max: Func::ReduceMax.reduce_f32().expect("tract: no f32 reduce_max kernel"),
                exp_sum: Func::Softmax2.map_reduce_f32().expect("tract: no f32 softmax2 kernel"),
                scale: Func::MulByScalar
                    .ew_f32_param()
                    .expect("tract: no f32 mul_by_scalar kernel"),
            }
        }

        /// The names of the kernels picked on this machine, for the report.
        pub fn kernel_names(&self) -> String {
            format!(
                "sigmoid={} tanh={} softmax=[{} -> {} -> {}]",
                self.sigmoid.name(),
                self.tanh.name(),
                self.max.name(),
                self.exp_sum.name(),
                self.scale.name()
            )
        }

        /// Sigmoid, in place.
        pub fn sigmoid_in_place(&self, values: &mut [f32]) {
            self.sigmoid.run(values).unwrap();
            self.after_call();
        }

        /// Tanh, in place.
        pub fn tanh_in_place(&self, values: &mut [f32]) {
            self.tanh.run(values).unwrap();
            self.after_call();
        }

        /// Softmax, in place: reduce_max, softmax2 (exp + sum), mul_by_scalar(1/sum).
        pub fn softmax_in_place(&self, values: &mut [f32]) {
            let max = self.max.run(values).unwrap();
            let sum = self.exp_sum.run_with_params(values, max).unwrap();
            self.scale.run_with_params(values, sum.recip()).unwrap();
            self.after_call();
        }

        #[inline(always)]
        fn after_call(&self) {
            if self.zero_upper {
                super::clear_upper_state();
            }
        }
    }

    impl Default for Tract {
        fn default() -> Self {
            Self::new()
        }
    }
}

/// `vzeroupper` where the CPU has AVX (a no-op elsewhere).
pub fn clear_upper_state() {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx")]
        unsafe fn vzeroupper() {
            core::arch::x86_64::_mm256_zeroupper();
        }
        if std::is_x86_feature_detected!("avx") {
            // SAFETY: the CPU supports AVX, checked just above.
            unsafe { vzeroupper() }
        }
    }
}

/// Views an initialised output slice as `MaybeUninit` for rten's `map`/`new`,
/// which take uninitialised destinations and only ever write valid `f32`s.
fn as_uninit(output: &mut [f32]) -> &mut [MaybeUninit<f32>] {
    // SAFETY: `MaybeUninit<f32>` has the same layout as `f32`. The callee
    // (rten) only stores initialised `f32` values through this view, so
    // `output` stays fully initialised after the borrow ends.
    unsafe { &mut *(output as *mut [f32] as *mut [MaybeUninit<f32>]) }
}
