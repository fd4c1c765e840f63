//! The chain every prover bench proves: a devnet with `capacity` validators.

use zklc_primitives::devnet::{generate, DevnetConfig, StakeDistribution};
use zklc_primitives::ChainFile;

pub fn bench_chain(capacity: u32) -> ChainFile {
    generate(&DevnetConfig {
        validators: capacity as usize,
        capacity,
        epochs: 2,
        epoch_length: 2,
        absent_percent: 10,
        stakes: StakeDistribution::Random,
        ..DevnetConfig::default()
    })
    .expect("a valid devnet configuration")
}
