//! `zklc bench`: a small run whose JSON, Markdown and plots agree, the key
//! cache reused by a second run, and bad settings refused before anything
//! is written.

mod common;

use common::{assert_ok, s, stderr, stdout, zklc};
use serde_json::Value;
use std::path::Path;

/// A minimal well-formedness check: one root element named `svg`, every
/// tag closed in order (declarations, comments and CDATA skipped).
fn check_svg(text: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<?") {
            rest = &rest[rest.find("?>").expect("closed declaration") + 2..];
            continue;
        }
        if rest.starts_with("<!--") {
            rest = &rest[rest.find("-->").expect("closed comment") + 3..];
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            rest = &rest[rest.find("]]>").expect("closed CDATA") + 3..];
            continue;
        }
        let end = rest.find('>').expect("a closed tag");
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
            continue;
        }
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap()
            .to_string();
        if stack.is_empty() {
            roots += 1;
            assert_eq!(name, "svg", "the root element is <svg>");
        }
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    assert_eq!(roots, 1);
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn median(v: &Value) -> f64 {
    v["median"].as_f64().expect("a median")
}

#[test]
fn bench_writes_json_markdown_and_plots_that_agree_and_reuses_cached_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = zklc(&[
        "bench",
        "--capacities",
        "4",
        "--proofs",
        "2",
        "--runs",
        "1",
        "--threads",
        "1,2",
        "--out",
        s(&out),
    ]);
    assert_ok(&o);
    let j = read_json(&out.join("bench.json"));
    let md = std::fs::read_to_string(out.join("bench.md")).unwrap();

    assert_eq!(j["schema"], "zklc-bench/1");
    assert!(j["machine"]["cores"].as_u64().unwrap() >= 1);
    assert_eq!(j["settings"]["threads"], serde_json::json!([1, 2]));
    let caps = j["capacities"].as_array().unwrap();
    assert_eq!(caps.len(), 1);
    let c = &caps[0];
    assert_eq!(c["capacity"], 4);
    assert_eq!(c["proof_bytes"], 128);
    assert_eq!(c["setup"]["cached"], false);
    assert!(c["setup"]["setup_s"].as_f64().unwrap() > 0.0);
    assert!(c["setup"]["pk_bytes"].as_u64().unwrap() > 0);
    assert!(c["setup"]["vk_bytes"].as_u64().unwrap() > 0);
    let total = c["constraints"]["total"].as_u64().unwrap();
    assert!(c["constraints"]["per_slot_total"].as_u64().unwrap() > 1000);
    assert!(c["constraints"]["fft_domain"].as_u64().unwrap() > total);
    assert!(c["peak_memory"]["peak_bytes"].as_u64().unwrap() > 0);
    assert!(c["peer"].is_null(), "no peer without --peer");
    assert!(c["scaling"]["pipeline"].as_f64().unwrap() > 0.0);
    assert!(median(&c["verify_s"]) > 0.0);

    // The Markdown states the JSON's medians, next to the scheme's sentence.
    assert!(md.contains(j["signature_scheme"].as_str().unwrap()));
    assert!(md.contains("EdDSA-Poseidon") && md.contains("Ed25519"));
    let single = c["single"].as_array().unwrap();
    assert_eq!(single.len(), 2);
    for sp in single {
        for field in [
            "prove_s",
            "witness_s",
            "synthesis_s",
            "witness_map_s",
            "msm_s",
            "msm_b_g2_s",
        ] {
            let m = format!("{:.3} s", median(&sp[field]));
            assert!(md.contains(&m), "{field} median {m} not in bench.md");
        }
        let stage_sum: f64 = [
            "slots_s",
            "synthesis_s",
            "matrices_s",
            "witness_map_s",
            "msm_s",
        ]
        .iter()
        .map(|f| median(&sp[*f]))
        .sum();
        assert!(stage_sum <= median(&sp["prove_s"]) * 1.01 + 1e-3);
    }
    for p in c["pipeline"].as_array().unwrap() {
        assert_eq!(p["proofs"], 2);
        let m = format!("{:.0}", median(&p["proofs_per_hour"]));
        assert!(md.contains(&m), "proofs/hour {m} not in bench.md");
        let m = format!("{:.3} s", median(&p["wall_s"]));
        assert!(md.contains(&m), "pipeline wall {m} not in bench.md");
    }
    let m = format!("{:.3} ms", median(&c["verify_s"]) * 1e3);
    assert!(md.contains(&m), "verify {m} not in bench.md");
    let pretty_total = {
        let t = total.to_string();
        format!("{},{}", &t[..t.len() - 3], &t[t.len() - 3..])
    };
    assert!(md.contains(&pretty_total));

    for svg in ["prove-time.svg", "peak-memory.svg", "throughput.svg"] {
        let text = std::fs::read_to_string(out.join(svg)).unwrap();
        check_svg(&text);
        assert!(md.contains(svg));
    }

    // A second run reuses the cached keys and writes the results page.
    let out2 = dir.path().join("out2");
    let results = dir.path().join("RESULTS.md");
    let o = zklc(&[
        "bench",
        "--capacities",
        "4",
        "--proofs",
        "1",
        "--runs",
        "1",
        "--threads",
        "1",
        "--out",
        s(&out2),
        "--keys-cache",
        s(&out.join("keys")),
        "--results",
        s(&results),
        "--depths",
        "1,2",
    ]);
    assert_ok(&o);
    let j2 = read_json(&out2.join("bench.json"));
    // [PROOF-DEPTH]: one depth-2 proof, its constraints by kind and its
    // time per rotation against depth 1, in the JSON and the Markdown.
    assert_eq!(j2["settings"]["depths"], serde_json::json!([1, 2]));
    let d = &j2["depths"][0];
    assert_eq!(
        (d["capacity"].as_u64(), d["depth"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(d["run_length"], 2);
    let k = &d["constraints"];
    let part = |f: &str| k[f].as_u64().unwrap();
    assert_eq!(
        part("quorum_blocks") + part("sha256") + part("transitions"),
        part("total")
    );
    assert_eq!(part("sha256_blocks"), 3);
    assert!(part("sha256_per_block") > 10_000 && part("sha256_per_block") <= 26_000);
    assert!(
        part("quorum_blocks")
            > 2 * j2["capacities"][0]["constraints"]["slots_total"]
                .as_u64()
                .unwrap()
    );
    assert_eq!(part("public_inputs"), 6);
    let per_rotation = median(&d["per_rotation_s"]);
    assert!((per_rotation * 2.0 - median(&d["prove_s"])).abs() < 1e-9);
    assert!(d["per_rotation_vs_depth1"].as_f64().unwrap() > 0.0);
    let page2 = std::fs::read_to_string(out2.join("bench.md")).unwrap();
    assert!(page2.contains("## Depth: proofs of many rotations"));
    assert!(page2.contains(&format!("{:.3} s", per_rotation)));
    assert!(stdout(&o).contains("capacity 4 depth 2:"), "{}", stdout(&o));
    assert_eq!(j2["capacities"][0]["setup"]["cached"], true);
    assert!(j2["capacities"][0]["setup"]["setup_s"].is_null());
    assert!(j2["capacities"][0]["scaling"].is_null());
    let page = std::fs::read_to_string(&results).unwrap();
    assert!(page.contains("## How to reproduce"));
    assert!(page.contains("target/release/zklc bench --capacities 4 --proofs 1"));
}

#[test]
fn bench_refuses_bad_settings_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (args, needle) in [
        (vec!["--capacities", "0"], "0 is not a capacity"),
        (vec!["--capacities", "x"], "\"x\" is not a whole number"),
        (vec!["--capacities", "8,12"], "12 is not a capacity"),
        (vec!["--capacities", "2048"], "2048 is not a capacity"),
        (vec!["--capacities", "-8"], "negative"),
        (vec!["--proofs", "0"], "--proofs"),
        (vec!["--threads", "0"], "--threads"),
        (vec!["--depths", "1,17"], "17 is not a depth"),
        (vec!["--depths", "0"], "0 is not a depth"),
    ] {
        let mut all = vec!["bench", "--out", s(&out)];
        all.extend(args);
        let o = zklc(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{all:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        assert!(!out.exists(), "{all:?} wrote {}", out.display());
    }

    // --peer without the peer's script: refused before any measurement.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zklc"))
        .current_dir(dir.path())
        .args(["bench", "--capacities", "4", "--peer", "--out", s(&out)])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("benches/peer/run.sh is missing"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());

    // --rapidsnark needs --peer, and a file.
    let o = zklc(&["bench", "--rapidsnark", "/bin/true", "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--peer"), "{}", stderr(&o));
    let o = zklc(&[
        "bench",
        "--capacities",
        "4",
        "--peer",
        "--rapidsnark",
        s(&dir.path().join("no-such-prover")),
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--rapidsnark: no file"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

/// `--peer` runs `benches/peer/run.sh` from the working directory with the
/// contract's arguments and puts its `peer.json` beside zklc's figures.
#[test]
fn bench_peer_figures_sit_beside_zklc_with_the_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let peer = dir.path().join("benches/peer");
    std::fs::create_dir_all(&peer).unwrap();
    // A stand-in for the circom/snarkjs script, following its contract.
    std::fs::write(
        peer.join("run.sh"),
        r#"set -eu
while [ $# -gt 0 ]; do
  case "$1" in
    --capacity) C="$2"; shift 2 ;;
    --proofs) N="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "unexpected argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
cat > "$OUT/peer.json" <<JSON
{"tool": {"circom": "2.2.3", "snarkjs": "0.7.6", "node": "v20"},
 "capacity": $C, "constraints": 18000,
 "prove_s": {"median": 40.5, "min": 40.0, "max": 41.0, "runs": $N},
 "witness_s": {"median": 0.25, "min": 0.2, "max": 0.3, "runs": $N},
 "setup_s": 12.0, "differences_in_work": "stand-in for the test"}
JSON
"#,
    )
    .unwrap();
    // A stand-in for identical.mjs (snarkjs and rapidsnark on zklc's own
    // .zkey and .wtns), following its contract: it checks its inputs exist
    // and writes the timings; snarkjs "installed" so that no npm runs.
    std::fs::create_dir_all(peer.join("node_modules/snarkjs")).unwrap();
    std::fs::write(peer.join("node_modules/snarkjs/package.json"), "{}").unwrap();
    std::fs::write(
        peer.join("identical.mjs"),
        r#"import { readFileSync, writeFileSync, statSync } from "node:fs";
const a = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) a[argv[i].slice(2)] = argv[i + 1];
for (const f of [a.zkey, a.wtns]) if (statSync(f).size < 1000) process.exit(3);
const pub = JSON.parse(readFileSync(a.public, "utf8"));
if (pub.length !== 3) process.exit(4);
const t = (m) => ({ median: m, min: m, max: m, runs: [m] });
writeFileSync(a.out, JSON.stringify({
  snarkjs: { tool: "snarkjs", version: "0.7.6", prove_s: t(4.0), timed: "stand-in" },
  rapidsnark: a.rapidsnark ? { tool: "rapidsnark", version: "x", prove_s: t(1.0), timed: "stand-in" } : null,
}));
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zklc"))
        .current_dir(dir.path())
        .args([
            "bench",
            "--capacities",
            "4",
            "--proofs",
            "1",
            "--runs",
            "1",
            "--threads",
            "1",
            "--peer",
            "--rapidsnark",
            "/bin/true",
            "--out",
            s(&out),
        ])
        .output()
        .unwrap();
    assert_ok(&o);
    let j = read_json(&out.join("bench.json"));
    let c = &j["capacities"][0];
    let p = &c["peer"];
    assert_eq!(p["figures"]["tool"]["snarkjs"], "0.7.6");
    assert_eq!(p["figures"]["prove_s"]["median"], 40.5);
    let zklc = median(&c["single"][0]["prove_s"]);
    let ratio = p["prove_ratio"].as_f64().unwrap();
    assert!((ratio - 40.5 / zklc).abs() < 1e-9 * ratio);
    let md = std::fs::read_to_string(out.join("bench.md")).unwrap();
    assert!(md.contains("Side by side: circom + snarkjs"));
    assert!(md.contains(&format!("**{ratio:.2}x**")));
    assert!(md.contains("stand-in for the test"));
    assert!(out.join("peer-4/peer.json").exists());

    // The identical statement: a ceremony .zkey and a .wtns for capacity 4,
    // zklc with both keys, the stand-in's timings, the ratios in the report.
    let i = &c["identical"];
    assert_eq!(i["constraints"], c["constraints"]["total"]);
    assert_eq!(i["snarkjs"]["prove_s"]["median"], 4.0);
    assert_eq!(i["rapidsnark"]["prove_s"]["median"], 1.0);
    let ceremony = median(&i["zklc_ceremony_key_prove_s"]);
    let seeded = median(&i["zklc_seeded_key_prove_s"]);
    let r = i["ceremony_over_seeded"].as_f64().unwrap();
    assert!((r - ceremony / seeded).abs() < 1e-9 * r);
    assert!(out.join("identical-4/zklc_4.zkey").exists());
    assert!(out.join("identical-4/witness.wtns").exists());
    assert!(md.contains("The identical statement"));
    assert!(md.contains("rapidsnark x"));
    assert!(std::str::from_utf8(&o.stdout)
        .unwrap()
        .contains("identical statement"));
}
