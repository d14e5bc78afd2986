//! The README's pictures, computed with the crate itself and written as SVG.
//!
//! `cargo run --release --example plots [OUT_DIR]` (default: `docs/` of the
//! crate) writes:
//! - `activations.svg`: sigmoid, tanh, relu and leaky_relu(0.1) with their
//!   derivatives on [-6, 6] (from the crate's outputs), output ranges and
//!   saturation regions (|f'| < 0.01) marked;
//! - `error.svg`: the error in ULP of sigmoid and tanh against the f64
//!   reference (`tests/common/reference.rs`), maximum per bin over a
//!   symmetric-log x axis from ±1e-6 to ±110, with the documented bound
//!   (`activations::accuracy`); and softmax's per-element error on random rows;
//! - `speed-<build>.csv`: throughput of each kernel and of the naive scalar
//!   loop at n = 4096, measured by this run for this build (`default-sse2`,
//!   `native-avx2`, `native-avx512`, ...);
//! - `speed.svg`: grouped bars from every `speed-*.csv` in OUT_DIR. Run once
//!   with `RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR=target/native`
//!   and once plainly to compare both builds (in that order, the other files
//!   are left from the default build, the one `cargo test` checks).
//!
//! Each run takes a few seconds: about 1.5 s for the error sweeps and 1.5 s of
//! timings (taken in turns, crate then naive, median of each).

#[path = "../tests/common/mod.rs"]
mod common;

use common::reference;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

const FONT: &str = "sans-serif";
const BLUE_: RGBColor = RGBColor(31, 119, 180);
const ORANGE_: RGBColor = RGBColor(230, 120, 20);
const RED_: RGBColor = RGBColor(200, 30, 30);
const GREEN_: RGBColor = RGBColor(44, 160, 44);
const PURPLE_: RGBColor = RGBColor(148, 103, 189);
const GRAY_: RGBColor = RGBColor(120, 120, 120);
const SHADE: RGBColor = RGBColor(255, 200, 120);
// Font sizes (plotters' SVG text is 1/1.24 of these in px).
const TITLE: i32 = 28;
const CAPTION: i32 = 22;
const LABEL: i32 = 17;
const DESC: i32 = 18;
const LEGEND: i32 = 17;
const NOTE: i32 = 17;

fn main() -> Res {
    let out: PathBuf = std::env::args().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("docs"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out)?;
    println!(
        "plots into {}; build: {}",
        out.display(),
        common::build_features()
    );

    let t = Instant::now();
    activations_svg(&out.join("activations.svg"))?;
    println!("  activations.svg ({:.1} s)", t.elapsed().as_secs_f64());

    let t = Instant::now();
    error_svg(&out.join("error.svg"))?;
    println!("  error.svg ({:.1} s)", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let build = build_name();
    let csv = out.join(format!("speed-{build}.csv"));
    std::fs::write(&csv, speed_csv(&build))?;
    println!("  {} ({:.1} s)", csv.display(), t.elapsed().as_secs_f64());
    speed_svg(&out, &out.join("speed.svg"))?;
    println!("  speed.svg");
    Ok(())
}

// ---------------------------------------------------------------------------
// 1. The curves and their derivatives.

/// One panel: the function, its derivative computed from the crate's outputs,
/// its output range and y extent.
struct Curve {
    title: &'static str,
    f: &'static str,
    df: &'static str,
    y: (f64, f64),
    /// Horizontal asymptotes / bounds of the output range.
    range_lines: &'static [f64],
    range_label: &'static str,
    /// Whether f' jumps at 0 (draw the two sides apart, the value at 0 as a dot).
    kink: bool,
}

const LEAKY_SLOPE: f32 = 0.1;
const SATURATED: f64 = 0.01;

fn activations_svg(path: &Path) -> Res {
    // x = -6, -5.98, ..., 6, with 0 exactly on the grid.
    let xs: Vec<f32> = (0..=600).map(|i| (i - 300) as f32 / 50.0).collect();
    let mut y = vec![0f32; xs.len()];
    let curves = [
        (
            Curve {
                title: "sigmoid σ(x): output range (0, 1)",
                f: "σ(x)",
                df: "σ'(x) = σ(1 - σ)",
                y: (-0.15, 1.2),
                range_lines: &[0.0, 1.0],
                range_label: "output range bounds 0, 1",
                kink: false,
            },
            {
                activations::sigmoid(&xs, &mut y)?;
                y.clone()
            },
            y.iter()
                .map(|&s| f64::from(s) * (1.0 - f64::from(s)))
                .collect::<Vec<_>>(),
        ),
        (
            Curve {
                title: "tanh(x): output range (-1, 1)",
                f: "tanh(x)",
                df: "tanh'(x) = 1 - tanh²",
                y: (-1.3, 1.4),
                range_lines: &[-1.0, 1.0],
                range_label: "output range bounds -1, 1",
                kink: false,
            },
            {
                activations::tanh(&xs, &mut y)?;
                y.clone()
            },
            y.iter()
                .map(|&t| 1.0 - f64::from(t) * f64::from(t))
                .collect(),
        ),
        (
            Curve {
                title: "relu(x): output range [0, ∞)",
                f: "relu(x)",
                df: "relu'(x) = 1 if x > 0 else 0",
                y: (-1.0, 6.8),
                range_lines: &[0.0],
                range_label: "output range bound 0",
                kink: true,
            },
            {
                activations::relu(&xs, &mut y)?;
                y.clone()
            },
            // From the outputs: the slope is 1 where relu passed x through.
            y.iter().map(|&r| if r > 0.0 { 1.0 } else { 0.0 }).collect(),
        ),
        (
            Curve {
                title: "leaky_relu(x, 0.1): output range (-∞, ∞)",
                f: "leaky_relu(x, 0.1)",
                df: "leaky' = 1 if x > 0 else 0.1",
                y: (-1.0, 6.8),
                range_lines: &[],
                range_label: "",
                kink: true,
            },
            {
                activations::leaky_relu(&xs, &mut y, LEAKY_SLOPE)?;
                y.clone()
            },
            // From the outputs: y / x is 1 or the slope (the slope at 0).
            xs.iter()
                .zip(&y)
                .map(|(&x, &l)| {
                    if x == 0.0 {
                        f64::from(LEAKY_SLOPE)
                    } else {
                        f64::from(l) / f64::from(x)
                    }
                })
                .collect(),
        ),
    ];

    let root = SVGBackend::new(path, (1200, 880)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        "The activations (outputs of this crate) and their derivatives on [-6, 6]",
        (FONT, TITLE),
    )?;
    let panels = root.split_evenly((2, 2));
    for (area, (c, ys, ds)) in panels.iter().zip(&curves) {
        let mut chart = ChartBuilder::on(area)
            .caption(c.title, (FONT, CAPTION))
            .margin(12)
            .x_label_area_size(38)
            .y_label_area_size(48)
            .build_cartesian_2d(-6.0f64..6.0, c.y.0..c.y.1)?;
        chart
            .configure_mesh()
            .x_labels(13)
            .y_labels(8)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.1}"))
            .max_light_lines(0)
            .bold_line_style(BLACK.mix(0.08))
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, DESC))
            .x_desc("x")
            .draw()?;

        // Saturation: where |f'| < 0.01, shaded over the full height.
        let mut first = true;
        for (a, b) in runs(&xs, |i| ds[i].abs() < SATURATED) {
            let r = chart.draw_series(std::iter::once(Rectangle::new(
                [(a, c.y.0), (b, c.y.1)],
                SHADE.mix(0.45).filled(),
            )))?;
            if first {
                r.label("saturated: |f'(x)| < 0.01").legend(|(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 20, y + 6)], SHADE.mix(0.45).filled())
                });
                first = false;
            }
        }
        // Output range bounds.
        for (i, &v) in c.range_lines.iter().enumerate() {
            let r = chart.draw_series(DashedLineSeries::new(
                [(-6.0, v), (6.0, v)],
                6,
                4,
                GRAY_.stroke_width(1),
            ))?;
            if i == 0 {
                r.label(c.range_label).legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 6, y), (x + 10, y), (x + 16, y)], GRAY_)
                });
            }
        }
        // The function.
        let pts: Vec<(f64, f64)> = xs
            .iter()
            .zip(ys)
            .map(|(&x, &v)| (f64::from(x), f64::from(v)))
            .collect();
        chart
            .draw_series(LineSeries::new(pts, BLUE_.stroke_width(3)))?
            .label(c.f)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE_.stroke_width(3)));
        // The derivative: two pieces and a dot at 0 where it jumps.
        let dpts: Vec<(f64, f64)> = xs
            .iter()
            .zip(ds)
            .map(|(&x, &v)| (f64::from(x), v))
            .collect();
        let style = ORANGE_.stroke_width(2);
        if c.kink {
            let left: Vec<_> = dpts.iter().copied().filter(|p| p.0 < 0.0).collect();
            let right: Vec<_> = dpts.iter().copied().filter(|p| p.0 > 0.0).collect();
            let at0 = dpts.iter().copied().filter(|p| p.0 == 0.0);
            chart.draw_series(LineSeries::new(left, style))?;
            chart.draw_series(at0.map(|p| Circle::new(p, 4, ORANGE_.filled())))?;
            chart
                .draw_series(LineSeries::new(right, style))?
                .label(c.df)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        } else {
            chart
                .draw_series(LineSeries::new(dpts, style))?
                .label(c.df)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        if c.range_lines.is_empty() {
            chart.draw_series(std::iter::once(Text::new(
                "f' ≥ 0.1 everywhere: never saturates",
                (5.85, -0.5),
                (FONT, NOTE)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            )))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.92))
            .border_style(BLACK.mix(0.4))
            .label_font((FONT, LEGEND))
            .draw()?;
    }
    root.present()?;
    Ok(())
}

/// The x intervals (cell edges between grid points) over which `pred` holds.
fn runs(xs: &[f32], pred: impl Fn(usize) -> bool) -> Vec<(f64, f64)> {
    let edge = |i: usize| -> f64 {
        if i == 0 {
            f64::from(xs[0])
        } else if i >= xs.len() {
            f64::from(xs[xs.len() - 1])
        } else {
            (f64::from(xs[i - 1]) + f64::from(xs[i])) / 2.0
        }
    };
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=xs.len() {
        let on = i < xs.len() && pred(i);
        match (on, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((edge(s), edge(i)));
                start = None;
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------
// 2. The error.

/// The symmetric log axis: `u = sign(x) (log10|x| + 6)` for `|x|` in
/// [1e-6, 110], so u = ±k is x = ±10^(k-6) and u = 0 stands for ±1e-6.
const LOG_MIN: f64 = -6.0;
const X_MAX: f64 = 110.0;
const BINS_PER_SIDE: usize = 200;
/// Each bin sweeps `CHUNKS` runs of `CHUNK` consecutive floats, spread evenly
/// over the bin (all of its floats when it has fewer).
const CHUNKS: u32 = 16;
const CHUNK: u32 = 4096;
/// The sigmoid tail on a linear axis: [-110, -80] in 120 bins, every float.
const TAIL: (f64, f64) = (-110.0, -80.0);
const TAIL_BINS: usize = 120;

type SliceFn = fn(&[f32], &mut [f32]) -> Result<(), activations::Error>;
/// (x or u from, to, maximum error in ULP)
type Bin = (f64, f64, f64);

fn to_u(x: f64) -> f64 {
    x.signum() * (x.abs().log10() - LOG_MIN)
}

fn u_label(u: &f64) -> String {
    let k = u.round() as i32;
    if k == 0 {
        return "±1e-6".into();
    }
    let e = k.abs() + LOG_MIN as i32;
    let sign = if k < 0 { "-" } else { "" };
    match e {
        -1 => format!("{sign}0.1"),
        0 => format!("{sign}1"),
        1 => format!("{sign}10"),
        2 => format!("{sign}100"),
        _ => format!("{sign}1e{e}"),
    }
}

/// Maximum error of `f` against `r` over the floats of sign `sign` (0 or the
/// sign bit) whose magnitude has bits in `[a, b)`: all of them, or `CHUNKS`
/// runs of `CHUNK` consecutive ones spread over the range.
fn max_error(
    f: SliceFn,
    r: fn(f32) -> f64,
    a: u32,
    b: u32,
    sign: u32,
    xs: &mut Vec<f32>,
) -> Res<f64> {
    xs.clear();
    let count = b - a;
    if count <= CHUNKS * CHUNK {
        xs.extend((a..b).map(|bits| f32::from_bits(bits | sign)));
    } else {
        for c in 0..CHUNKS {
            let start =
                a + (u64::from(count - CHUNK) * u64::from(c) / u64::from(CHUNKS - 1)) as u32;
            xs.extend((start..start + CHUNK).map(|bits| f32::from_bits(bits | sign)));
        }
    }
    let mut ys = vec![0f32; xs.len()];
    f(xs, &mut ys)?;
    Ok(xs
        .iter()
        .zip(&ys)
        .map(|(&x, &y)| reference::ulp_error(y, r(x)))
        .fold(0f64, f64::max))
}

/// Maximum error per bin of the symmetric log axis, negative bins then
/// positive ones, in increasing u.
fn error_bins(f: SliceFn, r: fn(f32) -> f64) -> Res<Vec<Bin>> {
    let top = X_MAX.log10() - LOG_MIN;
    let w = top / BINS_PER_SIDE as f64;
    let mut xs = Vec::with_capacity((CHUNKS * CHUNK) as usize);
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for j in 0..BINS_PER_SIDE {
        let (u0, u1) = (j as f64 * w, (j + 1) as f64 * w);
        let a = (10f64.powf(u0 + LOG_MIN) as f32).to_bits();
        let b = (10f64.powf(u1 + LOG_MIN) as f32).to_bits();
        pos.push((u0, u1, max_error(f, r, a, b, 0, &mut xs)?));
        neg.push((-u1, -u0, max_error(f, r, a, b, 0x8000_0000, &mut xs)?));
    }
    neg.reverse();
    neg.extend(pos);
    Ok(neg)
}

/// Maximum error per bin of the linear range `TAIL` (all negative).
fn tail_bins(f: SliceFn, r: fn(f32) -> f64) -> Res<Vec<Bin>> {
    let w = (TAIL.1 - TAIL.0) / TAIL_BINS as f64;
    let mut xs = Vec::new();
    (0..TAIL_BINS)
        .map(|j| {
            let (x0, x1) = (TAIL.0 + j as f64 * w, TAIL.0 + (j + 1) as f64 * w);
            let a = (-x1 as f32).to_bits();
            let b = (-x0 as f32).to_bits();
            Ok((x0, x1, max_error(f, r, a, b, 0x8000_0000, &mut xs)?))
        })
        .collect()
}

/// One error panel: bars of the maximum per bin, the bound, marked points.
struct ErrorPanel<'a> {
    caption: String,
    x: (f64, f64),
    symlog: bool,
    x_desc: &'a str,
    bins: &'a [Bin],
    bound: f32,
    bound_name: &'a str,
    /// (u or x, text, text on the right of the line, height as a fraction of the top)
    marks: &'a [(f64, &'a str, bool, f64)],
    legend: SeriesLabelPosition,
    name: &'a str,
}

fn error_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    p: ErrorPanel,
) -> Res<f64> {
    let worst = p.bins.iter().map(|b| b.2).fold(0f64, f64::max);
    let y_top = (f64::from(p.bound) * 1.5).max(worst * 1.2);
    let mut chart = ChartBuilder::on(area)
        .caption(&p.caption, (FONT, CAPTION))
        .margin(12)
        .margin_right(20)
        .x_label_area_size(46)
        .y_label_area_size(58)
        .build_cartesian_2d(p.x.0..p.x.1, 0.0..y_top)?;
    let linear_label = |v: &f64| format!("{v:.0}");
    let mut mesh = chart.configure_mesh();
    mesh.y_labels(8)
        .max_light_lines(0)
        .bold_line_style(BLACK.mix(0.08))
        .label_style((FONT, LABEL))
        .axis_desc_style((FONT, DESC))
        .x_desc(p.x_desc)
        .y_desc("error (ULP)");
    if p.symlog {
        mesh.x_labels(17).x_label_formatter(&u_label);
    } else {
        mesh.x_labels(7).x_label_formatter(&linear_label);
    }
    mesh.draw()?;
    let span = p.x.1 - p.x.0;
    for &(u, text, right, height) in p.marks {
        chart.draw_series(DashedLineSeries::new(
            [(u, 0.0), (u, y_top)],
            4,
            4,
            GRAY_.stroke_width(1),
        ))?;
        let (dx, h) = if right {
            (span * 0.006, HPos::Left)
        } else {
            (-span * 0.006, HPos::Right)
        };
        chart.draw_series(std::iter::once(Text::new(
            text.to_string(),
            (u + dx, y_top * height),
            (FONT, NOTE)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(h, VPos::Center)),
        )))?;
    }
    let fill = BLUE_.mix(0.35).filled();
    chart
        .draw_series(
            p.bins
                .iter()
                .map(|&(u0, u1, e)| Rectangle::new([(u0, 0.0), (u1, e)], fill)),
        )?
        .label(format!(
            "{}max error per bin (overall {worst:.3} ULP)",
            p.name
        ))
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], fill));
    chart.draw_series(LineSeries::new(
        p.bins.iter().flat_map(|&(u0, u1, e)| [(u0, e), (u1, e)]),
        BLUE_.stroke_width(1),
    ))?;
    let b = f64::from(p.bound);
    chart
        .draw_series(DashedLineSeries::new(
            [(p.x.0, b), (p.x.1, b)],
            10,
            5,
            RED_.stroke_width(2),
        ))?
        .label(format!(
            "{}bound {:.1} ULP{}",
            if p.bound_name.is_empty() {
                ""
            } else {
                "documented "
            },
            p.bound,
            if p.bound_name.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.bound_name)
            }
        ))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED_.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(p.legend)
        .background_style(WHITE.mix(0.92))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, LEGEND))
        .draw()?;
    Ok(worst)
}

fn error_svg(path: &Path) -> Res {
    let top = X_MAX.log10() - LOG_MIN;
    let sig = error_bins(activations::sigmoid, reference::sigmoid)?;
    let sig_tail = tail_bins(activations::sigmoid, reference::sigmoid)?;
    let tanh = error_bins(activations::tanh, reference::tanh)?;
    let build = build_name();
    let per_bin = format!(
        "{} bins, each {CHUNKS} runs of {CHUNK} consecutive floats",
        2 * BINS_PER_SIDE
    );
    let symlog_desc = "x (symmetric log scale: |x| from 1e-6 to 110 on each side)";

    let root = SVGBackend::new(path, (1300, 1240)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        &format!(
            "Error in ULP against the f64 reference (tests/common/reference.rs), {build} build"
        ),
        (FONT, TITLE),
    )?;
    let (upper, softmax_area) = root.split_vertically(820);
    let (sig_row, tanh_area) = upper.split_vertically(410);
    let (sig_area, tail_area) = sig_row.split_horizontally(880);

    let mut worst = error_panel(
        &sig_area,
        ErrorPanel {
            caption: format!("sigmoid ({per_bin})"),
            x: (-top, top),
            symlog: true,
            x_desc: symlog_desc,
            bins: &sig,
            bound: activations::accuracy::SIGMOID,
            bound_name: "accuracy::SIGMOID",
            marks: &[
                (to_u(-87.34), "← subnormal σ: see right", true, 0.87),
                (to_u(17.33), "σ = 1 above 17.33", false, 0.87),
            ],
            legend: SeriesLabelPosition::UpperMiddle,
            name: "sigmoid ",
        },
    )?;
    worst = worst.max(error_panel(
        &tail_area,
        ErrorPanel {
            caption: format!("sigmoid tail ({TAIL_BINS} bins, every float)"),
            x: TAIL,
            symlog: false,
            x_desc: "x (linear)",
            bins: &sig_tail,
            bound: activations::accuracy::SIGMOID,
            bound_name: "",
            marks: &[
                (-103.97, "← σ = 0", false, 0.6),
                (-87.34, "← σ subnormal", false, 0.6),
            ],
            legend: SeriesLabelPosition::UpperLeft,
            name: "",
        },
    )?);
    println!(
        "    sigmoid: max {worst:.4} ULP over the bins (bound {})",
        activations::accuracy::SIGMOID
    );
    let worst = error_panel(
        &tanh_area,
        ErrorPanel {
            caption: format!("tanh ({per_bin})"),
            x: (-top, top),
            symlog: true,
            x_desc: symlog_desc,
            bins: &tanh,
            bound: activations::accuracy::TANH,
            bound_name: "accuracy::TANH",
            marks: &[
                (to_u(-9.011), "tanh = -1 below -9.01", true, 0.87),
                (to_u(9.011), "tanh = 1 above 9.01", false, 0.87),
            ],
            legend: SeriesLabelPosition::UpperMiddle,
            name: "tanh ",
        },
    )?;
    println!(
        "    tanh: max {worst:.4} ULP over the bins (bound {})",
        activations::accuracy::TANH
    );

    softmax_panel(&softmax_area)?;
    root.present()?;
    Ok(())
}

/// Softmax: per-element error against the f64 softmax of the row, on three
/// random rows, as the maximum over half-decades of the (reference) output.
fn softmax_panel(area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Res {
    const N: usize = 4096;
    const LO: f64 = -46.0; // log10 of the output: f32's smallest subnormal is 1.4e-45
    const BIN: f64 = 0.5;
    let mut rng = common::Rng(8);
    let rows = [(1.0, GREEN_), (8.0, PURPLE_), (30.0, ORANGE_)];
    let bound = f64::from(activations::accuracy::SOFTMAX);
    let mut series = Vec::new();
    let mut worst_all = 0f64;
    for &(sd, color) in &rows {
        let row: Vec<f32> = (0..N).map(|_| (rng.normal() * sd) as f32).collect();
        let mut p = vec![0f32; N];
        activations::softmax(&row, &mut p)?;
        let want = reference::softmax(&row);
        let nbins = (-LO / BIN) as usize;
        let mut bins = vec![f64::NAN; nbins];
        for (&y, &r) in p.iter().zip(&want) {
            let e = reference::ulp_error(y, r);
            worst_all = worst_all.max(e);
            let l = r.log10();
            if (LO..=0.0).contains(&l) {
                let i = (((l - LO) / BIN) as usize).min(nbins - 1);
                bins[i] = if bins[i].is_nan() { e } else { bins[i].max(e) };
            }
        }
        let pts: Vec<(f64, f64)> = bins
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.is_nan())
            .map(|(i, &e)| (LO + (i as f64 + 0.5) * BIN, e))
            .collect();
        series.push((sd, color, pts));
    }
    let y_top = (bound * 1.35).max(worst_all * 1.15);
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("softmax: per-element error on three random rows of {N} (maximum per half-decade of the output)"),
            (FONT, CAPTION),
        )
        .margin(12)
        .margin_right(20)
        .x_label_area_size(46)
        .y_label_area_size(58)
        .build_cartesian_2d(LO..0.0, 0.0..y_top)?;
    chart
        .configure_mesh()
        .x_labels(12)
        .y_labels(8)
        .max_light_lines(0)
        .bold_line_style(BLACK.mix(0.08))
        .x_label_formatter(&|v| match v.round() as i32 {
            0 => "1".into(),
            e => format!("1e{e}"),
        })
        .label_style((FONT, LABEL))
        .axis_desc_style((FONT, DESC))
        .x_desc("output softmax(x)ᵢ, f64 reference (log scale; f32 subnormals below 1.2e-38)")
        .y_desc("error (ULP)")
        .draw()?;
    for (sd, color, pts) in series {
        let style = color.stroke_width(2);
        chart
            .draw_series(LineSeries::new(pts.clone(), style))?
            .label(format!("row of {N} N(0, {sd}²) logits"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
    }
    chart
        .draw_series(DashedLineSeries::new(
            [(LO, bound), (0.0, bound)],
            10,
            5,
            RED_.stroke_width(2),
        ))?
        .label(format!(
            "documented bound {bound:.1} ULP (accuracy::SOFTMAX); overall max {worst_all:.3}"
        ))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED_.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.92))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, LEGEND))
        .draw()?;
    println!("    softmax: max {worst_all:.4} ULP (bound {bound})");
    Ok(())
}

// ---------------------------------------------------------------------------
// 3. The speed.

const KERNELS: [&str; 5] = ["sigmoid", "tanh", "relu", "leaky_relu", "softmax"];
const N: usize = 4096;
const REPS: usize = 15;
/// Elements per timing: 512 calls on 4096 elements.
const PER_TIMING: usize = 1 << 21;

/// "native-avx512", "native-avx2", "default-sse2", ...: which SIMD this build
/// compiled in (a `target-cpu=native` build on a CPU without AVX2 is
/// indistinguishable from the default one, and named like it).
/// The build's compile-time features, then the level the crate root runs
/// at (run-time dispatch), e.g. `default-sse2-level-avx512`.
fn build_name() -> String {
    format!("{}-level-{}", build_base(), activations::Level::current())
}

fn build_base() -> String {
    if cfg!(target_feature = "avx512f") {
        "native-avx512".into()
    } else if cfg!(target_feature = "avx2") && cfg!(target_feature = "fma") {
        "native-avx2-fma".into()
    } else if cfg!(target_feature = "avx2") {
        "native-avx2".into()
    } else if cfg!(target_feature = "sse2") {
        "default-sse2".into()
    } else if cfg!(target_feature = "neon") {
        "default-neon".into()
    } else {
        format!("default-{}", std::env::consts::ARCH)
    }
}

/// Elements per nanosecond of `ours` and of `naive` (one call of either
/// processes `N` elements): the median over `REPS` timings each, taken in
/// turns so that both see the same machine load.
fn elems_per_ns(mut ours: impl FnMut(), mut naive: impl FnMut()) -> (f64, f64) {
    let calls = PER_TIMING / N;
    let time = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        for _ in 0..calls {
            f();
        }
        (calls * N) as f64 / t.elapsed().as_nanos() as f64
    };
    ours();
    naive();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..REPS {
        a.push(time(&mut ours));
        b.push(time(&mut naive));
    }
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    (a[REPS / 2], b[REPS / 2])
}

/// Measures every kernel and its naive loop; the CSV text.
fn speed_csv(build: &str) -> String {
    let mut rng = common::Rng(4096);
    let xs: Vec<f32> = (0..N).map(|_| (rng.normal() * 4.0) as f32).collect();
    let (mut y1, mut y2) = (vec![0f32; N], vec![0f32; N]);
    let s = 0.01f32;
    let mut rows: Vec<(&str, f64, f64)> = Vec::new();
    for k in KERNELS {
        let (ours, naive) = match k {
            "sigmoid" => elems_per_ns(
                || activations::sigmoid(black_box(&xs), &mut y1).unwrap(),
                || {
                    for (y, &x) in y2.iter_mut().zip(black_box(&xs)) {
                        *y = 1.0 / (1.0 + (-x).exp());
                    }
                },
            ),
            "tanh" => elems_per_ns(
                || activations::tanh(black_box(&xs), &mut y1).unwrap(),
                || {
                    for (y, &x) in y2.iter_mut().zip(black_box(&xs)) {
                        *y = x.tanh();
                    }
                },
            ),
            "relu" => elems_per_ns(
                || activations::relu(black_box(&xs), &mut y1).unwrap(),
                || {
                    for (y, &x) in y2.iter_mut().zip(black_box(&xs)) {
                        *y = x.max(0.0);
                    }
                },
            ),
            "leaky_relu" => elems_per_ns(
                || activations::leaky_relu(black_box(&xs), &mut y1, black_box(s)).unwrap(),
                || {
                    let s = black_box(s);
                    for (y, &x) in y2.iter_mut().zip(black_box(&xs)) {
                        *y = if x < 0.0 { x * s } else { x };
                    }
                },
            ),
            _ => elems_per_ns(
                || activations::softmax(black_box(&xs), &mut y1).unwrap(),
                || {
                    let xs = black_box(&xs);
                    let m = xs.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
                    let mut sum = 0.0f32;
                    for (y, &x) in y2.iter_mut().zip(xs) {
                        *y = (x - m).exp();
                        sum += *y;
                    }
                    for y in y2.iter_mut() {
                        *y /= sum;
                    }
                },
            ),
        };
        black_box((&y1, &y2));
        println!(
            "    {k:10} crate {ours:7.3} el/ns   naive {naive:7.3} el/ns   x{:.1}",
            ours / naive
        );
        rows.push((k, ours, naive));
    }
    let mut csv = String::new();
    let _ = writeln!(
        csv,
        "# activations throughput, n = {N}, median of {REPS} timings of {PER_TIMING} elements; \
         elements per ns, higher is better"
    );
    let _ = writeln!(csv, "# build: {build} ({})", common::build_features());
    let _ = writeln!(csv, "# machine: {}; date: {}", machine(), today());
    let _ = writeln!(csv, "kernel,impl,elements_per_ns");
    for (k, ours, naive) in rows {
        let _ = writeln!(csv, "{k},crate,{ours:.4}");
        let _ = writeln!(csv, "{k},naive,{naive:.4}");
    }
    csv
}

/// CPU model, architecture and core count.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {}, {cores} cores", std::env::consts::ARCH)
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Civil from days (H. Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One build's measurements, read back from its CSV.
struct Measured {
    build: String,
    machine: String,
    /// (kernel, crate, naive) in elements per ns.
    rows: Vec<(String, f64, f64)>,
}

fn read_csvs(dir: &Path) -> Res<Vec<Measured>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some(build) = name
            .strip_prefix("speed-")
            .and_then(|n| n.strip_suffix(".csv"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path)?;
        let machine = text
            .lines()
            .find_map(|l| l.strip_prefix("# machine: "))
            .unwrap_or("")
            .to_string();
        let mut rows: Vec<(String, f64, f64)> = Vec::new();
        for l in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("kernel,"))
        {
            let f: Vec<&str> = l.split(',').collect();
            let [k, which, v] = f[..] else { continue };
            let v: f64 = v.parse()?;
            let i = match rows.iter().position(|r| r.0 == k) {
                Some(i) => i,
                None => {
                    rows.push((k.to_string(), f64::NAN, f64::NAN));
                    rows.len() - 1
                }
            };
            if which == "crate" {
                rows[i].1 = v;
            } else {
                rows[i].2 = v;
            }
        }
        out.push(Measured {
            build: build.to_string(),
            machine,
            rows,
        });
    }
    // Default builds first, then native ones.
    out.sort_by(|a, b| {
        (!a.build.starts_with("default"), &a.build)
            .cmp(&(!b.build.starts_with("default"), &b.build))
    });
    Ok(out)
}

/// A throughput with three significant digits.
fn three_digits(v: f64) -> String {
    let decimals = (2 - v.log10().floor() as i32).max(0) as usize;
    format!("{v:.decimals$}")
}

fn speed_svg(dir: &Path, path: &Path) -> Res {
    let builds = read_csvs(dir)?;
    let value = |m: &Measured, k: &str, ours: bool| {
        m.rows
            .iter()
            .find(|r| r.0 == k)
            .map_or(f64::NAN, |r| if ours { r.1 } else { r.2 })
    };
    let all: Vec<f64> = builds
        .iter()
        .flat_map(|m| m.rows.iter().flat_map(|r| [r.1, r.2]))
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    let lo = 10f64.powf(
        all.iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
            .log10()
            .floor(),
    ) * 0.999; // just below the decade, so that it gets its tick label
    let hi = 10f64.powf(
        (all.iter().copied().fold(0f64, f64::max) * 2.5)
            .log10()
            .ceil(),
    );

    let root = SVGBackend::new(path, (1200, 640)).into_drawing_area();
    root.fill(&WHITE)?;
    let machines: Vec<String> = {
        let mut v: Vec<String> = builds.iter().map(|m| m.machine.clone()).collect();
        v.dedup();
        v
    };
    let (title_area, rest) = root.split_vertically(64);
    title_area.draw(&Text::new(
        format!("Throughput at n = {N}: this crate vs the naive scalar loop (higher is better)"),
        (600, 8),
        (FONT, TITLE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    title_area.draw(&Text::new(
        format!(
            "measured on {}; median of {REPS} timings; ×N in a crate bar: its speed-up over the naive loop",
            machines.join(" / ")
        ),
        (600, 40),
        (FONT, DESC)
            .into_font()
            .color(&BLACK.mix(0.75))
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;

    let mut chart = ChartBuilder::on(&rest)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5f64..KERNELS.len() as f64 - 0.5, (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(KERNELS.len())
        .x_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 {
                KERNELS
                    .get(i as usize)
                    .map_or(String::new(), |k| k.to_string())
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| {
            if *v >= 1.0 {
                format!("{v:.0}")
            } else {
                format!("{v}")
            }
        })
        .max_light_lines(0)
        .bold_line_style(BLACK.mix(0.1))
        .label_style((FONT, LABEL))
        .axis_desc_style((FONT, DESC))
        .y_desc("elements per ns (log scale)")
        .draw()?;

    // Per build: naive then crate; naive in grays, crate in blues.
    let crate_colors = [RGBColor(120, 170, 215), BLUE_, RGBColor(10, 60, 120)];
    let naive_colors = [
        RGBColor(215, 215, 215),
        RGBColor(160, 160, 160),
        RGBColor(105, 105, 105),
    ];
    let nbars = 2 * builds.len();
    let group = 0.84;
    let bw = group / nbars as f64;
    for (bi, m) in builds.iter().enumerate() {
        for (ours, colors, who) in [
            (false, &naive_colors, "naive loop"),
            (true, &crate_colors, "crate"),
        ] {
            let color = colors[bi.min(2)];
            let slot = 2 * bi + usize::from(ours);
            let bars: Vec<(f64, f64)> = KERNELS
                .iter()
                .enumerate()
                .map(|(ki, k)| {
                    (
                        ki as f64 - group / 2.0 + (slot as f64 + 0.5) * bw,
                        value(m, k, ours),
                    )
                })
                .filter(|b| b.1.is_finite())
                .collect();
            chart
                .draw_series(bars.iter().map(|&(xc, v)| {
                    Rectangle::new([(xc - bw * 0.46, lo), (xc + bw * 0.46, v)], color.filled())
                }))?
                .label(format!("{who}, {} build", m.build))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 18, y + 6)], color.filled())
                });
            chart.draw_series(bars.iter().map(|&(xc, v)| {
                Text::new(
                    three_digits(v),
                    (xc, v * 1.04),
                    (FONT, 15)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            }))?;
            if ours {
                // The speed-up over the naive loop of the same build, inside the bar.
                let ink = if bi == 0 { BLACK } else { WHITE };
                chart.draw_series(KERNELS.iter().zip(&bars).map(|(k, &(xc, v))| {
                    Text::new(
                        format!("×{:.1}", v / value(m, k, false)),
                        (xc, lo * 1.25),
                        (FONT, 15)
                            .into_font()
                            .style(FontStyle::Bold)
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
                }))?;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.92))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, LEGEND))
        .draw()?;
    root.present()?;
    Ok(())
}
