//! Chain files (`[FMT-LIGHT-BLOCK]`) and their sync paths (`[SYNC-PATH]`).

use alloc::vec::Vec;

use crate::commit::Commit;
use crate::error::{ChainError, Error};
use crate::field::Fr;
use crate::header::{Header, HeaderHash};
use crate::public_inputs::PublicInputs;
use crate::update::{apply_update, verify_genesis, verify_update_with_checked_set, TrustedState};
use crate::validator::{verify_capacity, CheckedValidatorSet, ValidatorSet};

/// A header with the full set that signs it and that set's commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LightBlock {
    pub header: Header,
    pub validators: ValidatorSet,
    pub commit: Commit,
}

/// `[FMT-LIGHT-BLOCK]` a chain file: its first block is the genesis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainFile {
    pub chain_id: u64,
    pub capacity: u32,
    pub light_blocks: Vec<LightBlock>,
}

/// One step of a sync path: the header a light client accepts over the state
/// left by the step before, with the public inputs of its depth-1 proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncStep {
    /// Index of the target block in the chain file.
    pub block_index: usize,
    pub trusted: TrustedState,
    pub target: Header,
    pub target_hash: HeaderHash,
    pub public_inputs: PublicInputs,
}

/// `[SYNC-PATH]` (`[FMT-SYNC-PATH]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncPath {
    pub chain_id: u64,
    pub tip_height: u64,
    pub tip_hash: HeaderHash,
    pub steps: Vec<SyncStep>,
}

impl SyncPath {
    /// `[PROOF-RUNS]` the runs of depth `depth` (>= 1) along this path, as
    /// ranges of step indices: the steps cut into groups of `depth` from the
    /// path's first step, the last group shorter (the tail). At depth 1 every
    /// step is a run of its own.
    pub fn runs(&self, depth: u32) -> Vec<core::ops::Range<usize>> {
        let k = depth.max(1) as usize;
        (0..self.steps.len())
            .step_by(k)
            .map(|start| start..(start + k).min(self.steps.len()))
            .collect()
    }
}

/// Checks the blocks of a chain file one by one, in order, as `[SYNC-PATH]`
/// requires: the genesis by `[GENESIS]`, every later block by
/// [`verify_update`](crate::update::verify_update) over the state the blocks before it left, then
/// `[HDR-ANCESTRY]` with the block before it. Blocks can be pushed as they are
/// parsed, so the error names the first failing block whatever fails in it.
#[derive(Clone, Debug)]
pub struct ChainChecker {
    chain_id: u64,
    capacity: u32,
    state: Option<TrustedState>,
    headers: Vec<(Header, HeaderHash)>,
    /// The last validator list seen, checked and hashed: consecutive blocks
    /// of an epoch list the same set, which is then checked once.
    last_set: Option<(ValidatorSet, CheckedValidatorSet, Fr)>,
}

impl ChainChecker {
    /// Starts a check; refuses a capacity that is not a power of two up to 1024.
    pub fn new(chain_id: u64, capacity: u32) -> Result<Self, ChainError> {
        verify_capacity(capacity).map_err(ChainError::file)?;
        Ok(ChainChecker {
            chain_id,
            capacity,
            state: None,
            headers: Vec::new(),
            last_set: None,
        })
    }

    /// Checks the next block (index = the number of blocks pushed so far).
    pub fn push(&mut self, block: &LightBlock) -> Result<(), ChainError> {
        let index = self.headers.len();
        let header = &block.header;
        let at = |e: Error| ChainError::at(index, Some(header.height), e);
        let hash = header.hash();
        match self.state.as_mut() {
            None => {
                let state = verify_genesis(self.chain_id, self.capacity, header, &block.validators)
                    .map_err(at)?;
                self.state = Some(state);
            }
            Some(state) => {
                // Same checks as `verify_update`; a list equal to the previous
                // block's is checked ([VSET-MEMBER]) and hashed only once.
                let reuse =
                    matches!(&self.last_set, Some((list, _, _)) if *list == block.validators);
                if !reuse {
                    let checked = block.validators.check(self.capacity).map_err(at)?;
                    let hash = block.validators.hash(self.capacity).map_err(at)?;
                    self.last_set = Some((block.validators.clone(), checked, hash));
                }
                let (_, set, set_hash) = self.last_set.as_ref().expect("set just stored");
                verify_update_with_checked_set(state, header, set, *set_hash, &block.commit)
                    .map_err(at)?;
                let (prev, prev_hash) = self.headers[index - 1];
                verify_ancestry(&prev, &prev_hash, header).map_err(at)?;
                apply_update(state, header);
            }
        }
        self.headers.push((*header, hash));
        Ok(())
    }

    /// The checked chain; refuses a chain with no block.
    pub fn finish(self) -> Result<CheckedChain, ChainError> {
        if self.headers.is_empty() {
            return Err(ChainError::file(Error::EmptyChain));
        }
        Ok(CheckedChain {
            chain_id: self.chain_id,
            capacity: self.capacity,
            headers: self.headers,
        })
    }
}

/// `[HDR-ANCESTRY]`: for consecutive heights, the later block's `parent_hash`
/// is the earlier block's header hash.
pub fn verify_ancestry(
    parent: &Header,
    parent_hash: &HeaderHash,
    child: &Header,
) -> Result<(), Error> {
    if parent.height.checked_add(1) == Some(child.height) && child.parent_hash != parent_hash.0 {
        return Err(Error::ParentHashMismatch {
            height: child.height,
            parent_height: parent.height,
            expected: *parent_hash,
            got: HeaderHash(child.parent_hash),
        });
    }
    Ok(())
}

/// `[HDR-ANCESTRY]` for a list of headers that must link one to the next
/// (`client verify-header`): every header's height is the one before plus one
/// (no overflow) and its `parent_hash` is the header hash of the one before.
/// Returns the last header's hash.
pub fn verify_header_links(headers: &[Header]) -> Result<Option<HeaderHash>, Error> {
    let mut previous: Option<(&Header, HeaderHash)> = None;
    for header in headers {
        if let Some((parent, parent_hash)) = previous {
            if parent.height.checked_add(1) != Some(header.height) {
                return Err(Error::HeightGap {
                    height: header.height,
                    parent_height: parent.height,
                });
            }
            verify_ancestry(parent, &parent_hash, header)?;
        }
        previous = Some((header, header.hash()));
    }
    Ok(previous.map(|(_, hash)| hash))
}

/// A chain file that passed every check of `[SYNC-PATH]`.
#[derive(Clone, Debug)]
pub struct CheckedChain {
    pub chain_id: u64,
    pub capacity: u32,
    /// Every block's header and hash, in file order.
    pub headers: Vec<(Header, HeaderHash)>,
}

impl CheckedChain {
    /// `[SYNC-PATH]` from the genesis.
    pub fn sync_path(&self) -> SyncPath {
        self.path_from_index(0)
    }

    /// `[SYNC-PATH]` for a client whose trusted state is a block of the file,
    /// matched by header hash.
    pub fn sync_path_from(&self, trusted: &TrustedState) -> Result<SyncPath, Error> {
        let start = self
            .headers
            .iter()
            .position(|(_, h)| *h == trusted.header_hash)
            .ok_or(Error::TrustedHeaderNotInChain {
                hash: trusted.header_hash,
            })?;
        Ok(self.path_from_index(start))
    }

    fn path_from_index(&self, start: usize) -> SyncPath {
        let last = self.headers.len() - 1;
        let mut targets: Vec<usize> = (start + 1..=last)
            .filter(|&i| self.headers[i].0.is_rotation())
            .collect();
        if last > start && targets.last() != Some(&last) {
            targets.push(last);
        }
        let mut trusted = TrustedState::after(&self.headers[start].0);
        let mut steps = Vec::with_capacity(targets.len());
        for i in targets {
            let (target, target_hash) = self.headers[i];
            steps.push(SyncStep {
                block_index: i,
                trusted,
                target,
                target_hash,
                public_inputs: PublicInputs::new(&trusted, &target_hash),
            });
            apply_update(&mut trusted, &target);
        }
        let (tip, tip_hash) = self.headers[last];
        SyncPath {
            chain_id: self.chain_id,
            tip_height: tip.height,
            tip_hash,
            steps,
        }
    }
}

impl ChainFile {
    /// Checks every block (`[SYNC-PATH]`); the error names the first failing block.
    pub fn check(&self) -> Result<CheckedChain, ChainError> {
        let mut checker = ChainChecker::new(self.chain_id, self.capacity)?;
        for block in &self.light_blocks {
            checker.push(block)?;
        }
        checker.finish()
    }

    /// `[SYNC-PATH]` from the file's first block.
    pub fn sync_path(&self) -> Result<SyncPath, ChainError> {
        Ok(self.check()?.sync_path())
    }
}
