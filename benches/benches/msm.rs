//! Multi-scalar multiplication (`cargo bench -p zklc-benches --bench msm`):
//! the prover's MSM (`zklc_prover::msm`: signed digits, batch-affine
//! buckets) against ark-ec 0.6's `msm_bigint`, on the same bases and
//! scalars, all threads of the machine (`RAYON_NUM_THREADS` to choose):
//! - `msm_g1/{ark,zklc}/random-N`: N G1 bases, random scalars, for N in
//!   `ZKLC_BENCH_MSM_SIZES` (default 65536,524288: 2^16 and 2^19, the H
//!   query at capacities 16 and 128);
//! - `msm_g1/{ark,zklc}/witness-C`: the witness of the depth-1 finality
//!   circuit at capacity C = 32 (its real mix of bits, small and full
//!   values) on as many G1 bases: the L query's MSM;
//! - `msm_g2/{ark,zklc}/random-65536` and `witness-32`: the same in G2 (the
//!   B query).
//!
//! Bases are a chain of additions of one random point (cheap to make,
//! distinct), normalized together.

use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::{PrimeField, UniformRand};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use zklc_circuits::{FinalityCircuit, FinalityWitness, Shape};
mod common;

fn sizes() -> Vec<usize> {
    std::env::var("ZKLC_BENCH_MSM_SIZES")
        .unwrap_or_else(|_| "65536,524288".into())
        .split(',')
        .map(|c| {
            c.trim()
                .parse()
                .expect("ZKLC_BENCH_MSM_SIZES: comma-separated sizes")
        })
        .collect()
}

fn bases<P: SWCurveConfig>(n: usize) -> Vec<Affine<P>> {
    let mut rng = ark_std::test_rng();
    let step = Projective::<P>::rand(&mut rng);
    let mut acc = step;
    let points: Vec<Projective<P>> = (0..n)
        .map(|_| {
            acc += step;
            acc
        })
        .collect();
    Projective::<P>::normalize_batch(&points)
}

/// The witness variables of the depth-1 finality circuit at `capacity`.
fn witness(capacity: u32) -> Vec<Fr> {
    let chain = common::bench_chain(capacity);
    let path = chain.sync_path().unwrap();
    let step = &path.steps[0];
    let block = &chain.light_blocks[step.block_index];
    let witness = FinalityWitness::new(capacity, &block.validators, &block.commit).unwrap();
    let circuit =
        FinalityCircuit::new(Shape::depth1(capacity), step.public_inputs, witness).unwrap();
    circuit.assign().unwrap().witness
}

fn group<P: SWCurveConfig<ScalarField = Fr>>(
    c: &mut Criterion,
    name: &str,
    cases: &[(String, Vec<Fr>)],
) where
    P::BaseField: zklc_prover::msm::Invert,
{
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    for (label, scalars) in cases {
        let points = bases::<P>(scalars.len());
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        assert_eq!(
            zklc_prover::msm::msm_bigint(&points, &big),
            <Projective<P> as VariableBaseMSM>::msm_bigint(&points, &big),
        );
        g.bench_function(BenchmarkId::new("ark", label), |b| {
            b.iter(|| <Projective<P> as VariableBaseMSM>::msm_bigint(&points, &big))
        });
        g.bench_function(BenchmarkId::new("zklc", label), |b| {
            b.iter(|| zklc_prover::msm::msm_bigint(&points, &big))
        });
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    let mut rng = ark_std::test_rng();
    let random = |n: usize, rng: &mut _| (0..n).map(|_| Fr::rand(rng)).collect::<Vec<Fr>>();
    let w = witness(32);
    let mut g1: Vec<(String, Vec<Fr>)> = sizes()
        .into_iter()
        .map(|n| (format!("random-{n}"), random(n, &mut rng)))
        .collect();
    g1.push(("witness-32".into(), w.clone()));
    group::<ark_bn254::g1::Config>(c, "msm_g1", &g1);
    let g2 = vec![
        ("random-65536".to_string(), random(65536, &mut rng)),
        ("witness-32".to_string(), w),
    ];
    group::<ark_bn254::g2::Config>(c, "msm_g2", &g2);
}

criterion_group!(benches, bench);
criterion_main!(benches);
