//! The Solidity export: a stateless Groth16 verifier (`ZklcVerifier.sol`)
//! and a light-client contract (`ZklcLightClient.sol`) with the verifying key
//! embedded, rendered from the templates beside this file.
//!
//! Points are written as the BN254 precompiles take them (EIP-196/197): G1
//! `x, y`; G2 `x.c1, x.c0, y.c1, y.c0`; every coordinate a decimal `uint256`.

use std::fmt::Write as _;

use ark_bn254::{Bn254, Fq, G1Affine, G2Affine};
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ec::AffineRepr;
use ark_groth16::VerifyingKey;
use zklc_primitives::field::to_hex;

use crate::Manifest;

/// The file name of the stateless verifier.
pub const VERIFIER_FILE: &str = "ZklcVerifier.sol";
/// The file name of the light-client contract (it imports the verifier).
pub const LIGHT_CLIENT_FILE: &str = "ZklcLightClient.sol";

const VERIFIER_TEMPLATE: &str = include_str!("solidity/ZklcVerifier.sol.in");
const LIGHT_CLIENT_TEMPLATE: &str = include_str!("solidity/ZklcLightClient.sol.in");

/// The rendered contracts: `(file name, source)` pairs.
#[derive(Clone, Debug)]
pub struct Contracts {
    pub verifier: String,
    pub light_client: String,
}

impl Contracts {
    /// `(file name, source)` for every contract, in dependency order.
    pub fn files(&self) -> [(&'static str, &str); 2] {
        [
            (VERIFIER_FILE, &self.verifier),
            (LIGHT_CLIENT_FILE, &self.light_client),
        ]
    }
}

fn dec(x: &Fq) -> String {
    x.to_string()
}

/// A G1 constant pair; the point at infinity is (0, 0) as in the precompiles.
fn g1_constants(out: &mut String, name: &str, p: &G1Affine) {
    let (x, y) = p
        .xy()
        .map(|(x, y)| (dec(&x), dec(&y)))
        .unwrap_or(("0".into(), "0".into()));
    let _ = writeln!(out, "    uint256 internal constant {name}_X = {x};");
    let _ = writeln!(out, "    uint256 internal constant {name}_Y = {y};");
}

fn g2_constants(out: &mut String, name: &str, p: &G2Affine) {
    let zero = || "0".to_string();
    let [x1, x0, y1, y0] = p
        .xy()
        .map(|(x, y)| [dec(&x.c1), dec(&x.c0), dec(&y.c1), dec(&y.c0)])
        .unwrap_or_else(|| [zero(), zero(), zero(), zero()]);
    for (suffix, v) in [("X1", x1), ("X0", x0), ("Y1", y1), ("Y0", y0)] {
        let _ = writeln!(out, "    uint256 internal constant {name}_{suffix} = {v};");
    }
}

fn setup_note(manifest: &Manifest) -> String {
    match &manifest.setup {
        crate::SetupKind::SeededDevelopment { seed, .. } => {
            format!("@notice {} (seed {seed}).", crate::DEV_SETUP_WARNING)
        }
        crate::SetupKind::OsRandomness => "@notice Setup: single party, OS randomness \
             (trust the machine that ran it; production keys come from a ceremony)."
            .into(),
        crate::SetupKind::Ceremony {
            circuit_hash,
            contributions,
        } => format!(
            "@notice Setup: phase-2 ceremony of {} contributions (circuit hash {}); \
             pin the verifying key's fingerprint after checking the transcript.",
            contributions.len(),
            circuit_hash
        ),
    }
}

/// The section markers of the templates: a line `{{#DEPTH1}}` opens lines
/// kept for depth-1 keys only, `{{#DEPTHK}}` lines kept for depth k >= 2
/// only; `{{/DEPTH1}}` and `{{/DEPTHK}}` close them. Everything outside a
/// section is shared by both.
const SECTIONS: [(&str, &str, bool); 2] = [
    ("{{#DEPTH1}}", "{{/DEPTH1}}", true),
    ("{{#DEPTHK}}", "{{/DEPTHK}}", false),
];

/// The template's lines for keys of `depth`: the shared lines and those of
/// the sections for that depth, without the marker lines. Sections do not
/// nest (the templates are constants: a malformed one fails every test).
fn select_depth(template: &str, depth: u32) -> String {
    let mut out = String::with_capacity(template.len());
    // The section being read: its closing marker and whether it is kept.
    let mut open: Option<(&str, bool)> = None;
    for line in template.split_inclusive('\n') {
        let marker = line.trim();
        if let Some(&(_, close, for_depth1)) = SECTIONS.iter().find(|s| s.0 == marker) {
            assert!(open.is_none(), "nested section {marker}");
            open = Some((close, for_depth1 == (depth == 1)));
        } else if SECTIONS.iter().any(|s| s.1 == marker) {
            assert_eq!(open.map(|o| o.0), Some(marker), "unmatched {marker}");
            open = None;
        } else if open.is_none_or(|(_, keep)| keep) {
            out.push_str(line);
        }
    }
    assert!(open.is_none(), "unclosed section");
    out
}

/// Renders both contracts for `vk` (described by `manifest`): at depth 1
/// the light client's `update` takes `(header, a, b, c, current)`
/// (`[PROOF-VERIFY]`); at depth k >= 2 it also takes the run's `first`
/// height and timestamp and checks `[PROOF-DEPTH-INPUTS]`.
pub fn contracts(vk: &VerifyingKey<Bn254>, manifest: &Manifest) -> Contracts {
    let n_public = vk.gamma_abc_g1.len() - 1;
    let fingerprint = to_hex(&zklc_verifier::vk_fingerprint(vk));

    let mut constants = String::new();
    g1_constants(&mut constants, "ALPHA", &vk.alpha_g1);
    g2_constants(&mut constants, "BETA", &vk.beta_g2);
    g2_constants(&mut constants, "GAMMA", &vk.gamma_g2);
    g2_constants(&mut constants, "DELTA", &vk.delta_g2);
    for (i, ic) in vk.gamma_abc_g1.iter().enumerate() {
        g1_constants(&mut constants, &format!("IC{i}"), ic);
    }

    let mut terms = String::new();
    for i in 1..=n_public {
        let _ = write!(
            terms,
            "
            // vk_x += input[{j}] * IC{i}
            let s{j} := mload(add(input, {offset}))
            ok := and(ok, lt(s{j}, R))
            mstore(term, IC{i}_X)
            mstore(add(term, 32), IC{i}_Y)
            mstore(add(term, 64), s{j})
            ok := and(ok, staticcall(gas(), 0x07, term, 96, term, 64))
            ok := and(ok, eq(returndatasize(), 64))
            ok := and(ok, staticcall(gas(), 0x06, acc, 128, acc, 64))
            ok := and(ok, eq(returndatasize(), 64))
",
            j = i - 1,
            offset = 32 * (i - 1),
        );
    }

    // The twist's coefficient b' (the curve of B), from arkworks' curve.
    let twist_b = ark_bn254::g2::Config::COEFF_B;
    let fill = |template: &str| {
        select_depth(template, manifest.depth)
            .replace("{{TWIST_B0}}", &dec(&twist_b.c0))
            .replace("{{TWIST_B1}}", &dec(&twist_b.c1))
            .replace("{{FINGERPRINT}}", &fingerprint)
            .replace("{{CAPACITY}}", &manifest.capacity.to_string())
            .replace("{{DEPTH}}", &manifest.depth.to_string())
            .replace("{{CONSTRAINTS}}", &manifest.constraints.to_string())
            .replace("{{SETUP_NOTE}}", &setup_note(manifest))
            .replace("{{N_PUBLIC}}", &n_public.to_string())
            .replace("{{VK_CONSTANTS}}", constants.trim_end())
            .replace("{{IC_TERMS}}", &terms)
    };
    Contracts {
        verifier: fill(VERIFIER_TEMPLATE),
        light_client: fill(LIGHT_CLIENT_TEMPLATE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_have_no_unfilled_placeholders() {
        let shape = zklc_circuits::Shape::depth1(4);
        let keys = crate::setup(shape, Some(1), &|_| {}).unwrap();
        let c = contracts(&keys.vk, &keys.manifest);
        for (name, src) in c.files() {
            assert!(!src.contains("{{"), "{name} has an unfilled placeholder");
            assert!(src.contains(&keys.manifest.vk_fingerprint), "{name}");
            assert!(src.contains("DEVELOPMENT ONLY"), "{name}");
        }
        // Three public inputs: three ecMul/ecAdd terms.
        assert_eq!(c.verifier.matches("staticcall(gas(), 0x07").count(), 3);
        assert_eq!(c.verifier.matches("staticcall(gas(), 0x06").count(), 3);
        // Every precompile call's output length is checked: 3 ecMul, 3
        // ecAdd and the pairing, each right after its call.
        assert_eq!(c.verifier.matches("staticcall(").count(), 7);
        assert_eq!(c.verifier.matches("eq(returndatasize(), 64)").count(), 6);
        assert_eq!(c.verifier.matches("eq(returndatasize(), 32)").count(), 1);
        for call in c.verifier.split("staticcall(").skip(1) {
            let next = call.lines().nth(1).unwrap_or_default();
            assert!(next.contains("returndatasize()"), "unchecked: {call}");
        }
        // b' = 3 / (9 + u): the twist of B.
        let b = ark_bn254::g2::Config::COEFF_B;
        assert_eq!(
            b * ark_bn254::Fq2::new(9u64.into(), 1u64.into()),
            3u64.into()
        );
        assert!(c.verifier.contains(&format!("TWIST_B0 = {};", b.c0)));
        assert!(c.verifier.contains(&format!("TWIST_B1 = {};", b.c1)));
        assert!(c.verifier.contains("uint256 internal constant IC3_Y"));
        assert!(!c.verifier.contains("IC4_X"));
    }

    fn sha256_hex(s: &str) -> String {
        use sha2::{Digest, Sha256};
        to_hex(&Sha256::digest(s.as_bytes()))
    }

    /// SHA-256 of the depth-1 contracts of the seeded capacity-4 keys (seed 1).
    /// Before the templates had depth sections (f38a2d2) they hashed to
    /// 0x90bb77f4.. and 0x4291c0f0..; the templates with depth sections
    /// rendered the same bytes (ba8c6ec). The cheaper comparator in
    /// `circuits::bits` then changed the circuit, so the key: the contracts
    /// rendered under the old and the new key differ only in the verifying
    /// key's constants and fingerprint lines (checked with `zklc export
    /// solidity` of both builds). A golden pin: a template or circuit change
    /// shows here as a reviewed diff.
    const VERIFIER_DEPTH1_SHA256: &str =
        "0xc3831c169e26412923ae80930db5904abcc3028f5ec67fe339b75158276f59b0";
    const LIGHT_CLIENT_DEPTH1_SHA256: &str =
        "0x66948b22cd78c4f2c4cdcf359693a0c378af7aa6ff37153480161e5d24a7b506";

    /// The depth-1 contracts are pinned (above): the depth-k sections leave
    /// their interface, behaviour and gas as they were.
    #[test]
    fn depth1_contracts_are_unchanged_by_the_depth_k_sections() {
        let keys = crate::setup(zklc_circuits::Shape::depth1(4), Some(1), &|_| {}).unwrap();
        let c = contracts(&keys.vk, &keys.manifest);
        assert_eq!(
            (sha256_hex(&c.verifier), sha256_hex(&c.light_client)),
            (
                VERIFIER_DEPTH1_SHA256.into(),
                LIGHT_CLIENT_DEPTH1_SHA256.into()
            ),
        );
        assert!(c
            .light_client
            .contains("error SigningSet(uint256 validatorsHash);"));
        assert!(!c.light_client.contains("RunStart"));
    }

    /// A depth-k key (six public inputs): the depth-k sections, six terms,
    /// every precompile output checked; the depth-1 `update` is gone.
    #[test]
    fn depth_k_contracts_take_six_inputs_and_the_run_start() {
        let keys = crate::setup(zklc_circuits::Shape::depth1(1), Some(1), &|_| {}).unwrap();
        // A stand-in key of the depth-k input count: contracts() only
        // writes its points out.
        let mut vk = keys.vk.clone();
        let g = G1Affine::generator();
        vk.gamma_abc_g1.extend([g; 3]);
        let manifest = Manifest {
            depth: 4,
            public_inputs: 6,
            ..keys.manifest.clone()
        };
        let c = contracts(&vk, &manifest);
        for (name, src) in c.files() {
            assert!(!src.contains("{{"), "{name} has an unfilled placeholder");
            assert!(!src.contains("DEPTH1}}"), "{name}");
            assert!(src.contains("depth 4"), "{name}");
        }
        assert_eq!(c.verifier.matches("staticcall(gas(), 0x07").count(), 6);
        assert_eq!(c.verifier.matches("staticcall(gas(), 0x06").count(), 6);
        assert_eq!(c.verifier.matches("staticcall(").count(), 13);
        assert_eq!(c.verifier.matches("eq(returndatasize(), 64)").count(), 12);
        assert_eq!(c.verifier.matches("eq(returndatasize(), 32)").count(), 1);
        for call in c.verifier.split("staticcall(").skip(1) {
            let next = call.lines().nth(1).unwrap_or_default();
            assert!(next.contains("returndatasize()"), "unchecked: {call}");
        }
        assert!(c.verifier.contains("uint256[6] calldata input"));
        assert!(c
            .verifier
            .contains("[V, first, V_last, target, hash_hi, hash_lo]"));
        assert!(c.verifier.contains("uint256 internal constant IC6_Y"));
        assert!(!c.verifier.contains("IC7_X"));
        let lc = &c.light_client;
        assert!(lc.contains("uint64 firstHeight,\n        uint64 firstTimestamp,"));
        assert!(lc.contains("uint256[6] memory input"));
        assert!(lc.contains("error RunStartHeightAfterTarget("));
        // V_last is bound by the proof: no SigningSet check, and the depth-1
        // `update` and its helper are not rendered.
        assert!(!lc.contains("SigningSet("));
        assert!(!lc.contains("_checkHeaderProof"));
        assert_eq!(lc.matches("function update(").count(), 1);
    }

    #[test]
    fn sections_select_by_depth_and_refuse_malformed_templates() {
        let t = "a\n{{#DEPTH1}}\none\n{{/DEPTH1}}\n  {{#DEPTHK}}\nk\n  {{/DEPTHK}}\nz";
        assert_eq!(select_depth(t, 1), "a\none\nz");
        assert_eq!(select_depth(t, 2), "a\nk\nz");
        assert_eq!(select_depth(t, 16), "a\nk\nz");
        for bad in [
            "{{#DEPTH1}}\nx\n",
            "{{#DEPTH1}}\n{{/DEPTHK}}\n",
            "{{/DEPTH1}}\n",
            "{{#DEPTH1}}\n{{#DEPTHK}}\n{{/DEPTHK}}\n{{/DEPTH1}}\n",
        ] {
            let r = std::panic::catch_unwind(|| select_depth(bad, 1));
            assert!(r.is_err(), "{bad:?}");
        }
    }
}
