//! The light-client update rule of SPEC section 7 as small named predicates:
//! `verify_*` are pure and return an [`Error`] carrying both values compared;
//! `apply_*` move the [`TrustedState`]. The prover, the verifier, the light
//! client and `chain check` call them in the same order.

use crate::commit::{verify_commit, verify_quorum, Commit, Tally};
use crate::error::Error;
use crate::field::Fr;
use crate::header::{Header, HeaderHash, HEADER_VERSION};
use crate::public_inputs::RunStart;
use crate::validator::{CheckedValidatorSet, ValidatorSet};

/// SPEC section 7: `T = (chain_id, height, timestamp, header_hash,
/// signing_set)`, `signing_set` being the `next_validators_hash` of the last
/// accepted header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedState {
    pub chain_id: u64,
    pub height: u64,
    pub timestamp: u64,
    pub header_hash: HeaderHash,
    pub signing_set: Fr,
}

impl TrustedState {
    /// The state an accepted header leaves (`[GENESIS]`, `[UPD-RULE]`).
    pub fn after(header: &Header) -> Self {
        TrustedState {
            chain_id: header.chain_id,
            height: header.height,
            timestamp: header.timestamp,
            header_hash: header.hash(),
            signing_set: header.next_validators_hash,
        }
    }
}

/// `[TRUST-PERIOD]` settings, u64 milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustOptions {
    /// P: how long a trusted state is good for.
    pub trusting_period_ms: u64,
    /// D: how far a header's timestamp may be ahead of `now`.
    pub clock_drift_ms: u64,
}

/// 14 days.
pub const DEFAULT_TRUSTING_PERIOD_MS: u64 = 1_209_600_000;
/// 10 seconds.
pub const DEFAULT_CLOCK_DRIFT_MS: u64 = 10_000;

impl Default for TrustOptions {
    fn default() -> Self {
        TrustOptions {
            trusting_period_ms: DEFAULT_TRUSTING_PERIOD_MS,
            clock_drift_ms: DEFAULT_CLOCK_DRIFT_MS,
        }
    }
}

/// `[UPD-RULE]` 1: `X.version = 1`.
pub fn verify_version(header: &Header) -> Result<(), Error> {
    if header.version == HEADER_VERSION {
        Ok(())
    } else {
        Err(Error::UnsupportedVersion {
            expected: HEADER_VERSION,
            got: header.version,
        })
    }
}

/// `[UPD-RULE]` 1: `X.chain_id = T.chain_id`.
pub fn verify_chain_id(trusted: &TrustedState, header: &Header) -> Result<(), Error> {
    if header.chain_id == trusted.chain_id {
        Ok(())
    } else {
        Err(Error::ChainIdMismatch {
            expected: trusted.chain_id,
            got: header.chain_id,
        })
    }
}

/// `[UPD-RULE]` 2: `X.height > T.height`.
pub fn verify_height_increases(trusted: &TrustedState, header: &Header) -> Result<(), Error> {
    if header.height > trusted.height {
        Ok(())
    } else {
        Err(Error::NonIncreasingHeight {
            trusted: trusted.height,
            got: header.height,
        })
    }
}

/// `[UPD-RULE]` 2: `X.timestamp > T.timestamp`.
pub fn verify_timestamp_increases(trusted: &TrustedState, header: &Header) -> Result<(), Error> {
    if header.timestamp > trusted.timestamp {
        Ok(())
    } else {
        Err(Error::NonIncreasingTimestamp {
            trusted: trusted.timestamp,
            got: header.timestamp,
        })
    }
}

/// `[UPD-RULE]` 3: `X.validators_hash = T.signing_set`.
pub fn verify_signing_set(trusted: &TrustedState, header: &Header) -> Result<(), Error> {
    if header.validators_hash == trusted.signing_set {
        Ok(())
    } else {
        Err(Error::ValidatorSetMismatch {
            expected: trusted.signing_set,
            got: header.validators_hash,
        })
    }
}

/// `[TRUST-PERIOD]`: refuses when `now >= T.timestamp + P` (u128, no overflow).
pub fn verify_within_trust_period(
    trusted: &TrustedState,
    now: u64,
    options: &TrustOptions,
) -> Result<(), Error> {
    if u128::from(now) < u128::from(trusted.timestamp) + u128::from(options.trusting_period_ms) {
        Ok(())
    } else {
        Err(Error::TrustPeriodExpired {
            trusted_timestamp: trusted.timestamp,
            trusting_period: options.trusting_period_ms,
            now,
        })
    }
}

/// `[TRUST-PERIOD]`: refuses when `X.timestamp > now + D` (u128, no overflow).
pub fn verify_not_from_future(
    header: &Header,
    now: u64,
    options: &TrustOptions,
) -> Result<(), Error> {
    if u128::from(header.timestamp) <= u128::from(now) + u128::from(options.clock_drift_ms) {
        Ok(())
    } else {
        Err(Error::HeaderFromFuture {
            timestamp: header.timestamp,
            now,
            drift: options.clock_drift_ms,
        })
    }
}

/// `[VSET-HASH]`: the block's validator list hashes to `X.validators_hash`.
pub fn verify_validators_hash(set_hash: Fr, header: &Header) -> Result<(), Error> {
    if set_hash == header.validators_hash {
        Ok(())
    } else {
        Err(Error::ValidatorsHashMismatch {
            expected: header.validators_hash,
            computed: set_hash,
        })
    }
}

/// `[GENESIS]` checks a genesis block of a chain file with chain id
/// `chain_id`, in order:
/// 1. `version = 1`;
/// 2. `chain_id` is the chain file's;
/// 3. the validator list meets `[VSET-MEMBER]`;
/// 4. it hashes to `validators_hash` (`[VSET-HASH]`).
///
/// The commit must parse but is not checked. Returns the state T starts as.
pub fn verify_genesis(
    chain_id: u64,
    capacity: u32,
    header: &Header,
    validators: &ValidatorSet,
) -> Result<TrustedState, Error> {
    if header.version != HEADER_VERSION {
        return Err(Error::GenesisVersion {
            expected: HEADER_VERSION,
            got: header.version,
        });
    }
    if header.chain_id != chain_id {
        return Err(Error::GenesisChainId {
            expected: chain_id,
            got: header.chain_id,
        });
    }
    validators.check(capacity)?;
    verify_validators_hash(validators.hash(capacity)?, header)?;
    Ok(TrustedState::after(header))
}

/// `[GENESIS]` how the operator of a light client establishes the root of
/// trust of a chain file: the header hash it checked out of band, or, for a
/// devnet only, the file itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenesisTrust {
    /// The genesis header must hash to this value.
    ExpectHash(HeaderHash),
    /// Trust whatever genesis the file holds (devnets only: say so).
    TrustFile,
}

/// `[GENESIS]` checks a genesis block ([`verify_genesis`]), then its header
/// hash against the operator's policy. Returns the state T starts as.
pub fn verify_trusted_genesis(
    chain_id: u64,
    capacity: u32,
    header: &Header,
    validators: &ValidatorSet,
    trust: &GenesisTrust,
) -> Result<TrustedState, Error> {
    let state = verify_genesis(chain_id, capacity, header, validators)?;
    match trust {
        GenesisTrust::ExpectHash(expected) if *expected != state.header_hash => {
            Err(Error::GenesisHashMismatch {
                expected: *expected,
                got: state.header_hash,
            })
        }
        _ => Ok(state),
    }
}

/// Verifies a light block `(X, validators, commit)` over the trusted state
/// `T` for a chain of capacity `capacity`. The checklist, in SPEC
/// `[SYNC-PATH]`'s order:
/// 1. `[VSET-MEMBER]` the validator list (with `[SIG-KEY]` per key);
/// 2. `[VSET-HASH]` the list hashes to `X.validators_hash`;
/// 3. `[UPD-RULE]` 1: `X.version = 1`, then `X.chain_id = T.chain_id`;
/// 4. `[UPD-RULE]` 2: `X.height > T.height`, then `X.timestamp > T.timestamp`;
/// 5. `[UPD-RULE]` 3: `X.validators_hash = T.signing_set`;
/// 6. `[UPD-RULE]` 4: the commit, entry by entry (`[COMMIT]`, `[SIG-VERIFY]`),
///    then `[QUORUM]`.
///
/// Pure: apply the result with [`apply_update`]. Returns the commit's tally.
pub fn verify_update(
    trusted: &TrustedState,
    capacity: u32,
    header: &Header,
    validators: &ValidatorSet,
    commit: &Commit,
) -> Result<Tally, Error> {
    let set = validators.check(capacity)?;
    let set_hash = validators.hash(capacity)?;
    verify_update_with_checked_set(trusted, header, &set, set_hash, commit)
}

/// [`verify_update`] from step 2 on, for a validator list already checked by
/// `[VSET-MEMBER]` (`set`) and hashed (`set_hash`): callers that see the same
/// list for many headers check and hash it once.
pub fn verify_update_with_checked_set(
    trusted: &TrustedState,
    header: &Header,
    set: &CheckedValidatorSet,
    set_hash: Fr,
    commit: &Commit,
) -> Result<Tally, Error> {
    verify_validators_hash(set_hash, header)?;
    verify_header_rules(trusted, header)?;
    let tally = verify_commit(set, header.message(), commit)?;
    verify_quorum(tally)?;
    Ok(tally)
}

/// `[UPD-RULE]` 1 to 3: the rules that read only the header and `T`.
pub fn verify_header_rules(trusted: &TrustedState, header: &Header) -> Result<(), Error> {
    verify_version(header)?;
    verify_chain_id(trusted, header)?;
    verify_height_increases(trusted, header)?;
    verify_timestamp_increases(trusted, header)?;
    verify_signing_set(trusted, header)
}

/// `[PROOF-VERIFY]` the native checks a proof verifier makes on the target
/// header before the pairing check, in this order:
/// 1. `X.version = 1`;
/// 2. `X.chain_id = T.chain_id`;
/// 3. `X.height > T.height`;
/// 4. `X.timestamp > T.timestamp`;
/// 5. `[TRUST-PERIOD]`: `now < T.timestamp + P`, then `X.timestamp <= now + D`;
/// 6. `X.validators_hash = T.signing_set`.
pub fn verify_header_for_proof(
    trusted: &TrustedState,
    header: &Header,
    now: u64,
    options: &TrustOptions,
) -> Result<(), Error> {
    verify_version(header)?;
    verify_chain_id(trusted, header)?;
    verify_height_increases(trusted, header)?;
    verify_timestamp_increases(trusted, header)?;
    verify_within_trust_period(trusted, now, options)?;
    verify_not_from_future(header, now, options)?;
    verify_signing_set(trusted, header)
}

/// `[PROOF-DEPTH-INPUTS]` the native checks a verifier of a depth-k proof
/// makes before the pairing check, after the proof file's fields and the
/// target's decoding, in this order:
/// 1. `X_j.version = 1`;
/// 2. `X_j.chain_id = T.chain_id`;
/// 3. `h_1 > T.height`, then `t_1 > T.timestamp`;
/// 4. `h_1 <= X_j.height`, then `t_1 <= X_j.timestamp`;
/// 5. `X_j.height > T.height`, then `X_j.timestamp > T.timestamp`;
/// 6. `[TRUST-PERIOD]` with the target's timestamp: `now < T.timestamp + P`,
///    then `X_j.timestamp <= now + D`.
///
/// `X_j.validators_hash` is not compared with `T.signing_set`: it is
/// `V_last`, an input the circuit binds to the run's last signing set.
pub fn verify_run_header_for_proof(
    trusted: &TrustedState,
    first: RunStart,
    target: &Header,
    now: u64,
    options: &TrustOptions,
) -> Result<(), Error> {
    verify_version(target)?;
    verify_chain_id(trusted, target)?;
    if first.height <= trusted.height {
        return Err(Error::RunStartHeightNotAbove {
            trusted: trusted.height,
            got: first.height,
        });
    }
    if first.timestamp <= trusted.timestamp {
        return Err(Error::RunStartTimestampNotAbove {
            trusted: trusted.timestamp,
            got: first.timestamp,
        });
    }
    if first.height > target.height {
        return Err(Error::RunStartHeightAfterTarget {
            first: first.height,
            target: target.height,
        });
    }
    if first.timestamp > target.timestamp {
        return Err(Error::RunStartTimestampAfterTarget {
            first: first.timestamp,
            target: target.timestamp,
        });
    }
    verify_height_increases(trusted, target)?;
    verify_timestamp_increases(trusted, target)?;
    verify_within_trust_period(trusted, now, options)?;
    verify_not_from_future(target, now, options)
}

/// Moves `T` to an accepted header: `(chain_id, X.height, X.timestamp,
/// header_hash(X), X.next_validators_hash)`. Call only after a `verify_*`.
pub fn apply_update(trusted: &mut TrustedState, header: &Header) {
    *trusted = TrustedState {
        chain_id: trusted.chain_id,
        ..TrustedState::after(header)
    };
}
