//! The Merkle root gadget (`[VSET-HASH]`, `cargo bench -p zklc-benches
//! --bench merkle`): synthesising `merkle_root_var` over 8 and 32 witness
//! leaves (C - 1 Poseidon of 2), values included; the constraint count of
//! each size is printed first.

use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use zklc_circuits::validator::merkle_root_var;
use zklc_primitives::Fr;

fn synthesize(leaves: &[Fr]) -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let vars = leaves
        .iter()
        .map(|l| FpVar::new_witness(cs.clone(), || Ok(*l)))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let _root = merkle_root_var(cs.clone(), vars).unwrap();
    cs
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("merkle_root_var");
    for n in [8u64, 32] {
        let leaves: Vec<Fr> = (0..n).map(Fr::from).collect();
        let cs = synthesize(&leaves);
        assert!(cs.is_satisfied().unwrap());
        eprintln!(
            "merkle_root_var, {n} leaves: {} constraints ({} per Poseidon of 2)",
            cs.num_constraints(),
            cs.num_constraints() / (n as usize - 1)
        );
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| synthesize(&leaves))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
