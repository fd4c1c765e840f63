//! The C ABI's edges: null pointers, malformed inputs, error messages.
//! (A real proof through C is `ffi/tests/c-check.sh`, run by CI.)

use std::ffi::CStr;
use zklc_ffi::*;

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
