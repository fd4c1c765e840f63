//! `zklc client`: init, update, sync, status, verify-header, clear-evidence.
//! The rules and the store's directory logic are in `zklc-light-client`;
//! this module parses arguments and prints. Updates are applied first and
//! reported after: printing never comes between two changes of a store.

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

use zklc_light_client::{Access, ClientError, KeyKind, Outcome, PinnedBy, Store, StoreData};
use zklc_primitives::field::{fr_to_decimal, to_hex};
use zklc_primitives::json::{from_json, DecU64};
use zklc_primitives::update::{DEFAULT_CLOCK_DRIFT_MS, DEFAULT_TRUSTING_PERIOD_MS};
use zklc_primitives::{Fr, Header, HeaderHash, ProofFile, TrustOptions, TrustedState};

use crate::genesis::GenesisArgs;
use crate::pin::{self, PinArgs};
use crate::proofs::{does_not_extend, read_in_height_order, AppliedJson, StateJson};
use crate::{flags, human, io, now_ms, paths};

/// The default of `--lock-timeout`, in milliseconds.
const DEFAULT_LOCK_TIMEOUT_MS: u64 = 5_000;

#[derive(clap::Args, Clone, Copy)]
pub struct LockArgs {
    /// How long to wait for another zklc process that holds the store, in
    /// milliseconds (default 5000 = 5 s).
    #[arg(long, default_value_t = DEFAULT_LOCK_TIMEOUT_MS, value_parser = flags::u64_value, allow_negative_numbers = true)]
    lock_timeout: u64,
}

#[derive(Subcommand)]
pub enum ClientCommand {
    /// Create a store trusting a chain file's genesis or an explicit
    /// checkpoint, pinning a verifying key by its fingerprint (or, for a
    /// devnet, as a development key).
    Init {
        /// The store directory to create.
        #[arg(long)]
        store: PathBuf,
        /// The key directory whose verifying key the store pins.
        #[arg(long)]
        keys: PathBuf,
        #[command(flatten)]
        pin: Box<PinArgs>,
        #[command(flatten)]
        genesis: GenesisArgs,
        /// Checkpoint: chain id.
        #[arg(long, requires = "checkpoint_hash", value_parser = flags::u64_value, allow_negative_numbers = true)]
        chain_id: Option<u64>,
        /// Checkpoint: height.
        #[arg(long, requires = "checkpoint_hash", value_parser = flags::u64_value, allow_negative_numbers = true)]
        checkpoint_height: Option<u64>,
        /// Checkpoint: timestamp (unix milliseconds).
        #[arg(long, requires = "checkpoint_hash", value_parser = flags::u64_value, allow_negative_numbers = true)]
        checkpoint_timestamp: Option<u64>,
        /// Checkpoint: header hash (64 hex digits, 0x optional).
        #[arg(long, conflicts_with = "genesis", required_unless_present = "genesis", value_parser = flags::header_hash)]
        checkpoint_hash: Option<HeaderHash>,
        /// Checkpoint: signing-set hash (a field element, decimal or 0x hex).
        #[arg(long, requires = "checkpoint_hash", value_parser = flags::field)]
        checkpoint_signing_set: Option<Fr>,
        /// How long a trusted state stays usable, in milliseconds (default 1209600000 = 14 days).
        #[arg(long, default_value_t = DEFAULT_TRUSTING_PERIOD_MS, value_parser = flags::positive_u64, allow_negative_numbers = true)]
        trusting_period: u64,
        /// How far a header may be ahead of now, in milliseconds (default 10000 = 10 s).
        #[arg(long, default_value_t = DEFAULT_CLOCK_DRIFT_MS, value_parser = flags::u64_value, allow_negative_numbers = true)]
        clock_drift: u64,
        /// The current time (unix milliseconds; default: now).
        #[arg(long, value_parser = flags::u64_value, allow_negative_numbers = true)]
        now: Option<u64>,
    },
    /// Apply proof files, in height order (whatever order they are given in).
    Update {
        /// The store directory.
        #[arg(long)]
        store: PathBuf,
        /// The current time (unix milliseconds; default: now).
        #[arg(long, value_parser = flags::u64_value, allow_negative_numbers = true)]
        now: Option<u64>,
        /// Print the result as JSON on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lock: LockArgs,
        /// Proof files (proof-<height>.json).
        #[arg(required = true)]
        proofs: Vec<PathBuf>,
    },
    /// Apply, in height order, every proof file (proof-*.json) of a directory that extends the state.
    Sync {
        /// The store directory.
        #[arg(long)]
        store: PathBuf,
        /// The directory holding the proof files.
        #[arg(long)]
        from: PathBuf,
        /// The current time (unix milliseconds; default: now).
        #[arg(long, value_parser = flags::u64_value, allow_negative_numbers = true)]
        now: Option<u64>,
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Print the trusted state (read-only).
    Status {
        /// The store directory.
        #[arg(long)]
        store: PathBuf,
        /// Print the status as JSON on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Accept a header at or below the tip that parent hashes link to a checkpoint (read-only).
    VerifyHeader {
        /// The store directory.
        #[arg(long)]
        store: PathBuf,
        /// Print the result as JSON on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lock: LockArgs,
        /// A JSON array of headers: the one to check first, then its descendants
        /// up to a stored checkpoint's header.
        headers: PathBuf,
    },
    /// Clear recorded fork evidence (after review) so updates resume.
    ClearEvidence {
        /// The store directory.
        #[arg(long)]
        store: PathBuf,
        #[command(flatten)]
        lock: LockArgs,
    },
}

fn open(store: &Path, access: Access, lock: LockArgs) -> Result<Store> {
    let s = Store::open_with(
        store,
        access,
        Some(Duration::from_millis(lock.lock_timeout)),
        &|| {
            note!(
                "waiting up to {} ms for {} (another zklc process holds its lock)",
                lock.lock_timeout,
                store.display()
            )
        },
    )?;
    warn_store_key(s.data());
    Ok(s)
}

/// The warnings every use of a store's key repeats ([`pin::warn`]; a store
/// of format 1 recorded only a seeded key).
fn warn_store_key(d: &StoreData) {
    match d.pin {
        Some(p) => pin::warn(p),
        None => {
            if let Some(kind) = d.key_kind() {
                pin::warn_kind(kind);
            }
        }
    }
}

pub fn run(cmd: ClientCommand) -> Result<()> {
    match cmd {
        ClientCommand::Init {
            store,
            keys,
            pin,
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
            init(&store, &keys, &pin, &genesis, checkpoint, options, now)
        }
        ClientCommand::Update {
            store,
            now,
            json,
            lock,
            proofs,
        } => update(&store, now, json, lock, &proofs),
        ClientCommand::Sync {
            store,
            from,
            now,
            lock,
        } => sync(&store, &from, now, lock),
        ClientCommand::Status { store, json, lock } => status(&store, json, lock),
        ClientCommand::VerifyHeader {
            store,
            json,
            lock,
            headers,
        } => verify_header(&store, &headers, json, lock),
        ClientCommand::ClearEvidence { store, lock } => {
            let mut s = open(&store, Access::ReadWrite, lock)?;
            let n = s.clear_evidence()?;
            say!(
                "cleared {}",
                human::plural(n, "fork evidence record", "fork evidence records")
            );
            Ok(())
        }
    }
}

/// `client init --chain-id .. --checkpoint-..`: an explicit root of trust.
struct Checkpoint {
    chain_id: Option<u64>,
    height: Option<u64>,
    timestamp: Option<u64>,
    hash: Option<HeaderHash>,
    signing_set: Option<Fr>,
}

impl Checkpoint {
    fn state(self) -> Result<TrustedState> {
        let missing = |f: &str| {
            anyhow::Error::new(crate::exit::Usage(format!(
                "--{f} is required with --checkpoint-hash"
            )))
        };
        Ok(TrustedState {
            chain_id: self.chain_id.ok_or_else(|| missing("chain-id"))?,
            height: self.height.ok_or_else(|| missing("checkpoint-height"))?,
            timestamp: self
                .timestamp
                .ok_or_else(|| missing("checkpoint-timestamp"))?,
            header_hash: self.hash.ok_or_else(|| missing("checkpoint-hash"))?,
            signing_set: self
                .signing_set
                .ok_or_else(|| missing("checkpoint-signing-set"))?,
        })
    }
}

fn init(
    store: &Path,
    keys: &Path,
    pin: &PinArgs,
    genesis: &GenesisArgs,
    checkpoint: Checkpoint,
    options: TrustOptions,
    now: Option<u64>,
) -> Result<()> {
    let now = now.unwrap_or_else(now_ms);
    let store_dir = paths::dir_target("--store", store)?;
    let (vk, manifest) = zklc_keys::load_verifying_key(keys)?;
    // The operator's pin before anything is written.
    let pin = pin.decide(
        "client init",
        "pins",
        keys,
        zklc_verifier::vk_fingerprint(&vk),
        &manifest,
    )?;
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
    let s = match Store::create(
        &store_dir,
        &vk,
        manifest.shape(),
        pin,
        &state,
        header,
        options,
        now,
    ) {
        Err(e @ ClientError::Expired { .. }) => bail!("{e}: choose a more recent checkpoint"),
        r => r?,
    };
    warn_store_key(s.data());
    say!(
        "initialised {}: chain {}, height {}, header {}, vk_fingerprint {} pinned by {}, setup {}",
        store.display(),
        state.chain_id,
        state.height,
        state.header_hash,
        to_hex(&s.data().vk_fingerprint.0),
        pin::describe(pin.pinned_by),
        pin.kind
    );
    Ok(())
}

/// What one proof file did.
enum Done {
    Applied(TrustedState),
    Skipped { height: u64 },
}

/// Applies proof files in order, stopping at the first refusal; the
/// results so far and the refusal come back for the report.
fn apply_all(
    s: &mut Store,
    files: &[(PathBuf, ProofFile)],
    now: u64,
) -> (Vec<(PathBuf, Done)>, Option<anyhow::Error>) {
    let mut done = Vec::new();
    for (path, file) in files {
        match apply_file(s, path, file, now) {
            Ok(d) => done.push((path.clone(), d)),
            Err(e) => return (done, Some(e)),
        }
    }
    (done, None)
}

fn apply_file(s: &mut Store, path: &Path, file: &ProofFile, now: u64) -> Result<Done> {
    let state = s.state();
    match s.apply(file, now) {
        Ok(Outcome::Applied(next)) => Ok(Done::Applied(next)),
        Ok(Outcome::AlreadyApplied { height }) => Ok(Done::Skipped { height }),
        Err(e @ ClientError::Fork { .. }) => Err(anyhow::Error::new(e).context(format!(
            "{}: FORK EVIDENCE recorded (exit code 3)",
            path.display()
        ))),
        Err(e @ (ClientError::NotWritable { .. } | ClientError::Io { .. })) => {
            Err(anyhow::Error::new(e).context(format!("{} not applied", path.display())))
        }
        Err(ClientError::Field {
            field: "trusted_signing_set",
            store,
            proof,
        }) => {
            let m = zklc_primitives::FieldMismatch {
                field: "trusted_signing_set",
                expected: store,
                got: proof,
            };
            let starts_at = s
                .data()
                .checkpoints
                .iter()
                .filter(|c| c.signing_set.0 == file.trusted_signing_set)
                .map(|c| c.height.0)
                .max();
            bail!(
                "{} refused: {}",
                path.display(),
                does_not_extend(state.height, file, starts_at, &m)
            )
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("{} refused", path.display()))),
    }
}

#[derive(Serialize)]
struct UpdateJson {
    applied: Vec<AppliedJson>,
    skipped: Vec<SkippedJson>,
    /// The first refusal (the proofs after it were not tried), if any.
    refused: Option<RefusedJson>,
    trusted_state: StateJson,
}

#[derive(Serialize)]
struct SkippedJson {
    file: String,
    height: DecU64,
}

#[derive(Serialize)]
struct RefusedJson {
    error: String,
    exit_code: u8,
}

fn report(
    files: &[(PathBuf, ProofFile)],
    done: &[(PathBuf, Done)],
    refused: Option<&anyhow::Error>,
    state: &TrustedState,
    json: bool,
) -> Result<()> {
    if json {
        let mut r = UpdateJson {
            applied: Vec::new(),
            skipped: Vec::new(),
            refused: refused.map(|e| RefusedJson {
                error: crate::exit::one_line(e),
                exit_code: crate::exit::code(e),
            }),
            trusted_state: StateJson::new(state),
        };
        for ((path, d), (_, file)) in done.iter().zip(files) {
            match d {
                Done::Applied(next) => r.applied.push(AppliedJson::new(path, file, next)),
                Done::Skipped { height } => r.skipped.push(SkippedJson {
                    file: path.display().to_string(),
                    height: DecU64(*height),
                }),
            }
        }
        say!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    for ((path, d), (_, file)) in done.iter().zip(files) {
        match d {
            Done::Applied(next) => say!(
                "applied {}: height {}, header {}, state_root {}",
                path.display(),
                next.height,
                next.header_hash,
                to_hex(&file.header.state_root)
            ),
            Done::Skipped { height } => say!(
                "skipped {}: the update to height {height} was already applied",
                path.display()
            ),
        }
    }
    Ok(())
}

fn update(
    store: &Path,
    now: Option<u64>,
    json: bool,
    lock: LockArgs,
    proofs: &[PathBuf],
) -> Result<()> {
    // Every file is read before the store is touched.
    let files = read_in_height_order(proofs)?;
    let mut s = open(store, Access::ReadWrite, lock)?;
    let now = now.unwrap_or_else(now_ms);
    let (done, refused) = apply_all(&mut s, &files, now);
    report(&files, &done, refused.as_ref(), &s.state(), json)?;
    match refused {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn sync(store: &Path, from: &Path, now: Option<u64>, lock: LockArgs) -> Result<()> {
    let mut s = open(store, Access::ReadWrite, lock)?;
    let now = now.unwrap_or_else(now_ms);
    let found = s
        .proofs_to_sync(from)
        .with_context(|| format!("cannot sync from {}", from.display()))?;
    for skipped in &found.skipped {
        note!(
            "skipping {}: not a proof file (proof-*.json)",
            skipped.display()
        );
    }
    let (done, refused) = apply_all(&mut s, &found.files, now);
    report(&found.files, &done, refused.as_ref(), &s.state(), false)?;
    if let Some(e) = refused {
        return Err(e);
    }
    say!(
        "synced {} from {}; trusted height {}",
        human::plural(done.len(), "proof", "proofs"),
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
    /// How the key was pinned: `fingerprint` or `development` (null in a
    /// store of format 1, which did not record it).
    pinned_by: Option<PinnedBy>,
    /// The key's setup kind as its manifest named it when pinned
    /// (informative; null when not recorded).
    key_kind: Option<KeyKind>,
    development_key: bool,
    checkpoints: usize,
    fork_evidence: usize,
    halted: bool,
    trusting_period_ms: DecU64,
    /// A decimal string: `timestamp + trusting period` can exceed 2^64.
    expires_at: String,
    /// Whether the trusted state has expired as of now.
    expired: bool,
}

fn status(store: &Path, json: bool, lock: LockArgs) -> Result<()> {
    let s = open(store, Access::ReadOnly, lock)?;
    let st = s.state();
    let d = s.data();
    let state_root = s.tip().header.map(|h| to_hex(&h.state_root));
    let expires_at = u128::from(st.timestamp) + u128::from(d.trusting_period_ms.0);
    let expired = u128::from(now_ms()) >= expires_at;
    if json {
        let status = StatusJson {
            chain_id: DecU64(st.chain_id),
            height: DecU64(st.height),
            timestamp: DecU64(st.timestamp),
            header_hash: st.header_hash,
            state_root,
            signing_set: fr_to_decimal(&st.signing_set),
            vk_fingerprint: to_hex(&d.vk_fingerprint.0),
            pinned_by: d.pin.map(|p| p.pinned_by),
            key_kind: d.key_kind(),
            development_key: d.development_key,
            checkpoints: d.checkpoints.len(),
            fork_evidence: d.evidence.len(),
            halted: !d.evidence.is_empty(),
            trusting_period_ms: d.trusting_period_ms,
            expires_at: expires_at.to_string(),
            expired,
        };
        say!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(());
    }
    say!(
        "chain {} height {} timestamp {}",
        st.chain_id,
        st.height,
        human::ms_and_utc(st.timestamp)
    );
    say!("header {}", st.header_hash);
    say!(
        "state root {}",
        state_root.unwrap_or_else(|| "(unknown: explicit checkpoint)".into())
    );
    say!("signing set {}", fr_to_decimal(&st.signing_set));
    say!("vk_fingerprint {}", to_hex(&d.vk_fingerprint.0));
    say!(
        "pinned by {}",
        match d.pin {
            Some(p) => pin::describe(p.pinned_by),
            None => "(not recorded: a store of format 1)",
        }
    );
    say!(
        "key setup {}",
        match (d.key_kind(), d.pin.map(|p| p.pinned_by)) {
            (Some(kind), _) if kind.is_development() => format!("{kind} (DEVELOPMENT ONLY)"),
            (Some(kind), Some(PinnedBy::Fingerprint)) => {
                format!("{kind} (as its manifest said; trusted by the fingerprint pinned)")
            }
            (Some(kind), _) =>
                format!("{kind} (as its manifest said, unchecked: accepted as a development key)"),
            (None, _) => "(not recorded: a store of format 1)".into(),
        }
    );
    say!(
        "trusting period {}; {} {}",
        human::duration(d.trusting_period_ms.0),
        if expired { "EXPIRED at" } else { "expires at" },
        match u64::try_from(expires_at) {
            Ok(ms) => human::ms_and_utc(ms),
            Err(_) => expires_at.to_string(),
        }
    );
    say!("checkpoints {}", d.checkpoints.len());
    if !d.evidence.is_empty() {
        say!(
            "HALTED: {}; review, then zklc client clear-evidence",
            human::plural(
                d.evidence.len(),
                "fork evidence record",
                "fork evidence records"
            )
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct HeaderJson {
    height: DecU64,
    timestamp: DecU64,
    header_hash: HeaderHash,
    state_root: String,
}

fn verify_header(store: &Path, headers: &Path, json: bool, lock: LockArgs) -> Result<()> {
    let s = open(store, Access::ReadOnly, lock)?;
    let bytes = io::read_capped(headers, 64 * 1024 * 1024, None)?;
    let list: Vec<serde_json::Value> = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow!("{}: not a JSON array of headers: {e}", headers.display()))?;
    let parsed = list
        .iter()
        .enumerate()
        .map(|(i, v)| {
            from_json::<Header>(v.to_string().as_bytes())
                .map_err(|e| anyhow!("{}: header {i}: {e}", headers.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    let h = s.verify_header(&parsed)?;
    if json {
        let r = HeaderJson {
            height: DecU64(h.height),
            timestamp: DecU64(h.timestamp),
            header_hash: h.hash(),
            state_root: to_hex(&h.state_root),
        };
        say!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        say!(
            "ok height {} header {} state_root {} timestamp {}",
            h.height,
            h.hash(),
            to_hex(&h.state_root),
            human::ms_and_utc(h.timestamp)
        );
    }
    Ok(())
}
