//! `[SYNC-PATH]` conformance: the example chain of `tests/vectors` and the independent
//! circomlibjs chains of `tests/interop` (made from SPEC.md without zklc).
//! Every accepted chain is compared with its expected sync path; every
//! refused one must fail at the expected block with the expected SPEC tag.

use zklc_primitives::json::{check_chain_json, to_json_pretty};
use zklc_primitives::test_helpers::{
    example_chain_dir, example_chain_json, interop_fixtures_dir, read_bytes, read_json,
};

fn sync_path_json(bytes: &[u8]) -> serde_json::Value {
    let (_, checked) = check_chain_json(bytes).unwrap_or_else(|e| panic!("refused: {e}"));
    serde_json::from_str(&to_json_pretty(&checked.sync_path())).unwrap()
}

#[test]
fn sync_path_of_example_chain_equals_expected_json() {
    let dir = example_chain_dir();
    let bytes = read_bytes(&dir.join("chain.json"));
    assert_eq!(
        sync_path_json(&bytes),
        read_json(&dir.join("expected.json"))
    );
}

#[test]
fn example_chain_tampered_signature_is_refused() {
    let mut chain = example_chain_json();
    let s = chain["light_blocks"][3]["commit"][0]["s"]
        .as_str()
        .unwrap()
        .to_string();
    let last = s.chars().last().unwrap();
    let bumped = format!(
        "{}{}",
        &s[..s.len() - 1],
        if last == '9' {
            '8'
        } else {
            (last as u8 + 1) as char
        }
    );
    chain["light_blocks"][3]["commit"][0]["s"] = bumped.into();
    let err = check_chain_json(chain.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        (err.block_index, err.tag()),
        (Some(3), "[SIG-VERIFY]"),
        "{err}"
    );
    assert_eq!(err.height, Some(8));
}

#[test]
fn independent_circomlibjs_chains_accepted_and_refused_as_the_manifest_says() {
    let dir = interop_fixtures_dir();
    let manifest = read_json(&dir.join("manifest.json"));
    let cases = manifest["cases"].as_array().unwrap();
    let (mut accepted, mut refused) = (0, 0);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let bytes = read_bytes(&dir.join(case["file"].as_str().unwrap()));
        if case["accept"].as_bool().unwrap() {
            let expected = read_json(&dir.join(case["expected"].as_str().unwrap()));
            assert_eq!(sync_path_json(&bytes), expected, "case {name}");
            accepted += 1;
        } else {
            let err = match check_chain_json(&bytes) {
                Ok(_) => panic!("case {name}: accepted a chain the manifest refuses"),
                Err(e) => e,
            };
            let want_index = case["block_index"].as_u64().unwrap() as usize;
            let want_tag = case["tag"].as_str().unwrap();
            assert_eq!(
                (err.block_index, err.tag()),
                (Some(want_index), want_tag),
                "case {name}: {err}"
            );
            refused += 1;
        }
    }
    assert!(
        accepted >= 3 && refused >= 20,
        "{accepted} accepted, {refused} refused"
    );
}
