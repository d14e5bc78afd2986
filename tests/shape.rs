//! Lengths, in place vs out of place, position independence, widths agreeing.

mod common;

use common::{elementwise, Rng};

fn interesting_values(rng: &mut Rng, n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| match i % 4 {
            0 => rng.any_f32(),
            1 => (rng.normal() * 10.0) as f32,
            2 => (rng.normal() * 100.0) as f32,
            _ => (rng.normal() * 0.01) as f32,
        })
        .collect()
}

#[test]
fn every_length_up_to_three_vectors_plus_one() {
    let mut rng = Rng(1);
    for k in elementwise() {
        for p in k.paths() {
            let (w, f, fi) = (&p.label, &p.out, &p.in_place);
            for len in 0..=3 * p.lanes + 1 {
                let x = interesting_values(&mut rng, len);
                let mut y = vec![0f32; len];
                f(&x, &mut y).unwrap();
                // Each output equals the same input computed alone (position
                // and length independence: the tail runs the same code).
                for (i, (&xi, &yi)) in x.iter().zip(&y).enumerate() {
                    let mut alone = [0f32];
                    f(&[xi], &mut alone).unwrap();
                    assert_eq!(
                        yi.to_bits(),
                        alone[0].to_bits(),
                        "{} {w} len {len} i {i}",
                        k.name
                    );
                }
                let mut z = x.clone();
                fi(&mut z);
                assert!(
                    z.iter().zip(&y).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{} {w} in place differs, len {len}",
                    k.name
                );
            }
        }
    }
}

#[test]
fn elementwise_widths_and_levels_agree_bit_for_bit() {
    // Same arithmetic at every width and level with the same kind of
    // multiply-add (fused or not), so the same bits.
    let mut rng = Rng(2);
    let x = interesting_values(&mut rng, 100_003);
    for k in elementwise() {
        let paths = k.paths();
        let outs: Vec<Vec<u32>> = paths
            .iter()
            .map(|p| {
                let mut y = vec![0f32; x.len()];
                (p.out)(&x, &mut y).unwrap();
                y.iter().map(|v| v.to_bits()).collect()
            })
            .collect();
        for (i, p) in paths.iter().enumerate() {
            if let Some(j) = paths[..i].iter().position(|q| q.fused == p.fused) {
                assert!(
                    outs[i] == outs[j],
                    "{}: {} vs {}",
                    k.name,
                    p.label,
                    paths[j].label
                );
            }
        }
    }
}

#[test]
fn native_entry_points_match_generic() {
    let mut rng = Rng(3);
    let x = interesting_values(&mut rng, 1001);
    // The crate root runs at `Level::current()`.
    let level = activations::Level::current();
    let ks = elementwise();
    let pairs: [(&str, common::SliceFn); 3] = [
        ("sigmoid", activations::sigmoid),
        ("tanh", activations::tanh),
        ("relu", activations::relu),
    ];
    for (name, f) in pairs {
        let k = ks.iter().find(|k| k.name == name).unwrap();
        let (mut a, mut b) = (vec![0f32; x.len()], vec![0f32; x.len()]);
        f(&x, &mut a).unwrap();
        (k.at_level)(level, &x, &mut b).unwrap();
        assert!(
            a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()),
            "{name}"
        );
    }
    let finite: Vec<f32> = x[..77]
        .iter()
        .map(|v| if v.is_finite() { *v } else { 0.0 })
        .collect();
    let (mut a, mut b) = (vec![0f32; 77], vec![0f32; 77]);
    activations::softmax(&finite, &mut a).unwrap();
    level.softmax(&finite, &mut b).unwrap();
    assert!(a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()));
}

#[test]
fn softmax_every_length_and_widths_within_bound_of_each_other() {
    let mut rng = Rng(4);
    let paths = common::softmax_paths();
    for len in 1..=3 * 16 + 1 {
        let x: Vec<f32> = (0..len).map(|_| (rng.normal() * 20.0) as f32).collect();
        let want = common::reference::softmax(&x);
        for p in &paths {
            let w = &p.label;
            let bound = f64::from(activations::accuracy::softmax_bound(p.fused));
            let mut y = vec![0f32; len];
            (p.out)(&x, &mut y).unwrap();
            for (i, (&yi, &ri)) in y.iter().zip(&want).enumerate() {
                let e = common::reference::ulp_error(yi, ri);
                assert!(e <= bound, "{w} len {len} i {i}: {e} ULP");
            }
        }
    }
}
