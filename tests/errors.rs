//! Every `Err` variant, and the promise that nothing is written on `Err`.

use activations::Error;

const SENTINEL: f32 = 12345.0;

#[test]
fn length_mismatch_writes_nothing() {
    let x = [1.0f32; 10];
    type F = fn(&[f32], &mut [f32]) -> Result<(), Error>;
    let fs: [(&str, F); 12] = [
        ("sigmoid", activations::sigmoid),
        ("sigmoid_fast", activations::sigmoid_fast),
        ("tanh_fast", activations::tanh_fast),
        ("silu", activations::silu),
        ("elu", |x, y| activations::elu(x, y, 1.0)),
        ("selu", activations::selu),
        ("hard_sigmoid", activations::hard_sigmoid),
        ("hard_swish", activations::hard_swish),
        ("tanh", activations::tanh),
        ("relu", activations::relu),
        ("leaky_relu", |x, y| activations::leaky_relu(x, y, 0.1)),
        ("softmax", activations::softmax),
    ];
    for (name, f) in fs {
        for out_len in [0usize, 9, 11, 100] {
            let mut y = vec![SENTINEL; out_len];
            assert_eq!(
                f(&x, &mut y),
                Err(Error::LengthMismatch {
                    input: 10,
                    output: out_len
                }),
                "{name}"
            );
            assert!(y.iter().all(|&v| v == SENTINEL), "{name} wrote on Err");
        }
    }
    let mut y = vec![SENTINEL; 9];
    assert_eq!(
        activations::softmax_rows(&x, &mut y, 5),
        Err(Error::LengthMismatch {
            input: 10,
            output: 9
        })
    );
    assert!(y.iter().all(|&v| v == SENTINEL));
}

#[test]
fn non_finite_elu_alpha_is_refused_and_writes_nothing() {
    let x = [-1.0f32; 10];
    let want = Err(Error::InvalidParameter { name: "alpha" });
    for alpha in [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::from_bits(0x7fa0_0001),
    ] {
        // Checked before the lengths: a mismatch with a bad alpha reports alpha.
        for out_len in [10usize, 3] {
            let mut y = vec![SENTINEL; out_len];
            assert_eq!(activations::elu(&x, &mut y, alpha), want, "alpha {alpha}");
            assert!(y.iter().all(|&v| v == SENTINEL), "elu wrote on Err");
        }
        let mut v = [SENTINEL; 10];
        assert_eq!(activations::elu_in_place(&mut v, alpha), want);
        assert!(
            v.iter().all(|&v| v == SENTINEL),
            "elu_in_place wrote on Err"
        );
        for l in activations::Level::ALL
            .into_iter()
            .filter(|l| l.is_supported())
        {
            let mut y = [SENTINEL; 10];
            assert_eq!(l.elu(&x, &mut y, alpha), want, "{l}");
            assert!(y.iter().all(|&v| v == SENTINEL));
        }
    }
    // Every finite alpha is accepted, zero and subnormal and huge included.
    for alpha in [0.0f32, -0.0, 1e-45, -2.5, f32::MAX, f32::MIN] {
        let mut y = [SENTINEL; 10];
        assert_eq!(activations::elu(&x, &mut y, alpha), Ok(()), "alpha {alpha}");
    }
    assert_eq!(
        Error::InvalidParameter { name: "alpha" }.to_string(),
        "parameter alpha must be finite"
    );
}

/// `elu_backward`: a non-finite `alpha` is refused before the lengths are
/// looked at, at the crate root, a width and every level; nothing written.
#[test]
fn non_finite_elu_backward_alpha_is_refused_and_writes_nothing() {
    use activations::{f32x8, generic};
    let x = [-1.0f32; 10];
    let want = Err(Error::InvalidParameter { name: "alpha" });
    for alpha in [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::from_bits(0xffa0_0001),
    ] {
        for (g_len, out_len) in [(10usize, 10usize), (3, 10), (10, 3)] {
            let g = vec![1.0f32; g_len];
            let mut y = vec![SENTINEL; out_len];
            assert_eq!(activations::elu_backward(&x, &g, &mut y, alpha), want);
            assert_eq!(generic::elu_backward::<f32x8>(&x, &g, &mut y, alpha), want);
            assert!(
                y.iter().all(|&v| v == SENTINEL),
                "elu_backward wrote on Err"
            );
            let mut gi = g.clone();
            assert_eq!(activations::elu_backward_in_place(&x, &mut gi, alpha), want);
            assert_eq!(gi, g, "elu_backward_in_place wrote on Err");
            for l in activations::Level::ALL
                .into_iter()
                .filter(|l| l.is_supported())
            {
                assert_eq!(l.elu_backward(&x, &g, &mut y, alpha), want, "{l}");
                assert_eq!(l.elu_backward_in_place(&x, &mut gi, alpha), want, "{l}");
            }
            assert!(
                y.iter().all(|&v| v == SENTINEL),
                "elu_backward wrote on Err"
            );
            assert_eq!(gi, g);
        }
    }
}

#[test]
fn invalid_row_length_writes_nothing() {
    let x = [1.0f32; 12];
    for row_len in [0usize, 5, 7, 13, 24] {
        let want = Err(Error::InvalidRowLength { len: 12, row_len });
        let mut y = [SENTINEL; 12];
        assert_eq!(activations::softmax_rows(&x, &mut y, row_len), want);
        assert!(y.iter().all(|&v| v == SENTINEL));
        let mut v = [SENTINEL; 12];
        assert_eq!(activations::softmax_rows_in_place(&mut v, row_len), want);
        assert!(v.iter().all(|&v| v == SENTINEL));
    }
    // Zero row length is an error even for an empty batch.
    assert_eq!(
        activations::softmax_rows(&[], &mut [], 0),
        Err(Error::InvalidRowLength { len: 0, row_len: 0 })
    );
    // Valid divisors succeed.
    for row_len in [1usize, 2, 3, 4, 6, 12] {
        let mut y = [0.0f32; 12];
        activations::softmax_rows(&x, &mut y, row_len).unwrap();
        assert!(y.iter().all(|&v| v == 1.0 / row_len as f32));
    }
}

#[test]
fn errors_display_and_are_std_errors() {
    let e = Error::LengthMismatch {
        input: 3,
        output: 4,
    };
    assert_eq!(
        e.to_string(),
        "output length 4 does not match input length 3"
    );
    let e = Error::InvalidRowLength {
        len: 10,
        row_len: 3,
    };
    assert_eq!(
        e.to_string(),
        "row length 3 does not divide slice length 10"
    );
    let e = Error::InvalidRowLength {
        len: 10,
        row_len: 0,
    };
    assert_eq!(e.to_string(), "row length is zero (slice length 10)");
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.source().is_none());
}

#[test]
fn empty_inputs_are_no_ops() {
    activations::sigmoid(&[], &mut []).unwrap();
    activations::tanh(&[], &mut []).unwrap();
    activations::relu(&[], &mut []).unwrap();
    activations::leaky_relu(&[], &mut [], 0.1).unwrap();
    activations::softmax(&[], &mut []).unwrap();
    activations::softmax_rows(&[], &mut [], 3).unwrap();
    activations::softmax_in_place(&mut []);
    activations::softmax_rows_in_place(&mut [], 1).unwrap();
}

/// The backward functions: `Err` when the gradient's or `grad_input`'s
/// length differs from the forward tensor's (the first mismatch, with
/// `input` the forward tensor's length), at the crate root, every width
/// and every supported level; nothing written.
#[test]
fn backward_length_mismatch_writes_nothing() {
    use activations::{f32x16, f32x4, generic};
    type F = fn(&[f32], &[f32], &mut [f32]) -> Result<(), Error>;
    type I = fn(&[f32], &mut [f32]) -> Result<(), Error>;
    let fs: [(&str, F, I); 16] = [
        (
            "sigmoid_backward",
            activations::sigmoid_backward,
            activations::sigmoid_backward_in_place,
        ),
        (
            "tanh_backward",
            activations::tanh_backward,
            activations::tanh_backward_in_place,
        ),
        (
            "relu_backward",
            activations::relu_backward,
            activations::relu_backward_in_place,
        ),
        (
            "leaky_relu_backward",
            |x, g, y| activations::leaky_relu_backward(x, g, y, 0.1),
            |x, g| activations::leaky_relu_backward_in_place(x, g, 0.1),
        ),
        (
            "silu_backward",
            activations::silu_backward,
            activations::silu_backward_in_place,
        ),
        (
            "softplus_backward",
            activations::softplus_backward,
            activations::softplus_backward_in_place,
        ),
        (
            "elu_backward",
            |x, g, y| activations::elu_backward(x, g, y, 0.5),
            |x, g| activations::elu_backward_in_place(x, g, 0.5),
        ),
        (
            "selu_backward",
            activations::selu_backward,
            activations::selu_backward_in_place,
        ),
        (
            "gelu_tanh_backward",
            activations::gelu_tanh_backward,
            activations::gelu_tanh_backward_in_place,
        ),
        (
            "gelu_backward",
            activations::gelu_backward,
            activations::gelu_backward_in_place,
        ),
        (
            "elu_backward f32x4",
            |x, g, y| generic::elu_backward::<f32x4>(x, g, y, -2.0),
            |x, g| generic::elu_backward_in_place::<f32x4>(x, g, -2.0),
        ),
        (
            "gelu_tanh_backward f32x16",
            generic::gelu_tanh_backward::<f32x16>,
            generic::gelu_tanh_backward_in_place::<f32x16>,
        ),
        (
            "silu_backward f32x16",
            generic::silu_backward::<f32x16>,
            generic::silu_backward_in_place::<f32x16>,
        ),
        (
            "softplus_backward f32x4",
            generic::softplus_backward::<f32x4>,
            generic::softplus_backward_in_place::<f32x4>,
        ),
        (
            "sigmoid_backward f32x4",
            generic::sigmoid_backward::<f32x4>,
            generic::sigmoid_backward_in_place::<f32x4>,
        ),
        (
            "tanh_backward f32x16",
            generic::tanh_backward::<f32x16>,
            generic::tanh_backward_in_place::<f32x16>,
        ),
    ];
    let x = [0.5f32; 10];
    for (name, f, fi) in fs {
        for (g_len, out_len) in [
            (10, 9),
            (10, 11),
            (10, 0),
            (9, 10),
            (11, 10),
            (0, 0),
            (9, 9),
        ] {
            let g = vec![1.0f32; g_len];
            let mut y = vec![SENTINEL; out_len];
            let want = if g_len != 10 {
                Error::LengthMismatch {
                    input: 10,
                    output: g_len,
                }
            } else {
                Error::LengthMismatch {
                    input: 10,
                    output: out_len,
                }
            };
            assert_eq!(f(&x, &g, &mut y), Err(want), "{name} ({g_len}, {out_len})");
            assert!(y.iter().all(|&v| v == SENTINEL), "{name} wrote on Err");
        }
        for g_len in [0usize, 9, 11] {
            let mut g = vec![SENTINEL; g_len];
            assert_eq!(
                fi(&x, &mut g),
                Err(Error::LengthMismatch {
                    input: 10,
                    output: g_len
                }),
                "{name} in place"
            );
            assert!(
                g.iter().all(|&v| v == SENTINEL),
                "{name} in place wrote on Err"
            );
        }
        // Equal lengths, empty included, succeed.
        f(&[], &[], &mut []).unwrap();
        fi(&[], &mut []).unwrap();
    }
    for l in activations::Level::ALL
        .into_iter()
        .filter(|l| l.is_supported())
    {
        let mut y = [SENTINEL; 9];
        assert_eq!(
            l.sigmoid_backward(&x, &x, &mut y),
            Err(Error::LengthMismatch {
                input: 10,
                output: 9
            })
        );
        assert_eq!(
            l.silu_backward(&x, &x, &mut y),
            Err(Error::LengthMismatch {
                input: 10,
                output: 9
            })
        );
        assert_eq!(
            l.elu_backward(&x, &x, &mut y, 1.0),
            Err(Error::LengthMismatch {
                input: 10,
                output: 9
            })
        );
        assert_eq!(
            l.selu_backward_in_place(&x, &mut y),
            Err(Error::LengthMismatch {
                input: 10,
                output: 9
            })
        );
        assert_eq!(
            l.gelu_tanh_backward(&x, &x, &mut y),
            Err(Error::LengthMismatch {
                input: 10,
                output: 9
            })
        );
        assert_eq!(
            l.softplus_backward_in_place(&x, &mut y),
            Err(Error::LengthMismatch {
                input: 10,
                output: 9
            })
        );
        assert_eq!(
            l.leaky_relu_backward_in_place(&x, &mut y, 0.2),
            Err(Error::LengthMismatch {
                input: 10,
                output: 9
            })
        );
        assert!(y.iter().all(|&v| v == SENTINEL), "{l} wrote on Err");
    }
}
