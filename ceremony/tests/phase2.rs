//! A phase-2 ceremony on a small circuit, end to end in Rust: init,
//! contributions, the beacon, verification, and its refusals. The files are
//! checked against snarkjs itself by tests/interop/ceremony-check.sh.

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use std::sync::OnceLock;

use zklc_ceremony::phase2::{self, Circuit};
use zklc_ceremony::ptau::Ptau;
use zklc_ceremony::zkey::{ContributionKind, Zkey, CONTRIBUTE_ORDER, NEW_ORDER};
use zklc_ceremony::CeremonyError;

fn quiet(_: &str) {}

/// A phase-1 file of power 4 from a known tau (zklc-ptau: tests only).
fn ptau() -> &'static Ptau {
    static P: OnceLock<Ptau> = OnceLock::new();
    P.get_or_init(|| {
        let secrets = zklc_ptau::Secrets::from_tau(Fr::from(987654321u64), 4).unwrap();
        let mut bytes = Vec::new();
        zklc_ptau::write_prepared(&mut bytes, 4, &secrets, |_| {}).unwrap();
        Ptau::from_bytes(bytes).unwrap()
    })
}

/// x * y = z with x public, and z * (x + 5) = w: 6 wires, 2 public
/// (x and w), 2 constraints plus a big coefficient.
fn circuit(extra: bool) -> Circuit {
    let big = -Fr::from(123456789u64);
    let mut constraints = vec![
        [
            vec![(1, Fr::one())],
            vec![(3, Fr::one())],
            vec![(4, Fr::one())],
        ],
        [
            vec![(4, Fr::one())],
            vec![(1, Fr::one()), (0, Fr::from(5u64))],
            vec![(2, Fr::one())],
        ],
        [vec![(3, big)], vec![(0, Fr::one())], vec![(5, big)]],
    ];
    if extra {
        constraints.push([
            vec![(5, Fr::one())],
            vec![(5, Fr::one())],
            vec![(5, Fr::one())],
        ]);
    }
    Circuit {
        n_vars: 6,
        n_public: 2,
        constraints,
    }
}

fn init() -> Zkey {
    phase2::new_zkey(&circuit(false), ptau(), &quiet).unwrap()
}

fn chain() -> (Zkey, Zkey) {
    let init = init();
    let (one, _) = phase2::contribute(&init, Some("alice".into()), &quiet).unwrap();
    let (two, _) = phase2::contribute(&one, None, &quiet).unwrap();
    let (last, _) = phase2::beacon(&two, &[0xab; 32], 10, Some("beacon".into()), &quiet).unwrap();
    (init, last)
}

fn refused(zkey: &Zkey) -> String {
    match phase2::verify(zkey, &circuit(false), ptau(), &quiet) {
        Err(CeremonyError::Invalid(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn init_is_deterministic_and_round_trips() {
    let a = init();
    let b = init();
    assert_eq!(a.to_bytes(&NEW_ORDER), b.to_bytes(&NEW_ORDER));
    let read = Zkey::from_bytes(a.to_bytes(&NEW_ORDER)).unwrap();
    assert_eq!(read, a);
    // Another circuit has another circuit hash.
    let other = phase2::new_zkey(&circuit(true), ptau(), &quiet).unwrap();
    assert_ne!(other.mpc.cs_hash, a.mpc.cs_hash);
}

#[test]
fn a_chain_with_a_final_beacon_verifies_and_the_beacon_is_reproducible() {
    let (_, last) = chain();
    let v = phase2::verify(&last, &circuit(false), ptau(), &quiet).unwrap();
    assert_eq!(v.contributions.len(), 3);
    assert_eq!(v.contributions[0].name.as_deref(), Some("alice"));
    assert!(matches!(
        v.contributions[2].kind,
        ContributionKind::Beacon { .. }
    ));
    // The transcript survives the file format.
    let read = Zkey::from_bytes(last.to_bytes(&CONTRIBUTE_ORDER)).unwrap();
    assert!(phase2::verify(&read, &circuit(false), ptau(), &quiet).is_ok());
    // The beacon is a function of its inputs.
    let before = {
        let mut z = last.clone();
        z.mpc.contributions.pop();
        z
    };
    assert!(phase2::verify(&before, &circuit(false), ptau(), &quiet).is_err());
}

#[test]
fn tampered_chains_are_refused() {
    let (init, last) = chain();
    // A contribution's proof of knowledge changed: the transcript breaks.
    let mut z = last.clone();
    z.mpc.contributions[1].g1_sx = z.mpc.contributions[0].g1_sx;
    assert!(refused(&z).contains("contribution #2"));
    // A contribution dropped.
    let mut z = last.clone();
    z.mpc.contributions.remove(1);
    assert!(refused(&z).contains("contribution #2"));
    // One point of L changed.
    let mut z = last.clone();
    let p = Zkey::from_bytes(init.to_bytes(&NEW_ORDER)).unwrap();
    z.l[..64].copy_from_slice(&p.l[..64]);
    assert!(refused(&z).contains("L section"));
    // One point of H changed.
    let mut z = last.clone();
    z.h[..64].copy_from_slice(&p.h[64..128]);
    assert!(refused(&z).contains("H section"));
    // Another circuit.
    assert!(phase2::verify(&last, &circuit(true), ptau(), &quiet).is_err());
    // One point of A, B1, B2 or IC changed (a valid point: the first two
    // swapped), each caught by its own check.
    for (section, len, what) in [
        ("a", 64, "A section"),
        ("b1", 64, "B1 section"),
        ("b2", 128, "B2 section"),
        ("ic", 64, "IC section"),
    ] {
        let mut z = last.clone();
        let bytes = match section {
            "a" => &mut z.a,
            "b1" => &mut z.b1,
            "b2" => &mut z.b2,
            _ => &mut z.ic,
        };
        let other = (1..bytes.len() / len)
            .find(|j| bytes[j * len..(j + 1) * len] != bytes[..len])
            .expect("two different points");
        let (first, rest) = bytes.split_at_mut(len);
        first.swap_with_slice(&mut rest[(other - 1) * len..other * len]);
        assert!(refused(&z).contains(what), "{section}");
    }
    // A coefficient changed.
    let mut z = last.clone();
    let at = z.coefs.len() - 1;
    z.coefs[at - 4] ^= 1;
    assert!(refused(&z).contains("coefficients"));
    // The circuit hash changed: every transcript after it breaks.
    let mut z = last.clone();
    z.mpc.cs_hash[0] ^= 1;
    assert!(refused(&z).contains("contribution #1"));
    // The beacon's key not from its value.
    let mut z = last.clone();
    if let ContributionKind::Beacon { hash, .. } = &mut z.mpc.contributions[2].kind {
        hash[0] ^= 1;
    }
    assert!(refused(&z).contains("beacon"));
}

#[test]
fn zklc_wants_a_contribution_and_a_final_beacon() {
    let init = init();
    let (one, _) = phase2::contribute(&init, None, &quiet).unwrap();
    assert!(refused(&one).contains("not a beacon"));
    let (only_beacon, _) = phase2::beacon(&init, &[1, 2, 3], 10, None, &quiet).unwrap();
    assert!(refused(&only_beacon).contains("besides a beacon"));
    assert!(refused(&init).contains("besides a beacon"));
}

#[test]
fn the_circuit_check_binds_the_matrices() {
    let (_, last) = chain();
    assert!(phase2::check_circuit(&last, &circuit(false)).is_ok());
    assert!(phase2::check_circuit(&last, &circuit(true)).is_err());
    let mut changed = circuit(false);
    changed.constraints[0][0][0].1 = Fr::from(2u64);
    assert!(phase2::check_circuit(&last, &changed).is_err());
    assert_eq!(phase2::zkey_constraints(&last).unwrap(), 3);
}

#[test]
fn readers_refuse_damaged_files() {
    let bytes = init().to_bytes(&NEW_ORDER);
    assert!(Zkey::from_bytes(bytes[..bytes.len() - 1].to_vec()).is_err());
    let mut extra = bytes.clone();
    extra.push(0);
    assert!(Zkey::from_bytes(extra).is_err());
    let mut magic = bytes.clone();
    magic[0] = b'x';
    assert!(Zkey::from_bytes(magic).is_err());
    assert!(Ptau::from_bytes(b"ptau".to_vec()).is_err());
    // A phase-1 file too small for the circuit names the power it needs.
    let big = Circuit {
        n_vars: 2,
        n_public: 1,
        constraints: vec![
            [
                vec![(1, Fr::one())],
                vec![(1, Fr::one())],
                vec![(1, Fr::one())]
            ];
            40
        ],
    };
    match phase2::new_zkey(&big, ptau(), &quiet) {
        Err(CeremonyError::Ptau(msg)) => assert!(msg.contains("power 6"), "{msg}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
    let _ = Fr::zero();
}

/// Above a domain of 2^14, snarkjs' circuit hash covers one H point more
/// than the key has, made from the bytes after `tau^(2n-2)` in the phase-1
/// file (zklc_ceremony's `hquirk`): a section header when the file has
/// exactly the circuit's power, a real point when it has more. The
/// expected hashes are what `snarkjs zkey new` (0.7.6) printed for this
/// circuit on these two files.
#[test]
fn above_2_14_the_circuit_hash_is_snarkjs_own() {
    use zklc_ceremony::r1cs::{Constraint, R1cs};
    // x_i * x_i = x_(i+1): 2^14 constraints and one public input need a
    // domain of 2^15.
    let m = 1usize << 14;
    let r1cs = R1cs {
        num_wires: m as u32 + 2,
        num_pub_out: 0,
        num_pub_in: 1,
        num_prv_in: 0,
        num_labels: m as u64 + 2,
        constraints: (1..=m as u32)
            .map(|i| Constraint {
                a: vec![(i, Fr::one())],
                b: vec![(i, Fr::one())],
                c: vec![(i + 1, Fr::one())],
            })
            .collect(),
        wire_to_label: (0..m as u64 + 2).collect(),
    };
    let circuit = Circuit::from_r1cs(&r1cs);
    for (power, expected) in [
        (15, "f437f9f5501de65d871456185e8bdba582caea71d853993f7100b71a42292660fab65e435c08652596ddb5717125617b2fc26955c00bb0e578425b629b3e8328"),
        (16, "50bb14061ec8b6a992bb83ce58e392034f439d0cfe13ca1e25beec9109eae86c71a90d35ba52329065f9b64a72e2bf3a7bbdd321d5d97c177c96040cfce80b68"),
    ] {
        let secrets = zklc_ptau::Secrets::from_tau(Fr::from(987654321u64), power).unwrap();
        let mut bytes = Vec::new();
        zklc_ptau::write_prepared(&mut bytes, power, &secrets, |_| {}).unwrap();
        let ptau = Ptau::from_bytes(bytes).unwrap();
        let zkey = phase2::new_zkey(&circuit, &ptau, &quiet).unwrap();
        assert_eq!(zkey.domain_size, 1 << 15);
        assert_eq!(
            phase2::hash_hex(&zkey.mpc.cs_hash),
            format!("0x{expected}"),
            "power {power}"
        );
        // verify recomputes the same hash; a key claiming another fails.
        let (one, _) = phase2::contribute(&zkey, None, &quiet).unwrap();
        let (last, _) = phase2::beacon(&one, &[7; 32], 10, None, &quiet).unwrap();
        assert!(phase2::verify(&last, &circuit, &ptau, &quiet).is_ok());
        let mut other = zkey.clone();
        other.mpc.cs_hash[63] ^= 1;
        let (one, _) = phase2::contribute(&other, None, &quiet).unwrap();
        let (last, _) = phase2::beacon(&one, &[7; 32], 10, None, &quiet).unwrap();
        match phase2::verify(&last, &circuit, &ptau, &quiet) {
            Err(CeremonyError::Invalid(why)) => assert!(why.contains("circuit hash"), "{why}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
