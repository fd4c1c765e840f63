//! `zklc export r1cs` and `zklc prove --wtns-out` (`[FMT-R1CS]`,
//! `[FMT-WTNS]`): the setup's constraint system, the same bytes every time;
//! every proof's witness satisfies it, kept proofs' too; refusals before
//! any work. snarkjs reads the same files in `tests/interop/iden3-check.sh`.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{assert_ok, assert_refused_with, assert_usage_with, s, stderr, stdout, zklc, Proven};
use zklc_ceremony::{witness_file_name, R1cs, Witness};
use zklc_primitives::test_helpers::{proof_file_height, proof_files};

fn fixture() -> &'static Proven {
    static F: OnceLock<Proven> = OnceLock::new();
    F.get_or_init(|| common::proven("3", "9", "1"))
}

fn manifest_constraints(keys: &Path) -> usize {
    let text = std::fs::read_to_string(keys.join("manifest.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["constraints"].as_u64().unwrap() as usize
}

fn r1cs_of_capacity_4() -> &'static R1cs {
    static R: OnceLock<R1cs> = OnceLock::new();
    R.get_or_init(|| zklc_ceremony::r1cs_of_shape(zklc_primitives::Shape::depth1(4)).unwrap())
}

#[test]
fn export_r1cs_writes_the_setups_constraint_system_the_same_every_time() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("a.r1cs"), dir.path().join("b.r1cs"));
    let o = zklc(&["export", "r1cs", "--capacity", "4", "--out", s(&one)]);
    assert_ok(&o);
    assert_ok(&zklc(&[
        "export",
        "r1cs",
        "--capacity",
        "4",
        "--depth",
        "1",
        "--out",
        s(&two),
        "--quiet",
    ]));
    let bytes = std::fs::read(&one).unwrap();
    assert!(bytes == std::fs::read(&two).unwrap(), "two exports differ");
    let r1cs = R1cs::read(&bytes).unwrap();
    let constraints = manifest_constraints(&f.keys);
    assert_eq!(r1cs.num_constraints(), constraints);
    assert_eq!(r1cs.num_pub_in, 3);
    assert_eq!(&r1cs, r1cs_of_capacity_4());

    let out = stdout(&o);
    assert!(
        out.contains(&format!("constraints {constraints}\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("wires {}\n", r1cs.num_wires)),
        "{out}"
    );
    assert!(out.contains("public_inputs 3\n"), "{out}");
    let digest = sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&bytes));
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert!(out.contains(&format!("sha256 {hex}\n")), "{out}");
    assert!(stderr(&o).contains("synthesizing"), "{}", stderr(&o));

    // Refusals before any work.
    let bad = dir.path().join("bad.r1cs");
    let o = zklc(&["export", "r1cs", "--capacity", "6", "--out", s(&bad)]);
    assert_usage_with(&o, "capacity");
    let o = zklc(&[
        "export",
        "r1cs",
        "--capacity",
        "4",
        "--depth",
        "0",
        "--out",
        s(&bad),
    ]);
    assert_usage_with(&o, "depth");
    let o = zklc(&["export", "r1cs", "--capacity", "4", "--out", "-"]);
    assert_refused_with(&o, "stdout");
    let o = zklc(&["export", "r1cs", "--capacity", "4", "--out", s(dir.path())]);
    assert_refused_with(&o, "a directory");
    assert!(!bad.exists());
}

#[test]
fn prove_wtns_out_writes_every_proofs_witness_and_a_resumed_run_the_kept_ones_too() {
    let f = fixture();
    let r1cs = r1cs_of_capacity_4();
    let dir = tempfile::tempdir().unwrap();
    let (out, wtns) = (dir.path().join("proofs"), dir.path().join("wtns"));
    let prove = |out: &Path, wtns: &Path| {
        zklc(&[
            "prove",
            "--chain",
            s(&f.chain),
            "--keys",
            s(&f.keys),
            "--out",
            s(out),
            "--wtns-out",
            s(wtns),
        ])
    };
    let o = prove(&out, &wtns);
    assert_ok(&o);
    assert!(stderr(&o).contains("wrote 3 witnesses"), "{}", stderr(&o));
    let proofs = proof_files(&out);
    assert_eq!(proofs.len(), 3);
    let mut witnesses = Vec::new();
    for proof in &proofs {
        let path = wtns.join(witness_file_name(proof_file_height(proof)));
        let bytes = std::fs::read(&path).unwrap();
        let witness = Witness::read(&bytes).unwrap();
        assert_eq!(r1cs.check_assignment(&witness.values), Ok(()), "{path:?}");
        witnesses.push(bytes);
    }
    assert_eq!(std::fs::read_dir(&wtns).unwrap().count(), 3);

    // Resumed with one proof gone: two kept, their witnesses generated
    // again without proving, one proven; the same bytes as before.
    std::fs::remove_file(&proofs[1]).unwrap();
    let again = dir.path().join("wtns-again");
    let o = prove(&out, &again);
    assert_ok(&o);
    assert!(stderr(&o).contains("(2 kept)"), "{}", stderr(&o));
    for (proof, before) in proofs.iter().zip(&witnesses) {
        let path = again.join(witness_file_name(proof_file_height(proof)));
        assert!(
            std::fs::read(&path).unwrap() == *before,
            "{path:?} differs from the first run's"
        );
    }

    // A file where the witness directory should be: refused before proving.
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let fresh = dir.path().join("fresh");
    let o = prove(&fresh, &file);
    assert_refused_with(&o, "--wtns-out");
    assert!(!fresh.exists());
}
