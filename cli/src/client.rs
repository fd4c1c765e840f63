//! `zklc client`: init, update, sync, status, verify-header, clear-evidence.
//! The rules and the store's directory logic are in `zklc-light-client`;
//! this module parses arguments and prints.

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use serde::Serialize;
use std::path::{Path, PathBuf};

use zklc_light_client::{read_proof_file, ClientError, Outcome, Store};
use zklc_primitives::field::{fr_to_decimal, parse_decimal_fr, parse_hex, to_hex};
use zklc_primitives::json::{from_json, DecU64};
use zklc_primitives::update::{DEFAULT_CLOCK_DRIFT_MS, DEFAULT_TRUSTING_PERIOD_MS};
use zklc_primitives::{Header, HeaderHash, TrustOptions, TrustedState};

use crate::genesis::GenesisArgs;
use crate::{io, now_ms};

#[derive(Subcommand)]
pub enum ClientCommand {
    /// Create a store trusting a chain file's genesis ([GENESIS]) or a checkpoint.
    Init {
        #[arg(long)]
        store: PathBuf,
        /// The key directory whose verifying key the store pins.
        #[arg(long)]
        keys: PathBuf,
        #[command(flatten)]
        genesis: GenesisArgs,
        /// Checkpoint: chain id.
        #[arg(long, requires = "checkpoint_hash")]
        chain_id: Option<u64>,
        /// Checkpoint: height.
        #[arg(long, requires = "checkpoint_hash")]
        checkpoint_height: Option<u64>,
        /// Checkpoint: timestamp (unix ms).
        #[arg(long, requires = "checkpoint_hash")]
        checkpoint_timestamp: Option<u64>,
        /// Checkpoint: header hash (0x + 64 hex digits).
        #[arg(long, conflicts_with = "genesis", required_unless_present = "genesis")]
        checkpoint_hash: Option<String>,
        /// Checkpoint: signing set (decimal field element).
        #[arg(long, requires = "checkpoint_hash")]
        checkpoint_signing_set: Option<String>,
        #[arg(long, default_value_t = DEFAULT_TRUSTING_PERIOD_MS)]
        trusting_period: u64,
        #[arg(long, default_value_t = DEFAULT_CLOCK_DRIFT_MS)]
        clock_drift: u64,
        #[arg(long)]
        now: Option<u64>,
    },
    /// Apply proof files in the order given.
    Update {
        #[arg(long)]
        store: PathBuf,
        #[arg(long)]
        now: Option<u64>,
        #[arg(required = true)]
        proofs: Vec<PathBuf>,
    },
    /// Apply, in height order, every proof file of a directory that extends the state.
    Sync {
        #[arg(long)]
        store: PathBuf,
        #[arg(long)]
        from: PathBuf,
        #[arg(long)]
        now: Option<u64>,
    },
    /// Print the trusted state.
    Status {
        #[arg(long)]
        store: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Accept a header at or below the tip that parent hashes link to a checkpoint.
    VerifyHeader {
        #[arg(long)]
        store: PathBuf,
        /// A JSON array of headers: the one to check first, then its descendants
        /// up to a stored checkpoint's header.
        headers: PathBuf,
    },
    /// Clear recorded fork evidence (after review) so updates resume.
    ClearEvidence {
        #[arg(long)]
        store: PathBuf,
    },
}

fn open(store: &Path) -> Result<Store> {
    Ok(Store::open(store, &|| {
        eprintln!(
            "waiting for {} (another zklc process holds its lock)",
            store.display()
        )
    })?)
}

pub fn run(cmd: ClientCommand) -> Result<()> {
    match cmd {
        ClientCommand::Init {
            store,
            keys,
            genesis,
            chain_id,
            checkpoint_height,
            checkpoint_timestamp,
            checkpoint_hash,
            checkpoint_signing_set,
            trusting_period,
            clock_drift,
            now,
        } => {
            let checkpoint = Checkpoint {
                chain_id,
                height: checkpoint_height,
                timestamp: checkpoint_timestamp,
                hash: checkpoint_hash,
                signing_set: checkpoint_signing_set,
            };
            let options = TrustOptions {
                trusting_period_ms: trusting_period,
                clock_drift_ms: clock_drift,
            };
            init(&store, &keys, &genesis, checkpoint, options, now)
        }
        ClientCommand::Update { store, now, proofs } => update(&store, now, &proofs),
        ClientCommand::Sync { store, from, now } => sync(&store, &from, now),
        ClientCommand::Status { store, json } => status(&store, json),
        ClientCommand::VerifyHeader { store, headers } => verify_header(&store, &headers),
        ClientCommand::ClearEvidence { store } => {
            let mut s = open(&store)?;
            let n = s.clear_evidence()?;
            println!("cleared {n} fork evidence record(s)");
            Ok(())
        }
    }
}

/// `client init --chain-id .. --checkpoint-..`: an explicit root of trust.
struct Checkpoint {
    chain_id: Option<u64>,
    height: Option<u64>,
    timestamp: Option<u64>,
    hash: Option<String>,
    signing_set: Option<String>,
}

impl Checkpoint {
    fn state(self) -> Result<TrustedState> {
        let missing = |f: &str| anyhow!("--{f} is required with --checkpoint-hash");
        let hash = self.hash.ok_or_else(|| missing("checkpoint-hash"))?;
        let set = self
            .signing_set
            .ok_or_else(|| missing("checkpoint-signing-set"))?;
        Ok(TrustedState {
            chain_id: self.chain_id.ok_or_else(|| missing("chain-id"))?,
            height: self.height.ok_or_else(|| missing("checkpoint-height"))?,
            timestamp: self
                .timestamp
                .ok_or_else(|| missing("checkpoint-timestamp"))?,
            header_hash: HeaderHash(
                parse_hex::<32>(&hash).map_err(|e| anyhow!("--checkpoint-hash: {e}"))?,
            ),
            signing_set: parse_decimal_fr(&set)
                .map_err(|e| anyhow!("--checkpoint-signing-set: {e}"))?,
        })
    }
}

fn init(
    store: &Path,
    keys: &Path,
    genesis: &GenesisArgs,
    checkpoint: Checkpoint,
    options: TrustOptions,
    now: Option<u64>,
) -> Result<()> {
    let now = now.unwrap_or_else(now_ms);
    let (vk, manifest) = zklc_keys::load_verifying_key(keys)?;
    let (state, header) = match genesis.load(false)? {
        Some(g) => {
            if g.chain.capacity != manifest.capacity {
                bail!(
                    "the chain has capacity {}, the keys {}",
                    g.chain.capacity,
                    manifest.capacity
                );
            }
            (g.state, Some(g.chain.light_blocks[0].header))
        }
        None => (checkpoint.state()?, None),
    };
    let s = match Store::create(store, &vk, manifest.shape(), &state, header, options, now) {
        Err(e @ ClientError::Expired { .. }) => bail!("{e}: choose a more recent checkpoint"),
        r => r?,
    };
    if manifest.is_development() {
        eprintln!("WARNING: {}", zklc_keys::DEV_SETUP_WARNING);
    }
    println!(
        "initialised {}: chain {}, height {}, header {}, vk_fingerprint {}",
        store.display(),
        state.chain_id,
        state.height,
        state.header_hash,
        to_hex(&s.data().vk_fingerprint.0)
    );
    Ok(())
}

fn update(store: &Path, now: Option<u64>, proofs: &[PathBuf]) -> Result<()> {
    let mut s = open(store)?;
    let now = now.unwrap_or_else(now_ms);
    for path in proofs {
        let file = read_proof_file(path).map_err(|e| anyhow!("{e}"))?;
        apply_file(&mut s, path, &file, now)?;
    }
    Ok(())
}

fn sync(store: &Path, from: &Path, now: Option<u64>) -> Result<()> {
    let mut s = open(store)?;
    let now = now.unwrap_or_else(now_ms);
    let files = s
        .proofs_to_sync(from)
        .with_context(|| format!("cannot sync from {}", from.display()))?;
    for (path, file) in &files {
        apply_file(&mut s, path, file, now)?;
    }
    println!(
        "synced {} proofs from {}; trusted height {}",
        files.len(),
        from.display(),
        s.state().height
    );
    Ok(())
}

/// `client status --json`.
#[derive(Serialize)]
struct StatusJson {
    chain_id: DecU64,
    height: DecU64,
    timestamp: DecU64,
    header_hash: HeaderHash,
    state_root: Option<String>,
    signing_set: String,
    vk_fingerprint: String,
    checkpoints: usize,
    fork_evidence: usize,
    halted: bool,
    trusting_period_ms: DecU64,
    /// A decimal string: `timestamp + trusting period` can exceed 2^64.
    expires_at: String,
}

fn status(store: &Path, json: bool) -> Result<()> {
    let s = open(store)?;
    let st = s.state();
    let d = s.data();
    let state_root = s.tip().header.map(|h| to_hex(&h.state_root));
    if json {
        let status = StatusJson {
            chain_id: DecU64(st.chain_id),
            height: DecU64(st.height),
            timestamp: DecU64(st.timestamp),
            header_hash: st.header_hash,
            state_root,
            signing_set: fr_to_decimal(&st.signing_set),
            vk_fingerprint: to_hex(&d.vk_fingerprint.0),
            checkpoints: d.checkpoints.len(),
            fork_evidence: d.evidence.len(),
            halted: !d.evidence.is_empty(),
            trusting_period_ms: d.trusting_period_ms,
            expires_at: (u128::from(st.timestamp) + u128::from(d.trusting_period_ms.0)).to_string(),
        };
        println!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(());
    }
    println!(
        "chain {} height {} timestamp {}",
        st.chain_id, st.height, st.timestamp
    );
    println!("header {}", st.header_hash);
    println!(
        "state root {}",
        state_root.unwrap_or_else(|| "(unknown: explicit checkpoint)".into())
    );
    println!("signing set {}", fr_to_decimal(&st.signing_set));
    println!("vk_fingerprint {}", to_hex(&d.vk_fingerprint.0));
    println!("checkpoints {}", d.checkpoints.len());
    if !d.evidence.is_empty() {
        println!(
            "HALTED: {} fork evidence record(s); review, then zklc client clear-evidence",
            d.evidence.len()
        );
    }
    Ok(())
}

fn verify_header(store: &Path, headers: &Path) -> Result<()> {
    let s = open(store)?;
    let bytes = io::read_capped(headers, 64 * 1024 * 1024)?;
    let list: Vec<serde_json::Value> = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow!("{}: a JSON array of headers: {e}", headers.display()))?;
    let parsed = list
        .iter()
        .enumerate()
        .map(|(i, v)| {
            from_json::<Header>(v.to_string().as_bytes()).map_err(|e| anyhow!("header {i}: {e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let h = s.verify_header(&parsed)?;
    println!(
        "ok height {} header {} state_root {}",
        h.height,
        h.hash(),
        to_hex(&h.state_root)
    );
    Ok(())
}

fn apply_file(
    s: &mut Store,
    path: &Path,
    file: &zklc_primitives::ProofFile,
    now: u64,
) -> Result<()> {
    match s.apply(file, now) {
        Ok(Outcome::Applied(state)) => {
            println!(
                "applied {}: height {}, header {}, state_root {}",
                path.display(),
                state.height,
                state.header_hash,
                to_hex(&file.header.state_root)
            );
            Ok(())
        }
        Ok(Outcome::AlreadyApplied { height }) => {
            println!(
                "skipped {}: the update to height {height} was already applied",
                path.display()
            );
            Ok(())
        }
        Err(e @ ClientError::Fork { .. }) => bail!("{} : {e}", path.display()),
        Err(e) => bail!("{} refused: {e}", path.display()),
    }
}
