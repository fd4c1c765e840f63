//! Native primitives (`cargo bench -p zklc-benches --bench primitives`):
//! - `poseidon/2`, `poseidon/5`: one `[HASH-POSEIDON]` of 2 and 5 inputs;
//! - `eddsa_verify`: one EdDSA-Poseidon `[SIG-VERIFY]` on Baby Jubjub,
//!   single-threaded.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use zklc_primitives::devnet::{generate, DevnetConfig};
use zklc_primitives::Fr;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("poseidon");
    for n in [2u64, 5] {
        let inputs: Vec<Fr> = (1..=n).map(Fr::from).collect();
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| zklc_primitives::poseidon(std::hint::black_box(&inputs)).unwrap())
        });
    }
    g.finish();

    let chain = generate(&DevnetConfig {
        validators: 4,
        capacity: 4,
        epochs: 1,
        epoch_length: 2,
        absent_percent: 0,
        ..DevnetConfig::default()
    })
    .unwrap();
    let block = &chain.light_blocks[1];
    let set = block.validators.check(chain.capacity).unwrap();
    let m = block.header.message();
    let sig = block.commit.signatures[0];
    let key = set.keys[sig.index as usize];
    c.bench_function("eddsa_verify", |b| {
        b.iter(|| zklc_primitives::eddsa::verify(&key, m, &sig.signature).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
