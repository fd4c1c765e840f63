//! The zklc light client: one trusted state (SPEC section 7) on disk, moved
//! forward only by finality proofs that verify against it.
//!
//! A store is a directory holding `store.json` (the configuration, every
//! accepted checkpoint, fork evidence), `verifying_key.bin` (the pinned key)
//! and a lock file. `store.json` is rewritten whole and atomically after each
//! accepted proof (temporary file, fsync, rename, fsync of the directory):
//! after a crash the store holds the state before or after that proof, never
//! a mix. An exclusive lock on the directory's lock file serialises
//! processes: a second one waits. The rules themselves are the shared
//! predicates of `zklc-primitives` and the verifier of `zklc-verifier`.

use std::fs::File;
use std::path::{Path, PathBuf};

use ark_bn254::Bn254;
use ark_groth16::PreparedVerifyingKey;
use serde::{Deserialize, Serialize};
use zklc_primitives::field::{fr_to_decimal, to_hex};
use zklc_primitives::json::{DecFr, DecU64, Hex128, Hex32, ProofFile, PROOF_FILE_VERSION};
use zklc_primitives::{Header, HeaderHash, TrustOptions, TrustedState};
use zklc_verifier::VerifyError;

pub const STORE_FILE: &str = "store.json";
pub const STORE_VK_FILE: &str = "verifying_key.bin";
pub const LOCK_FILE: &str = ".lock";
/// The store's format version.
pub const STORE_FORMAT_VERSION: u32 = 1;

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
}

/// Errors of the light client.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a zklc store: {message}")]
    Malformed { path: PathBuf, message: String },
    #[error("{0} already holds a store: refusing to replace it")]
    Exists(PathBuf),
    #[error("store format version {got}: this zklc reads version {expected}")]
    FormatVersion { expected: u32, got: u32 },
    #[error("the store's verifying key has fingerprint {got}, the store pins {pinned}")]
    VkMismatch { pinned: String, got: String },
    #[error("[PROOF-VERIFY] {field}: the store has {store}, the proof file says {proof}")]
    Field {
        field: &'static str,
        store: String,
        proof: String,
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
        expired_at: u64,
        now: u64,
    },
    #[error("[HDR-ANCESTRY] {0}")]
    Ancestry(String),
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
    _lock: File,
}

fn lock(dir: &Path, waiting: &dyn Fn()) -> Result<File, ClientError> {
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(io(&path))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
    }
    Ok(file)
}

impl Store {
    /// Creates a store at `dir` with its root checkpoint and pinned key.
    pub fn create(
        dir: &Path,
        keys_dir: &Path,
        root: &TrustedState,
        header: Option<Header>,
        options: TrustOptions,
        now: u64,
    ) -> Result<Store, ClientError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let lock = lock(dir, &|| {})?;
        if dir.join(STORE_FILE).exists() {
            return Err(ClientError::Exists(dir.to_path_buf()));
        }
        let (vk, manifest) =
            zklc_keys::load_verifying_key(keys_dir).map_err(|e| ClientError::Malformed {
                path: keys_dir.to_path_buf(),
                message: e.to_string(),
            })?;
        let vk_path = keys_dir.join(zklc_keys::VERIFYING_KEY_FILE);
        let vk_bytes = std::fs::read(&vk_path).map_err(io(&vk_path))?;
        let target = dir.join(STORE_VK_FILE);
        zklc_keys::fs::write_atomic(&target, &vk_bytes).map_err(io(&target))?;
        let data = StoreData {
            format_version: STORE_FORMAT_VERSION,
            chain_id: DecU64(root.chain_id),
            capacity: manifest.capacity,
            depth: manifest.depth,
            vk_fingerprint: Hex32(zklc_verifier::vk_fingerprint(&vk)),
            trusting_period_ms: DecU64(options.trusting_period_ms),
            clock_drift_ms: DecU64(options.clock_drift_ms),
            checkpoints: vec![Checkpoint::root(root, header, now)],
            evidence: Vec::new(),
        };
        let store = Store {
            dir: dir.to_path_buf(),
            data,
            pvk: zklc_verifier::prepare(&vk)?,
            _lock: lock,
        };
        store.save()?;
        Ok(store)
    }

    /// Opens and locks the store at `dir` (waiting for another process);
    /// refuses a malformed store, another format version or another key.
    pub fn open(dir: &Path, waiting: &dyn Fn()) -> Result<Store, ClientError> {
        let path = dir.join(STORE_FILE);
        if !path.exists() {
            return Err(ClientError::Malformed {
                path,
                message: "no store.json (create one with zklc client init)".into(),
            });
        }
        let lock = lock(dir, waiting)?;
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let data: StoreData =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Malformed {
                path: path.clone(),
                message: e.to_string(),
            })?;
        if data.format_version != STORE_FORMAT_VERSION {
            return Err(ClientError::FormatVersion {
                expected: STORE_FORMAT_VERSION,
                got: data.format_version,
            });
        }
        if data.checkpoints.is_empty() {
            return Err(ClientError::Malformed {
                path,
                message: "no checkpoint".into(),
            });
        }
        let vk_path = dir.join(STORE_VK_FILE);
        let vk_bytes = std::fs::read(&vk_path).map_err(io(&vk_path))?;
        let vk = zklc_verifier::decode_verifying_key(
            &vk_bytes,
            &zklc_primitives::Shape {
                capacity: data.capacity,
                depth: data.depth,
            },
        )?;
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
            pvk: zklc_verifier::prepare(&vk)?,
            _lock: lock,
        })
    }

    fn save(&self) -> Result<(), ClientError> {
        let path = self.dir.join(STORE_FILE);
        let text = serde_json::to_string_pretty(&self.data).expect("the store serialises") + "\n";
        zklc_keys::fs::write_atomic(&path, text.as_bytes()).map_err(io(&path))
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

    /// `[PROOF-VERIFY]` the proof file's descriptive fields against the store.
    fn verify_fields(&self, proof: &ProofFile) -> Result<(), ClientError> {
        let field = |field: &'static str, store: String, proof: String| {
            if store == proof {
                Ok(())
            } else {
                Err(ClientError::Field {
                    field,
                    store,
                    proof,
                })
            }
        };
        field(
            "version",
            PROOF_FILE_VERSION.to_string(),
            proof.version.to_string(),
        )?;
        field(
            "capacity",
            self.data.capacity.to_string(),
            proof.capacity.to_string(),
        )?;
        field(
            "depth",
            self.data.depth.to_string(),
            proof.depth.to_string(),
        )?;
        field(
            "vk_fingerprint",
            to_hex(&self.data.vk_fingerprint.0),
            to_hex(&proof.vk_fingerprint),
        )?;
        field(
            "chain_id",
            self.data.chain_id.0.to_string(),
            proof.chain_id.to_string(),
        )
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
        self.verify_fields(proof)?;
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
            if proof.trusted_signing_set != tip.signing_set {
                return Err(ClientError::Field {
                    field: "trusted_signing_set",
                    store: fr_to_decimal(&tip.signing_set),
                    proof: fr_to_decimal(&proof.trusted_signing_set),
                });
            }
            self.check_not_expired(&tip, now)?;
            let next =
                zklc_verifier::verify(&self.pvk, &tip, &proof.header, &proof.proof, now, &options)?;
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
        let base = self
            .data
            .checkpoints
            .iter()
            .rposition(|c| c.height.0 < height && c.signing_set.0 == proof.trusted_signing_set);
        match (conflict, base) {
            (Some(accepted), Some(base)) => {
                let state = self.data.checkpoints[base].state(self.data.chain_id.0);
                zklc_verifier::verify(
                    &self.pvk,
                    &state,
                    &proof.header,
                    &proof.proof,
                    now,
                    &options,
                )?;
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
                self.data.checkpoints.push(checkpoint);
                self.save()?;
                Ok(Outcome::Applied(state))
            }
            Decision::Evidence(evidence) => {
                let height = evidence.conflicting.header.height;
                let accepted = HeaderHash(self.data.checkpoints[evidence.accepted].header_hash.0);
                let conflicting = evidence.conflicting.header.hash();
                self.data.evidence.push(evidence);
                self.save()?;
                Err(ClientError::Fork {
                    height,
                    accepted,
                    conflicting,
                })
            }
        }
    }

    fn check_not_expired(&self, tip: &TrustedState, now: u64) -> Result<(), ClientError> {
        let options = self.options();
        if zklc_primitives::update::verify_within_trust_period(tip, now, &options).is_err() {
            return Err(ClientError::Expired {
                timestamp: tip.timestamp,
                expired_at: tip.timestamp.saturating_add(options.trusting_period_ms),
                now,
            });
        }
        Ok(())
    }

    /// Clears fork evidence (an operator's decision after review).
    pub fn clear_evidence(&mut self) -> Result<usize, ClientError> {
        let n = self.data.evidence.len();
        self.data.evidence.clear();
        self.save()?;
        Ok(n)
    }

    /// `[HDR-ANCESTRY]`: accepts `headers[0]` when the headers link by
    /// parent hash (consecutive heights) up to a stored checkpoint's header.
    pub fn verify_header(&self, headers: &[Header]) -> Result<Header, ClientError> {
        let first = *headers
            .first()
            .ok_or_else(|| ClientError::Ancestry("no header given".into()))?;
        if first.height > self.state().height {
            return Err(ClientError::Ancestry(format!(
                "height {} is above the trusted height {}: update the client first",
                first.height,
                self.state().height
            )));
        }
        for pair in headers.windows(2) {
            let (child, parent) = (&pair[1], &pair[0]);
            if child.height != parent.height + 1 || child.parent_hash != parent.hash().0 {
                return Err(ClientError::Ancestry(format!(
                    "height {} does not link to height {} by its parent hash",
                    child.height, parent.height
                )));
            }
        }
        let last = headers.last().expect("non-empty").hash();
        if self
            .data
            .checkpoints
            .iter()
            .any(|c| c.header_hash.0 == last.0)
        {
            Ok(first)
        } else {
            Err(ClientError::Ancestry(format!(
                "the last header given ({last}) is not a stored checkpoint"
            )))
        }
    }
}
