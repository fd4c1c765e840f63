//! A deterministic proof-of-stake devnet: chain files (`[FMT-LIGHT-BLOCK]`)
//! for tests, demos and benchmarks.
//!
//! Every epoch has its own validator set; at each epoch boundary the set
//! rotates (some validators leave, fresh ones join, the stakes of those who
//! stay change), every header is signed by a quorum of its set (some
//! validators absent), parent hashes link and timestamps advance. The same
//! configuration gives the same bytes: all randomness comes from the seed
//! through SHA-256.

use alloc::{string::String, vec::Vec};
use sha2::{Digest, Sha256};

use crate::chain::{ChainFile, LightBlock};
use crate::commit::{has_quorum, Commit, CommitSig};
use crate::eddsa::PrivateKey;
use crate::header::{Header, HEADER_VERSION};
use crate::validator::{verify_capacity, PublicKey, Validator, ValidatorSet};

/// How validators' stakes are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StakeDistribution {
    /// Every validator holds 1,000.
    Equal,
    /// Validator k (in joining order) holds 1,000 + 17k.
    Linear,
    /// Uniform in 1..=1,000,000.
    Random,
    /// Linear, but the first validator holds as much as all the others
    /// together: no quorum without it.
    Whale,
}

impl core::str::FromStr for StakeDistribution {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "equal" => Ok(Self::Equal),
            "linear" => Ok(Self::Linear),
            "random" => Ok(Self::Random),
            "whale" => Ok(Self::Whale),
            _ => Err(alloc::format!(
                "unknown stake distribution {s:?} (equal, linear, random, whale)"
            )),
        }
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct DevnetConfig {
    pub chain_id: u64,
    /// Validators per set (1..=capacity).
    pub validators: usize,
    pub capacity: u32,
    /// Number of epochs (validator sets); the set rotates between them.
    pub epochs: u32,
    /// Blocks per epoch.
    pub epoch_length: u32,
    pub seed: u64,
    /// Unix milliseconds of the first block.
    pub start_time_ms: u64,
    pub block_time_ms: u64,
    pub start_height: u64,
    /// Percent (0..=100) of validators absent from each commit; absent ones
    /// are brought back in index order while the quorum is not reached.
    pub absent_percent: u8,
    pub stakes: StakeDistribution,
    /// Validators replaced at each rotation (default: a quarter, at least 1).
    pub churn: Option<usize>,
}

impl Default for DevnetConfig {
    fn default() -> Self {
        DevnetConfig {
            chain_id: 7,
            validators: 4,
            capacity: 4,
            epochs: 3,
            epoch_length: 4,
            seed: 0,
            start_time_ms: 1_800_000_000_000,
            block_time_ms: 6_000,
            start_height: 1,
            absent_percent: 10,
            stakes: StakeDistribution::Linear,
            churn: None,
        }
    }
}

/// Why a devnet configuration was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DevnetError {
    #[error("--validators must be 1..=capacity ({capacity}), got {validators}")]
    Validators { validators: usize, capacity: u32 },
    #[error("--capacity must be a power of two in 1..=1024, got {0}")]
    Capacity(u32),
    #[error("--epochs and --epoch-length must be at least 1")]
    Empty,
    #[error("--absent must be a percentage 0..=100, got {0}")]
    Absent(u8),
    #[error("--block-time must be at least 1 ms")]
    BlockTime,
    #[error("heights or timestamps overflow u64 for this many blocks")]
    Overflow,
}

/// A deterministic stream of random numbers: SHA-256 in counter mode.
struct Rng {
    seed: u64,
    counter: u64,
    buf: [u8; 32],
    pos: usize,
}

impl Rng {
    fn new(seed: u64) -> Self {
        Rng {
            seed,
            counter: 0,
            buf: [0; 32],
            pos: 32,
        }
    }
    fn next_u64(&mut self) -> u64 {
        if self.pos == 32 {
            let mut h = Sha256::new();
            h.update(b"zklc-devnet-rng");
            h.update(self.seed.to_be_bytes());
            h.update(self.counter.to_be_bytes());
            self.buf = h.finalize().into();
            self.counter += 1;
            self.pos = 0;
        }
        let v = u64::from_be_bytes(
            self.buf[self.pos..self.pos + 8]
                .try_into()
                .expect("8 bytes"),
        );
        self.pos += 8;
        v
    }
    /// Uniform in `0..n` (n >= 1), by rejection.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }
}

/// The private key of the devnet validator with pool number `k`.
pub fn validator_key(seed: u64, k: u64) -> PrivateKey {
    let mut h = Sha256::new();
    h.update(b"zklc-devnet-validator");
    h.update(seed.to_be_bytes());
    h.update(k.to_be_bytes());
    PrivateKey(h.finalize().into())
}

struct Member {
    pool: u64,
    stake: u64,
}

fn initial_stake(dist: StakeDistribution, pool: u64, rng: &mut Rng) -> u64 {
    match dist {
        StakeDistribution::Equal => 1_000,
        StakeDistribution::Linear | StakeDistribution::Whale => 1_000 + 17 * pool,
        StakeDistribution::Random => 1 + rng.below(1_000_000),
    }
}

fn apply_whale(dist: StakeDistribution, members: &mut [Member]) {
    if dist == StakeDistribution::Whale && members.len() > 1 {
        let others: u64 = members[1..].iter().map(|m| m.stake).sum();
        members[0].stake = others.max(1);
    }
}

/// Generates the chain. Deterministic in `config`.
pub fn generate(config: &DevnetConfig) -> Result<ChainFile, DevnetError> {
    verify_capacity(config.capacity).map_err(|_| DevnetError::Capacity(config.capacity))?;
    if config.validators == 0 || config.validators > config.capacity as usize {
        return Err(DevnetError::Validators {
            validators: config.validators,
            capacity: config.capacity,
        });
    }
    if config.epochs == 0 || config.epoch_length == 0 {
        return Err(DevnetError::Empty);
    }
    if config.absent_percent > 100 {
        return Err(DevnetError::Absent(config.absent_percent));
    }
    if config.block_time_ms == 0 {
        return Err(DevnetError::BlockTime);
    }
    let blocks = u64::from(config.epochs) * u64::from(config.epoch_length);
    config
        .start_height
        .checked_add(blocks)
        .and_then(|_| config.block_time_ms.checked_mul(blocks))
        .and_then(|span| config.start_time_ms.checked_add(span))
        .ok_or(DevnetError::Overflow)?;

    let mut rng = Rng::new(config.seed);
    let churn = config
        .churn
        .unwrap_or((config.validators / 4).max(1))
        .min(config.validators);
    let mut next_pool: u64 = 0;
    let mut keys: Vec<PrivateKey> = Vec::new();
    let mut pub_keys: Vec<PublicKey> = Vec::new();
    let mut join = |keys: &mut Vec<PrivateKey>, pub_keys: &mut Vec<PublicKey>| {
        let k = next_pool;
        next_pool += 1;
        let sk = validator_key(config.seed, k);
        pub_keys.push(sk.public_key().into());
        keys.push(sk);
        k
    };

    // The validator set of every epoch.
    let mut epochs: Vec<Vec<Member>> = Vec::new();
    let mut members: Vec<Member> = (0..config.validators)
        .map(|_| {
            let pool = join(&mut keys, &mut pub_keys);
            Member {
                pool,
                stake: initial_stake(config.stakes, pool, &mut rng),
            }
        })
        .collect();
    apply_whale(config.stakes, &mut members);
    for _ in 1..config.epochs {
        let mut next: Vec<Member> = members
            .iter()
            .map(|m| Member {
                pool: m.pool,
                stake: m.stake,
            })
            .collect();
        for _ in 0..churn {
            // The whale (index 0) stays, so that the set keeps its shape.
            let lo = usize::from(config.stakes == StakeDistribution::Whale && next.len() > 1);
            let span = (next.len() - lo) as u64;
            if span == 0 {
                break;
            }
            let leave = lo + rng.below(span) as usize;
            next.remove(leave);
        }
        while next.len() < config.validators {
            let pool = join(&mut keys, &mut pub_keys);
            next.push(Member {
                pool,
                stake: initial_stake(config.stakes, pool, &mut rng),
            });
        }
        if config.stakes != StakeDistribution::Equal {
            for m in next.iter_mut() {
                let delta = rng.below(m.stake / 5 + 1);
                m.stake = if rng.below(2) == 0 {
                    m.stake + delta
                } else {
                    (m.stake - delta).max(1)
                };
            }
        }
        apply_whale(config.stakes, &mut next);
        epochs.push(members);
        members = next;
    }
    epochs.push(members);

    let sets: Vec<ValidatorSet> = epochs
        .iter()
        .map(|ms| {
            ValidatorSet::new(
                ms.iter()
                    .map(|m| Validator {
                        pub_key: pub_keys[m.pool as usize],
                        stake: m.stake,
                    })
                    .collect(),
            )
        })
        .collect();
    let hashes: Vec<_> = sets
        .iter()
        .map(|s| {
            s.hash(config.capacity)
                .expect("devnet sets fit the capacity")
        })
        .collect();

    // Headers (sequential: parent hashes link) and who signs each.
    let mut headers: Vec<(usize, Header, Vec<u32>)> = Vec::with_capacity(blocks as usize);
    let mut parent = [0u8; 32];
    for i in 0..blocks {
        let epoch = (i / u64::from(config.epoch_length)) as usize;
        let last_of_epoch = (i + 1) % u64::from(config.epoch_length) == 0;
        let next_epoch = if last_of_epoch && epoch + 1 < epochs.len() {
            epoch + 1
        } else {
            epoch
        };
        let height = config.start_height + i;
        let mut state_root = Sha256::new();
        state_root.update(b"zklc-devnet-state");
        state_root.update(config.seed.to_be_bytes());
        state_root.update(height.to_be_bytes());
        let header = Header {
            version: HEADER_VERSION,
            chain_id: config.chain_id,
            height,
            timestamp: config.start_time_ms + i * config.block_time_ms,
            parent_hash: parent,
            state_root: state_root.finalize().into(),
            validators_hash: hashes[epoch],
            next_validators_hash: hashes[next_epoch],
        };
        parent = header.hash().0;
        let set = &epochs[epoch];
        let total: u64 = set.iter().map(|m| m.stake).sum();
        let mut present: Vec<bool> = set
            .iter()
            .map(|_| rng.below(100) >= u64::from(config.absent_percent))
            .collect();
        let mut signed: u64 = set
            .iter()
            .zip(&present)
            .filter(|(_, &p)| p)
            .map(|(m, _)| m.stake)
            .sum();
        for (j, m) in set.iter().enumerate() {
            if has_quorum(signed, total) {
                break;
            }
            if !present[j] {
                present[j] = true;
                signed += m.stake;
            }
        }
        let signers = (0..set.len() as u32)
            .filter(|&j| present[j as usize])
            .collect();
        headers.push((epoch, header, signers));
    }

    let sign_block = |(epoch, header, signers): &(usize, Header, Vec<u32>)| {
        let m = header.message();
        let signatures = signers
            .iter()
            .map(|&j| CommitSig {
                index: j,
                signature: keys[epochs[*epoch][j as usize].pool as usize].sign(m),
            })
            .collect();
        LightBlock {
            header: *header,
            validators: sets[*epoch].clone(),
            commit: Commit { signatures },
        }
    };
    #[cfg(feature = "parallel")]
    let light_blocks = {
        use rayon::prelude::*;
        headers.par_iter().map(sign_block).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let light_blocks = headers.iter().map(sign_block).collect();

    Ok(ChainFile {
        chain_id: config.chain_id,
        capacity: config.capacity,
        light_blocks,
    })
}
