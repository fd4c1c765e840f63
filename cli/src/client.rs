//! `zklc client`: init, update, sync, status, verify-header, clear-evidence.

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use std::path::{Path, PathBuf};

use zklc_light_client::{ClientError, Outcome, Store};
use zklc_primitives::field::{fr_to_decimal, parse_decimal_fr, parse_hex, to_hex};
use zklc_primitives::json::{from_json, parse_chain_file, DEFAULT_MAX_FILE_BYTES};
use zklc_primitives::update::{
    verify_genesis, verify_within_trust_period, DEFAULT_CLOCK_DRIFT_MS, DEFAULT_TRUSTING_PERIOD_MS,
};
use zklc_primitives::{Header, HeaderHash, TrustOptions, TrustedState};

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
        #[arg(long, required_unless_present = "checkpoint_hash")]
        genesis: Option<PathBuf>,
        /// The genesis header hash, checked out of band.
        #[arg(long, requires = "genesis")]
        expect_hash: Option<String>,
        /// Trust the genesis without a hash (devnets only).
        #[arg(long, requires = "genesis", conflicts_with = "expect_hash")]
        trust_genesis: bool,
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
        #[arg(long, conflicts_with = "genesis")]
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
            expect_hash,
            trust_genesis,
            chain_id,
            checkpoint_height,
            checkpoint_timestamp,
            checkpoint_hash,
            checkpoint_signing_set,
            trusting_period,
            clock_drift,
            now,
        } => {
            let now = now.unwrap_or_else(now_ms);
            let options = TrustOptions {
                trusting_period_ms: trusting_period,
                clock_drift_ms: clock_drift,
            };
            let manifest = zklc_keys::read_manifest(&keys)?;
            let (state, header) = match genesis {
                Some(file) => {
                    let bytes = io::read_capped(&file, DEFAULT_MAX_FILE_BYTES)?;
                    let chain =
                        parse_chain_file(&bytes).map_err(|e| anyhow!("{}: {e}", file.display()))?;
                    if chain.capacity != manifest.capacity {
                        bail!(
                            "the chain has capacity {}, the keys {}",
                            chain.capacity,
                            manifest.capacity
                        );
                    }
                    let block = chain
                        .light_blocks
                        .first()
                        .ok_or_else(|| anyhow!("{}: no block", file.display()))?;
                    let state = verify_genesis(
                        chain.chain_id,
                        chain.capacity,
                        &block.header,
                        &block.validators,
                    )
                    .map_err(|e| anyhow!("{}: block 0: {e}", file.display()))?;
                    match (expect_hash, trust_genesis) {
                        (Some(h), _) => {
                            let want = HeaderHash(parse_hex::<32>(&h).map_err(|e| anyhow!("--expect-hash: {e}"))?);
                            if want != state.header_hash {
                                bail!("[GENESIS] the genesis hashes to {}, not the expected {want}", state.header_hash);
                            }
                        }
                        (None, true) => eprintln!(
                            "WARNING: trusting the genesis of {} without an expected hash (devnets only): chain {}, height {}, header {}",
                            file.display(), state.chain_id, state.height, state.header_hash
                        ),
                        (None, false) => bail!(
                            "[GENESIS] refusing to trust {} without --expect-hash 0x.. (or --trust-genesis for a devnet)",
                            file.display()
                        ),
                    }
                    (state, Some(block.header))
                }
                None => {
                    let missing = |f: &str| anyhow!("--{f} is required with --checkpoint-hash");
                    let hash = checkpoint_hash.expect("required by clap");
                    let set =
                        checkpoint_signing_set.ok_or_else(|| missing("checkpoint-signing-set"))?;
                    let state = TrustedState {
                        chain_id: chain_id.ok_or_else(|| missing("chain-id"))?,
                        height: checkpoint_height.ok_or_else(|| missing("checkpoint-height"))?,
                        timestamp: checkpoint_timestamp
                            .ok_or_else(|| missing("checkpoint-timestamp"))?,
                        header_hash: HeaderHash(
                            parse_hex::<32>(&hash)
                                .map_err(|e| anyhow!("--checkpoint-hash: {e}"))?,
                        ),
                        signing_set: parse_decimal_fr(&set)
                            .map_err(|e| anyhow!("--checkpoint-signing-set: {e}"))?,
                    };
                    (state, None)
                }
            };
            verify_within_trust_period(&state, now, &options)
                .map_err(|e| anyhow!("{e}: choose a more recent checkpoint"))?;
            let s = Store::create(&store, &keys, &state, header, options, now)?;
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
        ClientCommand::Update { store, now, proofs } => {
            let mut s = open(&store)?;
            let now = now.unwrap_or_else(now_ms);
            for path in &proofs {
                apply_file(&mut s, path, now)?;
            }
            Ok(())
        }
        ClientCommand::Sync { store, from, now } => {
            let mut s = open(&store)?;
            let now = now.unwrap_or_else(now_ms);
            let mut files: Vec<(u64, PathBuf, zklc_primitives::json::ProofFile)> = Vec::new();
            for entry in std::fs::read_dir(&from)
                .with_context(|| format!("cannot read {}", from.display()))?
            {
                let path = entry?.path();
                if path.extension().and_then(|e| e.to_str()) != Some("json") {
                    continue;
                }
                let bytes = io::read_capped(&path, 1024 * 1024)?;
                let file: zklc_primitives::json::ProofFile =
                    from_json(&bytes).map_err(|e| anyhow!("{}: {e}", path.display()))?;
                files.push((file.header.height, path, file));
            }
            files.sort_by_key(|f| f.0);
            let tip = s.state().height;
            let mut applied = 0;
            for (height, path, _) in files.iter().filter(|f| f.0 > tip) {
                let _ = height;
                apply_file(&mut s, path, now)?;
                applied += 1;
            }
            println!(
                "synced {applied} proofs from {}; trusted height {}",
                from.display(),
                s.state().height
            );
            Ok(())
        }
        ClientCommand::Status { store, json } => {
            let s = open(&store)?;
            let st = s.state();
            let tip = s.tip();
            let d = s.data();
            let state_root = tip.header.map(|h| to_hex(&h.state_root));
            if json {
                let v = serde_json::json!({
                    "chain_id": st.chain_id.to_string(),
                    "height": st.height.to_string(),
                    "timestamp": st.timestamp.to_string(),
                    "header_hash": st.header_hash.to_string(),
                    "state_root": state_root,
                    "signing_set": fr_to_decimal(&st.signing_set),
                    "vk_fingerprint": to_hex(&d.vk_fingerprint.0),
                    "checkpoints": d.checkpoints.len(),
                    "fork_evidence": d.evidence.len(),
                    "halted": !d.evidence.is_empty(),
                    "trusting_period_ms": d.trusting_period_ms.0.to_string(),
                    "expires_at": st.timestamp.saturating_add(d.trusting_period_ms.0).to_string(),
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
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
            }
            Ok(())
        }
        ClientCommand::VerifyHeader { store, headers } => {
            let s = open(&store)?;
            let bytes = io::read_capped(&headers, 64 * 1024 * 1024)?;
            let list: Vec<serde_json::Value> = serde_json::from_slice(&bytes)
                .map_err(|e| anyhow!("{}: a JSON array of headers: {e}", headers.display()))?;
            let parsed = list
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    from_json::<Header>(v.to_string().as_bytes())
                        .map_err(|e| anyhow!("header {i}: {e}"))
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
        ClientCommand::ClearEvidence { store } => {
            let mut s = open(&store)?;
            let n = s.clear_evidence()?;
            println!("cleared {n} fork evidence record(s)");
            Ok(())
        }
    }
}

fn apply_file(s: &mut Store, path: &Path, now: u64) -> Result<()> {
    let bytes = io::read_capped(path, 1024 * 1024)?;
    let file: zklc_primitives::json::ProofFile =
        from_json(&bytes).map_err(|e| anyhow!("{} refused: {e}", path.display()))?;
    match s.apply(&file, now) {
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
