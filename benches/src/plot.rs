//! SVG plots of a report (plotters, SVG backend only): proving time and
//! peak memory against capacity, throughput against threads.
//!
//! Axes: where a plot has more than one point and its values span an
//! order of magnitude or more ([`LOG_SPAN`]), that axis is logarithmic
//! (capacities 8 to 1024, times from a tenth of a second to a minute) and
//! says so; otherwise it is linear from zero. Capacities are ticked where
//! they were measured, the thread axis at whole thread counts only, and the
//! throughput plot draws, dashed, the ideal (linear) scaling from the
//! fewest threads measured. Ticks are computed here ([`log_ticks`],
//! [`linear_ticks`], [`thread_ticks`]) and are plotters' only key points,
//! so the plot shows exactly those.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;

use crate::{BenchError, BenchReport};

pub const PROVE_TIME_SVG: &str = "prove-time.svg";
pub const MEMORY_SVG: &str = "peak-memory.svg";
pub const THROUGHPUT_SVG: &str = "throughput.svg";

/// Positive values whose largest is at least this many times their
/// smallest get a log axis (when there is more than one point).
pub const LOG_SPAN: f64 = 10.0;

/// The legend of the ideal-scaling lines (one entry for all of them).
pub const IDEAL_LABEL: &str = "ideal scaling (dashed): linear from the fewest threads";

const SIZE: (u32, u32) = (800, 500);
const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

/// How an axis places its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    /// Base 10: equal ratios at equal distances.
    Log,
}

/// One axis: its scale, the range shown and the ticks (value, label).
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub scale: Scale,
    /// The range shown, in the data's units.
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
}

/// A line of the plot: measured (solid, with markers) or the ideal
/// reference (dashed).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub ideal: bool,
    /// Index into the palette: an ideal line shares its measured line's.
    pub colour: usize,
}

/// A plot before it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub x: Axis,
    pub y: Axis,
    pub lines: Vec<Line>,
}

/// The log axis for `values` when there are at least two of them, all
/// positive and finite, spanning at least [`LOG_SPAN`]; linear otherwise.
pub fn scale_for(values: &[f64]) -> Scale {
    if values.len() < 2 || values.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return Scale::Linear;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    if hi / lo >= LOG_SPAN {
        Scale::Log
    } else {
        Scale::Linear
    }
}

/// Ticks of a log axis from `lo` to `hi` (both positive): 1, 2 and 5 times
/// each power of ten in the range, or the powers of ten alone where that
/// would make more than 12 ticks.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi >= lo) {
        return Vec::new();
    }
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let within = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    let ticks = |mantissas: &[f64]| -> Vec<f64> {
        (first..=last)
            .flat_map(|e| mantissas.iter().map(move |m| m * 10f64.powi(e)))
            .filter(|v| within(*v))
            .collect()
    };
    let all = ticks(&[1.0, 2.0, 5.0]);
    if all.len() > 12 {
        ticks(&[1.0])
    } else {
        all
    }
}

/// A round step (1, 2 or 5 times a power of ten) of at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * p)
}

/// Ticks of a linear axis from 0 to `hi`: 0 and multiples of a round step,
/// 3 to 7 of them.
pub fn linear_ticks(hi: f64) -> Vec<f64> {
    if !(hi.is_finite() && hi > 0.0) {
        return vec![0.0];
    }
    let step = nice_step(hi / 6.0);
    (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|v| *v <= hi * (1.0 + 1e-9))
        .collect()
}

/// Whole thread counts to tick up to `max` threads: every count up to 10,
/// else 1 and the multiples of a round step (at most 11 ticks).
pub fn thread_ticks(max: usize) -> Vec<usize> {
    let max = max.max(1);
    let step = [1usize, 2, 5]
        .into_iter()
        .flat_map(|m| (0..8).map(move |e| m * 10usize.pow(e)))
        .filter(|s| max / s <= 10)
        .min()
        .unwrap_or(max);
    let mut ticks = vec![1];
    ticks.extend((1..=max / step).map(|k| k * step).filter(|t| *t > 1));
    ticks
}

/// Decimals that show `x` (a tick or a step) without noise.
fn decimals(x: f64) -> usize {
    if !(x.is_finite() && x > 0.0) || x >= 1.0 {
        0
    } else {
        ((-x.log10() - 1e-9).ceil() as usize).min(9)
    }
}

fn label(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

impl Axis {
    /// Where `v` sits on the drawn axis.
    fn pos(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear => v,
            Scale::Log => v.log10(),
        }
    }

    /// The log range around `lo..=hi`: out to the 1-2-5 ticks just beyond
    /// (a margin of 5% at least), so both ends are ticked.
    fn log_range(lo: f64, hi: f64) -> (f64, f64) {
        let (lo, hi) = (lo / 1.05, hi * 1.05);
        let e = 10f64.powf(lo.log10().floor());
        let below = [5.0, 2.0, 1.0]
            .into_iter()
            .map(|m| m * e)
            .find(|t| *t <= lo)
            .unwrap_or(e);
        let e = 10f64.powf(hi.log10().floor());
        let above = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * e)
            .find(|t| *t >= hi)
            .unwrap_or(10.0 * e);
        (below, above)
    }

    /// An axis of measured values (times, memory, rates).
    pub fn values(values: &[f64]) -> Axis {
        let finite = || values.iter().copied().filter(|v| v.is_finite());
        match scale_for(values) {
            Scale::Log => {
                let lo = finite().fold(f64::INFINITY, f64::min);
                let hi = finite().fold(0.0, f64::max);
                let (lo, hi) = Axis::log_range(lo, hi);
                let ticks = log_ticks(lo, hi)
                    .into_iter()
                    .map(|t| (t, label(t, decimals(t))))
                    .collect();
                Axis {
                    scale: Scale::Log,
                    lo,
                    hi,
                    ticks,
                }
            }
            Scale::Linear => {
                let max = finite().fold(0.0, f64::max);
                let hi = if max > 0.0 { max * 1.15 } else { 1.0 };
                let ticks = linear_ticks(hi);
                let d = decimals(ticks.get(1).copied().unwrap_or(1.0));
                Axis {
                    scale: Scale::Linear,
                    lo: 0.0,
                    hi,
                    ticks: ticks.into_iter().map(|t| (t, label(t, d))).collect(),
                }
            }
        }
    }

    /// An axis ticked at whole values where they were measured
    /// (capacities).
    pub fn measured_at(points: &[f64]) -> Axis {
        let mut at: Vec<f64> = points.iter().copied().filter(|v| v.is_finite()).collect();
        at.sort_by(f64::total_cmp);
        at.dedup();
        let ticks = at.iter().map(|&t| (t, label(t, 0))).collect();
        match scale_for(&at) {
            Scale::Log => {
                let (lo, hi) = Axis::log_range(at[0], at[at.len() - 1]);
                Axis {
                    scale: Scale::Log,
                    lo,
                    hi,
                    ticks,
                }
            }
            Scale::Linear => {
                let max = at.last().copied().unwrap_or(0.0);
                Axis {
                    scale: Scale::Linear,
                    lo: 0.0,
                    hi: if max > 0.0 { max * 1.15 } else { 1.0 },
                    ticks,
                }
            }
        }
    }

    /// The thread axis: linear from zero, whole thread counts only.
    pub fn threads(threads: &[usize]) -> Axis {
        let max = threads.iter().copied().max().unwrap_or(1).max(1);
        Axis {
            scale: Scale::Linear,
            lo: 0.0,
            hi: max as f64 + (0.08 * max as f64).max(0.5),
            ticks: thread_ticks(max)
                .into_iter()
                .map(|t| (t as f64, t.to_string()))
                .collect(),
        }
    }

    /// The axis' description, with its scale where it is logarithmic.
    fn desc(&self, desc: &str) -> String {
        match self.scale {
            Scale::Linear => desc.to_string(),
            Scale::Log => format!("{desc}, log scale"),
        }
    }

    /// The tick label at drawn position `p` (plotters asks at the key
    /// points given, so one matches).
    fn label_at(&self, p: f64) -> String {
        self.ticks
            .iter()
            .find(|(v, _)| (self.pos(*v) - p).abs() <= 1e-9 * (1.0 + p.abs()))
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// A drawn axis: linear over `lo..hi` (positions: the data's logarithms
/// on a log axis), its key points exactly the ticks given.
struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn of(a: &Axis) -> Ticked {
        Ticked {
            lo: a.pos(a.lo),
            hi: a.pos(a.hi),
            ticks: a.ticks.iter().map(|(v, _)| a.pos(*v)).collect(),
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        let length = f64::from(limit.1 - limit.0);
        if !(span.is_finite() && span > 0.0 && v.is_finite()) {
            return limit.0;
        }
        limit.0 + (length * (v - self.lo) / span + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

fn render(name: &'static str, chart: &Chart) -> Result<String, BenchError> {
    let err = |e: &dyn std::fmt::Display| BenchError::Plot {
        name,
        message: e.to_string(),
    };
    let (x, y) = (&chart.x, &chart.y);
    let to = |p: (f64, f64)| (x.pos(p.0), y.pos(p.1));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut c = ChartBuilder::on(&root)
            .caption(&chart.title, ("sans-serif", 22))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(Ticked::of(x), Ticked::of(y))
            .map_err(|e| err(&e))?;
        c.configure_mesh()
            .x_desc(x.desc(&chart.x_desc))
            .y_desc(y.desc(&chart.y_desc))
            .x_label_formatter(&|p| x.label_at(*p))
            .y_label_formatter(&|p| y.label_at(*p))
            .draw()
            .map_err(|e| err(&e))?;
        let mut ideal_labelled = false;
        for line in &chart.lines {
            let colour = COLOURS[line.colour % COLOURS.len()];
            let points: Vec<(f64, f64)> = line.points.iter().map(|&p| to(p)).collect();
            if line.ideal {
                let style = colour.mix(0.7).stroke_width(2);
                let drawn = c
                    .draw_series(DashedLineSeries::new(points, 8, 5, style))
                    .map_err(|e| err(&e))?;
                if !ideal_labelled {
                    ideal_labelled = true;
                    drawn
                        .label(line.label.clone())
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], style));
                }
                continue;
            }
            c.draw_series(LineSeries::new(
                points.iter().copied(),
                colour.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(line.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
            c.draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))
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

fn all_y(lines: &[Line]) -> Vec<f64> {
    lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .collect()
}

/// Proving time against capacity, one line per thread count.
pub fn prove_chart(r: &BenchReport) -> Chart {
    let capacities: Vec<f64> = r.capacities.iter().map(|c| f64::from(c.capacity)).collect();
    let lines: Vec<Line> = r
        .settings
        .threads
        .iter()
        .enumerate()
        .map(|(i, &t)| Line {
            label: format!("one proof, {t} thread(s), median"),
            points: r
                .capacities
                .iter()
                .filter_map(|c| {
                    let s = c.single.iter().find(|s| s.threads == t)?;
                    Some((f64::from(c.capacity), s.prove_s.median))
                })
                .collect(),
            ideal: false,
            colour: i,
        })
        .collect();
    Chart {
        title: "zklc: one finality proof (EdDSA-Poseidon quorum)".into(),
        x_desc: "capacity (validator slots)".into(),
        y_desc: "proving time (s)".into(),
        x: Axis::measured_at(&capacities),
        y: Axis::values(&all_y(&lines)),
        lines,
    }
}

/// Peak memory against capacity.
pub fn memory_chart(r: &BenchReport) -> Chart {
    let capacities: Vec<f64> = r.capacities.iter().map(|c| f64::from(c.capacity)).collect();
    let lines = vec![Line {
        label: "peak resident set (VmHWM)".into(),
        points: r
            .capacities
            .iter()
            .filter_map(|c| {
                let b = c.peak_memory.peak_bytes?;
                Some((f64::from(c.capacity), b as f64 / (1u64 << 20) as f64))
            })
            .collect(),
        ideal: false,
        colour: 0,
    }];
    Chart {
        title: "zklc: peak memory of one proof".into(),
        x_desc: "capacity (validator slots)".into(),
        y_desc: "peak resident memory (MiB)".into(),
        x: Axis::measured_at(&capacities),
        y: Axis::values(&all_y(&lines)),
        lines,
    }
}

/// Pipeline throughput against threads, one line per capacity, each with
/// its ideal scaling (where it has more than one thread count): the
/// throughput at the fewest threads times the thread ratio, at every whole
/// thread count up to the most.
pub fn throughput_chart(r: &BenchReport) -> Chart {
    let mut lines = Vec::new();
    for (i, c) in r.capacities.iter().enumerate() {
        let mut points: Vec<(f64, f64)> = c
            .pipeline
            .iter()
            .map(|p| (p.threads as f64, p.proofs_per_hour.median))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let ideal = match (points.first(), points.last()) {
            (Some(&(t0, y0)), Some(&(t1, _))) if points.len() > 1 && t0 > 0.0 => Some(Line {
                label: IDEAL_LABEL.into(),
                points: (t0 as usize..=t1 as usize)
                    .map(|t| (t as f64, y0 * t as f64 / t0))
                    .collect(),
                ideal: true,
                colour: i,
            }),
            _ => None,
        };
        lines.push(Line {
            label: format!(
                "capacity {}, {} proofs per run, median",
                c.capacity,
                c.pipeline.first().map_or(0, |p| p.proofs)
            ),
            points,
            ideal: false,
            colour: i,
        });
        lines.extend(ideal);
    }
    Chart {
        title: "zklc: pipeline throughput".into(),
        x_desc: "threads".into(),
        y_desc: "proofs per hour".into(),
        x: Axis::threads(&r.settings.threads),
        y: Axis::values(&all_y(&lines)),
        lines,
    }
}

/// Every plot as (file name, SVG text).
pub fn render_all(r: &BenchReport) -> Result<Vec<(&'static str, String)>, BenchError> {
    Ok(vec![
        (PROVE_TIME_SVG, render(PROVE_TIME_SVG, &prove_chart(r))?),
        (MEMORY_SVG, render(MEMORY_SVG, &memory_chart(r))?),
        (
            THROUGHPUT_SVG,
            render(THROUGHPUT_SVG, &throughput_chart(r))?,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::report;

    /// The text of every `<text>` element of `svg`, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let body = &t[t.find('>')? + 1..];
                Some(body[..body.find("</text>")?].trim().to_string())
            })
            .collect()
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-9 * y.abs())
    }

    #[test]
    fn log_axes_only_for_several_points_spanning_an_order_of_magnitude() {
        assert_eq!(scale_for(&[8.0, 32.0, 128.0]), Scale::Log);
        assert_eq!(scale_for(&[0.9, 13.3]), Scale::Log);
        assert_eq!(scale_for(&[8.0, 16.0, 64.0]), Scale::Linear);
        assert_eq!(scale_for(&[1000.0]), Scale::Linear);
        assert_eq!(scale_for(&[0.0, 100.0]), Scale::Linear);
        assert_eq!(scale_for(&[f64::NAN, 1.0, 100.0]), Scale::Linear);
    }

    #[test]
    fn log_ticks_are_one_two_five_per_decade_within_the_range() {
        assert!(close(&log_ticks(0.8, 14.0), &[1.0, 2.0, 5.0, 10.0]));
        assert!(close(&log_ticks(0.04, 0.3), &[0.05, 0.1, 0.2]));
        assert!(close(
            &log_ticks(200.0, 12_000.0),
            &[200.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0]
        ));
        // Many decades: the powers of ten alone.
        let wide = log_ticks(1e-3, 1e6);
        assert!(close(
            &wide,
            &[1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6]
        ));
        assert!(log_ticks(0.0, 1.0).is_empty());
        assert!(log_ticks(5.0, 1.0).is_empty());
    }

    #[test]
    fn log_value_axis_labels_its_ticks_plainly() {
        let a = Axis::values(&[0.9, 3.2, 13.3]);
        assert_eq!(a.scale, Scale::Log);
        assert_eq!((a.lo, a.hi), (0.5, 20.0), "out to the ticks beyond");
        let labels: Vec<&str> = a.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0.5", "1", "2", "5", "10", "20"]);
        let small = Axis::values(&[0.045, 0.6]);
        let labels: Vec<&str> = small.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0.02", "0.05", "0.1", "0.2", "0.5", "1"]);
        // The report's throughputs: 263 to 8118 proofs per hour.
        let rates = Axis::values(&[263.0, 544.0, 4059.0, 8118.0]);
        assert_eq!((rates.lo, rates.hi), (200.0, 10_000.0));
    }

    #[test]
    fn linear_ticks_are_round_and_cover_the_range() {
        for hi in [0.37, 1.0, 11.5, 9_007.0, 123_456.0] {
            let t = linear_ticks(hi);
            assert!((3..=7).contains(&t.len()), "{hi}: {t:?}");
            assert_eq!(t[0], 0.0);
            assert!(*t.last().unwrap() <= hi * (1.0 + 1e-9));
            let step = t[1];
            let mantissa = step / 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9),
                "{hi}: step {step}"
            );
        }
        assert!(close(&linear_ticks(11.5), &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]));
    }

    #[test]
    fn thread_ticks_are_whole_counts() {
        assert_eq!(thread_ticks(1), [1]);
        assert_eq!(thread_ticks(2), [1, 2]);
        assert_eq!(thread_ticks(10), (1..=10).collect::<Vec<_>>());
        assert_eq!(thread_ticks(16), [1, 2, 4, 6, 8, 10, 12, 14, 16]);
        for max in 1..=256 {
            let t = thread_ticks(max);
            assert!(t.len() <= 11 && t[0] == 1 && *t.last().unwrap() <= max);
            assert!(t.windows(2).all(|w| w[0] < w[1]), "{max}: {t:?}");
        }
        let a = Axis::threads(&[1, 3, 8]);
        assert_eq!(a.scale, Scale::Linear);
        for (v, l) in &a.ticks {
            assert_eq!(v.fract(), 0.0);
            assert_eq!(l.parse::<f64>().unwrap(), *v);
            assert!(!l.contains('.'));
        }
        assert!(a.hi > 8.0 && a.lo == 0.0);
    }

    #[test]
    fn the_throughput_plot_has_an_ideal_scaling_line() {
        let r = report(&[8, 128], &[1, 2, 4], 4, None);
        let chart = throughput_chart(&r);
        let ideal: Vec<&Line> = chart.lines.iter().filter(|l| l.ideal).collect();
        assert_eq!(ideal.len(), 2, "one per capacity");
        // Capacity 8: 3600 proofs per hour at one thread, so ideally 3600 t.
        let want: Vec<(f64, f64)> = (1..=4).map(|t| (t as f64, 3600.0 * t as f64)).collect();
        assert_eq!(ideal[0].points, want);
        assert_eq!(ideal[0].colour, chart.lines[0].colour);
        assert!(chart.x.ticks.iter().all(|(v, _)| v.fract() == 0.0));
        // Throughputs from 225 to 14,400 per hour: a log axis.
        assert_eq!(chart.y.scale, Scale::Log);
        let svg = render(THROUGHPUT_SVG, &chart).unwrap();
        assert_eq!(svg.matches(IDEAL_LABEL).count(), 1, "one legend entry");
        assert!(svg.contains("proofs per hour, log scale"));

        // One thread count: one point per line, no ideal line.
        let one = throughput_chart(&report(&[8], &[2], 4, None));
        assert!(one.lines.iter().all(|l| !l.ideal));
        let svg = render(THROUGHPUT_SVG, &one).unwrap();
        assert!(!svg.contains(IDEAL_LABEL));
        assert!(!svg.contains("log scale"));
    }

    #[test]
    fn capacity_plots_use_log_axes_when_sizes_span_orders_of_magnitude() {
        let r = report(&[8, 32, 128, 1024], &[1, 2], 2, None);
        let prove = prove_chart(&r);
        assert_eq!(prove.x.scale, Scale::Log);
        assert_eq!(prove.y.scale, Scale::Log);
        let x: Vec<&str> = prove.x.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(x, ["8", "32", "128", "1024"], "ticked where measured");
        let svg = render(PROVE_TIME_SVG, &prove).unwrap();
        assert!(svg.contains("capacity (validator slots), log scale"));
        assert!(svg.contains("proving time (s), log scale"));
        let drawn = texts(&svg);
        for l in ["8", "32", "128", "1024", "0.5", "1", "10", "100"] {
            assert!(drawn.iter().any(|t| t == l), "tick {l}: {drawn:?}");
        }
        assert_eq!(memory_chart(&r).x.scale, Scale::Log);

        // Two capacities a factor 2 apart: linear.
        let near = prove_chart(&report(&[8, 16], &[1], 2, None));
        assert_eq!((near.x.scale, near.y.scale), (Scale::Linear, Scale::Linear));
    }

    #[test]
    fn a_single_point_still_renders_with_its_tick() {
        let r = report(&[32], &[1], 2, None);
        let all = render_all(&r).unwrap();
        assert_eq!(all.len(), 3);
        for (name, svg) in &all {
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{name}"
            );
            assert!(!svg.contains("log scale"), "{name}");
        }
        let prove = prove_chart(&r);
        assert_eq!(prove.x.ticks, [(32.0, "32".to_string())]);
        assert!(prove.x.hi > 32.0 && prove.y.hi > 4.0, "the point is inside");
        assert!(texts(&all[0].1).iter().any(|t| t == "32"));
    }
}
