//! SVG plots of a report (plotters, SVG backend only): proving time and
//! peak memory against capacity, throughput against threads.

use plotters::prelude::*;

use crate::{BenchError, BenchReport};

pub const PROVE_TIME_SVG: &str = "prove-time.svg";
pub const MEMORY_SVG: &str = "peak-memory.svg";
pub const THROUGHPUT_SVG: &str = "throughput.svg";

const SIZE: (u32, u32) = (800, 500);
const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

/// One named line of (x, y) points.
struct Line {
    label: String,
    points: Vec<(f64, f64)>,
}

struct Chart<'a> {
    title: &'a str,
    x_desc: &'a str,
    y_desc: &'a str,
    lines: Vec<Line>,
    /// Integer ticks on x (capacities, thread counts).
    x_ticks: Vec<f64>,
}

fn upper(values: impl Iterator<Item = f64>) -> f64 {
    let max = values.fold(0.0f64, f64::max);
    if max > 0.0 {
        max * 1.15
    } else {
        1.0
    }
}

fn render(name: &'static str, chart: &Chart) -> Result<String, BenchError> {
    let err = |e: &dyn std::fmt::Display| BenchError::Plot {
        name,
        message: e.to_string(),
    };
    let x_max = upper(chart.x_ticks.iter().copied());
    let y_max = upper(
        chart
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1)),
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut c = ChartBuilder::on(&root)
            .caption(chart.title, ("sans-serif", 22))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..x_max, 0f64..y_max)
            .map_err(|e| err(&e))?;
        let ticks = chart.x_ticks.clone();
        c.configure_mesh()
            .x_desc(chart.x_desc)
            .y_desc(chart.y_desc)
            .y_label_formatter(&|y| {
                if y_max >= 100.0 {
                    format!("{y:.0}")
                } else if y_max >= 1.0 {
                    format!("{y:.1}")
                } else {
                    format!("{y:.3}")
                }
            })
            .x_labels(12)
            .x_label_formatter(&|x| {
                if ticks.iter().any(|t| (t - x).abs() < 1e-9) || x.fract() == 0.0 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .draw()
            .map_err(|e| err(&e))?;
        for (i, line) in chart.lines.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            c.draw_series(LineSeries::new(
                line.points.iter().copied(),
                colour.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(line.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
            c.draw_series(
                line.points
                    .iter()
                    .map(|&p| Circle::new(p, 4, colour.filled())),
            )
            .map_err(|e| err(&e))?;
        }
        c.configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

/// Every plot as (file name, SVG text).
pub fn render_all(r: &BenchReport) -> Result<Vec<(&'static str, String)>, BenchError> {
    let capacities: Vec<f64> = r.capacities.iter().map(|c| f64::from(c.capacity)).collect();
    let threads = &r.settings.threads;

    let mut prove = Vec::new();
    for &t in threads {
        prove.push(Line {
            label: format!("one proof, {t} thread(s), median"),
            points: r
                .capacities
                .iter()
                .filter_map(|c| {
                    let s = c.single.iter().find(|s| s.threads == t)?;
                    Some((f64::from(c.capacity), s.prove_s.median))
                })
                .collect(),
        });
    }
    let prove = Chart {
        title: "zklc: one finality proof (EdDSA-Poseidon quorum)",
        x_desc: "capacity (validator slots)",
        y_desc: "proving time (s)",
        lines: prove,
        x_ticks: capacities.clone(),
    };

    let memory = Chart {
        title: "zklc: peak memory of one proof",
        x_desc: "capacity (validator slots)",
        y_desc: "peak resident memory (MiB)",
        lines: vec![Line {
            label: "peak resident set (VmHWM)".into(),
            points: r
                .capacities
                .iter()
                .filter_map(|c| {
                    let b = c.peak_memory.peak_bytes?;
                    Some((f64::from(c.capacity), b as f64 / (1u64 << 20) as f64))
                })
                .collect(),
        }],
        x_ticks: capacities,
    };

    let throughput = Chart {
        title: "zklc: pipeline throughput",
        x_desc: "threads",
        y_desc: "proofs per hour",
        lines: r
            .capacities
            .iter()
            .map(|c| Line {
                label: format!(
                    "capacity {}, {} proofs per run, median",
                    c.capacity,
                    c.pipeline.first().map_or(0, |p| p.proofs)
                ),
                points: c
                    .pipeline
                    .iter()
                    .map(|p| (p.threads as f64, p.proofs_per_hour.median))
                    .collect(),
            })
            .collect(),
        x_ticks: threads.iter().map(|&t| t as f64).collect(),
    };

    Ok(vec![
        (PROVE_TIME_SVG, render(PROVE_TIME_SVG, &prove)?),
        (MEMORY_SVG, render(MEMORY_SVG, &memory)?),
        (THROUGHPUT_SVG, render(THROUGHPUT_SVG, &throughput)?),
    ])
}
