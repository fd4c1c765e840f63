//! Medians with their minimum and maximum.

use serde::{Deserialize, Serialize};

/// The summary of several runs of one measurement (seconds, bytes, proofs
/// per hour: the field's name says the unit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// How many runs.
    pub runs: usize,
    /// Every run, in the order measured.
    pub samples: Vec<f64>,
}

impl Stats {
    /// The median (the mean of the middle two for an even count), minimum
    /// and maximum of `samples`; `None` without samples or with a NaN.
    pub fn of(samples: &[f64]) -> Option<Stats> {
        if samples.is_empty() || samples.iter().any(|x| x.is_nan()) {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Stats {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            runs: n,
            samples: samples.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Stats;

    #[test]
    fn median_min_max_of_odd_and_even_counts() {
        let s = Stats::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.runs), (2.0, 1.0, 3.0, 3));
        assert_eq!(s.samples, vec![3.0, 1.0, 2.0]);
        let s = Stats::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.runs), (2.5, 1.0, 4.0, 4));
        let s = Stats::of(&[7.5]).unwrap();
        assert_eq!((s.median, s.min, s.max), (7.5, 7.5, 7.5));
    }

    #[test]
    fn no_samples_or_nan_gives_none() {
        assert_eq!(Stats::of(&[]), None);
        assert_eq!(Stats::of(&[1.0, f64::NAN]), None);
    }
}
