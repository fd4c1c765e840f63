//! Depth k through the CLI (`[PROOF-DEPTH]`, `[PROOF-RUNS]`,
//! `[FMT-PROOF]`): `setup --depth 2`, `prove` writes one file per run with
//! `first` and `run_length` and resumes, `verify` and the light client reach
//! the state of the depth-1 path, and a proof file with its `first` moved
//! or a depth-2 proof under depth-1 keys is refused.

mod common;

use common::{assert_ok, s, stderr, stdout, zklc, NOW, START};
use zklc_primitives::test_helpers::proof_files;

fn setup(dir: &std::path::Path, name: &str, depth: &str) -> std::path::PathBuf {
    let keys = dir.join(name);
    assert_ok(&zklc(&[
        "setup",
        "--capacity",
        "4",
        "--depth",
        depth,
        "--seed",
        "1",
        "--out",
        s(&keys),
    ]));
    keys
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn depth2_proves_runs_and_verifies_to_the_state_of_the_depth1_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let chain = d.join("chain.json");
    let start = START.to_string();
    assert_ok(&zklc(&[
        "devnet",
        "--validators",
        "4",
        "--capacity",
        "4",
        "--epochs",
        "4",
        "--epoch-length",
        "2",
        "--seed",
        "5",
        "--start-time",
        &start,
        "--out",
        s(&chain),
    ]));
    let k1 = setup(d, "k1", "1");
    let k2 = setup(d, "k2", "2");
    let manifest = json(&k2.join("manifest.json"));
    assert_eq!(
        (
            manifest["depth"].as_u64(),
            manifest["public_inputs"].as_u64()
        ),
        (Some(2), Some(6))
    );
    for (keys, out) in [(&k1, "p1"), (&k2, "p2")] {
        assert_ok(&zklc(&[
            "prove",
            "--chain",
            s(&chain),
            "--keys",
            s(keys),
            "--out",
            s(&d.join(out)),
        ]));
    }
    let p1 = proof_files(&d.join("p1"));
    let p2 = proof_files(&d.join("p2"));
    assert_eq!(p2.len(), p1.len().div_ceil(2), "runs of two steps");
    // Each run file: named by its target, with first and run_length.
    for (i, p) in p2.iter().enumerate() {
        let f = json(p);
        assert_eq!(f["depth"], 2);
        let run = f["run_length"].as_u64().unwrap();
        assert_eq!(run, if 2 * i + 2 <= p1.len() { 2 } else { 1 });
        let target = json(&p1[(2 * i + run as usize) - 1]);
        assert_eq!(f["header"], target["header"]);
        let first = json(&p1[2 * i]);
        assert_eq!(f["first"]["height"], first["header"]["height"]);
        assert_eq!(f["first"]["timestamp"], first["header"]["timestamp"]);
    }
    // Resume keeps the runs; the notes say runs.
    let o = zklc(&[
        "prove",
        "--chain",
        s(&chain),
        "--keys",
        s(&k2),
        "--out",
        s(&d.join("p2")),
    ]);
    assert_ok(&o);
    assert!(
        stderr(&o).contains("already verify") || stderr(&o).contains("already verifies"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("proving 0 runs"), "{}", stderr(&o));

    // verify --json: the depth-2 proofs end where the depth-1 proofs end.
    let now = NOW.to_string();
    let verify = |keys: &std::path::Path, proofs: &[std::path::PathBuf]| {
        let mut args = vec![
            "verify",
            "--keys",
            s(keys),
            "--genesis",
            s(&chain),
            "--trust-genesis",
            "--now",
            &now,
            "--json",
        ];
        args.extend(proofs.iter().map(|p| s(p)));
        zklc(&args)
    };
    let v1 = verify(&k1, &p1);
    let v2 = verify(&k2, &p2);
    assert_ok(&v1);
    assert_ok(&v2);
    let state = |o: &std::process::Output| {
        serde_json::from_str::<serde_json::Value>(&stdout(o)).unwrap()["trusted_state"].clone()
    };
    assert_eq!(state(&v1), state(&v2));

    // The light client: a store pinning the depth-2 key syncs to the same state.
    let store = d.join("store");
    assert_ok(&zklc(&[
        "client",
        "init",
        "--store",
        s(&store),
        "--keys",
        s(&k2),
        "--allow-development-key",
        "--genesis",
        s(&chain),
        "--trust-genesis",
        "--now",
        &now,
    ]));
    assert_ok(&zklc(&[
        "client",
        "sync",
        "--store",
        s(&store),
        "--from",
        s(&d.join("p2")),
        "--now",
        &now,
    ]));
    let st = zklc(&["client", "status", "--store", s(&store), "--json"]);
    assert_ok(&st);
    let st: serde_json::Value = serde_json::from_str(&stdout(&st)).unwrap();
    assert_eq!(st["height"], state(&v1)["height"], "{st}");

    // Rejecting twins: `first` moved by one in a file, and a depth-2 proof
    // under depth-1 keys.
    let mut moved = json(&p2[0]);
    let t: u64 = moved["first"]["timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    moved["first"]["timestamp"] = (t + 1).to_string().into();
    let bad = d.join("moved.json");
    std::fs::write(&bad, moved.to_string()).unwrap();
    let o = verify(&k2, std::slice::from_ref(&bad));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("pairing check rejected"),
        "{}",
        stderr(&o)
    );
    let o = verify(&k1, &p2[..1]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("depth"), "{}", stderr(&o));
}
