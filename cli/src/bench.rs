//! `zklc bench`: the prover's throughput report (see `zklc-benches`).

use anyhow::{Context, Result};
use std::path::PathBuf;

use zklc_benches::measure::{check_capacity, PeerConfig, MAX_PROOFS, MAX_THREADS};
use zklc_benches::report::{fmt_rate, fmt_s};
use zklc_benches::BenchConfig;

/// Where `--peer` finds the peer's script, from the repository root.
const PEER_SCRIPT: &str = "benches/peer/run.sh";

#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    /// Capacities to measure, comma-separated (each a power of two, 1..=1024).
    #[arg(long, value_delimiter = ',', default_value = "8,32,128", value_parser = parse_capacity)]
    capacities: Vec<u32>,
    /// Proofs in each pipeline run (jobs proven at once).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=MAX_PROOFS as u64))]
    proofs: u64,
    /// Runs of each timed measurement (medians with min and max).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=100))]
    runs: u64,
    /// Directory for bench.json, bench.md and the SVG plots.
    #[arg(long, default_value = "bench-out")]
    out: PathBuf,
    /// Thread counts, comma-separated (default: 1 and every core).
    #[arg(long, value_delimiter = ',', value_parser = parse_threads)]
    threads: Option<Vec<usize>>,
    /// Key cache, one directory per shape (default: OUT/keys). Seeded
    /// DEVELOPMENT keys: for benchmarking only.
    #[arg(long)]
    keys_cache: Option<PathBuf>,
    /// Also run the circom/snarkjs peer (benches/peer/run.sh, from the
    /// repository root) at each capacity, into OUT/peer-C.
    #[arg(long)]
    peer: bool,
    /// Also write the Markdown report to this file (benches/RESULTS.md).
    #[arg(long)]
    results: Option<PathBuf>,
}

fn parse_capacity(s: &str) -> Result<u32, String> {
    let c: u32 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a capacity (a power of two in 1..=1024)"))?;
    check_capacity(c)?;
    Ok(c)
}

fn parse_threads(s: &str) -> Result<usize, String> {
    let t: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a thread count"))?;
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
    let config = BenchConfig {
        capacities: args.capacities,
        proofs: args.proofs as usize,
        runs: args.runs as usize,
        threads,
        keys_cache: args.keys_cache.unwrap_or_else(|| args.out.join("keys")),
        peer: args.peer.then(|| PeerConfig {
            script: PathBuf::from(PEER_SCRIPT),
            out: args.out.clone(),
        }),
        command: command_line(),
    };
    // Every setting is checked before anything runs or is written.
    config.validate()?;
    eprintln!("WARNING: {}", zklc_keys::DEV_SETUP_WARNING);

    let bar = indicatif::ProgressBar::new_spinner();
    let interactive = !bar.is_hidden();
    if interactive {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] {msg}")
                .expect("a valid template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    }
    let progress = |m: &str| {
        if interactive {
            bar.set_message(m.to_string());
        } else {
            eprintln!("bench: {m}");
        }
    };
    let report = zklc_benches::run(&config, &progress);
    bar.finish_and_clear();
    let report = report?;
    let written = zklc_benches::write_report(&args.out, &report, args.results.as_deref())
        .context("writing the report")?;

    println!("{}", zklc_benches::SIGNATURE_SCHEME_NOTE);
    println!("machine: {}", report.machine.summary());
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
        println!(
            "capacity {}: {} constraints; setup {}; one proof {} ({} thread(s)); verify {:.3} ms; pipeline {pipeline}{}{}",
            c.capacity,
            c.constraints.total,
            match c.setup.setup_s {
                Some(s) if !c.setup.cached => fmt_s(s),
                _ => "cached".into(),
            },
            fmt_s(top.prove_s.median),
            top.threads,
            c.verify_s.median * 1e3,
            c.scaling
                .as_ref()
                .map(|s| format!(
                    "; scaling {}->{}: proof {:.2}x, pipeline {:.2}x",
                    s.from_threads, s.to_threads, s.single_proof, s.pipeline
                ))
                .unwrap_or_default(),
            c.peer
                .as_ref()
                .map(|p| format!("; snarkjs/zklc {:.2}x", p.prove_ratio))
                .unwrap_or_default()
        );
    }
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(())
}
