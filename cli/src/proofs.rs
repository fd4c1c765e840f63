//! `zklc setup`, `prove`, `verify` and `export`.

use anyhow::{anyhow, bail, Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use zklc_keys::Manifest;
use zklc_primitives::field::{fr_to_decimal, to_hex};
use zklc_primitives::json::{check_chain_json, DecU64, ProofFile};
use zklc_primitives::proof_file::FieldMismatch;
use zklc_primitives::{HeaderHash, Shape, TrustOptions, TrustedState, VerifierConfig};
use zklc_prover::{Progress, ProvableChain};

use crate::exit::usage;
use crate::{human, io, now_ms, out, paths, ExportR1csArgs, ProveArgs, SetupArgs, VerifyArgs};

/// The development warning of a key directory's setup kind (none for a
/// ceremony key).
fn warn_if_development(manifest: &Manifest) {
    crate::pin::warn_kind(manifest.setup.kind());
}

pub fn run_setup(args: SetupArgs) -> Result<()> {
    let shape = Shape {
        capacity: args.capacity,
        depth: args.depth,
    };
    if let Err(e) = shape.check() {
        usage!("{e}");
    }
    // Refuse an occupied or unusable directory before the slow part.
    let out_dir = paths::dir_target("--out", &args.out)?;
    if !args.force && out_dir.join(zklc_keys::MANIFEST_FILE).exists() {
        bail!(
            "{} already holds keys: refusing to overwrite them (pass --force)",
            out_dir.display()
        );
    }
    crate::pin::warn_kind(match args.seed {
        Some(_) => zklc_keys::KeyKind::SeededDevelopment,
        None => zklc_keys::KeyKind::OsRandomness,
    });
    let start = Instant::now();
    let keys = zklc_keys::setup(shape, args.seed, &|phase| {
        note!(
            "setup (capacity {}, depth {}): {phase}",
            shape.capacity,
            shape.depth
        )
    })?;
    zklc_keys::write_keys(&out_dir, &keys, args.force)?;
    let m = &keys.manifest;
    note!(
        "wrote {}: capacity {}, depth {}, {} constraints, {:.1} s",
        out_dir.display(),
        m.capacity,
        m.depth,
        m.constraints,
        start.elapsed().as_secs_f64()
    );
    say!("vk_fingerprint {}", m.vk_fingerprint);
    Ok(())
}

/// What `prove` does with a proof file already in `--out`.
enum Existing {
    /// None there: prove.
    Missing,
    /// A proof of this step that verifies: keep it.
    Valid,
    /// Something else: needs `--force`.
    Other(String),
}

/// Whether `path` holds a valid proof of the run `steps` (one step at
/// depth 1) under `pvk`: the fields of `[PROOF-VERIFY]` against the run's
/// trusted state, the same target header and run, and the pairing check
/// (time rules aside: the chain may be old).
fn existing_proof(
    path: &Path,
    steps: &[zklc_primitives::SyncStep],
    config: &VerifierConfig,
    pvk: &zklc_verifier::PreparedKey,
) -> Existing {
    if std::fs::symlink_metadata(path).is_err() {
        return Existing::Missing;
    }
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return Existing::Other("an empty run".into());
    };
    let file = match zklc_light_client::read_proof_file(path) {
        Ok(f) => f,
        Err(e) => return Existing::Other(e.to_string()),
    };
    if let Err(m) = file.check_fields(config, &first.trusted) {
        return Existing::Other(m.to_string());
    }
    if file.header != last.target {
        return Existing::Other("it proves another header".into());
    }
    let run = (config.shape.depth >= 2).then(|| zklc_primitives::RunInfo {
        first: zklc_primitives::RunStart::of(&first.target),
        run_length: steps.len() as u32,
    });
    if file.run != run {
        return Existing::Other("it proves another run of steps".into());
    }
    let options = TrustOptions {
        trusting_period_ms: u64::MAX,
        clock_drift_ms: 0,
    };
    match zklc_verifier::verify_update(
        pvk,
        &first.trusted,
        &file.header,
        file.first(),
        &file.proof,
        file.header.timestamp,
        &options,
    ) {
        Ok(_) => Existing::Valid,
        Err(e) => Existing::Other(e.to_string()),
    }
}

/// Writes `witness-<height>.wtns` (`[FMT-WTNS]`) into `dir` by the
/// file-target rules (atomically; a symlink written through, a device
/// refused).
fn write_witness(dir: &Path, height: u64, values: Vec<zklc_primitives::Fr>) -> Result<PathBuf> {
    let bytes = zklc_ceremony::Witness::new(values).to_bytes();
    paths::write_in(dir, &zklc_ceremony::witness_file_name(height), &bytes)
}

pub fn run_prove(args: ProveArgs) -> Result<()> {
    let out_dir = paths::dir_target("--out", &args.out)?;
    let wtns_dir = args
        .wtns_out
        .as_deref()
        .map(|d| paths::dir_target("--wtns-out", d))
        .transpose()?;
    let bytes = io::read_capped(&args.chain, args.max_bytes, Some("--max-bytes"))?;
    // The native checks first: a bad chain fails here and nothing is written.
    let (chain, _) =
        check_chain_json(&bytes).map_err(|e| anyhow!("{}: {e}", args.chain.display()))?;
    let checked =
        ProvableChain::check(chain).map_err(|e| anyhow!("{}: {e}", args.chain.display()))?;
    let keys = zklc_keys::load_keys(&args.keys)?;
    if let Err(e) = checked.check_shape(keys.manifest.shape()) {
        bail!(
            "{}: {e} (keys {})",
            args.chain.display(),
            args.keys.display()
        );
    }
    warn_if_development(&keys.manifest);
    note!(
        "keys {} (capacity {}, depth {}, vk_fingerprint {})",
        args.keys.display(),
        keys.manifest.capacity,
        keys.manifest.depth,
        keys.manifest.vk_fingerprint
    );
    let path = checked.sync_path();
    let runs = checked.runs(keys.manifest.shape());
    // Resume: keep the proofs of this chain already there that verify.
    let config = VerifierConfig {
        shape: keys.manifest.shape(),
        vk_fingerprint: zklc_verifier::vk_fingerprint(&keys.vk),
    };
    let pvk = zklc_verifier::prepare_for(&keys.vk, &keys.manifest.shape())?;
    let mut todo = Vec::new();
    let mut kept = 0usize;
    let mut kept_runs = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let steps = &path.steps[run.clone()];
        let height = steps.last().map_or(0, |s| s.target.height);
        let file = out_dir.join(zklc_prover::proof_file_name(height));
        if args.force {
            todo.push(i);
            continue;
        }
        match existing_proof(&file, steps, &config, &pvk) {
            Existing::Missing => todo.push(i),
            Existing::Valid => {
                kept += 1;
                kept_runs.push(i);
            }
            Existing::Other(why) => bail!(
                "{} is not a valid proof of this chain's {} to height {height} ({why}): refusing to replace it (pass --force to prove every step again)",
                file.display(),
                if run.len() == 1 { "step" } else { "run" },
            ),
        }
    }
    let (unit, units) = if keys.manifest.depth >= 2 {
        ("run", "runs")
    } else {
        ("step", "steps")
    };
    if kept > 0 {
        note!(
            "{} in {} already {} and {} kept; proving {}",
            human::plural(kept, "proof", "proofs"),
            out_dir.display(),
            if kept == 1 { "verifies" } else { "verify" },
            if kept == 1 { "is" } else { "are" },
            human::plural(todo.len(), unit, units)
        );
    }
    let start = Instant::now();
    // A kept proof's witness: generated again (no proving: a job's witness
    // does not depend on the proof's randomness), replacing any file there.
    if let Some(dir) = &wtns_dir {
        for &i in &kept_runs {
            let job = checked.job(keys.manifest.shape(), i)?;
            let height = job.target().height;
            let path = write_witness(dir, height, job.full_assignment()?)?;
            note!(
                "kept proof to height {height}: witness -> {}",
                path.display()
            );
        }
    }
    // A spinner per step on a terminal; plain lines otherwise (logs, CI).
    let bars = indicatif::MultiProgress::new();
    let interactive = !bars.is_hidden() && !out::quiet();
    let step_bars: Mutex<std::collections::HashMap<usize, indicatif::ProgressBar>> =
        Mutex::new(Default::default());
    let progress = |p: Progress| match p {
        Progress::Started { index, of, height } => {
            let text = format!("[{}/{of}] proving height {height}", index + 1);
            if interactive {
                let bar = bars.add(indicatif::ProgressBar::new_spinner());
                if let Ok(style) =
                    indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                {
                    bar.set_style(style);
                }
                bar.set_message(text);
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                if let Ok(mut bars) = step_bars.lock() {
                    bars.insert(index, bar);
                }
            } else {
                note!("{text} ...");
            }
        }
        Progress::Proven {
            index,
            of,
            height,
            timings,
        } => {
            let text = format!(
                "[{}/{of}] height {height}: slots {:.2} s, proof (synthesis + Groth16) {:.2} s -> {}",
                index + 1,
                timings.slots.as_secs_f64(),
                timings.prove.as_secs_f64(),
                out_dir.join(zklc_prover::proof_file_name(height)).display()
            );
            match step_bars.lock().ok().and_then(|mut b| b.remove(&index)) {
                Some(bar) => bar.finish_with_message(text),
                None => note!("{text}"),
            }
        }
    };
    // A new proof's witness is the assignment it was proven from, written
    // before its proof file.
    let sink =
        |height: u64, values: Vec<zklc_primitives::Fr>| -> Result<(), zklc_prover::BoxError> {
            if let Some(dir) = &wtns_dir {
                write_witness(dir, height, values)?;
            }
            Ok(())
        };
    let proven = zklc_prover::prove_chain_steps_with_witness(
        &keys,
        &checked,
        &todo,
        &out_dir,
        args.jobs,
        &progress,
        wtns_dir
            .is_some()
            .then_some(&sink as zklc_prover::WitnessSink<'_>),
    )?;
    note!(
        "proved {} in {:.2} s{}",
        human::plural(proven.len(), unit, units),
        start.elapsed().as_secs_f64(),
        if kept > 0 {
            format!(" ({kept} kept)")
        } else {
            String::new()
        }
    );
    if let Some(dir) = &wtns_dir {
        note!(
            "wrote {} to {}",
            human::plural(proven.len() + kept, "witness", "witnesses"),
            dir.display()
        );
    }
    Ok(())
}

/// A writer that hashes what it passes on.
struct Hashing<'a> {
    inner: &'a mut dyn std::io::Write,
    hasher: sha2::Sha256,
}

impl std::io::Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub fn run_export_r1cs(args: ExportR1csArgs) -> Result<()> {
    let shape = Shape {
        capacity: args.capacity,
        depth: args.depth,
    };
    if let Err(e) = shape.check() {
        usage!("{e}");
    }
    let paths::FileTarget::File(path) = paths::file_target("--out", &args.out, false)? else {
        bail!("--out: a .r1cs file is never written to stdout");
    };
    let start = Instant::now();
    note!(
        "export r1cs (capacity {}, depth {}): synthesizing the circuit as the setup does",
        shape.capacity,
        shape.depth
    );
    let r1cs = zklc_ceremony::r1cs_of_shape(shape)?;
    note!(
        "{} constraints, {} wires, {} non-zero coefficients ({:.1} s); writing {} bytes",
        r1cs.num_constraints(),
        r1cs.num_wires,
        r1cs.num_terms(),
        start.elapsed().as_secs_f64(),
        r1cs.encoded_len()
    );
    r1cs.validate()?;
    let digest = zklc_ceremony::binfile::write_atomic_with(&path, |w| {
        let mut hashing = Hashing {
            inner: w,
            hasher: sha2::Digest::new(),
        };
        r1cs.write_to(&mut hashing)?;
        Ok(sha2::Digest::finalize(hashing.hasher))
    })
    .with_context(|| format!("cannot write {}", path.display()))?;
    note!(
        "wrote {} in {:.1} s",
        path.display(),
        start.elapsed().as_secs_f64()
    );
    say!("constraints {}", r1cs.num_constraints());
    say!("wires {}", r1cs.num_wires);
    say!("public_inputs {}", r1cs.num_pub_in);
    say!("sha256 {}", to_hex(&digest).trim_start_matches("0x"));
    Ok(())
}

fn trusted_state(args: &VerifyArgs) -> Result<TrustedState> {
    if let Some(genesis) = args.genesis.load(true)? {
        return Ok(genesis.state);
    }
    let missing = |f: &str| anyhow::Error::new(crate::exit::Usage(format!("--{f} is required")));
    Ok(TrustedState {
        chain_id: args.chain_id.ok_or_else(|| missing("chain-id"))?,
        height: args
            .trusted_height
            .ok_or_else(|| missing("trusted-height"))?,
        timestamp: args
            .trusted_timestamp
            .ok_or_else(|| missing("trusted-timestamp"))?,
        header_hash: args.trusted_hash.ok_or_else(|| missing("trusted-hash"))?,
        signing_set: args
            .trusted_signing_set
            .ok_or_else(|| missing("trusted-signing-set"))?,
    })
}

/// Proof files given on the command line, read and put in height order
/// (files of one height in the order given).
pub fn read_in_height_order(paths: &[PathBuf]) -> Result<Vec<(PathBuf, ProofFile)>> {
    let mut files = paths
        .iter()
        .map(|p| {
            zklc_light_client::read_proof_file(p)
                .map(|f| (p.clone(), f))
                .map_err(|e| anyhow!("{e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    files.sort_by_key(|(_, f)| f.header.height);
    Ok(files)
}

/// Why a proof does not extend a state, in heights rather than set hashes:
/// `m` is the mismatch of `trusted_signing_set`; `starts_at` the height of
/// the state the proof starts from, when it is known.
pub fn does_not_extend(
    state_height: u64,
    file: &ProofFile,
    starts_at: Option<u64>,
    m: &FieldMismatch,
) -> String {
    let target = file.header.height;
    if target <= state_height {
        return format!(
            "the proof is for height {target}, the trusted state is already at height {state_height}"
        );
    }
    match starts_at {
        Some(h) => format!(
            "the proof does not extend the trusted state: the state is at height {state_height}, the proof (for height {target}) starts from the state at height {h}"
        ),
        None => format!(
            "the proof does not extend the trusted state: the state is at height {state_height}, the proof (for height {target}) starts from another state (its {} is not the state's signing set): apply the proofs in between first",
            m.field
        ),
    }
}

/// The height a proof starts from, among other proof files: the one whose
/// header makes the proof's `trusted_signing_set` the next set, the highest
/// below the proof's height.
fn start_among(files: &[(PathBuf, ProofFile)], file: &ProofFile) -> Option<u64> {
    files
        .iter()
        .map(|(_, f)| &f.header)
        .filter(|h| {
            h.next_validators_hash == file.trusted_signing_set && h.height < file.first_height()
        })
        .map(|h| h.height)
        .max()
}

/// One applied proof, for `--json`.
#[derive(Serialize)]
pub struct AppliedJson {
    pub file: String,
    pub height: DecU64,
    pub timestamp: DecU64,
    pub header_hash: HeaderHash,
    pub state_root: String,
    pub next_signing_set: String,
}

/// A trusted state, for `--json`.
#[derive(Serialize)]
pub struct StateJson {
    pub chain_id: DecU64,
    pub height: DecU64,
    pub timestamp: DecU64,
    pub header_hash: HeaderHash,
    pub signing_set: String,
}

impl StateJson {
    pub fn new(s: &TrustedState) -> Self {
        StateJson {
            chain_id: DecU64(s.chain_id),
            height: DecU64(s.height),
            timestamp: DecU64(s.timestamp),
            header_hash: s.header_hash,
            signing_set: fr_to_decimal(&s.signing_set),
        }
    }
}

impl AppliedJson {
    pub fn new(path: &Path, file: &ProofFile, next: &TrustedState) -> Self {
        AppliedJson {
            file: path.display().to_string(),
            height: DecU64(next.height),
            timestamp: DecU64(next.timestamp),
            header_hash: next.header_hash,
            state_root: to_hex(&file.header.state_root),
            next_signing_set: fr_to_decimal(&next.signing_set),
        }
    }
}

#[derive(Serialize)]
struct VerifyJson {
    applied: Vec<AppliedJson>,
    trusted_state: StateJson,
}

pub fn run_verify(args: VerifyArgs) -> Result<()> {
    let (vk, manifest) = zklc_keys::load_verifying_key(&args.keys)?;
    warn_if_development(&manifest);
    let config = VerifierConfig {
        shape: manifest.shape(),
        vk_fingerprint: zklc_verifier::vk_fingerprint(&vk),
    };
    let pvk = zklc_verifier::prepare_for(&vk, &manifest.shape())?;
    let mut state = trusted_state(&args)?;
    let now = args.now.unwrap_or_else(now_ms);
    let options = TrustOptions {
        trusting_period_ms: args.trusting_period,
        clock_drift_ms: args.clock_drift,
    };
    let files = read_in_height_order(&args.proofs)?;
    let mut applied = Vec::new();
    for (path, file) in &files {
        let started = Instant::now();
        let result = (|| -> Result<TrustedState> {
            if let Err(m) = file.check_fields(&config, &state) {
                if m.field == "trusted_signing_set" {
                    bail!(
                        "{}",
                        does_not_extend(state.height, file, start_among(&files, file), &m)
                    );
                }
                return Err(m.into());
            }
            Ok(zklc_verifier::verify_update(
                &pvk,
                &state,
                &file.header,
                file.first(),
                &file.proof,
                now,
                &options,
            )?)
        })();
        let next = result.with_context(|| format!("{} refused", path.display()))?;
        if !args.json {
            say!(
                "ok {}: height {} -> {}, header {}, state_root {}, next signing set {} ({:.2} ms)",
                path.display(),
                state.height,
                next.height,
                next.header_hash,
                to_hex(&file.header.state_root),
                fr_to_decimal(&next.signing_set),
                started.elapsed().as_secs_f64() * 1e3
            );
        }
        applied.push(AppliedJson::new(path, file, &next));
        state = next;
    }
    if args.json {
        let report = VerifyJson {
            applied,
            trusted_state: StateJson::new(&state),
        };
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        say!(
            "trusted state: chain {} height {} timestamp {} header {} signing set {}",
            state.chain_id,
            state.height,
            human::ms_and_utc(state.timestamp),
            state.header_hash,
            fr_to_decimal(&state.signing_set)
        );
    }
    Ok(())
}

pub fn run_export_snarkjs(keys: &Path, proof: &Path, out: &Path) -> Result<()> {
    let out_dir = paths::dir_target("--out", out)?;
    let (vk, manifest) = zklc_keys::load_verifying_key(keys)?;
    warn_if_development(&manifest);
    let file = zklc_light_client::read_proof_file(proof).map_err(|e| anyhow!("{e}"))?;
    if file.vk_fingerprint != zklc_verifier::vk_fingerprint(&vk) {
        bail!(
            "{}: made for vk_fingerprint {}, the keys have {}",
            proof.display(),
            to_hex(&file.vk_fingerprint),
            manifest.vk_fingerprint
        );
    }
    let decoded = zklc_verifier::decode_proof(&file.proof)
        .map_err(|e| anyhow!("{}: {e}", proof.display()))?;
    if file.depth != manifest.depth {
        bail!(
            "{}: a proof of depth {}, the keys are for depth {}",
            proof.display(),
            file.depth,
            manifest.depth
        );
    }
    let public = file.claimed_inputs();
    // The pairing check on the file's own public inputs: an export of a
    // proof that does not verify would only mislead.
    let pvk = zklc_verifier::prepare_for(&vk, &manifest.shape())?;
    if zklc_verifier::verify_claimed_inputs(&pvk, &public, &file.proof).is_err() {
        bail!(
            "{}: the proof does not verify against the keys' verifying key for its own public inputs: refusing to export it",
            proof.display()
        );
    }
    for (name, value) in [
        (
            "verification_key.json",
            zklc_keys::snarkjs::verification_key(&vk),
        ),
        ("proof.json", zklc_keys::snarkjs::proof(&decoded)),
        ("public.json", zklc_keys::snarkjs::public(&public)),
    ] {
        paths::write_in(
            &out_dir,
            name,
            zklc_primitives::json::to_json_pretty(&value).as_bytes(),
        )?;
    }
    note!(
        "wrote verification_key.json, proof.json, public.json to {} (the proof verifies)",
        out_dir.display()
    );
    Ok(())
}

pub fn run_export_solidity(keys: &Path, out: &Path, pin: &crate::pin::PinArgs) -> Result<()> {
    let out_dir = paths::dir_target("--out", out)?;
    let (vk, manifest) = zklc_keys::load_verifying_key(keys)?;
    // The operator's pin before anything is written.
    let pin = pin.decide(
        "export solidity",
        "embeds",
        keys,
        zklc_verifier::vk_fingerprint(&vk),
        &manifest,
    )?;
    crate::pin::warn(pin);
    let contracts = zklc_keys::solidity::contracts(&vk, &manifest);
    for (name, source) in contracts.files() {
        paths::write_in(&out_dir, name, source.as_bytes())?;
    }
    note!(
        "wrote {} and {} to {} (verifying key {}, pinned by {}; setup {})",
        zklc_keys::solidity::VERIFIER_FILE,
        zklc_keys::solidity::LIGHT_CLIENT_FILE,
        out_dir.display(),
        manifest.vk_fingerprint,
        crate::pin::describe(pin.pinned_by),
        pin.kind
    );
    Ok(())
}
