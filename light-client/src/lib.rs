//! The zklc light client: one trusted state (SPEC section 7) on disk, moved
//! forward only by finality proofs that verify against it.
//!
//! A store is a directory holding `store.json` (the configuration, how its
//! key was pinned, every accepted checkpoint, fork evidence),
//! `verifying_key.bin` (the pinned key) and a lock file. `store.json` is
//! rewritten whole and atomically after each
//! accepted proof (temporary file, fsync, rename, fsync of the directory):
//! after a crash the store holds the state before or after that proof, never
//! a mix. An exclusive lock on the directory's lock file serialises
//! writers: a second one waits (up to a timeout, when one is given). Readers
//! ([`Access::ReadOnly`]) take a shared lock, or none on a store they cannot
//! write, and never change it. The rules themselves are the shared
//! predicates of `zklc-primitives` and the verifier of `zklc-verifier`.

use std::fs::File;
use std::path::{Path, PathBuf};

use ark_bn254::Bn254;
use ark_groth16::{PreparedVerifyingKey, VerifyingKey};
use serde::{Deserialize, Serialize};
pub use zklc_keys::KeyKind;
use zklc_primitives::chain::verify_header_links;
use zklc_primitives::field::to_hex;
use zklc_primitives::json::{from_json, DecFr, DecU64, Hex128, Hex32, ProofFile};
use zklc_primitives::proof_file::{FieldMismatch, FieldValue, VerifierConfig};
use zklc_primitives::update::verify_within_trust_period;
use zklc_primitives::{Header, HeaderHash, Shape, TrustOptions, TrustedState};
use zklc_verifier::VerifyError;

pub const STORE_FILE: &str = "store.json";
pub const STORE_VK_FILE: &str = "verifying_key.bin";
pub const LOCK_FILE: &str = ".lock";
/// The store's format version: 2 records how the key was pinned
/// ([`KeyPin`]). Stores of version 1 ([`LEGACY_FORMAT_VERSION`], made
/// before) are still read and updated in their own format.
pub const STORE_FORMAT_VERSION: u32 = 2;
/// The format before [`KeyPin`]: read and written back as it is.
pub const LEGACY_FORMAT_VERSION: u32 = 1;

/// How the operator pinned the store's key (`[SETUP-CEREMONY]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PinnedBy {
    /// The key's fingerprint equals the one the operator expected
    /// (`--expect-vk-fingerprint`, checked against the setup's transcript).
    Fingerprint,
    /// The operator accepted the key as a development key without a
    /// fingerprint to expect (`--allow-development-key`: devnets, tests).
    Development,
}

impl PinnedBy {
    pub fn name(self) -> &'static str {
        match self {
            PinnedBy::Fingerprint => "fingerprint",
            PinnedBy::Development => "development",
        }
    }
}

/// How a store's key was pinned, and the kind of setup its key directory's
/// manifest named when it was (informative: it words warnings, it never
/// made the key trusted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPin {
    pub pinned_by: PinnedBy,
    pub kind: KeyKind,
}

/// One accepted checkpoint: the root of trust or a header a proof moved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub height: DecU64,
    pub timestamp: DecU64,
    pub header_hash: Hex32,
    /// `T.signing_set` after this checkpoint (its `next_validators_hash`).
    pub signing_set: DecFr,
    /// The full header, when known (always, but for an explicit root).
    pub header: Option<Header>,
    /// The trusted set whose quorum signed it (none for the root).
    pub signed_by: Option<DecFr>,
    /// The finality proof that moved the state here (none for the root).
    pub proof: Option<Hex128>,
    /// When it was accepted (unix ms, the `now` of the update).
    pub accepted_at: DecU64,
}

/// Two valid proofs from one trusted set for different headers at one height.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Index of the accepted checkpoint it conflicts with.
    pub accepted: usize,
    pub conflicting: ProofFile,
    pub detected_at: DecU64,
}

/// `store.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreData {
    pub format_version: u32,
    pub chain_id: DecU64,
    pub capacity: u32,
    pub depth: u32,
    pub vk_fingerprint: Hex32,
    pub trusting_period_ms: DecU64,
    pub clock_drift_ms: DecU64,
    pub checkpoints: Vec<Checkpoint>,
    pub evidence: Vec<Evidence>,
    /// The pinned key is for development only (format 2: every setup kind
    /// but a ceremony; format 1: a seeded setup): clients warn on every
    /// use. Absent (false) for a ceremony key.
    #[serde(default, skip_serializing_if = "is_false")]
    pub development_key: bool,
    /// How the key was pinned (format 2; absent in format 1, which did not
    /// record it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<KeyPin>,
}

impl StoreData {
    /// The key's setup kind as recorded: format 2's pin, or format 1's
    /// development flag (a seeded setup; other kinds were not recorded).
    pub fn key_kind(&self) -> Option<KeyKind> {
        match self.pin {
            Some(pin) => Some(pin.kind),
            None => self.development_key.then_some(KeyKind::SeededDevelopment),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The most bytes a proof file may have ([`read_proof_dir`]).
pub const MAX_PROOF_FILE_BYTES: u64 = 1024 * 1024;

/// Errors of the light client.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: another zklc process holds the store's lock; gave up after {waited_ms} ms (raise --lock-timeout, or wait for it to finish)")]
    LockTimeout { path: PathBuf, waited_ms: u128 },
    #[error("the store {path} is not writable ({source}): nothing was applied")]
    NotWritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the store was opened read-only")]
    ReadOnly,
    #[error("{path}: not a zklc store: {message}")]
    Malformed { path: PathBuf, message: String },
    #[error("{0} already holds a store: refusing to replace it")]
    Exists(PathBuf),
    #[error("store format version {got}: this zklc reads versions {LEGACY_FORMAT_VERSION} to {expected}")]
    FormatVersion { expected: u32, got: u32 },
    #[error("the store's verifying key has fingerprint {got}, the store pins {pinned}")]
    VkMismatch { pinned: String, got: String },
    #[error("[PROOF-VERIFY] {field}: the store has {store}, the proof file says {proof}")]
    Field {
        field: &'static str,
        store: FieldValue,
        proof: FieldValue,
    },
    #[error("{path}: {source}")]
    ProofFile {
        path: PathBuf,
        source: zklc_primitives::Error,
    },
    #[error("the store is halted by fork evidence at height {height}: an operator must review it and clear it (zklc client clear-evidence)")]
    Halted { height: u64 },
    #[error("FORK EVIDENCE: a valid proof for header {conflicting} at height {height} conflicts with the accepted header {accepted}; both are recorded and the store refuses updates until an operator clears it")]
    Fork {
        height: u64,
        accepted: HeaderHash,
        conflicting: HeaderHash,
    },
    #[error("[UPD-RULE] the proof's header at height {height} does not extend the trusted state at height {tip}")]
    DoesNotExtend { height: u64, tip: u64 },
    #[error("{0}")]
    Verify(#[from] VerifyError),
    #[error("[TRUST-PERIOD] the trusted state (timestamp {timestamp}) expired at {expired_at} (now {now}): start a new store from a recent checkpoint (zklc client init --checkpoint-..)")]
    Expired {
        timestamp: u64,
        expired_at: u128,
        now: u64,
    },
    #[error("{0}")]
    Ancestry(zklc_primitives::Error),
    #[error("[HDR-ANCESTRY] no header given")]
    NoHeaders,
    #[error("[HDR-ANCESTRY] height {height} is above the trusted height {trusted}: update the client first")]
    AboveTrustedHeight { height: u64, trusted: u64 },
    #[error("[HDR-ANCESTRY] the last header given ({hash}) is not a stored checkpoint")]
    NotACheckpoint { hash: HeaderHash },
}

impl From<FieldMismatch> for ClientError {
    fn from(m: FieldMismatch) -> Self {
        ClientError::Field {
            field: m.field,
            store: m.expected,
            proof: m.got,
        }
    }
}

/// `[TRUST-PERIOD]`'s expiry, from the one predicate of primitives; every
/// other error of the verifier is passed on as it is.
fn client_error(e: VerifyError) -> ClientError {
    match e {
        VerifyError::Header(zklc_primitives::Error::TrustPeriodExpired {
            trusted_timestamp,
            trusting_period,
            now,
        }) => ClientError::Expired {
            timestamp: trusted_timestamp,
            expired_at: u128::from(trusted_timestamp) + u128::from(trusting_period),
            now,
        },
        e => ClientError::Verify(e),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ClientError + '_ {
    move |source| ClientError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a verified proof does to the store ([`Store::verify_update`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The proof extends the state to this checkpoint.
    Extend(Checkpoint),
    /// The same update (chain id, signing set, header hash) was applied before.
    AlreadyApplied { height: u64 },
    /// A valid proof conflicting with an accepted header: fork evidence.
    Evidence(Evidence),
}

/// What an update did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied(TrustedState),
    /// The same update (chain id, signing set, header hash) was applied before.
    AlreadyApplied {
        height: u64,
    },
}

impl Checkpoint {
    fn state(&self, chain_id: u64) -> TrustedState {
        TrustedState {
            chain_id,
            height: self.height.0,
            timestamp: self.timestamp.0,
            header_hash: HeaderHash(self.header_hash.0),
            signing_set: self.signing_set.0,
        }
    }

    /// The root checkpoint of a trusted state.
    pub fn root(state: &TrustedState, header: Option<Header>, now: u64) -> Self {
        Checkpoint {
            height: DecU64(state.height),
            timestamp: DecU64(state.timestamp),
            header_hash: Hex32(state.header_hash.0),
            signing_set: DecFr(state.signing_set),
            header,
            signed_by: None,
            proof: None,
            accepted_at: DecU64(now),
        }
    }
}

/// An open, locked store.
pub struct Store {
    dir: PathBuf,
    data: StoreData,
    pvk: PreparedVerifyingKey<Bn254>,
    access: Access,
    _lock: Option<File>,
}

/// How a store is opened ([`Store::open_with`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Exclusive lock; the directory must be writable.
    ReadWrite,
    /// Shared lock when the lock file can be opened (readers never block
    /// each other), none on a store the user can only read: `store.json`
    /// is replaced by rename, so a reader always sees a whole state.
    ReadOnly,
}

/// Polls for the lock until `timeout` (`None`: waits as long as it takes).
fn lock_file(
    file: &File,
    path: &Path,
    shared: bool,
    timeout: Option<std::time::Duration>,
    waiting: &dyn Fn(),
) -> Result<(), ClientError> {
    let try_lock = || {
        if shared {
            file.try_lock_shared()
        } else {
            file.try_lock()
        }
    };
    let started = std::time::Instant::now();
    let mut told = false;
    loop {
        match try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e)),
        }
        if !told {
            waiting();
            told = true;
        }
        match timeout {
            None => {
                return if shared {
                    file.lock_shared()
                } else {
                    file.lock()
                }
                .map_err(io(path))
            }
            Some(t) if started.elapsed() >= t => {
                return Err(ClientError::LockTimeout {
                    path: path.to_path_buf(),
                    waited_ms: started.elapsed().as_millis(),
                })
            }
            Some(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

fn lock(
    dir: &Path,
    access: Access,
    timeout: Option<std::time::Duration>,
    waiting: &dyn Fn(),
) -> Result<Option<File>, ClientError> {
    let path = dir.join(LOCK_FILE);
    match access {
        Access::ReadWrite => {
            let file = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|source| not_writable(dir, source))?;
            lock_file(&file, &path, false, timeout, waiting)?;
            Ok(Some(file))
        }
        Access::ReadOnly => match File::open(&path) {
            Ok(file) => {
                lock_file(&file, &path, true, timeout, waiting)?;
                Ok(Some(file))
            }
            // No lock file to share: a store made read-only before any
            // writer ran. Reading stays safe (renames are atomic).
            Err(_) => Ok(None),
        },
    }
}

fn not_writable(dir: &Path, source: std::io::Error) -> ClientError {
    match source.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            ClientError::NotWritable {
                path: dir.to_path_buf(),
                source,
            }
        }
        _ => ClientError::Io {
            path: dir.join(LOCK_FILE),
            source,
        },
    }
}

/// Whether a new file can be made in `dir` (where `store.json` is
/// replaced), so that an update is never verified only to fail to save.
fn check_writable(dir: &Path) -> Result<(), ClientError> {
    tempfile::Builder::new()
        .prefix(".zklc-probe")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|source| not_writable(dir, source))
}

impl Store {
    /// Creates a store at `dir` with its root checkpoint, pinning `vk`, the
    /// verifying key of proofs of `shape`, as `pin` says the operator
    /// decided (recorded in the store's first write). `[GENESIS]`: refuses
    /// a root already past its trusting period as of `now`.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        dir: &Path,
        vk: &VerifyingKey<Bn254>,
        shape: Shape,
        pin: KeyPin,
        root: &TrustedState,
        header: Option<Header>,
        options: TrustOptions,
        now: u64,
    ) -> Result<Store, ClientError> {
        verify_within_trust_period(root, now, &options)
            .map_err(|e| client_error(VerifyError::Header(e)))?;
        let pvk = zklc_verifier::prepare_for(vk, &shape)?;
        let vk_bytes = zklc_keys::verifying_key_bytes(vk).map_err(|e| ClientError::Malformed {
            path: dir.join(STORE_VK_FILE),
            message: e.to_string(),
        })?;
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let lock = lock(dir, Access::ReadWrite, None, &|| {})?;
        check_writable(dir)?;
        if dir.join(STORE_FILE).exists() {
            return Err(ClientError::Exists(dir.to_path_buf()));
        }
        let target = dir.join(STORE_VK_FILE);
        zklc_keys::fs::write_atomic(&target, &vk_bytes).map_err(io(&target))?;
        let data = StoreData {
            format_version: STORE_FORMAT_VERSION,
            chain_id: DecU64(root.chain_id),
            capacity: shape.capacity,
            depth: shape.depth,
            vk_fingerprint: Hex32(zklc_verifier::vk_fingerprint(vk)),
            trusting_period_ms: DecU64(options.trusting_period_ms),
            clock_drift_ms: DecU64(options.clock_drift_ms),
            checkpoints: vec![Checkpoint::root(root, header, now)],
            evidence: Vec::new(),
            development_key: pin.kind.is_development(),
            pin: Some(pin),
        };
        write_store(dir, &data)?;
        Ok(Store {
            dir: dir.to_path_buf(),
            data,
            pvk,
            access: Access::ReadWrite,
            _lock: lock,
        })
    }

    /// Opens and locks the store at `dir` for updates, waiting as long as
    /// another process holds it ([`Store::open_with`]).
    pub fn open(dir: &Path, waiting: &dyn Fn()) -> Result<Store, ClientError> {
        Store::open_with(dir, Access::ReadWrite, None, waiting)
    }

    /// Opens the store at `dir`: `access` says whether it will be updated;
    /// waits for another process's lock up to `timeout` (`None`: as long as
    /// it takes), calling `waiting` once if it has to. Refuses a malformed
    /// store, another format version or another key, and (for
    /// [`Access::ReadWrite`]) a store whose directory cannot be written.
    pub fn open_with(
        dir: &Path,
        access: Access,
        timeout: Option<std::time::Duration>,
        waiting: &dyn Fn(),
    ) -> Result<Store, ClientError> {
        let path = dir.join(STORE_FILE);
        if !path.exists() {
            return Err(ClientError::Malformed {
                path,
                message: "no store.json (create one with zklc client init)".into(),
            });
        }
        let lock = lock(dir, access, timeout, waiting)?;
        if access == Access::ReadWrite {
            check_writable(dir)?;
        }
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let data: StoreData =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Malformed {
                path: path.clone(),
                message: e.to_string(),
            })?;
        let pin_error = match (data.format_version, data.pin) {
            (STORE_FORMAT_VERSION, Some(pin))
                if pin.kind.is_development() != data.development_key =>
            {
                Some("development_key disagrees with the pinned key's kind".to_string())
            }
            (STORE_FORMAT_VERSION, Some(_)) | (LEGACY_FORMAT_VERSION, None) => None,
            (STORE_FORMAT_VERSION, None) => Some(format!(
                "format version {STORE_FORMAT_VERSION} without a pin (how its key was pinned)"
            )),
            (LEGACY_FORMAT_VERSION, Some(_)) => Some(format!(
                "format version {LEGACY_FORMAT_VERSION} with a pin (it has none)"
            )),
            (got, _) => {
                return Err(ClientError::FormatVersion {
                    expected: STORE_FORMAT_VERSION,
                    got,
                })
            }
        };
        if let Some(message) = pin_error {
            return Err(ClientError::Malformed { path, message });
        }
        if data.checkpoints.is_empty() {
            return Err(ClientError::Malformed {
                path,
                message: "no checkpoint".into(),
            });
        }
        let vk_path = dir.join(STORE_VK_FILE);
        let vk_bytes = std::fs::read(&vk_path).map_err(io(&vk_path))?;
        let shape = zklc_primitives::Shape {
            capacity: data.capacity,
            depth: data.depth,
        };
        let vk = zklc_verifier::decode_verifying_key(&vk_bytes, &shape)?;
        let got = zklc_verifier::vk_fingerprint(&vk);
        if got != data.vk_fingerprint.0 {
            return Err(ClientError::VkMismatch {
                pinned: to_hex(&data.vk_fingerprint.0),
                got: to_hex(&got),
            });
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            data,
            pvk: zklc_verifier::prepare_for(&vk, &shape)?,
            access,
            _lock: lock,
        })
    }

    /// Writes `next` durably, then makes it the store's data: when the write
    /// fails, the store in memory is the one on disk, unchanged.
    fn commit(&mut self, next: StoreData) -> Result<(), ClientError> {
        if self.access == Access::ReadOnly {
            return Err(ClientError::ReadOnly);
        }
        write_store(&self.dir, &next)?;
        self.data = next;
        Ok(())
    }

    pub fn data(&self) -> &StoreData {
        &self.data
    }

    pub fn options(&self) -> TrustOptions {
        TrustOptions {
            trusting_period_ms: self.data.trusting_period_ms.0,
            clock_drift_ms: self.data.clock_drift_ms.0,
        }
    }

    /// The shape of the proofs the store takes.
    pub fn shape(&self) -> Shape {
        Shape {
            capacity: self.data.capacity,
            depth: self.data.depth,
        }
    }

    /// What a proof file's descriptive fields are compared with.
    pub fn config(&self) -> VerifierConfig {
        VerifierConfig {
            shape: self.shape(),
            vk_fingerprint: self.data.vk_fingerprint.0,
        }
    }

    /// The trusted state: the last checkpoint's.
    pub fn state(&self) -> TrustedState {
        self.tip().state(self.data.chain_id.0)
    }

    pub fn tip(&self) -> &Checkpoint {
        self.data
            .checkpoints
            .last()
            .expect("a store has a checkpoint")
    }

    /// Decides what a proof does to the store, without changing it
    /// (`[PROOF-VERIFY]` against the current state, or against the stored
    /// checkpoint it extends for fork evidence). Pure: see [`Store::apply`].
    pub fn verify_update(&self, proof: &ProofFile, now: u64) -> Result<Decision, ClientError> {
        if let Some(e) = self.data.evidence.first() {
            return Err(ClientError::Halted {
                height: e.conflicting.header.height,
            });
        }
        proof.check_configuration(&self.config(), self.data.chain_id.0)?;
        let hash = proof.header.hash();
        let already = self.data.checkpoints.iter().any(|c| {
            c.header_hash.0 == hash.0 && c.signed_by.map(|s| s.0) == Some(proof.trusted_signing_set)
        });
        if already {
            return Ok(Decision::AlreadyApplied {
                height: proof.header.height,
            });
        }
        let tip = self.state();
        let options = self.options();
        if proof.header.height > tip.height {
            proof.check_signing_set(tip.signing_set)?;
            let next = zklc_verifier::verify_update(
                &self.pvk,
                &tip,
                &proof.header,
                proof.first(),
                &proof.proof,
                now,
                &options,
            )
            .map_err(client_error)?;
            return Ok(Decision::Extend(Checkpoint {
                height: DecU64(next.height),
                timestamp: DecU64(next.timestamp),
                header_hash: Hex32(next.header_hash.0),
                signing_set: DecFr(next.signing_set),
                header: Some(proof.header),
                signed_by: Some(DecFr(proof.trusted_signing_set)),
                proof: Some(Hex128(proof.proof)),
                accepted_at: DecU64(now),
            }));
        }
        // Not above the tip: evidence if it verifies against the checkpoint
        // it extends and conflicts with a header accepted at its height.
        let height = proof.header.height;
        let conflict = self
            .data
            .checkpoints
            .iter()
            .position(|c| c.height.0 == height && c.header_hash.0 != hash.0);
        let base = self.data.checkpoints.iter().rposition(|c| {
            c.height.0 < proof.first_height() && c.signing_set.0 == proof.trusted_signing_set
        });
        match (conflict, base) {
            (Some(accepted), Some(base)) => {
                let state = self.data.checkpoints[base].state(self.data.chain_id.0);
                zklc_verifier::verify_update(
                    &self.pvk,
                    &state,
                    &proof.header,
                    proof.first(),
                    &proof.proof,
                    now,
                    &options,
                )
                .map_err(client_error)?;
                Ok(Decision::Evidence(Evidence {
                    accepted,
                    conflicting: proof.clone(),
                    detected_at: DecU64(now),
                }))
            }
            _ => Err(ClientError::DoesNotExtend {
                height,
                tip: tip.height,
            }),
        }
    }

    /// Applies one proof: [`Store::verify_update`], then the decision is
    /// written (atomically). The store changes only when the proof extends
    /// the state, or to record fork evidence (then the error says so).
    pub fn apply(&mut self, proof: &ProofFile, now: u64) -> Result<Outcome, ClientError> {
        match self.verify_update(proof, now)? {
            Decision::AlreadyApplied { height } => Ok(Outcome::AlreadyApplied { height }),
            Decision::Extend(checkpoint) => {
                let state = checkpoint.state(self.data.chain_id.0);
                let mut next = self.data.clone();
                next.checkpoints.push(checkpoint);
                self.commit(next)?;
                Ok(Outcome::Applied(state))
            }
            Decision::Evidence(evidence) => {
                let height = evidence.conflicting.header.height;
                let accepted = HeaderHash(self.data.checkpoints[evidence.accepted].header_hash.0);
                let conflicting = evidence.conflicting.header.hash();
                let mut next = self.data.clone();
                next.evidence.push(evidence);
                self.commit(next)?;
                Err(ClientError::Fork {
                    height,
                    accepted,
                    conflicting,
                })
            }
        }
    }

    /// Clears fork evidence (an operator's decision after review).
    pub fn clear_evidence(&mut self) -> Result<usize, ClientError> {
        let n = self.data.evidence.len();
        let mut next = self.data.clone();
        next.evidence.clear();
        self.commit(next)?;
        Ok(n)
    }

    /// `[HDR-ANCESTRY]`: accepts `headers[0]`, at or below the trusted
    /// height, when the headers link one to the next by parent hash
    /// ([`verify_header_links`]) up to a stored checkpoint's header.
    pub fn verify_header(&self, headers: &[Header]) -> Result<Header, ClientError> {
        let first = *headers.first().ok_or(ClientError::NoHeaders)?;
        let trusted = self.state().height;
        if first.height > trusted {
            return Err(ClientError::AboveTrustedHeight {
                height: first.height,
                trusted,
            });
        }
        let last = verify_header_links(headers)
            .map_err(ClientError::Ancestry)?
            .ok_or(ClientError::NoHeaders)?;
        if self
            .data
            .checkpoints
            .iter()
            .any(|c| c.header_hash.0 == last.0)
        {
            Ok(first)
        } else {
            Err(ClientError::NotACheckpoint { hash: last })
        }
    }

    /// The proof files of `dir` ([`read_proof_dir`]) whose target is above
    /// the trusted height, in height order: what `client sync` applies.
    pub fn proofs_to_sync(&self, dir: &Path) -> Result<ProofDir, ClientError> {
        let tip = self.state().height;
        let mut found = read_proof_dir(dir)?;
        found.files.retain(|(_, f)| f.header.height > tip);
        Ok(found)
    }
}

/// Writes `store.json` atomically (temporary file, fsync, rename, fsync of
/// the directory).
fn write_store(dir: &Path, data: &StoreData) -> Result<(), ClientError> {
    let path = dir.join(STORE_FILE);
    let text = serde_json::to_string_pretty(data).map_err(|e| ClientError::Malformed {
        path: path.clone(),
        message: e.to_string(),
    })? + "\n";
    zklc_keys::fs::write_atomic(&path, text.as_bytes()).map_err(io(&path))
}

/// Reads one `[FMT-PROOF]` file, at most [`MAX_PROOF_FILE_BYTES`] of it.
pub fn read_proof_file(path: &Path) -> Result<ProofFile, ClientError> {
    let bytes = zklc_keys::fs::read_capped(path, MAX_PROOF_FILE_BYTES).map_err(io(path))?;
    from_json(&bytes).map_err(|source| ClientError::ProofFile {
        path: path.to_path_buf(),
        source,
    })
}

/// The proof files of a directory ([`read_proof_dir`]).
#[derive(Clone, Debug, Default)]
pub struct ProofDir {
    /// Every `proof-*.json` file, read, in height order (files of one
    /// height in path order).
    pub files: Vec<(PathBuf, ProofFile)>,
    /// The other entries, not read (not named `proof-*.json`), in path order.
    pub skipped: Vec<PathBuf>,
}

/// Whether a file name is a proof file's: `proof-*.json`.
pub fn is_proof_file_name(name: &str) -> bool {
    name.len() > "proof-.json".len() && name.starts_with("proof-") && name.ends_with(".json")
}

/// Every `proof-*.json` file of `dir` read as a `[FMT-PROOF]` file, in
/// height order; other entries are listed in [`ProofDir::skipped`].
pub fn read_proof_dir(dir: &Path) -> Result<ProofDir, ClientError> {
    let mut found = ProofDir::default();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        let proof = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_proof_file_name);
        if !proof || path.is_dir() {
            found.skipped.push(path);
            continue;
        }
        let file = read_proof_file(&path)?;
        found.files.push((path, file));
    }
    found
        .files
        .sort_by(|a, b| (a.1.header.height, &a.0).cmp(&(b.1.header.height, &b.0)));
    found.skipped.sort();
    Ok(found)
}
