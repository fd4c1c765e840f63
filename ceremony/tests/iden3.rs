//! `[FMT-R1CS]`, `[FMT-WTNS]`: a shape's `.r1cs` against the setup's
//! constraint system, written the same way every time and read back equal;
//! the prover's witnesses satisfy it when both are read back from their
//! files (every constraint evaluated natively), a changed value does not;
//! the readers refuse truncated, garbage, oversized and malformed files
//! with typed errors.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use ark_bn254::Fr;
use ark_ff::One;
use zklc_ceremony::binfile::{bn254_r_le, BinFile, BinFileError, BinWriter, Limits, FIELD_BYTES};
use zklc_ceremony::r1cs::R1CS_MAGIC;
use zklc_ceremony::{
    r1cs_of_shape, witness_file_name, AssignmentError, R1cs, R1csError, Witness, WtnsError,
};
use zklc_primitives::test_helpers::{devnet, devnet_config};
use zklc_primitives::{ChainFile, Shape};
use zklc_prover::ProvableChain;

fn shape(depth: u32) -> Shape {
    Shape { capacity: 4, depth }
}

/// The `.r1cs` of capacity 4 at depth 1 or 2, made once per test process.
fn r1cs(depth: u32) -> &'static R1cs {
    static D1: OnceLock<R1cs> = OnceLock::new();
    static D2: OnceLock<R1cs> = OnceLock::new();
    let cell = if depth == 1 { &D1 } else { &D2 };
    cell.get_or_init(|| r1cs_of_shape(shape(depth)).unwrap())
}

fn chain() -> ChainFile {
    devnet(&devnet_config(3, 4, 3, 2, 5))
}

/// The full assignment of run `index` of `chain()` at `depth`.
fn assignment(depth: u32, index: usize) -> Vec<Fr> {
    let provable = ProvableChain::check(chain()).unwrap();
    provable
        .job(shape(depth), index)
        .unwrap()
        .full_assignment()
        .unwrap()
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// Byte offsets of a zklc `.r1cs`: section 1's data at 24, its fields
/// after n8 and the prime; section 2's data at 100.
const N_WIRES: usize = 60;
const N_PUB_IN: usize = 68;
const N_CONSTRAINTS: usize = 84;
const CONSTRAINTS: usize = 100;

#[test]
fn the_r1cs_of_a_shape_is_the_setups_constraint_system_and_round_trips() {
    for depth in [1, 2] {
        let r1cs = r1cs(depth);
        assert_eq!(
            r1cs.num_constraints(),
            zklc_keys::constraint_count(shape(depth)).unwrap(),
            "depth {depth}"
        );
        assert_eq!(r1cs.num_pub_in as usize, shape(depth).public_input_count());
        assert_eq!((r1cs.num_pub_out, r1cs.num_prv_in), (0, 0));
        assert_eq!(r1cs.num_labels, u64::from(r1cs.num_wires));
        assert!(r1cs
            .wire_to_label
            .iter()
            .enumerate()
            .all(|(w, &l)| w as u64 == l));

        let bytes = r1cs.to_bytes();
        assert_eq!(&bytes[..4], b"r1cs");
        assert_eq!(u32_at(&bytes, 4), 1, "version");
        assert_eq!(u32_at(&bytes, 8), 3, "sections");
        assert_eq!(u32_at(&bytes, 24), 32, "n8");
        assert_eq!(bytes[28..60], bn254_r_le());
        assert_eq!(u32_at(&bytes, N_WIRES), r1cs.num_wires);
        assert_eq!(u32_at(&bytes, N_PUB_IN), r1cs.num_pub_in);
        assert_eq!(
            u32_at(&bytes, N_CONSTRAINTS) as usize,
            r1cs.num_constraints()
        );
        assert_eq!(bytes.len() as u64, r1cs.encoded_len());

        let back = R1cs::read(&bytes).unwrap();
        assert_eq!(&back, r1cs, "depth {depth}: read back equal");

        // Deterministic: a second synthesis writes the same bytes.
        let again = r1cs_of_shape(shape(depth)).unwrap().to_bytes();
        assert!(again == bytes, "depth {depth}: two exports differ");

        // Through a file, atomically.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("circuit.r1cs");
        r1cs.write_atomic(&path).unwrap();
        assert!(std::fs::read(&path).unwrap() == bytes);
        assert_eq!(&R1cs::read_path(&path, 1 << 30).unwrap(), r1cs);
    }
}

#[test]
fn the_provers_witness_satisfies_the_r1cs_read_from_files_and_a_changed_value_does_not() {
    let dir = tempfile::tempdir().unwrap();
    for depth in [1, 2] {
        let r1cs_path = dir.path().join(format!("d{depth}.r1cs"));
        r1cs(depth).write_atomic(&r1cs_path).unwrap();
        let from_file = R1cs::read_path(&r1cs_path, 1 << 30).unwrap();
        let values = assignment(depth, 0);
        assert_eq!(values.len(), from_file.num_wires as usize);
        assert!(values[0].is_one());

        let wtns_path = dir.path().join(format!("d{depth}.wtns"));
        Witness::new(values.clone())
            .write_atomic(&wtns_path)
            .unwrap();
        let witness = Witness::read_path(&wtns_path, 1 << 30).unwrap();
        assert_eq!(witness.values, values);
        assert_eq!(from_file.check_assignment(&witness.values), Ok(()));

        // One value changed: a public input, a witness variable in the
        // middle, the last one. Each breaks some constraint.
        let n = values.len();
        for wire in [1, n / 2, n - 1] {
            let mut bytes = Witness::new(values.clone()).to_bytes();
            let at = bytes.len() - (n - wire) * FIELD_BYTES;
            bytes[at] ^= 1;
            let tampered = Witness::read(&bytes).unwrap();
            assert_ne!(tampered.values[wire], values[wire]);
            assert!(
                matches!(
                    from_file.check_assignment(&tampered.values),
                    Err(AssignmentError::Unsatisfied { .. })
                ),
                "depth {depth}: wire {wire} changed and every constraint still holds"
            );
        }
        // Wire 0 is the constant 1: all zeros satisfy any R1CS, and are refused.
        assert_eq!(
            from_file.check_assignment(&vec![Fr::from(0u64); n]),
            Err(AssignmentError::ConstantNotOne)
        );
    }
}

#[test]
fn a_proof_is_made_from_the_witness_it_hands_over_in_the_keys_wire_order() {
    let keys = zklc_keys::setup(shape(1), Some(11), &|_| {}).unwrap();
    let r1cs = r1cs(1);
    // The proving key's variables are the .r1cs wires.
    assert_eq!(keys.pk.a_query.len(), r1cs.num_wires as usize);
    assert_eq!(keys.manifest.constraints, r1cs.num_constraints());
    assert_eq!(keys.manifest.public_inputs, r1cs.num_pub_in as usize);

    let provable = ProvableChain::check(chain()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let handed: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    let sink = |height: u64, values: Vec<Fr>| -> Result<(), zklc_prover::BoxError> {
        let path = dir.path().join(witness_file_name(height));
        Witness::new(values).write_atomic(&path)?;
        // The witness is handed over before the proof file is written.
        assert!(!dir
            .path()
            .join(zklc_prover::proof_file_name(height))
            .exists());
        handed.lock().unwrap().push(height);
        Ok(())
    };
    let steps: Vec<usize> = (0..provable.steps()).collect();
    let proven = zklc_prover::prove_chain_steps_with_witness(
        &keys,
        &provable,
        &steps,
        dir.path(),
        1,
        &|_| {},
        Some(&sink),
    )
    .unwrap();
    assert_eq!(proven.len(), steps.len());

    // A sink that fails stops the run before that proof's file is written.
    let other = tempfile::tempdir().unwrap();
    let failing =
        |_: u64, _: Vec<Fr>| -> Result<(), zklc_prover::BoxError> { Err("disk full".into()) };
    let e = zklc_prover::prove_chain_steps_with_witness(
        &keys,
        &provable,
        &steps[..1],
        other.path(),
        1,
        &|_| {},
        Some(&failing),
    )
    .unwrap_err();
    assert!(
        matches!(e, zklc_prover::ProveError::WitnessSink { .. }),
        "{e}"
    );
    assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 0);
    let handed = handed.into_inner().unwrap();
    assert_eq!(handed.len(), steps.len());
    for (index, p) in proven.iter().enumerate() {
        let height = p.file.header.height;
        assert!(handed.contains(&height));
        let witness =
            Witness::read_path(&dir.path().join(witness_file_name(height)), 1 << 30).unwrap();
        assert_eq!(r1cs.check_assignment(&witness.values), Ok(()));
        // The values proven with are the job's own, whatever the randomness.
        assert_eq!(witness.values, assignment(1, index));
    }
}

/// Rewrites a container with its sections, in order, then `extra`.
fn with_sections(bytes: &[u8], extra: &[(u32, &[u8])]) -> Vec<u8> {
    let file = BinFile::parse(
        bytes,
        R1CS_MAGIC,
        1..=1,
        &Limits::with_max_file_bytes(1 << 30),
    )
    .unwrap();
    let count = file.sections().len() + extra.len();
    let mut w = BinWriter::new(Vec::new(), R1CS_MAGIC, 1, count as u32).unwrap();
    for s in file.sections() {
        w.section(s.id, s.data).unwrap();
    }
    for (id, data) in extra {
        w.section(*id, data).unwrap();
    }
    w.finish().unwrap()
}

#[test]
fn the_r1cs_reader_refuses_truncated_garbage_oversized_and_malformed_files() {
    let r1cs = r1cs(1);
    let bytes = r1cs.to_bytes();
    let read = |b: &[u8]| R1cs::read(b).unwrap_err();

    // Truncated anywhere: at every byte of the headers, then every 997th.
    let cuts = (0..CONSTRAINTS + 64).chain((CONSTRAINTS..bytes.len()).step_by(997));
    for cut in cuts {
        let e = read(&bytes[..cut]);
        assert!(
            matches!(
                e,
                R1csError::File(
                    BinFileError::Truncated { .. } | BinFileError::SectionPastEnd { .. }
                )
            ),
            "cut at {cut}: {e}"
        );
    }
    let mut long = bytes.clone();
    long.extend_from_slice(&[0; 5]);
    assert!(matches!(
        read(&long),
        R1csError::File(BinFileError::TrailingBytes { count: 5 })
    ));

    // Garbage.
    assert!(matches!(
        read(b""),
        R1csError::File(BinFileError::Truncated { .. })
    ));
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(matches!(
        read(&garbage),
        R1csError::File(BinFileError::Magic { .. })
    ));
    let mut fake = b"r1cs".to_vec();
    fake.extend_from_slice(&garbage);
    assert!(matches!(read(&fake), R1csError::File(_)), "{}", read(&fake));
    let wtns = Witness::new(vec![Fr::one()]).to_bytes();
    assert!(matches!(
        read(&wtns),
        R1csError::File(BinFileError::Magic { .. })
    ));

    // Oversized: over the caller's limit, or a section declaring more than
    // the file holds.
    assert!(matches!(
        R1cs::read_with_limit(&bytes, bytes.len() as u64 - 1),
        Err(R1csError::File(BinFileError::TooLarge { .. }))
    ));
    let mut huge = bytes.clone();
    huge[92..100].copy_from_slice(&(1u64 << 40).to_le_bytes());
    assert!(matches!(
        read(&huge),
        R1csError::File(BinFileError::SectionTooLarge { id: 2, .. })
    ));
    // Declared counts beyond the bytes: refused before any allocation.
    let mut bad = bytes.clone();
    bad[N_CONSTRAINTS..N_CONSTRAINTS + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(read(&bad), R1csError::ConstraintCount { .. }));
    let mut bad = bytes.clone();
    bad[N_WIRES..N_WIRES + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(read(&bad), R1csError::Labels { .. }));
    let mut bad = bytes.clone();
    bad[CONSTRAINTS..CONSTRAINTS + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        read(&bad),
        R1csError::File(BinFileError::SectionTruncated { id: 2, .. })
    ));

    // Malformed contents.
    let mut bad = bytes.clone();
    bad[24] = 48;
    assert!(matches!(read(&bad), R1csError::FieldSize(48)));
    let mut bad = bytes.clone();
    bad[28] ^= 2;
    assert!(matches!(read(&bad), R1csError::Prime(_)));
    let mut bad = bytes.clone();
    bad[N_PUB_IN..N_PUB_IN + 4].copy_from_slice(&r1cs.num_wires.to_le_bytes());
    assert!(matches!(read(&bad), R1csError::Counts { .. }));
    // The first term of constraint 0's A: its wire, then its coefficient.
    assert!(u32_at(&bytes, CONSTRAINTS) >= 1);
    let mut bad = bytes.clone();
    bad[CONSTRAINTS + 4..CONSTRAINTS + 8].copy_from_slice(&r1cs.num_wires.to_le_bytes());
    assert!(matches!(
        read(&bad),
        R1csError::WireOutOfRange {
            constraint: 0,
            side: "A",
            ..
        }
    ));
    let mut bad = bytes.clone();
    bad[CONSTRAINTS + 8..CONSTRAINTS + 40].copy_from_slice(&bn254_r_le());
    assert!(matches!(
        read(&bad),
        R1csError::Coefficient { constraint: 0, .. }
    ));
    // A side with a repeated wire (snarkjs would keep only the last).
    let first = r1cs
        .constraints
        .iter()
        .position(|c| c.a.len() >= 2)
        .expect("a constraint with two terms in A");
    let mut repeated = r1cs.clone();
    let w0 = repeated.constraints[first].a[0].0;
    repeated.constraints[first].a[1].0 = w0;
    assert!(matches!(
        repeated.validate(),
        Err(R1csError::WireOrder { .. })
    ));
    assert!(repeated.write_to(&mut Vec::new()).is_err());

    // Sections: custom gates, an unknown one, a duplicate, a missing one.
    assert!(matches!(
        read(&with_sections(&bytes, &[(4, &[0, 0, 0, 0])])),
        R1csError::CustomGates(4)
    ));
    assert!(matches!(
        read(&with_sections(&bytes, &[(9, b"")])),
        R1csError::File(BinFileError::UnexpectedSection { id: 9, .. })
    ));
    assert!(matches!(
        read(&with_sections(&bytes, &[(3, b"")])),
        R1csError::File(BinFileError::DuplicateSection { id: 3 })
    ));
    let mut no_map = bytes[..bytes.len() - 12 - 8 * r1cs.num_wires as usize].to_vec();
    no_map[8..12].copy_from_slice(&2u32.to_le_bytes());
    assert!(matches!(
        read(&no_map),
        R1csError::File(BinFileError::MissingSection { id: 3, .. })
    ));
}

#[test]
fn the_wtns_reader_refuses_truncated_garbage_oversized_and_malformed_files() {
    let values = assignment(1, 0);
    let bytes = Witness::new(values.clone()).to_bytes();
    let read = |b: &[u8]| Witness::read(b).unwrap_err();
    for cut in (0..100).chain((100..bytes.len()).step_by(331)) {
        assert!(
            matches!(
                read(&bytes[..cut]),
                WtnsError::File(
                    BinFileError::Truncated { .. } | BinFileError::SectionPastEnd { .. }
                )
            ),
            "cut at {cut}"
        );
    }
    assert!(matches!(
        read(&r1cs(1).to_bytes()),
        WtnsError::File(BinFileError::Magic { .. })
    ));
    assert!(matches!(
        Witness::read_with_limit(&bytes, 1000),
        Err(WtnsError::File(BinFileError::TooLarge { .. }))
    ));
    let mut bad = bytes.clone();
    bad[60..64].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(read(&bad), WtnsError::Count { .. }));
    let mut bad = bytes.clone();
    let at = bytes.len() - FIELD_BYTES;
    bad[at..].copy_from_slice(&[0xff; 32]);
    assert!(matches!(
        read(&bad),
        WtnsError::Value { index } if index == values.len() - 1
    ));
    let mut bad = bytes.clone();
    bad[68..76].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(read(&bad), WtnsError::File(_)));

    // Through a file over the limit: refused unread.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.wtns");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&bytes)
        .unwrap();
    assert!(matches!(
        Witness::read_path(&path, 100),
        Err(WtnsError::File(BinFileError::TooLarge { .. }))
    ));
    assert!(matches!(
        Witness::read_path(&dir.path().join("none.wtns"), 100),
        Err(WtnsError::File(BinFileError::Io { .. }))
    ));
}
