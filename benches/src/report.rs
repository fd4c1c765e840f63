//! The Markdown report: the numbers of `bench.json`, formatted by the
//! functions below (seconds with three decimals, medians first, then
//! `[min–max]`), so a reader (or a test) finds each JSON median in the text.

use std::fmt::Write;

use crate::{
    BenchReport, CapacityReport, Machine, Scaling, Stats, SETUP_SEED, SIGNATURE_SCHEME_NOTE,
};

/// How a scaling figure taken under load is marked.
pub const UNDER_LOAD: &str = "under load";

/// Seconds: `1.234 s`.
pub fn fmt_s(x: f64) -> String {
    format!("{x:.3} s")
}

/// Milliseconds from seconds: `1.234 ms`.
pub fn fmt_ms(x: f64) -> String {
    format!("{:.3} ms", x * 1e3)
}

/// Proofs per hour: `1234`.
pub fn fmt_rate(x: f64) -> String {
    format!("{x:.0}")
}

/// Bytes in MiB: `12.3 MiB`.
pub fn fmt_mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
}

/// A median with its range, each formatted by `f`.
pub fn fmt_stat(s: &Stats, f: fn(f64) -> String) -> String {
    if s.runs == 1 {
        format!("{} (1 run)", f(s.median))
    } else {
        format!("{} [{}–{}]", f(s.median), f(s.min), f(s.max))
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The scheme's sentence, once per report: at the top, above every figure.
fn scheme(md: &mut String) {
    let _ = writeln!(md, "> {SIGNATURE_SCHEME_NOTE}\n");
}

/// Why a scaling figure is flagged: the load average behind it and the
/// cores, in words.
fn load_words(s: &Scaling, m: &Machine) -> String {
    match (s.max_load_average, m.load_average_at_start) {
        (Some(l), _) => format!(
            "the 1-minute load average reached {l:.2} on {} cores while they were measured (this run's own threads included)",
            m.cores
        ),
        (None, Some(l)) => format!(
            "the 1-minute load average was {l:.2} on {} cores when the run started",
            m.cores
        ),
        (None, None) => format!("the load average was above the {} cores", m.cores),
    }
}

/// The report as Markdown. `plots` prefixes the SVG links (empty: beside
/// the Markdown file).
pub fn markdown(r: &BenchReport, plots: Option<&str>) -> String {
    let plots = plots.unwrap_or("");
    let mut md = String::new();
    let m = &r.machine;
    let _ = writeln!(md, "# zklc prover benchmark\n");
    scheme(&mut md);
    let _ = writeln!(md, "- Machine: {}.", m.summary());
    if let Some(rustc) = &m.rustc {
        let _ = writeln!(md, "- Compiler: {rustc}; zklc {}.", r.zklc_version);
    }
    if let Some(load) = m.load_average_at_start {
        let why = if crate::machine::above_cores(Some(load), m.cores) {
            format!(
                ", above the machine's {} cores: other work competed for them, so the figures are noisy",
                m.cores
            )
        } else {
            " (other work on the machine makes the figures noisy)".into()
        };
        let _ = writeln!(md, "- Load average when the run started: {load:.2}{why}.");
    }
    let _ = writeln!(md, "- Command: `{}`.", r.command);
    let _ = writeln!(
        md,
        "- Every time is the median of {} run(s), with [min–max]. Keys come from a seeded setup (seed {SETUP_SEED}): development only, for benchmarking.\n",
        r.settings.runs
    );

    let threads = &r.settings.threads;
    let most = *threads.last().unwrap_or(&1);
    let _ = writeln!(md, "## Summary\n");
    let mut header = String::from("| capacity | constraints (FFT domain) | setup |");
    for t in threads {
        let _ = write!(header, " one proof, {t} thread(s) |");
    }
    let _ = write!(
        header,
        " witness ({most} thread(s)) | verify | peak memory | pipeline proofs/hour ({}) | scaling {}→{most} threads: proof / pipeline |",
        threads
            .iter()
            .map(|t| format!("{t} thr."))
            .collect::<Vec<_>>()
            .join(" / "),
        threads[0]
    );
    let _ = writeln!(md, "{header}");
    let cols = header.matches('|').count() - 1;
    let _ = writeln!(md, "{}", "|---".repeat(cols) + "|");
    for c in &r.capacities {
        let top = c.single_at_most_threads();
        let mut row = format!(
            "| {} | {} ({}) | {} |",
            c.capacity,
            thousands(c.constraints.total as u64),
            thousands(c.constraints.fft_domain as u64),
            setup_cell(c)
        );
        for s in &c.single {
            let _ = write!(row, " {} |", fmt_s(s.prove_s.median));
        }
        let _ = write!(
            row,
            " {} | {} | {} | {} | {} |",
            fmt_s(top.witness_s.median),
            fmt_ms(c.verify_s.median),
            c.peak_memory
                .peak_bytes
                .map(fmt_mib)
                .unwrap_or_else(|| "n/a".into()),
            c.pipeline
                .iter()
                .map(|p| fmt_rate(p.proofs_per_hour.median))
                .collect::<Vec<_>>()
                .join(" / "),
            c.scaling
                .as_ref()
                .map(|s| format!(
                    "{:.2}x / {:.2}x{}",
                    s.single_proof,
                    s.pipeline,
                    if s.taken_under_load(m) {
                        format!(" ({UNDER_LOAD})")
                    } else {
                        String::new()
                    }
                ))
                .unwrap_or_else(|| "n/a (one thread count)".into())
        );
        let _ = writeln!(md, "{row}");
    }
    let _ = writeln!(md);
    if r.capacities
        .iter()
        .any(|c| c.scaling.as_ref().is_some_and(|s| s.taken_under_load(m)))
    {
        let _ = writeln!(
            md,
            "Scaling figures marked *{UNDER_LOAD}* were measured while the 1-minute load average was above the machine's {} cores: other work competed for the cores, so they are not a clean measure of how the prover scales.\n",
            m.cores
        );
    }

    if !r.depths.is_empty() {
        depth_section(&mut md, r);
    }

    for c in &r.capacities {
        capacity_section(&mut md, r, c);
    }

    let _ = writeln!(md, "## Plots\n");
    for (file, title) in [
        (crate::plot::PROVE_TIME_SVG, "Proving time against capacity"),
        (crate::plot::MEMORY_SVG, "Peak memory against capacity"),
        (crate::plot::THROUGHPUT_SVG, "Throughput against threads"),
    ] {
        let _ = writeln!(md, "![{title}]({plots}{file})\n");
    }

    let _ = writeln!(md, "## How to reproduce\n");
    let _ = writeln!(
        md,
        "From the repository root (the figures depend on the machine and on what else runs on it):\n"
    );
    let _ = writeln!(
        md,
        "```sh\ncargo build --release -p zklc-cli\ntarget/release/{}\n```",
        r.command
            .strip_prefix("target/release/")
            .unwrap_or(&r.command)
    );
    md
}

/// `[PROOF-DEPTH]` one proof of a run of k steps against k depth-1 proofs:
/// constraints by kind and the time per rotation.
fn depth_section(md: &mut String, r: &BenchReport) {
    let _ = writeln!(
        md,
        "## Depth: proofs of many rotations
"
    );
    let _ = writeln!(
        md,
        "A depth-k proof covers a run of k sync-path steps (each measured proof a full run): k quorum blocks, SHA-256 of the k - 1 intermediate headers (3 compression blocks each) and the transition checks between them. Per rotation is one proof's time divided by k, against one depth-1 proof at the same capacity with as many threads.\n"
    );
    let _ = writeln!(
        md,
        "| capacity | depth | constraints (FFT domain) | quorum blocks | SHA-256 (per block) | transitions | setup | one proof | per rotation | per rotation / depth 1 | verify |"
    );
    let _ = writeln!(md, "{}", "|---".repeat(11) + "|");
    for c in &r.capacities {
        let k = &c.constraints;
        let top = c.single_at_most_threads();
        let _ = writeln!(
            md,
            "| {} | 1 | {} ({}) | {} | none | none | {} | {} | {} | 1.00x | {} |",
            c.capacity,
            thousands(k.total as u64),
            thousands(k.fft_domain as u64),
            thousands(k.total as u64),
            setup_cell(c),
            fmt_s(top.prove_s.median),
            fmt_s(top.prove_s.median),
            fmt_ms(c.verify_s.median)
        );
        for d in r.depths.iter().filter(|d| d.capacity == c.capacity) {
            let k = &d.constraints;
            let _ = writeln!(
                md,
                "| {} | {} | {} ({}) | {} | {} ({}) | {} | {} | {} | {} | {} | {} |",
                d.capacity,
                d.depth,
                thousands(k.total as u64),
                thousands(k.fft_domain as u64),
                thousands(k.quorum_blocks as u64),
                thousands(k.sha256 as u64),
                thousands(k.sha256_per_block as u64),
                thousands(k.transitions as u64),
                match (d.setup.cached, d.setup.setup_s) {
                    (false, Some(s)) => fmt_s(s),
                    _ => "cached".into(),
                },
                fmt_stat(&d.prove_s, fmt_s),
                fmt_stat(&d.per_rotation_s, fmt_s),
                d.per_rotation_vs_depth1
                    .map_or("n/a".into(), |x| format!("{x:.2}x")),
                fmt_ms(d.verify_s.median)
            );
        }
    }
    let _ = writeln!(md);
}

fn setup_cell(c: &CapacityReport) -> String {
    match (c.setup.cached, c.setup.setup_s) {
        (false, Some(s)) => fmt_s(s),
        _ => "cached".into(),
    }
}

fn capacity_section(md: &mut String, r: &BenchReport, c: &CapacityReport) {
    let cs = &c.constraints;
    let _ = writeln!(md, "## Capacity {}\n", c.capacity);
    let _ = writeln!(md, "### Constraints\n");
    let _ = writeln!(md, "| part | constraints |\n|---|---|");
    for (part, n) in &cs.per_slot {
        let _ = writeln!(md, "| {part} (per slot) | {} |", thousands(*n as u64));
    }
    let _ = writeln!(
        md,
        "| **one slot** | **{}** |\n| all {} slots | {} |",
        thousands(cs.per_slot_total as u64),
        c.capacity,
        thousands(cs.slots_total as u64)
    );
    for (part, n) in &cs.other_parts {
        let _ = writeln!(md, "| {part} | {} |", thousands(*n as u64));
    }
    let _ = writeln!(
        md,
        "| **total** | **{}** |\n\n{} public inputs; Groth16's FFT domain: {} (2^{}).\n",
        thousands(cs.total as u64),
        cs.public_inputs,
        thousands(cs.fft_domain as u64),
        cs.fft_domain.trailing_zeros()
    );

    let _ = writeln!(md, "### Setup, keys, proof\n");
    let setup = match (c.setup.cached, c.setup.setup_s, c.setup.load_s) {
        (false, Some(s), _) => format!("ran in {}", fmt_s(s)),
        (_, _, Some(l)) => format!(
            "cached (no setup ran in this run; keys loaded in {})",
            fmt_s(l)
        ),
        _ => "cached".into(),
    };
    let _ = writeln!(
        md,
        "- Setup: {setup}; keys in `{}`.\n- Proving key: {} bytes ({}); verifying key: {} bytes; proof: {} bytes.\n- Devnet generation: {}.\n",
        c.setup.dir,
        thousands(c.setup.pk_bytes),
        fmt_mib(c.setup.pk_bytes),
        c.setup.vk_bytes,
        c.proof_bytes,
        fmt_s(c.devnet_s)
    );

    let _ = writeln!(md, "### One proof, stage by stage\n");
    let top = c.single_at_most_threads();
    let mut header = String::from("| stage |");
    for s in &c.single {
        let _ = write!(header, " {} thread(s) |", s.threads);
    }
    let _ = write!(header, " share at {} thread(s) |", top.threads);
    let _ = writeln!(md, "{header}\n{}|", "|---".repeat(c.single.len() + 2));
    type Pick = fn(&crate::SingleProof) -> &Stats;
    // Stage rows, then all MSMs, witness time, total and the rate.
    let rows: [(&str, Pick); 13] = [
        ("placing the slots (native)", |s| &s.slots_s),
        (
            "synthesis: witness generation (parallel parts, read out)",
            |s| &s.synthesis_s,
        ),
        ("R1CS matrices and assignment", |s| &s.matrices_s),
        ("R1CS to QAP: the FFTs", |s| &s.witness_map_s),
        ("MSM H (G1)", |s| &s.msm_h_s),
        ("MSM L (G1)", |s| &s.msm_l_s),
        ("MSM A (G1)", |s| &s.msm_a_s),
        ("MSM B (G1)", |s| &s.msm_b_g1_s),
        ("MSM B (G2)", |s| &s.msm_b_g2_s),
        ("all MSMs", |s| &s.msm_s),
        ("witness time (slots + synthesis)", |s| &s.witness_s),
        ("**one proof, total**", |s| &s.prove_s),
        ("proofs per hour, one at a time", |s| &s.prove_s),
    ];
    for (i, (name, pick)) in rows.iter().enumerate() {
        // The prover reads the assignment out within the synthesis.
        if c.single.iter().all(|s| pick(s).max == 0.0) {
            continue;
        }
        let mut row = format!("| {name} |");
        for s in &c.single {
            let st = pick(s);
            let cell = if i == rows.len() - 1 {
                fmt_rate(3600.0 / st.median)
            } else {
                fmt_stat(st, fmt_s)
            };
            let _ = write!(row, " {cell} |");
        }
        // The share of one proof's median time; not for the derived rows.
        if i < rows.len() - 1 {
            let share = 100.0 * pick(top).median / top.prove_s.median;
            let _ = write!(row, " {share:.0}% |");
        } else {
            let _ = write!(row, " |");
        }
        let _ = writeln!(md, "{row}");
    }
    let pm = &c.peak_memory;
    let _ = writeln!(
        md,
        "\n- Native verification of one proof (header checks, SHA-256, one pairing check; prepared key): {}.\n- Peak memory of one proof ({} thread(s)): {}, with {} resident before it. Method: {}.\n",
        fmt_stat(&c.verify_s, fmt_ms),
        pm.threads,
        pm.peak_bytes.map(fmt_mib).unwrap_or_else(|| "n/a".into()),
        pm.baseline_bytes.map(fmt_mib).unwrap_or_else(|| "n/a".into()),
        pm.method
    );

    let _ = writeln!(
        md,
        "### Throughput: a pipeline of {} proofs\n",
        r.settings.proofs
    );
    let _ = writeln!(
        md,
        "One worker per thread (as `zklc prove --jobs`), each proving whole proofs one after another on its own core and taking the next proof when it finishes; with fewer proofs left than workers the last ones run alone.\n\n| threads | proofs | wall time | proofs per hour |\n|---|---|---|---|"
    );
    for p in &c.pipeline {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            p.threads,
            p.proofs,
            fmt_stat(&p.wall_s, fmt_s),
            fmt_stat(&p.proofs_per_hour, fmt_rate)
        );
    }
    if let Some(s) = &c.scaling {
        let _ = writeln!(
            md,
            "\nScaling from {} to {} threads: one proof {:.2}x faster, the pipeline {:.2}x the throughput.",
            s.from_threads, s.to_threads, s.single_proof, s.pipeline
        );
        if s.taken_under_load(&r.machine) {
            let _ = writeln!(
                md,
                "\n**Taken under load**: {}, so other work competed for the cores and these ratios are not a clean measure of how the prover scales.",
                load_words(s, &r.machine)
            );
        }
    }
    let _ = writeln!(md);

    if let Some(p) = &c.peer {
        let f = &p.figures;
        let top = c.single_at_most_threads();
        let _ = writeln!(md, "### Side by side: circom + snarkjs\n");
        let _ = writeln!(
            md,
            "| | zklc ({} thread(s)) | snarkjs {} (circom {}, node {}) |\n|---|---|---|",
            top.threads, f.tool.snarkjs, f.tool.circom, f.tool.node
        );
        let _ = writeln!(
            md,
            "| constraints | {} | {} |",
            thousands(c.constraints.total as u64),
            thousands(f.constraints)
        );
        let _ = writeln!(
            md,
            "| one proof (median) | {} | {} [{}–{}] |",
            fmt_stat(&top.prove_s, fmt_s),
            fmt_s(f.prove_s.median),
            fmt_s(f.prove_s.min),
            fmt_s(f.prove_s.max)
        );
        let _ = writeln!(
            md,
            "| witness (median) | {} | {} [{}–{}] |",
            fmt_stat(&top.witness_s, fmt_s),
            fmt_s(f.witness_s.median),
            fmt_s(f.witness_s.min),
            fmt_s(f.witness_s.max)
        );
        let _ = writeln!(
            md,
            "| setup | {} | {} |",
            setup_cell(c),
            f.setup_s.map(fmt_s).unwrap_or_else(|| "n/a".into())
        );
        let _ = writeln!(
            md,
            "\nsnarkjs median / zklc median: **{:.2}x**. Differences in work: {}\n",
            p.prove_ratio, f.differences_in_work
        );
    }

    if let Some(i) = &c.identical {
        let _ = writeln!(
            md,
            "### The identical statement: zklc's own .zkey and .wtns\n"
        );
        let _ = writeln!(
            md,
            "{} constraints, a domain of 2^{}. Every prover reads the same key (a `.zkey` from `zklc ceremony`: init on a known-tau phase-1 file, one contribution, a beacon; BENCHMARK ONLY) and the same witness (`zklc prove --wtns-out`'s file); every proof is verified, its public signals equal zklc's.\n",
            thousands(i.constraints as u64),
            i.domain_power
        );
        let _ = writeln!(
            md,
            "| prover | one proof (median) [min–max] | what is timed |\n|---|---|---|"
        );
        let _ = writeln!(
            md,
            "| zklc, ceremony key ({} thread(s)) | {} | the whole proof in-process, witness generation included |",
            i.threads,
            fmt_stat(&i.zklc_ceremony_key_prove_s, fmt_s)
        );
        let _ = writeln!(
            md,
            "| zklc, seeded key (same shape, interleaved) | {} | the same |",
            fmt_stat(&i.zklc_seeded_key_prove_s, fmt_s)
        );
        for t in std::iter::once(&i.snarkjs).chain(&i.rapidsnark) {
            let _ = writeln!(
                md,
                "| {} {} | {} [{}–{}] | {} |",
                t.tool,
                t.version,
                fmt_s(t.prove_s.median),
                fmt_s(t.prove_s.min),
                fmt_s(t.prove_s.max),
                t.timed
            );
        }
        let _ = writeln!(
            md,
            "\nCeremony key / seeded key: **{:.3}x**. snarkjs / zklc: **{:.2}x**{}.\n",
            i.ceremony_over_seeded,
            i.snarkjs.prove_s.median / i.zklc_ceremony_key_prove_s.median,
            i.rapidsnark
                .as_ref()
                .map(|r| format!(
                    "; rapidsnark / zklc: **{:.2}x**",
                    r.prove_s.median / i.zklc_ceremony_key_prove_s.median
                ))
                .unwrap_or_default()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{markdown, UNDER_LOAD};
    use crate::fixture::report;
    use crate::{peer, BenchReport, PeerReport, SIGNATURE_SCHEME_NOTE};
    use std::path::Path;

    /// Two capacities, two thread counts, the peer beside each: every
    /// section that once repeated the scheme's sentence.
    fn full(cores: usize, load: Option<f64>) -> BenchReport {
        let mut r = report(&[8, 32], &[1, 2], cores, load);
        r.settings.peer = true;
        for c in &mut r.capacities {
            let json = format!(
                r#"{{"tool": {{"circom": "2.1.9", "snarkjs": "0.7.6", "node": "v20"}},
                    "capacity": {}, "constraints": 40000,
                    "prove_s": {{"median": 9.0, "min": 8.0, "max": 10.0}},
                    "witness_s": {{"median": 1.0, "min": 1.0, "max": 1.0}},
                    "setup_s": null, "differences_in_work": "none"}}"#,
                c.capacity
            );
            let f = peer::parse_peer(json.as_bytes(), c.capacity).unwrap();
            c.peer = Some(PeerReport::new(f, 1.0, Path::new("peer")));
        }
        r
    }

    #[test]
    fn the_scheme_note_is_stated_once_at_the_top() {
        let r = full(2, Some(0.5));
        let md = markdown(&r, None);
        assert_eq!(md.matches(SIGNATURE_SCHEME_NOTE).count(), 1, "{md}");
        let note = md.find(SIGNATURE_SCHEME_NOTE).unwrap();
        let first_figure = md.find("## Summary").unwrap();
        assert!(note < first_figure, "the note comes before every figure");
        // Each section it once repeated is still there.
        for section in [
            "### Setup, keys, proof",
            "### One proof, stage by stage",
            "### Throughput",
            "### Side by side: circom + snarkjs",
        ] {
            assert_eq!(md.matches(section).count(), 2, "{section}");
        }
        // bench.json keeps the sentence.
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["signature_scheme"], SIGNATURE_SCHEME_NOTE);
    }

    #[test]
    fn scaling_taken_under_load_is_flagged_and_otherwise_not() {
        let loaded = markdown(&full(2, Some(3.5)), None);
        let summary_row = loaded
            .lines()
            .find(|l| l.starts_with("| 8 |"))
            .expect("the summary row of capacity 8");
        assert!(
            summary_row.ends_with(&format!("2.00x / 2.00x ({UNDER_LOAD}) |")),
            "{summary_row}"
        );
        assert_eq!(loaded.matches("**Taken under load**").count(), 2);
        assert!(loaded.contains("reached 3.50 on 2 cores while they were measured"));
        assert!(loaded.contains(&format!("marked *{UNDER_LOAD}*")));

        // At or below the core count: nothing flagged.
        for load in [Some(0.4), Some(2.0), None] {
            let calm = markdown(&full(2, load), None);
            assert!(!calm.contains(UNDER_LOAD), "{load:?}");
            assert!(!calm.contains("Taken under load"), "{load:?}");
            assert!(calm.contains("2.00x / 2.00x |"), "{load:?}");
        }
    }

    #[test]
    fn the_load_is_recorded_in_the_json_and_old_reports_still_read() {
        let r = full(2, Some(3.5));
        let mut json = serde_json::to_value(&r).unwrap();
        let s = &json["capacities"][0]["scaling"];
        assert_eq!(s["under_load"], true);
        assert_eq!(s["max_load_average"], 3.5);
        let back: BenchReport = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, r);

        // A report written before the fields: it reads, and its start load
        // (above the cores here) flags its scaling.
        for c in json["capacities"].as_array_mut().unwrap() {
            let s = c["scaling"].as_object_mut().unwrap();
            s.remove("under_load");
            s.remove("max_load_average");
        }
        json["machine"]["load_average_at_start"] = serde_json::json!(2.15);
        let old: BenchReport = serde_json::from_value(json.clone()).unwrap();
        let s = old.capacities[0].scaling.as_ref().unwrap();
        assert!(!s.under_load && s.max_load_average.is_none());
        assert!(s.taken_under_load(&old.machine));
        assert!(markdown(&old, None).contains("was 2.15 on 2 cores when the run started"));
        json["machine"]["load_average_at_start"] = serde_json::json!(1.0);
        let old: BenchReport = serde_json::from_value(json).unwrap();
        let s = old.capacities[0].scaling.as_ref().unwrap();
        assert!(!s.taken_under_load(&old.machine));
    }

    #[test]
    fn a_start_load_above_the_cores_is_said_on_its_line() {
        let mut r = full(2, None);
        r.machine.load_average_at_start = Some(2.5);
        let md = markdown(&r, None);
        assert!(md.contains("2.50, above the machine's 2 cores: other work competed"));
        r.machine.load_average_at_start = Some(1.5);
        let md = markdown(&r, None);
        assert!(!md.contains("other work competed"));
        assert!(md.contains("1.50 (other work on the machine makes the figures noisy)."));
    }
}
