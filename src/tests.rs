//! Small unit tests of every kernel at every width: cheap enough for Miri
//! (`cargo +nightly miri test --lib`), which runs wide's SSE2, AVX2 and
//! AVX-512 code paths through its interpreter. The thorough tests are in
//! tests/.

use crate::lanes::pairwise;
use crate::{f32x16, f32x4, f32x8, generic, Error, Lanes};

const XS: [f32; 11] = [
    -105.0,
    -20.0,
    -1.5,
    -0.0,
    0.0,
    1.0e-40,
    0.25,
    3.0,
    30.0,
    f32::INFINITY,
    f32::NEG_INFINITY,
];

fn run<V: Lanes>() {
    let mut y = [0f32; 11];
    generic::sigmoid::<V>(&XS, &mut y).unwrap();
    assert_eq!(y[0], 0.0);
    assert_eq!(y[3], 0.5);
    assert_eq!(y[8], 1.0);
    assert_eq!(y[9], 1.0);
    assert!((y[6] - 0.562_176_5).abs() < 1e-7);
    generic::tanh::<V>(&XS, &mut y).unwrap();
    assert_eq!(y[3].to_bits(), (-0.0f32).to_bits());
    assert_eq!(y[5], 1.0e-40);
    assert_eq!(y[10], -1.0);
    assert!((y[2] + 0.905_148_25).abs() < 1e-7);
    generic::relu::<V>(&XS, &mut y).unwrap();
    assert_eq!(y[3].to_bits(), 0);
    assert_eq!(y[7], 3.0);
    generic::leaky_relu::<V>(&XS, &mut y, 0.5).unwrap();
    assert_eq!(y[2], -0.75);
    let mut v = [f32::NAN, 1.0, -1.0];
    generic::sigmoid_in_place::<V>(&mut v);
    assert!(v[0].is_nan());
    let mut p = [0f32; 5];
    generic::softmax::<V>(&[1.0, 1.0, 1.0, 1.0, f32::NEG_INFINITY], &mut p).unwrap();
    assert_eq!(p, [0.25, 0.25, 0.25, 0.25, 0.0]);
    let mut b = [0.0f32, 0.0, f32::NEG_INFINITY, f32::NEG_INFINITY];
    generic::softmax_rows_in_place::<V>(&mut b, 2).unwrap();
    assert_eq!(b, [0.5, 0.5, 0.0, 0.0]);
    assert_eq!(
        generic::softmax_rows::<V>(&[0.0; 3], &mut [0.0; 3], 2),
        Err(Error::InvalidRowLength { len: 3, row_len: 2 })
    );
    // Log-softmax: -ln 4 for four equal entries, -inf for -inf.
    let mut l = [0f32; 5];
    generic::log_softmax::<V>(&[2.0, 2.0, 2.0, 2.0, f32::NEG_INFINITY], &mut l).unwrap();
    assert_eq!(
        l,
        [
            -1.386_294_4,
            -1.386_294_4,
            -1.386_294_4,
            -1.386_294_4,
            f32::NEG_INFINITY
        ]
    );
    let mut r = [0.0f32, 0.0, f32::NEG_INFINITY, f32::NEG_INFINITY];
    generic::log_softmax_rows_in_place::<V>(&mut r, 2).unwrap();
    assert_eq!(r[..2], [-core::f32::consts::LN_2; 2]);
    assert_eq!(r[2..], [f32::NEG_INFINITY; 2]);
    // Softmax backward: y (g - <g, y>); log-softmax backward: g - e^y Σg.
    let mut d = [0f32; 2];
    generic::softmax_backward::<V>(&[0.5, 0.5], &[1.0, 0.0], &mut d).unwrap();
    assert_eq!(d, [0.25, -0.25]);
    generic::log_softmax_backward_rows::<V>(&[0.0, f32::NEG_INFINITY], &[2.0, 3.0], &mut d, 1)
        .unwrap();
    assert_eq!(d, [0.0, 3.0]);
    let mut gi = [1.0f32, 1.0];
    generic::log_softmax_backward_in_place::<V>(&[0.0, f32::NEG_INFINITY], &mut gi).unwrap();
    assert_eq!(gi, [-1.0, 1.0]);
    assert_eq!(
        generic::softmax_backward_rows_in_place::<V>(&[0.5; 3], &mut [0.0; 3], 2),
        Err(Error::InvalidRowLength { len: 3, row_len: 2 })
    );
}

#[test]
fn f32x4_kernels() {
    run::<f32x4>();
}

#[test]
fn f32x8_kernels() {
    run::<f32x8>();
}

#[test]
fn f32x16_kernels() {
    run::<f32x16>();
}

/// Levels the CPU cannot run (all but `Portable` under Miri, which does not
/// interpret CPUID) refuse every call and write nothing; `Portable` is the
/// generic code at the native width.
#[test]
fn levels_refuse_when_unsupported() {
    use crate::Level;
    let x = [0.5f32; 3];
    for l in Level::ALL {
        let mut y = [9.0f32; 3];
        if l.is_supported() {
            l.sigmoid(&x, &mut y).unwrap();
            let mut z = [0.0f32; 3];
            generic::sigmoid::<crate::Native>(&x, &mut z).unwrap();
            if l == Level::Portable {
                assert_eq!(y, z);
            }
        } else {
            assert_eq!(
                l.sigmoid(&x, &mut y),
                Err(Error::UnsupportedLevel { level: l })
            );
            assert_eq!(y, [9.0; 3]);
        }
    }
}

#[test]
fn elu_scale_constants_are_the_powers_of_two() {
    // 2^k by exact doublings or halvings (not `powi`, which Miri perturbs
    // on purpose: its float intrinsics are not required to be exact).
    fn pow2(k: i32) -> f32 {
        let (step, n) = if k >= 0 { (2.0f32, k) } else { (0.5f32, -k) };
        (0..n).fold(1.0, |p, _| p * step)
    }
    assert_eq!(crate::approx::div::DEKKER_MAX, pow2(100));
    assert_eq!(crate::elu::DOWN, pow2(-64));
    assert_eq!(crate::elu::UP, pow2(64));
    assert_eq!(crate::elu::DOWN2, pow2(-128));
    assert_eq!(crate::approx::div::DEKKER_MIN, pow2(-50));
    assert_eq!(crate::elu::ALPHA_MIN, pow2(-40));
}

fn backward<V: Lanes>() {
    let y = [0.5f32, 1.0, 0.0, -0.5, 0.75, f32::NAN, 2.0, 0.25, 1.0e-40];
    let g = [1.0f32, -3.0, 2.0, 4.0, 2.0, 1.0, 1.0, f32::INFINITY, 1.0];
    let mut o = [0f32; 9];
    generic::sigmoid_backward::<V>(&y, &g, &mut o).unwrap();
    assert_eq!(o[0], 0.25);
    assert_eq!(o[1].to_bits(), (-0.0f32).to_bits());
    assert_eq!(o[4], 0.375);
    assert!(o[5].is_nan());
    assert_eq!(o[6], -2.0);
    assert_eq!(o[7], f32::INFINITY);
    assert_eq!(o[8], 1.0e-40);
    generic::tanh_backward::<V>(&y, &g, &mut o).unwrap();
    assert_eq!(o[0], 0.75);
    assert_eq!(o[2], 2.0);
    assert_eq!(o[3], 3.0);
    let mut v = g;
    generic::relu_backward_in_place::<V>(&y, &mut v).unwrap();
    assert_eq!(v[2].to_bits(), 0);
    assert_eq!(v[3], 0.0);
    assert_eq!(v[4], 2.0);
    generic::leaky_relu_backward::<V>(&y, &g, &mut o, 0.5).unwrap();
    assert_eq!(o[2], 1.0);
    assert_eq!(o[3], 2.0);
    // y as the input x: silu'(0) = 1/2, softplus'(0) = 1/2; x = 2 < 20.
    generic::silu_backward::<V>(&y, &g, &mut o).unwrap();
    assert_eq!(o[2], 1.0);
    assert!(o[5].is_nan());
    assert_eq!(o[7], f32::INFINITY);
    generic::softplus_backward::<V>(&y, &g, &mut o).unwrap();
    assert_eq!(o[2], 1.0);
    assert!((o[0] - 0.622_459_3).abs() < 1e-7);
    generic::elu_backward::<V>(&y, &g, &mut o, 0.5).unwrap();
    assert_eq!(o[0], 1.0);
    assert_eq!(o[2], 1.0);
    assert!((o[3] - 4.0 * 0.5 * (-0.5f32).exp()).abs() < 1e-6);
    assert_eq!(
        generic::elu_backward::<V>(&y, &g, &mut o, f32::INFINITY),
        Err(Error::InvalidParameter { name: "alpha" })
    );
    generic::selu_backward::<V>(&y, &g, &mut o).unwrap();
    assert_eq!(o[0], 1.050_701);
    generic::gelu_tanh_backward::<V>(&y, &g, &mut o).unwrap();
    assert_eq!(o[2], 1.0);
    assert!(o[5].is_nan());
    assert_eq!(
        generic::tanh_backward::<V>(&y, &g[..8], &mut o),
        Err(Error::LengthMismatch {
            input: 9,
            output: 8
        })
    );
}

#[test]
fn backward_kernels_every_width() {
    backward::<f32x4>();
    backward::<f32x8>();
    backward::<f32x16>();
}

/// `store` writes exactly the first `min(LANES, len)` lanes into a slice of
/// every length up to `LANES + 1` and nothing around it, and `load_or`
/// reads exactly the slice's lanes and pads the rest: the partial stores
/// and loads of every backend (x86 stores a tail by plain stores of 8, 4,
/// 2 and 1 lanes, not a masked store).
pub(crate) fn partial_store_and_load<V: Lanes>() {
    let lanes: [f32; 16] = core::array::from_fn(|i| 1.0 + i as f32);
    let v = V::load_or(&lanes, 0.0);
    for len in 0..=V::LANES + 1 {
        let mut buf = [-7.0f32; 40];
        v.store(&mut buf[3..3 + len]);
        for (i, &b) in buf.iter().enumerate() {
            let want = if (3..3 + len.min(V::LANES)).contains(&i) {
                lanes[i - 3]
            } else {
                -7.0
            };
            assert_eq!(b.to_bits(), want.to_bits(), "len {len}, index {i}");
        }
        let mut back = [0f32; 16];
        V::load_or(&buf[3..3 + len], -2.5).to_lanes(&mut back);
        for (i, &b) in back.iter().take(V::LANES).enumerate() {
            let want = if i < len { lanes[i] } else { -2.5 };
            assert_eq!(b.to_bits(), want.to_bits(), "load, len {len}, lane {i}");
        }
    }
}

#[test]
fn partial_store_and_load_wide() {
    partial_store_and_load::<crate::f32x4>();
    partial_store_and_load::<crate::f32x8>();
    partial_store_and_load::<crate::f32x16>();
}

/// `max_of` against its definition, `rhs < self ? self : rhs`, bit for bit,
/// on NaN, signed zeros and infinities in both operands (some backends run
/// it as the instruction set's own `max`: see `Lanes::max_of`), except
/// `max_of(+0, -0)` off x86 (see below).
pub(crate) fn max_of_is_the_select<V: Lanes>() {
    let nan = f32::from_bits(0x7fc0_1234);
    let vals = [
        nan,
        -0.0,
        0.0,
        1.0,
        -1.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        1e-45,
    ];
    for &a in &vals {
        for &b in &vals {
            let mut got = [0f32; 16];
            V::splat(a).max_of(V::splat(b)).to_lanes(&mut got);
            // On aarch64 the compiler turns this select, the scalar one here
            // as well as the provided `max_of`, into `fmaxnm`, whose
            // `max(+0, -0)` is `+0` where the select gives `-0` (measured
            // under qemu-aarch64). `max_of`'s docs allow either zero there
            // off x86; no kernel depends on it. `black_box` keeps the
            // reference a select.
            if !cfg!(target_feature = "sse") && a.to_bits() == 0 && b.to_bits() == 0x8000_0000 {
                continue;
            }
            let want = if core::hint::black_box(b < a) { a } else { b };
            for &g in &got[..V::LANES] {
                assert_eq!(g.to_bits(), want.to_bits(), "max_of({a}, {b})");
            }
        }
    }
}

/// Marsaglia's xorshift64 (shifts 13, 7, 17): the unit tests' reproducible
/// random bits.
pub(crate) fn xorshift64(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// `reduce_max` and `reduce_sum_f64` are the tree of [`pairwise`] over the
/// lanes (lanes past `V::LANES` being `-inf` and `+0.0`), bit for bit: the
/// x86 backend computes them by vector halvings. Vectors drawn from signed
/// zeros, infinities, NaN (for the maximum), subnormals and numbers of
/// every magnitude, so that the f64 sums round.
pub(crate) fn reductions_are_the_tree<V: Lanes>() {
    use core::hint::black_box;
    let specials = [
        0.0, -0.0, 1.0, -1.0, 1e-45, -3e-39, 3.0e38, -1.5e-30, 7.0, 1e10,
    ];
    let mut bits = xorshift64(0x2545_f491_4f6c_dd1d);
    let mut next = move || (bits() >> 32) as u32;
    // Few under Miri, which interprets every step.
    let rounds = if cfg!(miri) { 40 } else { 20_000 };
    for round in 0..rounds {
        let (mut a, mut b) = ([0.0f32; 16], [0.0f32; 16]);
        for v in a.iter_mut().chain(b.iter_mut()) {
            let r = next();
            *v = if r % 3 == 0 {
                specials[(r >> 8) as usize % specials.len()]
            } else {
                // Any finite float: random bits with the exponent kept
                // below 255.
                f32::from_bits(r & 0xbfff_ffff)
            };
        }
        if round % 7 == 0 {
            a[(next() % 16) as usize] = f32::NEG_INFINITY;
        }
        let (va, vb) = (V::load_or(&a, 0.0), V::load_or(&b, 0.0));
        // The same lanes as the vectors hold; the rest as documented.
        let (mut la, mut lb) = ([f32::NEG_INFINITY; 16], [0.0f32; 16]);
        la[..V::LANES].copy_from_slice(&a[..V::LANES]);
        lb[..V::LANES].copy_from_slice(&b[..V::LANES]);
        let mut za = [0.0f32; 16];
        za[..V::LANES].copy_from_slice(&a[..V::LANES]);
        let want = pairwise(la, |x, y| if black_box(x < y) { y } else { x });
        // aarch64 may give either zero for `max(+0, -0)` (see
        // `max_of_is_the_select`).
        let mixed_zeros = la.contains(&0.0) && la.iter().any(|z| z.to_bits() == 0x8000_0000);
        if cfg!(target_feature = "sse") || !mixed_zeros {
            assert_eq!(
                va.reduce_max().to_bits(),
                want.to_bits(),
                "reduce_max {la:?}"
            );
        }
        let mut t = [0.0f64; 16];
        for ((t, &x), &y) in t.iter_mut().zip(&za).zip(&lb) {
            *t = f64::from(x) + f64::from(y);
        }
        let want = pairwise(t, |x, y| black_box(x) + y);
        let got = va.reduce_sum_f64(vb);
        assert_eq!(
            got.to_bits(),
            want.to_bits(),
            "reduce_sum_f64 {za:?} {lb:?}"
        );
        // NaN lanes, for the maximum only.
        let mut n = la;
        n[(next() % V::LANES as u32) as usize] = f32::from_bits(0x7fc0_0000 | (next() & 0xffff));
        let want = pairwise(n, |x, y| if black_box(x < y) { y } else { x });
        let got = V::load_or(&n[..V::LANES], 0.0).reduce_max();
        if cfg!(target_feature = "sse") || !mixed_zeros {
            assert_eq!(got.to_bits(), want.to_bits(), "reduce_max {n:?}");
        }
    }
}

#[test]
fn reductions_every_width() {
    reductions_are_the_tree::<f32x4>();
    reductions_are_the_tree::<f32x8>();
    reductions_are_the_tree::<f32x16>();
}

#[test]
fn max_of_every_width() {
    max_of_is_the_select::<f32x4>();
    max_of_is_the_select::<f32x8>();
    max_of_is_the_select::<f32x16>();
}
