//! The machine a report was measured on, read from `/proc` (Linux); what
//! cannot be read stays `None`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Machine {
    /// `model name` of `/proc/cpuinfo`.
    pub cpu_model: Option<String>,
    /// Logical cores this process may use.
    pub cores: usize,
    /// `MemTotal` of `/proc/meminfo`.
    pub memory_bytes: Option<u64>,
    /// `PRETTY_NAME` of `/etc/os-release` and the kernel release.
    pub os: String,
    /// `rustc --version`, when a rustc is on the PATH.
    pub rustc: Option<String>,
    /// The 1-minute load average when the run started: other work on the
    /// machine makes the figures noisy.
    pub load_average_at_start: Option<f64>,
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The 1-minute load average now (`/proc/loadavg`), `None` where it
/// cannot be read.
pub fn load_average() -> Option<f64> {
    read("/proc/loadavg").and_then(|t| parse_loadavg(&t))
}

/// The first field of `/proc/loadavg`'s text: the 1-minute load average.
fn parse_loadavg(text: &str) -> Option<f64> {
    text.split_whitespace()
        .next()?
        .parse()
        .ok()
        .filter(|l: &f64| l.is_finite() && *l >= 0.0)
}

/// Whether `load` is above the core count: more runnable threads, on
/// average, than cores to run them, so that timings (and most of all
/// scaling figures) are taken under load.
pub fn above_cores(load: Option<f64>, cores: usize) -> bool {
    load.is_some_and(|l| l > cores as f64)
}

/// The value of the first `key: value` line of `text` (after `sep`).
fn field<'a>(text: &'a str, key: &str, sep: char) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(sep)?;
        (k.trim() == key).then(|| v.trim())
    })
}

impl Machine {
    pub fn describe() -> Machine {
        let cpu_model =
            read("/proc/cpuinfo").and_then(|t| field(&t, "model name", ':').map(str::to_string));
        let memory_bytes = read("/proc/meminfo").and_then(|t| {
            let v = field(&t, "MemTotal", ':')?;
            let kib: u64 = v.trim_end_matches("kB").trim().parse().ok()?;
            Some(kib * 1024)
        });
        let distro = read("/etc/os-release")
            .and_then(|t| field(&t, "PRETTY_NAME", '=').map(|v| v.trim_matches('"').to_string()))
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        let os = match read("/proc/sys/kernel/osrelease") {
            Some(k) => format!("{distro}, kernel {}", k.trim()),
            None => distro,
        };
        let rustc = std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        let load_average_at_start = load_average();
        Machine {
            cpu_model,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_bytes,
            os,
            rustc,
            load_average_at_start,
        }
    }

    /// One line: "Intel Xeon ..., 2 cores, 23.4 GiB, Debian ...".
    pub fn summary(&self) -> String {
        format!(
            "{}, {} cores, {}, {}",
            self.cpu_model.as_deref().unwrap_or("unknown CPU"),
            self.cores,
            self.memory_bytes
                .map(|b| format!("{:.1} GiB memory", b as f64 / (1u64 << 30) as f64))
                .unwrap_or_else(|| "memory unknown".into()),
            self.os
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_key_value_lines() {
        let t = "processor\t: 0\nmodel name\t: Some CPU @ 2GHz\n";
        assert_eq!(super::field(t, "model name", ':'), Some("Some CPU @ 2GHz"));
        assert_eq!(super::field(t, "absent", ':'), None);
    }

    #[test]
    fn reads_the_one_minute_load_average() {
        assert_eq!(
            super::parse_loadavg("2.15 1.80 1.02 3/412 12345\n"),
            Some(2.15)
        );
        assert_eq!(super::parse_loadavg(""), None);
        assert_eq!(super::parse_loadavg("x 1 2"), None);
        assert_eq!(super::parse_loadavg("NaN 1 2"), None);
    }

    #[test]
    fn a_load_is_above_the_cores_only_when_strictly_greater() {
        assert!(super::above_cores(Some(2.01), 2));
        assert!(!super::above_cores(Some(2.0), 2));
        assert!(!super::above_cores(Some(0.3), 2));
        assert!(!super::above_cores(None, 2));
    }
}
