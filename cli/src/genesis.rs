//! `[GENESIS]` on the command line: the one argument group for trusting a
//! chain file's genesis (`--genesis FILE (--expect-hash 0x.. |
//! --trust-genesis)`), shared by `verify` and `client init`.

use anyhow::{anyhow, Result};
use std::path::{Path, PathBuf};

use zklc_primitives::json::{parse_chain_file, DEFAULT_MAX_FILE_BYTES};
use zklc_primitives::{verify_trusted_genesis, ChainFile, GenesisTrust, HeaderHash, TrustedState};

use crate::exit::usage;
use crate::{flags, io};

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct GenesisArgs {
    /// Start from the genesis (first block) of this chain file; needs
    /// --expect-hash or --trust-genesis.
    #[arg(long)]
    pub genesis: Option<PathBuf>,
    /// The genesis header hash, checked out of band (64 hex digits, 0x
    /// optional; zklc chain check prints it).
    #[arg(long, requires = "genesis", value_parser = flags::header_hash)]
    pub expect_hash: Option<HeaderHash>,
    /// Trust the chain file's genesis without a hash (devnets only).
    #[arg(long, requires = "genesis", conflicts_with = "expect_hash")]
    pub trust_genesis: bool,
}

/// A genesis the operator trusts: the chain file, its first block's state.
pub(crate) struct TrustedGenesis {
    pub chain: ChainFile,
    pub state: TrustedState,
}

impl GenesisArgs {
    /// The operator's policy; refuses neither hash nor `--trust-genesis`.
    fn policy(&self, file: &Path) -> Result<GenesisTrust> {
        match (self.expect_hash, self.trust_genesis) {
            (Some(h), _) => Ok(GenesisTrust::ExpectHash(h)),
            (None, true) => Ok(GenesisTrust::TrustFile),
            (None, false) => usage!(
                "--genesis {} needs --expect-hash 0x.. (the genesis header hash, checked out of band; zklc chain check prints it) or --trust-genesis (devnets only)",
                file.display()
            ),
        }
    }

    /// Reads the chain file named by `--genesis` (`check` decides whether
    /// its whole sync path is checked or only its genesis), then checks its
    /// genesis by `[GENESIS]` and the operator's policy. `None` without
    /// `--genesis`.
    pub fn load(&self, check_whole_chain: bool) -> Result<Option<TrustedGenesis>> {
        let Some(file) = &self.genesis else {
            return Ok(None);
        };
        let policy = self.policy(file)?;
        let bytes = io::read_capped(file, DEFAULT_MAX_FILE_BYTES, None)?;
        let chain = if check_whole_chain {
            zklc_primitives::json::check_chain_json(&bytes)
                .map_err(|e| anyhow!("{}: {e}", file.display()))?
                .0
        } else {
            parse_chain_file(&bytes).map_err(|e| anyhow!("{}: {e}", file.display()))?
        };
        let block = chain
            .light_blocks
            .first()
            .ok_or_else(|| anyhow!("{}: no block", file.display()))?;
        let state = verify_trusted_genesis(
            chain.chain_id,
            chain.capacity,
            &block.header,
            &block.validators,
            &policy,
        )
        .map_err(|e| anyhow!("{}: block 0: {e}", file.display()))?;
        if policy == GenesisTrust::TrustFile {
            warn!(
                "trusting the genesis of {} without an expected hash (devnets only): chain {}, height {}, header {}",
                file.display(),
                state.chain_id,
                state.height,
                state.header_hash
            );
        }
        Ok(Some(TrustedGenesis { chain, state }))
    }
}
