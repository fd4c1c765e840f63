//! `zklc setup`, `prove`, `verify` and `export`.

use anyhow::{anyhow, bail, Context, Result};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use zklc_keys::Manifest;
use zklc_primitives::field::{fr_to_decimal, parse_decimal_fr, parse_hex, to_hex};
use zklc_primitives::json::{check_chain_json, from_json, to_json_pretty, ProofFile};
use zklc_primitives::{
    HeaderHash, PublicInputs, Shape, TrustOptions, TrustedState, VerifierConfig,
};
use zklc_prover::Progress;

use crate::io;
use crate::{now_ms, ProveArgs, SetupArgs, VerifyArgs};

fn warn_if_development(manifest: &Manifest) {
    if manifest.is_development() {
        eprintln!("WARNING: {}", zklc_keys::DEV_SETUP_WARNING);
    }
}

pub fn run_setup(args: SetupArgs) -> Result<()> {
    let shape = Shape {
        capacity: args.capacity,
        depth: args.depth,
    };
    // Refuse an occupied directory before the slow part.
    if !args.force && args.out.join(zklc_keys::MANIFEST_FILE).exists() {
        bail!(
            "{} already holds keys: refusing to overwrite them (pass --force)",
            args.out.display()
        );
    }
    if args.seed.is_some() {
        eprintln!("WARNING: {}", zklc_keys::DEV_SETUP_WARNING);
    }
    let start = Instant::now();
    let keys = zklc_keys::setup(shape, args.seed, &|phase| {
        eprintln!(
            "setup (capacity {}, depth {}): {phase}",
            shape.capacity, shape.depth
        )
    })?;
    zklc_keys::write_keys(&args.out, &keys, args.force)?;
    let m = &keys.manifest;
    eprintln!(
        "wrote {}: capacity {}, depth {}, {} constraints, {:.1} s",
        args.out.display(),
        m.capacity,
        m.depth,
        m.constraints,
        start.elapsed().as_secs_f64()
    );
    println!("vk_fingerprint {}", m.vk_fingerprint);
    Ok(())
}

pub fn run_prove(args: ProveArgs) -> Result<()> {
    let bytes = io::read_capped(&args.chain, args.max_bytes)?;
    // The native checks first: a bad chain fails here and nothing is written.
    let (chain, _) =
        check_chain_json(&bytes).map_err(|e| anyhow!("{}: {e}", args.chain.display()))?;
    let keys = zklc_keys::load_keys(&args.keys)?;
    warn_if_development(&keys.manifest);
    eprintln!(
        "keys {} (capacity {}, vk_fingerprint {})",
        args.keys.display(),
        keys.manifest.capacity,
        keys.manifest.vk_fingerprint
    );
    let start = Instant::now();
    // A spinner per step on a terminal; plain lines otherwise (logs, CI).
    let bars = indicatif::MultiProgress::new();
    let interactive = !bars.is_hidden();
    let step_bars: Mutex<std::collections::HashMap<usize, indicatif::ProgressBar>> =
        Mutex::new(Default::default());
    let progress = |p: Progress| match p {
        Progress::Started { index, of, height } => {
            let text = format!("[{}/{of}] proving height {height}", index + 1);
            if interactive {
                let bar = bars.add(indicatif::ProgressBar::new_spinner());
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                        .expect("a valid template"),
                );
                bar.set_message(text);
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                step_bars.lock().expect("progress lock").insert(index, bar);
            } else {
                eprintln!("{text} ...");
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
                args.out.join(zklc_prover::proof_file_name(height)).display()
            );
            match step_bars.lock().expect("progress lock").remove(&index) {
                Some(bar) => bar.finish_with_message(text),
                None => eprintln!("{text}"),
            }
        }
    };
    let proven = zklc_prover::prove_chain(&keys, &chain, &args.out, args.jobs as usize, &progress)?;
    eprintln!(
        "proved {} steps in {:.2} s",
        proven.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn trusted_state(args: &VerifyArgs) -> Result<TrustedState> {
    if let Some(genesis) = args.genesis.load(true)? {
        return Ok(genesis.state);
    }
    let missing = |f: &str| anyhow!("--{f} is required");
    let hash = args
        .trusted_hash
        .as_deref()
        .ok_or_else(|| missing("trusted-hash"))?;
    let set = args
        .trusted_signing_set
        .as_deref()
        .ok_or_else(|| missing("trusted-signing-set"))?;
    Ok(TrustedState {
        chain_id: args.chain_id.ok_or_else(|| missing("chain-id"))?,
        height: args
            .trusted_height
            .ok_or_else(|| missing("trusted-height"))?,
        timestamp: args
            .trusted_timestamp
            .ok_or_else(|| missing("trusted-timestamp"))?,
        header_hash: HeaderHash(parse_hex::<32>(hash).map_err(|e| anyhow!("--trusted-hash: {e}"))?),
        signing_set: parse_decimal_fr(set).map_err(|e| anyhow!("--trusted-signing-set: {e}"))?,
    })
}

pub fn run_verify(args: VerifyArgs) -> Result<()> {
    let (vk, manifest) = zklc_keys::load_verifying_key(&args.keys)?;
    warn_if_development(&manifest);
    let config = VerifierConfig {
        shape: manifest.shape(),
        vk_fingerprint: zklc_verifier::vk_fingerprint(&vk),
    };
    let pvk = zklc_verifier::prepare(&vk)?;
    let mut state = trusted_state(&args)?;
    let now = args.now.unwrap_or_else(now_ms);
    let options = TrustOptions {
        trusting_period_ms: args.trusting_period,
        clock_drift_ms: args.clock_drift,
    };
    for path in &args.proofs {
        let bytes = io::read_capped(path, zklc_light_client::MAX_PROOF_FILE_BYTES)?;
        let result = (|| -> Result<TrustedState> {
            let file: ProofFile = from_json(&bytes).map_err(|e| anyhow!("{e}"))?;
            file.check_fields(&config, &state)?;
            let started = Instant::now();
            let next =
                zklc_verifier::verify(&pvk, &state, &file.header, &file.proof, now, &options)?;
            println!(
                "ok {}: height {} -> {}, header {}, state_root {}, next signing set {} ({:.2} ms)",
                path.display(),
                state.height,
                next.height,
                next.header_hash,
                to_hex(&file.header.state_root),
                fr_to_decimal(&next.signing_set),
                started.elapsed().as_secs_f64() * 1e3
            );
            Ok(next)
        })();
        state = result.with_context(|| format!("{} refused", path.display()))?;
    }
    println!(
        "trusted state: chain {} height {} timestamp {} header {} signing set {}",
        state.chain_id,
        state.height,
        state.timestamp,
        state.header_hash,
        fr_to_decimal(&state.signing_set)
    );
    Ok(())
}

pub fn run_export_snarkjs(keys: &Path, proof: &Path, out: &Path) -> Result<()> {
    let (vk, manifest) = zklc_keys::load_verifying_key(keys)?;
    let bytes = io::read_capped(proof, 1024 * 1024)?;
    let file: ProofFile = from_json(&bytes).map_err(|e| anyhow!("{}: {e}", proof.display()))?;
    if file.vk_fingerprint != zklc_verifier::vk_fingerprint(&vk) {
        bail!(
            "{}: made for vk_fingerprint {}, the keys have {}",
            proof.display(),
            to_hex(&file.vk_fingerprint),
            manifest.vk_fingerprint
        );
    }
    let decoded = zklc_verifier::decode_proof(&file.proof)?;
    let public = PublicInputs::from_parts(file.trusted_signing_set, &file.header.hash());
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, value) in [
        (
            "verification_key.json",
            zklc_keys::snarkjs::verification_key(&vk),
        ),
        ("proof.json", zklc_keys::snarkjs::proof(&decoded)),
        ("public.json", zklc_keys::snarkjs::public(&public)),
    ] {
        io::write_atomic(&out.join(name), to_json_pretty(&value).as_bytes())?;
    }
    eprintln!(
        "wrote verification_key.json, proof.json, public.json to {}",
        out.display()
    );
    Ok(())
}

pub fn run_export_solidity(keys: &Path, out: &Path) -> Result<()> {
    let (vk, manifest) = zklc_keys::load_verifying_key(keys)?;
    if manifest.is_development() {
        eprintln!("warning: {}", zklc_keys::DEV_SETUP_WARNING);
    }
    let contracts = zklc_keys::solidity::contracts(&vk, &manifest);
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, source) in contracts.files() {
        io::write_atomic(&out.join(name), source.as_bytes())?;
    }
    eprintln!(
        "wrote {} and {} to {} (verifying key {})",
        zklc_keys::solidity::VERIFIER_FILE,
        zklc_keys::solidity::LIGHT_CLIENT_FILE,
        out.display(),
        manifest.vk_fingerprint
    );
    Ok(())
}
