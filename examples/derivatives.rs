//! Why the derivatives matter: the numbers behind README's "Derivatives"
//! section, computed with this crate's forward and backward kernels.
//!
//! `cargo run --release --example derivatives`
//!
//! 1. The local derivative of sigmoid, tanh and ReLU at a few inputs
//!    (the backward kernels with an upstream gradient of 1).
//! 2. The gradient that reaches the input of a stack of `depth` layers of
//!    the same activation (chain rule: the product of the local
//!    derivatives), for a pre-activation of 0.5 in every layer.

use activations::{relu, relu_backward, sigmoid, sigmoid_backward, tanh, tanh_backward, Error};

fn main() -> Result<(), Error> {
    let xs = [-10.0f32, -5.0, -2.0, 0.0, 0.5, 2.0, 5.0, 10.0];
    let ones = [1.0f32; 8];
    let (mut y, mut d) = ([0.0f32; 8], [0.0f32; 8]);

    println!("local derivative f'(x), from the backward kernels with upstream gradient 1");
    println!(
        "{:>8} {:>12} {:>12} {:>8}",
        "x", "sigmoid'", "tanh'", "relu'"
    );
    let mut table = [[0.0f32; 8]; 3];
    sigmoid(&xs, &mut y)?;
    sigmoid_backward(&y, &ones, &mut d)?;
    table[0] = d;
    tanh(&xs, &mut y)?;
    tanh_backward(&y, &ones, &mut d)?;
    table[1] = d;
    relu_backward(&xs, &ones, &mut d)?;
    table[2] = d;
    for (i, x) in xs.iter().enumerate() {
        println!(
            "{x:>8} {:>12.6e} {:>12.6e} {:>8}",
            table[0][i], table[1][i], table[2][i]
        );
    }
    let peak = table[0].iter().fold(0.0f32, |a, &b| a.max(b));
    println!("sigmoid' peaks at {peak} (x = 0); tanh' at 1; relu' is 1 for every x > 0");

    println!();
    println!("gradient reaching the input of `depth` stacked layers (pre-activation 0.5 in each)");
    println!(
        "{:>6} {:>12} {:>12} {:>8}",
        "depth", "sigmoid", "tanh", "relu"
    );
    let x = [0.5f32];
    let mut g = [[1.0f32]; 3];
    for depth in 1..=20 {
        let (mut y1, mut next) = ([0.0f32], [0.0f32]);
        sigmoid(&x, &mut y1)?;
        sigmoid_backward(&y1, &g[0], &mut next)?;
        g[0] = next;
        tanh(&x, &mut y1)?;
        tanh_backward(&y1, &g[1], &mut next)?;
        g[1] = next;
        relu(&x, &mut y1)?;
        relu_backward(&x, &g[2], &mut next)?;
        g[2] = next;
        if [1, 2, 5, 10, 20].contains(&depth) {
            println!(
                "{depth:>6} {:>12.4e} {:>12.4e} {:>8}",
                g[0][0], g[1][0], g[2][0]
            );
        }
    }
    Ok(())
}
