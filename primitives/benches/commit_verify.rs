//! Native verification speed (`cargo bench -p zklc-primitives`):
//! - `commit_verify/128`: one 128-validator commit (`[COMMIT]`), signatures
//!   verified in parallel with rayon; criterion reports signatures per second;
//! - `signature_verify`: one `[SIG-VERIFY]`, single-threaded;
//! - `poseidon/5`: one `[HASH-POSEIDON]` of 5 inputs;
//! - `devnet/128x100`: generating a 128-validator, 100-block devnet.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zklc_primitives::devnet::{generate, DevnetConfig, StakeDistribution};
use zklc_primitives::{verify_commit, Fr};

fn devnet(validators: usize, epochs: u32, epoch_length: u32) -> DevnetConfig {
    DevnetConfig {
        validators,
        capacity: validators.next_power_of_two() as u32,
        epochs,
        epoch_length,
        absent_percent: 0,
        stakes: StakeDistribution::Random,
        ..DevnetConfig::default()
    }
}

fn bench(c: &mut Criterion) {
    let chain = generate(&devnet(128, 1, 2)).unwrap();
    let block = &chain.light_blocks[1];
    let set = block.validators.check(chain.capacity).unwrap();
    let m = block.header.message();
    assert_eq!(block.commit.signatures.len(), 128);

    let mut g = c.benchmark_group("commit_verify");
    g.throughput(Throughput::Elements(128));
    g.bench_function(BenchmarkId::from_parameter(128), |b| {
        b.iter(|| verify_commit(&set, m, &block.commit).unwrap())
    });
    g.finish();

    let sig = block.commit.signatures[0];
    let key = set.keys[sig.index as usize];
    let mut g = c.benchmark_group("signature_verify");
    g.throughput(Throughput::Elements(1));
    g.bench_function("single_thread", |b| {
        b.iter(|| zklc_primitives::eddsa::verify(&key, m, &sig.signature).unwrap())
    });
    g.finish();

    let inputs: Vec<Fr> = (1..=5u64).map(Fr::from).collect();
    c.bench_function("poseidon/5", |b| {
        b.iter(|| zklc_primitives::poseidon(&inputs).unwrap())
    });

    let mut g = c.benchmark_group("devnet");
    g.sample_size(10);
    let cfg = devnet(128, 10, 10);
    g.bench_function("128x100", |b| b.iter(|| generate(&cfg).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
