//! The Markdown report: the numbers of `bench.json`, formatted by the
//! functions below (seconds with three decimals, medians first, then
//! `[min–max]`), so a reader (or a test) finds each JSON median in the text.

use std::fmt::Write;

use crate::{BenchReport, CapacityReport, Stats, SETUP_SEED, SIGNATURE_SCHEME_NOTE};

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

fn scheme(md: &mut String) {
    let _ = writeln!(md, "> {SIGNATURE_SCHEME_NOTE}\n");
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
        let _ = writeln!(
            md,
            "- Load average when the run started: {load:.2} (other work on the machine makes the figures noisy)."
        );
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
    scheme(&mut md);
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
                .map(|s| format!("{:.2}x / {:.2}x", s.single_proof, s.pipeline))
                .unwrap_or_else(|| "n/a (one thread count)".into())
        );
        let _ = writeln!(md, "{row}");
    }
    let _ = writeln!(md);

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
    scheme(md);
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
    scheme(md);
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
    scheme(md);
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
    }
    let _ = writeln!(md);

    if let Some(p) = &c.peer {
        let f = &p.figures;
        let top = c.single_at_most_threads();
        let _ = writeln!(md, "### Side by side: circom + snarkjs\n");
        scheme(md);
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
}
