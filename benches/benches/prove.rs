//! Proving and verifying (`cargo bench -p zklc-benches --bench prove`):
//! - `prove/C`: one depth-1 finality proof at capacity C (witness + Groth16),
//!   all cores, for C in `ZKLC_BENCH_CAPACITIES` (default 8,32);
//! - `prove_ark/C`: the same circuit through ark-groth16's own prover
//!   (`create_proof_with_reduction`) with the keys' QAP convention
//!   (snarkjs', `zklc_keys::qap::CircomReduction`), to compare with zklc's
//!   staged prover like for like;
//! - `verify/C`: the native verifier (header checks, SHA-256, one pairing
//!   check) on that proof.
//!
//! Keys come from a seeded (development) setup made before measuring.

use ark_bn254::Fr;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use zklc_circuits::{FinalityCircuit, FinalityWitness, Shape};
use zklc_keys::qap::ZklcGroth16;
mod common;

use zklc_primitives::{TrustOptions, TrustedState};

fn capacities() -> Vec<u32> {
    std::env::var("ZKLC_BENCH_CAPACITIES")
        .unwrap_or_else(|_| "8,32".into())
        .split(',')
        .map(|c| {
            c.trim()
                .parse()
                .expect("ZKLC_BENCH_CAPACITIES: comma-separated capacities")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    for capacity in capacities() {
        let chain = common::bench_chain(capacity);
        let path = chain.sync_path().unwrap();
        let step = path.steps[0].clone();
        let provable = zklc_prover::ProvableChain::check(chain.clone()).unwrap();
        let keys = zklc_keys::setup(Shape::depth1(capacity), Some(1), &|_| {}).unwrap();
        eprintln!(
            "capacity {capacity}: {} constraints",
            keys.manifest.constraints
        );

        let mut g = c.benchmark_group("prove");
        g.sample_size(10);
        g.bench_function(BenchmarkId::from_parameter(capacity), |b| {
            b.iter(|| zklc_prover::prove_step(&keys, &provable, 0).unwrap())
        });
        g.finish();

        let block = &chain.light_blocks[step.block_index];
        let witness = FinalityWitness::new(capacity, &block.validators, &block.commit).unwrap();
        let circuit =
            FinalityCircuit::new(Shape::depth1(capacity), step.public_inputs, witness).unwrap();
        let (r, s) = (Fr::from(3u64), Fr::from(5u64));
        let mut g = c.benchmark_group("prove_ark");
        g.sample_size(10);
        g.bench_function(BenchmarkId::from_parameter(capacity), |b| {
            b.iter(|| {
                ZklcGroth16::create_proof_with_reduction(circuit.clone(), &keys.pk, r, s).unwrap()
            })
        });
        g.finish();

        let proven = zklc_prover::prove_step(&keys, &provable, 0).unwrap();
        let pvk = zklc_verifier::prepare(&keys.vk).unwrap();
        let trusted: TrustedState = step.trusted;
        let now = step.target.timestamp + 1;
        let mut g = c.benchmark_group("verify");
        g.bench_function(BenchmarkId::from_parameter(capacity), |b| {
            b.iter(|| {
                zklc_verifier::verify(
                    &pvk,
                    &trusted,
                    &proven.file.header,
                    &proven.file.proof,
                    now,
                    &TrustOptions::default(),
                )
                .unwrap()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
