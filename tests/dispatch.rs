//! The run-time dispatch: levels, forcing one, the environment variable.
//!
//! The kernels' results at every supported level are checked by the other
//! test files (they run every width and every level); this file checks the
//! level machinery itself. Forcing a level changes process-wide state, so
//! everything that forces one is in a single test.

mod common;

use activations::{Error, Level};

#[test]
fn levels_are_ordered_named_and_consistent() {
    let best = Level::best();
    println!(
        "build: {}; best level {best}; supported: {:?}",
        common::build_features(),
        common::levels()
    );
    assert!(Level::Portable.is_supported());
    for l in Level::ALL {
        assert_eq!(l.is_supported(), l <= best, "{l}");
        assert_eq!(Level::from_name(l.name()), Some(l));
        assert_eq!(Level::from_name(&l.name().to_uppercase()), Some(l));
        assert_eq!(l.to_string(), l.name());
    }
    assert_eq!(Level::from_name("sse9"), None);
    assert_eq!(Level::Avx2Fma.lanes(), 8);
    assert_eq!(Level::Avx512.lanes(), 16);
    assert_eq!(
        Level::Portable.lanes(),
        <activations::Native as activations::Lanes>::LANES
    );
    assert!(Level::Avx2Fma.fused() && Level::Avx512.fused());
    assert_eq!(Level::Portable.fused(), activations::accuracy::FMA);
    // On x86-64 with AVX-512F enabled at build time, detection is skipped
    // and must agree with the build.
    if cfg!(all(target_arch = "x86_64", target_feature = "avx512f")) {
        assert_eq!(best, Level::Avx512);
    }
    if !cfg!(target_arch = "x86_64") {
        assert_eq!(best, Level::Portable);
    }
}

/// The CPU's own report, where std can give it, agrees with the detection
/// (which uses CPUID/XGETBV directly, so that it works without std).
#[test]
#[cfg(target_arch = "x86_64")]
fn detection_agrees_with_std() {
    let avx512 = std::arch::is_x86_feature_detected!("avx512f");
    let avx2 =
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma");
    let want = if avx512 && avx2 {
        Level::Avx512
    } else if avx2 {
        Level::Avx2Fma
    } else {
        Level::Portable
    };
    assert_eq!(Level::best(), want);
}

#[test]
fn unsupported_levels_refuse_and_write_nothing() {
    let x = [1.0f32; 5];
    for l in Level::ALL.into_iter().filter(|l| !l.is_supported()) {
        let want = Err(Error::UnsupportedLevel { level: l });
        let mut y = [7.0f32; 5];
        assert_eq!(l.sigmoid(&x, &mut y), want);
        assert_eq!(l.tanh(&x, &mut y), want);
        assert_eq!(l.relu(&x, &mut y), want);
        assert_eq!(l.leaky_relu(&x, &mut y, 0.1), want);
        assert_eq!(l.softmax(&x, &mut y), want);
        assert_eq!(l.softmax_rows(&x, &mut y, 5), want);
        assert_eq!(l.log_softmax(&x, &mut y), want);
        assert_eq!(l.log_softmax_rows(&x, &mut y, 5), want);
        assert_eq!(l.softmax_backward(&x, &x, &mut y), want);
        assert_eq!(l.log_softmax_backward_rows(&x, &x, &mut y, 5), want);
        assert_eq!(y, [7.0; 5]);
        assert_eq!(l.log_softmax_in_place(&mut y), want);
        assert_eq!(l.softmax_backward_in_place(&x, &mut y), want);
        assert_eq!(y, [7.0; 5]);
        assert_eq!(l.sigmoid_in_place(&mut y), want);
        assert_eq!(l.softmax_rows_in_place(&mut y, 5), want);
        assert_eq!(y, [7.0; 5]);
        assert_eq!(l.force(), want.map(|()| Level::Portable));
        assert!(l.force().unwrap_err().to_string().contains(l.name()));
    }
}

#[test]
fn level_methods_check_arguments_like_the_crate_root() {
    for l in common::levels() {
        let mut y = [0.0f32; 3];
        assert_eq!(
            l.sigmoid(&[1.0; 4], &mut y),
            Err(Error::LengthMismatch {
                input: 4,
                output: 3
            })
        );
        assert_eq!(
            l.softmax_rows(&[1.0; 3], &mut y, 2),
            Err(Error::InvalidRowLength { len: 3, row_len: 2 })
        );
        assert_eq!(y, [0.0; 3]);
    }
}

/// Runs this test binary again as a child with `ACTIVATIONS_LEVEL` set and
/// returns the level the child's crate root chose.
fn child_level(env: &str) -> String {
    child_output(env, "1")
        .lines()
        .find_map(|l| l.strip_prefix("child level: ").map(String::from))
        .unwrap_or_else(|| panic!("no level in the child's output"))
}

/// Runs this test binary again as a child running only
/// `child_reports_its_level`, with `ACTIVATIONS_LEVEL=level_env` and
/// `ACTIVATIONS_TEST_CHILD=mode`; returns its standard output.
fn child_output(level_env: &str, mode: &str) -> String {
    // Under an emulator (cargo's `CARGO_TARGET_<triple>_RUNNER`, e.g. the
    // aarch64 CI step under qemu-user) the child must go through it too.
    let arch = std::env::consts::ARCH.to_uppercase();
    let runner: Vec<String> = std::env::vars()
        .find(|(k, _)| k.starts_with(&format!("CARGO_TARGET_{arch}_")) && k.ends_with("_RUNNER"))
        .map(|(_, v)| v.split_whitespace().map(String::from).collect())
        .unwrap_or_default();
    let exe = std::env::current_exe().unwrap();
    let mut cmd = match runner.split_first() {
        Some((prog, args)) => {
            let mut c = std::process::Command::new(prog);
            c.args(args).arg(&exe);
            c
        }
        None => std::process::Command::new(&exe),
    };
    let out = cmd
        .args(["--exact", "child_reports_its_level", "--nocapture"])
        .env("ACTIVATIONS_LEVEL", level_env)
        .env("ACTIVATIONS_TEST_CHILD", mode)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "child failed: {text}");
    text
}

/// Only does something in the child of `environment_variable_caps_the_level`.
#[test]
fn child_reports_its_level() {
    match std::env::var("ACTIVATIONS_TEST_CHILD").as_deref() {
        Ok("level-first") => {
            // A `Level` method is the process's first call into the crate
            // (the CPU not detected yet): each level's result, highest
            // level first, then whether each is supported.
            let mut y = [0.0f32];
            for l in Level::ALL.into_iter().rev() {
                let r = l.sigmoid(&[0.0], &mut y);
                println!("child level-first: {l} {} {}", r.is_ok(), y[0]);
            }
            for l in Level::ALL {
                println!("child supported: {l} {}", l.is_supported());
            }
        }
        Ok(_) => {
            // Call a kernel first: the level is chosen at the first call.
            let mut y = [0.0f32];
            activations::sigmoid(&[0.0], &mut y).unwrap();
            println!("child level: {}", Level::current());
        }
        Err(_) => {}
    }
}

/// A `Level` method called before anything else in the process detects
/// the CPU on the way (its first call takes a separate, cold path): it runs
/// where the level is supported and refuses where not, as later calls do.
#[test]
fn level_methods_as_the_first_call() {
    let out = child_output("", "level-first");
    for l in Level::ALL {
        let want = l.is_supported();
        let line = format!(
            "child level-first: {l} {want} {}",
            if want { "0.5" } else { "0" }
        );
        assert!(out.lines().any(|x| x == line), "want '{line}' in:\n{out}");
        let line = format!("child supported: {l} {want}");
        assert!(out.lines().any(|x| x == line), "want '{line}' in:\n{out}");
    }
}

#[test]
fn environment_variable_caps_the_level() {
    let best = Level::best();
    for l in Level::ALL {
        let want = l.min(best);
        assert_eq!(child_level(l.name()), want.name(), "ACTIVATIONS_LEVEL={l}");
    }
    assert_eq!(child_level("AVX2"), Level::Avx2Fma.min(best).name());
    // Unknown values are ignored: the best level.
    assert_eq!(child_level("fastest-please"), best.name());
}

#[test]
fn forcing_a_level_changes_the_crate_root_and_reports_the_previous() {
    let x: Vec<f32> = (0..1000).map(|i| (i as f32 - 500.0) * 0.037).collect();
    let start = Level::current();
    for l in common::levels() {
        l.force().unwrap();
        assert_eq!(Level::current(), l);
        let (mut a, mut b) = (vec![0f32; x.len()], vec![0f32; x.len()]);
        activations::tanh(&x, &mut a).unwrap();
        l.tanh(&x, &mut b).unwrap();
        assert!(
            a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()),
            "forced {l}"
        );
    }
    let last = *common::levels().last().unwrap();
    assert_eq!(start.force().unwrap(), last);
    assert_eq!(Level::current(), start);
}
