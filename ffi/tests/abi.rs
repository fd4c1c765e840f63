//! The C ABI's edges: null pointers, malformed inputs, error messages, and
//! `[PROOF-SYSTEM]`'s strict decoding on a real key and proof (`support`, a
//! tiny circuit shared with the verifier's tests). (A finality proof through
//! C is `ffi/tests/c-check.sh`, run by CI.)

#[path = "../../verifier/tests/support/mod.rs"]
mod support;

use std::ffi::CStr;
use support::*;
use zklc_ffi::*;
use zklc_primitives::field::fr_to_be_bytes;
use zklc_primitives::TrustedState;

fn call(
    vk: &[u8],
    header: &[u8],
    proof: &[u8],
    trusted: Option<&ZklcTrustedState>,
    out: bool,
) -> i32 {
    let mut result = ZklcTrustedState::default();
    let t = trusted.map_or(std::ptr::null(), |t| t as *const _);
    let o = if out {
        &mut result as *mut _
    } else {
        std::ptr::null_mut()
    };
    unsafe {
        zklc_verify(
            vk.as_ptr(),
            vk.len(),
            t,
            header.as_ptr(),
            header.len(),
            proof.as_ptr(),
            proof.len(),
            0,
            std::ptr::null(),
            o,
        )
    }
}

#[test]
fn null_pointers_and_malformed_inputs_give_their_codes() {
    let state = ZklcTrustedState::default();
    let header = [0u8; 156];
    let proof = [0u8; 128];
    assert_eq!(call(&[1, 2, 3], &header, &proof, None, true), ZKLC_ERR_NULL);
    assert_eq!(
        call(&[1, 2, 3], &header, &proof, Some(&state), false),
        ZKLC_ERR_NULL
    );
    let null = unsafe {
        zklc_verify(
            std::ptr::null(),
            0,
            &state,
            header.as_ptr(),
            156,
            proof.as_ptr(),
            128,
            0,
            std::ptr::null(),
            &mut ZklcTrustedState::default(),
        )
    };
    assert_eq!(null, ZKLC_ERR_NULL);
    assert_eq!(
        call(&[1, 2, 3], &header, &proof, Some(&state), true),
        ZKLC_ERR_MALFORMED_KEY
    );
    for code in 0..=9 {
        let text = unsafe { CStr::from_ptr(zklc_error_message(code)) }
            .to_str()
            .unwrap();
        assert!(!text.is_empty());
    }
    assert_eq!(
        unsafe { CStr::from_ptr(zklc_error_message(ZKLC_ERR_REJECTED)) }
            .to_str()
            .unwrap(),
        "the pairing check rejected the proof"
    );
}

fn c_state(t: &TrustedState) -> ZklcTrustedState {
    ZklcTrustedState {
        chain_id: t.chain_id,
        height: t.height,
        timestamp: t.timestamp,
        header_hash: t.header_hash.0,
        signing_set: fr_to_be_bytes(&t.signing_set),
    }
}

/// `zklc_verify` on the fixture's state and header at its time: the code
/// and what `*out` holds afterwards (zeroed before the call).
fn verify_fixture(vk: &[u8], proof: &[u8]) -> (i32, ZklcTrustedState) {
    let f = fixture();
    let trusted = c_state(&f.trusted);
    let header = f.header.encode();
    let mut out = ZklcTrustedState::default();
    let code = unsafe {
        zklc_verify(
            vk.as_ptr(),
            vk.len(),
            &trusted,
            header.as_ptr(),
            header.len(),
            proof.as_ptr(),
            proof.len(),
            f.now,
            std::ptr::null(),
            &mut out,
        )
    };
    (code, out)
}

fn untouched(out: &ZklcTrustedState) -> bool {
    out.chain_id == 0 && out.height == 0 && out.header_hash == [0; 32]
}

#[test]
fn verifies_a_valid_proof_and_writes_the_new_state() {
    let f = fixture();
    let (code, out) = verify_fixture(&f.vk_bytes, &f.proof_bytes);
    assert_eq!(code, ZKLC_OK);
    let expected = c_state(&TrustedState {
        chain_id: f.trusted.chain_id,
        ..TrustedState::after(&f.header)
    });
    assert_eq!(out.chain_id, expected.chain_id);
    assert_eq!(out.height, expected.height);
    assert_eq!(out.timestamp, expected.timestamp);
    assert_eq!(out.header_hash, expected.header_hash);
    assert_eq!(out.signing_set, expected.signing_set);
}

#[test]
fn rejects_a_proof_of_other_inputs() {
    let f = fixture();
    let mut other = inputs(&f.trusted, &f.header);
    other[2] += ark_bn254::Fr::from(1u64);
    let (_, proof) = key_and_proof(&other, 1);
    let (code, out) = verify_fixture(&f.vk_bytes, &compressed(&proof));
    assert_eq!(code, ZKLC_ERR_REJECTED);
    assert!(untouched(&out));
}

#[test]
fn refuses_a_proof_point_flagged_infinity_with_coordinate_bits() {
    let f = fixture();
    for at in [FLAG_BYTE_A, FLAG_BYTE_B, FLAG_BYTE_C] {
        let proof = with_infinity_flag(&f.proof_bytes, at);
        let (code, out) = verify_fixture(&f.vk_bytes, &proof);
        assert_eq!(code, ZKLC_ERR_MALFORMED_PROOF, "flag byte {at}");
        assert!(untouched(&out));
    }
    // The identity in its one encoding decodes; the pairing refuses it.
    let mut proof = f.proof_bytes.clone();
    proof[..32].fill(0);
    proof[FLAG_BYTE_A] = 0x40;
    assert_eq!(verify_fixture(&f.vk_bytes, &proof).0, ZKLC_ERR_REJECTED);
}

#[test]
fn refuses_a_key_with_trailing_or_missing_bytes() {
    let f = fixture();
    let mut longer = f.vk_bytes.clone();
    longer.push(0);
    let (code, out) = verify_fixture(&longer, &f.proof_bytes);
    assert_eq!(code, ZKLC_ERR_MALFORMED_KEY);
    assert!(untouched(&out));
    let shorter = &f.vk_bytes[..f.vk_bytes.len() - 1];
    assert_eq!(
        verify_fixture(shorter, &f.proof_bytes).0,
        ZKLC_ERR_MALFORMED_KEY
    );
}

#[test]
fn refuses_a_key_point_flagged_infinity_with_coordinate_bits() {
    let f = fixture();
    // alpha, beta's x.c1, IC_3.
    for at in [31, 95, f.vk_bytes.len() - 1] {
        let vk = with_infinity_flag(&f.vk_bytes, at);
        assert_eq!(
            verify_fixture(&vk, &f.proof_bytes).0,
            ZKLC_ERR_MALFORMED_KEY,
            "flag byte {at}"
        );
    }
}

#[test]
fn refuses_a_key_for_two_or_five_inputs() {
    let f = fixture();
    let three = inputs(&f.trusted, &f.header);
    for n in [2, 5] {
        let mut inputs = three.clone();
        inputs.resize(n, ark_bn254::Fr::from(0u64));
        let (vk, proof) = key_and_proof(&inputs, 3);
        let (code, out) = verify_fixture(&compressed(&vk), &compressed(&proof));
        assert_eq!(code, ZKLC_ERR_MALFORMED_KEY, "{n} inputs");
        assert!(untouched(&out));
    }
}

/// `zklc_verify_run` (`[PROOF-DEPTH-INPUTS]`) on a six-input key: a proof of
/// the inputs a depth-k verifier builds verifies and moves the state to the
/// target; `first` changed, `first` at the trusted height, and a depth-1
/// key are refused with their codes; `zklc_verify` refuses the six-input key.
#[test]
fn verify_run_takes_depth_k_inputs_and_refuses_changes() {
    use zklc_primitives::{DepthPublicInputs, RunStart};
    let trusted = support::trusted();
    let mut target = support::header(&trusted);
    // At depth k the target's set is V_last, not necessarily T's.
    target.validators_hash = zklc_primitives::Fr::from(55u64);
    let first = RunStart {
        height: trusted.height + 1,
        timestamp: trusted.timestamp + 1_000,
    };
    let inputs = DepthPublicInputs::new(&trusted, first, &target).to_vec();
    let (vk, proof) = key_and_proof(&inputs, 3);
    let (vk, proof) = (compressed(&vk), compressed(&proof));
    let header = target.encode();
    let state = c_state(&trusted);
    let run = |vk: &[u8], first: RunStart, state: &ZklcTrustedState| {
        let mut out = ZklcTrustedState::default();
        let code = unsafe {
            zklc_verify_run(
                vk.as_ptr(),
                vk.len(),
                state,
                first.height,
                first.timestamp,
                header.as_ptr(),
                header.len(),
                proof.as_ptr(),
                proof.len(),
                NOW,
                std::ptr::null(),
                &mut out,
            )
        };
        (code, out)
    };
    let (code, out) = run(&vk, first, &state);
    assert_eq!(code, ZKLC_OK);
    assert_eq!(out.height, target.height);
    assert_eq!(out.header_hash, target.hash().0);
    assert_eq!(
        out.signing_set,
        fr_to_be_bytes(&target.next_validators_hash)
    );
    let moved = RunStart {
        timestamp: first.timestamp + 1,
        ..first
    };
    assert_eq!(run(&vk, moved, &state).0, ZKLC_ERR_REJECTED);
    let at_trusted = RunStart {
        height: trusted.height,
        ..first
    };
    assert_eq!(run(&vk, at_trusted, &state).0, ZKLC_ERR_HEADER_RULE);
    // A depth-1 key (three inputs) is not a depth-k key.
    assert_eq!(
        run(&fixture().vk_bytes, first, &state).0,
        ZKLC_ERR_MALFORMED_KEY
    );
    // And the depth-1 entry point refuses the six-input key.
    assert_eq!(
        call(&vk, &header, &proof, Some(&state), true),
        ZKLC_ERR_MALFORMED_KEY
    );
}
