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
        let load_average_at_start = read("/proc/loadavg")
            .and_then(|t| t.split_whitespace().next().and_then(|v| v.parse().ok()));
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
}
