//! The exported Solidity contracts, compiled with solc-js (npm `solc`, pinned
//! in `tests/interop`) and executed in revm with substrate-bn behind the
//! BN254 precompiles (a backend independent of arkworks):
//! - the light-client contract follows a chain's sync path to the same state
//!   as the native light client, and every tampered update reverts with its
//!   own error and leaves storage unchanged;
//! - malformed proof points revert (bounded gas), never verify;
//! - zklc's `verifyProof` and a verifier rendered from snarkjs' own template
//!   accept and reject the same proofs;
//! - gas per update is measured and held to the 215,000 target;
//! - the depth-k light client (keys of depth 2 and 4) follows
//!   `many_rotations`' runs to the native verifier's states, which are the
//!   depth-1 path's after the same steps; its rejecting twins (`first`
//!   moved, at or below the trusted state, above the target; the target
//!   changed; replays) revert with the native refusal's error and change
//!   nothing; a depth-4 update is held to 235,000 gas;
//! - on chains whose precompiles differ (the pairing, ecMul or ecAdd
//!   missing, so a call there succeeds and returns nothing; the pre-EIP-1108
//!   prices), the contracts refuse every proof or still verify, as they
//!   should.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use common::{assert_ok as ok, s, stderr, zklc, Proven, NOW};
use revm::context::result::{ExecutionResult, Output};
use revm::context::{BlockEnv, CfgEnv, TxEnv};
use revm::context_interface::cfg::gas::calculate_initial_tx_gas;
use revm::database::{CacheDB, EmptyDB};
use revm::handler::{EthPrecompiles, MainnetContext, MainnetEvm};
use revm::precompile::{
    bn254, Precompile, PrecompileHalt, PrecompileId, PrecompileOutput, PrecompileResult,
    PrecompileSpecId, Precompiles,
};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{keccak256, Address, Bytes, TxKind, U256};
use revm::{Context, ExecuteCommitEvm, MainBuilder, MainContext};
use zklc_primitives::json::{from_json, ProofFile};
use zklc_primitives::test_helpers::{checked_chain_file, interop_fixtures_dir};
use zklc_primitives::{
    ChainFile, DepthPublicInputs, Error, Header, RunStart, Shape, TrustOptions, TrustedState,
};
use zklc_prover::prove_chain;
use zklc_verifier::{prepare_for, verify_update, PreparedKey, VerifyError};

/// The execution-gas target of one light-client update (issue 6).
const UPDATE_GAS_TARGET: u64 = 215_000;
/// Gas limit of every test transaction: far above any legitimate use, so a
/// call that burns everything it is given shows.
const TX_GAS: u64 = 10_000_000;
const SPEC: SpecId = SpecId::OSAKA;
/// SPEC defaults for P and D, milliseconds.
const TRUSTING_PERIOD: u64 = 1_209_600_000;
const CLOCK_DRIFT: u64 = 10_000;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `node tests/interop/solidity.mjs ARGS`, installing the pinned npm
/// packages first when they are missing.
fn solidity_tool(args: &[&str]) {
    static NPM: OnceLock<()> = OnceLock::new();
    let interop = repo().join("tests/interop");
    NPM.get_or_init(|| {
        if !interop.join("node_modules/solc").exists() {
            let o = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&interop)
                .output()
                .expect("npm is needed for the EVM tests (solc-js)");
            assert!(o.status.success(), "npm ci: {}", stderr(&o));
        }
    });
    let o = Command::new("node")
        .arg(interop.join("solidity.mjs"))
        .args(args)
        .output()
        .expect("node is needed for the EVM tests (solc-js)");
    assert!(o.status.success(), "solidity.mjs {args:?}: {}", stderr(&o));
}

struct Compiled {
    light_client: Vec<u8>,
    verifier: Vec<u8>,
    snarkjs_verifier: Vec<u8>,
    other_key_light_client: Vec<u8>,
}

struct Fixture {
    proven: Proven,
    compiled: Compiled,
    /// The proofs of the sync path, in order.
    proofs: Vec<ProofFile>,
    genesis: Header,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let proven = common::proven("4", "21", "2");
        let dir = proven.dir.path();
        let sol = dir.join("sol");
        ok(&zklc(&[
            "export",
            "solidity",
            "--keys",
            s(&proven.keys),
            "--out",
            s(&sol),
            "--expect-vk-fingerprint",
            &proven.vk_fingerprint,
        ]));
        ok(&zklc(&[
            "export",
            "snarkjs",
            "--keys",
            s(&proven.keys),
            "--proof",
            s(&proven.proofs[0]),
            "--out",
            s(&dir.join("snarkjs")),
        ]));
        let snarkjs_sol = dir.join("Groth16Verifier.sol");
        solidity_tool(&[
            "snarkjs-verifier",
            s(&dir.join("snarkjs/verification_key.json")),
            s(&snarkjs_sol),
        ]);
        // Another setup of the same shape: its contract must refuse our proofs.
        let other_keys = dir.join("other-keys");
        ok(&zklc(&[
            "setup",
            "--capacity",
            "4",
            "--seed",
            "2",
            "--out",
            s(&other_keys),
        ]));
        let other_sol = dir.join("other-sol");
        ok(&zklc(&[
            "export",
            "solidity",
            "--keys",
            s(&other_keys),
            "--out",
            s(&other_sol),
            "--allow-development-key",
        ]));

        let v = compile(
            &dir.join("compiled.json"),
            &[
                &sol.join("ZklcVerifier.sol"),
                &sol.join("ZklcLightClient.sol"),
                &snarkjs_sol,
            ],
        );
        let other = compile(
            &dir.join("other-compiled.json"),
            &[
                &other_sol.join("ZklcVerifier.sol"),
                &other_sol.join("ZklcLightClient.sol"),
            ],
        );
        let compiled = Compiled {
            light_client: code(&v, "ZklcLightClient"),
            verifier: code(&v, "ZklcVerifier"),
            snarkjs_verifier: code(&v, "Groth16Verifier"),
            other_key_light_client: code(&other, "ZklcLightClient"),
        };
        let proofs = proven
            .proofs
            .iter()
            .map(|p| from_json(&std::fs::read(p).unwrap()).unwrap())
            .collect();
        let chain: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&proven.chain).unwrap()).unwrap();
        let genesis = from_json(chain["light_blocks"][0]["header"].to_string().as_bytes()).unwrap();
        Fixture {
            proven,
            compiled,
            proofs,
            genesis,
        }
    })
}

/// Compiles `files` with solc-js into `out` and checks that solc warns on
/// none of the exported contracts.
fn compile(out: &Path, files: &[&Path]) -> serde_json::Value {
    let mut args = vec!["compile", s(out)];
    args.extend(files.iter().map(|f| s(f)));
    solidity_tool(&args);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    let zklc_warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .filter(|w| w.contains("Zklc"))
        .collect();
    assert!(
        zklc_warnings.is_empty(),
        "solc warns on the exported contracts: {zklc_warnings:#?}"
    );
    v
}

/// The creation code of contract `name` in a [`compile`] output.
fn code(v: &serde_json::Value, name: &str) -> Vec<u8> {
    hex(v["contracts"][name]["bytecode"]
        .as_str()
        .unwrap_or_else(|| panic!("{name} compiled")))
}

fn hex(s: &str) -> Vec<u8> {
    let s = s.trim_start_matches("0x");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

// ---- ABI encoding (static words, one dynamic `bytes`) ----

fn selector(signature: &str) -> [u8; 4] {
    keccak256(signature.as_bytes())[..4].try_into().unwrap()
}

fn word_u64(x: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&x.to_be_bytes());
    w
}

fn word_fr(x: &Fr) -> [u8; 32] {
    x.into_bigint().to_bytes_be().try_into().unwrap()
}

fn word_u256(x: U256) -> [u8; 32] {
    x.to_be_bytes()
}

/// The contract's `State`: (height, timestamp, headerHash, signingSet, stateRoot).
#[derive(Clone, Copy, Debug, PartialEq)]
struct State {
    height: u64,
    timestamp: u64,
    header_hash: [u8; 32],
    signing_set: [u8; 32],
    state_root: [u8; 32],
}

impl State {
    fn from_trusted(t: &TrustedState, state_root: [u8; 32]) -> Self {
        State {
            height: t.height,
            timestamp: t.timestamp,
            header_hash: t.header_hash.0,
            signing_set: word_fr(&t.signing_set),
            state_root,
        }
    }

    fn words(&self) -> [[u8; 32]; 5] {
        [
            word_u64(self.height),
            word_u64(self.timestamp),
            self.header_hash,
            self.signing_set,
            self.state_root,
        ]
    }

    /// keccak256(abi.encode(state)): what the contract stores.
    fn hash(&self) -> [u8; 32] {
        keccak256(self.words().concat()).0
    }
}

/// A proof as the contracts take it: A, B ([[x.c1, x.c0], [y.c1, y.c0]]), C.
#[derive(Clone, Copy)]
struct EvmProof([[u8; 32]; 8]);

impl EvmProof {
    fn from_file(file: &ProofFile) -> Self {
        let p = zklc_verifier::decode_proof(&file.proof).unwrap();
        let mut words = [[0u8; 32]; 8];
        let a = zklc_verifier::g1_evm_bytes(&p.a);
        let b = zklc_verifier::g2_evm_bytes(&p.b);
        let c = zklc_verifier::g1_evm_bytes(&p.c);
        for (i, w) in words.iter_mut().enumerate() {
            let (src, at) = match i {
                0..2 => (&a[..], i),
                2..6 => (&b[..], i - 2),
                _ => (&c[..], i - 6),
            };
            w.copy_from_slice(&src[32 * at..32 * at + 32]);
        }
        EvmProof(words)
    }
}

/// The depth-1 light client's `update(header, a, b, c, current)`.
const UPDATE: &str =
    "update(bytes,uint256[2],uint256[2][2],uint256[2],(uint64,uint64,bytes32,uint256,bytes32))";
/// The depth-k light client's `update(header, firstHeight, firstTimestamp,
/// a, b, c, current)`.
const UPDATE_RUN: &str = "update(bytes,uint64,uint64,uint256[2],uint256[2][2],uint256[2],\
     (uint64,uint64,bytes32,uint256,bytes32))";

fn update_calldata(header: &[u8], proof: &EvmProof, current: &State) -> Vec<u8> {
    encode_update(UPDATE, header, &[], proof, current)
}

/// A depth-k `update` with the run's `first` height and timestamp.
fn run_update_calldata(
    header: &[u8],
    first: RunStart,
    proof: &EvmProof,
    current: &State,
) -> Vec<u8> {
    let first = [word_u64(first.height), word_u64(first.timestamp)];
    encode_update(UPDATE_RUN, header, &first, proof, current)
}

/// `signature(header, words.., proof, current)`: the head is the offset of
/// `header`, the static words, 8 proof words and 5 state words; then the bytes.
fn encode_update(
    signature: &str,
    header: &[u8],
    words: &[[u8; 32]],
    proof: &EvmProof,
    current: &State,
) -> Vec<u8> {
    let mut data = selector(signature).to_vec();
    data.extend(word_u64(32 * (1 + words.len() as u64 + 8 + 5)));
    for w in words.iter().chain(&proof.0).chain(&current.words()) {
        data.extend(w);
    }
    data.extend(word_u64(header.len() as u64));
    data.extend(header);
    data.resize(data.len() + (32 - header.len() % 32) % 32, 0);
    data
}

fn verify_calldata(proof: &EvmProof, inputs: &[[u8; 32]]) -> Vec<u8> {
    let signature = format!(
        "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[{}])",
        inputs.len()
    );
    let mut data = selector(&signature).to_vec();
    for w in proof.0.iter().chain(inputs) {
        data.extend(w);
    }
    data
}

fn error_selector(signature: &str) -> Vec<u8> {
    selector(signature).to_vec()
}

// ---- the EVM ----

type Evm = MainnetEvm<MainnetContext<CacheDB<EmptyDB>>>;

struct Chain {
    evm: Evm,
    caller: Address,
}

/// What a transaction did.
#[derive(Debug)]
enum Outcome {
    Success {
        output: Vec<u8>,
        /// Execution gas: the gas used less the intrinsic gas (21,000 and
        /// the calldata).
        execution_gas: u64,
        logs: Vec<revm::primitives::Log>,
        created: Option<Address>,
    },
    Revert {
        output: Vec<u8>,
        gas_used: u64,
    },
    Halt {
        /// Shown in failure messages (Debug).
        #[allow(dead_code)]
        gas_used: u64,
    },
}

impl Chain {
    /// A chain with Osaka's precompiles.
    fn new() -> Self {
        Self::with_precompiles(Precompiles::new(PrecompileSpecId::from_spec_id(SPEC)))
    }

    /// A chain whose precompiles are `precompiles` (see [`osaka_with`]).
    fn with_precompiles(precompiles: &'static Precompiles) -> Self {
        let ctx = Context::mainnet()
            .with_db(CacheDB::<EmptyDB>::default())
            .modify_cfg_chained(|c: &mut CfgEnv| {
                c.set_spec_and_mainnet_gas_params(SPEC);
                c.disable_nonce_check = true;
            })
            .modify_block_chained(|b: &mut BlockEnv| {
                b.gas_limit = 30_000_000;
                b.timestamp = U256::from(now_seconds());
            });
        let mut evm = ctx.build_mainnet();
        // Same spec: revm keeps this set (and warms its addresses).
        evm.precompiles = EthPrecompiles {
            precompiles,
            spec: SPEC,
        };
        Chain {
            evm,
            caller: Address::repeat_byte(0x11),
        }
    }

    fn set_time(&mut self, seconds: u64) {
        self.evm.ctx.block.timestamp = U256::from(seconds);
    }

    fn transact(&mut self, kind: TxKind, data: Vec<u8>) -> Outcome {
        let intrinsic =
            calculate_initial_tx_gas(SPEC, &data, matches!(kind, TxKind::Create), 0, 0, 0, None)
                .initial_regular_gas;
        let tx = TxEnv::builder()
            .caller(self.caller)
            .kind(kind)
            .data(Bytes::from(data))
            .gas_limit(TX_GAS)
            .build()
            .unwrap();
        match self.evm.transact_commit(tx).expect("a valid transaction") {
            ExecutionResult::Success {
                gas, logs, output, ..
            } => {
                let (output, created) = match output {
                    Output::Call(b) => (b.to_vec(), None),
                    Output::Create(b, a) => (b.to_vec(), a),
                };
                Outcome::Success {
                    output,
                    execution_gas: gas.total_gas_spent() - intrinsic,
                    logs,
                    created,
                }
            }
            ExecutionResult::Revert { gas, output, .. } => Outcome::Revert {
                output: output.to_vec(),
                gas_used: gas.total_gas_spent(),
            },
            ExecutionResult::Halt { gas, .. } => Outcome::Halt {
                gas_used: gas.total_gas_spent(),
            },
        }
    }

    fn deploy(&mut self, code: &[u8], args: &[[u8; 32]]) -> Address {
        let mut data = code.to_vec();
        for w in args {
            data.extend(w);
        }
        match self.transact(TxKind::Create, data) {
            Outcome::Success {
                created: Some(a), ..
            } => a,
            other => panic!("deployment failed: {other:?}"),
        }
    }

    fn call(&mut self, to: Address, data: Vec<u8>) -> Outcome {
        self.transact(TxKind::Call(to), data)
    }

    /// A view returning one word.
    fn view_word(&mut self, to: Address, data: Vec<u8>) -> [u8; 32] {
        match self.call(to, data) {
            Outcome::Success { output, .. } => output.try_into().expect("one word"),
            other => panic!("view failed: {other:?}"),
        }
    }

    fn state_hash(&mut self, client: Address) -> [u8; 32] {
        let word = self.view_word(client, selector("stateHash()").to_vec());
        // The contract's one storage word, read directly, says the same.
        let slot = self
            .evm
            .ctx
            .journaled_state
            .database
            .cache
            .accounts
            .get(&client)
            .and_then(|a| a.storage.get(&U256::ZERO).copied())
            .expect("slot 0 is written");
        assert_eq!(word_u256(slot), word);
        word
    }
}

fn now_seconds() -> u64 {
    NOW.parse::<u64>().unwrap() / 1000
}

fn genesis_state(f: &Fixture) -> (TrustedState, State) {
    let t = TrustedState::after(&f.genesis);
    // The contract does not know the checkpoint's state root: zero.
    (t, State::from_trusted(&t, [0u8; 32]))
}

fn deploy_client(chain: &mut Chain, code: &[u8], t: &TrustedState) -> Address {
    chain.deploy(
        code,
        &[
            word_u64(t.chain_id),
            word_u64(t.height),
            word_u64(t.timestamp),
            t.header_hash.0,
            word_fr(&t.signing_set),
            word_u64(TRUSTING_PERIOD),
            word_u64(CLOCK_DRIFT),
        ],
    )
}

#[test]
fn light_client_contract_follows_the_sync_path_like_the_native_client() {
    let f = fixture();
    let mut chain = Chain::new();
    let (mut trusted, mut state) = genesis_state(f);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    assert_eq!(chain.state_hash(client), state.hash());

    let mut gas = Vec::new();
    for file in &f.proofs {
        let header = file.header.encode();
        let data = update_calldata(&header, &EvmProof::from_file(file), &state);
        match chain.call(client, data) {
            Outcome::Success {
                execution_gas,
                logs,
                output,
                ..
            } => {
                gas.push(execution_gas);
                // The event publishes the header whole, indexed by height and hash.
                assert_eq!(logs.len(), 1);
                let log = &logs[0];
                assert_eq!(
                    log.topics()[0].0,
                    keccak256("Updated(uint64,bytes32,bytes)").0
                );
                assert_eq!(log.topics()[1].0, word_u64(file.header.height));
                assert_eq!(log.topics()[2].0, file.header.hash().0);
                assert_eq!(&log.data.data[64..64 + 156], &header[..]);
                trusted = TrustedState::after(&file.header);
                state = State::from_trusted(&trusted, file.header.state_root);
                // `update` returns the new state.
                assert_eq!(output, state.words().concat());
            }
            other => panic!("update to height {} failed: {other:?}", file.header.height),
        }
        assert_eq!(chain.state_hash(client), state.hash());
    }

    // The native light client, fed the same proofs, ends in the same state.
    let store = f.proven.dir.path().join("native-store");
    ok(&zklc(&[
        "client",
        "init",
        "--store",
        s(&store),
        "--keys",
        s(&f.proven.keys),
        "--expect-vk-fingerprint",
        &f.proven.vk_fingerprint,
        "--genesis",
        s(&f.proven.chain),
        "--expect-hash",
        &f.proven.genesis_hash,
        "--now",
        NOW,
    ]));
    let mut args = vec!["client", "update", "--store", s(&store), "--now", NOW];
    args.extend(f.proven.proofs.iter().map(|p| s(p)));
    ok(&zklc(&args));
    let o = zklc(&["client", "status", "--store", s(&store), "--json"]);
    ok(&o);
    let native: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let native_state = State {
        height: native["height"].as_str().unwrap().parse().unwrap(),
        timestamp: native["timestamp"].as_str().unwrap().parse().unwrap(),
        header_hash: hex(native["header_hash"].as_str().unwrap())
            .try_into()
            .unwrap(),
        signing_set: word_fr(
            &zklc_primitives::field::parse_decimal_fr(native["signing_set"].as_str().unwrap())
                .unwrap(),
        ),
        state_root: hex(native["state_root"].as_str().unwrap())
            .try_into()
            .unwrap(),
    };
    assert_eq!(native_state, state);
    assert_eq!(chain.state_hash(client), native_state.hash());
    let one = [0u8; 32];
    let mut is_current = selector("isCurrent((uint64,uint64,bytes32,uint256,bytes32))").to_vec();
    is_current.extend(state.words().concat());
    assert_eq!(chain.view_word(client, is_current)[31], 1);
    let mut stale = state;
    stale.state_root = one;
    stale.state_root[0] = 1;
    let mut is_current = selector("isCurrent((uint64,uint64,bytes32,uint256,bytes32))").to_vec();
    is_current.extend(stale.words().concat());
    assert_eq!(chain.view_word(client, is_current)[31], 0);

    let max = *gas.iter().max().unwrap();
    eprintln!(
        "light-client update execution gas (without 21,000 and calldata): {gas:?}, max {max}"
    );
    assert!(
        max <= UPDATE_GAS_TARGET,
        "update costs {max} gas, target {UPDATE_GAS_TARGET}"
    );
}

/// Applies `data` and expects a revert with `error` and no state change.
fn assert_reverts(chain: &mut Chain, client: Address, data: Vec<u8>, error: &str, what: &str) {
    let before = chain.state_hash(client);
    match chain.call(client, data) {
        Outcome::Revert { output, gas_used } => {
            assert_eq!(
                output[..4],
                error_selector(error)[..],
                "{what}: reverted, but not with {error}"
            );
            assert!(
                gas_used < 1_000_000,
                "{what}: a revert burned {gas_used} gas"
            );
        }
        other => panic!("{what}: expected a revert with {error}, got {other:?}"),
    }
    assert_eq!(chain.state_hash(client), before, "{what}: state changed");
}

#[test]
fn every_tampered_update_reverts_with_its_error_and_changes_nothing() {
    let f = fixture();
    let mut chain = Chain::new();
    let (trusted, state) = genesis_state(f);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    let first = &f.proofs[0];
    let proof = EvmProof::from_file(first);
    let good = first.header;

    let with = |edit: &dyn Fn(&mut Header)| {
        let mut h = good;
        edit(&mut h);
        h.encode().to_vec()
    };
    let mut cases: Vec<(&str, Vec<u8>, EvmProof, State, &str)> = vec![
        (
            "state_root changed",
            with(&|h| h.state_root[0] ^= 1),
            proof,
            state,
            "InvalidProof()",
        ),
        (
            "parent_hash changed",
            with(&|h| h.parent_hash[31] ^= 1),
            proof,
            state,
            "InvalidProof()",
        ),
        (
            "version 2",
            with(&|h| h.version = 2),
            proof,
            state,
            "Version(uint32)",
        ),
        (
            "another chain id",
            with(&|h| h.chain_id += 1),
            proof,
            state,
            "ChainId(uint64)",
        ),
        (
            "height not after the trusted one",
            with(&|h| h.height = trusted.height),
            proof,
            state,
            "HeightNotAfter(uint64)",
        ),
        (
            "timestamp not after the trusted one",
            with(&|h| h.timestamp = trusted.timestamp),
            proof,
            state,
            "TimestampNotAfter(uint64)",
        ),
        (
            "validators_hash not the trusted signing set",
            with(&|h| h.validators_hash += Fr::from(1u64)),
            proof,
            state,
            "SigningSet(uint256)",
        ),
        (
            "next_validators_hash changed",
            with(&|h| h.next_validators_hash += Fr::from(1u64)),
            proof,
            state,
            "InvalidProof()",
        ),
        (
            "155-byte header",
            good.encode()[..155].to_vec(),
            proof,
            state,
            "HeaderLength(uint256)",
        ),
        (
            "157-byte header",
            [&good.encode()[..], &[0u8]].concat(),
            proof,
            state,
            "HeaderLength(uint256)",
        ),
        (
            "the proof of another step",
            good.encode().to_vec(),
            EvmProof::from_file(&f.proofs[1]),
            state,
            "InvalidProof()",
        ),
        (
            "the caller lies about the trusted signing set",
            good.encode().to_vec(),
            proof,
            State {
                signing_set: word_fr(&good.validators_hash),
                height: 0,
                ..state
            },
            "UnknownState()",
        ),
        (
            "the caller lies about the trusted height",
            good.encode().to_vec(),
            proof,
            State { height: 0, ..state },
            "UnknownState()",
        ),
    ];
    // A header field that is not below r ([HDR-ENC]): validators_hash = r.
    let mut not_below_r = good.encode();
    not_below_r[92..124].copy_from_slice(&Fr::MODULUS.to_bytes_be());
    cases.push((
        "validators_hash = r",
        not_below_r.to_vec(),
        proof,
        state,
        "HashNotBelowR()",
    ));
    let mut flipped = proof;
    flipped.0[7][31] ^= 1;
    cases.push((
        "C changed",
        good.encode().to_vec(),
        flipped,
        state,
        "InvalidProof()",
    ));
    let mut swapped = proof;
    swapped.0.swap(2, 3);
    swapped.0.swap(4, 5);
    cases.push((
        "B in snarkjs JSON order (c0 first)",
        good.encode().to_vec(),
        swapped,
        state,
        "InvalidProof()",
    ));
    for (what, header, proof, current, error) in cases {
        assert_reverts(
            &mut chain,
            client,
            update_calldata(&header, &proof, &current),
            error,
            what,
        );
    }

    // [TRUST-PERIOD] against the block time.
    let good_call = update_calldata(&good.encode(), &proof, &state);
    let expires = (trusted.timestamp + TRUSTING_PERIOD).div_ceil(1000);
    chain.set_time(expires);
    assert_reverts(
        &mut chain,
        client,
        good_call.clone(),
        "TrustPeriodExpired(uint256,uint256)",
        "block time at the end of the trusting period",
    );
    chain.set_time((good.timestamp - CLOCK_DRIFT) / 1000 - 1);
    assert_reverts(
        &mut chain,
        client,
        good_call.clone(),
        "HeaderFromFuture(uint64,uint256)",
        "header beyond the clock drift",
    );

    // The untampered update goes through; replaying it is refused.
    chain.set_time(now_seconds());
    assert!(matches!(
        chain.call(client, good_call.clone()),
        Outcome::Success { .. }
    ));
    let after = State::from_trusted(&TrustedState::after(&good), good.state_root);
    assert_eq!(chain.state_hash(client), after.hash());
    assert_reverts(
        &mut chain,
        client,
        good_call,
        "UnknownState()",
        "replay with the old state",
    );
    assert_reverts(
        &mut chain,
        client,
        update_calldata(&good.encode(), &proof, &after),
        "HeightNotAfter(uint64)",
        "replay with the new state",
    );

    // A contract built from another setup of the same shape refuses the proof.
    let other = deploy_client(&mut chain, &f.compiled.other_key_light_client, &trusted);
    assert_reverts(
        &mut chain,
        other,
        update_calldata(&good.encode(), &proof, &state),
        "InvalidProof()",
        "a proof made for another verifying key",
    );
}

/// Public inputs `[V, hash_hi, hash_lo]` of a proof file.
fn inputs_of(file: &ProofFile) -> [[u8; 32]; 3] {
    let h = file.header.hash();
    [
        word_fr(&file.trusted_signing_set),
        word_fr(&h.hi_fr()),
        word_fr(&h.lo_fr()),
    ]
}

/// `verifyProof` on a verifier contract: Some(verdict) when it returned,
/// None when it reverted or halted.
fn verdict(chain: &mut Chain, verifier: Address, proof: &EvmProof, inputs: &[[u8; 32]]) -> bool {
    match chain.call(verifier, verify_calldata(proof, inputs)) {
        Outcome::Success { output, .. } => {
            assert_eq!(output.len(), 32);
            output[31] == 1
        }
        Outcome::Revert { .. } | Outcome::Halt { .. } => false,
    }
}

fn p_plus(word: [u8; 32]) -> [u8; 32] {
    let p = U256::from_be_bytes::<32>(ark_bn254::Fq::MODULUS.to_bytes_be().try_into().unwrap());
    word_u256(U256::from_be_bytes(word) + p)
}

#[test]
fn zklc_and_snarkjs_verifiers_accept_and_reject_the_same_proofs() {
    let f = fixture();
    let mut chain = Chain::new();
    let ours = chain.deploy(&f.compiled.verifier, &[]);
    let theirs = chain.deploy(&f.compiled.snarkjs_verifier, &[]);

    let mut accepted = 0;
    let mut rejected = 0;
    let mut verify_gas = Vec::new();
    for (i, file) in f.proofs.iter().enumerate() {
        let proof = EvmProof::from_file(file);
        let inputs = inputs_of(file);
        let other = inputs_of(&f.proofs[(i + 1) % f.proofs.len()]);
        let mut cases: Vec<(String, EvmProof, [[u8; 32]; 3])> =
            vec![("the proof".into(), proof, inputs)];
        for k in 0..3 {
            let mut changed = inputs;
            changed[k][31] ^= 1;
            cases.push((format!("public input {k} changed"), proof, changed));
        }
        cases.push(("another step's inputs".into(), proof, other));
        let mut r_input = inputs;
        r_input[1] = Fr::MODULUS.to_bytes_be().try_into().unwrap();
        cases.push(("hash_hi = r".into(), proof, r_input));
        for w in [0, 1, 3, 6] {
            let mut changed = proof;
            changed.0[w][31] ^= 1;
            cases.push((format!("proof word {w} changed"), changed, inputs));
        }
        for (what, proof, inputs) in cases {
            let a = verdict(&mut chain, ours, &proof, &inputs);
            let b = verdict(&mut chain, theirs, &proof, &inputs);
            assert_eq!(
                a, b,
                "proof {i}, {what}: zklc says {a}, snarkjs' template {b}"
            );
            assert_eq!(a, what == "the proof", "proof {i}, {what}");
            if a {
                accepted += 1;
            } else {
                rejected += 1;
            }
        }
        if let Outcome::Success { execution_gas, .. } =
            chain.call(ours, verify_calldata(&proof, &inputs))
        {
            verify_gas.push(execution_gas);
        }
    }
    assert_eq!(accepted, f.proofs.len());
    assert_eq!(rejected, 9 * f.proofs.len());
    eprintln!("verifyProof execution gas (3 public inputs): {verify_gas:?}");
}

#[test]
fn malformed_proof_points_revert_with_bounded_gas_and_never_verify() {
    let f = fixture();
    let mut chain = Chain::new();
    let (trusted, state) = genesis_state(f);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    let ours = chain.deploy(&f.compiled.verifier, &[]);
    let theirs = chain.deploy(&f.compiled.snarkjs_verifier, &[]);
    let file = &f.proofs[0];
    let proof = EvmProof::from_file(file);
    let inputs = inputs_of(file);
    let header = file.header.encode();

    let mut cases: Vec<(&str, EvmProof)> = Vec::new();
    let mut off_curve = proof;
    off_curve.0[0] = word_u64(1);
    off_curve.0[1] = word_u64(3);
    cases.push(("A = (1, 3), not on the curve", off_curve));
    let mut c_off = proof;
    c_off.0[7] = word_u64(5);
    cases.push(("C off the curve", c_off));
    for w in [0, 1, 2, 5, 6] {
        let mut big = proof;
        big.0[w] = p_plus(big.0[w]);
        cases.push(("a coordinate plus p (not below p)", big));
    }
    let mut b_off = proof;
    b_off.0[2] = word_u64(1);
    cases.push(("B off the twist", b_off));
    let mut infinity = proof;
    infinity.0[0] = [0u8; 32];
    infinity.0[1] = [0u8; 32];
    cases.push(("A the point at infinity", infinity));

    for (what, bad) in cases {
        assert!(!verdict(&mut chain, ours, &bad, &inputs), "zklc: {what}");
        assert!(
            !verdict(&mut chain, theirs, &bad, &inputs),
            "snarkjs: {what}"
        );
        // `verifyProof` answers false without burning the caller's gas.
        match chain.call(ours, verify_calldata(&bad, &inputs)) {
            Outcome::Success { execution_gas, .. } => assert!(
                execution_gas < 400_000,
                "{what}: verifyProof used {execution_gas} gas"
            ),
            other => panic!("{what}: verifyProof should return false: {other:?}"),
        }
        assert_reverts(
            &mut chain,
            client,
            update_calldata(&header, &bad, &state),
            "InvalidProof()",
            what,
        );
    }
    // The well-formed proof still verifies on both.
    assert!(verdict(&mut chain, ours, &proof, &inputs));
    assert!(verdict(&mut chain, theirs, &proof, &inputs));
}

#[test]
fn export_solidity_refuses_missing_keys_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sol");
    let o = zklc(&[
        "export",
        "solidity",
        "--keys",
        s(&dir.path().join("no-keys")),
        "--out",
        s(&out),
        "--allow-development-key",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no-keys"), "{}", stderr(&o));
    assert!(!out.exists());
}

// ---- chains whose BN254 precompiles differ ----

const EC_ADD: u8 = 0x06;
const EC_MUL: u8 = 0x07;
const PAIRING: u8 = 0x08;

/// Osaka's precompiles without those at the addresses `removed` (a call
/// there then reaches an empty account: it succeeds and returns nothing),
/// with `replaced` instead of the ones at their addresses.
fn osaka_with(removed: &[u8], replaced: &[Precompile]) -> &'static Precompiles {
    let osaka = Precompiles::new(PrecompileSpecId::from_spec_id(SPEC));
    let mut set = Precompiles::default();
    set.extend(
        osaka
            .inner()
            .values()
            .filter(|p| {
                !removed
                    .iter()
                    .any(|&a| *p.address() == Address::with_last_byte(a))
            })
            .cloned(),
    );
    set.extend(replaced.iter().cloned());
    assert_eq!(set.len(), osaka.len() - removed.len());
    Box::leak(Box::new(set))
}

/// A pairing precompile that answers "yes" to every input, at EIP-1108's
/// price: on a chain with it, only the contracts' own checks can refuse.
fn accept_every_pairing(input: &[u8], gas_limit: u64, reservoir: u64) -> PrecompileResult {
    let price = 45_000 + 34_000 * (input.len() as u64 / 192);
    if price > gas_limit {
        return Ok(PrecompileOutput::halt(PrecompileHalt::OutOfGas, reservoir));
    }
    Ok(PrecompileOutput::new(
        price,
        Bytes::copy_from_slice(&word_u64(1)),
        reservoir,
    ))
}

fn accepting_pairing() -> Precompile {
    Precompile::new(
        PrecompileId::custom("accept-every-pairing"),
        Address::with_last_byte(PAIRING),
        accept_every_pairing,
    )
}

/// `inputs` with its last word changed: the proof is not for them.
fn other_inputs(inputs: &[[u8; 32]; 3]) -> [[u8; 32]; 3] {
    let mut changed = *inputs;
    changed[2][31] ^= 1;
    changed
}

#[test]
fn without_the_pairing_precompile_every_proof_is_refused() {
    let f = fixture();
    let mut chain = Chain::with_precompiles(osaka_with(&[PAIRING], &[]));
    let ours = chain.deploy(&f.compiled.verifier, &[]);
    let theirs = chain.deploy(&f.compiled.snarkjs_verifier, &[]);
    let (trusted, state) = genesis_state(f);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    for (i, file) in f.proofs.iter().enumerate() {
        let proof = EvmProof::from_file(file);
        let inputs = inputs_of(file);
        assert!(!verdict(&mut chain, ours, &proof, &inputs), "proof {i}");
        assert!(
            !verdict(&mut chain, ours, &proof, &other_inputs(&inputs)),
            "proof {i}, other inputs"
        );
        // The chain really lacks the pairing: snarkjs' template, which
        // trusts the call's success alone, answers with the low bit of the
        // word the call left untouched, -A's x (the proof's own A.x).
        let a_x_is_odd = proof.0[0][31] & 1 == 1;
        assert_eq!(
            verdict(&mut chain, theirs, &proof, &inputs),
            a_x_is_odd,
            "proof {i}: snarkjs' template"
        );
        assert_eq!(
            verdict(&mut chain, theirs, &proof, &other_inputs(&inputs)),
            a_x_is_odd,
            "proof {i}, other inputs: snarkjs' template"
        );
    }
    // The light client refuses the first step's valid proof and keeps its state.
    let first = &f.proofs[0];
    assert_reverts(
        &mut chain,
        client,
        update_calldata(&first.header.encode(), &EvmProof::from_file(first), &state),
        "InvalidProof()",
        "the valid first step without the pairing precompile",
    );
    assert_eq!(chain.state_hash(client), state.hash());

    // The twin: the same proof and update on a chain that has the pairing.
    let mut chain = Chain::new();
    let ours = chain.deploy(&f.compiled.verifier, &[]);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    assert!(verdict(
        &mut chain,
        ours,
        &EvmProof::from_file(first),
        &inputs_of(first)
    ));
    assert!(matches!(
        chain.call(
            client,
            update_calldata(&first.header.encode(), &EvmProof::from_file(first), &state)
        ),
        Outcome::Success { .. }
    ));
}

#[test]
fn without_ec_mul_or_ec_add_every_proof_is_refused() {
    let f = fixture();
    let (trusted, state) = genesis_state(f);
    let first = &f.proofs[0];
    let first_update = update_calldata(&first.header.encode(), &EvmProof::from_file(first), &state);
    for removed in [&[EC_MUL][..], &[EC_ADD], &[EC_ADD, EC_MUL]] {
        // With the real pairing, and with one that accepts everything (so
        // that only the ecMul/ecAdd output checks can refuse).
        for (pairing, replaced) in [("real", vec![]), ("accepting", vec![accepting_pairing()])] {
            let what = format!("without {removed:02x?}, {pairing} pairing");
            let mut chain = Chain::with_precompiles(osaka_with(removed, &replaced));
            let ours = chain.deploy(&f.compiled.verifier, &[]);
            let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
            for (i, file) in f.proofs.iter().enumerate() {
                let proof = EvmProof::from_file(file);
                assert!(
                    !verdict(&mut chain, ours, &proof, &inputs_of(file)),
                    "{what}: proof {i}"
                );
            }
            assert_reverts(
                &mut chain,
                client,
                first_update.clone(),
                "InvalidProof()",
                &what,
            );
        }
    }
    // The twin: with ecMul and ecAdd present and the accepting pairing, the
    // contracts accept even a proof for other inputs, so the refusals above
    // come from the ecMul/ecAdd checks.
    let mut chain = Chain::with_precompiles(osaka_with(&[], &[accepting_pairing()]));
    let ours = chain.deploy(&f.compiled.verifier, &[]);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    let proof = EvmProof::from_file(first);
    assert!(verdict(&mut chain, ours, &proof, &inputs_of(first)));
    assert!(verdict(
        &mut chain,
        ours,
        &proof,
        &other_inputs(&inputs_of(first))
    ));
    assert!(matches!(
        chain.call(client, first_update),
        Outcome::Success { .. }
    ));
}

#[test]
fn proofs_still_verify_where_the_precompiles_cost_more_than_eip_1108() {
    // Byzantium's BN254 prices (ecAdd 500, ecMul 40,000, pairing 100,000 +
    // 80,000 per pair), above EIP-1108's: the contracts forward all the gas
    // left, so a higher price costs the caller more and refuses nothing.
    let f = fixture();
    let mut chain = Chain::with_precompiles(osaka_with(
        &[],
        &[
            bn254::add::BYZANTIUM,
            bn254::mul::BYZANTIUM,
            bn254::pair::BYZANTIUM,
        ],
    ));
    let ours = chain.deploy(&f.compiled.verifier, &[]);
    for (i, file) in f.proofs.iter().enumerate() {
        let proof = EvmProof::from_file(file);
        let inputs = inputs_of(file);
        assert!(verdict(&mut chain, ours, &proof, &inputs), "proof {i}");
        assert!(
            !verdict(&mut chain, ours, &proof, &other_inputs(&inputs)),
            "proof {i}, other inputs"
        );
    }
    let (mut trusted, mut state) = genesis_state(f);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    let mut gas = Vec::new();
    for file in &f.proofs {
        let data = update_calldata(&file.header.encode(), &EvmProof::from_file(file), &state);
        match chain.call(client, data) {
            Outcome::Success { execution_gas, .. } => gas.push(execution_gas),
            other => panic!("update to height {}: {other:?}", file.header.height),
        }
        trusted = TrustedState::after(&file.header);
        state = State::from_trusted(&trusted, file.header.state_root);
        assert_eq!(chain.state_hash(client), state.hash());
    }
    eprintln!("light-client update execution gas at Byzantium's BN254 prices: {gas:?}");
}

/// A G2 point on the twist but outside the order-r subgroup, as the
/// contracts take B.
fn b_outside_its_subgroup() -> [[u8; 32]; 4] {
    use ark_bn254::{Fq, Fq2, G2Affine};
    let p = (1u64..)
        .filter_map(|k| {
            G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(k), Fq::from(1u64)), false)
        })
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .expect("the twist's cofactor is large");
    assert!(p.is_on_curve());
    let bytes = zklc_verifier::g2_evm_bytes(&p);
    std::array::from_fn(|i| bytes[32 * i..32 * i + 32].try_into().unwrap())
}

#[test]
fn b_outside_its_subgroup_is_refused_at_the_callers_expense_only() {
    // The one malformed point the contracts cannot check cheaply themselves:
    // the pairing precompile refuses it and consumes the gas it was given
    // (63/64 of what is left, all of it the caller's); the 1/64 kept answers.
    let f = fixture();
    let mut chain = Chain::new();
    let ours = chain.deploy(&f.compiled.verifier, &[]);
    let theirs = chain.deploy(&f.compiled.snarkjs_verifier, &[]);
    let (trusted, state) = genesis_state(f);
    let client = deploy_client(&mut chain, &f.compiled.light_client, &trusted);
    let file = &f.proofs[0];
    let inputs = inputs_of(file);
    let mut bad = EvmProof::from_file(file);
    bad.0[2..6].copy_from_slice(&b_outside_its_subgroup());
    assert!(!verdict(&mut chain, theirs, &bad, &inputs));
    match chain.call(ours, verify_calldata(&bad, &inputs)) {
        Outcome::Success {
            output,
            execution_gas,
            ..
        } => {
            assert_eq!(output, word_u64(0), "verifyProof answers false");
            eprintln!("verifyProof with B outside its subgroup: {execution_gas} gas");
        }
        other => panic!("verifyProof should return false: {other:?}"),
    }
    let before = chain.state_hash(client);
    match chain.call(client, update_calldata(&file.header.encode(), &bad, &state)) {
        Outcome::Revert { output, gas_used } => {
            assert_eq!(output[..4], error_selector("InvalidProof()")[..]);
            eprintln!("update with B outside its subgroup: reverted, {gas_used} gas");
        }
        other => panic!("expected a revert with InvalidProof, got {other:?}"),
    }
    assert_eq!(chain.state_hash(client), before);
    // The twin: the proof's own B verifies.
    assert!(verdict(
        &mut chain,
        ours,
        &EvmProof::from_file(file),
        &inputs
    ));
}

// ---- depth k: one update per run ([PROOF-DEPTH-INPUTS]) ----

/// The depth-k execution-gas target of one light-client update at depth 4.
const RUN_UPDATE_GAS_TARGET: u64 = 235_000;

/// `many_rotations` (capacity 4, seven steps at heights 3, 4, 8, 9, 10, 12
/// and 14): depth-2 runs of 2, 2, 2, 1 steps, depth-4 runs of 4 and 3.
fn many_rotations() -> &'static ChainFile {
    static C: OnceLock<ChainFile> = OnceLock::new();
    C.get_or_init(|| checked_chain_file(&interop_fixtures_dir().join("many_rotations.json")))
}

/// Keys of one depth for `many_rotations`, their contracts and proofs.
struct DepthFixture {
    depth: u32,
    pvk: PreparedKey,
    light_client: Vec<u8>,
    verifier: Vec<u8>,
    /// One proof per run (per step at depth 1), in path order.
    proofs: Vec<ProofFile>,
}

/// Made once per test process and depth: depth 1 with the seeded keys of
/// [`fixture`] and its compiled contracts; depths 2 and 4 with a seeded
/// setup of their own, exported and compiled here.
fn depth_fixture(depth: u32) -> &'static DepthFixture {
    static D1: OnceLock<DepthFixture> = OnceLock::new();
    static D2: OnceLock<DepthFixture> = OnceLock::new();
    static D4: OnceLock<DepthFixture> = OnceLock::new();
    let cell = match depth {
        1 => &D1,
        2 => &D2,
        4 => &D4,
        _ => unreachable!("depths 1, 2 and 4 are tested"),
    };
    cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let (keys, light_client, verifier) = if depth == 1 {
            let f = fixture();
            let keys = zklc_keys::load_keys(&f.proven.keys).unwrap();
            (
                keys,
                f.compiled.light_client.clone(),
                f.compiled.verifier.clone(),
            )
        } else {
            let shape = Shape { capacity: 4, depth };
            let keys = zklc_keys::setup(shape, Some(depth.into()), &|_| {}).unwrap();
            assert_eq!(keys.manifest.public_inputs, 6);
            let sol = dir.path().join("sol");
            std::fs::create_dir(&sol).unwrap();
            let contracts = zklc_keys::solidity::contracts(&keys.vk, &keys.manifest);
            for (name, source) in contracts.files() {
                std::fs::write(sol.join(name), source).unwrap();
            }
            let v = compile(
                &dir.path().join("compiled.json"),
                &[
                    &sol.join("ZklcVerifier.sol"),
                    &sol.join("ZklcLightClient.sol"),
                ],
            );
            (keys, code(&v, "ZklcLightClient"), code(&v, "ZklcVerifier"))
        };
        let proven = prove_chain(
            &keys,
            many_rotations(),
            &dir.path().join("proofs"),
            1,
            &|_| {},
        )
        .unwrap();
        DepthFixture {
            depth,
            pvk: prepare_for(&keys.vk, &keys.manifest.shape()).unwrap(),
            light_client,
            verifier,
            proofs: proven.into_iter().map(|p| p.file).collect(),
        }
    })
}

/// The block time of every test chain, in milliseconds: what the native
/// verifier is given as `now`.
fn now_ms() -> u64 {
    now_seconds() * 1000
}

/// The native verifier on one update (`verify_update`, depth 1 or k).
fn native(
    d: &DepthFixture,
    trusted: &TrustedState,
    header: &Header,
    first: Option<RunStart>,
    proof: &ProofFile,
    now: u64,
) -> Result<TrustedState, VerifyError> {
    verify_update(
        &d.pvk,
        trusted,
        header,
        first,
        &proof.proof,
        now,
        &TrustOptions {
            trusting_period_ms: TRUSTING_PERIOD,
            clock_drift_ms: CLOCK_DRIFT,
        },
    )
}

/// The contract's error for a native refusal (the same check in the same
/// order), or "accepted".
fn contract_error(native: &Result<TrustedState, VerifyError>) -> &'static str {
    match native {
        Ok(_) => "accepted",
        Err(VerifyError::Rejected) => "InvalidProof()",
        Err(VerifyError::Header(e)) => match e {
            Error::UnsupportedVersion { .. } => "Version(uint32)",
            Error::ChainIdMismatch { .. } => "ChainId(uint64)",
            Error::RunStartHeightNotAbove { .. } => "RunStartHeightNotAbove(uint64)",
            Error::RunStartTimestampNotAbove { .. } => "RunStartTimestampNotAbove(uint64)",
            Error::RunStartHeightAfterTarget { .. } => "RunStartHeightAfterTarget(uint64,uint64)",
            Error::RunStartTimestampAfterTarget { .. } => {
                "RunStartTimestampAfterTarget(uint64,uint64)"
            }
            Error::NonIncreasingHeight { .. } => "HeightNotAfter(uint64)",
            Error::NonIncreasingTimestamp { .. } => "TimestampNotAfter(uint64)",
            Error::TrustPeriodExpired { .. } => "TrustPeriodExpired(uint256,uint256)",
            Error::HeaderFromFuture { .. } => "HeaderFromFuture(uint64,uint256)",
            Error::ValidatorSetMismatch { .. } => "SigningSet(uint256)",
            other => panic!("no contract error for {other}"),
        },
        Err(other) => panic!("no contract error for {other}"),
    }
}

/// The trusted state before each run of `d` (and after the last), from
/// `many_rotations`' genesis, by the native verifier.
fn native_states(d: &DepthFixture) -> Vec<TrustedState> {
    let mut trusted = TrustedState::after(&many_rotations().light_blocks[0].header);
    let mut states = vec![trusted];
    for file in &d.proofs {
        trusted = native(d, &trusted, &file.header, file.first(), file, now_ms()).unwrap();
        states.push(trusted);
    }
    states
}

/// Applies every proof of `d` from `many_rotations`' genesis to a new
/// client; checks each update's event, return value and stored state
/// against the native verifier's. Returns the state after each update and
/// each update's execution gas.
fn follow_runs(chain: &mut Chain, d: &DepthFixture) -> (Vec<State>, Vec<u64>) {
    let native_states = native_states(d);
    let client = deploy_client(chain, &d.light_client, &native_states[0]);
    let mut state = State::from_trusted(&native_states[0], [0u8; 32]);
    let mut states = Vec::new();
    let mut gas = Vec::new();
    for (i, file) in d.proofs.iter().enumerate() {
        let header = file.header.encode();
        let proof = EvmProof::from_file(file);
        let data = match file.first() {
            None => update_calldata(&header, &proof, &state),
            Some(first) => run_update_calldata(&header, first, &proof, &state),
        };
        let what = format!(
            "depth {}, update {i} to height {}",
            d.depth, file.header.height
        );
        match chain.call(client, data) {
            Outcome::Success {
                execution_gas,
                logs,
                output,
                ..
            } => {
                gas.push(execution_gas);
                assert_eq!(logs.len(), 1, "{what}");
                assert_eq!(log_header(&logs[0]), &header[..], "{what}");
                state = State::from_trusted(&native_states[i + 1], file.header.state_root);
                assert_eq!(output, state.words().concat(), "{what}: the native state");
            }
            other => panic!("{what} failed: {other:?}"),
        }
        assert_eq!(chain.state_hash(client), state.hash(), "{what}");
        states.push(state);
    }
    (states, gas)
}

/// The header an `Updated(height, headerHash, header)` event publishes,
/// after checking its topics.
fn log_header(log: &revm::primitives::Log) -> &[u8] {
    let header = &log.data.data[64..64 + 156];
    let decoded = Header::decode(header).unwrap();
    assert_eq!(
        log.topics()[0].0,
        keccak256("Updated(uint64,bytes32,bytes)").0
    );
    assert_eq!(log.topics()[1].0, word_u64(decoded.height));
    assert_eq!(log.topics()[2].0, decoded.hash().0);
    header
}

/// `[PROOF-DEPTH-INPUTS]` `[V, first, V_last, target, hash_hi, hash_lo]`,
/// as the native verifier builds them.
fn run_inputs(trusted: &TrustedState, first: RunStart, target: &Header) -> Vec<[u8; 32]> {
    DepthPublicInputs::new(trusted, first, target)
        .to_array()
        .iter()
        .map(word_fr)
        .collect()
}

#[test]
fn depth_k_light_client_follows_the_runs_to_the_native_and_depth1_states() {
    let mut chain = Chain::new();
    // The depth-1 path through the depth-1 contract: seven steps.
    let (path, path_gas) = follow_runs(&mut chain, depth_fixture(1));
    assert_eq!(path.len(), 7);
    let tip = State::from_trusted(
        &TrustedState::after(&many_rotations().light_blocks.last().unwrap().header),
        many_rotations()
            .light_blocks
            .last()
            .unwrap()
            .header
            .state_root,
    );
    assert_eq!(*path.last().unwrap(), tip);
    eprintln!("many_rotations, depth-1 update execution gas: {path_gas:?}");

    let mut max_gas = Vec::new();
    for (depth, lengths) in [(2, &[2, 2, 2, 1][..]), (4, &[4, 3])] {
        let d = depth_fixture(depth);
        let got: Vec<u32> = d.proofs.iter().map(|p| p.run.unwrap().run_length).collect();
        assert_eq!(got, lengths, "depth {depth}: runs");
        let (states, gas) = follow_runs(&mut chain, d);
        // Each run ends in the state the depth-1 path reaches after the
        // same steps.
        let mut steps = 0;
        for (state, len) in states.iter().zip(lengths) {
            steps += *len as usize;
            assert_eq!(
                *state,
                path[steps - 1],
                "depth {depth}, after {steps} steps"
            );
        }
        assert_eq!(steps, 7);

        // The stateless verifier takes the six inputs the native verifier
        // builds, and refuses each of them changed.
        let verifier = chain.deploy(&d.verifier, &[]);
        let trusted = native_states(d);
        for (i, file) in d.proofs.iter().enumerate() {
            let proof = EvmProof::from_file(file);
            let inputs = run_inputs(&trusted[i], file.first().unwrap(), &file.header);
            assert!(
                verdict(&mut chain, verifier, &proof, &inputs),
                "depth {depth} run {i}"
            );
            for k in 0..6 {
                let mut changed = inputs.clone();
                changed[k][31] ^= 1;
                assert!(
                    !verdict(&mut chain, verifier, &proof, &changed),
                    "depth {depth} run {i}: input {k} changed"
                );
            }
        }
        let first = &d.proofs[0];
        let inputs = run_inputs(&trusted[0], first.first().unwrap(), &first.header);
        if let Outcome::Success { execution_gas, .. } = chain.call(
            verifier,
            verify_calldata(&EvmProof::from_file(first), &inputs),
        ) {
            eprintln!("depth-{depth} verifyProof execution gas (6 public inputs): {execution_gas}");
        }
        let max = *gas.iter().max().unwrap();
        eprintln!("many_rotations, depth-{depth} update execution gas: {gas:?}, max {max}");
        max_gas.push((depth, max));
    }
    let (_, depth4) = max_gas[1];
    assert!(
        depth4 <= RUN_UPDATE_GAS_TARGET,
        "a depth-4 update costs {depth4} gas, target {RUN_UPDATE_GAS_TARGET}"
    );
}

/// A header given as bytes, with the header it encodes when it has one
/// (what the native verifier can be given too).
struct Tampered {
    what: String,
    header: Vec<u8>,
    native: Option<Header>,
    first: RunStart,
    proof: EvmProof,
    current: State,
    error: &'static str,
}

/// The rejecting twins of a depth-k run: `first` moved, at or below the
/// trusted state, above the target; the target header changed; malformed
/// calls; a proof from another run or state; the trusting period; replays.
/// Each reverts with its own error, the native verifier's refusal where it
/// has one, and leaves storage alone.
fn tampered_runs(depth: u32) {
    let d = depth_fixture(depth);
    let states = native_states(d);
    // The second run: from a state after the first, of 2 (depth 2) or 3
    // (depth 4) steps, so that its first header is not its target.
    let file = &d.proofs[1];
    let trusted = states[1];
    let good = file.header;
    let first = file.first().unwrap();
    assert!(first.height < good.height && first.timestamp < good.timestamp);
    assert_ne!(good.validators_hash, trusted.signing_set);
    let proof = EvmProof::from_file(file);
    let state = State::from_trusted(&trusted, [0u8; 32]);
    let mut chain = Chain::new();
    let client = deploy_client(&mut chain, &d.light_client, &trusted);
    assert_eq!(chain.state_hash(client), state.hash());

    let case = |what: &str, header: Header, first: RunStart, error: &'static str| Tampered {
        what: what.into(),
        header: header.encode().to_vec(),
        native: Some(header),
        first,
        proof,
        current: state,
        error,
    };
    let with = |edit: &dyn Fn(&mut Header)| {
        let mut h = good;
        edit(&mut h);
        h
    };
    let moved = |edit: &dyn Fn(&mut RunStart)| {
        let mut f = first;
        edit(&mut f);
        f
    };
    // Moved down by one, `first` may reach the trusted height (depth 4:
    // the run starts right after it).
    let height_down = if first.height - 1 > trusted.height {
        "InvalidProof()"
    } else {
        "RunStartHeightNotAbove(uint64)"
    };
    let mut cases = vec![
        case(
            "first height + 1",
            good,
            moved(&|f| f.height += 1),
            "InvalidProof()",
        ),
        case(
            "first height - 1",
            good,
            moved(&|f| f.height -= 1),
            height_down,
        ),
        case(
            "first timestamp + 1",
            good,
            moved(&|f| f.timestamp += 1),
            "InvalidProof()",
        ),
        case(
            "first timestamp - 1",
            good,
            moved(&|f| f.timestamp -= 1),
            "InvalidProof()",
        ),
        case(
            "first = the target (a run of one step)",
            good,
            RunStart::of(&good),
            "InvalidProof()",
        ),
        case(
            "first at the trusted height",
            good,
            moved(&|f| f.height = trusted.height),
            "RunStartHeightNotAbove(uint64)",
        ),
        case(
            "first below the trusted height",
            good,
            moved(&|f| f.height = trusted.height - 1),
            "RunStartHeightNotAbove(uint64)",
        ),
        case(
            "first at the trusted timestamp",
            good,
            moved(&|f| f.timestamp = trusted.timestamp),
            "RunStartTimestampNotAbove(uint64)",
        ),
        case(
            "first below the trusted timestamp",
            good,
            moved(&|f| f.timestamp = trusted.timestamp - 1),
            "RunStartTimestampNotAbove(uint64)",
        ),
        case(
            "first height above the target",
            good,
            moved(&|f| f.height = good.height + 1),
            "RunStartHeightAfterTarget(uint64,uint64)",
        ),
        case(
            "first timestamp above the target",
            good,
            moved(&|f| f.timestamp = good.timestamp + 1),
            "RunStartTimestampAfterTarget(uint64,uint64)",
        ),
        case(
            "target state_root changed",
            with(&|h| h.state_root[0] ^= 1),
            first,
            "InvalidProof()",
        ),
        case(
            "target parent_hash changed",
            with(&|h| h.parent_hash[31] ^= 1),
            first,
            "InvalidProof()",
        ),
        // V_last is bound by the proof, not compared with the trusted set.
        case(
            "target validators_hash changed",
            with(&|h| h.validators_hash += Fr::from(1u64)),
            first,
            "InvalidProof()",
        ),
        case(
            "target validators_hash = the trusted signing set",
            with(&|h| h.validators_hash = trusted.signing_set),
            first,
            "InvalidProof()",
        ),
        case(
            "target next_validators_hash changed",
            with(&|h| h.next_validators_hash += Fr::from(1u64)),
            first,
            "InvalidProof()",
        ),
        case(
            "target height + 1",
            with(&|h| h.height += 1),
            first,
            "InvalidProof()",
        ),
        case(
            "target timestamp + 1",
            with(&|h| h.timestamp += 1),
            first,
            "InvalidProof()",
        ),
        case(
            "target version 2",
            with(&|h| h.version = 2),
            first,
            "Version(uint32)",
        ),
        case(
            "target of another chain",
            with(&|h| h.chain_id += 1),
            first,
            "ChainId(uint64)",
        ),
        case(
            "target height below first",
            with(&|h| h.height = first.height - 1),
            first,
            "RunStartHeightAfterTarget(uint64,uint64)",
        ),
        case(
            "target timestamp below first",
            with(&|h| h.timestamp = first.timestamp - 1),
            first,
            "RunStartTimestampAfterTarget(uint64,uint64)",
        ),
    ];
    let raw = |what: &str, header: Vec<u8>, error: &'static str| Tampered {
        what: what.into(),
        header,
        native: None,
        first,
        proof,
        current: state,
        error,
    };
    let encoded = good.encode();
    cases.push(raw(
        "155-byte header",
        encoded[..155].to_vec(),
        "HeaderLength(uint256)",
    ));
    let r_at = |at: usize| {
        let mut h = encoded;
        h[at..at + 32].copy_from_slice(&Fr::MODULUS.to_bytes_be());
        h.to_vec()
    };
    cases.push(raw("validators_hash = r", r_at(92), "HashNotBelowR()"));
    cases.push(raw(
        "next_validators_hash = r",
        r_at(124),
        "HashNotBelowR()",
    ));
    let mut flipped = proof;
    flipped.0[7][31] ^= 1;
    cases.push(Tampered {
        proof: flipped,
        ..raw("C changed", encoded.to_vec(), "InvalidProof()")
    });
    cases.push(Tampered {
        proof: EvmProof::from_file(&d.proofs[0]),
        ..raw(
            "the proof of another run",
            encoded.to_vec(),
            "InvalidProof()",
        )
    });
    cases.push(Tampered {
        current: State {
            signing_set: word_fr(&good.validators_hash),
            ..state
        },
        ..raw(
            "the caller lies about the trusted signing set",
            encoded.to_vec(),
            "UnknownState()",
        )
    });
    cases.push(Tampered {
        current: State { height: 0, ..state },
        ..raw(
            "the caller lies about the trusted height",
            encoded.to_vec(),
            "UnknownState()",
        )
    });

    let what = |t: &Tampered| format!("depth {depth}: {}", t.what);
    for t in &cases {
        if let Some(header) = &t.native {
            let got = native(d, &trusted, header, Some(t.first), file, now_ms());
            assert_eq!(contract_error(&got), t.error, "{}: native", what(t));
        }
        assert_reverts(
            &mut chain,
            client,
            run_update_calldata(&t.header, t.first, &t.proof, &t.current),
            t.error,
            &what(t),
        );
    }

    // The depth-1 `update` is not this contract's: no function, no change.
    let before = chain.state_hash(client);
    assert!(matches!(
        chain.call(client, update_calldata(&encoded, &proof, &state)),
        Outcome::Revert { .. }
    ));
    assert_eq!(chain.state_hash(client), before);

    // [TRUST-PERIOD] against the block time, as natively.
    let good_call = run_update_calldata(&encoded, first, &proof, &state);
    let expires = (trusted.timestamp + TRUSTING_PERIOD).div_ceil(1000);
    let early = (good.timestamp - CLOCK_DRIFT) / 1000 - 1;
    for (seconds, error) in [
        (expires, "TrustPeriodExpired(uint256,uint256)"),
        (early, "HeaderFromFuture(uint64,uint256)"),
    ] {
        let got = native(d, &trusted, &good, Some(first), file, seconds * 1000);
        assert_eq!(contract_error(&got), error, "depth {depth}: native");
        chain.set_time(seconds);
        assert_reverts(&mut chain, client, good_call.clone(), error, error);
    }
    chain.set_time(now_seconds());

    // The untampered update goes through; replaying it is refused.
    assert!(matches!(
        chain.call(client, good_call.clone()),
        Outcome::Success { .. }
    ));
    let after = State::from_trusted(&states[2], good.state_root);
    assert_eq!(chain.state_hash(client), after.hash());
    assert_reverts(
        &mut chain,
        client,
        good_call,
        "UnknownState()",
        &format!("depth {depth}: replay with the old state"),
    );
    assert_eq!(
        contract_error(&native(d, &states[2], &good, Some(first), file, now_ms())),
        "RunStartHeightNotAbove(uint64)"
    );
    assert_reverts(
        &mut chain,
        client,
        run_update_calldata(&encoded, first, &proof, &after),
        "RunStartHeightNotAbove(uint64)",
        &format!("depth {depth}: replay with the new state"),
    );

    // A run from an old header of a set that recurs: the first run's set
    // signs again from a later state, whose height is past the run's start.
    let old = &d.proofs[0];
    let later = states
        .iter()
        .skip(1)
        .find(|t| t.signing_set == old.trusted_signing_set)
        .expect("many_rotations' first set recurs at a run's start");
    let old_first = old.first().unwrap();
    assert!(later.height >= old_first.height);
    let got = native(d, later, &old.header, Some(old_first), old, now_ms());
    assert_eq!(contract_error(&got), "RunStartHeightNotAbove(uint64)");
    let recurring = deploy_client(&mut chain, &d.light_client, later);
    assert_reverts(
        &mut chain,
        recurring,
        run_update_calldata(
            &old.header.encode(),
            old_first,
            &EvmProof::from_file(old),
            &State::from_trusted(later, [0u8; 32]),
        ),
        "RunStartHeightNotAbove(uint64)",
        &format!("depth {depth}: a run from an old header of a recurring set"),
    );
}

#[test]
fn every_tampered_depth2_update_reverts_with_its_error_and_changes_nothing() {
    tampered_runs(2);
}

#[test]
fn every_tampered_depth4_update_reverts_with_its_error_and_changes_nothing() {
    tampered_runs(4);
}
