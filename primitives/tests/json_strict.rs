//! SPEC section 1 and 9: the JSON formats are strict, and every refusal
//! names the field (and the block index and height where there is one).

use zklc_primitives::json::{check_chain_json, from_json, to_json_pretty};
use zklc_primitives::test_helpers::{
    example_chain_json as example, example_chain_text as example_text,
};
use zklc_primitives::{ChainError, Header, LightBlock};

fn refuse(bytes: &[u8]) -> ChainError {
    match check_chain_json(bytes) {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    }
}

fn refuse_value(v: &serde_json::Value) -> ChainError {
    refuse(v.to_string().as_bytes())
}

/// Sets `light_blocks[b]` . path to `value` and expects a format error at
/// block b (height known) naming `field` under `tag`.
fn expect_field_error(b: usize, path: &[&str], value: serde_json::Value, tag: &str, field: &str) {
    let mut v = example();
    let mut slot = &mut v["light_blocks"][b];
    for p in path {
        slot = match p.parse::<usize>() {
            Ok(i) => &mut slot[i],
            Err(_) => &mut slot[*p],
        };
    }
    *slot = value.clone();
    let e = refuse_value(&v);
    assert_eq!(e.block_index, Some(b), "{path:?} = {value}: {e}");
    assert_eq!(e.tag(), tag, "{path:?} = {value}: {e}");
    let text = e.to_string();
    assert!(
        text.contains(field),
        "{path:?} = {value}: {text} does not name {field}"
    );
    if path.first() != Some(&"header") || path.get(1) != Some(&"height") {
        let height = v["light_blocks"][b]["header"]["height"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap();
        assert_eq!(e.height, Some(height), "{text}");
    }
}

#[test]
fn accepts_the_example_as_it_is() {
    assert!(check_chain_json(example_text().as_bytes()).is_ok());
}

#[test]
fn rejects_noncanonical_decimal_strings() {
    let r = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
    for bad in [
        "05",
        "+5",
        "-0",
        "-5",
        "",
        "0x5",
        "5.0",
        "5e0",
        " 5",
        "18446744073709551616",
    ] {
        expect_field_error(
            2,
            &["header", "height"],
            bad.into(),
            "[FMT-HEADER]",
            "light_blocks[2].header.height",
        );
    }
    expect_field_error(
        2,
        &["header", "validators_hash"],
        r.into(),
        "[FMT-HEADER]",
        "validators_hash",
    );
    expect_field_error(
        3,
        &["validators", "1", "stake"],
        "0100".into(),
        "[FMT-VALIDATOR]",
        "light_blocks[3].validators[1].stake",
    );
    expect_field_error(
        3,
        &["validators", "1", "pub_key", "1"],
        r.into(),
        "[FMT-VALIDATOR]",
        "pub_key[1]",
    );
    expect_field_error(
        4,
        &["commit", "0", "r8", "0"],
        r.into(),
        "[FMT-SIGNATURE]",
        "light_blocks[4].commit[0].r8[0]",
    );
    let two_256 = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    expect_field_error(
        4,
        &["commit", "0", "s"],
        two_256.into(),
        "[FMT-SIGNATURE]",
        "commit[0].s",
    );
    // Numbers where strings are expected.
    expect_field_error(
        1,
        &["header", "timestamp"],
        serde_json::json!(1795413190000u64),
        "[FMT-HEADER]",
        "timestamp",
    );
}

#[test]
fn s_at_or_above_l_is_not_a_format_error() {
    let mut v = example();
    let l = "2736030358979909402780800718157159386076813972158567259200215660948447373041";
    v["light_blocks"][4]["commit"][0]["s"] = l.into();
    let e = refuse_value(&v);
    assert_eq!((e.block_index, e.tag()), (Some(4), "[SIG-VERIFY]"), "{e}");
}

#[test]
fn rejects_bad_hex() {
    let upper = "0x564959E873E254D3411CB4944AF6CAA98867606A98DE7DE58A2AB0D911499A18";
    for bad in [
        upper,
        "564959e873e254d3411cb4944af6caa98867606a98de7de58a2ab0d911499a18",
        "0x5649",
        "0x",
    ] {
        expect_field_error(
            1,
            &["header", "state_root"],
            bad.into(),
            "[FMT-HEADER]",
            "state_root",
        );
    }
}

#[test]
fn rejects_bad_small_integers() {
    for bad in [
        serde_json::json!(1.0),
        serde_json::json!(-1),
        serde_json::json!("1"),
        serde_json::json!(4294967296u64),
    ] {
        expect_field_error(
            2,
            &["commit", "1", "index"],
            bad.clone(),
            "[FMT-SIGNATURE]",
            "commit[1].index",
        );
        expect_field_error(2, &["header", "version"], bad, "[FMT-HEADER]", "version");
    }
    // Exponents: serde_json::Value cannot write 1e0, so patch the text.
    let text = example_text().replacen("\"version\": 1", "\"version\": 1e0", 1);
    let e = refuse(text.as_bytes());
    assert_eq!((e.block_index, e.tag()), (Some(0), "[FMT-HEADER]"), "{e}");
    let text = example_text().replacen("\"version\": 1", "\"version\": -0", 1);
    assert_eq!(refuse(text.as_bytes()).tag(), "[FMT-HEADER]");
}

#[test]
fn rejects_unknown_missing_and_repeated_fields() {
    let mut v = example();
    v["light_blocks"][5]["header"]["extra"] = "1".into();
    let e = refuse_value(&v);
    assert_eq!((e.block_index, e.tag()), (Some(5), "[FMT-HEADER]"), "{e}");
    assert!(e.to_string().contains("extra"));
    let mut v = example();
    v["light_blocks"][5]["commit"][0]
        .as_object_mut()
        .unwrap()
        .remove("r8");
    let e = refuse_value(&v);
    assert_eq!(
        (e.block_index, e.tag()),
        (Some(5), "[FMT-SIGNATURE]"),
        "{e}"
    );
    assert!(e.to_string().contains("r8"));
    let mut v = example();
    v["light_blocks"][2]["extra"] = serde_json::json!([]);
    assert_eq!(refuse_value(&v).tag(), "[FMT-LIGHT-BLOCK]");
    let mut v = example();
    v["extra"] = 1.into();
    let e = refuse_value(&v);
    assert_eq!((e.block_index, e.tag()), (None, "[FMT-LIGHT-BLOCK]"));
    let mut v = example();
    v["light_blocks"][3]["validators"][0]["pub_key"] = serde_json::json!(["1", "2", "3"]);
    assert_eq!(refuse_value(&v).tag(), "[FMT-VALIDATOR]");
    // A repeated key: serde_json::Value would keep the last one silently.
    let text = example_text();
    let twice = text.replacen(
        "\"height\": \"6\",",
        "\"height\": \"6\", \"height\": \"6\",",
        1,
    );
    assert_ne!(twice, text);
    let e = refuse(twice.as_bytes());
    assert_eq!((e.block_index, e.tag()), (Some(1), "[FMT-HEADER]"), "{e}");
    assert!(e.to_string().contains("duplicate field `height`"), "{e}");
}

#[test]
fn the_first_failing_block_wins_whatever_fails_in_a_later_one() {
    let mut v = example();
    v["light_blocks"][7]["header"]["height"] = "007".into();
    v["light_blocks"][4]["commit"][1]["s"] = "1".into();
    let e = refuse_value(&v);
    assert_eq!((e.block_index, e.tag()), (Some(4), "[SIG-VERIFY]"), "{e}");
}

#[test]
fn capacity_must_be_a_power_of_two_up_to_1024() {
    for (cap, tag) in [
        (6, "[VSET-MEMBER]"),
        (2048, "[VSET-MEMBER]"),
        (0, "[VSET-MEMBER]"),
    ] {
        let mut v = example();
        v["capacity"] = cap.into();
        let e = refuse_value(&v);
        assert_eq!(e.tag(), tag, "{e}");
    }
    let mut v = example();
    v["capacity"] = "8".into();
    assert_eq!(refuse_value(&v).tag(), "[FMT-LIGHT-BLOCK]");
    let mut v = example();
    v["capacity"] = 4.into();
    let e = refuse_value(&v);
    assert_eq!(
        (e.block_index, e.tag()),
        (Some(0), "[VSET-MEMBER]"),
        "more validators than the capacity: {e}"
    );
}

#[test]
fn rejects_garbage_without_panicking() {
    let text = example_text();
    for cut in [0, 1, 10, text.len() / 3, text.len() - 2] {
        assert_eq!(refuse(&text.as_bytes()[..cut]).tag(), "[FMT-LIGHT-BLOCK]");
    }
    let deep = "[".repeat(100_000);
    assert_eq!(refuse(deep.as_bytes()).tag(), "[FMT-LIGHT-BLOCK]");
    assert_eq!(refuse(b"\xff\xfe\x00garbage").tag(), "[FMT-LIGHT-BLOCK]");
    let trailing = format!("{text} {{}}");
    assert_eq!(refuse(trailing.as_bytes()).tag(), "[FMT-LIGHT-BLOCK]");
    assert_eq!(
        refuse(b"{\"chain_id\":\"1\",\"capacity\":8,\"light_blocks\":[]}").tag(),
        "[FMT-LIGHT-BLOCK]"
    );
}

#[test]
fn documents_round_trip_through_their_json() {
    let v = example();
    let block: LightBlock = from_json(v["light_blocks"][3].to_string().as_bytes()).unwrap();
    let again: LightBlock = from_json(to_json_pretty(&block).as_bytes()).unwrap();
    assert_eq!(block, again);
    let header: Header = from_json(v["light_blocks"][3]["header"].to_string().as_bytes()).unwrap();
    assert_eq!(header, block.header);
    let back: serde_json::Value = serde_json::from_str(&to_json_pretty(&header)).unwrap();
    assert_eq!(back, v["light_blocks"][3]["header"]);
    let e = from_json::<Header>(b"{\"version\":1}").unwrap_err();
    assert_eq!(e.tag(), "[FMT-HEADER]");
}

/// `[FMT-PROOF]` a proof file of depth 1 and one of depth 2: `first` and
/// `run_length` present if and only if depth >= 2, `run_length` in
/// 1..=depth; each refusal names its field.
#[test]
fn proof_files_carry_first_and_run_length_exactly_at_depth_2_and_more() {
    use zklc_primitives::{Error, ProofFile};
    let v = example();
    let header = v["light_blocks"][3]["header"].clone();
    let depth1 = serde_json::json!({
        "version": 1, "capacity": 8, "depth": 1,
        "vk_fingerprint": format!("0x{}", "ab".repeat(32)),
        "chain_id": header["chain_id"].clone(),
        "trusted_signing_set": header["validators_hash"].clone(),
        "header": header,
        "proof": format!("0x{}", "00".repeat(128)),
    });
    let file: ProofFile = from_json(depth1.to_string().as_bytes()).unwrap();
    assert_eq!(file.run, None);
    assert_eq!(file.first_height(), file.header.height);
    let mut depth2 = depth1.clone();
    depth2["depth"] = 2.into();
    depth2["first"] = serde_json::json!({"height": "2", "timestamp": "5"});
    depth2["run_length"] = 2.into();
    let file: ProofFile = from_json(depth2.to_string().as_bytes()).unwrap();
    let run = file.run.unwrap();
    assert_eq!(
        (run.first.height, run.first.timestamp, run.run_length),
        (2, 5, 2)
    );
    let back: serde_json::Value = serde_json::from_str(&to_json_pretty(&file)).unwrap();
    assert_eq!(back, depth2);
    let field_of = |v: &serde_json::Value| match from_json::<ProofFile>(v.to_string().as_bytes()) {
        Err(Error::Format { tag, field, .. }) => (tag, field),
        other => panic!("expected a format error, got {other:?}"),
    };
    let edit = |base: &serde_json::Value, f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = base.clone();
        f(&mut v);
        field_of(&v)
    };
    let proof = "[FMT-PROOF]";
    for bad in [0, 3] {
        assert_eq!(
            edit(&depth2, &|v| v["run_length"] = bad.into()),
            (proof, "run_length".to_string())
        );
    }
    assert_eq!(
        edit(&depth2, &|v| {
            v.as_object_mut().unwrap().remove("first");
        }),
        (proof, "first".to_string())
    );
    assert_eq!(
        edit(&depth2, &|v| {
            v.as_object_mut().unwrap().remove("run_length");
        }),
        (proof, "run_length".to_string())
    );
    assert_eq!(
        edit(&depth1, &|v| v["first"] =
            serde_json::json!({"height": "2", "timestamp": "5"})),
        (proof, "first".to_string())
    );
    assert_eq!(
        edit(&depth1, &|v| v["run_length"] = 1.into()),
        (proof, "run_length".to_string())
    );
    assert_eq!(
        edit(&depth2, &|v| v["first"]["height"] = "02".into()),
        (proof, "first.height".to_string())
    );
}
