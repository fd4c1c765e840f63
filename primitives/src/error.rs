//! The one error type of `zklc-primitives`: one variant per failed check,
//! each carrying the values compared and reporting its SPEC tag.

use alloc::string::String;

use crate::babyjubjub::PointError;
use crate::eddsa::SignatureError;
use crate::field::Fr;
use crate::header::{HeaderDecodeError, HeaderHash};

/// A failed protocol check.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A JSON format error (SPEC section 9): syntax, canonical values, field sets.
    #[error("{tag} {field}: {message}")]
    Format {
        tag: &'static str,
        field: String,
        message: String,
    },
    #[error(transparent)]
    HeaderEncoding(#[from] HeaderDecodeError),
    #[error("[VSET-MEMBER] capacity {capacity} is not a power of two in 1..=1024")]
    InvalidCapacity { capacity: u32 },
    #[error("[PROOF-KEYS] depth {depth} is not in 1..=16")]
    InvalidDepth { depth: u32 },
    #[error("[VSET-MEMBER] a set holds 1 to {capacity} validators (the capacity), got {count}")]
    ValidatorCount { count: usize, capacity: u32 },
    #[error("[SIG-KEY] validator {index}: public key ({x}, {y}): {reason}")]
    InvalidPublicKey {
        index: usize,
        x: Fr,
        y: Fr,
        reason: PointError,
    },
    #[error("[VSET-MEMBER] validator {index}: stake is 0 (at least 1)")]
    ZeroStake { index: usize },
    #[error("[VSET-MEMBER] validator {second}: same public key as validator {first}")]
    DuplicateKey { first: usize, second: usize },
    #[error("[VSET-MEMBER] total stake {total} is not below 2^64")]
    TotalStakeOverflow { total: u128 },
    #[error("[VSET-HASH] the validator list hashes to {computed}, the header's validators_hash is {expected}")]
    ValidatorsHashMismatch { expected: Fr, computed: Fr },
    #[error("[GENESIS] genesis version: expected {expected}, got {got}")]
    GenesisVersion { expected: u32, got: u32 },
    #[error("[GENESIS] genesis chain_id: expected {expected} (the chain file's), got {got}")]
    GenesisChainId { expected: u64, got: u64 },
    #[error("[GENESIS] the genesis header hashes to {got}, not the expected {expected}")]
    GenesisHashMismatch {
        expected: HeaderHash,
        got: HeaderHash,
    },
    #[error("[FMT-LIGHT-BLOCK] a chain file holds at least one light block (the genesis)")]
    EmptyChain,
    #[error("[UPD-RULE] 1: version: expected {expected}, got {got}")]
    UnsupportedVersion { expected: u32, got: u32 },
    #[error("[UPD-RULE] 1: chain_id: expected {expected}, got {got}")]
    ChainIdMismatch { expected: u64, got: u64 },
    #[error("[UPD-RULE] 2: height {got} does not increase over the trusted height {trusted}")]
    NonIncreasingHeight { trusted: u64, got: u64 },
    #[error(
        "[UPD-RULE] 2: timestamp {got} does not increase over the trusted timestamp {trusted}"
    )]
    NonIncreasingTimestamp { trusted: u64, got: u64 },
    #[error("[UPD-RULE] 3: validators_hash {got} is not the trusted signing set {expected}")]
    ValidatorSetMismatch { expected: Fr, got: Fr },
    #[error("[PROOF-DEPTH-INPUTS] the run's first height {got} is not above the trusted height {trusted}")]
    RunStartHeightNotAbove { trusted: u64, got: u64 },
    #[error("[PROOF-DEPTH-INPUTS] the run's first timestamp {got} is not above the trusted timestamp {trusted}")]
    RunStartTimestampNotAbove { trusted: u64, got: u64 },
    #[error(
        "[PROOF-DEPTH-INPUTS] the run's first height {first} is above its target's height {target}"
    )]
    RunStartHeightAfterTarget { first: u64, target: u64 },
    #[error("[PROOF-DEPTH-INPUTS] the run's first timestamp {first} is above its target's timestamp {target}")]
    RunStartTimestampAfterTarget { first: u64, target: u64 },
    #[error(
        "[COMMIT] entry {entry}: index {got} does not increase over the previous index {previous}"
    )]
    CommitIndexNotIncreasing {
        entry: usize,
        previous: u32,
        got: u32,
    },
    #[error("[COMMIT] entry {entry}: index {index} is beyond the set of {validators} validators")]
    CommitIndexOutOfRange {
        entry: usize,
        index: u32,
        validators: usize,
    },
    #[error("[SIG-VERIFY] commit entry {entry} (validator {index}): {reason}")]
    InvalidSignature {
        entry: usize,
        index: u32,
        reason: SignatureError,
    },
    #[error("[QUORUM] signed stake {signed} of total {total}: 3*signed > 2*total does not hold")]
    QuorumNotReached { signed: u64, total: u64 },
    #[error("[HDR-ANCESTRY] parent_hash {got} of height {height} is not the header hash {expected} of height {parent_height}")]
    ParentHashMismatch {
        height: u64,
        parent_height: u64,
        expected: HeaderHash,
        got: HeaderHash,
    },
    #[error("[HDR-ANCESTRY] height {height} does not follow height {parent_height}: linked headers have consecutive heights")]
    HeightGap { height: u64, parent_height: u64 },
    #[error("[TRUST-PERIOD] the trusted state (timestamp {trusted_timestamp}) expired: now {now} >= {trusted_timestamp} + trusting period {trusting_period}; re-initialise from a new checkpoint")]
    TrustPeriodExpired {
        trusted_timestamp: u64,
        trusting_period: u64,
        now: u64,
    },
    #[error("[TRUST-PERIOD] header timestamp {timestamp} is in the future: beyond now {now} + clock drift {drift}")]
    HeaderFromFuture {
        timestamp: u64,
        now: u64,
        drift: u64,
    },
    #[error("[SYNC-PATH] no block of the chain file has the trusted header hash {hash}")]
    TrustedHeaderNotInChain { hash: HeaderHash },
}

impl Error {
    /// The SPEC tag of the rule that failed, e.g. `[UPD-RULE]`.
    pub fn tag(&self) -> &'static str {
        match self {
            Error::Format { tag, .. } => tag,
            Error::HeaderEncoding(_) => "[HDR-ENC]",
            Error::InvalidCapacity { .. }
            | Error::ValidatorCount { .. }
            | Error::ZeroStake { .. }
            | Error::DuplicateKey { .. }
            | Error::TotalStakeOverflow { .. } => "[VSET-MEMBER]",
            Error::InvalidDepth { .. } => "[PROOF-KEYS]",
            Error::InvalidPublicKey { .. } => "[SIG-KEY]",
            Error::ValidatorsHashMismatch { .. } => "[VSET-HASH]",
            Error::GenesisVersion { .. }
            | Error::GenesisChainId { .. }
            | Error::GenesisHashMismatch { .. } => "[GENESIS]",
            Error::EmptyChain => "[FMT-LIGHT-BLOCK]",
            Error::UnsupportedVersion { .. }
            | Error::ChainIdMismatch { .. }
            | Error::NonIncreasingHeight { .. }
            | Error::NonIncreasingTimestamp { .. }
            | Error::ValidatorSetMismatch { .. } => "[UPD-RULE]",
            Error::RunStartHeightNotAbove { .. }
            | Error::RunStartTimestampNotAbove { .. }
            | Error::RunStartHeightAfterTarget { .. }
            | Error::RunStartTimestampAfterTarget { .. } => "[PROOF-DEPTH-INPUTS]",
            Error::CommitIndexNotIncreasing { .. } | Error::CommitIndexOutOfRange { .. } => {
                "[COMMIT]"
            }
            Error::InvalidSignature { .. } => "[SIG-VERIFY]",
            Error::QuorumNotReached { .. } => "[QUORUM]",
            Error::ParentHashMismatch { .. } | Error::HeightGap { .. } => "[HDR-ANCESTRY]",
            Error::TrustPeriodExpired { .. } | Error::HeaderFromFuture { .. } => "[TRUST-PERIOD]",
            Error::TrustedHeaderNotInChain { .. } => "[SYNC-PATH]",
        }
    }
}

/// An [`Error`] located in a chain file: the first failing block (its index
/// in `light_blocks` and its height, where known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    pub block_index: Option<usize>,
    pub height: Option<u64>,
    /// Boxed: errors carry the values compared and are on the cold path.
    pub error: alloc::boxed::Box<Error>,
}

impl ChainError {
    pub fn file(error: Error) -> Self {
        ChainError {
            block_index: None,
            height: None,
            error: alloc::boxed::Box::new(error),
        }
    }

    pub fn at(block_index: usize, height: Option<u64>, error: Error) -> Self {
        ChainError {
            block_index: Some(block_index),
            height,
            error: alloc::boxed::Box::new(error),
        }
    }

    pub fn tag(&self) -> &'static str {
        self.error.tag()
    }
}

impl core::fmt::Display for ChainError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match (self.block_index, self.height) {
            (Some(i), Some(h)) => write!(f, "block {i} (height {h}): {}", self.error),
            (Some(i), None) => write!(f, "block {i}: {}", self.error),
            _ => write!(f, "{}", self.error),
        }
    }
}

impl core::error::Error for ChainError {}
