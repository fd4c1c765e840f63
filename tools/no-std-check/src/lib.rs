//! Builds only if every crate it uses (primitives, verifier) is `no_std`: a `std` anywhere in the
//! graph brings its own `panic_impl` and this crate's panic handler then
//! fails to compile ("duplicate lang item").
#![no_std]

extern crate alloc;

use zklc_primitives::{Header, HeaderHash, PublicInputs, TrustedState};

/// Exercises the header rules and the public inputs so nothing is pruned.
pub fn public_inputs_of(trusted: &TrustedState, header: &Header) -> Option<PublicInputs> {
    zklc_primitives::update::verify_header_rules(trusted, header).ok()?;
    let hash: HeaderHash = header.hash();
    Some(PublicInputs::new(trusted, &hash))
}

/// Exercises Poseidon, the curve and EdDSA verification.
pub fn verify_signature(
    key: &zklc_primitives::babyjubjub::Point,
    m: zklc_primitives::Fr,
    sig: &zklc_primitives::Signature,
) -> bool {
    zklc_primitives::eddsa::verify(key, m, sig).is_ok()
}

/// Exercises the whole verifier: proof decoding, header checks, pairing.
pub fn verify_proof(
    vk: &[u8],
    trusted: &TrustedState,
    header: &Header,
    proof: &[u8],
    now: u64,
) -> Option<TrustedState> {
    let vk = zklc_verifier::decode_verifying_key(vk, &zklc_verifier::DEPTH1).ok()?;
    let pvk = zklc_verifier::prepare(&vk).ok()?;
    let options = zklc_primitives::TrustOptions::default();
    zklc_verifier::verify(&pvk, trusted, header, proof, now, &options).ok()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}
