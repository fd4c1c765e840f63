//! One proof at a large capacity, measured once (setup, witness, proof,
//! verify): `cargo bench -p zklc-prover --bench prove_once` (capacity from
//! `ZKLC_BENCH_CAPACITY`, default 128). Prints the figures; not a criterion
//! bench because a capacity-128 setup and proof take minutes on 2 cores.

use std::time::Instant;

use zklc_circuits::Shape;
mod common;

use zklc_primitives::TrustOptions;

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let capacity: u32 = std::env::var("ZKLC_BENCH_CAPACITY")
        .map(|c| c.parse().expect("ZKLC_BENCH_CAPACITY"))
        .unwrap_or(128);
    let chain = common::bench_chain(capacity);
    let step = chain.sync_path().unwrap().steps[0].clone();
    let t = Instant::now();
    let keys = zklc_keys::setup(Shape::depth1(capacity), Some(1), &|p| {
        eprintln!("setup: {p}")
    })
    .unwrap();
    let setup = t.elapsed();
    let t = Instant::now();
    let proven = zklc_prover::prove_step(&keys, &chain, &step).unwrap();
    let total = t.elapsed();
    let pvk = zklc_verifier::prepare(&keys.vk).unwrap();
    let t = Instant::now();
    zklc_verifier::verify(
        &pvk,
        &step.trusted,
        &proven.file.header,
        &proven.file.proof,
        step.target.timestamp + 1,
        &TrustOptions::default(),
    )
    .unwrap();
    let verify = t.elapsed();
    println!(
        "capacity {capacity}: {} constraints; setup {:.1} s; proof {:.2} s (of which placing slots {:.2} s); verify {:.2} ms; {} threads",
        keys.manifest.constraints,
        setup.as_secs_f64(),
        total.as_secs_f64(),
        proven.timings.slots.as_secs_f64(),
        verify.as_secs_f64() * 1e3,
        rayon::current_num_threads()
    );
}
