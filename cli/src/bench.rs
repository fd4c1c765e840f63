//! `zklc bench`: the prover's throughput report (see `zklc-benches`).

use anyhow::{Context, Result};
use std::path::PathBuf;

use crate::{flags, out, paths};

use zklc_benches::measure::{PeerConfig, MAX_PROOFS, MAX_THREADS};
use zklc_benches::report::{fmt_rate, fmt_s};
use zklc_benches::BenchConfig;

/// Where `--peer` finds the peer's script, from the repository root.
const PEER_SCRIPT: &str = "benches/peer/run.sh";

#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    /// Capacities to measure, comma-separated (each a power of two from 1 to 1024).
    #[arg(long, value_delimiter = ',', default_value = "8,32,128", value_parser = flags::capacity, allow_negative_numbers = true)]
    capacities: Vec<u32>,
    /// Proof depths, 1 to 16: depth 1 is always measured (the baseline);
    /// each depth k >= 2 adds one proof of a run of k steps per capacity,
    /// with its time per rotation against depth 1 ([PROOF-DEPTH]).
    #[arg(long, value_delimiter = ',', default_value = "1", value_parser = parse_depth, allow_negative_numbers = true)]
    depths: Vec<u32>,
    /// Proofs in each pipeline run (jobs proven at once).
    #[arg(long, default_value_t = 3, value_parser = parse_proofs, allow_negative_numbers = true)]
    proofs: u64,
    /// Runs of each timed measurement (medians with min and max).
    #[arg(long, default_value_t = 3, value_parser = parse_runs, allow_negative_numbers = true)]
    runs: u64,
    /// Directory for bench.json, bench.md and the SVG plots.
    #[arg(long, default_value = "bench-out")]
    out: PathBuf,
    /// Thread counts, comma-separated (default: 1 and every core).
    #[arg(long, value_delimiter = ',', value_parser = parse_threads, allow_negative_numbers = true)]
    threads: Option<Vec<usize>>,
    /// Key cache, one directory per shape (default: OUT/keys). Seeded
    /// DEVELOPMENT keys: for benchmarking only.
    #[arg(long)]
    keys_cache: Option<PathBuf>,
    /// Also run the circom/snarkjs peer (benches/peer/run.sh, from the
    /// repository root) at each capacity, into OUT/peer-C.
    /// With it, also zklc's own constraint system proved three ways from
    /// the same files (OUT/identical-C): a .zkey from zklc's ceremony and
    /// a zklc witness (.wtns), proved by zklc and by snarkjs.
    #[arg(long)]
    peer: bool,
    /// rapidsnark's prover binary, timed beside snarkjs on the identical
    /// statement (needs --peer; no registry ships rapidsnark).
    #[arg(long, value_name = "PATH", requires = "peer")]
    rapidsnark: Option<PathBuf>,
    /// Also write the Markdown report to this file (benches/RESULTS.md; - for stdout).
    #[arg(long)]
    results: Option<PathBuf>,
}

fn parse_proofs(s: &str) -> Result<u64, String> {
    let n = flags::positive_u64(s)?;
    if n > MAX_PROOFS as u64 {
        return Err(format!("{n} proofs per run: at most {MAX_PROOFS}"));
    }
    Ok(n)
}

fn parse_depth(s: &str) -> Result<u32, String> {
    let d = flags::u32_value(s)?;
    if !(1..=zklc_primitives::shape::MAX_DEPTH).contains(&d) {
        return Err(format!(
            "{d} is not a depth: a proof covers 1 to {} steps",
            zklc_primitives::shape::MAX_DEPTH
        ));
    }
    Ok(d)
}

fn parse_runs(s: &str) -> Result<u64, String> {
    let n = flags::positive_u64(s)?;
    if n > 100 {
        return Err(format!("{n} runs: at most 100"));
    }
    Ok(n)
}

fn parse_threads(s: &str) -> Result<usize, String> {
    let t = flags::count(s)?;
    if !(1..=MAX_THREADS).contains(&t) {
        return Err(format!("thread count {t} must be in 1..={MAX_THREADS}"));
    }
    Ok(t)
}

/// The command line as typed, for the report (`zklc bench ...`).
fn command_line() -> String {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'') {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                a
            }
        })
        .collect();
    format!("zklc {}", args.join(" "))
}

pub(crate) fn run(args: BenchArgs) -> Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = args.threads.unwrap_or_else(|| vec![1, cores]);
    if let Some(&t) = threads.iter().filter(|&&t| t > cores).max() {
        note!(
            "--threads {t} is above this machine's {cores} cores: those runs oversubscribe the cores (their figures show the cost of that, not more speed)"
        );
    }
    // Output paths are checked before anything runs.
    let out_dir = paths::dir_target("--out", &args.out)?;
    let results = args
        .results
        .as_deref()
        .map(|p| paths::file_target("--results", p, true))
        .transpose()?;
    let config = BenchConfig {
        capacities: args.capacities,
        depths: args.depths,
        proofs: args.proofs as usize,
        runs: args.runs as usize,
        threads,
        keys_cache: args.keys_cache.unwrap_or_else(|| out_dir.join("keys")),
        peer: args.peer.then(|| PeerConfig {
            script: PathBuf::from(PEER_SCRIPT),
            out: out_dir.clone(),
            rapidsnark: args.rapidsnark,
        }),
        command: command_line(),
    };
    // Every setting is checked before anything runs or is written.
    config.validate()?;
    // Benchmark keys come from a seeded setup.
    crate::pin::warn_kind(zklc_keys::KeyKind::SeededDevelopment);

    let bar = indicatif::ProgressBar::new_spinner();
    let interactive = !bar.is_hidden() && !out::quiet();
    if interactive {
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    }
    let progress = |m: &str| {
        if interactive {
            bar.set_message(m.to_string());
        } else {
            note!("bench: {m}");
        }
    };
    let report = zklc_benches::run(&config, &progress);
    bar.finish_and_clear();
    let report = report?;
    let results_file = match &results {
        Some(paths::FileTarget::File(p)) => Some(p.as_path()),
        _ => None,
    };
    let written = zklc_benches::write_report(&out_dir, &report, results_file)
        .context("writing the report")?;
    if results == Some(paths::FileTarget::Stdout) {
        // The Markdown report is the output: nothing else on stdout.
        out::stdout(format_args!(
            "{}",
            zklc_benches::report::markdown(&report, None)
        ));
        for path in written {
            note!("wrote {}", path.display());
        }
        return Ok(());
    }

    say!("{}", zklc_benches::SIGNATURE_SCHEME_NOTE);
    say!("machine: {}", report.machine.summary());
    for c in &report.capacities {
        let top = c.single_at_most_threads();
        let pipeline = c
            .pipeline
            .iter()
            .map(|p| {
                format!(
                    "{} thr. {}/h",
                    p.threads,
                    fmt_rate(p.proofs_per_hour.median)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        say!(
            "capacity {}: {} constraints; setup {}; one proof {} ({}); verify {:.3} ms; pipeline {pipeline}{}{}",
            c.capacity,
            c.constraints.total,
            match c.setup.setup_s {
                Some(s) if !c.setup.cached => fmt_s(s),
                _ => "cached".into(),
            },
            fmt_s(top.prove_s.median),
            crate::human::plural(top.threads, "thread", "threads"),
            c.verify_s.median * 1e3,
            c.scaling
                .as_ref()
                .map(|s| format!(
                    "; scaling {}->{}: proof {:.2}x, pipeline {:.2}x{}",
                    s.from_threads,
                    s.to_threads,
                    s.single_proof,
                    s.pipeline,
                    if s.taken_under_load(&report.machine) {
                        format!(
                            " (under load: load average {} on {} cores)",
                            s.load_average(&report.machine)
                                .map_or("above the core count".into(), |l| format!("{l:.2}")),
                            report.machine.cores
                        )
                    } else {
                        String::new()
                    }
                ))
                .unwrap_or_default(),
            c.peer
                .as_ref()
                .map(|p| format!("; snarkjs/zklc {:.2}x", p.prove_ratio))
                .unwrap_or_default()
        );
        if let Some(i) = &c.identical {
            say!(
                "capacity {} identical statement (zklc's .zkey and .wtns): zklc {} with the ceremony key ({:.3}x its seeded key's {}), snarkjs {}{}",
                c.capacity,
                fmt_s(i.zklc_ceremony_key_prove_s.median),
                i.ceremony_over_seeded,
                fmt_s(i.zklc_seeded_key_prove_s.median),
                fmt_s(i.snarkjs.prove_s.median),
                i.rapidsnark
                    .as_ref()
                    .map(|r| format!(", rapidsnark {}", fmt_s(r.prove_s.median)))
                    .unwrap_or_default()
            );
        }
    }
    for d in &report.depths {
        say!(
            "capacity {} depth {}: {} constraints (quorum blocks {}, SHA-256 {} = {} per block, transitions {}); one proof of {} steps {} ({}); per rotation {} = {:.2}x depth 1; verify {:.3} ms",
            d.capacity,
            d.depth,
            d.constraints.total,
            d.constraints.quorum_blocks,
            d.constraints.sha256,
            d.constraints.sha256_per_block,
            d.constraints.transitions,
            d.run_length,
            fmt_s(d.prove_s.median),
            crate::human::plural(d.threads, "thread", "threads"),
            fmt_s(d.per_rotation_s.median),
            d.per_rotation_vs_depth1.unwrap_or(f64::NAN),
            d.verify_s.median * 1e3
        );
    }
    for path in written {
        say!("wrote {}", path.display());
    }
    Ok(())
}
